using System.CommandLine;
using Rsmi.Data;
using Rsmi.Learning;
using Rsmi.Learning.Ensembles;
using Rsmi.Models;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Progress;
using Rsmi.Regions;
using Rsmi.Renormalization;

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
    internal RsmiTrainingOptions ParseOptions(FilterLearningRequest request, ParseResult parse) =>
        Parse(new OptionReader(parse, onlyGiven: false), Defaults, Defaults.MaxWindows, request.Geometry, request.Model) with { Hidden = request.Hidden, Seed = request.Seed };

    /// <summary>
    /// <c>rsmi flow --estimator rbm</c>: the options given override the flow's defaults, the settings of
    /// <see cref="RbmRuleEstimator"/> (300 filter updates, 1,500 updates of Θ and 1,000 of Ψ, 20,000 windows; the
    /// rest as <c>rsmi learn</c>).
    /// </summary>
    public IRuleEstimator CreateRuleEstimator(ParseResult? parse, int block, int buffer, int environment)
    {
        var flowDefaults = new RbmRuleEstimator();
        var reader = new OptionReader(parse, onlyGiven: true);
        var training = Parse(reader, flowDefaults.Training, flowDefaults.MaxWindows, WindowGeometry.Square(block, block, buffer, environment), ModelCatalog.Ising2D.Name);
        return new RbmRuleEstimator
        {
            Buffer = buffer, Environment = environment, MaxWindows = training.MaxWindows, Training = training, Options = reader.Effective,
        };
    }

    /// <summary>The options over <paramref name="baseline"/> (whose values also stand for the options not read).</summary>
    private RsmiTrainingOptions Parse(OptionReader reader, RsmiTrainingOptions baseline, int maxWindows, WindowGeometry geometry, string model)
    {
        var objective = reader.Get(_objective, baseline.Objective == RsmiObjective.FirstCumulant ? "first-cumulant" : "log-mean-exp").Trim().ToLowerInvariant() switch
        {
            "log-mean-exp" or "lme" => RsmiObjective.LogMeanExp,
            "first-cumulant" or "paper" => RsmiObjective.FirstCumulant,
            var s => throw new RsmiInputException($"--rbm-objective: unknown objective '{s}'; choose log-mean-exp or first-cumulant."),
        };
        var inner = reader.Get(_inner, baseline.InnerAverage switch { RsmiInnerAverage.Exact => "exact", RsmiInnerAverage.MonteCarlo => "monte-carlo", _ => "auto" }).Trim().ToLowerInvariant() switch
        {
            "auto" => RsmiInnerAverage.Auto,
            "exact" => RsmiInnerAverage.Exact,
            "monte-carlo" or "mc" => RsmiInnerAverage.MonteCarlo,
            var s => throw new RsmiInputException($"--rbm-inner: unknown inner average '{s}'; choose auto, exact or monte-carlo."),
        };
        if (inner == RsmiInnerAverage.Exact)
            Require.That(geometry.VisibleSize <= RsmiObjectiveFunction.MaxEnumeratedBlock, $"--rbm-inner exact needs |V| ≤ {RsmiObjectiveFunction.MaxEnumeratedBlock}, the block has {geometry.VisibleSize} sites.");
        int thetaHidden = reader.Get(_thetaHidden, baseline.JointRbm.Hidden), psiHidden = reader.Get(_psiHidden, baseline.BlockRbm.Hidden);
        int cd = reader.Get(_cd, baseline.JointRbm.CdSteps), mu = reader.Get(_machineUpdates, baseline.JointRbm.MaxUpdates);
        int innerSamples = reader.Get(_innerSamples, baseline.InnerSamples), updates = reader.Get(_updates, baseline.Updates), batch = reader.Get(_batch, baseline.BatchSize);
        double rate = reader.Get(_rate, baseline.LearningRate), l2 = reader.Get(_l2, baseline.L2);
        int windows = reader.Get(_maxWindows, maxWindows), restarts = reader.Get(_restarts, baseline.Restarts);
        bool persistent = reader.Get(_persistent, baseline.JointRbm.Persistent), symmetrise = reader.Get(_symmetrise, baseline.SymmetriseWith is not null);
        Require.NonNegative(thetaHidden, "--rbm-theta-hidden");
        Require.NonNegative(psiHidden, "--rbm-psi-hidden");
        Require.Positive(cd, "--rbm-cd");
        Require.Positive(mu, "--rbm-machine-updates");
        Require.Positive(innerSamples, "--rbm-inner-samples");
        Require.Positive(updates, "--rbm-updates");
        Require.Positive(rate, "--rbm-learning-rate");
        Require.Positive(batch, "--rbm-batch");
        Require.That(l2 >= 0, $"--rbm-l2 must be non-negative, got {l2}.");
        Require.Positive(windows, "--rbm-max-windows");
        Require.Positive(restarts, "--rbm-restarts");
        Require.That(!symmetrise || ModelCatalog.Default.Find(model) is Rsmi.Models.Ising.IsingModel, $"--rbm-symmetrise is only valid for Ising samples, the input holds '{model}'.");
        Require.That(!symmetrise || geometry.Dimension == 1 || geometry.BlockX == geometry.BlockY, "--rbm-symmetrise needs a square block.");
        reader.Effective[EstimatorOptions.Key(_objective)] = objective == RsmiObjective.FirstCumulant ? "first-cumulant" : "log-mean-exp";
        reader.Effective[EstimatorOptions.Key(_inner)] = inner switch { RsmiInnerAverage.Exact => "exact", RsmiInnerAverage.MonteCarlo => "monte-carlo", _ => "auto" };
        return baseline with
        {
            Objective = objective, InnerAverage = inner, InnerSamples = innerSamples,
            Updates = updates, LearningRate = rate, BatchSize = batch, L2 = l2,
            MaxWindows = windows, Restarts = restarts,
            SymmetriseWith = symmetrise ? geometry : null,
            JointRbm = baseline.JointRbm with { Hidden = thetaHidden, CdSteps = cd, Persistent = persistent, MaxUpdates = mu },
            BlockRbm = baseline.BlockRbm with { Hidden = psiHidden, CdSteps = cd, Persistent = persistent, MaxUpdates = Math.Max(1, 2 * mu / 3) },
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
