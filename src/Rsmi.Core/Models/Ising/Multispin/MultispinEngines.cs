using Rsmi.Sampling;
namespace Rsmi.Models.Ising.Multispin;

/// <summary>A multispin replica engine as the chain driver sees it: each lane an independent replica of the L×L torus.</summary>
public sealed class MultispinReplicas(IMultispinIsing2D engine, string algorithm) : IReplicaEngine
{
    private readonly int[] _h = new int[engine.Lanes], _v = new int[engine.Lanes], _up = new int[engine.Lanes];

    /// <inheritdoc />
    public string Algorithm => algorithm;
    /// <inheritdoc />
    public int[] Shape => [engine.Size, engine.Size];
    /// <inheritdoc />
    public int Replicas => engine.Lanes;
    /// <inheritdoc />
    public int Lanes => engine.Lanes;
    /// <inheritdoc />
    public long Sweeps => engine.Sweeps;
    /// <inheritdoc />
    public void Sweep(int sweeps, int threads) => engine.Sweep(sweeps, threads);

    /// <summary>Energy per site u = −2 + 2 (anti-aligned bonds)/N and |m| = |2 N_up − N|/N of the first <paramref name="count"/> lanes.</summary>
    public void Measure(int count, Span<double> energy, Span<double> absMagnetisation)
    {
        engine.CountLanes(_h, _v, _up);
        int sites = engine.Size * engine.Size;
        for (int i = 0; i < count; i++)
        {
            energy[i] = -2.0 + 2.0 * (_h[i] + _v[i]) / sites;
            absMagnetisation[i] = Math.Abs(2.0 * _up[i] - sites) / sites;
        }
    }

    /// <inheritdoc />
    public void CopyConfiguration(int replica, Span<sbyte> destination) => engine.CopyConfiguration(replica, destination);
}

/// <summary>One large lattice on the multispin kernels (<see cref="MultispinLattice2D"/>) as the chain driver sees it: one replica, a strip per lane.</summary>
public sealed class MultispinLatticeReplica(MultispinLattice2D lattice, string algorithm) : IReplicaEngine
{
    /// <inheritdoc />
    public string Algorithm => algorithm;
    /// <inheritdoc />
    public int[] Shape => [lattice.Size, lattice.Size];
    /// <inheritdoc />
    public int Replicas => 1;
    /// <inheritdoc />
    public int Lanes => lattice.Strips;
    /// <inheritdoc />
    public long Sweeps => lattice.Sweeps;
    /// <inheritdoc />
    public void Sweep(int sweeps, int threads) => lattice.Sweep(sweeps, threads);

    /// <summary>Energy per site and |m| of the lattice (<see cref="MultispinLattice2D.Observables"/>); <paramref name="count"/> is 1.</summary>
    public void Measure(int count, Span<double> energy, Span<double> absMagnetisation)
    {
        var (e, m) = lattice.Observables();
        energy[0] = e;
        absMagnetisation[0] = Math.Abs(m);
    }

    /// <inheritdoc />
    public void CopyConfiguration(int replica, Span<sbyte> destination) => lattice.CopyConfiguration(destination);
}
