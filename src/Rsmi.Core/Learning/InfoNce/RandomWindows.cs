using Rsmi.Data;
using Rsmi.Random;
using Rsmi.Regions;

namespace Rsmi.Learning.InfoNce;

/// <summary>
/// (V, E) windows at random block positions: each window picks a configuration and a block position on the tiling
/// grid (spacing = block size, as for coarse-graining) uniformly, so that the block always has the same place in the
/// lattice's unit cell (which matters for the dimer image). Deterministic in the seed.
/// </summary>
public static class RandomWindows
{
    /// <summary>
    /// <paramref name="count"/> windows from configurations [<paramref name="first"/>, <paramref name="end"/>) of
    /// <paramref name="samples"/>, drawn with replacement from stream (seed, purpose).
    /// </summary>
    public static Windows Cut(SampleSet samples, WindowGeometry geometry, int first, int end, int count, ulong seed, string purpose)
    {
        int lx = samples.Lx, ly = samples.Ly;
        if (geometry.Dimension == 2) Require.That(samples.Rank == 2, "a square-lattice window needs 2D configurations.");
        else Require.That(samples.Rank == 1, "a chain window needs chain configurations.");
        geometry.ValidateFor(lx, ly);
        Require.That(first >= 0 && end <= samples.Count && first < end, "empty configuration range for windows.");
        int sx = geometry.BlockX, sy = geometry.Dimension == 1 ? 1 : geometry.BlockY;
        int px = lx / sx, py = geometry.Dimension == 1 ? 1 : ly / sy;
        int nv = geometry.VisibleSize, ne = geometry.EnvironmentSize, sites = samples.Sites;
        var vis = new sbyte[(long)count * nv];
        var env = new sbyte[(long)count * ne];
        var vOff = geometry.VisibleOffsets; var eOff = geometry.EnvironmentOffsets;
        var rng = RandomStreams.Create(seed, 0, purpose);
        for (int w = 0; w < count; w++)
        {
            int c = first + rng.NextInt(end - first);
            int x0 = rng.NextInt(px) * sx, y0 = rng.NextInt(py) * sy;
            ReadOnlySpan<sbyte> conf = samples.Data.AsSpan(c * sites, sites);
            Span<sbyte> vr = vis.AsSpan(w * nv, nv), er = env.AsSpan(w * ne, ne);
            for (int k = 0; k < nv; k++) vr[k] = conf[Wrap(x0 + vOff[k].Dx, lx) + Wrap(y0 + vOff[k].Dy, ly) * lx];
            for (int k = 0; k < ne; k++) er[k] = conf[Wrap(x0 + eOff[k].Dx, lx) + Wrap(y0 + eOff[k].Dy, ly) * lx];
        }
        return new Windows { Count = count, VisibleSize = nv, EnvironmentSize = ne, Visible = vis, Environment = env };
    }

    private static int Wrap(int i, int l) { i %= l; return i < 0 ? i + l : i; }
}
