using Rsmi.Filters;
using Rsmi.Data;
using Rsmi.Progress;
using Rsmi.Regions;

namespace Rsmi.Learning.Ensembles;

/// <summary>
/// One way of learning RSMI filters (the RBM network of the paper, the neural InfoNCE estimator…): given training
/// configurations, a window geometry, N_h and a seed, it returns one set of filters. <see cref="FilterEnsemble"/>
/// calls it once per ensemble member, each time with its own seed, and judges the members on configurations the
/// learner never saw.
/// </summary>
public interface IFilterLearner
{
    /// <summary>The estimator's name (<c>rbm</c>, <c>infonce</c>…), as written to the filters file.</summary>
    string Name { get; }

    /// <summary>
    /// Learns N_h = <paramref name="hidden"/> filters from <paramref name="training"/> only, deterministically in
    /// <paramref name="seed"/>, using at most <paramref name="threads"/> threads (the result must not depend on it).
    /// </summary>
    LearnedFilters Learn(SampleSet training, WindowGeometry geometry, int hidden, ulong seed, int threads, IProgressReporter? progress);
}

/// <summary>What one learner run produced.</summary>
public sealed class LearnedFilters
{
    /// <summary>The filters (N_h rows of |V| weights and N_h biases), sign convention applied.</summary>
    public required FilterParameters Filter { get; init; }
    /// <summary>The learner's own estimate of I_Λ(H:E) in bits (its training objective's estimate, which differs
    /// between estimators and is not comparable across them).</summary>
    public required double EstimatorBits { get; init; }
    /// <summary>Its standard error, when the learner gives one.</summary>
    public double? EstimatorBitsError { get; init; }
    /// <summary>The learner's estimate during training, in bits.</summary>
    public double[] History { get; init; } = [];
    /// <summary>A moving average of <see cref="History"/>, when the learner keeps one.</summary>
    public double[]? HistoryMovingAverage { get; init; }
    /// <summary>Estimator-specific fields for the filters file (settings, restarts…), by snake_case key.</summary>
    public IReadOnlyDictionary<string, object?> Details { get; init; } = new Dictionary<string, object?>();
}
