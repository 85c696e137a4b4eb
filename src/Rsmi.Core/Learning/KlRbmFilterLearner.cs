using Rsmi.Filters;
using Rsmi.Data;
using Rsmi.Learning.Ensembles;
using Rsmi.Progress;
using Rsmi.Regions;

namespace Rsmi.Learning;

/// <summary>Settings of the KL-trained RBM (<see cref="KlRbmFilterLearner"/>).</summary>
public sealed record KlRbmOptions
{
    /// <summary>Mini-batch updates of the RBM (≥ 1).</summary>
    public int Updates { get; init; } = 4000;
    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 0.01;
    /// <summary>Gibbs steps k of CD-k (≥ 1).</summary>
    public int CdSteps { get; init; } = 1;
    /// <summary>L2 penalty on the weights (≥ 0).</summary>
    public double L2 { get; init; }
}

/// <summary>
/// A plain RBM with N_h hidden units trained by contrastive divergence (maximum likelihood, i.e. minimum KL
/// divergence) on the V windows alone. Its hidden conditional P(g_k = +1 | V) = σ(2(c_k + Σ_i W_ik v_i)) has the form
/// of the RSMI rule, so column k of W and c_k are exported as filter k, for comparison with the RSMI filters. The
/// reported I(H:E) is the RBM-based estimate of the RSMI network (<see cref="RsmiObjectiveFunction"/>, log-mean-exp:
/// Θ trained on (V, E), the KL-trained RBM itself as Ψ). One run on the windows of the training configurations at
/// every block position of a grid of spacing <see cref="Stride"/>.
/// </summary>
public sealed class KlRbmFilterLearner(KlRbmOptions options, int stride = 0) : IFilterLearner
{
    /// <summary>The settings.</summary>
    public KlRbmOptions Options { get; } = options;
    /// <summary>Spacing of the block positions (0: the block size, the tiling).</summary>
    public int Stride { get; } = stride;

    /// <inheritdoc />
    public string Name => "kl-rbm";

    /// <inheritdoc />
    public LearnedFilters Learn(SampleSet training, WindowGeometry geometry, int hidden, ulong seed, int threads, IProgressReporter? progress)
    {
        var defaults = new RsmiTrainingOptions();
        var windows = RsmiLearner.CutSubset(training, geometry, Stride, defaults.MaxWindows, seed);
        int nv = windows.VisibleSize, ne = windows.EnvironmentSize;
        var rbm = RbmTrainer.Train(windows.Visible, windows.Count, nv, new RbmTrainingOptions
        {
            Hidden = hidden, CdSteps = Options.CdSteps, BatchSize = 64, Epochs = 100000, MaxUpdates = Options.Updates, LearningRate = Options.LearningRate,
            L2 = Options.L2, InitialScale = 0.05, Seed = seed,
        }, progress, "KL-trained RBM on V");
        var filter = new FilterParameters(nv, hidden);
        for (int k = 0; k < hidden; k++)
        {
            for (int i = 0; i < nv; i++) filter.Weights[k * nv + i] = rbm.Weights[i * hidden + k];
            filter.Bias[k] = rbm.HiddenBias[k];
        }
        filter.ApplySignConvention();
        // the RSMI network's estimate of I(H:E) for these filters: Θ on (V, E), the KL-RBM itself as Ψ
        var joint = new sbyte[(long)windows.Count * (nv + ne)];
        for (int w = 0; w < windows.Count; w++)
        {
            windows.VisibleRow(w).CopyTo(joint.AsSpan(w * (nv + ne), nv));
            windows.EnvironmentRow(w).CopyTo(joint.AsSpan(w * (nv + ne) + nv, ne));
        }
        var theta = RbmTrainer.Train(joint, windows.Count, nv + ne, defaults.JointRbm with { Hidden = nv + ne, Seed = seed ^ 0x7E7A }, progress, "RBM Θ on (V, E)");
        var objective = new RsmiObjectiveFunction(theta, rbm, windows, RsmiObjective.LogMeanExp);
        if (nv <= RsmiObjectiveFunction.MaxEnumeratedBlock) objective.UseExactInnerAverage();
        else objective.UseSamples(rbm.Sample(1024, 20, seed ^ 0xE7A1), 1024);
        int nEval = Math.Min(defaults.EvaluationWindows, windows.Count);
        var rows = Enumerable.Range(0, nEval).Select(k => (int)((long)k * windows.Count / nEval)).ToArray();
        objective.Evaluate(filter, rows, default, default, out double infoNats);
        var details = new Dictionary<string, object?>();
        if (nv <= RestrictedBoltzmannMachine.MaxEnumeratedLayer || hidden <= RestrictedBoltzmannMachine.MaxEnumeratedLayer)
            details["log_likelihood_nats_per_window"] = rbm.MeanLogLikelihood(windows.Visible.AsSpan(0, nEval * nv), nEval);
        return new LearnedFilters { Filter = filter, EstimatorBits = infoNats / Math.Log(2), Details = details };
    }
}
