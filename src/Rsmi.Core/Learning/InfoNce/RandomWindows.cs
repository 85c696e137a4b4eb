using System.Runtime.Intrinsics.X86;
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
        return new Windows { Count = count, VisibleSize = nv, EnvironmentSize = ne, Visible = vis, Environment = env };
    }
}

/// <summary>
/// Copies the (V, E) window of a random configuration of [first, end) at a random block position on the tiling grid
/// (one draw of the configuration, then x, then y, from the caller's stream). Sites are read through linear offsets
/// from the block's first site when the window does not cross the periodic boundary, with wrapping otherwise.
/// </summary>
internal sealed class WindowGatherer
{
    private readonly SampleSet _samples;
    private readonly int _first, _end, _lx, _ly, _sx, _sy, _px, _py, _minDx, _maxDx, _minDy, _maxDy;
    private readonly (int Dx, int Dy)[] _vOff, _eOff;
    private readonly int[] _vLin, _eLin;

    public WindowGatherer(SampleSet samples, WindowGeometry geometry, int first, int end)
    {
        int lx = samples.Lx, ly = samples.Ly;
        if (geometry.Dimension == 2) Require.That(samples.Rank == 2, "a square-lattice window needs 2D configurations.");
        else Require.That(samples.Rank == 1, "a chain window needs chain configurations.");
        geometry.ValidateFor(lx, ly);
        Require.That(first >= 0 && end <= samples.Count && first < end, "empty configuration range for windows.");
        _samples = samples; _first = first; _end = end; _lx = lx; _ly = ly;
        _sx = geometry.BlockX; _sy = geometry.Dimension == 1 ? 1 : geometry.BlockY;
        _px = lx / _sx; _py = geometry.Dimension == 1 ? 1 : ly / _sy;
        _vOff = geometry.VisibleOffsets; _eOff = geometry.EnvironmentOffsets;
        _vLin = _vOff.Select(o => o.Dx + o.Dy * lx).ToArray();
        _eLin = _eOff.Select(o => o.Dx + o.Dy * lx).ToArray();
        var all = _vOff.Concat(_eOff).ToArray();
        _minDx = all.Min(o => o.Dx); _maxDx = all.Max(o => o.Dx); _minDy = all.Min(o => o.Dy); _maxDy = all.Max(o => o.Dy);
    }

    /// <summary>Draws one window into ±1 spans.</summary>
    public void Draw<TRandom>(ref TRandom rng, Span<sbyte> visible, Span<sbyte> environment) where TRandom : struct, IRandomSource
    {
        var (conf, x0, y0) = Position(ref rng);
        Copy(conf, x0, y0, _vOff, _vLin, visible);
        Copy(conf, x0, y0, _eOff, _eLin, environment);
    }

    /// <summary>Windows <see cref="DrawRows{TRandom}(ref TRandom, int, Span{double}, Span{double})"/> draws at most at once.</summary>
    public const int Tile = 1024;

    /// <summary>
    /// Draws <paramref name="count"/> ≤ <see cref="Tile"/> windows one after the other into consecutive rows of the ±1.0
    /// spans: the same draws and windows as <paramref name="count"/> calls of <see cref="Draw{TRandom}(ref TRandom, Span{double}, Span{double})"/>.
    /// All positions are drawn first, so that the sites of the windows a few rows ahead can be fetched from memory while one
    /// is copied (configurations are spread over a sample set much larger than the caches).
    /// </summary>
    public void DrawRows<TRandom>(ref TRandom rng, int count, Span<double> visible, Span<double> environment) where TRandom : struct, IRandomSource
    {
        Span<int> pos = stackalloc int[3 * count];
        Positions(ref rng, pos);
        int nv = _vLin.Length, ne = _eLin.Length, sites = _samples.Sites;
        for (int r = 0; r < count; r++)
        {
            if (r + PrefetchDistance < count) Prefetch(pos, r + PrefetchDistance);
            var conf = _samples.Data.AsMemory(pos[3 * r] * sites, sites);
            Copy(conf, pos[3 * r + 1], pos[3 * r + 2], _vOff, _vLin, visible.Slice(r * nv, nv));
            Copy(conf, pos[3 * r + 1], pos[3 * r + 2], _eOff, _eLin, environment.Slice(r * ne, ne));
        }
    }

