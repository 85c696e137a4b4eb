using Rsmi.Data;
using Rsmi.Filters;
using Rsmi.Learning;
using Rsmi.Learning.Ensembles;
using Rsmi.Learning.InfoNce;
using Rsmi.Models;
using Rsmi.Progress;
using Rsmi.Random;
using Rsmi.Regions;
using Rsmi.Renormalization;

namespace Rsmi.Scanning;

/// <summary>The critics a scan measures every filter with (docs/scan.md, "Critics").</summary>
public enum ScanCritic
{
    /// <summary>The network and the regression critic, the one with more information on the selection configurations reported.</summary>
    Both,
    /// <summary>The yardstick's network critic only (2 × 32 ReLU units, 400 steps).</summary>
    Network,
    /// <summary>The linear separable critic trained by Adam only (2,000 steps).</summary>
    Linear,
    /// <summary>The regression critic only (<see cref="HeldOutInformation.TrainRegression"/>).</summary>
    Regression,
}

/// <summary>What a scan measures: the window, the buffers, N_h, the learner, the ensemble and the fit (docs/scan.md).</summary>
public sealed record ScanSettings
{
    /// <summary>Block size b (b × b, or b sites on a chain).</summary>
    public required int Block { get; init; }
    /// <summary>Buffers L_B ≥ 0, distinct, in increasing order.</summary>
    public required IReadOnlyList<int> Buffers { get; init; }
    /// <summary>Hidden-unit counts N_h.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [1];
    /// <summary>Environment thickness L_E ≥ 1.</summary>
    public int Environment { get; init; } = DefaultEnvironment;
    /// <summary>Ensemble members per point.</summary>
    public int Members { get; init; } = FilterEnsembleOptions.DefaultMembers;
    /// <summary>Fraction of the configurations the report estimate is computed on (docs/scan.md, "Error bars").</summary>
    public double ReportFraction { get; init; } = 0.3;
    /// <summary>Held-out windows in every estimate (about; in batches of K = 256 within groups of configurations, docs/scan.md, "Error bars").</summary>
    public int EvaluationWindows { get; init; } = DefaultEvaluationWindows;
    /// <summary>The critics every filter is measured with.</summary>
    public ScanCritic Critic { get; init; } = ScanCritic.Both;
    /// <summary>Whether the filter kept at the previous buffer competes with the members at the next one (docs/scan.md, "Carried filters").</summary>
    public bool CarryFilters { get; init; } = true;
    /// <summary>The window of the correlation-length fit.</summary>
    public FitWindow Fit { get; init; } = new();
    /// <summary>The metadata attribute that labels each file (null: <c>temperature</c> when the files record it).</summary>
    public string? Parameter { get; init; }
    /// <summary>Seed of every random choice.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Threads (−1: all cores); results do not depend on it.</summary>
    public int Threads { get; init; } = -1;

    /// <summary>Default environment thickness: 1, the thinnest ring around the buffer (docs/scan.md, "Window").</summary>
    public const int DefaultEnvironment = 1;
    /// <summary>Windows each candidate is compared on (a quarter of <see cref="EvaluationWindows"/>: the comparison is paired, on the same windows).</summary>
    public int SelectionWindows => Math.Max(1, EvaluationWindows / 4);
    /// <summary>Default held-out windows per estimate: 2¹⁸.</summary>
    public const int DefaultEvaluationWindows = 262_144;
    /// <summary>Most buffers in one scan.</summary>
    public const int MaxBuffers = 64;

