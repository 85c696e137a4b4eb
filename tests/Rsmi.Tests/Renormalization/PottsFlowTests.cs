using System.Text.Json;
using Rsmi.Cli;
using Rsmi.Models.Potts.Exact;
using Rsmi.Progress;
using Rsmi.Renormalization;
using Rsmi.Study.Stages;
using Rsmi.Tests.IO;

namespace Rsmi.Tests.Renormalization;

/// <summary>
/// <c>rsmi flow --model potts2d</c> end to end on small lattices: what flow.json records (the model and q, the Monte
/// Carlo thermometer's readings, the plurality baseline, the Potts operators, the exact values of that q), the
/// calibrations kept on disk, the options that apply to Potts flows only, and a learned Potts flow run temperature by
/// temperature through flow part files, which must assemble to the flow run in one process.
/// </summary>
public class PottsFlowTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void APluralityFlowRecordsTheModelItsThermometerAndItsOperators()
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "flow");
        var (code, stdout, err) = Run("flow", "--model", "potts2d", "--q", "3", "--size", "16", "--temperatures", "0.95Tc,1Tc,1.05Tc", "--samples", "100",
            "--steps", "2", "--calibration-samples", "100", "--jackknife-blocks", "10", "--seed", "4", "--out", output);
        Assert.True(code == 0, err);
        Assert.Contains("nu (MCRG) by level", stdout);
        Assert.Contains("at the deepest level", stdout);
        Assert.Contains("drift in its step", stdout);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "flow.json")));
        var root = doc.RootElement;
        Assert.Equal("potts2d", root.GetProperty("model").GetString());
        Assert.Equal(3, root.GetProperty("q").GetInt32());
        double tc = Potts2D.CriticalTemperature(3);
        Assert.Equal(new[] { 0.95 * tc, tc, 1.05 * tc }, root.GetProperty("flows").EnumerateArray().Select(f => f.GetProperty("temperature").GetDouble()).ToArray());
        Assert.Equal(tc, root.GetProperty("provenance").GetProperty("exact_tc").GetDouble());
        var step = root.GetProperty("flows")[1].GetProperty("steps")[2];
        Assert.Equal(4, step.GetProperty("size").GetInt32());
        foreach (string key in new[] { "effective_temperature", "effective_temperature_calibration_low", "effective_temperature_calibration_high", "thermometer_spread", "nn_correlation" })
            Assert.Equal(JsonValueKind.Number, step.GetProperty(key).ValueKind);
        Assert.False(step.TryGetProperty("effective_temperature_onsager", out _));
        var est = root.GetProperty("estimates");
        Assert.Equal(new[] { "monte_carlo", "calibration_low", "calibration_high" }, est.GetProperty("by_thermometer").EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("plurality", est.GetProperty("mcrg").GetProperty("rule").GetString());
        Assert.Equal("four_site_t", est.GetProperty("mcrg").GetProperty("operators").EnumerateArray().Last().GetString());
        Assert.Equal("cross", est.GetProperty("mcrg").GetProperty("odd_operators").EnumerateArray().Last().GetString());
        // majority is the flow's own rule: on labels it is the plurality rule, listed once.
        var rules = est.GetProperty("rules").EnumerateArray().ToArray();
        Assert.Single(rules);
        Assert.Equal("plurality", rules[0].GetProperty("rule").GetString());
        Assert.Equal(5.0 / 6, rules[0].GetProperty("nu_mcrg").GetProperty("exact").GetDouble(), 12);
        Assert.Equal(28.0 / 15, rules[0].GetProperty("y_h").GetProperty("exact").GetDouble(), 12);
        Assert.Equal(JsonValueKind.Null, est.GetProperty("effective_couplings").GetProperty("plurality")[0].GetProperty("nn").ValueKind);
        // One calibration per lattice size read: 16, 8 and 4.
        Assert.Equal(3, Directory.GetFiles(Path.Combine(output, "thermometer"), "thermometer-*.json").Length);
    }

    [Theory]
    [InlineData("--q applies to potts2d flows only, not to ising2d.", "--model", "ising2d", "--q", "3")]
    [InlineData("--calibration-samples applies to ising3d and potts2d flows only (the ising2d thermometer is exact).", "--calibration-samples", "100")]
    [InlineData("--q must be between 2 and 127, got 1.", "--model", "potts2d", "--q", "1")]
    [InlineData("--calibration-samples must be at least 20, got 5.", "--model", "potts2d", "--calibration-samples", "5")]
    [InlineData("--model: the RG flow reads temperatures with the model's thermometer and needs its MCRG operators, which ising2d, ising3d and potts2d have; got 'dimer'.", "--model", "dimer")]
    public void OptionsThatDoNotApplyAreRefusedInOneSentence(string message, params string[] options)
    {
        using var dir = new TempDirectory();
        var (code, _, err) = Run(["flow", "--size", "8", "--temperatures", "1,1.1", "--samples", "40", "--steps", "1", "--out", Path.Combine(dir.Path, "f"), .. options]);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
    }

    /// <summary>
    /// A learned q = 3 flow (one categorical unit of three states, few training steps) from two temperatures, run
    /// in one process and temperature by temperature through flow part files: the assembled flow is the same, number
    /// for number (categorical filters, the thermometer's named readings and the odd operators' components survive the
    /// file), and the learned rule is the permutation-symmetric projection (biases zero, state s votes for label s).
    /// </summary>
    [Fact]
    public void ALearnedPottsFlowAssembledFromPartsIsTheFlowRunInOneProcess()
    {
        using var dir = new TempDirectory();
        var settings = new FlowSettings
        {
            Model = Rsmi.Models.ModelCatalog.Potts2D.Name, ModelParameters = new SortedDictionary<string, long> { ["q"] = 3 },
            Temperatures = [1.0, 0.95], Size = 16, Samples = 60, Steps = 2, JackknifeBlocks = 10, CalibrationSamples = 60,
            Rule = new RuleSettings
            {
                Name = "infonce", Buffer = 1, Environment = 1,
                Options = new SortedDictionary<string, string> { ["infonce-steps"] = "30", ["infonce-windows"] = "1000", ["infonce-batch"] = "64" },
            },
        };
        var whole = FlowStage.Run(settings, settings.CreateRule(), 9, Path.Combine(dir.Path, "whole"), NullProgress.Instance, null, "test", svg: false).Result;
        var parts = new List<TemperatureFlow>();
        foreach (int i in new[] { 1, 0 })
        {
            string part = Path.Combine(dir.Path, "parts", $"flow-t{FlowStage.RankOf(settings.Temperatures, i)}.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(part)!);
            FlowStage.RunPart(settings, settings.CreateRule(), i, 9, part, NullProgress.Instance, null);
            parts.Add(TemperatureFlowFile.Read(part));
        }
        var assembled = RgFlow.Assemble(parts, settings.CreateRule(), settings.Options(9));
        Assert.Equal(FlowReport.ToJsonString(whole), FlowReport.ToJsonString(assembled));
        var filters = whole.Flows[0].Steps[1].Filters!;
        Assert.Equal(3, filters.FeaturesPerSite);
        Assert.Equal(3, filters.HiddenStates);
        Assert.All(filters.Bias, b => Assert.Equal(0, b));
        for (int s = 0; s < 3; s++)
            for (int i = 0; i < 4; i++)
                for (int a = 0; a < 3; a++)
                    if (a != s) Assert.Equal(0, filters.Row(0, s)[i * 3 + a]);
        Assert.Equal(new[] { "infonce", "plurality" }, whole.Estimates.Rules.Select(r => r.Rule).ToArray());
        Assert.Equal(3, assembled.Flows[0].Chains[0].OddComponents);
    }
}
