using System.Text.Json;
using Rsmi.Cli;
using Rsmi.Study;
using Rsmi.Tests.IO;

namespace Rsmi.Tests.Study;

/// <summary>
/// The flow section of a study config with <c>"model": "ising3d"</c>: the key is checked and names its path, the
/// default temperatures are those of the 3D model's T_c, and a small study writes a 3D flow.json and a report section
/// with T_c, ν and y_h against the reference values and the table of estimates by step.
/// </summary>
public class Ising3DStudyTests
{
    [Theory]
    [InlineData("""{"flow": {"model": "potts2d"}}""", "flow.model", "must be one of ising2d, ising3d; got \"potts2d\"")]
    [InlineData("""{"flow": {"model": "ising1d"}}""", "flow.model", "must be one of ising2d, ising3d; got \"ising1d\"")]
    public void AModelTheFlowSectionDoesNotTakeIsRefused(string json, string path, string problem)
    {
        var e = Assert.Throws<RsmiInputException>(() => RunConfig.Parse(json, "cfg.json"));
        Assert.Contains($"'{path}' {problem}", e.Message);
    }

    [Fact]
    public void TheDefaultTemperaturesAreThoseOfTheModelsTc()
    {
        var flat = RunConfig.Parse("""{"flow": {"model": "ising3d"}}""", "cfg.json").Flow;
        Assert.Equal(4.511523, flat.ResolvedTemperatures()[3], 6);
        Assert.Equal(0.9 * Rsmi.Models.Ising.Exact.Ising3D.CriticalTemperature, flat.ResolvedTemperatures()[0], 5);
        Assert.Equal(new RunConfig().Flow.ResolvedTemperatures(), RunConfig.Parse("""{"flow": {"model": "ising2d"}}""", "cfg.json").Flow.ResolvedTemperatures());
        Assert.DoesNotContain("\"model\"", new RunConfig().ToJson());
        var settings = StudyPlan.FlowOf(flat, null).Settings;
        Assert.Equal("ising3d", settings.Model);
        Assert.Equal(6, settings.Options(1).McrgOperators);
    }

    /// <summary>The ising3d preset is the README's 3D flow: the flow alone, 64³, 1,000 Wolff samples at seven temperatures
    /// within ±5 % of T_c (0.95 T_c … 1.05 T_c in steps of T_c/60) and 4,000 at T_c for MCRG, three steps of the InfoNCE
    /// rule with buffer 1 and environment 1, and it passes the config's own checks.</summary>
    [Fact]
    public void TheIsing3DPresetIsTheReadmesFlowOn64Cubed()
    {
        var preset = Rsmi.Cli.Run.RunPresets.Get("ising3d");
        preset.Validate();
        Assert.False(preset.IsingFilters.Enabled || preset.Dimer.Enabled || preset.Potts is not null || preset.Scan is not null);
        Assert.All(StudyPlan.Tasks(preset, null), t => Assert.StartsWith("flow", t.Key));
        var settings = StudyPlan.FlowOf(preset.Flow, null).Settings;
        Assert.Equal("ising3d", settings.Model);
        Assert.Equal((64, 1000, 3, "wolff", "infonce", 1, 1), (settings.Size, settings.Samples, settings.Steps, settings.Algorithm, settings.Rule.Name, settings.Rule.Buffer, settings.Rule.Environment));
        double tc = Rsmi.Models.Ising.Exact.Ising3D.CriticalTemperature;
        Assert.Equal(4000, preset.Flow.McrgSamples);
        Assert.Equal(tc, preset.Flow.McrgTemperature!.Value, 5);
        Assert.Equal(7, settings.Temperatures.Count);
        for (int i = 0; i < 7; i++) Assert.Equal(tc * (1 + (i - 3) / 60.0), settings.Temperatures[i], 5);
    }

    [Fact]
    public void ASmall3DStudyReportsTcNuAndYhWithATableByStep()
    {
        using var dir = new TempDirectory();
        string config = Path.Combine(dir.Path, "cube.json");
        File.WriteAllText(config, """
        {
          "name": "cube", "seed": 5,
          "ising_filters": { "enabled": false }, "dimer": { "enabled": false },
          "flow": { "model": "ising3d", "rule": "majority", "size": 8, "samples": 100, "steps": 1, "temperatures": [4.3, 4.5, 4.7] },
          "output": { "svg": false }
        }
        """);
        string output = Path.Combine(dir.Path, "run");
        var o = new StringWriter(); var e = new StringWriter();
        Assert.True(CliApp.Run(["run", "--config", config, "--out", output], o, e) == 0, e.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "flow", "flow.json")));
        var root = doc.RootElement;
        Assert.Equal("ising3d", root.GetProperty("model").GetString());
        Assert.Single(root.GetProperty("estimates").GetProperty("estimates_by_step").EnumerateArray());
        Assert.Equal(2, Directory.GetFiles(Path.Combine(output, "flow", "thermometer")).Length);
        string report = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("3D Ising model: RG flow, T_c, ν and y_h", report);
        Assert.Contains("8&#215;8&#215;8 lattices", report);
        Assert.Contains("4.511523", report);
        Assert.Contains("4&#179;", report);
    }
}
