using Rsmi.Statistics;
using Rsmi.Data;
using Rsmi.Progress;

namespace Rsmi.Renormalization;

/// <summary>A coarse-graining rule obtained for one RG step, with what the estimator measured on the way.</summary>
/// <param name="Rule">The rule to apply at this step.</param>
/// <param name="MutualInformation">The estimator's I_Λ(H:E) in bits with its standard error (NaN when unknown), when it
/// measures one.</param>
/// <param name="LearnedBias">The biases the learner found, when the rule uses others (the Z2 projection c → 0).</param>
/// <param name="Signal">
/// Whether the learner found a signal, i.e. an estimate of I_Λ(H:E) that is not consistent with zero: null for fixed
/// rules, which measure nothing. <see cref="RgFlow"/> never coarse-grains with a learned rule whose signal is false
/// (see <see cref="RuleSources"/>).
/// </param>
public sealed record LearnedRule(ICoarseGrainingRule Rule, Estimate? MutualInformation = null, double[]? LearnedBias = null,
    bool? Signal = null)
{
    /// <summary>
    /// The signal rule of the learners that report I_Λ(H:E) with a standard error σ: a signal when the estimate lies
    /// more than 2σ above zero, I − 2σ &gt; 0 (a one-sided test at about 2.3% false positives for a Gaussian error);
    /// a signal whenever no error is known, since nothing then says the estimate is consistent with zero.
    /// </summary>
    public static bool HasSignal(double mutualInformationBits, double? error) =>
        error is not double e || !double.IsFinite(e) || mutualInformationBits - 2 * e > 0;
}

/// <summary>
/// Where the RG flow gets its coarse-graining rule at each step: a learner of RSMI filters (RBM, InfoNCE) or a fixed
/// rule (majority, decimation). <see cref="Learn"/> is called once per step on the current (coarse) samples.
/// </summary>
public interface IRuleEstimator
{
    /// <summary>Name as given to <c>rsmi flow --estimator</c>.</summary>
    string Name { get; }

    /// <summary>Buffer thickness L_B between V and E of the learning windows; null for rules that learn nothing.</summary>
    int? Buffer => null;

    /// <summary>Environment thickness L_E of the learning windows; null for rules that learn nothing.</summary>
    int? Environment => null;

    /// <summary>
    /// The settings of the learner, for the record (flow.json <c>estimator_options</c>): the effective value of every
    /// option by its command-line name without the dashes (e.g. <c>infonce-steps</c>), defaults included. Empty for
    /// fixed rules, and for a learner configured in code unless its creator fills it in.
    /// </summary>
    IReadOnlyDictionary<string, object?> Options => RuleSources.NoOptions;

    /// <summary>
    /// The rule for b × b blocks (<paramref name="block"/>) learned from <paramref name="samples"/> (2D Ising,
    /// side divisible by the block); deterministic given <paramref name="seed"/>.
    /// </summary>
    LearnedRule Learn(SampleSet samples, int block, ulong seed, IProgressReporter progress);
}

/// <summary>A fixed rule used as an estimator: majority rule or decimation, the baselines of the learned flows.</summary>
public sealed class FixedRuleEstimator : IRuleEstimator
{
    private readonly Func<int, ICoarseGrainingRule> _create;

    private FixedRuleEstimator(string name, Func<int, ICoarseGrainingRule> create) { Name = name; _create = create; }

    /// <summary>Majority rule with a fair coin for ties.</summary>
    public static FixedRuleEstimator Majority { get; } = new("majority", b => new MajorityRule(b));
    /// <summary>Decimation (top-left spin of each block).</summary>
    public static FixedRuleEstimator Decimation { get; } = new("decimation", b => new DecimationRule(b));

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public LearnedRule Learn(SampleSet samples, int block, ulong seed, IProgressReporter progress) => new(_create(block));
}

/// <summary>
/// The estimators the RG flow knows: the fixed rules (majority, decimation), which belong to the flow, and the
/// learners of the <see cref="Rsmi.Learning.LearnerCatalog"/> that learn flow rules, each run through a
/// <see cref="LearnedRuleEstimator"/>. The flow names no learner itself: a learned rule is built from a catalog entry's
/// settings (<see cref="Learned"/>).
/// </summary>
public static class RuleEstimators
{
    /// <summary>The fixed rules by name.</summary>
    public static IReadOnlyDictionary<string, FixedRuleEstimator> FixedRules { get; } = new Dictionary<string, FixedRuleEstimator>(StringComparer.Ordinal)
    {
        ["majority"] = FixedRuleEstimator.Majority,
        ["decimation"] = FixedRuleEstimator.Decimation,
    };

