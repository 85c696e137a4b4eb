using Rsmi.Data;
using Rsmi.Learning;
using Rsmi.Progress;
using Rsmi.Regions;

namespace Rsmi.Renormalization;

/// <summary>
/// <c>--estimator rbm</c> in the RG flow: at every step the paper's RSMI network (CD-trained RBMs Θ on (V, E) and Ψ
/// on V, then the filter Λ by ascent on the estimate of I_Λ(H:E); <see cref="RsmiLearner"/>) learns one filter on
/// b × b blocks of the current samples, which then coarse-grains them stochastically, h ~ P_Λ(h|V)
/// (Koch-Janusz &amp; Ringel 2018, Fig. 5).
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
    /// <summary>How the coarse spins are drawn from the learned filter.</summary>
    public FilterMode Mode { get; init; } = FilterMode.Sample;
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
        var windows = LearningWindows.Cut(samples, geometry, MaxWindows);
        var result = RsmiLearner.Learn(windows, Training with { Hidden = 1, MaxWindows = MaxWindows, Seed = seed }, progress);
        var f = result.Filter;
        double[] bias = Symmetric ? new double[f.Hidden] : f.Bias.ToArray();
        var rule = new LearnedFilterRule([f.Weights.ToArray()], bias, block, block, Mode, Name);
        // The RSMI network's estimate carries no error bar, so every rule it learns counts as a signal (LearnedRule.HasSignal).
        return new LearnedRule(rule, result.InformationBits, null, Symmetric ? f.Bias.ToArray() : null, LearnedRule.HasSignal(result.InformationBits, null));
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
