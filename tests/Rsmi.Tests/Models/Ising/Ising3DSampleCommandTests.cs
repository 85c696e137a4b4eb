using Rsmi.Cli;
using Rsmi.Data;
using Rsmi.IO;
using Rsmi.Models;
using Rsmi.Models.Ising.Exact;

namespace Rsmi.Tests.Models.Ising;

/// <summary><c>rsmi sample ising3d</c>: rank-4 files in both formats, the same file for the same seed, one-sentence
/// errors, and <c>rsmi info</c> on cubic configurations.</summary>
public sealed class Ising3DSampleCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rsmi-ising3d-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static string Line(string output, string label) =>
        output.Split('\n').Single(l => l.StartsWith(label, StringComparison.Ordinal)).Trim();

    [Theory]
    [InlineData("wolff", "5")]
    [InlineData("swendsen-wang", "4")]
    [InlineData("metropolis", "4")]
    [InlineData("heatbath", "6")]
    public void SamplesAreRank4ArraysAndTheSameSeedGivesTheSameFile(string algorithm, string size)
    {
        string h5 = Path.Combine(_dir, "a.h5"), h5Again = Path.Combine(_dir, "b.h5"), npy = Path.Combine(_dir, "a.npy");
        string[] common = ["sample", "ising3d", "--size", size, "--temperature", "4.8", "--samples", "12", "--algorithm", algorithm, "--seed", "42", "--chains", "3"];
        var first = Run([.. common, "--out", h5]);
        Assert.True(first.Code == 0, first.Err);
        Assert.Contains(h5, first.Out);
        Assert.Equal(0, Run([.. common, "--threads", "1", "--out", h5Again]).Code);
        Assert.Equal(0, Run([.. common, "--out", npy]).Code);

        var a = SampleFile.Read(h5);
        var n = SampleFile.Read(npy);
        int l = int.Parse(size);
        Assert.Equal([l, l, l], a.SiteShape);
        Assert.Equal((3, l * l * l, 12), (a.Rank, a.Sites, a.Count));
        Assert.Equal(a.Data, n.Data);
        Assert.Equal(a.SiteShape, n.SiteShape);
        Assert.Equal(File.ReadAllBytes(h5), File.ReadAllBytes(h5Again));
        Assert.Equal("ising3d", a.Metadata.Model);
        Assert.Equal(algorithm, a.Metadata.Algorithm);
        Assert.Equal(4.8, a.Metadata.Temperature);
        Assert.NotNull(a.Metadata.GetDouble("tau_int"));
        byte[] header = NpyFile.Header([12, l, l, l]);
        Assert.Equal(header, File.ReadAllBytes(npy)[..header.Length]);
    }

    [Fact]
    public void BelowTcChainsStartOrdered()
    {
        // Deep in the ordered phase a chain that started from random spins would still carry domain walls after the
        // driver's thermalisation; an ordered start leaves only thermal excitations: |m| close to 1 in every sample.
        var set = ModelSampling.Sample(ModelCatalog.Ising3D, ModelCatalog.Ising3D.Arguments(8, 3.0), "metropolis", 20, seed: 5, chains: 2, threads: 1);
        for (int k = 0; k < set.Count; k++)
        {
            double m = 0;
            foreach (sbyte v in set.Configuration(k)) m += v;
            Assert.True(Math.Abs(m) / set.Sites > 0.9, $"sample {k}: |m| = {Math.Abs(m) / set.Sites}");
        }
    }

    [Theory]
    [InlineData("--size", "1", "--size must be at least 2, got 1.")]
    [InlineData("--size", "5", "--size must be even for the checkerboard metropolis update, got 5.")]
    [InlineData("--size", "1292", "--size 1292 is too large.")]
    [InlineData("--temperature", "0", "--temperature")]
    [InlineData("--algorithm", "multispin-metropolis-64", "unknown algorithm 'multispin-metropolis-64' for ising3d")]
    public void BadInputExitsWithCodeTwoAndASentence(string option, string value, string mentioned)
    {
        var args = new Dictionary<string, string>
        {
            ["--size"] = "4", ["--temperature"] = "4.5", ["--samples"] = "5", ["--algorithm"] = "metropolis",
            ["--out"] = Path.Combine(_dir, "x.h5"),
        };
        args[option] = value;
        var (code, _, err) = Run(["sample", "ising3d", .. args.SelectMany(kv => new[] { kv.Key, kv.Value })]);
        Assert.Equal(2, code);
        Assert.Contains("rsmi: error:", err);
        Assert.Contains(mentioned, err);
        Assert.DoesNotContain("   at ", err);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void CommandsThatTakeTwoDimensionalSamplesRefuseCubicFilesWithExitCodeTwo()
    {
        string path = Path.Combine(_dir, "cube.h5");
        Assert.Equal(0, Run("sample", "ising3d", "--size", "4", "--temperature", "4.5", "--samples", "50", "--out", path).Code);
        foreach (string[] command in new[]
                 {
                     new[] { "learn", "--in", path, "--block", "2", "--hidden", "1", "--buffer", "1", "--environment", "1", "--no-plot", "--out", Path.Combine(_dir, "f.json") },
                     new[] { "learn", "--in", path, "--block", "2", "--hidden", "1", "--buffer", "1", "--environment", "1", "--no-plot", "--estimator", "infonce", "--out", Path.Combine(_dir, "g.json") },
                 })
        {
            var (code, _, err) = Run(command);
            Assert.True(code == 2, err);
            Assert.Contains("rsmi: error:", err);
            Assert.DoesNotContain("internal error", err);
        }
    }

    [Fact]
    public void HelpNamesTheThreeDimensionalCriticalTemperature()
    {
        var (code, output, _) = Run("sample", "ising3d", "--help");
        Assert.Equal(0, code);
        Assert.Contains($"T_c = {Ising3D.CriticalTemperature:F6} for ising3d", output.Replace("\n", " "));
        Assert.Contains("L x L x L torus", output);
    }

    [Fact]
    public void InfoDescribesCubicConfigurations()
    {
        // Three 2×2×2 configurations (24 bonds each, every neighbour pair joined twice): all up (m = 1, u = −3), the
        // checkerboard (m = 0, u = +3), and all up but site 0, whose six bonds are broken (m = 3/4, 18 − 6 = 12,
        // u = −12/8 = −1.5).
        sbyte[] up = [1, 1, 1, 1, 1, 1, 1, 1], checker = [1, -1, -1, 1, -1, 1, 1, -1], one = [-1, 1, 1, 1, 1, 1, 1, 1];
        var meta = new SampleMetadata { Model = "ising3d", Temperature = 4.5, Algorithm = "wolff", Seed = 3 };
        string path = Path.Combine(_dir, "c.h5");
        SampleFile.Write(path, new SampleSet(3, [2, 2, 2], [.. up, .. checker, .. one], meta));
        var (code, output, err) = Run("info", path);
        Assert.True(code == 0, err);
        Assert.Equal("shape:           (3, 2, 2, 2)", Line(output, "shape:"));
        Assert.Equal("lattice:         2 x 2 x 2 cubic lattice (Lz x Ly x Lx, 8 sites)", Line(output, "lattice:"));
        Assert.Equal($"<m>:             {G(1.75 / 3)} ± {G(StandardError([1, 0, 0.75]))}", Line(output, "<m>:"));
        Assert.Equal($"nn correlation:  {G(0.5 / 3)} ± {G(StandardError([1, -1, 0.5]))}", Line(output, "nn correlation:"));
        Assert.Equal($"energy/site:     -0.5 ± {G(StandardError([-3, 3, -1.5]))}", Line(output, "energy/site:"));
        Assert.Contains("model         ising3d", output);
    }

    private static string G(double v) => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);

    private static double StandardError(double[] x)
    {
        double mean = x.Average();
        return Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1) / x.Length);
    }
}
