namespace Rsmi.Sampling;

/// <summary>
/// The contract between a Markov chain (or exact sampler) and the chain driver that thermalises it,
/// measures autocorrelation times and saves samples. The model and the update rule live in the
/// implementation; the hot loop inside <see cref="Step"/> is generic over a struct random source, so the
/// single interface call per step costs nothing measurable.
/// </summary>
public interface IMonteCarloSampler
{
    /// <summary>Name of the algorithm, as accepted by <c>rsmi sample --algorithm</c>.</summary>
    string Algorithm { get; }

    /// <summary>Shape of one configuration as written to a sample file: [L], [Ly, Lx] or [Lz, Ly, Lx].</summary>
    int[] Shape { get; }

    /// <summary>Advances the chain by one Monte Carlo step (a sweep for local updates, one cluster for Wolff,
    /// one independent draw for exact samplers).</summary>
    void Step();

    /// <summary>A cheap scalar observable of the current state (energy per site for spin models) used to
    /// measure the integrated autocorrelation time.</summary>
    double MonitorObservable();

    /// <summary>
    /// Called by the chain driver before each configuration it saves, after the spacing steps, and never during the
    /// thermalisation pilots (docs/algorithm.md, "The chain driver"). A chain may apply here an exact move that leaves
    /// its stationary distribution invariant but that the monitor observables should not see, because it would hide
    /// the slowness of the steps they time: the dimer sampler's random lattice symmetry (docs/algorithm.md, "Dimers and
    /// noise spins"). The default does nothing.
    /// </summary>
    void BeforeSave() { }

    /// <summary>Writes the current configuration (its stored values: ±1 spins, Potts labels…, row-major over <see cref="Shape"/>) to <paramref name="destination"/>.</summary>
    void CopyConfiguration(Span<sbyte> destination);

    /// <summary>
    /// The magnitude |m| of the order parameter per site, the second observable whose τ_int decides thermalisation and
    /// spacing (docs/algorithm.md, "The chain driver"). The default is that of ±1 spins, |m| = |Σ_i s_i| / N, computed
    /// from the configuration copied into <paramref name="scratch"/> (one value per site); a chain whose sites hold
    /// other states overrides it (the Potts chains: m = (q·max_a n_a / N − 1)/(q − 1)).
    /// </summary>
    double AbsMagnetisation(Span<sbyte> scratch)
    {
        CopyConfiguration(scratch);
        return AbsMean(scratch);
    }

    /// <summary>|Σ_i s_i| / N of the values <paramref name="values"/> (N of them): the default <see cref="AbsMagnetisation"/> of a copied configuration.</summary>
    static double AbsMean(ReadOnlySpan<sbyte> values)
    {
        long sum = 0;
        foreach (sbyte v in values) sum += v;
        return Math.Abs((double)sum) / values.Length;
    }

    /// <summary>Cumulative number of single-site updates attempted (or spins flipped, for cluster
    /// algorithms) since construction; used for throughput figures.</summary>
    long Work { get; }
}
