using Rsmi.Filters;
using Rsmi.Data;
using Rsmi.Learning;
using Rsmi.Learning.Ensembles;
using Rsmi.Progress;
using Rsmi.Regions;

namespace Rsmi.Renormalization;

/// <summary>
/// A learned rule in the RG flow: at every step a learner of RSMI filters learns one filter (N_h = 1) on b × b blocks
/// (b × b × b blocks of cubic lattices) of the current samples (Koch-Janusz &amp; Ringel 2018, Fig. 5). As in <c>rsmi learn</c>, an ensemble of independent
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
    /// Project the rule onto those that commute with the model's symmetry (default). For ±1 spins: the Z2-symmetric
    /// rules, c → 0, so that P_Λ(−h|−V) = P_Λ(h|V). The Ising Hamiltonian is Z2-symmetric and an RG map must commute
    /// with that symmetry, or every step generates a magnetic field and the flow leaves the even subspace. The
    /// objective hardly constrains c (it acts on tied blocks, which carry little information about E), so the learned c
    /// drifts; its value is recorded in flow.json. For a categorical unit on q-state labels (q_h = q): the rules
    /// that commute with every permutation of the labels, <see cref="PermutationSymmetric"/>; for a binary unit on
    /// two-state labels (q = 2), those that commute with the exchange of the labels, <see cref="ExchangeSymmetric"/>.
    /// </summary>
    public bool Symmetric { get; init; } = true;

    /// <inheritdoc />
    public LearnedRule Learn(SampleSet samples, int block, ulong seed, IProgressReporter progress)
    {
        // Cubic lattices learn on cubic windows (b × b × b blocks with buffer and environment as cubic shells).
        var geometry = samples.Rank == 3 ? WindowGeometry.Cube(block, block, block, Buffer, Environment) : WindowGeometry.Square(block, block, Buffer, Environment);
        var result = FilterEnsemble.Learn(samples, geometry, 1, Learner, Ensemble with { Seed = seed, Application = Mode }, progress);
        var f = result.Chosen.Learned.Filter;
        var applied = !Symmetric ? f.Clone()
            : f.Hidden == 1 && f.HiddenStates > 2 && f.FeaturesPerSite == f.HiddenStates ? PermutationSymmetric(f)
            : f.Hidden == 1 && f.HiddenStates == 2 && f.FeaturesPerSite == 2 ? ExchangeSymmetric(f)
            : new FilterParameters(f.Visible, f.Hidden, f.FeaturesPerSite, f.HiddenStates, f.Weights, new double[f.Bias.Length]);
        var rule = samples.Rank == 3 ? new LearnedFilterRule(applied, block, block, block, Mode, Name) : new LearnedFilterRule(applied, block, block, Mode, Name);
        return new LearnedRule(rule, result.MutualInformation, Symmetric ? f.Bias.ToArray() : null, result.Signal);
    }

    /// <summary>
    /// The projection of one categorical unit of q states on q-state labels onto the rules that commute with the
    /// permutations σ of the labels, P(h = σ(s) | σ(V)) = P(h = s | V) (docs/algorithm.md, "Potts operators"): the
    /// Potts Hamiltonian is invariant under them, and a rule that is not generates colour-dependent couplings at every
    /// step, which carry the flow out of the S_q-symmetric Hamiltonians. With the activations
    /// a_s(V) = Σ_i λ_{s,i,v_i} + c_s, such a rule has λ_{s,i,a} = β_i + γ_i δ(a, π(s)) and equal biases for a
    /// matching π of states to labels, so that, up to a constant, a_s(V) = Σ_i γ_i δ(v_i, π(s)): a plurality vote
    /// with a weight per site. π maximises Σ_s Σ_i (λ_{s,i,π(s)} − mean_a λ_{s,i,a}) (an assignment problem), the site
    /// weights are γ_i = (1/q) Σ_s [λ_{s,i,π(s)} − mean_{a ≠ π(s)} λ_{s,i,a}], and the states are renamed so that
    /// state s votes for label s (π becomes the identity; the biases are zero).
    /// </summary>
    /// <summary>
    /// The projection of one binary unit on two-state labels (q = 2, one-hot features x_{i,a}) onto the rules that
    /// commute with the exchange σ of the two labels, P(h = −1 | σV) = P(h = +1 | V): with the activation
    /// a(V) = Σ_i λ_{i,v_i} + c this needs a(σV) = −a(V) for every V, that is λ_{i,1} = −λ_{i,0} and c = 0; the
    /// projection keeps the odd part λ'_{i,a} = (λ_{i,a} − λ_{i,1−a})/2 (the even part Σ_i (λ_{i,0} + λ_{i,1})/2 acts
    /// as a field on h).
    /// </summary>
    public static FilterParameters ExchangeSymmetric(FilterParameters f)
    {
        int sites = f.Visible;
        var row = f.Row(0);
        var weights = new double[sites * 2];
        for (int i = 0; i < sites; i++)
        {
            double odd = 0.5 * (row[i * 2] - row[i * 2 + 1]);
            weights[i * 2] = odd;
            weights[i * 2 + 1] = -odd;
        }
        return new FilterParameters(sites, 1, 2, 2, weights, new double[1]);
    }

    /// <summary>See <see cref="Symmetric"/>: the categorical case.</summary>
    public static FilterParameters PermutationSymmetric(FilterParameters f)
    {
        int q = f.HiddenStates, sites = f.Visible;
        var score = new double[q, q];
        for (int s = 0; s < q; s++)
        {
            var row = f.Row(0, s);
            for (int i = 0; i < sites; i++)
            {
                double mean = 0;
                for (int a = 0; a < q; a++) mean += row[i * q + a];
                mean /= q;
                for (int a = 0; a < q; a++) score[s, a] += row[i * q + a] - mean;
            }
        }
        int[] pi = Rsmi.Filters.FilterAlignment.MaximumAssignment(score);
        var gamma = new double[sites];
        for (int s = 0; s < q; s++)
        {
            var row = f.Row(0, s);
            for (int i = 0; i < sites; i++)
            {
                double others = 0;
                for (int a = 0; a < q; a++) if (a != pi[s]) others += row[i * q + a];
                gamma[i] += (row[i * q + pi[s]] - others / (q - 1)) / q;
            }
        }
        var weights = new double[q * sites * q];
        for (int s = 0; s < q; s++)
            for (int i = 0; i < sites; i++) weights[(s * sites + i) * q + s] = gamma[i];
        return new FilterParameters(sites, 1, q, q, weights, new double[q]);
    }
}
