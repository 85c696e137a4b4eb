namespace Rsmi.Models.Ising;

/// <summary>
/// Odd (Z2-antisymmetric) short-range operators O_α = Σ_sites (product of an odd number of spins) of the 2D Ising
/// model on an Lx × Ly torus, the magnetic sector of Swendsen's Monte Carlo RG (Swendsen, PRL 42, 859 (1979);
/// docs/algorithm.md, "Monte Carlo renormalization group"). Ordered from the most to the least relevant coupling,
/// so that truncating to the first k is meaningful:
/// 0 magnetisation s(x,y); 1 corner triple: the four three-spin products of each plaquette;
/// 2 straight triple s(x,y)s(x+1,y)s(x+2,y) and its vertical copy; 3 bent triple: two spins at distance 2 on an
/// axis with a diagonal neighbour of both, (0,0)(1,±1)(2,0) and (0,0)(±1,1)(0,2); 4 cross: a spin times its four
/// nearest neighbours.
/// </summary>
public static class OddOperators
{
    /// <summary>Number of operators available.</summary>
    public const int Count = 5;

    /// <summary>Names of the operators, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["magnetisation", "corner_triple", "straight_triple", "bent_triple", "cross"];

    /// <summary>Largest coordinate span of a term (max − min of x or y over its sites) of each operator.</summary>
    public static IReadOnlyList<int> Extent { get; } = [0, 1, 2, 2, 2];

    /// <summary>The terms of each operator as site offsets (dx, dy) from the anchor: O_α = Σ_r Σ_{t of α} Π_{o ∈ t} s(r + o), the sums <see cref="Measure"/> evaluates.</summary>
    public static IReadOnlyList<(int Dx, int Dy)[][]> Terms { get; } =
    [
        [[(0, 0)]],
        [[(1, 0), (0, 1), (1, 1)], [(0, 0), (0, 1), (1, 1)], [(0, 0), (1, 0), (1, 1)], [(0, 0), (1, 0), (0, 1)]],
        [[(0, 0), (1, 0), (2, 0)], [(0, 0), (0, 1), (0, 2)]],
        [[(0, 0), (1, 1), (2, 0)], [(0, 0), (1, -1), (2, 0)], [(0, 0), (1, 1), (0, 2)], [(0, 0), (-1, 1), (0, 2)]],
        [[(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)]],
    ];

    /// <summary>
    /// How many of the first operators are distinct on an L × L torus: the longest prefix whose operators all have
    /// 2·extent &lt; L, as <see cref="EvenOperators.UsableOn"/> (at least 1: the magnetisation is always distinct).
    /// </summary>
    public static int UsableOn(int l, int wanted)
    {
        int k = 0;
        while (k < wanted && 2 * Extent[k] < l) k++;
        return Math.Max(1, k);
    }

    /// <summary>
    /// Writes O_0 … O_{values.Length−1} of one configuration <paramref name="s"/> (row-major Ly × Lx, ±1) to
    /// <paramref name="values"/> (at most <see cref="Count"/>). Sums over all sites; no normalisation.
    /// </summary>
    public static void Measure(ReadOnlySpan<sbyte> s, int lx, int ly, Span<double> values)
    {
        int n = values.Length;
        long mag = 0, corner = 0, straight = 0, bent = 0, cross = 0;
        for (int y = 0; y < ly; y++)
        {
            int y1 = (y + 1) % ly, y2 = (y + 2) % ly, ym1 = (y + ly - 1) % ly;
            var r0 = s.Slice(y * lx, lx);
            var r1 = s.Slice(y1 * lx, lx);
            var r2 = s.Slice(y2 * lx, lx);
            var rm1 = s.Slice(ym1 * lx, lx);
            for (int x = 0; x < lx; x++)
            {
                int x1 = x + 1 == lx ? 0 : x + 1;
                int x2 = (x + 2) % lx, xm1 = x == 0 ? lx - 1 : x - 1;
                int v = r0[x];
                mag += v;
                if (n <= 1) continue;
                // The product of all four plaquette spins times one of them is the product of the other three.
                int a = v, b = r0[x1], c = r1[x], d = r1[x1];
                corner += a * b * c * d * (a + b + c + d);
                if (n <= 2) continue;
                straight += v * (b * r0[x2] + c * r2[x]);
                if (n <= 3) continue;
                bent += v * (r0[x2] * (d + rm1[x1]) + r2[x] * (d + r1[xm1]));
                if (n <= 4) continue;
                cross += v * b * r0[xm1] * c * rm1[x];
            }
        }
        Span<double> all = [mag, corner, straight, bent, cross];
        all[..n].CopyTo(values);
    }
}