    /// <summary>Throws <see cref="RsmiInputException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Require.Positive(Block, RsmiInputException.Option("block"));
        Require.That(Buffers is { Count: >= 1 and <= MaxBuffers }, $"{RsmiInputException.Option("buffers")} must list 1 to {MaxBuffers} buffers.");
        for (int i = 0; i < Buffers.Count; i++)
        {
            Require.That(Buffers[i] >= 0, $"{RsmiInputException.Option("buffers")} must be zero or positive, got {Buffers[i]}.");
            Require.That(i == 0 || Buffers[i] > Buffers[i - 1], $"{RsmiInputException.Option("buffers")} must be distinct and increasing, got {string.Join(",", Buffers)}.");
        }
        Require.That(Hidden is { Count: >= 1 }, $"{RsmiInputException.Option("hidden")} must list at least one hidden-unit count.");
        foreach (int h in Hidden)
            Require.That(h is >= 1 and <= ExactMutualInformation.MaxHidden, $"{RsmiInputException.Option("hidden")} must be between 1 and {ExactMutualInformation.MaxHidden}, got {h}.");
        Require.That(Hidden.Distinct().Count() == Hidden.Count, $"{RsmiInputException.Option("hidden")} lists a count twice.");
        Require.Positive(Environment, RsmiInputException.Option("environment"));
        Require.Positive(Members, RsmiInputException.Option("ensemble"));
        Require.That(ReportFraction is > 0 and <= 0.4, $"{RsmiInputException.Option("report-fraction")} must be in (0, 0.4], got {ReportFraction}.");
        Require.Positive(EvaluationWindows, RsmiInputException.Option("evaluation-windows"));
        Require.That(Threads == -1 || Threads >= 1, $"{RsmiInputException.Option("threads")} must be -1 or positive, got {Threads}.");
        Fit.Validate();
    }

    /// <summary>The window at buffer <paramref name="buffer"/> on samples of rank <paramref name="rank"/>.</summary>
    public WindowGeometry Geometry(int rank, int buffer) =>
        rank == 1 ? WindowGeometry.Chain(Block, buffer, Environment) : WindowGeometry.Square(Block, Block, buffer, Environment);

    /// <summary>The ensemble's settings (its yardstick, which chooses among the members, is the default one).</summary>
    public FilterEnsembleOptions EnsembleOptions(ulong seed) => new() { Members = Members, Seed = seed, Threads = Threads, ReportFraction = ReportFraction };

    /// <summary>The linear critic: no hidden layers, 2,000 steps of K = 256 windows, each drawn once (docs/scan.md, "Critics").</summary>
    public InfoNceOptions LinearCritic(InfoNceOptions network) =>
        network with { CriticLayers = [], Steps = 2000, TrainingWindows = 2000 * network.BatchSize };
}

/// <summary>One sample file of a scan: its name (as given) and its configurations.</summary>
public sealed record ScanInput(string Name, SampleSet Samples);

/// <summary>One point of a scan: the information at one buffer, with the filter and critic that gave it.</summary>
public sealed record ScanPoint
{
    /// <summary>L_B.</summary>
    public required int Buffer { get; init; }
    /// <summary>I(H:E) on the report configurations, in bits.</summary>
    public required double Bits { get; init; }
    /// <summary>Its standard error.</summary>
    public required double Error { get; init; }
    /// <summary>Whether the estimate lies more than the ensemble's signal threshold above zero.</summary>
    public required bool Signal { get; init; }
    /// <summary><c>network</c>, <c>linear</c> or <c>regression</c>: the critic reported.</summary>
    public required string Critic { get; init; }
    /// <summary>Buffer whose filter was reported (this one: learned here; a smaller one: carried).</summary>
    public required int FilterBuffer { get; init; }
    /// <summary>The reported filters.</summary>
    public required FilterParameters Filter { get; init; }
    /// <summary>Selection estimate of every candidate (filter at buffer, critic) in bits.</summary>
    public required IReadOnlyList<ScanCandidate> Candidates { get; init; }
    /// <summary>The ensemble at this buffer (its members, their selection estimates, their analysis).</summary>
    public required EnsembleResult Ensemble { get; init; }
    /// <summary>The reported filter's overlap with each pattern set of the model (<see cref="FilterOverlaps"/>), by name; empty when the model has none.</summary>
    public IReadOnlyDictionary<string, double> Overlaps { get; init; } = new Dictionary<string, double>();
}

/// <summary>A filter measured by one critic on the selection configurations.</summary>
/// <param name="FilterBuffer">The buffer the filter was learned at.</param>
/// <param name="Critic"><c>network</c>, <c>linear</c> or <c>regression</c>.</param>
/// <param name="Bits">Selection estimate in bits.</param>
/// <param name="Error">Its standard error.</param>
public sealed record ScanCandidate(int FilterBuffer, string Critic, double Bits, double Error);

