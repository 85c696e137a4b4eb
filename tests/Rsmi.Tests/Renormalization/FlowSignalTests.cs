using Rsmi.Statistics;
using Rsmi.Filters;
using System.Text.Json;
using Rsmi.Data;
using Rsmi.Models.Ising.Exact;
using Rsmi.Progress;
using Rsmi.Renormalization;

namespace Rsmi.Tests.Renormalization;

/// <summary>
/// Steps whose learned rule has no signal (RuleSources): such a rule is never applied; the flow coarse-grains with the
/// last rule of the same flow that had a signal, or with the majority rule when none had, and says so per step in
/// flow.json and in a notice.
/// </summary>
[Trait("Category", "Statistical")]
public class FlowSignalTests
{
    private const int Size = 32, Steps = 3;
    private static readonly double[] Temperatures = [2.1, 2.4];

    private static SampleSet Samples(int i, double t) => WolffTestSamples.Ising2D(Size, t, 40, (ulong)(90 + i));

    /// <summary>A different block-spin-like filter at every step, so that the rule applied at a step shows in its weights.</summary>
    private static double[] WeightsOf(int step) => step switch
    {
        1 => [0.4, 0.4, 0.4, 0.4],
        2 => [0.9, 0.1, 0.3, 0.5],
        _ => [0.2, 0.6, 0.2, 0.6],
    };

    /// <summary>
    /// A learner standing in for a real one: at RG step k (read off the lattice size) it returns the filter
    /// <see cref="WeightsOf"/>(k), or the filter of step <c>ruleOf(k)</c>, with the signal <c>signalAt(k)</c>.
    /// </summary>
    private sealed class ScriptedEstimator(Func<int, bool> signalAt, Func<int, int>? ruleOf = null, int buffer = 1, int environment = 2) : IRuleEstimator
    {
        public string Name => "scripted";
        public int? Buffer => buffer;
        public int? Environment => environment;
        public IReadOnlyDictionary<string, object?> Options { get; } = new Dictionary<string, object?> { ["scripted-steps"] = 7, ["scripted-mode"] = "fast" };

        public LearnedRule Learn(SampleSet samples, int block, ulong seed, IProgressReporter progress)
        {
            int step = 1 + (int)Math.Round(Math.Log((double)Size / samples.Lx, block));
            int from = ruleOf?.Invoke(step) ?? step;
            bool signal = signalAt(step);
            return new LearnedRule(new LearnedFilterRule(FilterParameters.FromRows([WeightsOf(from)], [0.0]), block, block), new Estimate(signal ? 0.5 : 0.001, 0.01), [0.05], signal);
        }
    }

    private static FlowResult Run(IRuleEstimator estimator, List<string>? notices = null) =>
        RgFlow.Run(Temperatures, Samples, estimator, new FlowOptions { Steps = Steps, Seed = 21, JackknifeBlocks = 5 }, notice: notices is null ? null : notices.Add);

    private static double Nn(FlowStep s) => s.Thermometry.NearestNeighbourCorrelation.Value;

    [Fact]
    public void ANoSignalStepCoarseGrainsWithTheLastRuleThatHadASignal()
    {
        var notices = new List<string>();
        var result = Run(new ScriptedEstimator(step => step != 2), notices);
        // The same flow with the step-1 filter handed in at step 2 with a signal: what "use the previous rule" must give.
        var reference = Run(new ScriptedEstimator(_ => true, step => step == 2 ? 1 : step));
        for (int i = 0; i < result.Flows.Count; i++)
        {
            var steps = result.Flows[i].Steps;
            Assert.Equal(new string?[] { null, RuleSources.Learned, RuleSources.PreviousStep, RuleSources.Learned }, steps.Select(s => s.RuleSource).ToArray());
            Assert.Equal(new bool?[] { null, true, false, true }, steps.Select(s => s.Signal).ToArray());
            Assert.Equal(1, steps[2].RuleStep);
            Assert.Equal(WeightsOf(1), steps[2].Filters!.Row(0).ToArray());
            Assert.Equal(WeightsOf(3), steps[3].Filters!.Row(0).ToArray());
            Assert.Equal(0.001, steps[2].MutualInformation!.Value.Value);
            // The lattices themselves: identical to the flow that applied the step-1 rule at step 2.
            for (int k = 0; k <= Steps; k++) Assert.Equal(Nn(reference.Flows[i].Steps[k]), Nn(steps[k]));
        }
        // A flow that applied the no-signal filter would differ at step 2.
        var applied = Run(new ScriptedEstimator(_ => true));
        Assert.NotEqual(Nn(applied.Flows[0].Steps[2]), Nn(result.Flows[0].Steps[2]));
        Assert.Equal(Temperatures.Length, notices.Count);
        Assert.All(notices, n => Assert.Contains("step 2: the scripted rule learned here has no signal", n));
        Assert.All(notices, n => Assert.Contains("rule learned at step 1", n));
    }

