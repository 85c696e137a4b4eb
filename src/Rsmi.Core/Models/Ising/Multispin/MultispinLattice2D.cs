namespace Rsmi.Models.Ising.Multispin;

/// <summary>
/// One large L×L Ising torus (J = 1) on the multispin kernels: the lattice is cut into as many horizontal strips as a
/// word has lanes (64, 128, 256 or 512), each of H = L / lanes rows, and lane k of the bit-sliced engine holds strip k
/// (rows k·H … (k + 1)·H − 1). Within a strip every neighbour is in the same lane; across a strip boundary the
/// neighbour is in the next lane, which the engine reads from a copy of the boundary row with its lanes rotated by
/// one. H is even, so the checkerboard colour (x + y) mod 2 of a site is the same in every strip and one
/// half-sweep updates one colour of the whole lattice. Each lane's acceptance decisions use its own random bits, as
/// in the replica engine, so this is exactly checkerboard Metropolis (or heat bath) on the L×L torus.
/// <para>
/// For large L (memory: one bit per spin), where the replica engine's lanes·L² bits would not fit; results do not
/// depend on the thread count.
/// </para>
/// </summary>
public sealed class MultispinLattice2D
{
    private readonly IMultispinIsing2D _engine;
    private readonly sbyte[] _strip;

    private MultispinLattice2D(IMultispinIsing2D engine, int size)
    {
        _engine = engine;
        Size = size;
        _strip = new sbyte[size * (size / engine.Lanes)];
    }

    /// <summary>
    /// An L×L torus, L = <paramref name="size"/> a multiple of 2·width (so that each of the width strips has an even
    /// number of rows ≥ 2: L = 128, 256, … for 64 lanes, 1024, 2048, … for 512), at <paramref name="temperature"/> &gt; 0,
    /// all spins up, random streams from <paramref name="seed"/>; <paramref name="width"/> = 64, 128, 256 or 512 lanes (0: the
    /// widest the hardware runs natively).
    /// </summary>
    public static MultispinLattice2D Create(int size, double temperature, MultispinRule rule, ulong seed, int width = 0)
    {
        if (width == 0) width = MultispinIsing.WidestAccelerated;
        if (width is not (64 or 128 or 256 or 512)) throw new RsmiInputException($"multispin word width must be 64, 128, 256 or 512, got {width}.");
        if (size < 2 * width || size % (2 * width) != 0)
            throw new RsmiInputException($"a single multispin lattice of {width} strips needs a size that is a multiple of {2 * width}, got {size}.");
        return new MultispinLattice2D(MultispinIsing.Create(size, size / width, strips: true, temperature, rule, seed, width), size);
    }

    /// <summary>Linear size L.</summary>
    public int Size { get; }
    /// <summary>Number of strips (lanes of the words).</summary>
    public int Strips => _engine.Lanes;
    /// <summary>Temperature T.</summary>
    public double Temperature => _engine.Temperature;
    /// <summary>The update rule.</summary>
    public MultispinRule Rule => _engine.Rule;
    /// <summary>Sweeps done so far.</summary>
    public long Sweeps => _engine.Sweeps;
    /// <summary>Single-spin updates done so far (sweeps · L²).</summary>
    public long Work => _engine.Work;

    /// <summary>Advances the lattice by <paramref name="sweeps"/> checkerboard sweeps on up to <paramref name="threads"/>
    /// threads (the result does not depend on the thread count).</summary>
    public void Sweep(int sweeps = 1, int threads = 1) => _engine.Sweep(sweeps, threads);

    /// <summary>Writes the configuration (±1, row-major L×L) to <paramref name="destination"/> (length ≥ L²).</summary>
    public void CopyConfiguration(Span<sbyte> destination)
    {
        int stripSites = _strip.Length;
        for (int k = 0; k < Strips; k++)
        {
            _engine.CopyConfiguration(k, _strip);
            _strip.CopyTo(destination.Slice(k * stripSites, stripSites));
        }
    }

    /// <summary>Sets the configuration from ±1 values (row-major L×L, length ≥ L²).</summary>
    public void SetConfiguration(ReadOnlySpan<sbyte> source)
    {
        int stripSites = _strip.Length;
        for (int k = 0; k < Strips; k++) _engine.SetConfiguration(k, source.Slice(k * stripSites, stripSites));
    }

    /// <summary>Energy per site u = −(1/L²) Σ⟨ij⟩ s_i s_j and magnetisation per site of the current configuration,
    /// counted on the bit-sliced words (2L² bonds, L² spins: population counts, no copy).</summary>
    public (double Energy, double Magnetisation) Observables()
    {
        var (antiAligned, up) = ((IMultispinStrips)_engine).CountLattice();
        double n = (double)Size * Size;
        return (-2.0 + 2.0 * antiAligned / n, (2.0 * up - n) / n);
    }
}
