using Rsmi.Filters;
using Rsmi.IO;
using Rsmi.Plots.Filters;
using ScottPlot;

namespace Rsmi.Plots.Report;

/// <summary>Figures made for the study report: mutual-information histories and a panel of filters, as PNG and SVG.</summary>
public static class ReportFigures
{
    /// <summary>The MI estimate (bits) against training progress for each labelled history, with its moving average when given.</summary>
    public static Plot MutualInformationHistories(IReadOnlyList<(string Label, double[] History, double[]? MovingAverage)> histories)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < histories.Count; i++)
        {
            var (label, history, average) = histories[i];
            if (history.Length == 0) continue;
            double[] xs = Enumerable.Range(0, history.Length).Select(k => (double)k / Math.Max(1, history.Length - 1)).ToArray();
            var colour = palette.GetColor(i);
            var raw = plot.Add.Scatter(xs, history, colour.WithAlpha(average is null ? 1.0 : 0.35));
            raw.MarkerSize = 0;
            raw.LegendText = average is null ? label : $"{label} (estimate)";
            if (average is not null && average.Length == history.Length)
            {
                var avg = plot.Add.Scatter(xs, average, colour);
                avg.MarkerSize = 0;
                avg.LineWidth = 2;
                avg.LegendText = $"{label} (moving average)";
            }
        }
        plot.Title("Mutual information estimate during training");
        plot.XLabel("fraction of training");
        plot.YLabel("I(H:E) estimate [bits]");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>All hidden units of a filter set side by side as one heatmap (units separated by a blank column; a cubic
    /// block's unit as its z slices side by side, <see cref="FilterHeatmap.SliceGrid"/>).</summary>
    public static Plot FilterPanel(FilterSet filters, string title)
    {
        int bx = filters.BlockX, by = filters.BlockY, bz = filters.BlockZ ?? 1, nh = filters.Hidden;
        int unit = FilterHeatmap.Columns(bx, bz);
        var grid = new double[by, nh * (unit + 1) - 1];
        for (int y = 0; y < by; y++)
            for (int c = 0; c < grid.GetLength(1); c++) grid[y, c] = double.NaN;
        double limit = 1e-12;
        for (int j = 0; j < nh; j++)
            for (int z = 0; z < bz; z++)
                for (int y = 0; y < by; y++)
                    for (int x = 0; x < bx; x++)
                    {
                        double w = filters.Weight(j, x, y, z);
                        grid[y, j * (unit + 1) + z * (bx + 1) + x] = w;
                        limit = Math.Max(limit, Math.Abs(w));
                    }
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(grid);
        heatmap.Colormap = new ScottPlot.Colormaps.Balance();
        heatmap.ManualRange = new ScottPlot.Range(-limit, limit);
        heatmap.NaNCellColor = Colors.White;
        plot.Add.ColorBar(heatmap);
        plot.Title(title);
        plot.Axes.Frameless();
        plot.HideGrid();
        return plot;
    }

    /// <summary>Writes <paramref name="plot"/> as <c>BASE.png</c> (and <c>BASE.svg</c> when asked), atomically; returns the PNG bytes.</summary>
    public static byte[] Save(Plot plot, string basePath, int width, int height, bool svg)
    {
        AtomicFile.WriteVia(basePath + ".png", tmp => plot.SavePng(tmp, width, height));
        if (svg) SvgExport.Save(plot, basePath + ".svg", width, height);
        return File.ReadAllBytes(basePath + ".png");
    }
}
