using System.CommandLine;
using Rsmi.Filters;
using Rsmi.Learning.InfoNce;
using Rsmi.Renormalization;

namespace Rsmi.Cli.Commands;

/// <summary>
/// <c>--estimator infonce</c>: the neural estimator of RSMI-NE (Gökmen, Ringel, Huber &amp; Koch-Janusz, PRL 127, 240603
/// (2021)): filters and a separable critic u(h)·w(e) trained jointly by Adam on a variational lower bound on I_Λ(H:E)
/// (InfoNCE or NWJ), the hidden units drawn as relaxed Bernoulli samples at an annealed temperature.
/// Windows are drawn at random block positions of the first 90% of the configurations; the reported information is
/// the bound with hard samples on windows of the remaining configurations.
/// </summary>
internal sealed class InfoNceFilterEstimatorFactory : IFilterEstimatorFactory
{
    private static readonly InfoNceOptions Defaults = new();
    private readonly Option<string> _bound = new("--infonce-bound") { Description = "Lower bound maximised: infonce (capped at log K) or nwj.", DefaultValueFactory = _ => "infonce" };
    private readonly Option<int> _steps = new("--infonce-steps") { Description = "Adam steps.", DefaultValueFactory = _ => Defaults.Steps };
    private readonly Option<int> _batch = new("--infonce-batch") { Description = "Batch size K (InfoNCE can report at most log2 K bits).", DefaultValueFactory = _ => Defaults.BatchSize };
    private readonly Option<double> _rate = new("--infonce-learning-rate") { Description = "Adam learning rate of the critic.", DefaultValueFactory = _ => Defaults.LearningRate };
    private readonly Option<double> _filterRate = new("--infonce-filter-learning-rate") { Description = "Adam learning rate of the filters.", DefaultValueFactory = _ => Defaults.FilterLearningRate };
    private readonly Option<double> _decay = new("--infonce-final-rate-fraction") { Description = "Learning rates decay geometrically to this fraction by the last step (1: constant).", DefaultValueFactory = _ => Defaults.FinalLearningRateFraction };
    private readonly Option<string> _layers = new("--infonce-critic-layers") { Description = "Hidden widths of the critic networks, comma-separated (e.g. 32,32).", DefaultValueFactory = _ => string.Join(",", Defaults.CriticLayers) };
    private readonly Option<int> _embedding = new("--infonce-embedding") { Description = "Embedding dimension of the separable critic.", DefaultValueFactory = _ => Defaults.Embedding };
    private readonly Option<double> _dropout = new("--infonce-dropout") { Description = "Dropout probability on the critic's hidden units.", DefaultValueFactory = _ => 0.0 };
    private readonly Option<double> _tauStart = new("--infonce-temperature-start") { Description = "Initial relaxation temperature.", DefaultValueFactory = _ => Defaults.Temperature.Start };
    private readonly Option<double> _tauEnd = new("--infonce-temperature-end") { Description = "Final relaxation temperature.", DefaultValueFactory = _ => Defaults.Temperature.End };
    private readonly Option<string> _schedule = new("--infonce-annealing") { Description = "Temperature schedule: exponential or linear.", DefaultValueFactory = _ => "exponential" };
    private readonly Option<double> _l2 = new("--infonce-l2") { Description = "L2 penalty on the filter weights.", DefaultValueFactory = _ => 0.0 };
    private readonly Option<int> _windows = new("--infonce-windows") { Description = "Training windows drawn at random block positions.", DefaultValueFactory = _ => Defaults.TrainingWindows };
    private readonly Option<int> _warmUp = new("--infonce-warm-up") { Description = "Steps of a warm-up critic trained on whole blocks before the filters (helps weak signals such as dimers; 0: none).", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _threads = new("--infonce-threads") { Description = "Threads (-1: all); the result does not depend on it.", DefaultValueFactory = _ => -1 };

    public string Name => "infonce";
    public string Description => "neural variational bound (RSMI-NE): filters and a critic trained jointly";
    public IReadOnlyList<Option> Options => [_bound, _steps, _batch, _rate, _filterRate, _decay, _layers, _embedding, _dropout, _tauStart, _tauEnd, _schedule, _l2, _windows, _warmUp, _threads];

    /// <summary>Parses the options (bad values → <see cref="RsmiInputException"/> naming the option).</summary>
    internal InfoNceOptions ParseOptions(FilterLearningRequest request, ParseResult parse)
    {
        var options = Parse(new OptionReader(parse, onlyGiven: false), Defaults) with { Hidden = request.Hidden, Seed = request.Seed };
        int hold = (int)Math.Floor(Defaults.HoldoutFraction * request.Samples.Count);
        Require.That(hold >= 1, $"--in: {request.Samples.Count} configurations are too few; the infonce estimator holds out 10% of them (at least one) for its final estimate.");
        return options;
    }

    /// <summary>
    /// <c>rsmi flow --estimator infonce</c>: the options given override the flow's defaults, the settings of
    /// <see cref="InfoNceRuleEstimator"/> (600 steps, 50,000 training windows, 20 evaluation batches; the rest as
    /// <c>rsmi learn</c>).
    /// </summary>
    public IRuleEstimator CreateRuleEstimator(ParseResult? parse, int block, int buffer, int environment)
    {
        var flowDefaults = new InfoNceRuleEstimator();
        var reader = new OptionReader(parse, onlyGiven: true);
        var training = Parse(reader, flowDefaults.Training);
        return new InfoNceRuleEstimator { Buffer = buffer, Environment = environment, Training = training, Options = reader.Effective };
    }

    /// <summary>The options over <paramref name="baseline"/> (whose values also stand for the options not read).</summary>
    private InfoNceOptions Parse(OptionReader reader, InfoNceOptions baseline)
    {
        var bound = reader.Get(_bound, baseline.Bound == MutualInformationBound.Nwj ? "nwj" : "infonce").Trim().ToLowerInvariant() switch
        {
            "infonce" or "nce" => MutualInformationBound.InfoNce,
            "nwj" or "fdiv" or "f-div" => MutualInformationBound.Nwj,
            var s => throw new RsmiInputException($"--infonce-bound: unknown bound '{s}'; choose infonce or nwj."),
        };
        var kind = reader.Get(_schedule, baseline.Temperature.Kind == AnnealingKind.Linear ? "linear" : "exponential").Trim().ToLowerInvariant() switch
        {
            "exponential" or "exp" => AnnealingKind.Exponential,
            "linear" => AnnealingKind.Linear,
            var s => throw new RsmiInputException($"--infonce-annealing: unknown schedule '{s}'; choose exponential or linear."),
        };
        int[] layers;
        string text = reader.Get(_layers, string.Join(",", baseline.CriticLayers)).Trim();
        try { layers = text.Length == 0 ? [] : text.Split(',').Select(t => int.Parse(t.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToArray(); }
        catch (FormatException) { throw new RsmiInputException($"--infonce-critic-layers: '{text}' is not a comma-separated list of widths."); }
        foreach (int w in layers) Require.That(w > 0, $"--infonce-critic-layers: widths must be positive, got {w}.");
        int steps = reader.Get(_steps, baseline.Steps), batch = reader.Get(_batch, baseline.BatchSize), embedding = reader.Get(_embedding, baseline.Embedding);
        int windows = reader.Get(_windows, baseline.TrainingWindows), threads = reader.Get(_threads, baseline.MaxDegreeOfParallelism);
        double rate = reader.Get(_rate, baseline.LearningRate), filterRate = reader.Get(_filterRate, baseline.FilterLearningRate);
        double decay = reader.Get(_decay, baseline.FinalLearningRateFraction), dropout = reader.Get(_dropout, baseline.Dropout);
        double t0 = reader.Get(_tauStart, baseline.Temperature.Start), t1 = reader.Get(_tauEnd, baseline.Temperature.End), l2 = reader.Get(_l2, baseline.FilterL2);
        Require.Positive(steps, "--infonce-steps");
        Require.That(batch >= 2, $"--infonce-batch must be at least 2, got {batch}.");
        Require.Positive(rate, "--infonce-learning-rate");
        Require.Positive(filterRate, "--infonce-filter-learning-rate");
        Require.That(decay > 0 && decay <= 1, $"--infonce-final-rate-fraction must be in (0, 1], got {decay}.");
        Require.Positive(embedding, "--infonce-embedding");
        Require.That(dropout >= 0 && dropout < 1, $"--infonce-dropout must be in [0, 1), got {dropout}.");
        Require.Positive(t0, "--infonce-temperature-start");
        Require.Positive(t1, "--infonce-temperature-end");
        Require.That(l2 >= 0, $"--infonce-l2 must be non-negative, got {l2}.");
        Require.That(windows >= batch, $"--infonce-windows ({windows}) must be at least the batch size {batch}.");
        int warmUp = reader.Get(_warmUp, baseline.WarmUpSteps);
        Require.NonNegative(warmUp, "--infonce-warm-up");
        Require.That(threads == -1 || threads >= 1, $"--infonce-threads must be -1 or positive, got {threads}.");
        reader.Effective[EstimatorOptions.Key(_bound)] = bound == MutualInformationBound.Nwj ? "nwj" : "infonce";
        reader.Effective[EstimatorOptions.Key(_schedule)] = kind == AnnealingKind.Linear ? "linear" : "exponential";
        reader.Effective[EstimatorOptions.Key(_layers)] = string.Join(",", layers.Select(w => w.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return baseline with
        {
            Bound = bound, Steps = steps, BatchSize = batch, LearningRate = rate, FilterLearningRate = filterRate,
            FinalLearningRateFraction = decay, CriticLayers = layers, Embedding = embedding, Dropout = dropout,
            Temperature = new TemperatureSchedule(t0, t1, kind, baseline.Temperature.AnnealFraction), FilterL2 = l2,
            TrainingWindows = windows, WarmUpSteps = warmUp, MaxDegreeOfParallelism = threads,
        };
    }

    public FilterSet Learn(FilterLearningRequest request, ParseResult parse)
    {
        var options = ParseOptions(request, parse);
        var result = InfoNceLearner.Learn(request.Samples, request.Geometry, options, request.Progress);
        var set = InfoNceFilterSet.Create(result, request.Model, request.Geometry);
        set.SetExtra("sign_convention", "each filter's weights sum to a non-negative number");
        string cap = options.Bound == MutualInformationBound.InfoNce
            ? System.FormattableString.Invariant($" (InfoNCE cap log2 K = {result.BoundCapBits:F2} bits).") : ".";
        CommandOutput.Get().Err.WriteLine(System.FormattableString.Invariant(
            $"rsmi learn: held-out bound {result.MutualInformationBits:F4} ± {result.MutualInformationBitsError:F4} bits over {result.EvaluationBatches} batches{cap}"));
        return set;
    }
}
