using Rsmi.Data;
using Rsmi.Progress;

namespace Rsmi.Renormalization;

/// <summary>A coarse-graining rule obtained for one RG step, with what the estimator measured on the way.</summary>
/// <param name="Rule">The rule to apply at this step.</param>
/// <param name="MutualInformationBits">The estimator's I_Λ(H:E) in bits, when it measures one.</param>
/// <param name="MutualInformationBitsError">Its standard error, when known.</param>
/// <param name="LearnedBias">The biases the learner found, when the rule uses others (the Z2 projection c → 0).</param>
public sealed record LearnedRule(ICoarseGrainingRule Rule, double? MutualInformationBits = null, double? MutualInformationBitsError = null, double[]? LearnedBias = null);

/// <summary>
/// Where the RG flow gets its coarse-graining rule at each step: a learner of RSMI filters (RBM, InfoNCE) or a fixed
/// rule (majority, decimation). <see cref="Learn"/> is called once per step on the current (coarse) samples.
/// </summary>
public interface IRuleEstimator
{
    /// <summary>Name as given to <c>rsmi flow --estimator</c>.</summary>
    string Name { get; }

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
/// The estimators <c>rsmi flow --estimator</c> knows: the fixed rules, plus every learner adapter in this assembly
/// (a public class implementing <see cref="IRuleEstimator"/> with a public parameterless constructor), so that a
/// learner is added in its own file.
/// </summary>
public static class RuleEstimators
{
    /// <summary>All estimators by name.</summary>
    public static IReadOnlyDictionary<string, Func<IRuleEstimator>> All { get; } = Discover();

    private static Dictionary<string, Func<IRuleEstimator>> Discover()
    {
        var all = new SortedDictionary<string, Func<IRuleEstimator>>(StringComparer.Ordinal)
        {
            ["majority"] = () => FixedRuleEstimator.Majority,
            ["decimation"] = () => FixedRuleEstimator.Decimation,
        };
        foreach (var type in typeof(RuleEstimators).Assembly.GetTypes()
                     .Where(t => typeof(IRuleEstimator).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false, IsPublic: true } && t.GetConstructor(Type.EmptyTypes) != null)
                     .OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var probe = (IRuleEstimator)Activator.CreateInstance(type)!;
            all[probe.Name] = () => (IRuleEstimator)Activator.CreateInstance(type)!;
        }
        return new Dictionary<string, Func<IRuleEstimator>>(all, StringComparer.Ordinal);
    }

    /// <summary>The estimator called <paramref name="name"/>, or an <see cref="RsmiInputException"/> naming the known ones.</summary>
    public static IRuleEstimator Create(string name)
    {
        if (All.TryGetValue(name, out var create)) return create();
        string hint = name is "rbm" or "infonce" ? $" (the {name} learner is not part of this build)" : "";
        throw new RsmiInputException($"--estimator: unknown estimator '{name}'{hint}; available: {string.Join(", ", All.Keys)}.");
    }
}
