using System.Collections.Concurrent;

namespace Rsmi.Models.Ising;

/// <summary>
/// A set of short-range operators S_α = Σ_sites Σ_{terms t of α} Π_{o ∈ t} s(r + o) of the Ising model on the
/// periodic L × L × L cubic lattice, the 3D counterpart of <see cref="EvenOperators"/> and <see cref="OddOperators"/>
/// for Swendsen's Monte Carlo RG (Swendsen, PRL 42, 859 (1979); docs/algorithm.md, "Monte Carlo renormalization
/// group"). Each operator is closed under the 48 symmetries of the cube, so its sum is invariant under them.
/// </summary>
public sealed class CubicOperatorSet
{
    private readonly (int Dx, int Dy, int Dz)[][][] _terms;
    private readonly ConcurrentDictionary<int, int[][]> _shifts = new();

    /// <summary>Names of the operators, in order (most relevant first).</summary>
    public IReadOnlyList<string> Names { get; }
    /// <summary>Largest coordinate span (max − min of x, y or z over a term's sites) of each operator.</summary>
    public IReadOnlyList<int> Extent { get; }
    /// <summary>The terms of each operator as site offsets (dx, dy, dz) from the anchor site.</summary>
    public IReadOnlyList<(int Dx, int Dy, int Dz)[][]> Terms => _terms;
    /// <summary>Number of operators.</summary>
    public int Count => _terms.Length;

    private readonly (int Dx, int Dy, int Dz)[] _offsets;
    private readonly int[][][] _termOffsetIndex;

    internal CubicOperatorSet(string[] names, (int Dx, int Dy, int Dz)[][][] terms)
    {
        Names = names; _terms = terms;
        Extent = terms.Select(op => op.Max(t => Math.Max(Span(t, o => o.Dx), Math.Max(Span(t, o => o.Dy), Span(t, o => o.Dz))))).ToArray();
        _offsets = terms.SelectMany(op => op.SelectMany(t => t)).Distinct().ToArray();
        var index = _offsets.Select((o, i) => (o, i)).ToDictionary(p => p.o, p => p.i);
        _termOffsetIndex = terms.Select(op => op.Select(t => t.Select(o => index[o]).ToArray()).ToArray()).ToArray();
    }

    private static int Span((int Dx, int Dy, int Dz)[] term, Func<(int Dx, int Dy, int Dz), int> axis) => term.Max(axis) - term.Min(axis);

    /// <summary>
    /// How many of the first operators are distinct on an L × L × L torus: the longest prefix whose operators all have
    /// 2·extent &lt; L, so that no offset wraps onto another (at least 1).
    /// </summary>
    public int UsableOn(int l, int wanted)
    {
        int k = 0;
        while (k < wanted && k < Count && 2 * Extent[k] < l) k++;
        return Math.Max(1, k);
    }

    /// <summary>
    /// Writes S_0 … S_{values.Length−1} of one configuration <paramref name="s"/> (L³ values ±1, z-major then y then x)
    /// to <paramref name="values"/> (at most <see cref="Count"/>): sums over all sites, no normalisation. Lattices of
    /// side L ≤ 64 are read one x-row at a time (<see cref="MeasurePacked"/>), as are those whose side is a multiple of
    /// 64, a row in L/64 words (<see cref="MeasurePackedWide"/>); the others site by site. All give the same integers.
    /// </summary>
    public void Measure(ReadOnlySpan<sbyte> s, int l, Span<double> values)
    {
        if (l <= 64) MeasurePacked(s, l, values);
        else if (l % 64 == 0) MeasurePackedWide(s, l, values);
        else MeasureBySite(s, l, values);
    }

    /// <summary>The sums site by site, each product read through a table of shifted site indices.</summary>
    internal void MeasureBySite(ReadOnlySpan<sbyte> s, int l, Span<double> values)
    {
        int n = l * l * l;
        var shift = _shifts.GetOrAdd(l, Shifts);
        for (int a = 0; a < values.Length; a++)
        {
            long sum = 0;
            foreach (var term in _termOffsetIndex[a])
                for (int r = 0; r < n; r++)
                {
                    int p = 1;
                    foreach (int o in term) p *= s[shift[o][r]];
                    sum += p;
                }
            values[a] = sum;
        }
    }

