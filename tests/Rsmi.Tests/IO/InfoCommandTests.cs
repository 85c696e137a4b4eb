using Rsmi.Cli;
using Rsmi.Data;
using Rsmi.IO;
using Rsmi.Tests.Filters;

namespace Rsmi.Tests.IO;

public class InfoCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string Line(string output, string label) =>
        output.Split('\n').Single(l => l.StartsWith(label, StringComparison.Ordinal)).Trim();

    /// <summary>Three 2×2 configurations: all up (m = 1, c₁ = 1), all down (m = −1, c₁ = 1), checkerboard (m = 0, c₁ = −1).</summary>
    private static SampleSet Known2D()
    {
        sbyte[] data = [1, 1, 1, 1, -1, -1, -1, -1, 1, -1, -1, 1];
        var meta = new SampleMetadata { Model = "ising2d", Temperature = 2.5, Algorithm = "metropolis", Seed = 17 };
        meta.Set("tau_int", 1.75);
        return new SampleSet(3, [2, 2], data, meta);
    }

    [Fact]
    public void SampleSummaryIsComputedFromTheData()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.h5");
        SampleFile.Write(path, Known2D());
        var (code, output, err) = Run("info", path);
        Assert.True(code == 0, err);
        Assert.Equal("format:          HDF5, dataset /configurations, int8", Line(output, "format:"));
        Assert.Equal("shape:           (3, 2, 2)", Line(output, "shape:"));
        Assert.Equal("configurations:  3", Line(output, "configurations:"));
        Assert.Contains("2 x 2 square lattice", Line(output, "lattice:"));
        // 6 of 12 values are +1
        Assert.Equal("values:          +1: 6 (0.5000), -1: 6 (0.5000)", Line(output, "values:"));
        // m = {1, -1, 0}: mean 0, sample variance 1, standard error 1/sqrt(3)
        Assert.Equal($"<m>:             0 ± {1 / Math.Sqrt(3):G6}", Line(output, "<m>:"));
        // |m| = {1, 1, 0}: mean 2/3, variance 1/3, error 1/3
        Assert.Equal($"<|m|>:           {2.0 / 3:G6} ± {1.0 / 3:G6}", Line(output, "<|m|>:"));
        // c1 = {1, 1, -1}: mean 1/3, variance 4/3, error 2/3
        Assert.Equal($"nn correlation:  {1.0 / 3:G6} ± {2.0 / 3:G6}", Line(output, "nn correlation:"));
        // u = −2 c1 = {−2, −2, 2}: mean −2/3, error 4/3
        Assert.Equal($"energy/site:     {-2.0 / 3:G6} ± {4.0 / 3:G6}", Line(output, "energy/site:"));
        Assert.Contains("model         ising2d", output);
        Assert.Contains("temperature   2.5", output);
        Assert.Contains("tau_int       1.75", output);
        Assert.Contains("seed          17", output);
        Assert.Contains($"rsmi_version  {RsmiVersion.Current}", output);
        Assert.Contains("algorithm     metropolis", output);
        Assert.Equal("", err);
    }

    [Fact]
    public void ErrorBarsComeFromBinningInFileOrder()
    {
        // 512 chain configurations of 8 sites in runs of 16 identical ones (strongly correlated in file order):
        // the binned error bar must exceed the naive standard error, which ignores the correlation.
        using var dir = new TempDirectory();
        var rng = new System.Random(3);
        var data = new sbyte[512 * 8];
        var m = new double[512];
        for (int run = 0; run < 32; run++)
        {
            var config = Enumerable.Range(0, 8).Select(_ => rng.Next(2) == 0 ? (sbyte)-1 : (sbyte)1).ToArray();
            for (int k = 0; k < 16; k++)
            {
                config.CopyTo(data, (run * 16 + k) * 8);
                m[run * 16 + k] = config.Sum(v => (double)v) / 8;
            }
        }
        string path = dir.File("corr.npy");
        SampleFile.Write(path, new SampleSet(512, [8], data));
        var (code, output, err) = Run("info", path);
        Assert.True(code == 0, err);
        var binned = Rsmi.Statistics.Binning.AnalyseDetailed(m);
        double mean = m.Average();
        double naive = Math.Sqrt(m.Sum(x => (x - mean) * (x - mean)) / 511 / 512);
        Assert.True(binned.Mean.Error > 2 * naive, $"binned {binned.Mean.Error} vs naive {naive}");
        string expected = $"<m>:             {mean.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)} ± {binned.Mean.Error.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}";
        Assert.StartsWith(expected, Line(output, "<m>:"));
    }

    [Fact]
    public void ChainNearestNeighbourCorrelationIsPeriodic()
    {
        using var dir = new TempDirectory();
        string path = dir.File("c.npy");
        // one ring of 5 sites: + + + - -: bonds (+,+) (+,+) (+,-) (-,-) (-,+) → c1 = (1 + 1 - 1 + 1 - 1)/5 = 1/5
        SampleFile.Write(path, new SampleSet(1, [5], [1, 1, 1, -1, -1]));
        var (code, output, err) = Run("info", path);
        Assert.True(code == 0, err);
        Assert.Equal("format:          NumPy .npy, int8, C order (no metadata)", Line(output, "format:"));
        Assert.Contains("periodic chain of L = 5 sites", output);
        Assert.StartsWith("nn correlation:  0.2 (no error bar", Line(output, "nn correlation:"));
        Assert.StartsWith("<m>:             0.2 (no error bar", Line(output, "<m>:"));
        Assert.Contains("attributes:      none (.npy files carry no metadata)", output);
    }

    [Fact]
    public void FiltersSummaryShowsGeometryAndWeights()
    {
        using var dir = new TempDirectory();
        string path = dir.File("f.json");
        var f = FiltersFileTests.Sample(hidden: 2, bx: 2, by: 3);
        FiltersFile.Write(path, f);
        var (code, output, err) = Run("info", path);
        Assert.True(code == 0, err);
        Assert.Contains("block 2 x 3 (bx x by), buffer 1, environment 2 (window 8 x 9)", output);
        Assert.Equal("hidden units:        2", Line(output, "hidden units:"));
        Assert.Equal("estimator:           rbm", Line(output, "estimator:"));
        Assert.Equal("mutual information:  0.721348 bits", Line(output, "mutual information:"));
        Assert.Equal("history:             5 entries, first 0.1, last 4.94066E-324, max 0.721348 bits", Line(output, "history:"));
        Assert.Equal("seed:                9007199254740993", Line(output, "seed:"));
        Assert.Contains("geometry:            {\"kind\":\"square\",\"lattice\":64}", output);
        // weight rows: hidden unit 0, row y = 0 holds Λ_0(0,0), Λ_0(1,0)
        var lines = output.Split('\n');
        int unit0 = Array.FindIndex(lines, l => l.Contains("hidden unit 0:"));
        Assert.Contains($"bias {f.Bias[0]:G6}", lines[unit0]);
        var row0 = lines[unit0 + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(new[] { Math.Round(f.Weight(0, 0, 0), 4), Math.Round(f.Weight(0, 1, 0), 4) }, row0);
        Assert.Equal(3, lines.Skip(unit0 + 1).TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal)).Count());
    }

    [Theory]
    [InlineData("bad.h5", "not an HDF5 file")]
    [InlineData("bad.npy", "not a NumPy .npy file")]
    [InlineData("bad.json", "not valid JSON")]
    [InlineData("bad.txt", "has the extension '.txt'")]
    public void BadFilesExitWithCode2AndOneSentence(string name, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.File(name);
        File.WriteAllText(path, "this is not data");
        var (code, output, err) = Run("info", path);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("rsmi: error: ", err);
        Assert.Contains(path, err);
        Assert.Contains(expected, err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void MissingFileExitsWithCode2()
    {
        using var dir = new TempDirectory();
        string path = dir.File("none.h5");
        var (code, _, err) = Run("info", path);
        Assert.Equal(2, code);
        Assert.Equal($"rsmi: error: '{path}' does not exist.", err.Trim());
    }

    [Fact]
    public void MissingArgumentIsAUsageError()
    {
        var (code, _, err) = Run("info");
        Assert.Equal(2, code);
        Assert.Contains("rsmi: error:", err);
    }
}
