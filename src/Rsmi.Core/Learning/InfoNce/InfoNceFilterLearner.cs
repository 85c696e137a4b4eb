using Rsmi.Filters;
using Rsmi.Data;
using Rsmi.Learning.Ensembles;
using Rsmi.Progress;
using Rsmi.Regions;

namespace Rsmi.Learning.InfoNce;

/// <summary>
/// The neural estimator (RSMI-NE; <see cref="InfoNceLearner"/>) as an ensemble member: one run of
/// <see cref="InfoNceLearner.Learn(SampleSet, WindowGeometry, InfoNceOptions, IProgressReporter?)"/> with the member's
/// seed and thread budget.
/// </summary>
public sealed class InfoNceFilterLearner(InfoNceOptions options) : IFilterLearner
{
    /// <summary>The settings (hidden units, seed and threads are set per run).</summary>
    public InfoNceOptions Options { get; } = options;

    /// <inheritdoc />
    public string Name => "infonce";

    /// <inheritdoc />
    public LearnedFilters Learn(SampleSet training, WindowGeometry geometry, int hidden, ulong seed, int threads, IProgressReporter? progress)
    {
        var o = Options with { Hidden = hidden, Seed = seed, MaxDegreeOfParallelism = threads };
        var r = InfoNceLearner.Learn(training, geometry, o, progress);
        return new LearnedFilters
        {
            Filter = r.Filter, EstimatorBits = r.MutualInformation.Value, EstimatorBitsError = r.MutualInformation.Error,
            History = r.History, HistoryMovingAverage = r.MovingAverage, Details = Details(r),
        };
    }

    /// <summary>The settings and diagnostics written to the filters file.</summary>
    public static Dictionary<string, object?> Details(InfoNceResult result)
    {
        var o = result.Options;
        var d = new Dictionary<string, object?>
        {
            ["bound"] = o.Bound == MutualInformationBound.InfoNce ? "infonce" : "nwj",
            ["evaluation_batches"] = result.EvaluationBatches,
            ["history_interval_steps"] = o.HistoryInterval,
            ["history_temperature"] = result.Temperatures,
            ["training"] = new Dictionary<string, object>
            {
                ["steps"] = o.Steps, ["batch_size"] = o.BatchSize, ["learning_rate"] = o.LearningRate,
                ["filter_learning_rate"] = o.EffectiveFilterLearningRate, ["final_learning_rate_fraction"] = o.FinalLearningRateFraction,
                ["filter_averaging_fraction"] = o.FilterAveragingFraction, ["filter_l2"] = o.FilterL2,
                ["critic_layers"] = o.CriticLayers, ["embedding"] = o.Embedding, ["dropout"] = o.Dropout,
                ["temperature_start"] = o.Temperature.Start, ["temperature_end"] = o.Temperature.End,
                ["temperature_schedule"] = o.Temperature.Kind.ToString().ToLowerInvariant(), ["anneal_fraction"] = o.Temperature.AnnealFraction,
                ["training_windows"] = o.TrainingWindows, ["warm_up_steps"] = o.WarmUpSteps, ["holdout_fraction"] = o.HoldoutFraction,
            },
        };
        if (o.AutomaticChoice is { } choice) ((Dictionary<string, object>)d["training"]!)["automatic"] = choice.ToRecord();
        if (o.Bound == MutualInformationBound.InfoNce) d["bound_cap_bits"] = result.BoundCapBits;
        return d;
    }
}
