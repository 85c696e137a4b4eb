using Rsmi.Data;
using Rsmi.Progress;
using Rsmi.Sampling;

namespace Rsmi.Models;

/// <summary>
/// Equilibrium samples of any model in one call: the model's chains (<see cref="IModel.Chains"/>) driven by
/// <see cref="SampleCollector"/>, with the file attributes <c>model</c>, <c>algorithm</c>, <c>seed</c>,
/// <c>rsmi_version</c>, the model's own (<see cref="IModel.Describe"/>) and the collector's.
/// </summary>
public static class ModelSampling
{
    /// <summary>The number of chains of <c>rsmi sample</c>, the flow's samples and a study's (fixed, so that the output does not depend on the machine).</summary>
    public const int DefaultChains = 4;

    /// <summary>
    /// Checks a run: every parameter's own check in order, then the model's checks, then N ≥ 1. Throws
    /// <see cref="RsmiInputException"/> with one sentence naming the option.
    /// </summary>
    public static void Validate(IModel model, ModelArguments arguments, string algorithm, int samples)
    {
        foreach (var p in model.Parameters.Where(p => !p.IsShared)) p.Check(arguments);
        model.Validate(arguments, algorithm, samples);
        Require.That(model.Algorithms.Contains(algorithm),
            $"{RsmiInputException.Option("algorithm")}: unknown algorithm '{algorithm}' for {model.Name}; choose one of {string.Join(", ", model.Algorithms)}.");
        Require.That(samples >= 1, $"{RsmiInputException.Option("samples")} must be at least 1, got {samples}.");
    }

    /// <summary>
    /// <paramref name="samples"/> configurations of <paramref name="model"/> from <paramref name="chains"/> independent
    /// chains (a replica engine ignores it); inputs as for <see cref="Validate"/>, chains ≥ 1, threads −1 or ≥ 1. The
    /// result does not depend on <paramref name="threads"/>.
    /// </summary>
    public static SampleSet Sample(IModel model, ModelArguments arguments, string algorithm, int samples, ulong seed,
        int chains, int threads = -1, IProgressReporter? progress = null, CancellationToken cancellation = default)
    {
        Validate(model, arguments, algorithm, samples);
        Require.Positive(chains, RsmiInputException.Option("chains"));
        Require.That(threads == -1 || threads >= 1, $"{RsmiInputException.Option("threads")} must be -1 or at least 1, got {threads}.");
        var set = SampleCollector.Collect(model.Chains(arguments, algorithm, seed), new SampleCollectorOptions
        {
            Samples = samples, Chains = chains, MaxDegreeOfParallelism = threads,
            Progress = progress ?? NullProgress.Instance, Cancellation = cancellation,
            MonitorNames = (model.MonitorObservableFor(arguments), model.SecondObservableFor(arguments)),
        });
        var m = set.Metadata;
        m.Model = model.Name;
        m.Algorithm = algorithm;
        m.Seed = unchecked((long)seed);
        m.RsmiVersion = RsmiVersion.Current;
        model.Describe(arguments, algorithm, m);
        return set;
    }
}
