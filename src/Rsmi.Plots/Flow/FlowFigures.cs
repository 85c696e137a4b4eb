using Rsmi.IO;
using Rsmi.Models.Ising.Exact;
using Rsmi.Renormalization;
using ScottPlot;

namespace Rsmi.Plots.Flow;

/// <summary>
/// Figures of an RG flow study (Koch-Janusz &amp; Ringel 2018, Fig. 5): T_eff/T_c against the RG step and against
/// log_b(ξ_0/ξ) (b the block size) for every starting temperature, the learned filters at every step, and the mutual information per
/// step. Each figure is written as PNG and SVG, atomically.
/// </summary>
public static class FlowFigures
{
    private const int Width = 900, Height = 650;

    /// <summary>
    /// Writes every figure of <paramref name="result"/> into <paramref name="directory"/> (which must exist) and
    /// returns the paths written. <paramref name="criticalTemperature"/> is the T_c used for the axes (the exact
    /// value for Ising, or the study's estimate). Each figure is a PNG, with an SVG beside it when <paramref name="svg"/>.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(FlowResult result, string directory, double criticalTemperature, bool svg = true)
    {
        var written = new List<string>();
        written.AddRange(Save(FlowByStep(result, criticalTemperature), Path.Combine(directory, "flow_temperature"), svg));
        written.AddRange(Save(FlowByCorrelationLength(result, criticalTemperature), Path.Combine(directory, "flow_correlation_length"), svg));
        if (result.Flows.Any(f => f.Steps.Any(s => s.MutualInformation.HasValue)))
            written.AddRange(Save(MutualInformation(result, criticalTemperature), Path.Combine(directory, "mutual_information"), svg));
        if (result.Flows.Any(f => f.Steps.Any(s => s.Filters is not null)))
            written.AddRange(Save(Filters(result, criticalTemperature), Path.Combine(directory, "filters"), svg));
        return written;
    }

    private static Color ColourOf(int i, int n)
    {
        // Blue (cold) to red (hot), as in Fig. 5.
        double f = n <= 1 ? 0.5 : i / (double)(n - 1);
        return new Color((byte)(30 + 200 * f), (byte)(60 + 40 * (1 - Math.Abs(2 * f - 1))), (byte)(30 + 200 * (1 - f)));
    }

