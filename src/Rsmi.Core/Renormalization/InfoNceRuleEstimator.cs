using Rsmi.Data;
using Rsmi.Learning.InfoNce;
using Rsmi.Progress;
using Rsmi.Regions;

namespace Rsmi.Renormalization;

/// <summary>
/// <c>--estimator infonce</c> in the RG flow: at every step the RSMI-NE learner (filters and a separable critic trained
/// jointly on a variational lower bound of I_Λ(H:E); <see cref="InfoNceLearner"/>) learns one filter on b × b blocks
/// of the current samples, which then coarse-grains them stochastically, h ~ P_Λ(h|V). As for
/// <see cref="RbmRuleEstimator"/>, the rule is projected onto the Z2-symmetric ones (c → 0) by default.
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
    /// <summary>How the coarse spins are drawn from the learned filter.</summary>
    public FilterMode Mode { get; init; } = FilterMode.Sample;
    /// <summary>Project the rule onto the Z2-symmetric ones, c → 0 (see <see cref="RbmRuleEstimator.Symmetric"/>).</summary>
    public bool Symmetric { get; init; } = true;

    /// <inheritdoc />
    public LearnedRule Learn(SampleSet samples, int block, ulong seed, IProgressReporter progress)
    {
        var geometry = WindowGeometry.Square(block, block, Buffer, Environment);
        var result = InfoNceLearner.Learn(samples, geometry, Training with { Hidden = 1, Seed = seed }, progress);
        double[] bias = Symmetric ? new double[result.Bias.Length] : (double[])result.Bias.Clone();
        var rule = new LearnedFilterRule(result.Weights, bias, block, block, Mode, Name);
        return new LearnedRule(rule, result.MutualInformationBits, result.MutualInformationBitsError, Symmetric ? (double[])result.Bias.Clone() : null,
            LearnedRule.HasSignal(result.MutualInformationBits, result.MutualInformationBitsError));
    }
}
