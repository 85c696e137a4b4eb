using System.Globalization;
using Rsmi.Learning.Ensembles;
using Rsmi.Learning.InfoNce;

namespace Rsmi.Learning;

/// <summary>
/// <c>infonce</c>: the neural estimator of RSMI-NE (Gökmen, Ringel, Huber &amp; Koch-Janusz, PRL 127, 240603 (2021);
/// <see cref="InfoNceLearner"/>): filters and a separable critic u(h)·w(e) trained jointly by Adam on a variational
/// lower bound on I_Λ(H:E) (InfoNCE or NWJ). Windows are drawn at random block positions of the first 90% of the
/// configurations; the reported information is the bound with hard samples on windows of the remaining ones. The
/// options that take <c>auto</c> leave their setting to the data (<see cref="InfoNceAutoSettings"/>).
/// </summary>
public sealed class InfoNceLearnerEntry : LearnerEntry<InfoNceOptions>
{
    internal InfoNceLearnerEntry() { }

    /// <inheritdoc />
    public override string Name => "infonce";

    /// <inheritdoc />
    public override string Description => "neural variational bound (RSMI-NE): filters and a critic trained jointly";

    /// <inheritdoc />
    public override bool LearnsFlowRules => true;

    /// <summary>Learns from any state space (sites as their features, one-hot for labels) with binary or categorical units.</summary>
    public override string? Declines(Rsmi.States.IStateSpace states, int hiddenStates) => null;

    /// <inheritdoc />
    public override IReadOnlyList<LearnerOption> Options { get; } =
    [
        new("infonce-bound", LearnerOptionKind.Text, "Lower bound maximised: infonce (capped at log K) or nwj."),
        new("infonce-steps", LearnerOptionKind.Text, "Adam steps, or auto (chosen from the data: 1000, 250 per block site for blocks of more than four sites and N_h/4 times that for more than four hidden units, or 2000 when the signal is spread over the block)."),
        new("infonce-batch", LearnerOptionKind.Text, "Batch size K (InfoNCE can report at most log2 K bits), or auto (256, or 512 when the signal is spread)."),
        new("infonce-learning-rate", LearnerOptionKind.Number, "Adam learning rate of the critic."),
        new("infonce-filter-learning-rate", LearnerOptionKind.Number, "Adam learning rate of the filters."),
        new("infonce-final-rate-fraction", LearnerOptionKind.Text, "Learning rates decay geometrically to this fraction by the last step (1: constant), or auto (0.02, or 0.1 when the signal is spread)."),
        new("infonce-critic-layers", LearnerOptionKind.Text, "Hidden widths of the critic networks, comma-separated (e.g. 32,32), or auto (32,32 in both regimes)."),
        new("infonce-embedding", LearnerOptionKind.Integer, "Embedding dimension of the separable critic."),
        new("infonce-dropout", LearnerOptionKind.Number, "Dropout probability on the critic's hidden units."),
        new("infonce-temperature-start", LearnerOptionKind.Number, "Initial relaxation temperature."),
        new("infonce-temperature-end", LearnerOptionKind.Text, "Final relaxation temperature, or auto (0.1, or 0.3 when the signal is spread)."),
        new("infonce-annealing", LearnerOptionKind.Text, "Temperature schedule: exponential or linear."),
        new("infonce-l2", LearnerOptionKind.Text, "L2 penalty on the filter weights, or auto (0, or a quarter of the linear signal's largest eigenvalue when the signal is spread)."),
        new("infonce-windows", LearnerOptionKind.Integer, "Training windows drawn at random block positions."),
        new("infonce-warm-up", LearnerOptionKind.Text, "Steps of a warm-up critic trained on whole blocks before the filters (0: none), or auto (0, or 600 when the signal is spread)."),
    ];

    /// <summary>
    /// The defaults. <see cref="LearnerUse.Filters"/>: <see cref="InfoNceOptions"/> as it stands, with every setting
    /// that the data can choose left to them. <see cref="LearnerUse.FlowRule"/>: 600 steps, 50,000 training windows
    /// and 20 evaluation batches, the rest (those left to the data included) the same; the flow learns once per step
    /// and per temperature, so <c>rsmi flow</c> documents this smaller budget as its default.
    /// </summary>
    public override InfoNceOptions Defaults(LearnerUse use) =>
        use == LearnerUse.Filters ? new InfoNceOptions() : new InfoNceOptions { Steps = 600, TrainingWindows = 50_000, EvaluationBatches = 20 };

