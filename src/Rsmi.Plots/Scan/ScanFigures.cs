using System.Globalization;
using Rsmi.IO;
using Rsmi.Scanning;
using ScottPlot;

namespace Rsmi.Plots.Scan;

/// <summary>
/// Figures of a mutual-information scan (docs/scan.md): I(H:E) against the buffer for every file (logarithmic axis,
/// with the fitted e^{−2 L_B/ξ}), I(H:E) against the file's parameter for every buffer, and the fitted correlation
/// length against the parameter, optionally with a reference curve. Each figure is a PNG with an SVG beside it, written
/// atomically.
/// </summary>
public static class ScanFigures
{
    private const int Width = 900, Height = 650;

    /// <summary>A curve drawn with the correlation lengths (e.g. an exact result), as a name and a function of the parameter.</summary>
    public sealed record Reference(string Name, Func<double, double> Value);

    /// <summary>Writes the figures of <paramref name="entries"/> into <paramref name="directory"/> (which must exist) and returns the paths written.</summary>
    public static IReadOnlyList<string> WriteAll(IReadOnlyList<ScanEntry> entries, string directory, Reference? reference = null, bool svg = true)
    {
        var written = new List<string>();
        written.AddRange(Save(InformationByBuffer(entries), Path.Combine(directory, "scan_information_buffer"), svg));
        written.AddRange(Save(InformationByParameter(entries), Path.Combine(directory, "scan_information_parameter"), svg));
        written.AddRange(Save(CorrelationLengths(entries, reference), Path.Combine(directory, "scan_correlation_length"), svg));
        if (entries.Any(e => e.Overlaps.Count > 0))
            written.AddRange(Save(Overlaps(entries), Path.Combine(directory, "scan_filter_overlaps"), svg));
        return written;
    }

    private static Color ColourOf(int i, int n)
    {
        double f = n <= 1 ? 0.5 : i / (double)(n - 1);
        return new Color((byte)(30 + 200 * f), (byte)(60 + 40 * (1 - Math.Abs(2 * f - 1))), (byte)(30 + 200 * (1 - f)));
    }

    private static string Label(ScanEntry e, bool withHidden)
    {
        string name = double.IsFinite(e.ParameterValue)
            ? string.Create(CultureInfo.InvariantCulture, $"{Symbol(e.ParameterName)} = {e.ParameterValue:G5}")
            : Path.GetFileName(e.File);
        return withHidden ? $"{name}, N_h = {e.Hidden}" : name;
    }

    private static string Symbol(string parameter) => parameter == "temperature" ? "T" : parameter;

    /// <summary>The entries in increasing order of the parameter (files without one last, in the order given).</summary>
    private static ScanEntry[] Ordered(IReadOnlyList<ScanEntry> entries) =>
        entries.Select((e, i) => (e, i)).OrderBy(p => double.IsFinite(p.e.ParameterValue) ? p.e.ParameterValue : double.MaxValue).ThenBy(p => p.i).Select(p => p.e).ToArray();

