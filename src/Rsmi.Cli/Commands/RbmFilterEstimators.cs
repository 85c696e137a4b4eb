using System.CommandLine;
using Rsmi.Data;
using Rsmi.Learning;
using Rsmi.Learning.Ensembles;
using Rsmi.Progress;
using Rsmi.Regions;

namespace Rsmi.Cli.Commands;

/// <summary>
/// <c>--estimator rbm</c>: the paper's RSMI network (Koch-Janusz &amp; Ringel 2018, Fig. 1b): RBMs Θ on (V, E) and Ψ on V
/// trained by contrastive divergence, then the filters by stochastic gradient ascent on the estimate A_Λ of I_Λ(H:E).
/// </summary>
internal sealed class RbmFilterEstimatorFactory : IFilterEstimatorFactory
{
    private static readonly RsmiTrainingOptions Defaults = new();
    private readonly Option<string> _objective = new("--rbm-objective") { Description = "log-mean-exp (default) or first-cumulant (the paper's proxy).", DefaultValueFactory = _ => "log-mean-exp" };
    private readonly Option<string> _inner = new("--rbm-inner") { Description = "Inner average over V: auto (exact for |V| ≤ 16), exact or monte-carlo.", DefaultValueFactory = _ => "auto" };
    private readonly Option<int> _innerSamples = new("--rbm-inner-samples") { Description = "Block states drawn from Ψ per update for the Monte Carlo inner average.", DefaultValueFactory = _ => Defaults.InnerSamples };
    private readonly Option<int> _updates = new("--rbm-updates") { Description = "Filter updates (Adam steps on A_Λ).", DefaultValueFactory = _ => Defaults.Updates };
    private readonly Option<double> _rate = new("--rbm-learning-rate") { Description = "Adam learning rate of the filters.", DefaultValueFactory = _ => Defaults.LearningRate };
    private readonly Option<int> _batch = new("--rbm-batch") { Description = "Windows per filter update.", DefaultValueFactory = _ => Defaults.BatchSize };
    private readonly Option<double> _l2 = new("--rbm-l2") { Description = "L2 penalty on the filter weights.", DefaultValueFactory = _ => 0.0 };
    private readonly Option<int> _thetaHidden = new("--rbm-theta-hidden") { Description = "Hidden units of Θ, the RBM on (V, E) (0: |V| + |E|).", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _psiHidden = new("--rbm-psi-hidden") { Description = "Hidden units of Ψ, the RBM on V (0: 2|V|).", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _cd = new("--rbm-cd") { Description = "Gibbs steps k of CD-k for Θ and Ψ.", DefaultValueFactory = _ => 1 };
    private readonly Option<bool> _persistent = new("--rbm-persistent") { Description = "Persistent contrastive divergence for Θ and Ψ." };
    private readonly Option<int> _machineUpdates = new("--rbm-machine-updates") { Description = "Mini-batch updates of Θ (Ψ gets two thirds as many).", DefaultValueFactory = _ => Defaults.JointRbm.MaxUpdates };
    private readonly Option<int> _restarts = new("--rbm-restarts") { Description = "Independent starts of the filter ascent; the best estimate is kept.", DefaultValueFactory = _ => Defaults.Restarts };
    private readonly Option<bool> _symmetrise = new("--rbm-symmetrise") { Description = "Train Θ and Ψ also on the lattice-symmetry images of every window (D4 for square blocks, reflection for chains); valid for Ising samples only." };
    private readonly Option<int> _maxWindows = new("--rbm-max-windows") { Description = "Most windows used (a seeded random subset when there are more).", DefaultValueFactory = _ => Defaults.MaxWindows };

    public string Name => "rbm";
    public string Description => "CD-trained RBMs and the RSMI network of the paper";
    public IReadOnlyList<Option> Options => [_objective, _inner, _innerSamples, _updates, _rate, _batch, _l2, _thetaHidden, _psiHidden, _cd, _persistent, _machineUpdates, _maxWindows, _restarts, _symmetrise];

    /// <summary>Parses the options into training options (bad values → <see cref="RsmiInputException"/>).</summary>
    internal RsmiTrainingOptions ParseOptions(FilterLearningRequest request, ParseResult parse)
    {
        var objective = parse.GetValue(_objective)!.Trim().ToLowerInvariant() switch
        {
            "log-mean-exp" or "lme" => RsmiObjective.LogMeanExp,
            "first-cumulant" or "paper" => RsmiObjective.FirstCumulant,
            var s => throw new RsmiInputException($"--rbm-objective: unknown objective '{s}'; choose log-mean-exp or first-cumulant."),
        };
        var inner = parse.GetValue(_inner)!.Trim().ToLowerInvariant() switch
        {
            "auto" => RsmiInnerAverage.Auto,
            "exact" => RsmiInnerAverage.Exact,
            "monte-carlo" or "mc" => RsmiInnerAverage.MonteCarlo,
            var s => throw new RsmiInputException($"--rbm-inner: unknown inner average '{s}'; choose auto, exact or monte-carlo."),
        };
        if (inner == RsmiInnerAverage.Exact)
            Require.That(request.Geometry.VisibleSize <= RsmiObjectiveFunction.MaxEnumeratedBlock, $"--rbm-inner exact needs |V| ≤ {RsmiObjectiveFunction.MaxEnumeratedBlock}, the block has {request.Geometry.VisibleSize} sites.");
        int thetaHidden = parse.GetValue(_thetaHidden), psiHidden = parse.GetValue(_psiHidden), cd = parse.GetValue(_cd), mu = parse.GetValue(_machineUpdates);
        Require.NonNegative(thetaHidden, "--rbm-theta-hidden");
        Require.NonNegative(psiHidden, "--rbm-psi-hidden");
        Require.Positive(cd, "--rbm-cd");
        Require.Positive(mu, "--rbm-machine-updates");
        Require.Positive(parse.GetValue(_innerSamples), "--rbm-inner-samples");
        Require.Positive(parse.GetValue(_updates), "--rbm-updates");
        Require.Positive(parse.GetValue(_rate), "--rbm-learning-rate");
        Require.Positive(parse.GetValue(_batch), "--rbm-batch");
        Require.That(parse.GetValue(_l2) >= 0, $"--rbm-l2 must be non-negative, got {parse.GetValue(_l2)}.");
        Require.Positive(parse.GetValue(_maxWindows), "--rbm-max-windows");
        bool persistent = parse.GetValue(_persistent);
        Require.Positive(parse.GetValue(_restarts), "--rbm-restarts");
        bool symmetrise = parse.GetValue(_symmetrise);
        Require.That(!symmetrise || request.Model is "ising2d" or "ising1d", $"--rbm-symmetrise is only valid for Ising samples, the input holds '{request.Model}'.");
        Require.That(!symmetrise || request.Geometry.Dimension == 1 || request.Geometry.BlockX == request.Geometry.BlockY, "--rbm-symmetrise needs a square block.");
        return Defaults with
        {
            Hidden = request.Hidden, Objective = objective, InnerAverage = inner, InnerSamples = parse.GetValue(_innerSamples),
            Updates = parse.GetValue(_updates), LearningRate = parse.GetValue(_rate), BatchSize = parse.GetValue(_batch), L2 = parse.GetValue(_l2),
            MaxWindows = parse.GetValue(_maxWindows), Seed = request.Seed, Restarts = parse.GetValue(_restarts),
            SymmetriseWith = symmetrise ? request.Geometry : null,
            JointRbm = Defaults.JointRbm with { Hidden = thetaHidden, CdSteps = cd, Persistent = persistent, MaxUpdates = mu },
            BlockRbm = Defaults.BlockRbm with { Hidden = psiHidden, CdSteps = cd, Persistent = persistent, MaxUpdates = Math.Max(1, 2 * mu / 3) },
        };
    }

    public IFilterLearner CreateLearner(FilterLearningRequest request, ParseResult parse) => new RbmFilterLearner(ParseOptions(request, parse), request.Stride);
}

/// <summary>
/// <c>--estimator kl-rbm</c>: a plain RBM with N_h hidden units trained by contrastive divergence (maximum likelihood,
/// i.e. minimum KL divergence) on the V windows alone. Its hidden conditional P(g_k = +1 | V) = σ(2(c_k + Σ_i W_ik v_i))
/// has the form of the RSMI rule, so column k of W and c_k are exported as filter k, for comparison with the RSMI
/// filters. The reported I(H:E) is the RBM-based estimate of the RSMI network (Θ trained on (V, E), the KL-RBM as Ψ).
/// </summary>
internal sealed class KlRbmFilterEstimatorFactory : IFilterEstimatorFactory
{
    private readonly Option<int> _updates = new("--kl-rbm-updates") { Description = "Mini-batch updates of the KL-trained RBM.", DefaultValueFactory = _ => 4000 };
    private readonly Option<double> _rate = new("--kl-rbm-learning-rate") { Description = "Adam learning rate of the KL-trained RBM.", DefaultValueFactory = _ => 0.01 };
    private readonly Option<int> _cd = new("--kl-rbm-cd") { Description = "Gibbs steps k of CD-k.", DefaultValueFactory = _ => 1 };
    private readonly Option<double> _l2 = new("--kl-rbm-l2") { Description = "L2 penalty on the weights.", DefaultValueFactory = _ => 0.0 };

    public string Name => "kl-rbm";
    public string Description => "a plain RBM trained on V alone; its hidden units' weights as filters, for comparison";
    public IReadOnlyList<Option> Options => [_updates, _rate, _cd, _l2];

    public IFilterLearner CreateLearner(FilterLearningRequest request, ParseResult parse)
    {
        int updates = parse.GetValue(_updates), cd = parse.GetValue(_cd);
        double rate = parse.GetValue(_rate), l2 = parse.GetValue(_l2);
        Require.Positive(updates, "--kl-rbm-updates");
        Require.Positive(cd, "--kl-rbm-cd");
        Require.Positive(rate, "--kl-rbm-learning-rate");
        Require.That(l2 >= 0, $"--kl-rbm-l2 must be non-negative, got {l2}.");
        return new KlRbmFilterLearner(updates, rate, cd, l2, request.Stride);
    }
}

/// <summary>One run of the KL-trained RBM on the V windows of the training configurations (see <see cref="KlRbmFilterEstimatorFactory"/>).</summary>
internal sealed class KlRbmFilterLearner(int updates, double rate, int cd, double l2, int stride) : IFilterLearner
{
    public string Name => "kl-rbm";

    public LearnedFilters Learn(SampleSet training, WindowGeometry geometry, int hidden, ulong seed, int threads, IProgressReporter? progress)
    {
        var defaults = new RsmiTrainingOptions();
        var windows = RsmiLearner.Subset(WindowCutter.Cut(training, geometry, stride), defaults.MaxWindows, seed);
        int nv = windows.VisibleSize, ne = windows.EnvironmentSize;
        var rbm = RbmTrainer.Train(windows.Visible, windows.Count, nv, new RbmTrainingOptions
        {
            Hidden = hidden, CdSteps = cd, BatchSize = 64, Epochs = 100000, MaxUpdates = updates, LearningRate = rate,
            L2 = l2, InitialScale = 0.05, Seed = seed,
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
