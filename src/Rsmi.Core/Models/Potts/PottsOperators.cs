using Rsmi.Data;
using Rsmi.Renormalization;
using Rsmi.States;

namespace Rsmi.Models.Potts;

/// <summary>
/// The operators of the q-state Potts model on an L × L torus for Swendsen's Monte Carlo RG and two-lattice matching
/// (docs/algorithm.md, "Potts operators"; Swendsen, PRL 42, 859 (1979); Rebbi &amp; Swendsen, PRB 21, 4094 (1980)).
/// <para>
/// <b>Even operators</b> (invariant under every permutation of the q labels): sums of Kronecker deltas, the Potts
/// analogue of the Ising spin products of <see cref="Ising.EvenOperators"/> on the same site offsets (δ(s, s') =
/// (1 + s s')/2 for q = 2): 0 nearest neighbour Σ δ(s_r, s_{r+x}) + δ(s_r, s_{r+y}); 1 diagonal (1, ±1); 2 third
/// neighbour (2, 0), (0, 2); 3 plaquette δ(s_1 = s_2 = s_3 = s_4), the product of the four bond deltas around a
/// plaquette; 4 knight (2, ±1), (1, ±2); 5 (2, ±2); 6 (3, 0), (0, 3); 7 four-site "T" (all four sites equal, for
/// the T of a row of three and the middle's neighbour above or below, and of a column of three and the middle's
/// neighbour to the right or left; every even operator is closed under the square's rotations and reflections).
/// </para>
/// <para>
/// <b>Odd operators</b>, one per component a = 0 … q − 1 of the order parameter φ_a(s) = δ(s, a) − 1/q (Σ_a φ_a = 0:
/// the q components span the (q − 1)-dimensional vector representation of the permutation group): 0 magnetisation
/// M_a = Σ_r φ_a(s_r); 1 corner triple, over the four three-site subsets {u, v, w} of every plaquette, the symmetric
/// product φ_a(u) δ(v, w) + φ_a(v) δ(u, w) + φ_a(w) δ(u, v) of an order-parameter component and a bond delta
/// (δ(v, w) = Σ_b φ_b(v) φ_b(w) + 1/q, so each term is a product of order-parameter components); 2 straight triple
/// (0,0)(1,0)(2,0) and (0,0)(0,1)(0,2); 3 bent triple (0,0)(1,±1)(2,0) and (0,0)(±1,1)(0,2), the same symmetric
/// products; 4 cross φ_a(s_r) δ(four neighbours of r equal). For q = 2 they span the Ising operators of
/// <see cref="Ising.OddOperators"/> (magnetisation, three- and five-spin products) up to terms of lower order.
/// </para>
/// </summary>
public sealed class PottsOperators : IRgOperators
{
    /// <summary>The Potts operators (q is read from every sample set's metadata).</summary>
    public static PottsOperators Instance { get; } = new();

    private PottsOperators() { }

    /// <summary>Number of even operators.</summary>
    public const int EvenCount = 8;
    /// <summary>Number of odd operators (each with q components).</summary>
    public const int OddCount = 5;

    /// <summary>Names of the even operators, in order.</summary>
    public static IReadOnlyList<string> Even { get; } =
        ["nn", "diagonal", "third_neighbour", "plaquette", "knight", "double_diagonal", "fourth_axis", "four_site_t"];
    /// <summary>Names of the odd operators, in order.</summary>
    public static IReadOnlyList<string> Odd { get; } = ["magnetisation", "corner_triple", "straight_triple", "bent_triple", "cross"];

    /// <summary>Largest coordinate offset of each even operator (as <see cref="Ising.EvenOperators.Extent"/>).</summary>
    private static readonly int[] EvenExtent = [1, 1, 2, 1, 2, 2, 3, 2];
    /// <summary>Largest coordinate span of a term of each odd operator (as <see cref="Ising.OddOperators.Extent"/>).</summary>
    private static readonly int[] OddExtent = [0, 1, 2, 2, 2];

    /// <inheritdoc />
    public IReadOnlyList<string> EvenNames => Even;
    /// <inheritdoc />
    public IReadOnlyList<string> OddNames => Odd;

    /// <inheritdoc />
    public int UsableEven(int size, int wanted) => Usable(EvenExtent, size, wanted);
    /// <inheritdoc />
    public int UsableOdd(int size, int wanted) => Usable(OddExtent, size, wanted);

    private static int Usable(int[] extent, int size, int wanted)
    {
        int k = 0;
        while (k < wanted && k < extent.Length && 2 * extent[k] < size) k++;
        return Math.Max(1, k);
    }

    /// <summary>The number of states q of <paramref name="samples"/> (their state space must be q-state labels).</summary>
    public static int StatesOf(SampleSet samples) =>
        samples.States() is PottsLabels labels ? labels.States : throw new RsmiInputException("the Potts operators need q-state labels, but the samples hold ±1 spins.");

    /// <inheritdoc />
    public void Validate(SampleSet samples, string what)
    {
        Require.That(samples.States() is PottsLabels, $"the Potts operators need q-state labels, but {what} hold {samples.States().ValuesText}.");
        Require.That(samples.Rank == 2 && samples.Lx == samples.Ly, $"the Potts operators need square L×L configurations, but {what} have shape ({string.Join(", ", samples.SiteShape)}).");
    }

    /// <inheritdoc />
    public int OddComponents(SampleSet samples) => StatesOf(samples);

