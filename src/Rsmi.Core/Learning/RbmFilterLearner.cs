using Rsmi.Data;
using Rsmi.Learning.Ensembles;
using Rsmi.Progress;
using Rsmi.Regions;

namespace Rsmi.Learning;

/// <summary>
/// The paper's RSMI network (<see cref="RsmiLearner"/>: RBMs Θ on (V, E) and Ψ on V, then the filters by ascent on
/// the estimate of I_Λ(H:E)) as an ensemble member, on the windows of the training configurations at every block
/// position of a grid of spacing <see cref="Stride"/>. Windows of samples that declare the symmetry of the window's
/// point group (<see cref="WindowSymmetry.Holds"/>) are taken with their images (<see cref="RsmiTrainingOptions.SymmetriseWith"/>)
/// unless <see cref="RsmiTrainingOptions.AutoSymmetrise"/> is off.
/// </summary>
public sealed class RbmFilterLearner(RsmiTrainingOptions options, int stride = 0) : IFilterLearner
{
    /// <summary>The settings (hidden units and seed are set per run).</summary>
    public RsmiTrainingOptions Options { get; } = options;
    /// <summary>Spacing of the block positions (0: the block size, the tiling).</summary>
    public int Stride { get; } = stride;

    /// <inheritdoc />
    public string Name => "rbm";

    /// <inheritdoc />
    public LearnedFilters Learn(SampleSet training, WindowGeometry geometry, int hidden, ulong seed, int threads, IProgressReporter? progress)
    {
        var o = Options with { Hidden = hidden, Seed = seed, MaxDegreeOfParallelism = threads };
        if (o.SymmetriseWith is null && o.AutoSymmetrise && WindowSymmetry.Holds(training, geometry)) o = o with { SymmetriseWith = geometry };
        int images = o.SymmetriseWith is null ? 1 : WindowSymmetry.Order(o.SymmetriseWith);
        // only the windows the learner keeps (RsmiLearner.Learn's subset of the tiling) are cut
        var windows = RsmiLearner.CutSubset(training, geometry, Stride, RsmiLearner.SymmetrisedWindows(o.MaxWindows, images).Machine, o.Seed);
        var result = RsmiLearner.Learn(windows, o, progress);
        var history = result.History.Select(h => h.InformationBits).ToArray();
        int nv = geometry.VisibleSize;
        var details = new Dictionary<string, object?>
        {
            ["objective"] = ObjectiveName(o.ObjectiveFor(nv)),
            ["inner_average"] = o.ExactInnerAverage(nv) ? "exact" : "monte-carlo",
            ["history_updates"] = result.History.Select(h => h.Update).ToArray(),
            ["history_objective_nats"] = result.History.Select(h => h.Objective).ToArray(),
            ["restart_information_bits"] = result.RestartInformationBits.ToArray(),
            ["scale"] = result.Scale,
            ["symmetrised"] = o.SymmetriseWith is not null,
            ["windows"] = Math.Min(windows.Count, RsmiLearner.SymmetrisedWindows(o.MaxWindows, images).Ascent) * images,
            ["theta_hidden"] = result.JointRbm.HiddenCount,
            ["psi_hidden"] = result.BlockRbm.HiddenCount,
        };
        return new LearnedFilters
        {
            Filter = result.Filter, EstimatorBits = result.InformationBits, History = history,
            HistoryMovingAverage = MovingAverage(history, 5), Details = details,
        };
    }

    /// <summary>The name of the objective the filters ascend for this block and number of hidden units
    /// (<see cref="RsmiTrainingOptions.ObjectiveFor"/>).</summary>
    public string ObjectiveFor(WindowGeometry geometry, int hidden) => ObjectiveName((Options with { Hidden = hidden }).ObjectiveFor(geometry.VisibleSize));

    /// <summary>The objective's name in options and files.</summary>
    public static string ObjectiveName(RsmiObjective objective) => objective switch
    {
        RsmiObjective.FirstCumulant => "first-cumulant",
        RsmiObjective.ModelInformation => "model-information",
        _ => "log-mean-exp",
    };

    /// <summary>Trailing moving average over <paramref name="window"/> points.</summary>
    public static double[] MovingAverage(double[] values, int window)
    {
        var m = new double[values.Length];
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += values[i];
            if (i >= window) sum -= values[i - window];
            m[i] = sum / Math.Min(i + 1, window);
        }
        return m;
    }
}