/// <summary>The scan of one file at one N_h: every buffer and the correlation length.</summary>
public sealed record FileScan
{
    /// <summary>The file, as given.</summary>
    public required string File { get; init; }
    /// <summary>The model its metadata name (null when absent).</summary>
    public string? Model { get; init; }
    /// <summary>The temperature its metadata records (null when absent).</summary>
    public double? Temperature { get; init; }
    /// <summary>The attribute that labels the file.</summary>
    public required string ParameterName { get; init; }
    /// <summary>Its value (NaN when the file does not record it).</summary>
    public required double ParameterValue { get; init; }
    /// <summary>N_h.</summary>
    public required int Hidden { get; init; }
    /// <summary>One point per buffer, in the order of the settings.</summary>
    public required IReadOnlyList<ScanPoint> Points { get; init; }
    /// <summary>ξ from the decay of the information with the buffer.</summary>
    public required CorrelationLength CorrelationLength { get; init; }
    /// <summary>Lattice shape of the samples.</summary>
    public required int[] Shape { get; init; }
    /// <summary>Configurations in the file.</summary>
    public required int Configurations { get; init; }
}

/// <summary>Everything a scan measured.</summary>
public sealed record ScanResult
{
    /// <summary>The settings.</summary>
    public required ScanSettings Settings { get; init; }
    /// <summary>The learner's name.</summary>
    public required string Estimator { get; init; }
    /// <summary>The learner's effective options.</summary>
    public required IReadOnlyDictionary<string, object?> EstimatorOptions { get; init; }
    /// <summary>One scan per file and N_h, files in the order given, N_h in the order of the settings.</summary>
    public required IReadOnlyList<FileScan> Scans { get; init; }
}