    private protected override InfoNceOptions Read(OptionValues values, InfoNceOptions baseline, LearnerContext context)
    {
        bool pending(InfoNceAutomatic flag) => baseline.Pending.HasFlag(flag);
        var bound = values.Text("infonce-bound", baseline.Bound == MutualInformationBound.Nwj ? "nwj" : "infonce").Trim().ToLowerInvariant() switch
        {
            "infonce" or "nce" => MutualInformationBound.InfoNce,
            "nwj" or "fdiv" or "f-div" => MutualInformationBound.Nwj,
            var s => throw new RsmiInputException($"{values.NameOf("infonce-bound")}: unknown bound '{s}'; choose infonce or nwj."),
        };
        var kind = values.Text("infonce-annealing", baseline.Temperature.Kind == AnnealingKind.Linear ? "linear" : "exponential").Trim().ToLowerInvariant() switch
        {
            "exponential" or "exp" => AnnealingKind.Exponential,
            "linear" => AnnealingKind.Linear,
            var s => throw new RsmiInputException($"{values.NameOf("infonce-annealing")}: unknown schedule '{s}'; choose exponential or linear."),
        };
        int[]? layers = null;
        string text = values.Text("infonce-critic-layers", pending(InfoNceAutomatic.CriticLayers) ? OptionValues.Auto : string.Join(",", baseline.CriticLayers)).Trim();
        if (!OptionValues.IsAuto(text))
        {
            try { layers = text.Length == 0 ? [] : text.Split(',').Select(t => int.Parse(t.Trim(), CultureInfo.InvariantCulture)).ToArray(); }
            catch (FormatException) { throw new RsmiInputException($"{values.NameOf("infonce-critic-layers")}: '{text}' is not auto or a comma-separated list of widths."); }
            foreach (int w in layers) Require.That(w > 0, $"{values.NameOf("infonce-critic-layers")}: widths must be positive, got {w}.");
        }
        int? steps = values.IntegerOrAuto("infonce-steps", pending(InfoNceAutomatic.Steps) ? null : baseline.Steps);
        int? batch = values.IntegerOrAuto("infonce-batch", pending(InfoNceAutomatic.BatchSize) ? null : baseline.BatchSize);
        int? warmUp = values.IntegerOrAuto("infonce-warm-up", pending(InfoNceAutomatic.WarmUpSteps) ? null : baseline.WarmUpSteps);
        int embedding = values.Integer("infonce-embedding", baseline.Embedding), windows = values.Integer("infonce-windows", baseline.TrainingWindows);
        double rate = values.Number("infonce-learning-rate", baseline.LearningRate), filterRate = values.Number("infonce-filter-learning-rate", baseline.FilterLearningRate);
        double dropout = values.Number("infonce-dropout", baseline.Dropout), t0 = values.Number("infonce-temperature-start", baseline.Temperature.Start);
        double? decay = values.NumberOrAuto("infonce-final-rate-fraction", pending(InfoNceAutomatic.FinalLearningRateFraction) ? null : baseline.FinalLearningRateFraction);
        double? t1 = values.NumberOrAuto("infonce-temperature-end", pending(InfoNceAutomatic.TemperatureEnd) ? null : baseline.Temperature.End);
        double? l2 = values.NumberOrAuto("infonce-l2", pending(InfoNceAutomatic.FilterL2) ? null : baseline.FilterL2);
        if (steps is { } st) Require.Positive(st, values.NameOf("infonce-steps"));
        if (batch is { } b) Require.That(b >= 2, $"{values.NameOf("infonce-batch")} must be at least 2, got {b}.");
        Require.Positive(rate, values.NameOf("infonce-learning-rate"));
        Require.Positive(filterRate, values.NameOf("infonce-filter-learning-rate"));
        if (decay is { } d) Require.That(d > 0 && d <= 1, $"{values.NameOf("infonce-final-rate-fraction")} must be in (0, 1], got {d}.");
        Require.Positive(embedding, values.NameOf("infonce-embedding"));
        Require.That(dropout >= 0 && dropout < 1, $"{values.NameOf("infonce-dropout")} must be in [0, 1), got {dropout}.");
        Require.Positive(t0, values.NameOf("infonce-temperature-start"));
        if (t1 is { } te) Require.Positive(te, values.NameOf("infonce-temperature-end"));
        if (l2 is { } penalty) Require.That(penalty >= 0, $"{values.NameOf("infonce-l2")} must be non-negative, got {penalty}.");
        if (batch is { } kb) Require.That(windows >= kb, $"{values.NameOf("infonce-windows")} ({windows}) must be at least the batch size {kb}.");
        if (warmUp is { } wu) Require.NonNegative(wu, values.NameOf("infonce-warm-up"));
        values.Record("infonce-bound", bound == MutualInformationBound.Nwj ? "nwj" : "infonce");
        values.Record("infonce-annealing", kind == AnnealingKind.Linear ? "linear" : "exponential");
        values.Record("infonce-critic-layers", layers is null ? OptionValues.Auto : string.Join(",", layers.Select(w => w.ToString(CultureInfo.InvariantCulture))));
        var o = baseline with
        {
            Bound = bound, LearningRate = rate, FilterLearningRate = filterRate, Embedding = embedding, Dropout = dropout,
            Temperature = new TemperatureSchedule(t0, t1 ?? baseline.Temperature.End, kind, baseline.Temperature.AnnealFraction),
            TrainingWindows = windows, HiddenUnitStates = context.HiddenStates,
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

    private protected override IFilterLearner Create(InfoNceOptions options, int stride) => new InfoNceFilterLearner(options);
}
