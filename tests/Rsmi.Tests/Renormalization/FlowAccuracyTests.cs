using System.Text.Json;
using Rsmi.Cli;
using Rsmi.Models.Ising.Exact;
using Xunit.Abstractions;

namespace Rsmi.Tests.Renormalization;

/// <summary>
/// The accuracy keys of flow.json end to end through <c>rsmi flow --two-lattice --compare</c>: a majority-rule flow of
/// 32×32 lattices matched with 16×16 ones near T_c, with decimation on the same samples.
/// </summary>
[Trait("Category", "Statistical")]
public class FlowAccuracyTests(ITestOutputHelper output)
{
    private const double Tc = Ising2D.CriticalTemperature;

    /// <summary>
    /// Two-lattice matching with the majority rule finds T_c within three error bars, with an error below 0.6%; y_h
    /// and η come with every level's values per number of operators; the rule table has majority and decimation with
    /// the exact values and |Δ|/σ; the effective couplings are there per rule and step, and at step 0 (the
    /// nearest-neighbour samples themselves) K_nn = 1/T₀ within three error bars and the range is small.
    /// </summary>
    [Fact]
    public void TwoLatticeMatchingAndTheRuleTableOfAMajorityFlow()
    {
        string dir = Path.Combine(Path.GetTempPath(), "rsmi-accuracy-" + Guid.NewGuid().ToString("N"));
        try
        {
            var o = new StringWriter(); var e = new StringWriter();
            int code = CliApp.Run(["flow", "--size", "32", "--temperatures", "2.20,2.24,2.27,2.30,2.34", "--samples", "1000", "--steps", "3",
                "--estimator", "majority", "--two-lattice", "--compare", "decimation,majority", "--seed", "5", "--out", dir], o, e);
            Assert.True(code == 0, e.ToString());
            output.WriteLine(o.ToString());
            using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "flow.json")));
            var root = doc.RootElement;
            Assert.Equal(16, root.GetProperty("match_size").GetInt32());
            var est = root.GetProperty("estimates");
            var tc = Read(est.GetProperty("tc_two_lattice"));
            output.WriteLine($"T_c two lattices = {tc.Value} ± {tc.Error} ({tc.Deviation(Tc):F2} σ)");
            Assert.InRange(tc.Error, 1e-5, 0.006 * Tc);
            Assert.True(tc.Deviation(Tc) <= 3, $"T_c = {tc}");
            Assert.Equal(3, est.GetProperty("tc_two_lattice_by_step").GetArrayLength());
            Assert.Equal(2, est.GetProperty("tc_two_lattice_step").GetInt32());
            foreach (string key in new[] { "y_h", "eta", "tc_by_step_extrapolated" }) Assert.True(est.TryGetProperty(key, out _), key);
            var levels = est.GetProperty("mcrg").GetProperty("levels").EnumerateArray().ToArray();
            Assert.Equal(3, levels.Length);
            Assert.True(levels[0].GetProperty("yh_by_operators").GetArrayLength() >= 2);
            var rules = est.GetProperty("rules").EnumerateArray().ToArray();
            Assert.Equal(new[] { "majority", "decimation" }, rules.Select(r => r.GetProperty("rule").GetString()).ToArray());
            foreach (var r in rules)
            {
                Assert.Equal(Tc, r.GetProperty("tc_two_lattice").GetProperty("exact").GetDouble());
                Assert.Equal(15.0 / 8, r.GetProperty("y_h").GetProperty("exact").GetDouble());
                Assert.Equal(4, r.GetProperty("range_by_step").GetArrayLength());
            }
            var couplings = est.GetProperty("effective_couplings");
            foreach (string rule in new[] { "majority", "decimation" })
            {
                var steps = couplings.GetProperty(rule).EnumerateArray().ToArray();
                Assert.Equal(4, steps.Length);
                Assert.Equal(new[] { 32, 16, 8, 4 }, steps.Select(s => s.GetProperty("size").GetInt32()).ToArray());
                double t0 = est.GetProperty("mcrg_temperature").GetDouble();
                var knn = Read(steps[0].GetProperty("nn"));
                Assert.True(knn.Deviation(1 / t0) <= 3, $"{rule}: K_nn = {knn} at T₀ = {t0}");
                Assert.True(Read(steps[0].GetProperty("range")).Value < 0.1);
            }
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    private static Rsmi.Statistics.Estimate Read(JsonElement e) => new(e.GetProperty("value").GetDouble(), e.GetProperty("error").GetDouble());
}
