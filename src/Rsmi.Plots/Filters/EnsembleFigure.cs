using System.Globalization;
using Rsmi.Filters;
using Rsmi.IO;
using ScottPlot;

namespace Rsmi.Plots.Filters;

/// <summary>
/// The symmetry analysis of an ensemble of filters in one picture (<c>NAME.ensemble.png</c> next to the heatmaps):
/// one row per hidden unit of the chosen filters with the aligned members' mean filter and the leading principal
/// components of their unit-length filters (<see cref="EnsembleAnalysis"/>), each a heatmap over the block on the
/// same diverging colormap as <see cref="FilterHeatmap"/>, with the share of the variance in the title; below, one
/// bar per member with its alignment to the chosen member (mean |cos| over hidden units).
/// </summary>
public static class EnsembleFigure
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The picture file of the ensemble of a filters file <paramref name="filtersPath"/>: <c>NAME.ensemble.png</c> next to <c>NAME.json</c>.</summary>
    public static string PathFor(string filtersPath)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(filtersPath)) ?? ".";
        return Path.Combine(dir, $"{Path.GetFileNameWithoutExtension(filtersPath)}.ensemble.png");
    }

    /// <summary>Writes <c>NAME.ensemble.png</c> next to <paramref name="filtersPath"/> (atomically) and returns its path.</summary>
    /// <param name="analysis">The analysis to draw.</param>
    /// <param name="filtersPath">The filters file the picture belongs to.</param>
    /// <param name="components">How many principal components per hidden unit to draw (1 or 2 reads best).</param>
    /// <param name="memberLabels">Optional bar labels, one per member (e.g. the members' seeds); default 1, 2, ….</param>
    public static string Write(EnsembleAnalysisResult analysis, string filtersPath, int components = 2, IReadOnlyList<string>? memberLabels = null)
    {
        string path = PathFor(filtersPath);
        WritePng(analysis, path, components, memberLabels);
        return path;
    }

    /// <summary>Writes the picture of <paramref name="analysis"/> to <paramref name="path"/> (PNG, atomically).</summary>
    /// <inheritdoc cref="Write(EnsembleAnalysisResult, string, int, IReadOnlyList{string}?)"/>
    public static void WritePng(EnsembleAnalysisResult analysis, string path, int components = 2, IReadOnlyList<string>? memberLabels = null)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentOutOfRangeException.ThrowIfLessThan(components, 1);
        if (memberLabels is not null && memberLabels.Count != analysis.Spread.Members)
            throw new ArgumentException($"Expected {analysis.Spread.Members} member labels, got {memberLabels.Count}.", nameof(memberLabels));

        int hidden = analysis.Hidden, bx = analysis.BlockX, by = analysis.BlockY, bz = analysis.BlockZ;
        int columnsPerPanel = FilterHeatmap.Columns(bx, bz);
        int columns = 1 + components;
        // Panel size: the block's cells at a readable size, plus room for the title, ticks and colour bar.
        int cell = Math.Clamp(260 / Math.Max(bx, by), 12, 90);
        int panelWidth = Math.Max(330, cell * columnsPerPanel + 170);
        int panelHeight = Math.Max(by == 1 ? 170 : 260, cell * by + 110);
        int barHeight = 230;
        int width = columns * panelWidth, height = hidden * panelHeight + barHeight;

        var multiplot = new Multiplot();
        var layout = new ScottPlot.MultiplotLayouts.CustomGrid();
        // Rows in units of 10 px so the heatmap rows and the bar row keep their heights.
        int unit = 10, rowUnits = panelHeight / unit, barUnits = barHeight / unit;
        int totalRows = hidden * rowUnits + barUnits;
        for (int j = 0; j < hidden; j++)
        {
            var pcs = analysis.Components.Units[j];
            var mean = multiplot.AddPlot();
            DrawHeatmap(mean, analysis.Components.MeanWeights[j], bx, by, bz,
                $"unit {j + 1}: aligned mean of {analysis.Spread.Members} (variance {pcs.TotalVariance.ToString("0.000", Inv)})");
            layout.Set(mean, new GridCell(j * rowUnits, 0, totalRows, columns, rowUnits, 1));
            for (int k = 0; k < components; k++)
            {
                var plot = multiplot.AddPlot();
                if (k < pcs.Components.Length)
                    DrawHeatmap(plot, pcs.Components[k], bx, by, bz,
                        $"unit {j + 1}: PC{k + 1}, {Percent(pcs.ExplainedVariance[k])} of the variance");
                else
                    DrawEmpty(plot, $"unit {j + 1}: PC{k + 1}", analysis.Spread.Members == 1 ? "one member: no spread"
                        : pcs.ExplainedVariance.Length == 0 ? "the members agree" : "no further component");
                layout.Set(plot, new GridCell(j * rowUnits, k + 1, totalRows, columns, rowUnits, 1));
            }
        }
        var bars = multiplot.AddPlot();
        DrawAlignment(bars, analysis, memberLabels);
        layout.Set(bars, new GridCell(hidden * rowUnits, 0, totalRows, columns, barUnits, columns));
        multiplot.Layout = layout;
        AtomicFile.WriteVia(path, tmp => multiplot.SavePng(tmp, width, height));
        foreach (var p in multiplot.GetPlots()) p.Dispose();
    }

    private static void DrawHeatmap(Plot plot, double[] weights, int bx, int by, int bz, string title)
    {
        var grid = FilterHeatmap.SliceGrid(weights, bx, by, bz);
        double limit = FilterHeatmap.SymmetricLimit(weights);
        var heatmap = plot.Add.Heatmap(grid);
        heatmap.Colormap = new ScottPlot.Colormaps.Balance();
        heatmap.ManualRange = new ScottPlot.Range(-limit, limit);
        heatmap.NaNCellColor = Colors.White;
        plot.Add.ColorBar(heatmap);
        if (bx * by * bz <= 16)
        {
            for (int y = 0; y < by; y++)
                for (int x = 0; x < grid.GetLength(1); x++)
                {
                    if (double.IsNaN(grid[y, x])) continue;
                    var label = plot.Add.Text(grid[y, x].ToString("0.00", Inv), x, by - 1 - y);
                    label.LabelFontSize = 13;
                    label.LabelAlignment = Alignment.MiddleCenter;
                    label.LabelFontColor = Math.Abs(grid[y, x]) > 0.6 * limit ? Colors.White : Colors.Black;
                }
        }
        plot.Title(title, 12);
        plot.HideGrid();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(Enumerable.Range(0, by).Select(y => (double)y).ToArray(),
            Enumerable.Range(0, by).Select(y => (by - 1 - y).ToString(Inv)).ToArray());
        var (ticks, tickLabels) = FilterHeatmap.XTicks(bx, bz);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, tickLabels);
    }

    /// <summary>A share of the variance as a percentage, with more digits for small shares.</summary>
    internal static string Percent(double fraction)
    {
        double p = 100 * fraction;
        if (p >= 1) return p.ToString("0.0", Inv) + "%";
        if (p >= 0.001) return p.ToString("0.###", Inv) + "%";
        return "< 0.001%";
    }

    private static void DrawEmpty(Plot plot, string title, string message)
    {
        plot.HideAxesAndGrid();
        plot.Title(title, 12);
        plot.Axes.Title.IsVisible = true;
        var text = plot.Add.Text(message, 0, 0);
        text.LabelFontSize = 13;
        text.LabelAlignment = Alignment.MiddleCenter;
        plot.Axes.SetLimits(-1, 1, -1, 1);
    }

    private static void DrawAlignment(Plot plot, EnsembleAnalysisResult analysis, IReadOnlyList<string>? labels)
    {
        var spread = analysis.Spread;
        var bars = new List<Bar>();
        for (int m = 0; m < spread.Members; m++)
        {
            bool chosen = m == spread.ChosenMember;
            bars.Add(new Bar
            {
                Position = m, Value = spread.Alignment[m],
                FillColor = chosen ? Colors.DarkOrange : Colors.SteelBlue,
                Label = spread.Alignment[m].ToString("0.000", Inv),
            });
        }
        var plottable = plot.Add.Bars(bars);
        plottable.ValueLabelStyle.FontSize = 11;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, spread.Members).Select(m => (double)m).ToArray(),
            Enumerable.Range(0, spread.Members).Select(m => (labels?[m] ?? (m + 1).ToString(Inv)) + (m == spread.ChosenMember ? " (chosen)" : "")).ToArray());
        plot.Axes.SetLimits(-0.6, spread.Members - 0.4, 0, 1.22);
        string mi = spread.MutualInformationBitsStd is double std
            ? $"I = {spread.MutualInformationBitsMean.ToString("0.000", Inv)} ± {std.ToString("0.000", Inv)} bits (mean ± s.d.)"
            : $"I = {spread.MutualInformationBitsMean.ToString("0.000", Inv)} bits";
        var whole = analysis.Components.Whole;
        string wholePc = whole.ExplainedVariance.Length > 0
            ? $"; all units together: PC1 {Percent(whole.ExplainedVariance[0])} of the variance"
            : "";
        plot.Title($"alignment with the chosen member (mean |cos| over units); {mi}{wholePc}", 12);
        plot.YLabel("alignment");
        plot.XLabel("member");
    }
}
