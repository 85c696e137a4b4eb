using System.Diagnostics;
using System.Text.Json;
using Rsmi.Cli;
using Rsmi.Models.Ising.Exact;
using Rsmi.Statistics;
using Rsmi.Tests.IO;
using Xunit.Abstractions;

namespace Rsmi.Acceptance;

/// <summary>
/// The 3D Ising flow study: 32³ lattices at seven temperatures between 0.95 and 1.05 T_c, 1000 Wolff samples each,
/// two RG steps of 2×2×2 blocks with the learned InfoNCE rule (its flow defaults, cubic windows with buffer 1 and
/// environment 1) and the majority rule (ties at random) on the same samples, temperatures read by the Monte Carlo
/// thermometer. The bar: T_c within 0.3 % of 1/K_c = 4.511523; ν from MCRG within 2 % of 0.62997 for the learned and
/// the majority rule; y_h within 1 % of (5 − η)/2 = 2.4819; every error bar covering the exact value (within three
/// of them). One run serves every assertion. T_c is met; ν and y_h are not yet (<see cref="Measured"/>): the test fails.
/// </summary>
[Trait("Category", "Statistical")]
public class Ising3DFlowAcceptanceTests(ITestOutputHelper output)
{
    private const double Tc = Ising3D.CriticalTemperature, Nu = Ising3D.Nu, Yh = Ising3D.MagneticExponent;

    /// <summary>What the study cost and gave when measured (seed 1; 2 shared cores).</summary>
    private const string Measured =
        "The study takes about 7 minutes on two shared cores (5 minutes of CPU time); measured with seed 1: " +
        "T_c = 4.51007 ± 0.00095 (−0.03 %, 1.5 σ: met); ν from MCRG at level 16→8 = 0.656 ± 0.012 with the learned rule (+4.1 %, 2.2 σ) and " +
        "0.647 ± 0.013 with majority (+2.7 %, 1.3 σ), outside ±2 %; y_h = 2.4620 ± 0.0039 learned (−0.80 %, 5.1 σ) and 2.4645 ± 0.0031 majority " +
        "(−0.70 %, 5.5 σ), within 1 % but not covered by their error bars: two b = 2 steps from the nearest-neighbour model with six even and " +
        "four odd operators leave ν and y_h short of the fixed point (docs/algorithm.md, '3D Ising operators')";

    private static Estimate Read(JsonElement e) => new(e.GetProperty("value").GetDouble(), e.GetProperty("error").GetDouble());

    [Fact]
    public void The32CubedFlowFindsTcNuAndYhForTheLearnedAndTheMajorityRule()
    {
        using var dir = new TempDirectory();
        string flow = Path.Combine(dir.Path, "flow");
        var clock = Stopwatch.StartNew();
        var o = new StringWriter(); var e = new StringWriter();
        Assert.True(CliApp.Run(["flow", "--model", "ising3d", "--size", "32", "--temperatures", "0.95Tc,0.9667Tc,0.9833Tc,1Tc,1.0167Tc,1.0333Tc,1.05Tc",
            "--samples", "1000", "--steps", "2", "--estimator", "infonce", "--out", flow], o, e) == 0, e.ToString());
        output.WriteLine($"rsmi flow: {clock.Elapsed.TotalSeconds:F0} s wall");
        output.WriteLine(o.ToString());

        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(flow, "flow.json")));
        var root = doc.RootElement;
        Assert.Equal("ising3d", root.GetProperty("model").GetString());
        Assert.Equal(32, root.GetProperty("size").GetInt32());
        Assert.Equal(2, root.GetProperty("steps").GetInt32());
        var temperatures = root.GetProperty("flows").EnumerateArray().Select(f => f.GetProperty("temperature").GetDouble()).ToArray();
        Assert.True(temperatures.Length >= 7);
        Assert.All(temperatures, t => Assert.InRange(t / Tc, 0.95 - 1e-6, 1.05 + 1e-6));

        var est = root.GetProperty("estimates");
        var failures = new List<string>();
        void Check(string what, Estimate value, double exact, double relative)
        {
            string line = $"{what} = {value} (exact {exact:F6}, {100 * (value.Value / exact - 1):F2} %, {value.Deviation(exact):F1} σ)";
            output.WriteLine(line);
            if (!(Math.Abs(value.Value / exact - 1) <= relative) || !(value.Deviation(exact) <= 3)) failures.Add(line);
        }
        Check("T_c", Read(est.GetProperty("tc")), Tc, 0.003);
        foreach (string key in new[] { "mcrg", "mcrg_majority" })
        {
            var m = est.GetProperty(key);
            string rule = m.GetProperty("rule").GetString()!;
            Check($"ν ({rule}, MCRG)", Read(m.GetProperty("nu")), Nu, 0.02);
            Check($"y_h ({rule}, MCRG)", Read(m.GetProperty("y_h")), Yh, 0.01);
        }
        var table = est.GetProperty("estimates_by_step").EnumerateArray().ToArray();
        Assert.Equal(new[] { 16, 8 }, table.Select(t => t.GetProperty("size").GetInt32()).ToArray());
        Assert.True(failures.Count == 0, "not met: " + string.Join("; ", failures) + ". Measured before: " + Measured);
    }
}
