using System.Numerics;
using System.Runtime.Intrinsics.X86;
using Rsmi.Data;
using Rsmi.Random;

namespace Rsmi.Regions;

/// <summary>
/// The one place where a (V, E) window is copied out of a configuration: at a given block position
/// (<see cref="CopyAt{T}(int, int, int, int, Span{T}, Span{T})"/>, for the tiling of <see cref="WindowCutter.Cut"/>), or at a random one
/// (<see cref="Draw{TRandom, T}"/>, <see cref="DrawRows{TRandom, T}"/>: a configuration of [first, end) and a block
/// position on the grid of spacing <c>stride</c>, one draw of the configuration, then x, then y, then (on cubic
/// lattices only) z, from the caller's stream). Values are copied as ±1 of any numeric type (<see cref="sbyte"/> for
/// stored windows, <see cref="double"/> for a learner's rows). Sites that follow each other along x in the window
/// are copied as one span (split in two where it crosses the periodic boundary).
/// </summary>
public sealed class WindowGatherer
{
    private readonly SampleSet _samples;
    private readonly int _first, _end, _lx, _ly, _lz, _sx, _sy, _sz, _px, _py, _pz;
    private readonly int _minDx, _maxDx, _minDy, _maxDy, _minDz, _maxDz;
    private readonly bool _cubic;
    private readonly (int Dx, int Dy, int Dz)[] _vOff, _eOff;
    private readonly Run[] _vRuns, _eRuns;

    /// <summary><see cref="Length"/> sites of a window that are consecutive along x, both in the configuration (from
    /// offset (Dx, Dy, Dz) on) and in the window's row (from <see cref="Destination"/> on): copied as one span.</summary>
    private readonly record struct Run(int Dx, int Dy, int Dz, int Length, int Destination);

    /// <summary>The offsets <paramref name="off"/> cut into maximal runs of consecutive x.</summary>
    private static Run[] Runs((int Dx, int Dy, int Dz)[] off)
    {
        var runs = new List<Run>();
        for (int k = 0; k < off.Length;)
        {
            int len = 1;
            while (k + len < off.Length && off[k + len] == (off[k].Dx + len, off[k].Dy, off[k].Dz)) len++;
            runs.Add(new Run(off[k].Dx, off[k].Dy, off[k].Dz, len, k));
            k += len;
        }
        return runs.ToArray();
    }

    /// <summary>Windows of configurations [<paramref name="first"/>, <paramref name="end"/>) of <paramref name="samples"/>, block
    /// positions on the grid of spacing <paramref name="stride"/> (0: the block size, the tiling of coarse-graining).</summary>
    public WindowGatherer(SampleSet samples, WindowGeometry geometry, int first, int end, int stride = 0)
    {
        int lx = samples.Lx, ly = samples.Ly, lz = samples.Lz;
        if (geometry.Dimension == 3) Require.That(samples.Rank == 3, "a cubic-lattice window needs 3D configurations.");
        else if (geometry.Dimension == 2) Require.That(samples.Rank == 2, "a square-lattice window needs 2D configurations.");
        else Require.That(samples.Rank == 1, "a chain window needs chain configurations.");
        geometry.ValidateFor(lx, ly, lz);
        Require.That(first >= 0 && end <= samples.Count && first < end, "empty configuration range for windows.");
        _samples = samples; _first = first; _end = end; _lx = lx; _ly = ly; _lz = lz;
        _cubic = geometry.Dimension == 3;
        _sx = stride > 0 ? stride : geometry.BlockX; _sy = geometry.Dimension == 1 ? 1 : stride > 0 ? stride : geometry.BlockY;
        _sz = !_cubic ? 1 : stride > 0 ? stride : geometry.BlockZ;
        _px = lx / _sx; _py = geometry.Dimension == 1 ? 1 : ly / _sy; _pz = _cubic ? lz / _sz : 1;
        _vOff = geometry.VisibleOffsets; _eOff = geometry.EnvironmentOffsets;
        _vRuns = Runs(_vOff); _eRuns = Runs(_eOff);
        var all = _vOff.Concat(_eOff).ToArray();
        _minDx = all.Min(o => o.Dx); _maxDx = all.Max(o => o.Dx); _minDy = all.Min(o => o.Dy); _maxDy = all.Max(o => o.Dy);
        _minDz = all.Min(o => o.Dz); _maxDz = all.Max(o => o.Dz);
    }

