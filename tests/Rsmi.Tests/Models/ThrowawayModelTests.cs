using Rsmi.Cli;
using Rsmi.IO;
using Rsmi.Models;

namespace Rsmi.Tests.Models;

/// <summary>A model defined in the tests runs through rsmi sample, learn and coarse-grain with no change to the library.</summary>
public sealed class ThrowawayModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rsmi-model-").FullName;
    private static readonly ModelCatalog Catalog = ModelCatalog.Default.With(new AnisotropicIsingModel());

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr, models: Catalog);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void SampleLearnAndCoarseGrainTheModel()
    {
        string samples = Path.Combine(_dir, "a.h5"), filters = Path.Combine(_dir, "a.json"), coarse = Path.Combine(_dir, "a2.h5");
        var sample = Run("sample", "test-anisotropic", "--size", "8", "--temperature", "1.8", "--coupling", "0.6", "--samples", "300", "--seed", "4", "--out", samples);
        Assert.True(sample.Code == 0, sample.Err);
        Assert.Contains("wrote 300 test-anisotropic configurations (L = 8, T = 1.8, J = 0.6)", sample.Out);
        Assert.Contains("tau_int: energy", sample.Err);
        var set = SampleFile.Read(samples);
        Assert.Equal("test-anisotropic", set.Metadata.Model);
        Assert.Equal(0.6, set.Metadata.GetDouble("coupling"));
        Assert.Equal(1.8, set.Metadata.Temperature);
        Assert.Equal([8, 8], set.SiteShape);
        // The stronger vertical coupling shows in the data: vertical neighbours agree more often than horizontal ones.
        long horizontal = 0, vertical = 0;
        for (int n = 0; n < set.Count; n++)
        {
            var s = set.Configuration(n);
            for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++) { horizontal += s[y * 8 + x] * s[y * 8 + (x + 1) % 8]; vertical += s[y * 8 + x] * s[(y + 1) % 8 * 8 + x]; }
        }
        Assert.True(vertical > horizontal, $"vertical {vertical}, horizontal {horizontal}");

        var learn = Run("learn", "--in", samples, "--block", "2", "--hidden", "1", "--buffer", "1", "--environment", "1", "--ensemble", "1",
            "--infonce-steps", "40", "--infonce-windows", "2000", "--no-plot", "--seed", "2", "--out", filters);
        Assert.True(learn.Code == 0, learn.Err);
        Assert.Equal("test-anisotropic", FiltersFile.Read(filters).Model);

        var grain = Run("coarse-grain", "--in", samples, "--filters", filters, "--out", coarse);
        Assert.True(grain.Code == 0, grain.Err);
        var coarseSet = SampleFile.Read(coarse);
        Assert.Equal([4, 4], coarseSet.SiteShape);
        Assert.Equal("test-anisotropic", coarseSet.Metadata.Model);
        Assert.Equal(1L, coarseSet.Metadata.GetLong("rg_step"));
    }

    [Fact]
    public void TheModelsParametersBecomeOptions()
    {
        var help = Run("sample", "test-anisotropic", "--help");
        Assert.Equal(0, help.Code);
        Assert.Contains("--coupling", help.Out);
        Assert.Contains("Coupling J along x (the coupling along y is 1). [default: 0.5]", help.Out);
        Assert.Contains("Update algorithm: metropolis (default metropolis).", help.Out);
        var list = Run("sample", "--help");
        Assert.Contains("test-anisotropic", list.Out);

        var bad = Run("sample", "test-anisotropic", "--size", "8", "--temperature", "2", "--coupling", "-1", "--samples", "5", "--out", Path.Combine(_dir, "b.h5"));
        Assert.Equal(2, bad.Code);
        Assert.Contains("--coupling must be a finite positive number, got -1.", bad.Err);
        var algorithm = Run("sample", "test-anisotropic", "--size", "8", "--temperature", "2", "--algorithm", "wolff", "--samples", "5", "--out", Path.Combine(_dir, "c.h5"));
        Assert.Equal(2, algorithm.Code);
        Assert.Contains("--algorithm: unknown algorithm 'wolff' for test-anisotropic; choose one of metropolis.", algorithm.Err);
    }

    [Fact]
    public void TheDefaultCatalogDoesNotKnowTheModel()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, CliApp.Run(["sample", "test-anisotropic", "--size", "8"], new StringWriter(), stderr));
        Assert.Null(ModelCatalog.Default.Find("test-anisotropic"));
    }
}