    /// <summary>
    /// The sums a row at a time, for L ≤ 64: each x-row (y, z) is one word whose bit x is set where s = −1, so a product
    /// Π_{o ∈ t} s(r + o) along a whole row is the parity of the exclusive or of the rows (y + o_y, z + o_z), each rotated
    /// by o_x within its L bits, and the row adds L − 2·popcount of that word. Exact integer arithmetic, equal to
    /// <see cref="MeasureBySite"/>.
    /// </summary>
    internal void MeasurePacked(ReadOnlySpan<sbyte> s, int l, Span<double> values)
    {
        int rows = l * l;
        ulong mask = l == 64 ? ulong.MaxValue : (1UL << l) - 1;
        Span<ulong> packed = rows <= 512 ? stackalloc ulong[rows] : new ulong[rows];
        for (int row = 0; row < rows; row++)
        {
            ulong w = 0;
            var line = s.Slice(row * l, l);
            for (int x = 0; x < l; x++) if (line[x] < 0) w |= 1UL << x;
            packed[row] = w;
        }
        for (int a = 0; a < values.Length; a++)
        {
            long sum = 0;
            foreach (var term in _terms[a])
            {
                int k = term.Length;
                Span<int> dx = stackalloc int[k], dy = stackalloc int[k], dz = stackalloc int[k];
                for (int j = 0; j < k; j++) { dx[j] = Mod(term[j].Dx, l); dy[j] = Mod(term[j].Dy, l); dz[j] = Mod(term[j].Dz, l); }
                long ones = 0;
                for (int z = 0; z < l; z++)
                    for (int y = 0; y < l; y++)
                    {
                        ulong w = 0;
                        for (int j = 0; j < k; j++)
                        {
                            int zz = z + dz[j], yy = y + dy[j];
                            if (zz >= l) zz -= l;
                            if (yy >= l) yy -= l;
                            w ^= RotateWithin(packed[zz * l + yy], dx[j], l, mask);
                        }
                        ones += System.Numerics.BitOperations.PopCount(w);
                    }
                sum += (long)rows * l - 2 * ones;
            }
            values[a] = sum;
        }
    }

    /// <summary>
    /// As <see cref="MeasurePacked"/> for L a multiple of 64: each x-row is W = L/64 words (bit x in word x / 64), and
    /// rotating a row by d = 64q + r within its L bits makes word i of the rotated row from words i + q and i + q + 1
    /// (mod W) of the row: (w_{i+q} ≫ r) | (w_{i+q+1} ≪ (64 − r)).
    /// </summary>
    internal void MeasurePackedWide(ReadOnlySpan<sbyte> s, int l, Span<double> values)
    {
        int words = l / 64, rows = l * l;
        var packed = new ulong[rows * words];
        for (int row = 0; row < rows; row++)
        {
            var line = s.Slice(row * l, l);
            for (int x = 0; x < l; x++) if (line[x] < 0) packed[row * words + (x >> 6)] |= 1UL << (x & 63);
        }
        var product = new ulong[words];
        for (int a = 0; a < values.Length; a++)
        {
            long sum = 0;
            foreach (var term in _terms[a])
            {
                int k = term.Length;
                var (q, r, dy, dz) = (new int[k], new int[k], new int[k], new int[k]);
                for (int j = 0; j < k; j++)
                {
                    int dx = Mod(term[j].Dx, l);
                    (q[j], r[j]) = (dx >> 6, dx & 63);
                    (dy[j], dz[j]) = (Mod(term[j].Dy, l), Mod(term[j].Dz, l));
                }
                long ones = 0;
                for (int z = 0; z < l; z++)
                    for (int y = 0; y < l; y++)
                    {
                        Array.Clear(product);
                        for (int j = 0; j < k; j++)
                        {
                            int zz = z + dz[j], yy = y + dy[j];
                            if (zz >= l) zz -= l;
                            if (yy >= l) yy -= l;
                            var row = packed.AsSpan((zz * l + yy) * words, words);
                            int shift = r[j];
                            for (int i = 0, lo = q[j]; i < words; i++)
                            {
                                int hi = lo + 1 == words ? 0 : lo + 1;
                                product[i] ^= shift == 0 ? row[lo] : (row[lo] >> shift) | (row[hi] << (64 - shift));
                                lo = hi;
                            }
                        }
                        foreach (ulong w in product) ones += System.Numerics.BitOperations.PopCount(w);
                    }
                sum += (long)rows * l - 2 * ones;
            }
            values[a] = sum;
        }
    }

    /// <summary>The L-bit word whose bit x is bit (x + d) mod L of <paramref name="w"/>, 0 ≤ d &lt; L ≤ 64.</summary>
    private static ulong RotateWithin(ulong w, int d, int l, ulong mask) =>
        d == 0 ? w : l == 64 ? System.Numerics.BitOperations.RotateRight(w, d) : ((w >> d) | (w << (l - d))) & mask;