    /// <summary>Windows <see cref="DrawRows{TRandom, T}"/> draws at most at once.</summary>
    public const int Tile = 1024;

    /// <summary>
    /// Draws <paramref name="count"/> ≤ <see cref="Tile"/> windows one after the other into consecutive rows of the ±1
    /// spans: the same draws and windows as <paramref name="count"/> calls of <see cref="Draw{TRandom, T}"/>.
    /// All positions are drawn first, so that the sites of the windows a few rows ahead can be fetched from memory while one
    /// is copied (configurations are spread over a sample set much larger than the caches).
    /// </summary>
    public void DrawRows<TRandom, T>(ref TRandom rng, int count, Span<T> visible, Span<T> environment)
        where TRandom : struct, IRandomSource where T : struct, INumberBase<T>
    {
        Span<int> pos = stackalloc int[4 * count];
        Positions(ref rng, pos);
        int nv = _vOff.Length, ne = _eOff.Length;
        for (int r = 0; r < count; r++)
        {
            if (r + PrefetchDistance < count) Prefetch(pos, r + PrefetchDistance);
            CopyAt(pos[4 * r], pos[4 * r + 1], pos[4 * r + 2], pos[4 * r + 3], visible.Slice(r * nv, nv), environment.Slice(r * ne, ne));
        }
    }

    private const int PrefetchDistance = 8;

    /// <summary>
    /// The positions (configuration, x0, y0, z0) of <paramref name="count"/> windows drawn from stream (<paramref name="seed"/>,
    /// 0, <paramref name="purpose"/>): those of the windows <see cref="WindowCutter.CutRandom"/> cuts with the same
    /// arguments, in the same order, four integers per window. A pool of windows kept as positions reads each row out of
    /// the configurations when it is used (<see cref="CopyAt{T}(int, int, int, int, Span{T}, Span{T})"/>) instead of
    /// holding |V| + |E| values per window.
    /// </summary>
    public int[] DrawPositions(int count, ulong seed, string purpose)
    {
        var pos = new int[4L * count];
        var rng = RandomStreams.Create(seed, 0, purpose);
        for (int w = 0; w < count; w += Tile) Positions(ref rng, pos.AsSpan(4 * w, 4 * Math.Min(Tile, count - w)));
        return pos;
    }

    /// <summary>(configuration, x0, y0, z0) of pos.Length / 4 windows, drawn in the order of <see cref="Draw{TRandom, T}"/>.</summary>
    private void Positions<TRandom>(ref TRandom rng, Span<int> pos) where TRandom : struct, IRandomSource
    {
        Require.That(pos.Length <= 4 * Tile, $"at most {Tile} windows are drawn at once.");
        for (int r = 0; r < pos.Length; r += 4)
        {
            pos[r] = _first + rng.NextInt(_end - _first);
            pos[r + 1] = rng.NextInt(_px) * _sx; pos[r + 2] = rng.NextInt(_py) * _sy;
            pos[r + 3] = _cubic ? rng.NextInt(_pz) * _sz : 0;
        }
    }

    /// <summary>Asks the processor to load the rows of window <paramref name="r"/> (a hint: no effect on results).</summary>
    private void Prefetch(ReadOnlySpan<int> pos, int r) => Prefetch(pos[4 * r], pos[4 * r + 1], pos[4 * r + 2], pos[4 * r + 3]);

    /// <summary>Asks the processor to load the rows of the window that <see cref="CopyAt{T}(int, int, int, int, Span{T}, Span{T})"/>
    /// will copy with the same arguments (a hint: no effect on results).</summary>
    public unsafe void Prefetch(int c, int x0, int y0, int z0)
    {
        if (!Sse.IsSupported) return;
        int a = Wrap(x0 + _minDx, _lx), b = Wrap(x0 + _maxDx, _lx);
        fixed (sbyte* conf = &_samples.Data[(long)c * _samples.Sites])
            for (int dz = _minDz; dz <= _maxDz; dz++)
            {
                sbyte* layer = conf + Wrap(z0 + dz, _lz) * _ly * _lx;
                for (int dy = _minDy; dy <= _maxDy; dy++)
                {
                    sbyte* row = layer + Wrap(y0 + dy, _ly) * _lx;
                    Sse.Prefetch0(row + a);
                    Sse.Prefetch0(row + b);
                }
            }
    }

