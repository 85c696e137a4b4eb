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

    /// <summary>The ising3d preset is the README's 3D flow: the flow alone, 32³, 1,000 Wolff samples at seven temperatures
    /// within ±5 % of T_c (0.95 T_c … 1.05 T_c in steps of T_c/60), two steps of the InfoNCE rule with buffer 1 and
    /// environment 1, and MCRG at T_c on a 128³ lattice of its own (3,000 configurations, four steps down to 8³); it
    /// passes the config's own checks, and split into tasks the MCRG lattice is one of them.</summary>
    [Fact]
    public void TheIsing3DPresetIsTheReadmesFlowOn32CubedWithA128CubedMcrgLattice()
    {
        var preset = Rsmi.Cli.Run.RunPresets.Get("ising3d");
        preset.Validate();
        Assert.False(preset.IsingFilters.Enabled || preset.Dimer.Enabled || preset.Potts is not null || preset.Scan is not null);
        var tasks = StudyPlan.Tasks(preset, null);
        Assert.All(tasks, t => Assert.StartsWith("flow", t.Key));
        Assert.Equal("flow-mcrg", tasks[^1].Key);
        var settings = StudyPlan.FlowOf(preset.Flow, null).Settings;
        Assert.Equal("ising3d", settings.Model);
        Assert.Equal((32, 1000, 2, "wolff", "infonce", 1, 1), (settings.Size, settings.Samples, settings.Steps, settings.Algorithm, settings.Rule.Name, settings.Rule.Buffer, settings.Rule.Environment));
        double tc = Rsmi.Models.Ising.Exact.Ising3D.CriticalTemperature;
        Assert.Equal((128, 3000, 4, 128), (settings.McrgSize, settings.McrgSamples, settings.McrgSteps, settings.McrgPartSize));
        Assert.Equal(tc, preset.Flow.McrgTemperature!.Value, 5);
        Assert.Equal(7, settings.Temperatures.Count);
        for (int i = 0; i < 7; i++) Assert.Equal(tc * (1 + (i - 3) / 60.0), settings.Temperatures[i], 5);
    }

    /// <summary>Runs <c>rsmi run</c> on <paramref name="json"/> (written to a config in <paramref name="dir"/>) and returns its output directory.</summary>
    private static string RunStudy(string dir, string json)
    {
        string config = Path.Combine(dir, "cube.json");
        File.WriteAllText(config, json);
        string output = Path.Combine(dir, "run");
        var o = new StringWriter(); var e = new StringWriter();
        Assert.True(CliApp.Run(["run", "--config", config, "--out", output], o, e) == 0, e.ToString());
        return output;
    }

    [Fact]
    public void ASmall3DStudyReportsTcNuAndYhWithATableByStep()
    {
        using var dir = new TempDirectory();
        string output = RunStudy(dir.Path, """
        {
          "name": "cube", "seed": 5,
          "ising_filters": { "enabled": false }, "dimer": { "enabled": false },
          "flow": { "model": "ising3d", "rule": "majority", "size": 8, "samples": 100, "steps": 1, "temperatures": [4.3, 4.5, 4.7] },
          "output": { "svg": false }
        }
        """);
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

    [Fact]
    public void A3DStudyWithAnMcrgLatticeReportsItsLevelsInTheTableByStep()
    {
        using var dir = new TempDirectory();
        string output = RunStudy(dir.Path, """
        {
          "name": "cube", "seed": 6,
          "ising_filters": { "enabled": false }, "dimer": { "enabled": false },
          "flow": { "model": "ising3d", "rule": "majority", "size": 8, "samples": 60, "steps": 1, "temperatures": [4.3, 4.511523, 4.7],
                    "mcrg_temperature": 4.511523, "mcrg_size": 16, "mcrg_samples": 40 },
          "output": { "svg": false }
        }
        """);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "flow", "flow.json")));
        var root = doc.RootElement;
        var lattice = root.GetProperty("mcrg_lattice");
        Assert.Equal((16, 2, 40, 1), (lattice.GetProperty("size").GetInt32(), lattice.GetProperty("steps").GetInt32(), lattice.GetProperty("samples").GetInt32(), lattice.GetProperty("parts").GetInt32()));
        Assert.Equal(new[] { "fixed", "fixed" }, lattice.GetProperty("steps_learned").EnumerateArray().Select(s => s.GetProperty("rule_source").GetString()).ToArray());
        var table = root.GetProperty("estimates").GetProperty("estimates_by_step").EnumerateArray().ToArray();
        Assert.Equal(new[] { "4", "null" }, table.Select(t => t.GetProperty("size").GetRawText()).ToArray());
        Assert.Equal(new[] { 8, 4 }, table.Select(t => t.GetProperty("mcrg_size").GetInt32()).ToArray());
        Assert.Equal(JsonValueKind.Null, table[1].GetProperty("tc").GetProperty("value").ValueKind);
        Assert.Equal(40, root.GetProperty("estimates").GetProperty("mcrg").GetProperty("samples").GetInt32());
        // The flow's own lattice keeps its 60 configurations at the MCRG temperature.
        Assert.All(root.GetProperty("flows").EnumerateArray(), f => Assert.Equal(60, f.GetProperty("samples").GetInt32()));
        string report = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("MCRG on a lattice of its own, 16&#179; with 40 configurations", report);
        Assert.Contains("MCRG lattice</th>", report);
        Assert.Contains("The MCRG lattice, 16&#179; at T = 4.511523: 40 configurations drawn in 1 part from", report);
        Assert.Contains("Rules by step: step 1 (8&#179;): fixed; step 2 (4&#179;): fixed.", report);
    }
}
