using System.Globalization;
using Rsmi.Data;
using Rsmi.Filters;
using Rsmi.IO;
using Rsmi.Learning;
using Rsmi.Learning.Ensembles;
using Rsmi.Models;
using Rsmi.Plots.Filters;
using Rsmi.Progress;
using Rsmi.Regions;
using Rsmi.States;

namespace Rsmi.Study.Stages;

/// <summary>
/// What a filter-learning stage learns (the settings of <c>rsmi learn</c>; the input, the seed and the filters file
/// are the stage's): the window, N_h, the learner and its options, the ensemble.
/// </summary>
public sealed record FilterLearningSettings
{
    /// <summary>Block size b (b × b, b × b × b on cubic lattices, or b sites on a chain).</summary>
    public required int Block { get; init; }
    /// <summary>N_h.</summary>
    public required int Hidden { get; init; }
    /// <summary>States q_h of each hidden unit (null: the samples' default, 2 for ±1 spins and q for q-state labels).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? HiddenStates { get; init; }
    /// <summary>Buffer thickness L_B.</summary>
    public required int Buffer { get; init; }
    /// <summary>Environment thickness L_E.</summary>
    public required int Environment { get; init; }
    /// <summary>Spacing of the block positions (0: the block size).</summary>
    public int Stride { get; init; }
    /// <summary>The learner's name in the <see cref="LearnerCatalog"/>.</summary>
    public required string Estimator { get; init; }
    /// <summary>The learner's options given (key → value text; the others take the defaults of <see cref="LearnerUse.Filters"/>).</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    /// <summary>Ensemble members.</summary>
    public int Members { get; init; } = FilterEnsembleOptions.DefaultMembers;
    /// <summary>Threads (−1: all cores); the result does not depend on it.</summary>
    public int Threads { get; init; } = -1;
    /// <summary>Whether to draw the heatmaps (and the ensemble figure) next to the filters file.</summary>
    public bool Pictures { get; init; } = true;

    /// <summary>The learner, or an <see cref="RsmiInputException"/> naming the known ones.</summary>
    public LearnerEntry Learner => LearnerCatalog.Find(Estimator)
        ?? throw new RsmiInputException($"--estimator: unknown estimator '{Estimator}'; choose one of {string.Join(", ", LearnerCatalog.All.Select(e => e.Name))}.");

    /// <summary>The checks that need no samples, in the words of <c>rsmi learn</c>.</summary>
    public void Validate()
    {
        Require.Positive(Block, "--block");
        Require.That(Hidden is >= 1 and <= ExactMutualInformation.MaxHidden, $"--hidden must be between 1 and {ExactMutualInformation.MaxHidden}, got {Hidden}.");
        Require.That(HiddenStates is null or (>= 2 and <= PottsLabels.MaxStates), $"--hidden-states must be between 2 and {PottsLabels.MaxStates}, got {HiddenStates}.");
        Require.NonNegative(Buffer, "--buffer");
        Require.Positive(Environment, "--environment");
        Require.NonNegative(Stride, "--stride");
        Require.Positive(Members, "--ensemble");
        Require.That(Threads == -1 || Threads >= 1, $"--threads must be positive, got {Threads}.");
    }

    /// <summary>The window on samples of rank <paramref name="rank"/>.</summary>
    public WindowGeometry Geometry(int rank) => WindowGeometry.ForRank(rank, Block, Buffer, Environment);

    /// <summary>The learner's settings checked against the window and <paramref name="model"/> (null: not known yet), and
    /// against the samples' state space <paramref name="states"/> when known.</summary>
    public LearnerSettings ParseLearner(WindowGeometry geometry, string? model, IStateSpace? states = null) =>
        Learner.Parse(Options, LearnerUse.Filters, new LearnerContext(geometry, model, states, HiddenStatesFor(states)), LearnerArguments.Flag);

    /// <summary>q_h on samples of <paramref name="states"/>: <see cref="HiddenStates"/>, or by default q for q-state labels and 2 otherwise.</summary>
    public int HiddenStatesFor(IStateSpace? states) => HiddenStates ?? (states is PottsLabels labels ? labels.States : 2);
}

/// <summary>What a filter-learning stage produced.</summary>
public sealed class FilterLearningOutcome
{
    /// <summary>The samples learned from.</summary>
    public required SampleSet Samples { get; init; }
    /// <summary>The window.</summary>
    public required WindowGeometry Geometry { get; init; }
    /// <summary>The ensemble.</summary>
    public required EnsembleResult Result { get; init; }
    /// <summary>The filters file's content.</summary>
    public required FilterSet Filters { get; init; }
    /// <summary>The members' alignment and spread (null for filters of labels or with categorical units, which the analysis does not take).</summary>
    public required EnsembleAnalysisResult? Spread { get; init; }
    /// <summary>The heatmaps written (none without pictures).</summary>
    public required IReadOnlyList<string> Heatmaps { get; init; }
    /// <summary>The ensemble figure written (null with one member or without pictures).</summary>
    public string? EnsembleFigure { get; init; }
    /// <summary>Every file written: the filters file, then the pictures.</summary>
    public IEnumerable<string> Written(string filtersFile) => [filtersFile, .. Heatmaps, .. EnsembleFigure is null ? [] : new[] { EnsembleFigure }];
}