    /// <summary>Draws one window into ±1 spans.</summary>
    public void Draw<TRandom, T>(ref TRandom rng, Span<T> visible, Span<T> environment)
        where TRandom : struct, IRandomSource where T : struct, INumberBase<T>
    {
        int c = _first + rng.NextInt(_end - _first);
        int x0 = rng.NextInt(_px) * _sx, y0 = rng.NextInt(_py) * _sy;
        int z0 = _cubic ? rng.NextInt(_pz) * _sz : 0;
        CopyAt(c, x0, y0, z0, visible, environment);
    }

    /// <summary>Block positions per configuration on the grid (columns × rows), in the order <see cref="WindowCutter.Cut"/> takes them.</summary>
    public (int Columns, int Rows, int StrideX, int StrideY) Grid => (_px, _py, _sx, _sy);

    /// <summary>Layers of block positions per configuration along z and their spacing (1 and 1 below three dimensions).</summary>
    public (int Layers, int StrideZ) GridZ => (_pz, _sz);

    /// <summary>Copies the window of configuration <paramref name="configuration"/> whose block starts at (<paramref name="x0"/>, <paramref name="y0"/>).</summary>
    public void CopyAt<T>(int configuration, int x0, int y0, Span<T> visible, Span<T> environment) where T : struct, INumberBase<T>
        => CopyAt(configuration, x0, y0, 0, visible, environment);

    /// <summary>Copies the window of configuration <paramref name="configuration"/> whose block starts at
    /// (<paramref name="x0"/>, <paramref name="y0"/>, <paramref name="z0"/>) (z0 = 0 below three dimensions).</summary>
    public void CopyAt<T>(int configuration, int x0, int y0, int z0, Span<T> visible, Span<T> environment) where T : struct, INumberBase<T>
    {
        var conf = _samples.Data.AsSpan(configuration * _samples.Sites, _samples.Sites);
        Copy(conf, x0, y0, z0, _vRuns, visible);
        Copy(conf, x0, y0, z0, _eRuns, environment);
    }

    /// <summary>Copies the sites of <paramref name="runs"/> run by run, each as one or (where it crosses the periodic
    /// boundary along x) two spans: the values of the site-by-site copy, exactly.</summary>
    private void Copy<T>(ReadOnlySpan<sbyte> conf, int x0, int y0, int z0, Run[] runs, Span<T> dst) where T : struct, INumberBase<T>
    {
        foreach (var run in runs)
        {
            int row = (Wrap(y0 + run.Dy, _ly) + Wrap(z0 + run.Dz, _lz) * _ly) * _lx, x = Wrap(x0 + run.Dx, _lx);
            int first = Math.Min(run.Length, _lx - x);
            Convert(conf.Slice(row + x, first), dst.Slice(run.Destination, first));
            if (first < run.Length) Convert(conf.Slice(row, run.Length - first), dst.Slice(run.Destination + first, run.Length - first));
        }
    }

    /// <summary>dst[k] = src[k] as <typeparamref name="T"/> (a plain loop: the JIT compiles it for each T, where the
    /// library's generic conversion falls back to an operator call per element for int8 → double).</summary>
    private static void Convert<T>(ReadOnlySpan<sbyte> src, Span<T> dst) where T : struct, INumberBase<T>
    {
        if (typeof(T) == typeof(sbyte)) { src.CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<T, sbyte>(dst)); return; }
        for (int k = 0; k < src.Length; k++) dst[k] = T.CreateTruncating(src[k]);
    }

    /// <summary>i mod l for −l ≤ i &lt; 2l: a window spans at most the lattice (<see cref="WindowGeometry.ValidateFor"/>), so a
    /// site's coordinate is at most one lattice length outside [0, l).</summary>
    private static int Wrap(int i, int l) => i < 0 ? i + l : i >= l ? i - l : i;
}
