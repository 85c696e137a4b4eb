using Rsmi.Data;
using Rsmi.Learning.Ensembles;
using Rsmi.Learning.InfoNce;
using Rsmi.Progress;
using Rsmi.Regions;

namespace Rsmi.Renormalization;

/// <summary>
/// <c>--estimator infonce</c> in the RG flow: at every step the RSMI-NE learner (filters and a separable critic trained
/// jointly on a variational lower bound of I_Λ(H:E); <see cref="InfoNceLearner"/>) learns one filter on b × b blocks
/// of the current samples, as an ensemble judged on held-out configurations (<see cref="FilterEnsemble"/>). As for
/// <see cref="RbmRuleEstimator"/>, the rule is applied as h = sign(Λ·V) by default, projected onto the Z2-symmetric
/// rules (c → 0).
/// </summary>
public sealed class InfoNceRuleEstimator : IRuleEstimator
{
    /// <inheritdoc />
    public string Name => "infonce";
    /// <summary>Buffer thickness L_B between V and E.</summary>
    public int Buffer { get; init; } = 1;
    /// <summary>Environment thickness L_E.</summary>
    public int Environment { get; init; } = 1;
    /// <summary>The options that configured this estimator, for the record (see <see cref="IRuleEstimator.Options"/>).</summary>
    public IReadOnlyDictionary<string, object?> Options { get; init; } = RuleSources.NoOptions;
    int? IRuleEstimator.Buffer => Buffer;
    int? IRuleEstimator.Environment => Environment;
    /// <summary>Training settings (hidden units and seed are set per step).</summary>
    public InfoNceOptions Training { get; init; } = new() { Steps = 600, TrainingWindows = 50_000, EvaluationBatches = 20 };
    /// <summary>How the coarse spins are drawn from the learned filter (also how the ensemble judges it).</summary>
    public FilterMode Mode { get; init; } = FilterMode.Sign;
    /// <summary>The ensemble at every step (members, held-out fractions, signal rule); its seed is the step's.</summary>
    public FilterEnsembleOptions Ensemble { get; init; } = new();
    /// <summary>Project the rule onto the Z2-symmetric ones, c → 0 (see <see cref="RbmRuleEstimator.Symmetric"/>).</summary>
    public bool Symmetric { get; init; } = true;

    /// <inheritdoc />
    public LearnedRule Learn(SampleSet samples, int block, ulong seed, IProgressReporter progress)
    {
        var geometry = WindowGeometry.Square(block, block, Buffer, Environment);
        var result = FilterEnsemble.Learn(samples, geometry, 1, new InfoNceFilterLearner(Training), Ensemble with { Seed = seed, Application = Mode }, progress);
        return RuleFromEnsemble.Create(result, block, Mode, Name, Symmetric);
    }
}
