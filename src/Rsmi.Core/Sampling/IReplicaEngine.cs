namespace Rsmi.Sampling;

/// <summary>
/// The contract between an engine that advances many chains at once (the multispin-coded lanes of a word: each
/// lane an independent replica, or the strips of one lattice) and the chain driver,
/// <see cref="SampleCollector.Collect(IReplicaEngine, SampleCollectorOptions)"/>. One step of the driver's clock
/// is one sweep of every replica; the hot loop inside <see cref="Sweep"/> is the engine's own.
/// </summary>
public interface IReplicaEngine
{
    /// <summary>Name of the algorithm, as accepted by <c>rsmi sample --algorithm</c>.</summary>
    string Algorithm { get; }
    /// <summary>Shape of one configuration as written to a sample file.</summary>
    int[] Shape { get; }
    /// <summary>Number of independent chains the engine runs (1 for one lattice cut into strips).</summary>
    int Replicas { get; }
    /// <summary>Lanes of the engine's words (written as the <c>lanes</c> attribute).</summary>
    int Lanes { get; }
    /// <summary>Sweeps done so far.</summary>
    long Sweeps { get; }
    /// <summary>Advances every replica by <paramref name="sweeps"/> sweeps on up to <paramref name="threads"/> threads; the result does not depend on the thread count.</summary>
    void Sweep(int sweeps, int threads);
    /// <summary>The monitor observable (energy per site) and |m| of replicas 0 … <paramref name="count"/> − 1, the observables whose τ_int decide thermalisation and spacing.</summary>
    void Measure(int count, Span<double> energy, Span<double> absMagnetisation);
    /// <summary>Writes replica <paramref name="replica"/>'s configuration (row-major over <see cref="Shape"/>) to <paramref name="destination"/>.</summary>
    void CopyConfiguration(int replica, Span<sbyte> destination);
}

/// <summary>The chains of one sampling run, as a model builds them: one scalar chain per index, or one replica engine.</summary>
public sealed class ChainSource
{
    private ChainSource(Func<int, IMonteCarloSampler>? createChain, IReplicaEngine? engine) { CreateChain = createChain; Engine = engine; }

    /// <summary>Scalar chains: chain k is <paramref name="createChain"/>(k), on its own random stream.</summary>
    public static ChainSource Scalar(Func<int, IMonteCarloSampler> createChain) => new(createChain ?? throw new ArgumentNullException(nameof(createChain)), null);

    /// <summary>A replica engine: its replicas are the chains.</summary>
    public static ChainSource Replicas(IReplicaEngine engine) => new(null, engine ?? throw new ArgumentNullException(nameof(engine)));

    /// <summary>The scalar chains' factory, or null for a replica engine.</summary>
    public Func<int, IMonteCarloSampler>? CreateChain { get; }
    /// <summary>The replica engine, or null for scalar chains.</summary>
    public IReplicaEngine? Engine { get; }
}