    /// <inheritdoc />
    public double[] MeasureEven(SampleSet samples, int operators)
    {
        var values = new double[samples.Count * operators];
        Parallel.For(0, samples.Count, n => MeasureEven(samples.Configuration(n), samples.Lx, samples.Ly, values.AsSpan(n * operators, operators)));
        return values;
    }

    /// <inheritdoc />
    public double[] MeasureOdd(SampleSet samples, int operators)
    {
        int q = StatesOf(samples);
        var values = new double[samples.Count * q * operators];
        Parallel.For(0, samples.Count, n => MeasureOdd(samples.Configuration(n), samples.Lx, samples.Ly, q, values.AsSpan(n * q * operators, q * operators)));
        return values;
    }

    private static int D(int a, int b) => a == b ? 1 : 0;

    /// <summary>
    /// Writes the first values.Length even operators of one configuration <paramref name="s"/> (row-major Ly × Lx
    /// labels) to <paramref name="values"/>: sums over all sites, no normalisation.
    /// </summary>
    public static void MeasureEven(ReadOnlySpan<sbyte> s, int lx, int ly, Span<double> values)
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
                int x2 = (x + 2) % lx, x3 = (x + 3) % lx, xm1 = x == 0 ? lx - 1 : x - 1;
                int v = r0[x];
                nn += D(v, r0[x1]) + D(v, r1[x]);
                if (n <= 1) continue;
                diag += D(v, r1[x1]) + D(v, rm1[x1]);
                if (n <= 2) continue;
                third += D(v, r0[x2]) + D(v, r2[x]);
                if (n <= 3) continue;
                plaq += D(v, r0[x1]) & D(v, r1[x]) & D(v, r1[x1]);
                if (n <= 4) continue;
                knight += D(v, r1[x2]) + D(v, rm1[x2]) + D(v, r2[x1]) + D(v, rm2[x1]);
                if (n <= 5) continue;
                dd += D(v, r2[x2]) + D(v, rm2[x2]);
                if (n <= 6) continue;
                fourth += D(v, r0[x3]) + D(v, r3[x]);
                if (n <= 7) continue;
                // A row of three with the middle's neighbour above or below, a column of three with the middle's right or left neighbour.
                tee += D(v, r0[x1]) * D(v, r0[x2]) * (D(v, r1[x1]) + D(v, rm1[x1])) + D(v, r1[x]) * D(v, r2[x]) * (D(v, r1[x1]) + D(v, r1[xm1]));
            }
        }
        Span<double> all = [nn, diag, third, plaq, knight, dd, fourth, tee];
        all[..n].CopyTo(values);
    }

    /// <summary>
    /// Writes the odd operators of one configuration <paramref name="s"/> (q-state labels) to <paramref name="values"/>,
    /// component-major: values[a·k + α] is operator α of component a, for the k = values.Length / q operators.
    /// </summary>
    public static void MeasureOdd(ReadOnlySpan<sbyte> s, int lx, int ly, int q, Span<double> values)
    {
        int n = values.Length / q;
        // Every term is φ_a(s_u)·w with an integer weight w: bucket[α·q + s_u] += w and total[α] += w, and then the
        // component a of operator α is bucket[α·q + a] − total[α]/q.
        Span<long> bucket = stackalloc long[OddCount * q];
        Span<long> total = stackalloc long[OddCount];
        bucket.Clear(); total.Clear();
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
                bucket[v]++; total[0]++;
                if (n <= 1) continue;
                // Plaquette A = (x, y), B = (x+1, y), C = (x, y+1), E = (x+1, y+1); its triples BCE, ACE, ABE, ABC.
                int a = v, b = r0[x1], c = r1[x], e = r1[x1];
                Triple(bucket, total, q, 1, b, c, e);
                Triple(bucket, total, q, 1, a, c, e);
                Triple(bucket, total, q, 1, a, b, e);
                Triple(bucket, total, q, 1, a, b, c);
                if (n <= 2) continue;
                Triple(bucket, total, q, 2, v, b, r0[x2]);
                Triple(bucket, total, q, 2, v, c, r2[x]);
                if (n <= 3) continue;
                Triple(bucket, total, q, 3, v, e, r0[x2]);
                Triple(bucket, total, q, 3, v, rm1[x1], r0[x2]);
                Triple(bucket, total, q, 3, v, e, r2[x]);
                Triple(bucket, total, q, 3, v, r1[xm1], r2[x]);
                if (n <= 4) continue;
                int w = D(b, c) & D(b, r0[xm1]) & D(b, rm1[x]);
                bucket[4 * q + v] += w; total[4] += w;
            }
        }
        for (int ai = 0; ai < q; ai++)
            for (int op = 0; op < n; op++)
                values[ai * n + op] = bucket[op * q + ai] - total[op] / (double)q;
    }

    /// <summary>Adds φ(u)δ(v, w) + φ(v)δ(u, w) + φ(w)δ(u, v) of operator <paramref name="op"/>.</summary>
    private static void Triple(Span<long> bucket, Span<long> total, int q, int op, int u, int v, int w)
    {
        int duv = D(u, v), duw = D(u, w), dvw = D(v, w);
        int o = op * q;
        bucket[o + u] += dvw; bucket[o + v] += duw; bucket[o + w] += duv;
        total[op] += dvw + duw + duv;
    }
}
