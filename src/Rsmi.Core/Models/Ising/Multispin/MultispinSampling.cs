using Rsmi.Data;
using Rsmi.Progress;
using Rsmi.Sampling;

namespace Rsmi.Models.Ising.Multispin;

/// <summary>
/// Equilibrium samples from a multispin engine, whose lanes are the independent chains, or from one lattice cut
/// into a strip per lane: both go through the chain driver, <see cref="SampleCollector"/>, and its one
/// thermalisation and spacing rule (<see cref="ThermalisationRule"/>) with sweeps as the time unit. Lane ℓ fills
/// samples [ℓ·n/lanes…), so the file holds each lane's samples in time order, lane after lane; the output does not
/// depend on the thread count.
/// </summary>
public static class MultispinSampling
{
    /// <summary>
    /// <paramref name="samples"/> ≥ 1 configurations (shape [L, L]) from <paramref name="engine"/>, using
    /// min(samples, lanes) lanes; <paramref name="threads"/> −1 (all cores) or ≥ 1. Metadata as in
    /// <see cref="SampleCollector.Collect(Func{int, IMonteCarloSampler}, SampleCollectorOptions)"/> (time unit: sweeps), plus <c>lanes</c>.
    /// </summary>
    public static SampleSet Sample(IMultispinIsing2D engine, string algorithm, int samples, int threads = -1,
        IProgressReporter? progress = null, CancellationToken cancellation = default)
        => Sample(new MultispinReplicas(engine, algorithm), samples, threads, progress, cancellation);

    /// <summary>
    /// <paramref name="samples"/> ≥ 1 configurations (shape [L, L]) of one lattice, <paramref name="lattice"/>, saved
    /// every ⌈2τ⌉ sweeps after the same thermalisation rule, τ measured on its energy and |m| (one chain);
    /// <paramref name="threads"/> −1 (all cores) or ≥ 1. Metadata as for the replicas, with <c>chains</c> = 1 and
    /// <c>lanes</c> = the number of strips.
    /// </summary>
    public static SampleSet Sample(MultispinLattice2D lattice, string algorithm, int samples, int threads = -1,
        IProgressReporter? progress = null, CancellationToken cancellation = default)
        => Sample(new MultispinLatticeReplica(lattice, algorithm), samples, threads, progress, cancellation);

    private static SampleSet Sample(IReplicaEngine engine, int samples, int threads, IProgressReporter? progress, CancellationToken cancellation)
    {
        Require.Positive(samples, RsmiInputException.Option("samples"));
        Require.That(threads == -1 || threads >= 1, $"{RsmiInputException.Option("threads")} must be -1 or at least 1, got {threads}.");
        return SampleCollector.Collect(engine, new SampleCollectorOptions
        {
            Samples = samples, MaxDegreeOfParallelism = threads, Progress = progress ?? NullProgress.Instance, Cancellation = cancellation,
        });
    }
}
