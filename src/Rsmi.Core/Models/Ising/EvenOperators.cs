using Rsmi.Renormalization;
namespace Rsmi.Models.Ising;

/// <summary>
/// Even (Z2-symmetric) short-range operators S_α = Σ_sites (product of spins) of the 2D Ising model on an
/// Lx × Ly torus, used by Swendsen's Monte Carlo RG (Swendsen, PRL 42, 859 (1979); docs/algorithm.md, "Monte Carlo renormalization group"). The
/// order is the usual one, from the most to the least relevant coupling, so that truncating to the first k
/// operators is meaningful:
/// 0 nearest neighbour (1,0),(0,1); 1 diagonal (1,1),(1,−1); 2 third neighbour (2,0),(0,2);
/// 3 plaquette s(x,y)s(x+1,y)s(x,y+1)s(x+1,y+1); 4 knight (2,±1),(1,±2); 5 (2,±2); 6 (3,0),(0,3);
/// 7 four-spin "T": s(x,y)s(x+1,y)s(x+2,y)s(x+1,y+1) and s(x,y)s(x,y+1)s(x,y+2)s(x+1,y+1).
/// </summary>
public static class EvenOperators
{
    /// <summary>Number of operators available.</summary>
    public const int Count = 8;

    /// <summary>Names of the operators, in order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["nn", "diagonal", "third_neighbour", "plaquette", "knight", "double_diagonal", "fourth_axis", "four_spin_t"];

    /// <summary>Largest coordinate offset (Chebyshev extent) of each operator.</summary>
    public static IReadOnlyList<int> Extent { get; } = [1, 1, 2, 1, 2, 2, 3, 2];

    /// <summary>
    /// The terms of each operator as site offsets (dx, dy) from the anchor site: S_α = Σ_{sites r} Σ_{terms t of α}
    /// Π_{o ∈ t} s(r + o), the same sums <see cref="Measure"/> evaluates. <see cref="OperatorStencil"/> builds local
    /// fields ∂S_α/∂s_i from them (the effective-coupling estimator, <see cref="EffectiveCouplings"/>).
    /// </summary>
    public static IReadOnlyList<(int Dx, int Dy)[][]> Terms { get; } =
    [
        [[(0, 0), (1, 0)], [(0, 0), (0, 1)]],
        [[(0, 0), (1, 1)], [(0, 0), (1, -1)]],
        [[(0, 0), (2, 0)], [(0, 0), (0, 2)]],
        [[(0, 0), (1, 0), (0, 1), (1, 1)]],
        [[(0, 0), (2, 1)], [(0, 0), (2, -1)], [(0, 0), (1, 2)], [(0, 0), (1, -2)]],
        [[(0, 0), (2, 2)], [(0, 0), (2, -2)]],
        [[(0, 0), (3, 0)], [(0, 0), (0, 3)]],
        [[(0, 0), (1, 1), (1, 0), (2, 0)], [(0, 0), (1, 1), (0, 1), (0, 2)]],
    ];

    /// <summary>
    /// How many of the first operators are distinct on an L × L torus: the longest prefix whose operators all
    /// have 2·extent &lt; L, so that no offset wraps onto another (at least 1).
    /// </summary>
    public static int UsableOn(int l, int wanted)
    {
        int k = 0;
        while (k < wanted && 2 * Extent[k] < l) k++;
        return Math.Max(1, k);
    }

    /// <summary>
    /// Writes S_0 … S_{values.Length−1} of one configuration <paramref name="s"/> (row-major Ly × Lx, ±1) to
    /// <paramref name="values"/> (at most <see cref="Count"/>). Sums over all sites; no normalisation.
    /// </summary>
    public static void Measure(ReadOnlySpan<sbyte> s, int lx, int ly, Span<double> values)
    {
        int n = values.Length;
        long nn = 0, diag = 0, third = 0, plaq = 0, knight = 0, dd = 0, fourth = 0, tee = 0;
        for (int y = 0; y < ly; y++)
        {
            int y1 = (y + 1) % ly, y2 = (y + 2) % ly, y3 = (y + 3) % ly, ym1 = (y + ly - 1) % ly, ym2 = (y + ly - 2) % ly;
            var r0 = s.Slice(y * lx, lx);
            var r1 = s.Slice(y1 * lx, lx);
            var r2 = s.Slice(y2 * lx, lx);
            var r3 = s.Slice(y3 * lx, lx);
            var rm1 = s.Slice(ym1 * lx, lx);
            var rm2 = s.Slice(ym2 * lx, lx);
            for (int x = 0; x < lx; x++)
            {
                int x1 = x + 1 == lx ? 0 : x + 1;
                int x2 = (x + 2) % lx, x3 = (x + 3) % lx;
                int v = r0[x];
                nn += v * (r0[x1] + r1[x]);
                if (n <= 1) continue;
                diag += v * (r1[x1] + rm1[x1]);
                if (n <= 2) continue;
                third += v * (r0[x2] + r2[x]);
                if (n <= 3) continue;
                plaq += v * r0[x1] * r1[x] * r1[x1];
                if (n <= 4) continue;
                knight += v * (r1[x2] + rm1[x2] + r2[x1] + rm2[x1]);
                if (n <= 5) continue;
                dd += v * (r2[x2] + rm2[x2]);
                if (n <= 6) continue;
                fourth += v * (r0[x3] + r3[x]);
                if (n <= 7) continue;
                tee += v * r1[x1] * (r0[x1] * r0[x2] + r1[x] * r2[x]);
            }
        }
        Span<double> all = [nn, diag, third, plaq, knight, dd, fourth, tee];
        all[..n].CopyTo(values);
    }
}
