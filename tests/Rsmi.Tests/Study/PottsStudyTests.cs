using System.Text.Json;
using Rsmi.Cli;
using Rsmi.Study;
using Rsmi.Tests.IO;

namespace Rsmi.Tests.Study;

/// <summary>
/// The <c>potts</c> section of a study config and its report: the keys are checked and name their path, the preset
/// runs q = 3 and q = 4 and nothing else, the plan has one task per q, and a small q = 4 study reports ν by MCRG level
/// with its drift and says why q = 4 converges slowly.
/// </summary>
public class PottsStudyTests
{
    [Theory]
    [InlineData("""{"potts": {"q": [5]}}""", "potts.q[0]")]
    [InlineData("""{"potts": {"q": [3, 3]}}""", "potts.q")]
    [InlineData("""{"potts": {"size": 36}}""", "potts.block")]
    [InlineData("""{"potts": {"temperatures_tc": [1.0, -0.9]}}""", "potts.temperatures_tc[1]")]
    [InlineData("""{"potts": {"samples": 5}}""", "potts.samples")]
    [InlineData("""{"potts": {"calibration_samples": 5}}""", "potts.calibration_samples")]
    [InlineData("""{"potts": {"rule": "magic"}}""", "potts.rule")]
    [InlineData("""{"potts": {"rule": "majority", "buffer": 2}}""", "potts.buffer")]
    [InlineData("""{"potts": {"rule": "infonce", "estimator": {"name": "rbm"}}}""", "potts.estimator.name")]
    [InlineData("""{"potts": {"colour": 1}}""", "potts.colour")]
    public void OutOfRangePottsKeysNameTheKey(string json, string path)
    {
        var e = Assert.Throws<RsmiInputException>(() => RunConfig.Parse(json, "cfg.json"));
        Assert.Contains($"'{path}'", e.Message);
    }

    [Fact]
    public void TheDefaultStudyHasNoPottsSectionAndThePresetOnlyOne()
    {
        Assert.Null(new RunConfig().Potts);
        Assert.DoesNotContain("potts", new RunConfig().ToJson());
        var preset = Rsmi.Cli.Run.RunPresets.Get("potts");
        Assert.False(preset.IsingFilters.Enabled || preset.Flow.Enabled || preset.Dimer.Enabled);
        Assert.Equal([3, 4], preset.Potts!.Q);
        var tasks = StudyPlan.Tasks(preset, null);
        Assert.Equal(["potts-q3", "potts-q4"], tasks.Select(t => t.Key).ToArray());
        var settings = StudyPlan.PottsOf(preset.Potts, 4);
        Assert.Equal(3, settings.Steps);
        Assert.Equal(64, settings.Size);
        Assert.Equal(7, settings.Temperatures.Count);
        Assert.Equal(Rsmi.Models.Potts.Exact.Potts2D.CriticalTemperature(4), settings.Temperatures[3], 6);
        Assert.Equal(4, settings.ModelParameters["q"]);
    }

    /// <summary>
    /// A small q = 4 study with the plurality rule: flow.json has q = 4 and ν at every MCRG level, and the report's
    /// Potts section gives ν by level with the drift of the last step, the exact ν = 2/3 and why q = 4 converges slowly.
    /// </summary>
    [Fact]
    public void AQ4StudyReportsNuByLevelWithItsDriftAndWhyItConvergesSlowly()
    {
        using var dir = new TempDirectory();
        string config = Path.Combine(dir.Path, "potts4.json");
        File.WriteAllText(config, """
        {
          "name": "potts4", "seed": 5,
          "ising_filters": { "enabled": false }, "flow": { "enabled": false }, "dimer": { "enabled": false },
          "potts": { "q": [4], "rule": "majority", "size": 32, "samples": 200, "steps": 3, "temperatures_tc": [0.95, 1.0, 1.05], "calibration_samples": 100 },
          "output": { "svg": false }
        }
        """);
        string output = Path.Combine(dir.Path, "run");
        var o = new StringWriter(); var e = new StringWriter();
        Assert.True(CliApp.Run(["run", "--config", config, "--out", output], o, e) == 0, e.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "potts", "q4", "flow.json")));
        var root = doc.RootElement;
        Assert.Equal(4, root.GetProperty("q").GetInt32());
        var levels = root.GetProperty("estimates").GetProperty("mcrg").GetProperty("levels").EnumerateArray().ToArray();
        Assert.Equal(3, levels.Length);
        Assert.All(levels, l => Assert.Equal(JsonValueKind.Number, l.GetProperty("nu").GetProperty("value").ValueKind));
        Assert.True(Directory.GetFiles(Path.Combine(output, "potts", "q4", "thermometer")).Length >= 3);
        string report = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("Potts model, q = 4", report);
        Assert.Contains("drift (last step)", report);
        Assert.Contains("32→16", report);
        Assert.Contains("marginal", report);
        Assert.Contains("logarithmic", report);
        Assert.Contains("0.666667", report);
    }
}
