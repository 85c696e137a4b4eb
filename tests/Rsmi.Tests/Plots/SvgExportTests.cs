using System.Text.RegularExpressions;
using Rsmi.IO;
using Rsmi.Models.Dimers;
using Rsmi.Plots;
using Rsmi.Plots.Report;
using Rsmi.Tests.IO;
using Rsmi.Tests.Study;
using ScottPlot;

namespace Rsmi.Tests.Plots;

/// <summary>SVG figures keep the dash patterns of their lines (SvgExport), without touching the PNG or printing on standard error.</summary>
public class SvgExportTests
{
    private const int Width = 600, Height = 400;

    // none of these is a colour the SVG writer names (black, gray, …), so each is written as #RRGGBB
    private static readonly Color SolidColour = new(0x1F, 0x77, 0xB4), DashedColour = new(0xD6, 0x27, 0x28),
        DottedColour = new(0x2C, 0xA0, 0x2C), OutlineColour = new(0x94, 0x67, 0xBD);

    /// <summary>
    /// A solid line, a dashed line, a dotted vertical line and open-circle markers with a densely dashed outline, each
    /// with a legend entry.
    /// </summary>
    private static Plot Figure()
    {
        var plot = new Plot();
        var solid = plot.Add.Scatter(new double[] { 0, 1, 2, 3 }, new double[] { 0, 1, 0.5, 2 }, SolidColour);
        solid.LegendText = "solid";
        var dashed = plot.Add.Scatter(new double[] { 0, 1, 2, 3 }, new double[] { 2, 1.5, 1, 0 }, DashedColour);
        dashed.LinePattern = LinePattern.Dashed;
        dashed.LineWidth = 2;
        dashed.LegendText = "dashed";
        var dotted = plot.Add.VerticalLine(1.5, 1, DottedColour);
        dotted.LinePattern = LinePattern.Dotted;
        dotted.LegendText = "dotted";
        var circles = plot.Add.Scatter(new double[] { 0.5, 2.5 }, new double[] { 1, 1 }, OutlineColour);
        circles.LineWidth = 0;
        circles.MarkerShape = MarkerShape.OpenCircle;
        circles.MarkerSize = 12;
        circles.MarkerStyle.LineStyle.Pattern = LinePattern.DenselyDashed;
        circles.LegendText = "outlined markers";
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static string Hex(Color c) => $"#{c.Red:X2}{c.Green:X2}{c.Blue:X2}";

    private static readonly Regex StrokedElement = new("<[a-z]+ [^>]*\\bstroke=\"([^\"]+)\"[^>]*>");

    /// <summary>Every stroked element of <paramref name="svg"/> as its stroke colour and its dash array (null when solid).</summary>
    private static (string Colour, string? Dashes)[] Strokes(string svg) =>
        StrokedElement.Matches(svg).Select(m =>
        {
            var dash = Regex.Match(m.Value, "stroke-dasharray=\"([^\"]*)\"");
            return (m.Groups[1].Value, dash.Success ? dash.Groups[1].Value : (string?)null);
        }).ToArray();

    /// <summary>The document without dash attributes and with its clip-path ids (numbered by a counter of the process) numbered in order.</summary>
    private static string Undashed(string svg)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        return Regex.Replace(Regex.Replace(svg, " stroke-dash(array|offset)=\"[^\"]*\"", ""), "cl_[0-9a-f]+",
            m => ids.TryGetValue(m.Value, out var id) ? id : ids[m.Value] = $"clip{ids.Count}");
    }

    private static string Dashes(LinePattern pattern) => string.Join(" ", pattern.Intervals);

    [Fact]
    public void DashedAndDottedLinesAndTheirLegendEntriesCarryTheirPatternAndSolidOnesNone()
    {
        using var plot = Figure();
        var patterned = plot.GetPlottables().OfType<IHasLine>().Select(p => p.LineStyle)
            .Concat(plot.GetPlottables().OfType<IHasMarker>().Select(p => p.MarkerStyle.LineStyle)).ToArray();
        var before = patterned.Select(s => (s.Color, s.Pattern.Name)).ToArray();

        string svg = SvgExport.Xml(plot, Width, Height);

        // the plot is as it was
        Assert.Equal(before, patterned.Select(s => (s.Color, s.Pattern.Name)).ToArray());
        // the same document as the writer's own with every line drawn solid, but for the dash attributes
        var dashedStyles = patterned.Where(s => s.Pattern.Intervals.Length > 0).ToArray();
        foreach (var s in dashedStyles) s.Pattern = LinePattern.Solid;
        string solid = plot.GetSvgXml(Width, Height);
        Assert.Equal(Undashed(solid), Undashed(svg));

        var strokes = Strokes(svg);
        foreach (var (colour, pattern) in new[] { (DashedColour, LinePattern.Dashed), (DottedColour, LinePattern.Dotted), (OutlineColour, LinePattern.DenselyDashed) })
        {
            var ofColour = strokes.Where(s => s.Colour == Hex(colour)).ToArray();
            // in the data area and in the legend (the open circles: one per point, one in the legend)
            int expected = colour == OutlineColour ? 3 : 2;
            Assert.True(ofColour.Length == expected, $"{Hex(colour)}: {ofColour.Length} strokes, expected {expected}");
            Assert.All(ofColour, s => Assert.Equal(Dashes(pattern), s.Dashes));
        }
        var plain = strokes.Where(s => s.Colour == Hex(SolidColour)).ToArray();
        Assert.Equal(2, plain.Length);
        Assert.All(plain, s => Assert.Null(s.Dashes));
        // the dashed strokes are exactly those of the three patterned colours
        Assert.Equal(7, strokes.Count(s => s.Dashes is not null));
    }

