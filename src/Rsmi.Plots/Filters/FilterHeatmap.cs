using Rsmi.Filters;
using Rsmi.IO;
using ScottPlot;

namespace Rsmi.Plots.Filters;

/// <summary>
/// Heatmaps of learned RSMI filters, one picture per hidden unit (as in Koch-Janusz &amp; Ringel 2018, Figs. 2 and 4):
/// the block's weights λ_j(x, y) on a diverging colormap with limits symmetric about zero, so that sign and
/// relative size read directly, with the value printed in each cell for small blocks. A cubic block's filter is
/// drawn as its b_z slices λ_j(x, y, z = 0), λ_j(x, y, z = 1), … side by side, separated by a blank column. Filters of
/// q-state labels or with categorical units (<see cref="FilterParameters.IsSpinFilter"/> false) get one panel per
/// hidden state (rows) and site feature (columns: the label a site holds), each panel the block's weights λ_js(x, y, label).
/// </summary>
public static class FilterHeatmap
{
    /// <summary>The picture file of hidden unit <paramref name="hidden"/> (0-based) for a filters file <paramref name="filtersPath"/>:
    /// <c>NAME.h1.png</c>, <c>NAME.h2.png</c>… next to <c>NAME.json</c>.</summary>
    public static string PathFor(string filtersPath, int hidden)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(filtersPath)) ?? ".";
        return Path.Combine(dir, $"{Path.GetFileNameWithoutExtension(filtersPath)}.h{hidden + 1}.png");
    }

    /// <summary>Writes one PNG per hidden unit next to <paramref name="filtersPath"/> (atomically) and returns their paths.</summary>
    public static IReadOnlyList<string> WriteAll(FilterSet filters, string filtersPath, int pixelsPerCell = 0)
    {
        var paths = new List<string>();
        for (int j = 0; j < filters.Hidden; j++)
        {
            string path = PathFor(filtersPath, j);
            WritePng(filters, j, path, pixelsPerCell);
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>Writes the heatmap of hidden unit <paramref name="hidden"/> to <paramref name="path"/> (PNG, atomically).</summary>
    public static void WritePng(FilterSet filters, int hidden, string path, int pixelsPerCell = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hidden);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(hidden, filters.Hidden);
        var f = filters.Filters;
        int columns = f.IsSpinFilter ? Columns(filters.BlockX, filters.BlockZ ?? 1) : f.FeaturesPerSite * (filters.BlockX + 1) - 1;
        int rows = f.IsSpinFilter ? filters.BlockY : f.StateRows * (filters.BlockY + 1) - 1;
        using var plot = f.IsSpinFilter ? Build(filters, hidden) : BuildPanels(filters, hidden);
        int cell = pixelsPerCell > 0 ? pixelsPerCell : Math.Clamp(320 / Math.Max(filters.BlockX, filters.BlockY), 12, 120);
        if (!f.IsSpinFilter && pixelsPerCell <= 0) cell = Math.Clamp(640 / Math.Max(columns, rows), 12, 80);
        int width = Math.Max(360, cell * columns + 170), height = Math.Max(300, cell * rows + 110);
        AtomicFile.WriteVia(path, tmp => plot.SavePng(tmp, width, height));
    }

    /// <summary>Columns of the picture of a block b_x wide with b_z slices: b_z (b_x + 1) − 1 (b_x for one slice).</summary>
    public static int Columns(int bx, int bz) => bz * (bx + 1) - 1;

    /// <summary>The largest |weight| of a filter (the colour limit), at least a tiny positive number.</summary>
    public static double SymmetricLimit(ReadOnlySpan<double> weights)
    {
        double m = 0;
        foreach (double w in weights) m = Math.Max(m, Math.Abs(w));
        return m > 0 ? m : 1e-12;
    }

    /// <summary>Block weights as the heatmap's intensity grid: row y (top row first), column x; for a cubic block the
    /// slices z = 0, 1, … side by side (slice z in columns z (b_x + 1) … z (b_x + 1) + b_x − 1, NaN between them).</summary>
    public static double[,] Grid(FilterSet filters, int hidden) => SliceGrid(filters.Filter(hidden), filters.BlockX, filters.BlockY, filters.BlockZ ?? 1);

    /// <summary>
    /// A block's |V| = b_x b_y b_z weights (row-major: z, then y, then x) as an intensity grid of b_y rows and
    /// <see cref="Columns"/> columns: slice z at columns z (b_x + 1) + x, NaN in the blank columns between slices.
    /// </summary>
    public static double[,] SliceGrid(ReadOnlySpan<double> weights, int bx, int by, int bz)
    {
        var grid = new double[by, Columns(bx, bz)];
        for (int y = 0; y < by; y++)
            for (int c = 0; c < grid.GetLength(1); c++) grid[y, c] = double.NaN;
        for (int z = 0; z < bz; z++)
            for (int y = 0; y < by; y++)
                for (int x = 0; x < bx; x++)
                    grid[y, z * (bx + 1) + x] = weights[(z * by + y) * bx + x];
        return grid;
    }

    /// <summary>
    /// The tick labels of the x axis of a sliced grid: the x of each cell, and for a cubic block its slice as
    /// "z=k: x" at each slice's first column.
    /// </summary>
    internal static (double[] Positions, string[] Labels) XTicks(int bx, int bz)
    {
        var positions = new List<double>();
        var labels = new List<string>();
        for (int z = 0; z < bz; z++)
            for (int x = 0; x < bx; x++)
            {
                positions.Add(z * (bx + 1) + x);
                labels.Add(bz > 1 && x == 0 ? $"z={z}: {x}" : x.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        return (positions.ToArray(), labels.ToArray());
    }

    /// <summary>
    /// The panels of a filter of labels or with categorical units as one grid: panel (s, f) — hidden state s (row, top
    /// first), site feature f (column) — holds λ_js over the block at the feature f of each site, panels separated by
    /// one empty (NaN) row or column.
    /// </summary>
    public static double[,] PanelGrid(FilterSet filters, int hidden)
    {
        var f = filters.Filters;
        int bx = filters.BlockX, by = filters.BlockY, features = f.FeaturesPerSite, states = f.StateRows;
        var grid = new double[states * (by + 1) - 1, features * (bx + 1) - 1];
        for (int r = 0; r < grid.GetLength(0); r++) for (int c = 0; c < grid.GetLength(1); c++) grid[r, c] = double.NaN;
        for (int s = 0; s < states; s++)
        {
            var row = f.Row(hidden, s);
            for (int k = 0; k < features; k++)
                for (int y = 0; y < by; y++)
                    for (int x = 0; x < bx; x++)
                        grid[s * (by + 1) + y, k * (bx + 1) + x] = row[(y * bx + x) * features + k];
        }
        return grid;
    }

    private static Plot BuildPanels(FilterSet filters, int hidden)
    {
        var f = filters.Filters;
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        var plot = new Plot();
        var grid = PanelGrid(filters, hidden);
        int rows = grid.GetLength(0), columns = grid.GetLength(1), bx = filters.BlockX, by = filters.BlockY;
        double limit = SymmetricLimit(f.Row(hidden));
        var heatmap = plot.Add.Heatmap(grid);
        heatmap.Colormap = new ScottPlot.Colormaps.Balance();
        heatmap.ManualRange = new ScottPlot.Range(-limit, limit);
        heatmap.NaNCellColor = Colors.White;
        plot.Add.ColorBar(heatmap);
        if (filters.BlockSize <= 16 && rows * columns <= 400)
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++)
                {
                    if (double.IsNaN(grid[r, c])) continue;
                    var label = plot.Add.Text(grid[r, c].ToString("0.00", ci), c, rows - 1 - r);
                    label.LabelFontSize = 10;
                    label.LabelAlignment = Alignment.MiddleCenter;
                    label.LabelFontColor = Math.Abs(grid[r, c]) > 0.6 * limit ? Colors.White : Colors.Black;
                }
        bool categorical = f.HiddenStates > 2;
        string bias = string.Join(", ", f.UnitBias(hidden).ToArray().Select(b => b.ToString("0.00", ci)));
        plot.Title($"{filters.Model}: hidden unit {hidden + 1} of {filters.Hidden} ({filters.Estimator}, "
            + (categorical ? $"{f.HiddenStates} states, biases {bias})" : $"bias {bias})"));
        plot.Axes.Title.Label.FontSize = 12;
        plot.HideGrid();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, f.StateRows).Select(s => rows - 1 - (s * (by + 1) + (by - 1) / 2.0)).ToArray(),
            Enumerable.Range(0, f.StateRows).Select(s => categorical ? $"state {s}" : "h = +1").ToArray());
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, f.FeaturesPerSite).Select(k => k * (bx + 1) + (bx - 1) / 2.0).ToArray(),
            Enumerable.Range(0, f.FeaturesPerSite).Select(k => f.FeaturesPerSite == 1 ? "spin" : $"label {k}").ToArray());
        plot.XLabel("site label (each panel: the block, x to the right, y down)");
        plot.YLabel(categorical ? "hidden state" : "");
        return plot;
    }

    private static Plot Build(FilterSet filters, int hidden)
    {
        var plot = new Plot();
        var grid = Grid(filters, hidden);
        double limit = SymmetricLimit(filters.Filter(hidden));
        var heatmap = plot.Add.Heatmap(grid);
        heatmap.Colormap = new ScottPlot.Colormaps.Balance();
        heatmap.ManualRange = new ScottPlot.Range(-limit, limit);
        heatmap.NaNCellColor = Colors.White;
        plot.Add.ColorBar(heatmap);
        int bz = filters.BlockZ ?? 1;
        if (filters.BlockSize <= 64)
        {
            for (int y = 0; y < filters.BlockY; y++)
                for (int x = 0; x < grid.GetLength(1); x++)
                {
                    if (double.IsNaN(grid[y, x])) continue;
                    var label = plot.Add.Text(grid[y, x].ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), x, filters.BlockY - 1 - y);
                    label.LabelFontSize = filters.BlockSize <= 16 ? 16 : 10;
                    label.LabelAlignment = Alignment.MiddleCenter;
                    label.LabelFontColor = Math.Abs(grid[y, x]) > 0.6 * limit ? Colors.White : Colors.Black;
                }
        }
        plot.Title($"{filters.Model}: filter of hidden unit {hidden + 1} of {filters.Hidden} ({filters.Estimator}, bias {filters.Bias[hidden]:0.00})");
        plot.Axes.Title.Label.FontSize = 12;
        plot.HideGrid();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(Enumerable.Range(0, filters.BlockY).Select(y => (double)y).ToArray(),
            Enumerable.Range(0, filters.BlockY).Select(y => (filters.BlockY - 1 - y).ToString()).ToArray());
        var (ticks, tickLabels) = XTicks(filters.BlockX, bz);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, tickLabels);
        plot.XLabel(bz > 1 ? $"x, in slices z = 0 … {bz - 1} from left to right" : "x");
        plot.YLabel("y");
        return plot;
    }
}
