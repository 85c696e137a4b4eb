using Rsmi.Filters;
using Rsmi.Regions;
using Rsmi.Renormalization;

namespace Rsmi.Learning.Ensembles;

/// <summary>The filters file content of an ensemble (docs/filters-file.md).</summary>
public sealed partial class EnsembleResult
{
    /// <summary>
    /// The chosen member's filters in <c>weights</c>/<c>bias</c>, its held-out report estimate as
    /// <c>mutual_information_bits</c> (with <c>mutual_information_bits_error</c>), <c>signal</c>, <c>application</c>,
    /// the learner's own estimate as <c>estimator_bits</c>, every member under <c>ensemble</c> and the split under
    /// <c>held_out</c>; the chosen member's estimator-specific fields are added as they are.
    /// </summary>
    public FilterSet ToFilterSet(string model, WindowGeometry geometry, ulong seed)
    {
        var result = this;
        var chosen = result.Chosen.Learned;
        var f = chosen.Filter;
        var set = new FilterSet
        {
            Model = model, BlockX = geometry.BlockX, BlockY = geometry.Dimension == 1 ? 1 : geometry.BlockY,
            BlockZ = geometry.Dimension == 3 ? geometry.BlockZ : null,
            Buffer = geometry.Buffer, Environment = geometry.Environment, Estimator = result.Estimator,
            Filters = f.Clone(),
            MutualInformationBits = result.MutualInformation.Value, History = chosen.History, HistoryMovingAverage = chosen.HistoryMovingAverage,
            Seed = unchecked((long)seed),
        };
        foreach (var (key, value) in chosen.Details) set.SetExtra(key, value);
        set.SetExtra("mutual_information_bits_error", Finite(result.MutualInformation.Error));
        set.SetExtra("signal", result.Signal);
        set.SetExtra("application", result.Options.Application == FilterMode.Sign ? "sign" : "sample");
        set.SetExtra("estimator_bits", chosen.EstimatorBits);
        if (chosen.EstimatorBitsError is double e) set.SetExtra("estimator_bits_error", Finite(e));
        set.SetExtra("sign_convention", f.HiddenStates == 2 ? "each filter's weights sum to a non-negative number"
            : "none: the states of a categorical unit are labels, in the order the learner found them");
        set.SetExtra("ensemble_chosen", result.ChosenIndex);
        set.SetExtra("ensemble", result.Members.Select(m => new Dictionary<string, object?>
        {
            ["seed"] = unchecked((long)m.Seed),
            ["weights"] = Enumerable.Range(0, m.Learned.Filter.Hidden).Select(j => m.Learned.Filter.UnitWeights(j)).ToArray(),
            ["bias"] = m.Learned.Filter.BiasForFile(),
            ["mutual_information_bits"] = m.SelectionBits,
            ["mutual_information_bits_error"] = Finite(m.SelectionBitsError),
            ["estimator_bits"] = m.Learned.EstimatorBits,
            ["block_state_classes"] = m.BlockStateClasses,
            ["dominated_by"] = m.DominatedBy,
        }).ToArray());
        if (Analyse(geometry) is { } analysis)
        {
            set.SetExtra("ensemble_spread", analysis.Spread);
            set.SetExtra("ensemble_components", analysis.Components);
        }
        var y = result.Options.Yardstick;
        set.SetExtra("held_out", new Dictionary<string, object?>
        {
            ["training_configurations"] = result.Split.Training,
            ["selection_configurations"] = result.Split.Selection,
            ["report_configurations"] = result.Split.Report,
            ["report_batches"] = result.ReportBatches,
            ["signal_sigmas"] = result.Options.SignalSigmas,
            ["yardstick"] = new Dictionary<string, object?>
            {
                ["bound"] = "infonce", ["steps"] = result.YardstickSteps, ["batch_size"] = y.BatchSize, ["evaluation_batches"] = y.EvaluationBatches,
                ["critic_layers"] = y.CriticLayers, ["embedding"] = y.Embedding, ["learning_rate"] = y.LearningRate,
            },
        });
        return set;
    }

    /// <summary>The symmetry analysis of the members (alignment to the chosen one up to hidden-unit permutation and
    /// sign, principal components; <see cref="EnsembleAnalysis"/>), on their held-out selection estimates; null for
    /// filters of labels or with categorical units, whose symmetries (relabelling the states) it does not take.</summary>
    public EnsembleAnalysisResult? Analyse(WindowGeometry geometry)
    {
        var result = this;
        if (!result.Chosen.Learned.Filter.IsSpinFilter) return null;
        var members = result.Members.Select(m => new RatedFilters(m.Learned.Filter.Clone(), m.SelectionBits)).ToArray();
        int blockY = geometry.Dimension == 1 ? 1 : geometry.BlockY;
        int[] block = geometry.Dimension == 3 ? [geometry.BlockX, blockY, geometry.BlockZ] : [geometry.BlockX, blockY];
        return EnsembleAnalysis.Analyse(members, result.Chosen.Learned.Filter.Hidden, block, result.ChosenIndex);
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
