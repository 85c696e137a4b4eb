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
        for (int w = 0; w < count; w++) gather.Draw(ref rng, vis.AsSpan(w * nv, nv), env.AsSpan(w * ne, ne));
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

    private static int Wrap(int i, int l) { i %= l; return i < 0 ? i + l : i; }
}
