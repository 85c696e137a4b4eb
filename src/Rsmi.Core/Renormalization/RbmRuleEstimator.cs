using Rsmi.Data;
using Rsmi.Learning;
using Rsmi.Learning.Ensembles;
using Rsmi.Progress;
using Rsmi.Regions;

namespace Rsmi.Renormalization;

/// <summary>
/// <c>--estimator rbm</c> in the RG flow: at every step the paper's RSMI network (CD-trained RBMs Θ on (V, E) and Ψ
/// on V, then the filter Λ by ascent on the estimate of I_Λ(H:E); <see cref="RsmiLearner"/>) learns one filter on
/// b × b blocks of the current samples (Koch-Janusz &amp; Ringel 2018, Fig. 5). As in <c>rsmi learn</c>, an ensemble of
/// independent runs is trained and judged on held-out configurations (<see cref="FilterEnsemble"/>; docs/learning.md,
/// "Ensembles"): the member with the most information as applied is kept, and its held-out estimate decides whether
/// the step has a signal. The rule is applied as the ensemble judged it, h = sign(Λ·V + c) by default.
/// </summary>
public sealed class RbmRuleEstimator : IRuleEstimator
{
    /// <inheritdoc />
    public string Name => "rbm";
    /// <summary>Buffer thickness L_B between V and E.</summary>
    public int Buffer { get; init; } = 1;
    /// <summary>Environment thickness L_E.</summary>
    public int Environment { get; init; } = 1;
    /// <summary>The options that configured this estimator, for the record (see <see cref="IRuleEstimator.Options"/>).</summary>
    public IReadOnlyDictionary<string, object?> Options { get; init; } = RuleSources.NoOptions;
    int? IRuleEstimator.Buffer => Buffer;
    int? IRuleEstimator.Environment => Environment;
    /// <summary>Most (V, E) windows used for learning (cut from an evenly spaced subset of the configurations).</summary>
    public int MaxWindows { get; init; } = 20_000;
    /// <summary>Training settings (hidden units and seed are set per step).</summary>
    public RsmiTrainingOptions Training { get; init; } = new RsmiTrainingOptions() with
    {
        Updates = 300,
        JointRbm = new RsmiTrainingOptions().JointRbm with { MaxUpdates = 1500 },
        BlockRbm = new RsmiTrainingOptions().BlockRbm with { MaxUpdates = 1000 },
    };
    /// <summary>How the coarse spins are drawn from the learned filter (also how the ensemble judges it).</summary>
    public FilterMode Mode { get; init; } = FilterMode.Sign;
    /// <summary>The ensemble at every step (members, held-out fractions, signal rule); its seed is the step's.</summary>
    public FilterEnsembleOptions Ensemble { get; init; } = new();
    /// <summary>
    /// Project the rule onto the Z2-symmetric ones, c → 0, so that P_Λ(−h|−V) = P_Λ(h|V) (default). The Ising
    /// Hamiltonian is Z2-symmetric and an RG map must commute with that symmetry, or every step generates a magnetic
    /// field and the flow leaves the even subspace. The objective hardly constrains c (it acts on tied blocks, which
    /// carry little information about E), so the learned c drifts; its value is recorded in flow.json.
    /// </summary>
    public bool Symmetric { get; init; } = true;

    /// <inheritdoc />
    public LearnedRule Learn(SampleSet samples, int block, ulong seed, IProgressReporter progress)
    {
        var geometry = WindowGeometry.Square(block, block, Buffer, Environment);
        var learner = new RbmFilterLearner(Training with { MaxWindows = MaxWindows });
        var result = FilterEnsemble.Learn(samples, geometry, 1, learner, Ensemble with { Seed = seed, Application = Mode }, progress);
        return RuleFromEnsemble.Create(result, block, Mode, Name, Symmetric);
    }
}

/// <summary>The flow's rule from an ensemble: the chosen member's filter, its held-out information and the signal verdict.</summary>
internal static class RuleFromEnsemble
{
    /// <summary>The rule of <paramref name="result"/>'s chosen member (bias set to zero when <paramref name="symmetric"/>, the learned one recorded).</summary>
    public static LearnedRule Create(EnsembleResult result, int block, FilterMode mode, string name, bool symmetric)
    {
        var f = result.Chosen.Learned.Filter;
        double[] bias = symmetric ? new double[f.Hidden] : f.Bias.ToArray();
        var weights = Enumerable.Range(0, f.Hidden).Select(j => f.Row(j).ToArray()).ToArray();
        var rule = new LearnedFilterRule(weights, bias, block, block, mode, name);
        return new LearnedRule(rule, result.MutualInformationBits, result.MutualInformationBitsError, symmetric ? f.Bias.ToArray() : null, result.Signal);
    }
}

/// <summary>(V, E) windows for a learner from an evenly spaced subset of the configurations, so that memory stays bounded.</summary>
public static class LearningWindows
{
    /// <summary>
    /// Windows of the non-overlapping block tiling from the fewest evenly spaced configurations that give at least
    /// <paramref name="maxWindows"/> windows (all configurations when they give fewer).
    /// </summary>
    public static Windows Cut(SampleSet samples, WindowGeometry geometry, int maxWindows)
    {
        int perConfiguration = Math.Max(1, (samples.Lx / geometry.BlockX) * (samples.Ly / geometry.BlockY));
        int wanted = Math.Min(samples.Count, (maxWindows + perConfiguration - 1) / perConfiguration);
        var data = new sbyte[(long)wanted * samples.Sites];
        for (int k = 0; k < wanted; k++)
            samples.Configuration((int)((long)k * samples.Count / wanted)).CopyTo(data.AsSpan(k * samples.Sites, samples.Sites));
        var subset = new SampleSet(wanted, samples.SiteShape, data, samples.Metadata);
        return WindowCutter.Cut(subset, geometry);
    }
}
