using System.CommandLine;
using Rsmi.Learning.Ensembles;
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
    private const string Auto = "auto";
    private readonly Option<string> _bound = new("--infonce-bound") { Description = "Lower bound maximised: infonce (capped at log K) or nwj.", DefaultValueFactory = _ => "infonce" };
    private readonly Option<string> _steps = new("--infonce-steps") { Description = "Adam steps, or auto (chosen from the data: 1000, or 2000 when the signal is spread over the block).", DefaultValueFactory = _ => Auto };
    private readonly Option<string> _batch = new("--infonce-batch") { Description = "Batch size K (InfoNCE can report at most log2 K bits), or auto (256, or 512 when the signal is spread).", DefaultValueFactory = _ => Auto };
    private readonly Option<double> _rate = new("--infonce-learning-rate") { Description = "Adam learning rate of the critic.", DefaultValueFactory = _ => Defaults.LearningRate };
    private readonly Option<double> _filterRate = new("--infonce-filter-learning-rate") { Description = "Adam learning rate of the filters.", DefaultValueFactory = _ => Defaults.FilterLearningRate };
    private readonly Option<string> _decay = new("--infonce-final-rate-fraction") { Description = "Learning rates decay geometrically to this fraction by the last step (1: constant), or auto (0.02, or 0.1 when the signal is spread).", DefaultValueFactory = _ => Auto };
    private readonly Option<string> _layers = new("--infonce-critic-layers") { Description = "Hidden widths of the critic networks, comma-separated (e.g. 32,32), or auto (32,32, or 24,24 when the signal is spread).", DefaultValueFactory = _ => Auto };
    private readonly Option<int> _embedding = new("--infonce-embedding") { Description = "Embedding dimension of the separable critic.", DefaultValueFactory = _ => Defaults.Embedding };
    private readonly Option<double> _dropout = new("--infonce-dropout") { Description = "Dropout probability on the critic's hidden units.", DefaultValueFactory = _ => 0.0 };
    private readonly Option<double> _tauStart = new("--infonce-temperature-start") { Description = "Initial relaxation temperature.", DefaultValueFactory = _ => Defaults.Temperature.Start };
    private readonly Option<string> _tauEnd = new("--infonce-temperature-end") { Description = "Final relaxation temperature, or auto (0.1, or 0.3 when the signal is spread).", DefaultValueFactory = _ => Auto };
    private readonly Option<string> _schedule = new("--infonce-annealing") { Description = "Temperature schedule: exponential or linear.", DefaultValueFactory = _ => "exponential" };
    private readonly Option<string> _l2 = new("--infonce-l2") { Description = "L2 penalty on the filter weights, or auto (0, or a quarter of the linear signal's largest eigenvalue when the signal is spread).", DefaultValueFactory = _ => Auto };
    private readonly Option<int> _windows = new("--infonce-windows") { Description = "Training windows drawn at random block positions.", DefaultValueFactory = _ => Defaults.TrainingWindows };
    private readonly Option<string> _warmUp = new("--infonce-warm-up") { Description = "Steps of a warm-up critic trained on whole blocks before the filters (0: none), or auto (0, or 600 when the signal is spread).", DefaultValueFactory = _ => Auto };

    public string Name => "infonce";
    public string Description => "neural variational bound (RSMI-NE): filters and a critic trained jointly";
    public IReadOnlyList<Option> Options => [_bound, _steps, _batch, _rate, _filterRate, _decay, _layers, _embedding, _dropout, _tauStart, _tauEnd, _schedule, _l2, _windows, _warmUp];

    /// <summary>Parses the options (bad values → <see cref="RsmiInputException"/> naming the option).</summary>
    internal InfoNceOptions ParseOptions(FilterLearningRequest request, ParseResult parse) =>
        Parse(new OptionReader(parse, onlyGiven: false), Defaults) with { Hidden = request.Hidden, Seed = request.Seed };

    /// <summary>
    /// <c>rsmi flow --estimator infonce</c>: the options given override the flow's defaults, the settings of
    /// <see cref="InfoNceRuleEstimator"/> (600 steps, 50,000 training windows, 20 evaluation batches; the rest as
    /// <c>rsmi learn</c>, those left to the data included).
    /// </summary>
    public IRuleEstimator CreateRuleEstimator(ParseResult? parse, int block, int buffer, int environment)
    {
        var flowDefaults = new InfoNceRuleEstimator();
        var reader = new OptionReader(parse, onlyGiven: true);
        var training = Parse(reader, flowDefaults.Training);
        return new InfoNceRuleEstimator { Buffer = buffer, Environment = environment, Training = training, Options = reader.Effective };
    }

    /// <summary>The options over <paramref name="baseline"/> (whose values, or auto where it leaves a setting to the
    /// data, also stand for the options not read).</summary>
    private InfoNceOptions Parse(OptionReader reader, InfoNceOptions baseline)
    {
        string Or<T>(InfoNceAutomatic flag, T value) => baseline.Pending.HasFlag(flag) ? Auto : System.FormattableString.Invariant($"{value}");
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
        int[]? layers = null;
        string text = reader.Get(_layers, Or(InfoNceAutomatic.CriticLayers, string.Join(",", baseline.CriticLayers))).Trim();
        if (!IsAuto(text))
        {
            try { layers = text.Length == 0 ? [] : text.Split(',').Select(t => int.Parse(t.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToArray(); }
            catch (FormatException) { throw new RsmiInputException($"--infonce-critic-layers: '{text}' is not auto or a comma-separated list of widths."); }
            foreach (int w in layers) Require.That(w > 0, $"--infonce-critic-layers: widths must be positive, got {w}.");
        }
        int? steps = ParseInt(reader, _steps, Or(InfoNceAutomatic.Steps, baseline.Steps));
        int? batch = ParseInt(reader, _batch, Or(InfoNceAutomatic.BatchSize, baseline.BatchSize));
        int? warmUp = ParseInt(reader, _warmUp, Or(InfoNceAutomatic.WarmUpSteps, baseline.WarmUpSteps));
        int embedding = reader.Get(_embedding, baseline.Embedding), windows = reader.Get(_windows, baseline.TrainingWindows);
        double rate = reader.Get(_rate, baseline.LearningRate), filterRate = reader.Get(_filterRate, baseline.FilterLearningRate);
        double dropout = reader.Get(_dropout, baseline.Dropout), t0 = reader.Get(_tauStart, baseline.Temperature.Start);
        double? decay = ParseDouble(reader, _decay, Or(InfoNceAutomatic.FinalLearningRateFraction, baseline.FinalLearningRateFraction));
        double? t1 = ParseDouble(reader, _tauEnd, Or(InfoNceAutomatic.TemperatureEnd, baseline.Temperature.End));
        double? l2 = ParseDouble(reader, _l2, Or(InfoNceAutomatic.FilterL2, baseline.FilterL2));
        if (steps is { } st) Require.Positive(st, "--infonce-steps");
        if (batch is { } b) Require.That(b >= 2, $"--infonce-batch must be at least 2, got {b}.");
        Require.Positive(rate, "--infonce-learning-rate");
        Require.Positive(filterRate, "--infonce-filter-learning-rate");
        if (decay is { } d) Require.That(d > 0 && d <= 1, $"--infonce-final-rate-fraction must be in (0, 1], got {d}.");
        Require.Positive(embedding, "--infonce-embedding");
        Require.That(dropout >= 0 && dropout < 1, $"--infonce-dropout must be in [0, 1), got {dropout}.");
        Require.Positive(t0, "--infonce-temperature-start");
        if (t1 is { } te) Require.Positive(te, "--infonce-temperature-end");
        if (l2 is { } penalty) Require.That(penalty >= 0, $"--infonce-l2 must be non-negative, got {penalty}.");
        if (batch is { } kb) Require.That(windows >= kb, $"--infonce-windows ({windows}) must be at least the batch size {kb}.");
        if (warmUp is { } wu) Require.NonNegative(wu, "--infonce-warm-up");
        reader.Effective[EstimatorOptions.Key(_bound)] = bound == MutualInformationBound.Nwj ? "nwj" : "infonce";
        reader.Effective[EstimatorOptions.Key(_schedule)] = kind == AnnealingKind.Linear ? "linear" : "exponential";
        if (layers is not null) reader.Effective[EstimatorOptions.Key(_layers)] = string.Join(",", layers.Select(w => w.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var o = baseline with
        {
            Bound = bound, LearningRate = rate, FilterLearningRate = filterRate, Embedding = embedding, Dropout = dropout,
            Temperature = new TemperatureSchedule(t0, t1 ?? baseline.Temperature.End, kind, baseline.Temperature.AnnealFraction),
            TrainingWindows = windows,
        };
        // Settings at auto are chosen from the data when learning starts (InfoNceAutoSettings); the others are kept.
        o = t1 is null ? o.LeavingToData(InfoNceAutomatic.TemperatureEnd) : o;
        o = steps is { } s1 ? o with { Steps = s1 } : o.LeavingToData(InfoNceAutomatic.Steps);
        o = batch is { } b1 ? o with { BatchSize = b1 } : o.LeavingToData(InfoNceAutomatic.BatchSize);
        o = decay is { } d1 ? o with { FinalLearningRateFraction = d1 } : o.LeavingToData(InfoNceAutomatic.FinalLearningRateFraction);
        o = layers is { } l1 ? o with { CriticLayers = l1 } : o.LeavingToData(InfoNceAutomatic.CriticLayers);
        o = l2 is { } p1 ? o with { FilterL2 = p1 } : o.LeavingToData(InfoNceAutomatic.FilterL2);
        o = warmUp is { } w1 ? o with { WarmUpSteps = w1 } : o.LeavingToData(InfoNceAutomatic.WarmUpSteps);
        return o;
    }

    private static bool IsAuto(string text) => text.Trim().Equals(Auto, StringComparison.OrdinalIgnoreCase);

    private static int? ParseInt(OptionReader reader, Option<string> option, string fallback)
    {
        string text = reader.Get(option, fallback).Trim();
        if (IsAuto(text)) return null;
        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int value)) return value;
        throw new RsmiInputException($"{option.Name}: '{text}' is not auto or an integer.");
    }

    private static double? ParseDouble(OptionReader reader, Option<string> option, string fallback)
    {
        string text = reader.Get(option, fallback).Trim();
        if (IsAuto(text)) return null;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)) return value;
        throw new RsmiInputException($"{option.Name}: '{text}' is not auto or a number.");
    }

    public IFilterLearner CreateLearner(FilterLearningRequest request, ParseResult parse) => new InfoNceFilterLearner(ParseOptions(request, parse));
}
