using Rsmi.Data;
using Rsmi.Models;
using Rsmi.Random;
using Rsmi.States;

namespace Rsmi.Regions;

/// <summary>(V, E) training pairs cut out of configurations: row w of <see cref="Visible"/> and of
/// <see cref="Environment"/> belong to the same window.</summary>
public sealed class Windows
{
    /// <summary>Number of windows.</summary>
    public required int Count { get; init; }
    /// <summary>|V|.</summary>
    public required int VisibleSize { get; init; }
    /// <summary>|E|.</summary>
    public required int EnvironmentSize { get; init; }
    /// <summary>Count × |V| spins, row-major.</summary>
    public required sbyte[] Visible { get; init; }
    /// <summary>Count × |E| spins, row-major.</summary>
    public required sbyte[] Environment { get; init; }

    /// <summary>What a site holds (±1 spins unless the windows were cut from samples of another state space).</summary>
    public IStateSpace States { get; init; } = IsingSpins.Instance;

    /// <summary>
    /// The windows as a learner sees them: each site replaced by its <see cref="IStateSpace.FeaturesPerSite"/> features
    /// (<see cref="StateEncoding.EncodeRow"/>; one-hot labels are 0 and 1, so they fit the same int8 rows), |V|·F and
    /// |E|·F values per row. Windows of one feature per site are returned as they are.
    /// </summary>
    public Windows Encoded()
    {
        int f = States.FeaturesPerSite;
        if (f == 1) return this;
        int nv = VisibleSize * f, ne = EnvironmentSize * f;
        var vis = new sbyte[(long)Count * nv];
        var env = new sbyte[(long)Count * ne];
        for (int w = 0; w < Count; w++)
        {
            States.EncodeRow(VisibleRow(w), vis.AsSpan(w * nv, nv));
            States.EncodeRow(EnvironmentRow(w), env.AsSpan(w * ne, ne));
        }
        return new Windows { Count = Count, VisibleSize = nv, EnvironmentSize = ne, Visible = vis, Environment = env, States = Features };
    }

    /// <summary>The state space of encoded windows' values (one feature per site, any int8 value): never re-encoded.</summary>
    private static IStateSpace Features => IsingSpins.Instance;

    /// <summary>The block spins of window <paramref name="w"/>.</summary>
    public ReadOnlySpan<sbyte> VisibleRow(int w) => Visible.AsSpan(w * VisibleSize, VisibleSize);
    /// <summary>The environment spins of window <paramref name="w"/>.</summary>
    public ReadOnlySpan<sbyte> EnvironmentRow(int w) => Environment.AsSpan(w * EnvironmentSize, EnvironmentSize);
}

/// <summary>Cuts (V, E) windows out of a set of configurations, at every position of a grid or at random positions, all
/// through <see cref="WindowGatherer"/> (translation invariance: each block position is one pair).</summary>
public static class WindowCutter
{
    /// <summary>
    /// All windows of <paramref name="samples"/> with the block at every position on a grid of
    /// spacing <paramref name="stride"/> (default: the block size, i.e. the non-overlapping tiling used for
    /// coarse-graining; 1 gives every site). Order: configuration, then block layer (cubic lattices), then block row,
    /// then block column.
    /// </summary>
    public static Windows Cut(SampleSet samples, WindowGeometry geometry, int stride = 0)
    {
        var gather = new WindowGatherer(samples, geometry, 0, samples.Count, stride);
        var (px, py, sx, sy) = gather.Grid;
        var (pz, sz) = gather.GridZ;
        int perConfig = px * py * pz;
        int count = samples.Count * perConfig;
        int nv = geometry.VisibleSize, ne = geometry.EnvironmentSize;
        var vis = new sbyte[(long)count * nv];
        var env = new sbyte[(long)count * ne];
        Parallel.For(0, samples.Count, c =>
        {
            int w = c * perConfig;
            for (int bz = 0; bz < pz; bz++)
                for (int by = 0; by < py; by++)
                    for (int bx = 0; bx < px; bx++, w++)
                        gather.CopyAt(c, bx * sx, by * sy, bz * sz, vis.AsSpan(w * nv, nv), env.AsSpan(w * ne, ne));
        });
        return new Windows { Count = count, VisibleSize = nv, EnvironmentSize = ne, Visible = vis, Environment = env, States = samples.States() };
    }

    /// <summary>The number of windows <see cref="Cut"/> cuts.</summary>
    public static int Count(SampleSet samples, WindowGeometry geometry, int stride = 0)
    {
        var gather = new WindowGatherer(samples, geometry, 0, samples.Count, stride);
        return samples.Count * gather.Grid.Columns * gather.Grid.Rows * gather.GridZ.Layers;
    }

    /// <summary>The windows of <see cref="Cut"/> at <paramref name="indices"/> (positions in its order), in the order given.</summary>
    public static Windows CutAt(SampleSet samples, WindowGeometry geometry, int stride, ReadOnlySpan<int> indices)
    {
        var gather = new WindowGatherer(samples, geometry, 0, samples.Count, stride);
        var (px, py, sx, sy) = gather.Grid;
        var (pz, sz) = gather.GridZ;
        int count = indices.Length, nv = geometry.VisibleSize, ne = geometry.EnvironmentSize;
        var vis = new sbyte[(long)count * nv];
        var env = new sbyte[(long)count * ne];
        for (int w = 0; w < count; w++)
        {
            int i = indices[w], bx = i % px, by = i / px % py, bz = i / (px * py) % pz, c = i / (px * py * pz);
            gather.CopyAt(c, bx * sx, by * sy, bz * sz, vis.AsSpan(w * nv, nv), env.AsSpan(w * ne, ne));
        }
        return new Windows { Count = count, VisibleSize = nv, EnvironmentSize = ne, Visible = vis, Environment = env, States = samples.States() };
    }

    /// <summary>
    /// <paramref name="count"/> windows from configurations [<paramref name="first"/>, <paramref name="end"/>) of
    /// <paramref name="samples"/>, drawn with replacement from stream (<paramref name="seed"/>, <paramref name="purpose"/>):
    /// each picks a configuration and a block position on the tiling grid (spacing = block size, as for coarse-graining)
    /// uniformly, so that the block always has the same place in the lattice's unit cell (which matters for the dimer image).
    /// </summary>
    public static Windows CutRandom(SampleSet samples, WindowGeometry geometry, int first, int end, int count, ulong seed, string purpose)
    {
        var gather = new WindowGatherer(samples, geometry, first, end);
        int nv = geometry.VisibleSize, ne = geometry.EnvironmentSize;
        var vis = new sbyte[(long)count * nv];
        var env = new sbyte[(long)count * ne];
        var rng = RandomStreams.Create(seed, 0, purpose);
        for (int w = 0; w < count; w += WindowGatherer.Tile)
        {
            int n = Math.Min(WindowGatherer.Tile, count - w);
            gather.DrawRows(ref rng, n, vis.AsSpan(w * nv, n * nv), env.AsSpan(w * ne, n * ne));
        }
        return new Windows { Count = count, VisibleSize = nv, EnvironmentSize = ne, Visible = vis, Environment = env, States = samples.States() };
    }
}
