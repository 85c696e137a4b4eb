using Rsmi.Cli;
using Rsmi.IO;
using Rsmi.Models.Ising;
using Rsmi.Sampling;

namespace Rsmi.Tests.Learning.InfoNce;

public class InfoNceLearnCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static string SampleFile16(string dir)
    {
        string path = Path.Combine(dir, "ising16.h5");
        SampleFile.Write(path, IsingSampling.Sample("ising2d", "wolff", 16, 2.4, 60, 3));
        return path;
    }

    [Fact]
    public void LearnWithTheInfoNceEstimatorWritesTheFiltersFileAndPicture()
    {
        string dir = Directory.CreateTempSubdirectory("rsmi-infonce-").FullName;
        try
        {
            string input = SampleFile16(dir), output = Path.Combine(dir, "filters.json");
            var (code, stdout, stderr) = Run("learn", "--in", input, "--block", "2", "--hidden", "1", "--buffer", "1", "--environment", "2",
                "--estimator", "infonce", "--seed", "5", "--infonce-steps", "60", "--infonce-batch", "64", "--out", output);
            Assert.True(code == 0, stderr);
            var filters = FiltersFile.Read(output);
            Assert.Equal("infonce", filters.Estimator);
            Assert.Equal("ising2d", filters.Model);
            Assert.Equal(4, filters.Weights.Length);
            Assert.Equal(5, filters.Seed);
            Assert.Equal(6, filters.History.Length); // 60 steps, one entry per 10
            Assert.Equal(filters.History.Length, filters.HistoryMovingAverage!.Length);
            Assert.True(filters.MutualInformationBits > 0 && filters.MutualInformationBits <= 6.0, $"{filters.MutualInformationBits}"); // cap log2 64 = 6
            Assert.Equal("infonce", filters.Extra["bound"]!.GetValue<string>());
            // the options given explicitly are kept; the rest were chosen from the data, and the file says which
            var training = filters.Extra["training"]!;
            Assert.Equal(60, training["steps"]!.GetValue<int>());
            Assert.Equal(64, training["batch_size"]!.GetValue<int>());
            var chosen = training["automatic"]!["chosen"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
            Assert.DoesNotContain("steps", chosen);
            Assert.DoesNotContain("batch_size", chosen);
            Assert.Contains("filter_l2", chosen);
            Assert.Contains("heatmap:", stdout);
            Assert.True(File.Exists(Path.Combine(dir, "filters.h1.png")) || Directory.GetFiles(dir, "*.png").Length > 0);
            // same seed, same file
            string again = Path.Combine(dir, "again.json");
            Assert.Equal(0, Run("learn", "--in", input, "--block", "2", "--hidden", "1", "--buffer", "1", "--environment", "2",
                "--estimator", "infonce", "--seed", "5", "--infonce-steps", "60", "--infonce-batch", "64", "--threads", "1", "--no-plot", "--out", again).Code);
            Assert.Equal(FiltersFile.Read(output).Weights, FiltersFile.Read(again).Weights);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("--infonce-bound", "foo", "--infonce-bound")]
    [InlineData("--infonce-critic-layers", "32,x", "--infonce-critic-layers")]
    [InlineData("--infonce-batch", "1", "--infonce-batch")]
    [InlineData("--infonce-steps", "many", "--infonce-steps")]
    [InlineData("--infonce-l2", "-0.1", "--infonce-l2")]
    [InlineData("--infonce-temperature-end", "autom", "--infonce-temperature-end")]
    public void BadInfoNceOptionsExitWithCode2NamingTheOption(string option, string value, string named)
    {
        string dir = Directory.CreateTempSubdirectory("rsmi-infonce-").FullName;
        try
        {
            string input = SampleFile16(dir);
            var (code, _, stderr) = Run("learn", "--in", input, "--block", "2", "--hidden", "1", "--buffer", "1", "--environment", "2",
                "--estimator", "infonce", option, value, "--out", Path.Combine(dir, "f.json"));
            Assert.Equal(2, code);
            Assert.Contains(named, stderr);
            Assert.False(File.Exists(Path.Combine(dir, "f.json")));
        }
        finally { Directory.Delete(dir, true); }
    }
}