    /// <summary>T_eff/T_c against the RG step, one line per starting temperature, with error bars.</summary>
    public static Plot FlowByStep(FlowResult result, double tc)
    {
        var plot = new Plot();
        int n = result.Flows.Count;
        for (int i = 0; i < n; i++)
        {
            var f = result.Flows[i];
            double[] xs = f.Steps.Select(s => (double)s.Step).ToArray();
            double[] ys = f.Steps.Select(s => s.Thermometry.EffectiveTemperature.Value / tc).ToArray();
            double[] es = f.Steps.Select(s => s.Thermometry.EffectiveTemperature.Error / tc).ToArray();
            var colour = ColourOf(i, n);
            var line = plot.Add.Scatter(xs, ys, colour);
            line.LegendText = $"T₀/T_c = {f.Temperature / tc:F3}";
            var bars = plot.Add.ErrorBar(xs, ys, es);
            bars.Color = colour;
        }
        plot.Add.HorizontalLine(1.0, 1, Colors.Gray, LinePattern.Dashed);
        plot.Title($"RG flow of {ModelTitle(result)} ({result.Estimator}, {result.Size}×{result.Size}, b = {result.Block})");
        // As in Fig. 5: the region 0 ≤ T_eff/T_c ≤ 2.5; points beyond (deep in the paramagnet) run off the top.
        double top = result.Flows.SelectMany(f => f.Steps).Select(s => s.Thermometry.EffectiveTemperature.Value / tc).Where(double.IsFinite).DefaultIfEmpty(1).Max();
        plot.Axes.SetLimits(-0.2, result.Steps + 0.2, 0, Math.Min(2.5, top * 1.05));
        plot.XLabel("RG step k");
        plot.YLabel("T_eff / T_c");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>Smallest correlation length (lattice spacings of the current step) plotted against log_b(ξ_0/ξ).</summary>
    public const double MinimumCorrelationLength = 0.5;

    /// <summary>T_eff/T_c against log_b(ξ_0/ξ_k) (second-moment lengths; an ideal RG step divides ξ by b, one unit), as in Fig. 5;
    /// points with ξ_k &lt; <see cref="MinimumCorrelationLength"/> are left out.</summary>
    public static Plot FlowByCorrelationLength(FlowResult result, double tc)
    {
        var plot = new Plot();
        int n = result.Flows.Count;
        for (int i = 0; i < n; i++)
        {
            var f = result.Flows[i];
            double xi0 = f.Steps[0].Thermometry.CorrelationLength.Value;
            // Points whose second-moment length is below half a lattice spacing are left out: there the estimator is
            // dominated by noise and log_b(ξ_0/ξ) runs off to meaningless values.
            var points = f.Steps.Where(s => s.Thermometry.CorrelationLength.Value >= MinimumCorrelationLength)
                .Select(s => (X: Math.Log(xi0 / s.Thermometry.CorrelationLength.Value) / Math.Log(result.Block), Y: s.Thermometry.EffectiveTemperature.Value / tc))
                .Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray();
            if (points.Length == 0) continue;
            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), ColourOf(i, n));
            line.LegendText = $"T₀/T_c = {f.Temperature / tc:F3}";
        }
        plot.Add.HorizontalLine(1.0, 1, Colors.Gray, LinePattern.Dashed);
        plot.Title("RG flow against the correlation length");
        plot.XLabel($"{LogName(result.Block)}(ξ_{result.Size} / ξ)");
        plot.YLabel("T_eff / T_c");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>The estimator's I_Λ(H:E) in bits at every step, one line per starting temperature.</summary>
    public static Plot MutualInformation(FlowResult result, double tc)
    {
        var plot = new Plot();
        int n = result.Flows.Count;
        for (int i = 0; i < n; i++)
        {
            var f = result.Flows[i];
            var steps = f.Steps.Where(s => s.MutualInformation.HasValue).ToArray();
            if (steps.Length == 0) continue;
            double[] xs = steps.Select(s => (double)s.Step).ToArray();
            double[] ys = steps.Select(s => s.MutualInformation!.Value.Value).ToArray();
            var colour = ColourOf(i, n);
            var line = plot.Add.Scatter(xs, ys, colour);
            line.LegendText = $"T₀/T_c = {f.Temperature / tc:F3}";
            if (steps.All(s => !double.IsNaN(s.MutualInformation!.Value.Error)))
            {
                var bars = plot.Add.ErrorBar(xs, ys, steps.Select(s => s.MutualInformation!.Value.Error).ToArray());
                bars.Color = colour;
            }
        }
        plot.Title($"Mutual information I(H:E) per RG step ({result.Estimator})");
        plot.XLabel("RG step k");
        plot.YLabel("I(H:E) (bits)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>
    /// The learned filters λ (first coarse spin) as heatmaps on one colour scale: one row per starting temperature
    /// (coldest at the top), one column per RG step.
    /// </summary>
    public static Plot Filters(FlowResult result, double tc)
    {
        var plot = new Plot();
        var rows = result.Flows.Where(f => f.Steps.Any(s => s.Filters is not null)).ToArray();
        int b = result.Block;
        double max = rows.SelectMany(f => f.Steps).Where(s => s.Filters is not null).SelectMany(s => SiteWeights(s.Filters!)).Select(Math.Abs).DefaultIfEmpty(1).Max();
        ScottPlot.Plottables.Heatmap? last = null;
        for (int r = 0; r < rows.Length; r++)
        {
            foreach (var step in rows[r].Steps.Where(s => s.Filters is not null))
            {
                var grid = new double[b, b];
                var sites = SiteWeights(step.Filters!);
                for (int y = 0; y < b; y++) for (int x = 0; x < b; x++) grid[y, x] = sites[y * b + x];
                var hm = plot.Add.Heatmap(grid);
                double left = (step.Step - 1) * (b + 1), top = -r * (b + 1);
                hm.Rectangle = new CoordinateRect(left, left + b, top - b, top);
                hm.ManualRange = new ScottPlot.Range(-max, max);
                hm.Colormap = new ScottPlot.Colormaps.MellowRainbow();
                last = hm;
            }
            var label = plot.Add.Text($"T₀/T_c = {rows[r].Temperature / tc:F3}", -1.0, -r * (b + 1) - b / 2.0);
            label.Alignment = Alignment.MiddleRight;
            label.LabelFontSize = 11;
        }
        for (int k = 1; k <= result.Steps; k++)
        {
            var label = plot.Add.Text($"k = {k}", (k - 1) * (b + 1) + b / 2.0, 0.8);
            label.Alignment = Alignment.LowerCenter;
            label.LabelFontSize = 11;
        }
        if (last is not null) plot.Add.ColorBar(last);
        plot.Title($"Filters λ learned at each RG step ({result.Estimator})");
        plot.Axes.SetLimits(-4 * (b + 1), result.Steps * (b + 1), -rows.Length * (b + 1), 2);
        plot.HideGrid();
        plot.Axes.Frameless();
        return plot;
    }

    /// <summary>"the 2D Ising model", "the 3-state Potts model" (from the recorded q), or the model's name.</summary>
    private static string ModelTitle(FlowResult result) =>
        result.Model == Rsmi.Models.ModelCatalog.Ising2DName ? "the 2D Ising model"
        : result.ModelParameters.TryGetValue("q", out long q) ? $"the {q}-state Potts model" : result.Model;

    /// <summary>
    /// One number per block site for the first coarse variable's filter: λ_i for a spin filter; for a filter of q-state
    /// labels or with categorical units, the weight by which site i pulls each state towards its most favoured label,
    /// mean over the states s of max_a λ_{s,i,a} − mean_a λ_{s,i,a} (equal at every site for the plurality rule).
    /// </summary>
    public static double[] SiteWeights(Rsmi.Filters.FilterParameters filters)
    {
        if (filters.IsSpinFilter) return filters.Row(0)[..filters.Visible].ToArray();
        int f = filters.FeaturesPerSite, rows = filters.StateRows;
        var result = new double[filters.Visible];
        for (int s = 0; s < rows; s++)
        {
            var row = filters.Row(0, s);
            for (int i = 0; i < filters.Visible; i++)
            {
                var w = row.Slice(i * f, f);
                double max = double.NegativeInfinity, mean = 0;
                foreach (double x in w) { max = Math.Max(max, x); mean += x; }
                result[i] += (f == 1 ? w[0] : max - mean / f) / rows;
            }
        }
        return result;
    }

    /// <summary>"log₂", "log₃", … for the block size b.</summary>
    public static string LogName(int b) => "log" + string.Concat(b.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(c => (char)('₀' + (c - '0'))));

    private static IEnumerable<string> Save(Plot plot, string stem, bool withSvg)
    {
        string png = stem + ".png", svg = stem + ".svg";
        AtomicFile.WriteVia(png, p => plot.SavePng(p, Width, Height));
        if (!withSvg) return [png];
        SvgExport.Save(plot, svg, Width, Height);
        return [png, svg];
    }

}