    /// <summary>All estimators by name (sorted), the learned ones with the flow's default settings and window.</summary>
    public static IReadOnlyDictionary<string, Func<IRuleEstimator>> All { get; } = Collect();

    private static Dictionary<string, Func<IRuleEstimator>> Collect()
    {
        var all = new SortedDictionary<string, Func<IRuleEstimator>>(StringComparer.Ordinal);
        foreach (var (name, rule) in FixedRules) all[name] = () => rule;
        foreach (var learner in Rsmi.Learning.LearnerCatalog.All.Where(l => l.LearnsFlowRules))
            all[learner.Name] = () => Learned(learner.Parse(new Dictionary<string, string>(), Rsmi.Learning.LearnerUse.FlowRule,
                new Rsmi.Learning.LearnerContext(Rsmi.Regions.WindowGeometry.Square(2, 2, 1, 1), null)), 1, 1);
        return new Dictionary<string, Func<IRuleEstimator>>(all, StringComparer.Ordinal);
    }

    /// <summary>Whether <paramref name="name"/> is a fixed rule.</summary>
    public static bool IsFixed(string name) => FixedRules.ContainsKey(name);

    /// <summary>
    /// The learned rule of <paramref name="settings"/> (parsed for <see cref="Rsmi.Learning.LearnerUse.FlowRule"/>) on
    /// learning windows with buffer <paramref name="buffer"/> and environment <paramref name="environment"/>; its
    /// <see cref="IRuleEstimator.Options"/> are the settings' effective values.
    /// </summary>
    public static LearnedRuleEstimator Learned(Rsmi.Learning.LearnerSettings settings, int buffer, int environment)
    {
        Require.That(settings.Learner.LearnsFlowRules, $"the {settings.Learner.Name} learner does not learn flow rules.");
        return new LearnedRuleEstimator(settings.CreateLearner()) { Buffer = buffer, Environment = environment, Options = settings.Effective };
    }

    /// <summary>The estimator called <paramref name="name"/>, or an <see cref="RsmiInputException"/> naming the known ones.</summary>
    public static IRuleEstimator Create(string name)
    {
        if (All.TryGetValue(name, out var create)) return create();
        throw new RsmiInputException($"{RsmiInputException.Option("estimator")}: unknown estimator '{name}'; available: {string.Join(", ", All.Keys)}.");
    }
}

/// <summary>
/// Where the rule that produced an RG step came from (flow.json <c>rule_source</c>). A learned rule whose estimate of
/// I_Λ(H:E) is consistent with zero (<see cref="LearnedRule.Signal"/> false) is noise, and coarse-graining with it
/// would replace the flow by a random map. <see cref="RgFlow"/> then applies instead the last rule of the same flow
/// that had a signal (<see cref="PreviousStep"/>): near a fixed point the optimal rule is the same at every step,
/// and the learned Ising filters are the same block spin at every step (README, RG flow). When no earlier step of
/// that flow had a signal it applies the majority rule (<see cref="MajorityFallback"/>), the block-spin rule of
/// Kadanoff that the learned 2D Ising filter approximates. Stopping the flow there instead would leave a hole in
/// the T_eff table from which T_c and ν are read at every temperature.
/// </summary>
public static class RuleSources
{
    /// <summary>A fixed rule (majority, decimation) chosen with <c>--estimator</c>.</summary>
    public const string Fixed = "fixed";
    /// <summary>The rule learned at this step (it had a signal, or its learner reports none).</summary>
    public const string Learned = "learned";
    /// <summary>The rule learned at an earlier step of the same flow, the last one that had a signal.</summary>
    public const string PreviousStep = "previous-step";
    /// <summary>The majority rule, because no step of the flow so far had a signal.</summary>
    public const string MajorityFallback = "majority-fallback";

    internal static readonly IReadOnlyDictionary<string, object?> NoOptions = new Dictionary<string, object?>();
}