    /// <summary>As <see cref="DrawRows{TRandom}(ref TRandom, int, Span{double}, Span{double})"/>, into ±1 spans.</summary>
    public void DrawRows<TRandom>(ref TRandom rng, int count, Span<sbyte> visible, Span<sbyte> environment) where TRandom : struct, IRandomSource
    {
        Span<int> pos = stackalloc int[3 * count];
        Positions(ref rng, pos);
        int nv = _vLin.Length, ne = _eLin.Length, sites = _samples.Sites;
        for (int r = 0; r < count; r++)
        {
            if (r + PrefetchDistance < count) Prefetch(pos, r + PrefetchDistance);
            var conf = _samples.Data.AsMemory(pos[3 * r] * sites, sites);
            Copy(conf, pos[3 * r + 1], pos[3 * r + 2], _vOff, _vLin, visible.Slice(r * nv, nv));
            Copy(conf, pos[3 * r + 1], pos[3 * r + 2], _eOff, _eLin, environment.Slice(r * ne, ne));
        }
    }

    private const int PrefetchDistance = 8;

    /// <summary>(configuration, x0, y0) of pos.Length / 3 windows, drawn in the order of <see cref="Position"/>.</summary>
    private void Positions<TRandom>(ref TRandom rng, Span<int> pos) where TRandom : struct, IRandomSource
    {
        Require.That(pos.Length <= 3 * Tile, $"at most {Tile} windows are drawn at once.");
        for (int r = 0; r < pos.Length; r += 3)
        {
            pos[r] = _first + rng.NextInt(_end - _first);
            pos[r + 1] = rng.NextInt(_px) * _sx; pos[r + 2] = rng.NextInt(_py) * _sy;
        }
    }

    /// <summary>Asks the processor to load the rows of window <paramref name="r"/> (a hint: no effect on results).</summary>
    private unsafe void Prefetch(ReadOnlySpan<int> pos, int r)
    {
        if (!Sse.IsSupported) return;
        int c = pos[3 * r], x0 = pos[3 * r + 1], y0 = pos[3 * r + 2];
        int a = Wrap(x0 + _minDx, _lx), b = Wrap(x0 + _maxDx, _lx);
        fixed (sbyte* conf = &_samples.Data[(long)c * _samples.Sites])
            for (int dy = _minDy; dy <= _maxDy; dy++)
            {
                sbyte* row = conf + Wrap(y0 + dy, _ly) * _lx;
                Sse.Prefetch0(row + a);
                Sse.Prefetch0(row + b);
            }
    }

    /// <summary>Draws one window into ±1.0 spans.</summary>
    public void Draw<TRandom>(ref TRandom rng, Span<double> visible, Span<double> environment) where TRandom : struct, IRandomSource
    {
        var (conf, x0, y0) = Position(ref rng);
        Copy(conf, x0, y0, _vOff, _vLin, visible);
        Copy(conf, x0, y0, _eOff, _eLin, environment);
    }

    private (ReadOnlyMemory<sbyte> Conf, int X0, int Y0) Position<TRandom>(ref TRandom rng) where TRandom : struct, IRandomSource
    {
        int c = _first + rng.NextInt(_end - _first);
        int x0 = rng.NextInt(_px) * _sx, y0 = rng.NextInt(_py) * _sy;
        int sites = _samples.Sites;
        return (_samples.Data.AsMemory(c * sites, sites), x0, y0);
    }

    private bool Inside(int x0, int y0) => x0 + _minDx >= 0 && x0 + _maxDx < _lx && y0 + _minDy >= 0 && y0 + _maxDy < _ly;

    private void Copy(ReadOnlyMemory<sbyte> memory, int x0, int y0, (int Dx, int Dy)[] off, int[] lin, Span<sbyte> dst)
    {
        var conf = memory.Span;
        if (Inside(x0, y0)) { int b = x0 + y0 * _lx; for (int k = 0; k < dst.Length; k++) dst[k] = conf[b + lin[k]]; }
        else for (int k = 0; k < dst.Length; k++) dst[k] = conf[Wrap(x0 + off[k].Dx, _lx) + Wrap(y0 + off[k].Dy, _ly) * _lx];
    }

    private void Copy(ReadOnlyMemory<sbyte> memory, int x0, int y0, (int Dx, int Dy)[] off, int[] lin, Span<double> dst)
    {
        var conf = memory.Span;
        if (Inside(x0, y0)) { int b = x0 + y0 * _lx; for (int k = 0; k < dst.Length; k++) dst[k] = conf[b + lin[k]]; }
        else for (int k = 0; k < dst.Length; k++) dst[k] = conf[Wrap(x0 + off[k].Dx, _lx) + Wrap(y0 + off[k].Dy, _ly) * _lx];
    }

    /// <summary>i mod l for −l ≤ i &lt; 2l: a window spans at most the lattice (<see cref="WindowGeometry.ValidateFor"/>), so a
    /// site's coordinate is at most one lattice length outside [0, l).</summary>
    private static int Wrap(int i, int l) => i < 0 ? i + l : i >= l ? i - l : i;
}