/// <summary>
/// A filter-learning stage: learns RSMI filters from a sample file with an ensemble of one catalog learner
/// (<see cref="FilterEnsemble"/>; docs/learning.md, "Ensembles") and writes the filters file
/// (docs/contract.md) with one heatmap per hidden unit and the ensemble figure next to it.
/// </summary>
public static class FilterLearningStage
{
    /// <summary>
    /// Reads <paramref name="input"/>, checks it against <paramref name="settings"/> (messages in the words of
    /// <c>rsmi learn</c>), learns with <paramref name="seed"/> and writes <paramref name="output"/> and its pictures.
    /// <paramref name="note"/> receives a sentence before learning and after it.
    /// </summary>
    public static FilterLearningOutcome Run(FilterLearningSettings settings, string input, string output, ulong seed, IProgressReporter progress, Action<string>? note = null)
    {
        settings.Validate();
        var learnerEntry = settings.Learner;
        Require.That(File.Exists(input), $"--in: sample file '{input}' does not exist.");
        var samples = SampleFile.Read(input);
        var states = samples.States();
        Require.That(samples.Count > 0, $"--in: '{input}' holds no configurations.");
        var geometry = settings.Geometry(samples.Rank);
        try { geometry.ValidateFor(samples.Lx, samples.Ly, samples.Lz); }
        catch (RsmiInputException e) { throw new RsmiInputException($"--block/--buffer/--environment do not fit '{input}': {e.Template}"); }
        int st = settings.Stride;
        Require.That(st == 0 || st <= Math.Min(samples.Lx, samples.Rank == 1 ? samples.Lx : samples.Rank == 2 ? samples.Ly : Math.Min(samples.Ly, samples.Lz)), $"--stride {st} is larger than the lattice.");
        Require.That(samples.Count >= FilterEnsemble.MinimumConfigurations,
            $"--in: '{input}' holds {samples.Count} configurations; learning needs at least {FilterEnsemble.MinimumConfigurations} (10% choose among the ensemble, 10% report on the result).");
        string model = samples.Metadata.Model ?? "unknown";
        var learner = settings.ParseLearner(geometry, model, states).CreateLearner(st);
        var options = new FilterEnsembleOptions { Members = settings.Members, Seed = seed, Threads = settings.Threads };
        int qh = settings.HiddenStatesFor(states);
        note?.Invoke($"|V| = {geometry.VisibleSize}, |E| = {geometry.EnvironmentSize}; {samples.Count} configurations; estimator {learnerEntry.Name}"
            + (learner is RbmFilterLearner rbm ? $" ({rbm.ObjectiveFor(geometry, settings.Hidden)} objective)" : "") + $", ensemble of {settings.Members}"
            + (states.FeaturesPerSite == 1 && qh == 2 ? "." : $"; sites seen as {states.FeaturesPerSite} feature(s), hidden units of {qh} states."));
        var result = FilterEnsemble.Learn(samples, geometry, settings.Hidden, learner, options, progress);
        var filters = result.ToFilterSet(model, geometry, seed);
        filters.Validate(output);
        FiltersFile.Write(output, filters);
        var ci = CultureInfo.InvariantCulture;
        note?.Invoke(string.Create(ci, $"members' held-out information (bits): {string.Join(", ", result.Members.Select(m => $"{m.SelectionBits:F4}"))}; kept member {result.ChosenIndex + 1}; split {result.Split.Training}/{result.Split.Selection}/{result.Split.Report} configurations (train/select/report)."));
        if (result.DominanceMessage is string set) note?.Invoke(set);
        if (result.NoSignalMessage is string none) note?.Invoke(none);
        var spread = result.Analyse(geometry);
        IReadOnlyList<string> heatmaps = [];
        string? figure = null;
        if (settings.Pictures)
        {
            heatmaps = FilterHeatmap.WriteAll(filters, output);
            if (settings.Members > 1 && spread is not null)
                figure = EnsembleFigure.Write(spread, output, 2, result.Members.Select(m => string.Create(ci, $"member {m.Index + 1} ({m.SelectionBits:F3} bits)")).ToArray());
        }
        return new FilterLearningOutcome
        {
            Samples = samples, Geometry = geometry, Result = result, Filters = filters, Spread = spread, Heatmaps = heatmaps, EnsembleFigure = figure,
        };
    }
}
