using Rsmi.Data;
using Rsmi.Progress;

namespace Rsmi.Sampling;

/// <summary>
/// Equilibrium Ising samples in one call: the sampler from <see cref="IsingSamplerFactory"/>, driven by
/// <see cref="SampleCollector"/>, with the contract's file metadata (<c>model</c>, <c>temperature</c>,
/// <c>algorithm</c>, <c>seed</c>, <c>rsmi_version</c>, and <c>boundary</c> for ising1d) added to the collector's.
/// </summary>
public static class IsingSampling
{
    /// <summary>The number of chains <c>rsmi sample</c>, the flow and a study use (fixed, so that the output does not depend on the machine).</summary>
    public const int DefaultChains = 4;

    /// <summary>
    /// <paramref name="samples"/> configurations of <paramref name="model"/> (<c>ising2d</c>: L × L torus,
    /// <c>ising1d</c>: chain of L sites) at temperature T from <paramref name="chains"/> independent chains.
    /// Valid inputs: see <see cref="IsingSamplerFactory.Validate"/>; samples and chains ≥ 1; threads −1 or ≥ 1.
    /// The result does not depend on <paramref name="threads"/>.
    /// </summary>
    public static SampleSet Sample(string model, string algorithm, int size, double temperature, int samples, ulong seed,
        int chains = 1, int threads = -1, IProgressReporter? progress = null, CancellationToken cancellation = default)
    {
        IsingSamplerFactory.Validate(model, algorithm, size, temperature);
        Require.Positive(samples, "--samples");
        Require.Positive(chains, "--chains");
        // Multispin algorithms: the lanes of one engine are the chains (--chains does not apply).
        var set = Multispin.MultispinAlgorithms.IsMultispin(algorithm)
            ? Multispin.MultispinSampling.Sample(Multispin.MultispinAlgorithms.Create(algorithm, size, temperature, seed), algorithm,
                samples, threads, progress, cancellation)
            : Multispin.MultispinAlgorithms.IsLattice(algorithm)
            ? Multispin.MultispinSampling.Sample(Multispin.MultispinAlgorithms.CreateLattice(algorithm, size, temperature, seed), algorithm,
                samples, threads, progress, cancellation)
            : SampleCollector.Collect(
            k => IsingSamplerFactory.Create(model, algorithm, size, temperature, seed, k),
            new SampleCollectorOptions
            {
                Samples = samples, Chains = chains, MaxDegreeOfParallelism = threads,
                Progress = progress ?? NullProgress.Instance, Cancellation = cancellation,
            });
        var m = set.Metadata;
        m.Model = model;
        m.Temperature = temperature;
        m.Algorithm = algorithm;
        m.Seed = unchecked((long)seed);
        m.RsmiVersion = RsmiVersion.Current;
        if (model == IsingSamplerFactory.Ising1D) m.Set("boundary", IsingSamplerFactory.IsPeriodic(model, algorithm) ? "periodic" : "open");
        return set;
    }
}
