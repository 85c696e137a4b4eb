using System.Text.Json;
using Rsmi.Cli;
using Rsmi.Models.Ising.Exact;
using Rsmi.Statistics;
using Rsmi.Tests.IO;
using Xunit.Abstractions;

namespace Rsmi.Tests.Renormalization;

/// <summary>
/// Two-lattice matching on the simple cubic lattice through <c>rsmi flow --model ising3d --two-lattice</c>: a majority
/// flow of 16³ lattices matched with 8³ ones at five temperatures within ±2 % of T_c (docs/algorithm.md, "Two-lattice
/// matching"; T_c = 1/K_c = 4.511523, docs/references.md).
/// </summary>
[Trait("Category", "Statistical")]
public class Ising3DTwoLatticeTests(ITestOutputHelper output)
{
    /// <summary>T_c from the matched lattices within three error bars of 1/K_c, with an error below 0.6 % of it; one
    /// estimate per step; the rule table carries the 3D exact values (T_c, y_h = (5 − η)/2).</summary>
    [Fact]
    public void MatchingCubicLatticesOfSidesLAndLOverTwoFindsTc()
    {
        const double tc = Ising3D.CriticalTemperature;
        using var dir = new TempDirectory();
        string output3 = Path.Combine(dir.Path, "flow");
        var o = new StringWriter(); var e = new StringWriter();
        int code = CliApp.Run(["flow", "--model", "ising3d", "--size", "16", "--temperatures", "0.98Tc,0.99Tc,1Tc,1.01Tc,1.02Tc", "--samples", "400",
            "--steps", "2", "--estimator", "majority", "--two-lattice", "--seed", "5", "--out", output3], o, e);
        Assert.True(code == 0, e.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output3, "flow.json")));
        var root = doc.RootElement;
        Assert.Equal("ising3d", root.GetProperty("model").GetString());
        Assert.Equal(8, root.GetProperty("match_size").GetInt32());
        var est = root.GetProperty("estimates");
        var t = Read(est.GetProperty("tc_two_lattice"));
        output.WriteLine($"T_c two lattices = {t} ({100 * (t.Value / tc - 1):F3} %, {t.Deviation(tc):F2} σ)");
        Assert.InRange(t.Error, 1e-5, 0.006 * tc);
        Assert.True(t.Deviation(tc) <= 3, $"T_c = {t}");
        Assert.Equal(2, est.GetProperty("tc_two_lattice_by_step").GetArrayLength());
        var rule = est.GetProperty("rules").EnumerateArray().Single();
        Assert.Equal("majority", rule.GetProperty("rule").GetString());
        Assert.Equal(tc, rule.GetProperty("tc_two_lattice").GetProperty("exact").GetDouble());
        Assert.Equal(Ising3D.MagneticExponent, rule.GetProperty("y_h").GetProperty("exact").GetDouble());
    }

    private static Estimate Read(JsonElement e) => new(e.GetProperty("value").GetDouble(), e.GetProperty("error").GetDouble());
}