    [Fact]
    public void ThePngIsTheSameWithAndWithoutTheSvg()
    {
        using var dir = new TempDirectory();
        using var withSvg = Figure();
        using var without = Figure();
        byte[] first = ReportFigures.Save(withSvg, dir.File("with"), Width, Height, svg: true);
        byte[] reference = ReportFigures.Save(without, dir.File("without"), Width, Height, svg: false);
        Assert.True(File.Exists(dir.File("with.svg")));
        Assert.False(File.Exists(dir.File("without.svg")));
        Assert.Equal(reference, first);
        // drawn again after the SVG: still the same picture
        withSvg.SavePng(dir.File("again.png"), Width, Height);
        Assert.Equal(reference, File.ReadAllBytes(dir.File("again.png")));
    }

    /// <summary>A plottable whose drawing fails.</summary>
    private sealed class Failing : IPlottable
    {
        public bool IsVisible { get; set; } = true;
        public IAxes Axes { get; set; } = new ScottPlot.Axes();
        public AxisLimits GetAxisLimits() => new(0, 1, 0, 1);
        public void Render(RenderPack rp) => throw new InvalidOperationException("drawing failed");
        public IEnumerable<LegendItem> LegendItems => [];
    }

    [Fact]
    public void WhenDrawingFailsThePatternsAndColoursAreRestoredAndNoFileIsLeft()
    {
        using var dir = new TempDirectory();
        using var plot = Figure();
        plot.Add.Plottable(new Failing());
        var dashed = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Single(s => s.LegendText == "dashed");
        var e = Assert.Throws<InvalidOperationException>(() => SvgExport.Save(plot, dir.File("f.svg"), Width, Height));
        Assert.Equal("drawing failed", e.Message);
        Assert.Equal(LinePattern.Dashed.Name, dashed.LineStyle.Pattern.Name);
        Assert.Equal(DashedColour, dashed.LineStyle.Color);
        Assert.Empty(dir.Entries());
    }

    [Fact]
    public async Task TheScanCommandWritesDashedSvgWithoutNativeNoiseOnStandardError()
    {
        // Two tiny dimer files: the scan's overlap figure draws the second pattern set's curves dashed with markers,
        // whose drawing with the dash still set made the SVG writer warn; the figure of the information against the
        // parameter has a dashed zero line. The warnings are native, on the process's own standard error, so rsmi
        // runs in a process of its own.
        using var dir = new TempDirectory();
        string[] inputs = [dir.File("u0.h5"), dir.File("u1.h5")];
        for (int i = 0; i < inputs.Length; i++)
            SampleFile.Write(inputs[i], DimerSampling.Generate(new DimerSamplingOptions(4, 40, null, (ulong)(11 + i), Interaction: i)));
        string output = dir.File("scan");
        using var p = StudyFiles.Start("scan", "--in", inputs[0], inputs[1], "--parameter", "interaction", "--block", "2", "--buffers", "0",
            "--hidden", "1", "--ensemble", "1", "--infonce-steps", "30", "--evaluation-windows", "512", "--seed", "3", "--threads", "1", "--out", output);
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stdout = p.StandardOutput.ReadToEndAsync(limit.Token);
        string stderr = await p.StandardError.ReadToEndAsync(limit.Token);
        await p.WaitForExitAsync(limit.Token);
        string both = stderr + await stdout;
        Assert.True(p.ExitCode == 0, both);
        Assert.DoesNotContain("Unsupported path effect", both);
        foreach (string figure in new[] { "scan_filter_overlaps.svg", "scan_information_parameter.svg" })
            Assert.Contains($"stroke-dasharray=\"{Dashes(LinePattern.Dashed)}\"", File.ReadAllText(Path.Combine(output, figure)));
    }
}
