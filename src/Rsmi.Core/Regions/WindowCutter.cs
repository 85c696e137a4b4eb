using Rsmi.Data;

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

    /// <summary>The block spins of window <paramref name="w"/>.</summary>
    public ReadOnlySpan<sbyte> VisibleRow(int w) => Visible.AsSpan(w * VisibleSize, VisibleSize);
    /// <summary>The environment spins of window <paramref name="w"/>.</summary>
    public ReadOnlySpan<sbyte> EnvironmentRow(int w) => Environment.AsSpan(w * EnvironmentSize, EnvironmentSize);
}

/// <summary>Cuts every (V, E) window out of a set of configurations (translation invariance: each block position is one pair).</summary>
public static class WindowCutter
{
    /// <summary>
    /// All windows of <paramref name="samples"/> with the block at every position on a grid of
    /// spacing <paramref name="stride"/> (default: the block size, i.e. the non-overlapping tiling used for
    /// coarse-graining; 1 gives every site). Order: configuration, then block row, then block column.
    /// </summary>
    public static Windows Cut(SampleSet samples, WindowGeometry geometry, int stride = 0)
    {
        int lx = samples.Lx, ly = samples.Ly;
        if (geometry.Dimension == 2) Require.That(samples.Rank == 2, "a square-lattice window needs 2D configurations.");
        else Require.That(samples.Rank == 1, "a chain window needs chain configurations.");
        geometry.ValidateFor(lx, ly);
        int sx = stride > 0 ? stride : geometry.BlockX;
        int sy = geometry.Dimension == 1 ? 1 : stride > 0 ? stride : geometry.BlockY;
        int px = lx / sx, py = geometry.Dimension == 1 ? 1 : ly / sy;
        int perConfig = px * py;
        int count = samples.Count * perConfig;
        int nv = geometry.VisibleSize, ne = geometry.EnvironmentSize;
        var vis = new sbyte[(long)count * nv];
        var env = new sbyte[(long)count * ne];
        var vOff = geometry.VisibleOffsets;
        var eOff = geometry.EnvironmentOffsets;
        int sites = lx * ly;
        Parallel.For(0, samples.Count, c =>
        {
            ReadOnlySpan<sbyte> conf = samples.Data.AsSpan(c * sites, sites);
            int w = c * perConfig;
            for (int by = 0; by < py; by++)
                for (int bx = 0; bx < px; bx++, w++)
                {
                    int x0 = bx * sx, y0 = by * sy;
                    Span<sbyte> vr = vis.AsSpan(w * nv, nv);
                    for (int k = 0; k < nv; k++) vr[k] = conf[Wrap(x0 + vOff[k].Dx, lx) + Wrap(y0 + vOff[k].Dy, ly) * lx];
                    Span<sbyte> er = env.AsSpan(w * ne, ne);
                    for (int k = 0; k < ne; k++) er[k] = conf[Wrap(x0 + eOff[k].Dx, lx) + Wrap(y0 + eOff[k].Dy, ly) * lx];
                }
        });
        return new Windows { Count = count, VisibleSize = nv, EnvironmentSize = ne, Visible = vis, Environment = env };
    }

    private static int Wrap(int i, int l) { i %= l; return i < 0 ? i + l : i; }
}
