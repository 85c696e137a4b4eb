using System.Text.Json;
using Rsmi.Cli;
using Rsmi.Models.Ising.Exact;
using Rsmi.Tests.IO;

namespace Rsmi.Tests.Renormalization;

/// <summary>
/// <c>rsmi flow --model ising3d</c> end to end on small lattices: what flow.json records (the model, the Monte Carlo
/// thermometer's readings, the majority baseline, the cubic operators, the 3D critical values and the table of
/// estimates by step), the calibrations kept on disk, and the inputs it refuses.
/// </summary>
public class Ising3DFlowTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void AMajorityFlowRecordsTheModelItsThermometerItsOperatorsAndATableByStep()
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "flow");
        var (code, stdout, err) = Run("flow", "--model", "ising3d", "--size", "16", "--temperatures", "0.95Tc,1Tc,1.05Tc", "--samples", "60",
            "--steps", "2", "--calibration-samples", "40", "--jackknife-blocks", "10", "--seed", "4", "--out", output);
        Assert.True(code == 0, err);
        Assert.Contains("16x16x16", stdout);
        Assert.Contains("step 1 (8x8x8): T_c = ", stdout);
        Assert.Contains("step 2 (4x4x4): T_c = ", stdout);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "flow.json")));
        var root = doc.RootElement;
        Assert.Equal("ising3d", root.GetProperty("model").GetString());
        double tc = Ising3D.CriticalTemperature;
        Assert.Equal(new[] { 0.95 * tc, tc, 1.05 * tc }, root.GetProperty("flows").EnumerateArray().Select(f => f.GetProperty("temperature").GetDouble()).ToArray());
        Assert.Equal(tc, root.GetProperty("provenance").GetProperty("exact_tc").GetDouble());
        var step = root.GetProperty("flows")[1].GetProperty("steps")[1];
        Assert.Equal(8, step.GetProperty("size").GetInt32());
        foreach (string key in new[] { "effective_temperature", "effective_temperature_calibration_low", "effective_temperature_calibration_high", "thermometer_spread", "nn_correlation" })
            Assert.Equal(JsonValueKind.Number, step.GetProperty(key).ValueKind);
        var est = root.GetProperty("estimates");
        Assert.Equal(new[] { "monte_carlo", "calibration_low", "calibration_high" }, est.GetProperty("by_thermometer").EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("majority", est.GetProperty("mcrg").GetProperty("rule").GetString());
        Assert.Equal("knight", est.GetProperty("mcrg").GetProperty("operators").EnumerateArray().Last().GetString());
        Assert.Equal("cross", est.GetProperty("mcrg").GetProperty("odd_operators").EnumerateArray().Last().GetString());
        // η = d + 2 − 2y_h with d = 3.
        Assert.Equal(5 - 2 * est.GetProperty("y_h").GetProperty("value").GetDouble(), est.GetProperty("eta").GetProperty("value").GetDouble(), 9);
        var rule = est.GetProperty("rules")[0];
        Assert.Equal(Ising3D.Nu, rule.GetProperty("nu_mcrg").GetProperty("exact").GetDouble(), 12);
        Assert.Equal(Ising3D.MagneticExponent, rule.GetProperty("y_h").GetProperty("exact").GetDouble(), 12);
        // The table by step: T_c after k steps and ν, y_h of level k − 1 → k for the flow's rule and majority.
        var table = est.GetProperty("estimates_by_step").EnumerateArray().ToArray();
        Assert.Equal(new[] { 1, 2 }, table.Select(t => t.GetProperty("step").GetInt32()).ToArray());
        Assert.Equal(new[] { 8, 4 }, table.Select(t => t.GetProperty("size").GetInt32()).ToArray());
        var levels = est.GetProperty("mcrg").GetProperty("levels").EnumerateArray().ToArray();
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal(levels[k].GetProperty("nu").GetProperty("value").GetDouble(), table[k].GetProperty("nu_mcrg").GetProperty("value").GetDouble());
            Assert.Equal(levels[k].GetProperty("yh").GetProperty("value").GetDouble(), table[k].GetProperty("y_h").GetProperty("value").GetDouble());
            Assert.Equal(tc, table[k].GetProperty("tc").GetProperty("exact").GetDouble());
            Assert.Equal(Ising3D.MagneticExponent, table[k].GetProperty("y_h_majority").GetProperty("exact").GetDouble());
        }
        // The last step's T_c is the flow's crossing; its error adds the thermometer's spread to the jackknife's.
        var last = table[^1].GetProperty("tc");
        if (last.GetProperty("value").ValueKind == JsonValueKind.Number)
        {
            Assert.Equal(est.GetProperty("tc_by_step")[1].GetProperty("value").GetDouble(), last.GetProperty("value").GetDouble());
            Assert.True(last.GetProperty("error").GetDouble() >= est.GetProperty("tc_by_step")[1].GetProperty("error").GetDouble());
        }
        // One calibration per lattice size read: 16, 8 and 4.
        Assert.Equal(3, Directory.GetFiles(Path.Combine(output, "thermometer"), "thermometer-*.json").Length);
    }

    [Theory]
    [InlineData("--q applies to potts2d flows only, not to ising3d.", "--model", "ising3d", "--size", "8", "--q", "3")]
    [InlineData("--mcrg-size must be the flow's lattice size 8 times a power of the block 2 (e.g. 16), so that its steps end on the flow's last lattice; got 24.", "--model", "ising3d", "--size", "8", "--steps", "1", "--mcrg-size", "24", "--mcrg-temperature", "4.4")]
    [InlineData("--mcrg-size needs --mcrg-temperature: the MCRG lattice is drawn at one named temperature.", "--model", "ising3d", "--size", "8", "--steps", "1", "--mcrg-size", "16")]
    [InlineData("--mcrg-size cannot be used with --compare", "--model", "ising3d", "--size", "8", "--steps", "1", "--mcrg-size", "16", "--mcrg-temperature", "4.4", "--compare", "decimation")]
    [InlineData("--calibration-samples must be at least 20, got 5.", "--model", "ising3d", "--size", "8", "--calibration-samples", "5")]
    [InlineData("--calibration-samples applies to ising3d and potts2d flows only (the ising2d thermometer is exact).", "--size", "8", "--calibration-samples", "100")]
    [InlineData("--model: the RG flow reads temperatures with the model's thermometer and needs its MCRG operators, which ising2d, ising3d and potts2d have; got 'ising1d'.", "--model", "ising1d", "--size", "8")]
    [InlineData("--size 10 cannot be coarse-grained 2 times by 2x2 blocks: it must be a multiple of 4 and at least 8.", "--model", "ising3d", "--size", "10", "--steps", "2")]
    [InlineData("the learning window (block 2, buffer 1, environment 1) spans 6 sites, more than the 4x4 lattice that step 2 learns on; use a smaller buffer or environment, fewer steps or a larger lattice.", "--model", "ising3d", "--size", "8", "--estimator", "infonce", "--steps", "2")]
    [InlineData("--size must be even for the checkerboard metropolis update, got 9.", "--model", "ising3d", "--size", "9", "--block", "3", "--algorithm", "metropolis")]
    [InlineData("--size is required unless the starting samples are given with --in.", "--model", "ising3d")]
    public void BadInputIsRefusedInOneSentence(string message, params string[] options)
    {
        using var dir = new TempDirectory();
        var (code, _, err) = Run(["flow", "--temperatures", "4.4,4.6", "--samples", "40", "--out", Path.Combine(dir.Path, "f"), .. options]);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
    }
}
