using Rsmi.Cli;
using Rsmi.IO;
using Rsmi.Models.Ising;
using Rsmi.Tests.IO;

namespace Rsmi.Tests.Learning;

/// <summary><c>rsmi learn</c> on cubic-lattice samples: a b×b×b block with cubic shells, a filters file with block
/// [bx, by, bz], the heatmaps and the ensemble figure, for both estimators.</summary>
public class CubicLearnCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static string WriteCubes(TempDirectory dir)
    {
        string path = dir.File("cube8.h5");
        SampleFile.Write(path, IsingSampling.Sample("ising3d", "wolff", 8, 4.2, 60, 7));
        return path;
    }

    [Theory]
    [InlineData("rbm", "--rbm-updates", "40", "--rbm-machine-updates", "200")]
    [InlineData("infonce", "--infonce-steps", "40", "--infonce-batch", "64")]
    public void LearnOnCubesWritesACubicFiltersFileAndItsSlicedPictures(string estimator, string o1, string v1, string o2, string v2)
    {
        using var dir = new TempDirectory();
        string input = WriteCubes(dir), output = dir.File("cube.json");
        var (code, stdout, stderr) = Run("learn", "--in", input, "--block", "2", "--hidden", "2", "--buffer", "1", "--environment", "1",
            "--estimator", estimator, o1, v1, o2, v2, "--ensemble", "2", "--seed", "3", "--out", output);
        Assert.True(code == 0, stderr);
        Assert.Contains("|V| = 8, |E| = 152", stderr);
        var filters = FiltersFile.Read(output);
        Assert.Equal(new[] { 2, 2, 2 }, filters.Block);
        Assert.Equal("ising3d", filters.Model);
        Assert.Equal(16, filters.Weights.Length);
        Assert.Contains("\"block\": [\n    2,\n    2,\n    2\n  ]", File.ReadAllText(output));
        Assert.Contains("hidden unit 2: weights [", stdout);
        foreach (string png in new[] { dir.File("cube.h1.png"), dir.File("cube.h2.png"), dir.File("cube.ensemble.png") })
            Assert.True(new FileInfo(png).Length > 1000, png);
        // rsmi info describes the cubic block and its slices
        var info = Run("info", output);
        Assert.Contains("block 2 x 2 x 2 (bx x by x bz)", info.Out);
        Assert.Contains("z = 1:", info.Out);
        if (estimator == "rbm")
            Assert.Contains("\"symmetrised\": true", File.ReadAllText(output));
    }

    /// <summary>Beyond four hidden units rbm ascends the model information on its own (its block is enumerated), says so,
    /// and records it; an explicit objective wins.</summary>
    [Fact]
    public void RbmBeyondFourUnitsAscendsTheModelInformationAndSaysSo()
    {
        using var dir = new TempDirectory();
        string input = WriteCubes(dir);
        foreach (var (given, expected) in new[] { ((string?)null, "model-information"), ("log-mean-exp", "log-mean-exp") })
        {
            string output = dir.File($"five-{expected}.json");
            var args = new List<string> { "learn", "--in", input, "--block", "2", "--hidden", "5", "--buffer", "1", "--environment", "1",
                "--estimator", "rbm", "--rbm-updates", "20", "--rbm-machine-updates", "100", "--ensemble", "2", "--seed", "3", "--no-plot", "--out", output };
            if (given is not null) args.AddRange(["--rbm-objective", given]);
            var (code, _, stderr) = Run([.. args]);
            Assert.True(code == 0, stderr);
            Assert.Contains($"estimator rbm ({expected} objective), ensemble of 2", stderr);
            Assert.Contains($"\"objective\": \"{expected}\"", File.ReadAllText(output));
        }
    }

    [Fact]
    public void AWindowLargerThanTheCubeIsRefused()
    {
        using var dir = new TempDirectory();
        string input = WriteCubes(dir);
        var (code, _, stderr) = Run("learn", "--in", input, "--block", "2", "--hidden", "1", "--buffer", "2", "--environment", "2", "--out", dir.File("x.json"));
        Assert.Equal(2, code);
        Assert.Contains("do not fit", stderr);
    }
}
