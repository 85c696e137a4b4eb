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

    /// <summary>
    /// <c>--mcrg-temperature</c> and <c>--mcrg-samples</c>: MCRG runs at the named temperature even where it is not the
    /// one nearest T_c, and only that temperature (and its L/b lattice) draws the larger number of configurations; the
    /// MCRG result and the provenance say so.
    /// </summary>
    [Fact]
    public void McrgRunsAtTheNamedTemperatureOnItsOwnNumberOfConfigurations()
    {
        string dir = Path.Combine(Path.GetTempPath(), "rsmi-mcrg-at-" + Guid.NewGuid().ToString("N"));
        try
        {
            var o = new StringWriter(); var e = new StringWriter();
            int code = CliApp.Run(["flow", "--size", "16", "--temperatures", "2.20,2.27,2.34", "--samples", "60", "--steps", "2",
                "--estimator", "majority", "--two-lattice", "--mcrg-temperature", "2.34", "--mcrg-samples", "240", "--seed", "3", "--out", dir], o, e);
            Assert.True(code == 0, e.ToString());
            Assert.Contains("at T = 2.34 (240 configurations)", o.ToString());
            using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "flow.json")));
            var root = doc.RootElement;
            var flows = root.GetProperty("flows").EnumerateArray().Select(f => (T: f.GetProperty("temperature").GetDouble(), N: f.GetProperty("samples").GetInt32(),
                M: f.GetProperty("match_samples").GetInt32())).ToArray();
            Assert.Equal(new[] { (2.20, 60, 60), (2.27, 60, 60), (2.34, 240, 240) }, flows);
            var est = root.GetProperty("estimates");
            Assert.Equal(2.34, est.GetProperty("mcrg_temperature").GetDouble());
            Assert.Equal(240, est.GetProperty("mcrg").GetProperty("samples").GetInt32());
            var provenance = root.GetProperty("provenance");
            Assert.Equal(60, provenance.GetProperty("samples_per_temperature").GetInt32());
            Assert.Equal(2.34, provenance.GetProperty("mcrg_temperature").GetDouble());
            Assert.Equal(240, provenance.GetProperty("mcrg_samples").GetInt32());
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("--mcrg-samples 200", "--mcrg-samples needs --mcrg-temperature")]
    [InlineData("--mcrg-temperature 2.25", "--mcrg-temperature 2.25 is not one of the starting temperatures (2.2, 2.3)")]
    [InlineData("--mcrg-temperature 2.2,2.3", "--mcrg-temperature takes one temperature")]
    [InlineData("--mcrg-temperature warm", "--mcrg-temperature: 'warm' is not a positive number")]
    [InlineData("--mcrg-temperature 2.3 --mcrg-samples 5", "--mcrg-samples must be at least 10")]
    public void McrgSettingsThatCannotApplyAreRefused(string extra, string message)
    {
        string dir = Path.Combine(Path.GetTempPath(), "rsmi-mcrg-bad-" + Guid.NewGuid().ToString("N"));
        try
        {
            var o = new StringWriter(); var e = new StringWriter();
            int code = CliApp.Run(["flow", "--size", "8", "--temperatures", "2.2,2.3", "--samples", "20", "--steps", "1", "--out", dir, .. extra.Split(' ')], o, e);
            Assert.Equal(2, code);
            Assert.Contains(message, e.ToString());
            Assert.False(File.Exists(Path.Combine(dir, "flow.json")));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    /// <summary>The flow stage itself refuses MCRG settings that cannot apply before it writes anything: no directory is made.</summary>
    [Theory]
    [InlineData(null, 200)]
    [InlineData(2.25, null)]
    public void TheFlowStageRefusesMcrgSettingsBeforeWritingAnything(double? temperature, int? samples)
    {
        string dir = Path.Combine(Path.GetTempPath(), "rsmi-mcrg-stage-" + Guid.NewGuid().ToString("N"));
        var settings = new Rsmi.Study.Stages.FlowSettings
        {
            Temperatures = [2.2, 2.3], Size = 8, Samples = 20, Steps = 1, Rule = new Rsmi.Study.Stages.RuleSettings { Name = "majority" },
            McrgTemperature = temperature, McrgSamples = samples,
        };
        var e = Assert.Throws<RsmiInputException>(() => Rsmi.Study.Stages.FlowStage.Run(settings, settings.CreateRule(), 1, dir,
            Rsmi.Progress.NullProgress.Instance, null, "test"));
        Assert.Contains("mcrg", e.Message);
        Assert.False(Directory.Exists(dir));
    }

    private static Rsmi.Statistics.Estimate Read(JsonElement e) => new(e.GetProperty("value").GetDouble(), e.GetProperty("error").GetDouble());
}
