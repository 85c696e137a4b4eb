using System.Globalization;
using System.Text.RegularExpressions;
using Rsmi.IO;
using ScottPlot;

namespace Rsmi.Plots;

/// <summary>
/// Writes a figure as SVG whose dashed and dotted lines are SVG strokes with the PNG's dash pattern
/// (docs/contract.md, "Conventions"), without native warnings on standard error.
/// </summary>
/// <remarks>
/// ScottPlot draws SVG through Skia's SVG canvas, which has no dashed stroke: it turns each dashed path into the
/// filled outline of every dash (a heavy file whose lines are no longer lines), and every shape drawn with a paint
/// that still carries the dash (ScottPlot draws a scatter's markers, and their legend entries, with the paint of its
/// line) makes native Skia print "Unsupported path effect in addPaint." on the process's standard error: noise in
/// the terminal of <c>rsmi scan</c> and <c>rsmi run</c> (the scan's overlap figure). So, for the SVG only, every
/// patterned line style of the figure (<see cref="PatternedStyles"/>) is drawn solid in a stroke colour of its own
/// that no other stroke of the figure has (the figure is drawn once first with those lines solid to learn which
/// colours are taken), and each stroke of such a colour is then given back the line's colour together with an SVG
/// <c>stroke-dasharray</c> (and <c>stroke-dashoffset</c>) of the pattern's intervals: the dashes Skia draws in the
/// PNG, in the same units and with the line's own caps. The styles are restored afterwards, also when drawing fails,
/// so the plot and any PNG drawn from it before or after are exactly as without the SVG.
/// </remarks>
public static class SvgExport
{
    /// <summary>Writes <paramref name="plot"/> as SVG to <paramref name="path"/> atomically (see <see cref="AtomicFile"/>).</summary>
    public static void Save(Plot plot, string path, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(plot);
        AtomicFile.WriteText(path, w => w.Write(Xml(plot, width, height)));
    }

    /// <summary>The SVG document of <paramref name="plot"/> with the patterns of its lines as <c>stroke-dasharray</c>.</summary>
    public static string Xml(Plot plot, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(plot);
        var styles = PatternedStyles(plot);
        if (styles.Count == 0) return plot.GetSvgXml(width, height);
        var saved = styles.Select(s => (Style: s, s.Color, s.Pattern)).ToArray();
        try
        {
            foreach (var s in styles) s.Pattern = LinePattern.Solid;
            var taken = StrokeAttribute.Matches(plot.GetSvgXml(width, height)).Select(m => m.Groups[1].Value.ToUpperInvariant()).ToHashSet();
            var dashes = new Dictionary<string, string>(StringComparer.Ordinal);
            int candidate = 0x010000;
            foreach (var (style, colour, pattern) in saved)
            {
                // tags are #01xxxx: never one of the colours Skia writes by name (black, navy, …), so always written as hex
                string tag;
                do tag = Hex(++candidate); while (taken.Contains(tag));
                style.Color = new Color((byte)(candidate >> 16), (byte)(candidate >> 8), (byte)candidate, colour.Alpha);
                dashes[tag] = $"stroke=\"#{colour.Red:X2}{colour.Green:X2}{colour.Blue:X2}\" {DashAttributes(pattern)}";
            }
            return StrokeAttribute.Replace(plot.GetSvgXml(width, height),
                m => dashes.TryGetValue(m.Groups[1].Value.ToUpperInvariant(), out var replacement) ? replacement : m.Value);
        }
        finally
        {
            foreach (var (style, colour, pattern) in saved)
            {
                style.Color = colour;
                style.Pattern = pattern;
            }
        }
    }

    private static readonly Regex StrokeAttribute = new("\\bstroke=\"(#[0-9A-Fa-f]{6})\"", RegexOptions.CultureInvariant);

    private static string Hex(int rgb) => "#" + rgb.ToString("X6", CultureInfo.InvariantCulture);

    /// <summary>The SVG attributes of a dash pattern: <c>stroke-dasharray</c> with the pattern's intervals (on, off, …) and its phase as <c>stroke-dashoffset</c>.</summary>
    internal static string DashAttributes(LinePattern pattern)
    {
        string array = string.Join(" ", pattern.Intervals.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        return pattern.Phase == 0 ? $"stroke-dasharray=\"{array}\""
            : $"stroke-dasharray=\"{array}\" stroke-dashoffset=\"{pattern.Phase.ToString("R", CultureInfo.InvariantCulture)}\"";
    }

    /// <summary>
    /// The distinct line styles of the figure with a dash pattern: the lines of its plottables, the outlines of
    /// shapes and the lines and outlines of markers, and the same of the legend's manual entries (the legend's entries
    /// of plottables draw with the plottables' own styles).
    /// </summary>
    internal static List<LineStyle> PatternedStyles(Plot plot)
    {
        var found = new List<LineStyle>();
        void Add(LineStyle? style)
        {
            if (style is { Pattern.Intervals.Length: > 0 } && !found.Any(s => ReferenceEquals(s, style))) found.Add(style);
        }
        void AddOf(object item)
        {
            if (item is IHasLine line) Add(line.LineStyle);
            if (item is IHasOutline outline) Add(outline.OutlineStyle);
            if (item is LegendItem legend) Add(legend.OutlineStyle);
            if (item is IHasMarker { MarkerStyle: { } marker })
            {
                Add(marker.LineStyle);
                Add(marker.OutlineStyle);
            }
        }
        foreach (var plottable in plot.GetPlottables()) AddOf(plottable);
        foreach (var item in plot.Legend.ManualItems) AddOf(item);
        return found;
    }
}
