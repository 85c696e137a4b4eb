using System.Diagnostics;
using System.Text.Json;
using Rsmi.Cli;
using Rsmi.Models.Potts.Exact;
using Rsmi.Statistics;
using Rsmi.Tests.IO;
using Xunit.Abstractions;

namespace Rsmi.Tests.Study;

/// <summary>
/// The q = 3 Potts flow study as <c>rsmi run</c> runs it with the <c>potts</c> section's defaults and the default seed:
/// 64 × 64 lattices at seven temperatures between 0.9 and 1.1 T_c, 4000 Wolff samples each, three RG steps with the
/// learned InfoNCE rule (its flow defaults, one categorical unit of three states) and the plurality rule on the same
/// samples. One run serves every assertion (it is the study's cost, a few minutes on two cores).
/// </summary>
[Trait("Category", "Statistical")]
public class PottsFlowAcceptanceTests(ITestOutputHelper output)
{
    private static readonly double Tc = Potts2D.CriticalTemperature(3), Nu = Potts2D.Nu(3);

    private static Estimate Read(JsonElement e) => new(e.GetProperty("value").GetDouble(), e.GetProperty("error").GetDouble());

    /// <summary>
    /// T_c from the flow (the Monte Carlo thermometer's crossing after three steps) within 0.5 % of 1/ln(1 + √3) and
    /// within three error bars; for the learned rule and for plurality, ν from MCRG at the deepest level (16 → 8, the
    /// linearised RG nearest its fixed point) within ±0.04 of 5/6 and within three error bars of it, the average of the
    /// levels 32 → 16 and 16 → 8 within ±0.04, ν at every level with the drift of the last step in the report.
    /// </summary>
    [Fact]
    public void TheQ3FlowFindsTcAndNuFromMcrgForTheLearnedAndThePluralityRule()
    {
        using var dir = new TempDirectory();
        string config = Path.Combine(dir.Path, "potts3.json");
        File.WriteAllText(config, """
        {
          "name": "potts3",
          "ising_filters": { "enabled": false }, "flow": { "enabled": false }, "dimer": { "enabled": false },
          "potts": { "q": [3] },
          "output": { "svg": false }
        }
        """);
        string run = Path.Combine(dir.Path, "run");
        var clock = Stopwatch.StartNew();
        var o = new StringWriter(); var e = new StringWriter();
        Assert.True(CliApp.Run(["run", "--config", config, "--out", run], o, e) == 0, e.ToString());
        output.WriteLine($"rsmi run: {clock.Elapsed.TotalSeconds:F0} s wall, {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F0} s CPU (test process), load average {LoadAverage()}");

        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(run, "potts", "q3", "flow.json")));
        var root = doc.RootElement;
        Assert.Equal(3, root.GetProperty("q").GetInt32());
        Assert.Equal(64, root.GetProperty("size").GetInt32());
        Assert.Equal(3, root.GetProperty("steps").GetInt32());
        var temperatures = root.GetProperty("flows").EnumerateArray().Select(f => f.GetProperty("temperature").GetDouble()).ToArray();
        Assert.True(temperatures.Length >= 7);
        Assert.All(temperatures, t => Assert.InRange(t / Tc, 0.9 - 1e-6, 1.1 + 1e-6));

        var est = root.GetProperty("estimates");
        var tc = Read(est.GetProperty("tc"));
        output.WriteLine($"T_c = {tc} (exact {Tc:F6}, {100 * (tc.Value / Tc - 1):F3} %, {tc.Deviation(Tc):F1} σ)");
        Assert.True(Math.Abs(tc.Value / Tc - 1) <= 0.005, $"T_c = {tc}");
        Assert.True(tc.Deviation(Tc) <= 3, $"T_c = {tc}");

        foreach (string key in new[] { "mcrg", "mcrg_majority" })
        {
            var m = est.GetProperty(key);
            string rule = m.GetProperty("rule").GetString()!;
            var levels = m.GetProperty("levels").EnumerateArray().ToArray();
            Assert.Equal(3, levels.Length);
            var byLevel = levels.Select(l => Read(l.GetProperty("nu"))).ToArray();
            var combined = Read(m.GetProperty("nu"));
            var deepest = byLevel[^1];
            output.WriteLine($"{rule}: ν by level {string.Join(", ", byLevel.Select(v => v.ToString()))}; combined {combined}; deepest {deepest} ({deepest.Deviation(Nu):F1} σ); y_h {Read(m.GetProperty("y_h"))}");
            Assert.Equal(8, levels[^1].GetProperty("coarse_size").GetInt32());
            Assert.True(Math.Abs(deepest.Value - Nu) <= 0.04, $"{rule}: ν at the deepest level = {deepest}");
            Assert.True(deepest.Deviation(Nu) <= 3, $"{rule}: ν at the deepest level = {deepest}");
            Assert.True(Math.Abs(combined.Value - Nu) <= 0.04, $"{rule}: ν combined = {combined}");
        }
        Assert.Equal(new[] { "infonce", "plurality" }, est.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("rule").GetString()).ToArray());

        string report = File.ReadAllText(Path.Combine(run, "report.html"));
        Assert.Contains("Potts model, q = 3", report);
        Assert.Contains("deepest level 16→8", report);
        Assert.Contains("drift (last step)", report);
        Assert.Contains("−4/5", report);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";
}
