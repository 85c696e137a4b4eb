using System.Text.Json.Nodes;
using Rsmi.Plots.Report;
using Rsmi.Study;

namespace Rsmi.Tests.Study;

/// <summary>The report's accuracy tables and its sentence on the range of each rule's effective Hamiltonian, from constructed flow.json contents.</summary>
public class AccuracyReportTests
{
    private static JsonNode Rule(string name, params double[] ranges) => new JsonObject
    {
        ["rule"] = name,
        ["tc_two_lattice"] = new JsonObject { ["value"] = 2.27, ["error"] = 0.001, ["exact"] = 2.269185, ["deviation"] = 0.8 },
        ["nu_mcrg"] = new JsonObject { ["value"] = null, ["error"] = null, ["exact"] = 1.0, ["deviation"] = null },
        ["y_h"] = new JsonObject { ["value"] = 1.876, ["error"] = 0.001, ["exact"] = 1.875, ["deviation"] = 1.0 },
        ["eta"] = new JsonObject { ["value"] = 0.248, ["error"] = 0.002, ["exact"] = 0.25, ["deviation"] = 1.0 },
        ["range_by_step"] = new JsonArray(ranges.Select(r => (JsonNode?)new JsonObject { ["value"] = r, ["error"] = 0.01 }).ToArray()),
    };

    [Fact]
    public void TheVerdictComparesTheRangeOfEveryLearnedRuleWithEveryFixedOneStepByStep()
    {
        var rules = new JsonArray(Rule("infonce", 0.0, 0.10, 0.12, 0.11), Rule("majority", 0.0, 0.20, 0.21, 0.22), Rule("decimation", 0.0, 0.05, 0.30, 0.40));
        string verdict = StudyReport.RangeVerdict(rules);
        Assert.Contains("IS shorter-ranged than majority's (R smaller at 3 of 3 steps k ≥ 1, the difference beyond two error bars at 3)", verdict);
        Assert.Contains("is NOT uniformly shorter-ranged than decimation's (R smaller at 2 of 3 steps", verdict);
        var longer = StudyReport.RangeVerdict(new JsonArray(Rule("rbm", 0.0, 0.5, 0.5), Rule("majority", 0.0, 0.2, 0.2)));
        Assert.Contains("The rbm rule's effective Hamiltonian is NOT shorter-ranged (it is longer-ranged) than majority's", longer);
        Assert.Contains("not compared", StudyReport.RangeVerdict(new JsonArray(Rule("majority", 0.0, 0.2))));
    }

    [Fact]
    public void TheRuleTableShowsEveryRuleWithItsDeviationsAndSaysWhyAValueIsMissing()
    {
        var flow = new JsonObject
        {
            ["match_size"] = 64,
            ["estimates"] = new JsonObject
            {
                ["mcrg_temperature"] = 2.27,
                ["tc_by_step"] = new JsonArray(new JsonObject { ["value"] = 2.25, ["error"] = 0.01 }),
                ["rules"] = new JsonArray(Rule("infonce", 0.0, 0.1), Rule("majority", 0.0, 0.2)),
            },
        };
        var section = new ReportSection { Title = "flow" };
        StudyReport.AddAccuracyTables(section, flow);
        var table = section.Tables.Single(t => t.Header[0] == "rule" && t.Header.Contains("y_h (MCRG)"));
        Assert.Equal(["infonce", "majority"], table.Rows.Select(r => r[0]).ToArray());
        Assert.Equal("2.2700 ± 0.0010 (0.8 σ)", table.Rows[0][1]);
        Assert.Equal("n/a", table.Rows[0][2]);
        Assert.Contains("nu_mcrg: no real leading eigenvalue above 1", table.Rows[0][^1]);
        Assert.Contains(section.Paragraphs, p => p.Contains("The infonce rule's effective Hamiltonian IS shorter-ranged than majority's"));
    }
}