    [Fact]
    public void WithoutAnEarlierSignalTheMajorityRuleCoarseGrains()
    {
        var notices = new List<string>();
        var result = Run(new ScriptedEstimator(step => step == 3), notices);
        var majority = Run(FixedRuleEstimator.Majority);
        for (int i = 0; i < result.Flows.Count; i++)
        {
            var steps = result.Flows[i].Steps;
            Assert.Equal(new string?[] { null, RuleSources.MajorityFallback, RuleSources.MajorityFallback, RuleSources.Learned }, steps.Select(s => s.RuleSource).ToArray());
            Assert.Null(steps[1].Filters);
            Assert.Null(steps[2].Filters);
            Assert.Null(steps[1].LearnedBias);
            // Steps 1 and 2 are the majority rule's lattices (the same coarse-graining streams).
            for (int k = 0; k <= 2; k++) Assert.Equal(Nn(majority.Flows[i].Steps[k]), Nn(steps[k]));
            Assert.NotEqual(Nn(majority.Flows[i].Steps[3]), Nn(steps[3]));
            Assert.Equal(WeightsOf(3), steps[3].Filters!.Row(0).ToArray());
        }
        Assert.Equal(2 * Temperatures.Length, notices.Count);
        Assert.All(notices, n => Assert.Contains("majority rule coarse-grains instead", n));
    }

    [Fact]
    public void FlowJsonRecordsTheSettingsAndTheSourceOfEveryStepsRule()
    {
        using var doc = JsonDocument.Parse(FlowReport.ToJson(Run(new ScriptedEstimator(step => step != 2))));
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("buffer").GetInt32());
        Assert.Equal(2, root.GetProperty("environment").GetInt32());
        Assert.Equal("scripted", root.GetProperty("estimator").GetString());
        Assert.Equal(7, root.GetProperty("estimator_options").GetProperty("scripted-steps").GetInt32());
        Assert.Equal("fast", root.GetProperty("estimator_options").GetProperty("scripted-mode").GetString());
        var steps = root.GetProperty("flows")[0].GetProperty("steps");
        Assert.False(steps[0].TryGetProperty("rule_source", out _));
        Assert.True(steps[1].GetProperty("signal").GetBoolean());
        Assert.Equal("learned", steps[1].GetProperty("rule_source").GetString());
        Assert.False(steps[2].GetProperty("signal").GetBoolean());
        Assert.Equal("previous-step", steps[2].GetProperty("rule_source").GetString());
        Assert.Equal(1, steps[2].GetProperty("rule_step").GetInt32());
        Assert.False(steps[3].TryGetProperty("rule_step", out _));

        // A fixed rule: no window, no options, no signal, source "fixed".
        using var fixedDoc = JsonDocument.Parse(FlowReport.ToJson(Run(FixedRuleEstimator.Decimation)));
        var f = fixedDoc.RootElement;
        Assert.Equal(JsonValueKind.Null, f.GetProperty("buffer").ValueKind);
        Assert.Equal(JsonValueKind.Null, f.GetProperty("environment").ValueKind);
        Assert.Empty(f.GetProperty("estimator_options").EnumerateObject());
        var s1 = f.GetProperty("flows")[0].GetProperty("steps")[1];
        Assert.Equal(JsonValueKind.Null, s1.GetProperty("signal").ValueKind);
        Assert.Equal("fixed", s1.GetProperty("rule_source").GetString());
    }

    [Theory]
    [InlineData(0.05, 0.01, true)]
    [InlineData(0.021, 0.01, true)]
    [InlineData(0.02, 0.01, false)]
    [InlineData(0.001, 0.01, false)]
    [InlineData(-0.01, 0.003, false)]
    [InlineData(0.3, null, true)]
    public void ASignalIsAnEstimateMoreThanTwoErrorBarsAboveZero(double bits, double? error, bool signal) =>
        Assert.Equal(signal, LearnedRule.HasSignal(bits, error));

    [Fact]
    public void TheLearningWindowMustFitTheLastLatticeLearnedOn()
    {
        // 32 → 16 → 8 → 4: step 3 learns on 8×8; block 2 with buffer 2 and environment 3 spans 12 sites.
        var e = Assert.Throws<RsmiInputException>(() => Run(new ScriptedEstimator(_ => true, buffer: 2, environment: 3)));
        Assert.Contains("spans 12 sites", e.Message);
        Assert.Contains("8x8", e.Message);
    }
}
