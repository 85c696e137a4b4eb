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
        var set = SampleCollector.Collect(model.Chains(arguments, algorithm, seed), CollectorOptions(model, arguments, samples, chains, threads, progress, cancellation));
        Describe(set, model, arguments, algorithm, seed);
        return set;
    }

    /// <summary>
    /// As <see cref="Sample"/>, in parts of at most <paramref name="partSize"/> configurations drawn as they are
    /// enumerated, from chains that run on from one part to the next (<see cref="SampleCollector.CollectParts(ChainSource, SampleCollectorOptions, int)"/>): for
    /// more configurations than one array holds. Throws <see cref="RsmiInputException"/> for an algorithm of the model
    /// whose chains are a replica engine, which draws all its configurations at once.
    /// </summary>
    public static IEnumerable<SampleSet> SampleParts(IModel model, ModelArguments arguments, string algorithm, int samples, int partSize, ulong seed,
        int chains, int threads = -1, IProgressReporter? progress = null, CancellationToken cancellation = default)
    {
        Require.Positive(partSize, "configurations per part");
        // A part, not all of them, must fit in memory.
        Validate(model, arguments, algorithm, Math.Min(samples, partSize));
        Require.That(samples >= 1, $"{RsmiInputException.Option("samples")} must be at least 1, got {samples}.");
        Require.Positive(chains, RsmiInputException.Option("chains"));
        Require.That(threads == -1 || threads >= 1, $"{RsmiInputException.Option("threads")} must be -1 or at least 1, got {threads}.");
        var source = model.Chains(arguments, algorithm, seed);
        Require.That(source.Engine is null, $"the {algorithm} sampler of {model.Name} runs its chains as one replica engine, which cannot draw its configurations in parts; choose another algorithm.");
        return SampleCollector.CollectParts(source, CollectorOptions(model, arguments, samples, chains, threads, progress, cancellation), partSize)
            .Select(set => { Describe(set, model, arguments, algorithm, seed); return set; });
    }

    private static SampleCollectorOptions CollectorOptions(IModel model, ModelArguments arguments, int samples, int chains, int threads,
        IProgressReporter? progress, CancellationToken cancellation) => new()
        {
            Samples = samples, Chains = chains, MaxDegreeOfParallelism = threads,
            Progress = progress ?? NullProgress.Instance, Cancellation = cancellation,
            MonitorNames = (model.MonitorObservableFor(arguments), model.SecondObservableFor(arguments)),
        };

    /// <summary>The file attributes of a run: model, algorithm, seed, version and the model's own.</summary>
    private static void Describe(SampleSet set, IModel model, ModelArguments arguments, string algorithm, ulong seed)
    {
        var m = set.Metadata;
        m.Model = model.Name;
        m.Algorithm = algorithm;
        m.Seed = unchecked((long)seed);
        m.RsmiVersion = RsmiVersion.Current;
        model.Describe(arguments, algorithm, m);
    }
}
