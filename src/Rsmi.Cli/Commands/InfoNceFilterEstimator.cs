using System.CommandLine;
using Rsmi.Learning.Ensembles;
using Rsmi.Learning.InfoNce;

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

    public string Name => "infonce";
    public string Description => "neural variational bound (RSMI-NE): filters and a critic trained jointly";
    public IReadOnlyList<Option> Options => [_bound, _steps, _batch, _rate, _filterRate, _decay, _layers, _embedding, _dropout, _tauStart, _tauEnd, _schedule, _l2, _windows, _warmUp];

    /// <summary>Parses the options (bad values → <see cref="RsmiInputException"/> naming the option).</summary>
    internal InfoNceOptions ParseOptions(FilterLearningRequest request, ParseResult parse)
    {
        var bound = parse.GetValue(_bound)!.Trim().ToLowerInvariant() switch
        {
            "infonce" or "nce" => MutualInformationBound.InfoNce,
            "nwj" or "fdiv" or "f-div" => MutualInformationBound.Nwj,
            var s => throw new RsmiInputException($"--infonce-bound: unknown bound '{s}'; choose infonce or nwj."),
        };
        var kind = parse.GetValue(_schedule)!.Trim().ToLowerInvariant() switch
        {
            "exponential" or "exp" => AnnealingKind.Exponential,
            "linear" => AnnealingKind.Linear,
            var s => throw new RsmiInputException($"--infonce-annealing: unknown schedule '{s}'; choose exponential or linear."),
        };
        int[] layers;
        string text = parse.GetValue(_layers)!.Trim();
        try { layers = text.Length == 0 ? [] : text.Split(',').Select(t => int.Parse(t.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToArray(); }
        catch (FormatException) { throw new RsmiInputException($"--infonce-critic-layers: '{text}' is not a comma-separated list of widths."); }
        foreach (int w in layers) Require.That(w > 0, $"--infonce-critic-layers: widths must be positive, got {w}.");
        int steps = parse.GetValue(_steps), batch = parse.GetValue(_batch), embedding = parse.GetValue(_embedding), windows = parse.GetValue(_windows);
        double rate = parse.GetValue(_rate), filterRate = parse.GetValue(_filterRate), decay = parse.GetValue(_decay), dropout = parse.GetValue(_dropout);
        double t0 = parse.GetValue(_tauStart), t1 = parse.GetValue(_tauEnd), l2 = parse.GetValue(_l2);
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
        int warmUp = parse.GetValue(_warmUp);
        Require.NonNegative(warmUp, "--infonce-warm-up");
        return Defaults with
        {
            Hidden = request.Hidden, Bound = bound, Steps = steps, BatchSize = batch, LearningRate = rate, FilterLearningRate = filterRate,
            FinalLearningRateFraction = decay, CriticLayers = layers, Embedding = embedding, Dropout = dropout,
            Temperature = new TemperatureSchedule(t0, t1, kind, Defaults.Temperature.AnnealFraction), FilterL2 = l2,
            TrainingWindows = windows, WarmUpSteps = warmUp, Seed = request.Seed,
        };
    }

    public IFilterLearner CreateLearner(FilterLearningRequest request, ParseResult parse) => new InfoNceFilterLearner(ParseOptions(request, parse));
}