    /// <summary>For each offset, the site r + offset of every site r on the periodic L³ lattice.</summary>
    private int[][] Shifts(int l)
    {
        int n = l * l * l;
        var result = new int[_offsets.Length][];
        for (int k = 0; k < _offsets.Length; k++)
        {
            var (dx, dy, dz) = _offsets[k];
            var map = new int[n];
            for (int z = 0; z < l; z++)
                for (int y = 0; y < l; y++)
                    for (int x = 0; x < l; x++)
                        map[(z * l + y) * l + x] = ((Mod(z + dz, l) * l) + Mod(y + dy, l)) * l + Mod(x + dx, l);
            result[k] = map;
        }
        return result;
    }

    private static int Mod(int a, int l) => ((a % l) + l) % l;
}

/// <summary>
/// The operator sets of the 3D Ising model for Swendsen's MCRG (docs/algorithm.md, "Monte Carlo renormalization
/// group"), ordered from the most to the least relevant coupling so that truncating to the first k is meaningful.
/// </summary>
public static class CubicOperators
{
    /// <summary>
    /// Even operators: 0 nearest neighbour (1,0,0) and its images (3 terms per site); 1 face diagonal (1,±1,0) and
    /// images (6); 2 body diagonal (1,±1,±1) (4); 3 second neighbour along an axis (2,0,0) (3); 4 plaquette, the
    /// four-spin product of each elementary square (3); 5 knight (2,±1,0) and images (12).
    /// </summary>
    public static CubicOperatorSet Even { get; } = new(
        ["nn", "face_diagonal", "body_diagonal", "second_axis", "plaquette", "knight"],
        [
            Pairs([(1, 0, 0), (0, 1, 0), (0, 0, 1)]),
            Pairs([(1, 1, 0), (1, -1, 0), (1, 0, 1), (1, 0, -1), (0, 1, 1), (0, 1, -1)]),
            Pairs([(1, 1, 1), (1, 1, -1), (1, -1, 1), (1, -1, -1)]),
            Pairs([(2, 0, 0), (0, 2, 0), (0, 0, 2)]),
            [
                [(0, 0, 0), (1, 0, 0), (0, 1, 0), (1, 1, 0)],
                [(0, 0, 0), (1, 0, 0), (0, 0, 1), (1, 0, 1)],
                [(0, 0, 0), (0, 1, 0), (0, 0, 1), (0, 1, 1)],
            ],
            Pairs([(2, 1, 0), (2, -1, 0), (1, 2, 0), (-1, 2, 0), (2, 0, 1), (2, 0, -1), (1, 0, 2), (-1, 0, 2), (0, 2, 1), (0, 2, -1), (0, 1, 2), (0, -1, 2)]),
        ]);

    /// <summary>
    /// Odd operators: 0 magnetisation; 1 corner triple, the four three-spin products of each elementary square (12);
    /// 2 straight triple s(r) s(r + e) s(r + 2e) along each axis (3); 3 cross, a spin times its six nearest
    /// neighbours (1).
    /// </summary>
    public static CubicOperatorSet Odd { get; } = new(
        ["magnetisation", "corner_triple", "straight_triple", "cross"],
        [
            [[(0, 0, 0)]],
            [.. CornerTriples((1, 0, 0), (0, 1, 0)), .. CornerTriples((1, 0, 0), (0, 0, 1)), .. CornerTriples((0, 1, 0), (0, 0, 1))],
            [
                [(0, 0, 0), (1, 0, 0), (2, 0, 0)],
                [(0, 0, 0), (0, 1, 0), (0, 2, 0)],
                [(0, 0, 0), (0, 0, 1), (0, 0, 2)],
            ],
            [[(0, 0, 0), (1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1)]],
        ]);

    private static (int, int, int)[][] Pairs((int, int, int)[] partners) => partners.Select(p => new[] { (0, 0, 0), p }).ToArray();

    /// <summary>The four three-spin products of the square spanned by unit vectors <paramref name="a"/> and <paramref name="b"/>.</summary>
    private static (int, int, int)[][] CornerTriples((int X, int Y, int Z) a, (int X, int Y, int Z) b)
    {
        (int, int, int) o = (0, 0, 0), ab = (a.X + b.X, a.Y + b.Y, a.Z + b.Z);
        return [[a, b, ab], [o, b, ab], [o, a, ab], [o, a, b]];
    }
}
