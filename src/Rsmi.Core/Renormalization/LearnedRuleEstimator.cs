using Rsmi.Filters;
using Rsmi.Data;
using Rsmi.Learning;
using Rsmi.Learning.Ensembles;
using Rsmi.Progress;
using Rsmi.Regions;

namespace Rsmi.Renormalization;

/// <summary>
/// A learned rule in the RG flow: at every step a learner of RSMI filters learns one filter (N_h = 1) on b × b blocks
/// of the current samples (Koch-Janusz &amp; Ringel 2018, Fig. 5). As in <c>rsmi learn</c>, an ensemble of independent
/// runs is trained and judged on held-out configurations (<see cref="FilterEnsemble"/>; docs/learning.md,
/// "Ensembles"): the member with the most information as applied is kept, and its held-out estimate decides whether
/// the step has a signal. The rule is applied as the ensemble judged it, h = sign(Λ·V + c) by default, projected onto
/// the Z2-symmetric rules (<see cref="Symmetric"/>). Which learner runs is the caller's choice: one of the
/// <see cref="LearnerCatalog"/>'s, through <see cref="RuleEstimators.Learned"/>.
/// </summary>
/// <param name="learner">The learner of one ensemble member (its settings are the flow's; N_h and the seed are set per step).</param>
public sealed class LearnedRuleEstimator(IFilterLearner learner) : IRuleEstimator
{
    /// <summary>The learner of one ensemble member.</summary>
    public IFilterLearner Learner { get; } = learner;
    /// <inheritdoc />
    public string Name => Learner.Name;
    /// <summary>Buffer thickness L_B between V and E.</summary>
    public int Buffer { get; init; } = 1;
    /// <summary>Environment thickness L_E.</summary>
    public int Environment { get; init; } = 1;
    /// <summary>The options that configured the learner, for the record (see <see cref="IRuleEstimator.Options"/>).</summary>
    public IReadOnlyDictionary<string, object?> Options { get; init; } = RuleSources.NoOptions;
    int? IRuleEstimator.Buffer => Buffer;
    int? IRuleEstimator.Environment => Environment;
    /// <summary>How the coarse spins are drawn from the learned filter (also how the ensemble judges it).</summary>
    public FilterMode Mode { get; init; } = FilterMode.Sign;
    /// <summary>The ensemble at every step (members, held-out fractions, signal rule); its seed is the step's.</summary>
    public FilterEnsembleOptions Ensemble { get; init; } = new();
    /// <summary>
    /// Project the rule onto the Z2-symmetric ones, c → 0, so that P_Λ(−h|−V) = P_Λ(h|V) (default; for categorical
    /// units every state's bias is set to zero, so that no coarse label is favoured over the others). The Ising
    /// Hamiltonian is Z2-symmetric and an RG map must commute with that symmetry, or every step generates a magnetic
    /// field and the flow leaves the even subspace. The objective hardly constrains c (it acts on tied blocks, which
    /// carry little information about E), so the learned c drifts; its value is recorded in flow.json.
    /// </summary>
    public bool Symmetric { get; init; } = true;

    /// <inheritdoc />
    public LearnedRule Learn(SampleSet samples, int block, ulong seed, IProgressReporter progress)
    {
        var geometry = WindowGeometry.Square(block, block, Buffer, Environment);
        var result = FilterEnsemble.Learn(samples, geometry, 1, Learner, Ensemble with { Seed = seed, Application = Mode }, progress);
        var f = result.Chosen.Learned.Filter;
        var applied = new FilterParameters(f.Visible, f.Hidden, f.FeaturesPerSite, f.HiddenStates, f.Weights, Symmetric ? new double[f.Bias.Length] : f.Bias);
        var rule = new LearnedFilterRule(applied, block, block, Mode, Name);
        return new LearnedRule(rule, result.MutualInformation, Symmetric ? f.Bias.ToArray() : null, result.Signal);
    }
}
