using Rsmi.Cli;
using Rsmi.Data;
using Rsmi.IO;
using Rsmi.Models.Ising;
using Rsmi.Sampling;
using Rsmi.Tests.IO;

namespace Rsmi.Tests.Learning;

public class LearnCommandTests
{
    /// <summary>40 Wolff samples of a 16×16 torus at T = 2.5, written to a sample file.</summary>
    private static string WriteSamples(TempDirectory dir, string name = "ising.h5")
    {
        var set = IsingSampling.Sample("ising2d", "wolff", 16, 2.5, 40, 12);
        string path = dir.File(name);
        SampleFile.Write(path, set);
        return path;
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static readonly string[] Quick = ["--estimator", "rbm", "--rbm-updates", "60", "--rbm-machine-updates", "300", "--rbm-restarts", "1", "--seed", "5"];

    [Fact]
    public void LearnWritesTheFiltersFileAndOneHeatmapPerHiddenUnit()
    {
        using var dir = new TempDirectory();
        string input = WriteSamples(dir), output = dir.File("filters.json");
        var (code, stdout, stderr) = Run([.. new[] { "learn", "--in", input, "--block", "2", "--hidden", "2", "--buffer", "1", "--environment", "1", "--out", output }, .. Quick]);
        Assert.True(code == 0, stderr);
        var filters = FiltersFile.Read(output);
        Assert.Equal("rbm", filters.Estimator);
        Assert.Equal(2, filters.Hidden);
        Assert.Equal(2, filters.BlockX);
        Assert.Equal(1, filters.Buffer);
        Assert.Equal(5, filters.Seed);
        Assert.Equal("ising2d", filters.Model);
        Assert.NotEmpty(filters.History);
        Assert.True(filters.MutualInformationBits > 0 && filters.MutualInformationBits <= 2, $"I = {filters.MutualInformationBits}");
        Assert.Contains("on held-out configurations", stdout);
        Assert.Contains("ensemble: information", stdout);
        Assert.Contains("estimator rbm (log-mean-exp objective), ensemble of 4", stderr);
        Assert.True(File.Exists(dir.File("filters.ensemble.png")));
        foreach (string png in new[] { dir.File("filters.h1.png"), dir.File("filters.h2.png") })
        {
            var bytes = File.ReadAllBytes(png);
            Assert.True(bytes.Length > 1000);
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
        }
        // same seed, same input → the same file
        string again = dir.File("again.json");
        Assert.Equal(0, Run([.. new[] { "learn", "--in", input, "--block", "2", "--hidden", "2", "--buffer", "1", "--environment", "1", "--out", again, "--no-plot" }, .. Quick]).Code);
        Assert.Equal(FiltersFile.Read(output).Weights, FiltersFile.Read(again).Weights);
        Assert.False(File.Exists(dir.File("again.h1.png")));
    }

    [Fact]
    public void KlTrainedRbmExportsFiltersInTheSameFormat()
    {
        using var dir = new TempDirectory();
        string input = WriteSamples(dir), output = dir.File("kl.json");
        var (code, _, stderr) = Run("learn", "--in", input, "--block", "2", "--hidden", "1", "--buffer", "1", "--environment", "1",
            "--estimator", "kl-rbm", "--kl-rbm-updates", "300", "--out", output, "--no-plot");
        Assert.True(code == 0, stderr);
        var filters = FiltersFile.Read(output);
        Assert.Equal("kl-rbm", filters.Estimator);
        Assert.Equal(4, filters.Weights.Length);
        Assert.True(double.IsFinite(filters.MutualInformationBits));
    }

    [Theory]
    [InlineData("--block", "3", "does not divide")]
    [InlineData("--hidden", "0", "--hidden")]
    [InlineData("--hidden", "9", "--hidden")]
    [InlineData("--environment", "9", "spans")]
    [InlineData("--buffer", "-1", "--buffer")]
    [InlineData("--estimator", "magic", "unknown estimator")]
    [InlineData("--rbm-objective", "magic", "--rbm-objective")]
    [InlineData("--rbm-updates", "0", "--rbm-updates")]
    [InlineData("--ensemble", "0", "--ensemble must be a positive integer")]
    [InlineData("--threads", "0", "--threads must be positive")]
    public void BadOptionsExitWithCodeTwo(string option, string value, string message)
    {
        using var dir = new TempDirectory();
        string input = WriteSamples(dir), output = dir.File("f.json");
        var args = new List<string> { "learn", "--in", input, "--block", "2", "--hidden", "1", "--buffer", "1", "--environment", "1", "--estimator", "rbm", "--out", output };
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value; else { args.Add(option); args.Add(value); }
        var (code, _, stderr) = Run([.. args]);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void MissingInputOrOutputDirectoryExitsWithCodeTwo()
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = Run("learn", "--in", dir.File("none.h5"), "--block", "2", "--hidden", "1", "--buffer", "1", "--environment", "1", "--out", dir.File("f.json"));
        Assert.Equal(2, code);
        Assert.Contains("does not exist", stderr);
        string input = WriteSamples(dir);
        (code, _, stderr) = Run("learn", "--in", input, "--block", "2", "--hidden", "1", "--buffer", "1", "--environment", "1", "--out", Path.Combine(dir.Path, "no", "f.json"));
        Assert.Equal(2, code);
        Assert.Contains("--out", stderr);
        (code, _, _) = Run("learn", "--in", input, "--hidden", "1", "--buffer", "1", "--environment", "1", "--out", dir.File("f.json"));
        Assert.Equal(2, code);
    }

    /// <summary>Independent random spins: rsmi learn says in one sentence that there is no signal and records it; the
    /// Ising samples above carry one and the file says so.</summary>
    [Fact]
    public void NoSignalIsSaidOnStderrAndRecordedInTheFile()
    {
        using var dir = new TempDirectory();
        var rng = Rsmi.Random.RandomStreams.Create(99, 0, "independent-spins");
        var data = new sbyte[200 * 16 * 16];
        for (int i = 0; i < data.Length; i++) data[i] = (rng.NextUInt64() >> 63) == 0 ? (sbyte)1 : (sbyte)-1;
        string noise = dir.File("noise.npy");
        NpyFile.Write(noise, new SampleSet(200, [16, 16], data));
        string[] quick = ["--block", "2", "--hidden", "1", "--buffer", "0", "--environment", "2", "--infonce-steps", "150", "--ensemble", "2", "--no-plot"];
        var (code, _, stderr) = Run([.. new[] { "learn", "--in", noise, "--out", dir.File("noise.json") }, .. quick]);
        Assert.True(code == 0, stderr);
        Assert.Contains("rsmi learn: no signal:", stderr);
        Assert.False(FiltersFile.Read(dir.File("noise.json")).Extra["signal"]!.GetValue<bool>());

        (code, _, stderr) = Run([.. new[] { "learn", "--in", WriteSamples(dir), "--out", dir.File("ising.json") }, .. quick]);
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("no signal", stderr);
        Assert.True(FiltersFile.Read(dir.File("ising.json")).Extra["signal"]!.GetValue<bool>());
    }
}
