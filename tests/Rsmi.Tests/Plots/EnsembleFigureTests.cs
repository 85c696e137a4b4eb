using Rsmi.Filters;
using Rsmi.Plots.Filters;
using Rsmi.Tests.IO;
using SkiaSharp;
using static Rsmi.Tests.Filters.FilterAlignmentTests;

namespace Rsmi.Tests.Plots;

public class EnsembleFigureTests
{
    private static EnsembleAnalysisResult Analysis(int seed, int members, int hidden, int bx, int by)
    {
        var rng = new System.Random(seed);
        var pattern = GaussianVector(rng, hidden * bx * by);
        var list = Enumerable.Range(0, members).Select(_ =>
            Rsmi.Tests.Filters.EnsembleAnalysisTests.Member(pattern.Select(x => x + 0.3 * Gaussian(rng)).ToArray(), GaussianVector(rng, hidden), 0.5 + 0.02 * Gaussian(rng))).ToArray();
        return EnsembleAnalysis.Analyse(list, hidden, bx, by, chosen: members / 2);
    }

    private static void AssertPng(string path, int minWidth, int minHeight)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        Assert.True(bitmap.Width >= minWidth && bitmap.Height >= minHeight, $"{bitmap.Width}×{bitmap.Height}");
    }

    [Fact]
    public void WritesTheEnsemblePictureNextToTheFiltersFile()
    {
        using var dir = new TempDirectory();
        var analysis = Analysis(1, 5, 2, 2, 2);
        string path = EnsembleFigure.Write(analysis, dir.File("run.json"), memberLabels: ["11", "12", "13", "14", "15"]);
        Assert.Equal(dir.File("run.ensemble.png"), path);
        AssertPng(path, 3 * 300, 2 * 200);
        Assert.Equal(new[] { "run.ensemble.png" }, dir.Entries());
    }

    [Fact]
    public void DrawsChainsLargeBlocksAndEnsemblesWithoutSpread()
    {
        using var dir = new TempDirectory();
        EnsembleFigure.WritePng(Analysis(2, 4, 1, 4, 1), dir.File("chain.png"), components: 1);
        AssertPng(dir.File("chain.png"), 600, 300);
        EnsembleFigure.WritePng(Analysis(3, 6, 4, 8, 8), dir.File("dimer.png"));
        AssertPng(dir.File("dimer.png"), 900, 1000);
        // one member (no components) and two members (one component): the missing panels say why
        EnsembleFigure.WritePng(Analysis(4, 1, 2, 2, 2), dir.File("single.png"));
        AssertPng(dir.File("single.png"), 900, 400);
        EnsembleFigure.WritePng(Analysis(5, 2, 2, 2, 2), dir.File("pair.png"));
        AssertPng(dir.File("pair.png"), 900, 400);
        Assert.Throws<ArgumentException>(() => EnsembleFigure.WritePng(Analysis(5, 2, 2, 2, 2), dir.File("x.png"), memberLabels: ["1"]));
    }
}