/// <summary>
/// The mutual-information microscope (docs/scan.md): for each sample file, each N_h and each buffer L_B, filters are
/// learned by an ensemble of one catalog learner (<see cref="FilterEnsemble"/>) and the information I(H:E) they keep is
/// measured on configurations no learner and no choice has seen; the decay with L_B gives the correlation length
/// (<see cref="CorrelationLengthFit"/>).
/// <para>
/// At each buffer the candidates are the ensemble's kept filter and, with <see cref="ScanSettings.CarryFilters"/>, the
/// filter reported at the previous buffer; each is measured by the critics of <see cref="ScanSettings.Critic"/>
/// (<see cref="HeldOutInformation"/>), trained on the training configurations and compared on the selection
/// configurations, on the same windows; the best pair is evaluated once on the report configurations. Choosing on one
/// part and reporting on another keeps the reported value free of the selection's upward bias, so it stays a lower
/// bound on I(H:E) up to its statistical error.
/// </para>
/// </summary>
public static class MutualInformationScan
{
    /// <summary>Runs the scan. Throws <see cref="RsmiInputException"/> for settings that do not fit a file.</summary>
    public static ScanResult Run(IReadOnlyList<ScanInput> inputs, ScanSettings settings, LearnerEntry learner, IReadOnlyDictionary<string, string>? learnerOptions = null,
        IProgressReporter? progress = null, CancellationToken cancellationToken = default)
    {
        settings.Validate();
        Require.That(inputs.Count >= 1, $"{RsmiInputException.Option("in")} must name at least one sample file.");
        learnerOptions ??= new Dictionary<string, string>();
        var labels = inputs.Select(i => Label(i, settings.Parameter)).ToArray();
        var parsed = new LearnerSettings[inputs.Count];
        for (int f = 0; f < inputs.Count; f++)
        {
            var samples = inputs[f].Samples;
            Require.That(samples.Count >= FilterEnsemble.MinimumConfigurations,
                $"{RsmiInputException.Option("in")}: '{inputs[f].Name}' holds {samples.Count} configurations; a scan needs at least {FilterEnsemble.MinimumConfigurations}.");
            Require.That(samples.Rank is 1 or 2, $"{RsmiInputException.Option("in")}: '{inputs[f].Name}' holds rank-{samples.Rank} configurations; a scan takes chains and square lattices.");
            Require.That(samples.Lx % settings.Block == 0 && (samples.Rank == 1 || samples.Ly % settings.Block == 0),
                $"{RsmiInputException.Option("block")} {settings.Block} does not tile '{inputs[f].Name}', whose lattice is {(samples.Rank == 1 ? $"a chain of {samples.Lx} sites" : $"{samples.Ly}×{samples.Lx}")}.");
            foreach (int b in settings.Buffers)
            {
                var g = settings.Geometry(samples.Rank, b);
                try { g.ValidateFor(samples.Lx, samples.Ly); }
                catch (RsmiInputException e) { throw new RsmiInputException($"{RsmiInputException.Option("buffers")} {b} does not fit '{inputs[f].Name}': {e.Template}"); }
            }
            var states = samples.States();
            Require.That(states.FeaturesPerSite == 1, $"{RsmiInputException.Option("in")}: '{inputs[f].Name}' holds {states.ValuesText}; a scan takes ±1 spins.");
            parsed[f] = learner.Parse(learnerOptions, LearnerUse.Filters,
                new LearnerContext(settings.Geometry(samples.Rank, settings.Buffers[^1]), samples.Metadata.Model ?? "unknown", states, 2), RsmiInputException.Option);
        }
        int total = inputs.Count * settings.Hidden.Count * settings.Buffers.Count, done = 0;
        var scans = new List<FileScan>();
        for (int f = 0; f < inputs.Count; f++)
        {
            var input = inputs[f];
            for (int hi = 0; hi < settings.Hidden.Count; hi++)
            {
                int nh = settings.Hidden[hi];
                var points = new List<ScanPoint>();
                ScanPoint? previous = null;
                foreach (int buffer in settings.Buffers)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    string stage = System.FormattableString.Invariant($"scan {done + 1}/{total}: {Path.GetFileName(input.Name)}, N_h = {nh}, L_B = {buffer}");
                    ulong seed = RandomStreams.Create(settings.Seed, (ulong)(((long)f * settings.Hidden.Count + hi) * 4096 + buffer), "scan-point").NextUInt64();
                    var point = Measure(input.Samples, settings, parsed[f], nh, buffer, seed, previous, progress is null ? null : new Prefixed(progress, stage));
                    points.Add(point);
                    previous = point;
                    done++;
                    progress?.Report("scan", done / (double)total, System.FormattableString.Invariant(
                        $"{Path.GetFileName(input.Name)}, N_h = {nh}, L_B = {buffer}: I = {point.Bits:F4} ± {point.Error:F4} bits ({point.Critic} critic, filter of L_B = {point.FilterBuffer})"));
                }
                var fit = CorrelationLengthFit.Fit(points.Select(p => p.Buffer).ToArray(), points.Select(p => p.Bits).ToArray(), points.Select(p => p.Error).ToArray(), settings.Fit);
                scans.Add(new FileScan
                {
                    File = input.Name, Model = input.Samples.Metadata.Model, Temperature = input.Samples.Metadata.Temperature,
                    ParameterName = labels[f].Name, ParameterValue = labels[f].Value, Hidden = nh, Points = points, CorrelationLength = fit,
                    Shape = input.Samples.SiteShape.ToArray(), Configurations = input.Samples.Count,
                });
            }
        }
        return new ScanResult { Settings = settings, Estimator = learner.Name, EstimatorOptions = parsed[0].Effective, Scans = scans };
    }

    /// <summary>The attribute that labels a file and its value: <paramref name="parameter"/> (or, written <c>1/NAME</c>, the
    /// reciprocal of attribute NAME: the temperature of interacting dimers, whose files record u = V/T), or
    /// <c>temperature</c> by default (NaN when absent).</summary>
    private static (string Name, double Value) Label(ScanInput input, string? parameter)
    {
        if (parameter is null) return ("temperature", input.Samples.Metadata.Temperature ?? double.NaN);
        bool reciprocal = parameter.StartsWith("1/", StringComparison.Ordinal);
        string attribute = reciprocal ? parameter[2..] : parameter;
        double? value = input.Samples.Metadata.GetDouble(attribute);
        Require.That(value.HasValue, $"{RsmiInputException.Option("parameter")}: '{input.Name}' records no number named '{attribute}'.");
        Require.That(!reciprocal || value!.Value != 0, $"{RsmiInputException.Option("parameter")}: '{input.Name}' records {attribute} = 0, which has no reciprocal.");
        return (parameter, reciprocal ? 1 / value!.Value : value!.Value);
    }

    /// <summary>One buffer: the ensemble, the candidates, the choice on the selection part and the report.</summary>
    private static ScanPoint Measure(SampleSet samples, ScanSettings settings, LearnerSettings learner, int nh, int buffer, ulong seed, ScanPoint? previous, IProgressReporter? progress)
    {
        var geometry = settings.Geometry(samples.Rank, buffer);
        var options = settings.EnsembleOptions(seed);
        var ensemble = FilterEnsemble.Learn(samples, geometry, nh, learner.CreateLearner(), options, progress);
        var (train, selection, report) = ensemble.Split;
        var trainSet = samples.Slice(0, train);
        var selectionSet = samples.Slice(train, selection);
        var reportSet = samples.Slice(train + selection, report);
        var filters = new List<(int Buffer, FilterParameters Filter)> { (buffer, ensemble.Chosen.Learned.Filter) };
        if (settings.CarryFilters && previous is not null) filters.Add((previous.FilterBuffer, previous.Filter));
        var critics = new List<(string Name, InfoNceOptions Options)>();
        var yardstick = options.Yardstick with { Seed = seed ^ 0x2545F4914F6CDD1DUL };
        if (settings.Critic is ScanCritic.Both or ScanCritic.Network) critics.Add(("network", yardstick));
        if (settings.Critic is ScanCritic.Linear) critics.Add(("linear", settings.LinearCritic(yardstick)));
        if (settings.Critic is ScanCritic.Both or ScanCritic.Regression) critics.Add(("regression", settings.LinearCritic(yardstick)));
        var pairs = filters.SelectMany(f => critics.Select(c => (f.Buffer, f.Filter, c.Name, c.Options))).ToArray();
        var trained = new HeldOutInformation.TrainedCritic[pairs.Length];
        var chosen = new ScanCandidate[pairs.Length];
        int cores = settings.Threads == -1 ? System.Environment.ProcessorCount : settings.Threads;
        int parallel = Math.Min(cores, pairs.Length), inner = Math.Max(1, cores / parallel);
        Parallel.For(0, pairs.Length, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i =>
        {
            var p = pairs[i];
            var o = p.Options with { MaxDegreeOfParallelism = inner };
            trained[i] = p.Name == "regression"
                ? HeldOutInformation.TrainRegression(trainSet, geometry, p.Filter, options.Application, o)
                : HeldOutInformation.Train(trainSet, geometry, p.Filter, options.Application, o);
            var (bits, error, _) = HeldOutInformation.EvaluateGrouped(trained[i], selectionSet, settings.SelectionWindows, seed, "scan-selection");
            chosen[i] = new ScanCandidate(p.Buffer, p.Name, bits, error);
        });
        int best = 0;
        for (int i = 1; i < pairs.Length; i++) if (chosen[i].Bits > chosen[best].Bits) best = i;
        var (reportBits, reportError, _) = HeldOutInformation.EvaluateGrouped(trained[best], reportSet, settings.EvaluationWindows, seed, "scan-report");
        bool signal = double.IsFinite(reportError) ? reportBits > options.SignalSigmas * reportError : reportBits > 0;
        var overlaps = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (pairs[best].Filter.IsSpinFilter && pairs[best].Filter.Visible == settings.Block * settings.Block)
            foreach (var set in FilterOverlaps.For(samples, settings.Block)) overlaps[set.Name] = FilterOverlaps.Overlap(pairs[best].Filter, set.Patterns);
        return new ScanPoint
        {
            Overlaps = overlaps,
            Buffer = buffer, Bits = reportBits, Error = reportError, Signal = signal, Critic = pairs[best].Name, FilterBuffer = pairs[best].Buffer,
            Filter = pairs[best].Filter, Candidates = chosen, Ensemble = ensemble,
        };
    }

    /// <summary>Passes a member's progress on under the point's stage name.</summary>
    private sealed class Prefixed(IProgressReporter inner, string stage) : IProgressReporter
    {
        public void Report(string s, double fraction, string? detail = null) => inner.Report(stage, fraction, detail is null ? s : $"{s}: {detail}");
    }
}