    /// <summary>
    /// log₁₀ I(H:E) against L_B, one colour per file (cold blue to hot red): the points whose estimate is positive, with
    /// their error bars, and the fitted e^{a − 2 L_B/ξ} drawn dashed over its fit window.
    /// </summary>
    public static Plot InformationByBuffer(IReadOnlyList<ScanEntry> entries)
    {
        var plot = new Plot();
        var ordered = Ordered(entries);
        bool hidden = entries.Select(e => e.Hidden).Distinct().Count() > 1;
        double lowest = double.PositiveInfinity;
        for (int i = 0; i < ordered.Length; i++)
        {
            var e = ordered[i];
            var colour = ColourOf(i, ordered.Length);
            var shown = Enumerable.Range(0, e.Buffers.Length).Where(k => e.Bits[k] > 0 && double.IsFinite(e.Bits[k])).ToArray();
            if (shown.Length == 0) continue;
            double[] xs = shown.Select(k => (double)e.Buffers[k]).ToArray();
            double[] ys = shown.Select(k => Math.Log10(e.Bits[k])).ToArray();
            lowest = Math.Min(lowest, ys.Min());
            var line = plot.Add.Scatter(xs, ys, colour);
            line.LineWidth = 0;
            line.MarkerSize = 7;
            line.LegendText = Label(e, hidden) + (double.IsFinite(e.CorrelationLength)
                ? string.Create(CultureInfo.InvariantCulture, $" (ξ = {e.CorrelationLength:F2} ± {e.CorrelationLengthError:F2})") : "");
            var up = shown.Select((k, j) => Math.Log10(e.Bits[k] + Err(e.Errors[k])) - ys[j]).ToArray();
            var down = shown.Select((k, j) => e.Bits[k] - Err(e.Errors[k]) > 0 ? ys[j] - Math.Log10(e.Bits[k] - Err(e.Errors[k])) : 0.5).ToArray();
            var bars = plot.Add.ErrorBar(xs, ys, up);
            bars.YErrorPositive = up;
            bars.YErrorNegative = down;
            bars.Color = colour;
            if (double.IsFinite(e.CorrelationLength) && e.FitBuffers.Length >= 2 && double.IsFinite(e.Intercept))
            {
                // the fitted ρ² = e^{a − 2 L_B/ξ} drawn as I = −½ log₂(1 − ρ²) over the fit window
                double x0 = e.FitBuffers[0], x1 = e.FitBuffers[^1];
                double[] fx = Enumerable.Range(0, 21).Select(k => x0 + (x1 - x0) * k / 20.0).ToArray();
                double[] fy = fx.Select(x => Math.Log10(CorrelationLengthFit.Bits(e.Intercept - 2 * x / e.CorrelationLength))).ToArray();
                var fit = plot.Add.Scatter(fx, fy, colour);
                fit.MarkerSize = 0;
                fit.LinePattern = LinePattern.Dashed;
                fit.LineWidth = 2;
            }
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            LabelFormatter = y => Math.Pow(10, y).ToString("G3", CultureInfo.InvariantCulture),
        };
        if (double.IsFinite(lowest)) plot.Axes.SetLimitsY(Math.Floor(lowest - 0.3), Math.Max(0, entries.SelectMany(e => e.Bits).Where(b => b > 0).Select(Math.Log10).DefaultIfEmpty(0).Max() + 0.2));
        plot.Title("Mutual information against the buffer (dashed: fitted ρ² ∝ e^(−2 L_B/ξ))");
        plot.XLabel("buffer L_B");
        plot.YLabel("I(H:E) (bits)");
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }

    private static double Err(double e) => double.IsFinite(e) ? e : 0;

    /// <summary>I(H:E) against the files' parameter, one line per buffer (and N_h), with error bars.</summary>
    public static Plot InformationByParameter(IReadOnlyList<ScanEntry> entries)
    {
        var plot = new Plot();
        var ordered = Ordered(entries).Where(e => double.IsFinite(e.ParameterValue)).ToArray();
        var series = ordered.SelectMany(e => e.Buffers.Select(b => (Buffer: b, e.Hidden))).Distinct().OrderBy(s => s.Hidden).ThenBy(s => s.Buffer).ToArray();
        bool hidden = entries.Select(e => e.Hidden).Distinct().Count() > 1;
        for (int i = 0; i < series.Length; i++)
        {
            var (b, nh) = series[i];
            var points = ordered.Where(e => e.Hidden == nh).Select(e => (e, k: Array.IndexOf(e.Buffers, b))).Where(p => p.k >= 0 && double.IsFinite(p.e.Bits[p.k])).ToArray();
            if (points.Length == 0) continue;
            double[] xs = points.Select(p => p.e.ParameterValue).ToArray();
            double[] ys = points.Select(p => p.e.Bits[p.k]).ToArray();
            var colour = ColourOf(i, series.Length);
            var line = plot.Add.Scatter(xs, ys, colour);
            line.LegendText = hidden ? $"L_B = {b}, N_h = {nh}" : $"L_B = {b}";
            var bars = plot.Add.ErrorBar(xs, ys, points.Select(p => Err(p.e.Errors[p.k])).ToArray());
            bars.Color = colour;
        }
        plot.Add.HorizontalLine(0, 1, Colors.Gray, LinePattern.Dashed);
        string parameter = ordered.Select(e => e.ParameterName).FirstOrDefault() ?? "temperature";
        plot.Title($"Mutual information against {parameter}, per buffer");
        plot.XLabel(parameter == "temperature" ? "temperature T" : parameter);
        plot.YLabel("I(H:E) (bits)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>The fitted ξ against the parameter with error bars, and <paramref name="reference"/> when given.</summary>
    public static Plot CorrelationLengths(IReadOnlyList<ScanEntry> entries, Reference? reference = null)
    {
        var plot = new Plot();
        var ordered = Ordered(entries).Where(e => double.IsFinite(e.ParameterValue)).ToArray();
        var hiddens = ordered.Select(e => e.Hidden).Distinct().OrderBy(h => h).ToArray();
        for (int i = 0; i < hiddens.Length; i++)
        {
            var points = ordered.Where(e => e.Hidden == hiddens[i] && double.IsFinite(e.CorrelationLength)).ToArray();
            if (points.Length == 0) continue;
            double[] xs = points.Select(e => e.ParameterValue).ToArray();
            double[] ys = points.Select(e => e.CorrelationLength).ToArray();
            var colour = hiddens.Length == 1 ? Colors.Black : ColourOf(i, hiddens.Length);
            var line = plot.Add.Scatter(xs, ys, colour);
            line.LineWidth = 0;
            line.MarkerSize = 8;
            line.LegendText = $"ξ from I(H:E) against L_B, N_h = {hiddens[i]}";
            var bars = plot.Add.ErrorBar(xs, ys, points.Select(e => Err(e.CorrelationLengthError)).ToArray());
            bars.Color = colour;
        }
        if (reference is not null && ordered.Length > 0)
        {
            double lo = ordered.Min(e => e.ParameterValue), hi = ordered.Max(e => e.ParameterValue);
            if (hi > lo)
            {
                double[] xs = Enumerable.Range(0, 101).Select(k => lo + (hi - lo) * k / 100.0).ToArray();
                var curve = plot.Add.Scatter(xs, xs.Select(reference.Value).ToArray(), Colors.Gray);
                curve.MarkerSize = 0;
                curve.LinePattern = LinePattern.Dashed;
                curve.LegendText = reference.Name;
            }
        }
        string parameter = ordered.Select(e => e.ParameterName).FirstOrDefault() ?? "temperature";
        plot.Title("Correlation length from the decay of the mutual information");
        plot.XLabel(parameter == "temperature" ? "temperature T" : parameter);
        plot.YLabel("ξ (lattice spacings)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>
    /// Where two overlap curves cross: for points (x_i, a_i, b_i) in increasing order of x, every x_i where d = a − b is
    /// zero and every x* between consecutive points where d changes sign, by linear interpolation of d,
    /// <code>x* = x_i + (x_{i+1} − x_i) d_i / (d_i − d_{i+1}).</code>
    /// </summary>
    public static IReadOnlyList<double> Crossings(IReadOnlyList<double> x, IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var found = new List<double>();
        for (int i = 0; i < x.Count; i++)
        {
            double d0 = a[i] - b[i];
            if (d0 == 0) { found.Add(x[i]); continue; }
            if (i + 1 == x.Count) break;
            double d1 = a[i + 1] - b[i + 1];
            if (d1 != 0 && (d0 < 0) != (d1 < 0)) found.Add(x[i] + (x[i + 1] - x[i]) * d0 / (d0 - d1));
        }
        return found;
    }

    /// <summary>
    /// The reported filters' overlap with each pattern set (docs/scan.md, "Filters across the transition") against the
    /// files' parameter: one colour per buffer, a solid line for the first pattern set and dashed lines for the others.
    /// With two pattern sets, a dotted vertical line marks each value of the parameter where their curves cross
    /// (<see cref="Crossings"/>): the crossover from filters of one set to filters of the other.
    /// </summary>
    public static Plot Overlaps(IReadOnlyList<ScanEntry> entries)
    {
        var plot = new Plot();
        var ordered = Ordered(entries).Where(e => double.IsFinite(e.ParameterValue) && e.Overlaps.Count > 0).ToArray();
        var names = ordered.SelectMany(e => e.Overlaps.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToArray();
        var series = ordered.SelectMany(e => e.Buffers.Select(b => (Buffer: b, e.Hidden))).Distinct().OrderBy(s => s.Hidden).ThenBy(s => s.Buffer).ToArray();
        bool hidden = entries.Select(e => e.Hidden).Distinct().Count() > 1;
        var patterns = new[] { LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed };
        for (int n = 0; n < names.Length; n++)
            for (int i = 0; i < series.Length; i++)
            {
                var (b, nh) = series[i];
                var points = ordered.Where(e => e.Hidden == nh && e.Overlaps.ContainsKey(names[n]))
                    .Select(e => (e, k: Array.IndexOf(e.Buffers, b))).Where(p => p.k >= 0 && double.IsFinite(p.e.Overlaps[names[n]][p.k])).ToArray();
                if (points.Length == 0) continue;
                var line = plot.Add.Scatter(points.Select(p => p.e.ParameterValue).ToArray(), points.Select(p => p.e.Overlaps[names[n]][p.k]).ToArray(),
                    series.Length == 1 ? ColourOf(n, names.Length) : ColourOf(i, series.Length));
                line.LinePattern = patterns[n % patterns.Length];
                line.LegendText = $"{names[n].Replace('_', ' ')}, L_B = {b}" + (hidden ? $", N_h = {nh}" : "");
            }
        if (names.Length == 2)
            for (int i = 0; i < series.Length; i++)
            {
                var (b, nh) = series[i];
                var points = ordered.Where(e => e.Hidden == nh).Select(e => (e, k: Array.IndexOf(e.Buffers, b)))
                    .Where(p => p.k >= 0 && p.e.Overlaps.TryGetValue(names[0], out var u) && p.e.Overlaps.TryGetValue(names[1], out var v)
                        && double.IsFinite(u[p.k]) && double.IsFinite(v[p.k])).ToArray();
                foreach (double x in Crossings(points.Select(p => p.e.ParameterValue).ToArray(),
                    points.Select(p => p.e.Overlaps[names[0]][p.k]).ToArray(), points.Select(p => p.e.Overlaps[names[1]][p.k]).ToArray()))
                {
                    var marker = plot.Add.VerticalLine(x, 1, series.Length == 1 ? Colors.Gray : ColourOf(i, series.Length));
                    marker.LinePattern = LinePattern.Dotted;
                    marker.LegendText = string.Create(CultureInfo.InvariantCulture, $"crossover, L_B = {b}{(hidden ? $", N_h = {nh}" : "")}: {x:G3}");
                }
            }
        string parameter = ordered.Select(e => e.ParameterName).FirstOrDefault() ?? "temperature";
        plot.Axes.SetLimitsY(0, 1.05);
        plot.Title("Overlap of the learned filters with known patterns");
        plot.XLabel(parameter == "temperature" ? "temperature T" : parameter);
        plot.YLabel("overlap (share of squared weight in the span)");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    private static IEnumerable<string> Save(Plot plot, string stem, bool withSvg)
    {
        string png = stem + ".png", svg = stem + ".svg";
        AtomicFile.WriteVia(png, p => plot.SavePng(p, Width, Height));
        if (!withSvg) return [png];
        SvgExport.Save(plot, svg, Width, Height);
        return [png, svg];
    }
}
