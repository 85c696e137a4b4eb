namespace Rsmi.Models.Dimers;

/// <summary>
/// Exact numbers of fully packed dimer coverings (Kasteleyn 1961; Temperley &amp; Fisher 1961), see
/// docs/references.md, "Fully packed dimers". Natural logarithms are provided because the counts overflow a double beyond L ≈ 40.
/// </summary>
public static class DimerCounting
{
    /// <summary>
    /// ln Z of the L×L torus (L even, ≥ 2): Z = ½ (Z_{0,½} + Z_{½,0} + Z_{½,½}) with
    /// Z_{a,b} = Π_{j,k=0}^{L−1} [4 sin²(2π(j+a)/L) + 4 sin²(2π(k+b)/L)]^{1/4} (Kasteleyn's four Pfaffians,
    /// the periodic–periodic one vanishing for the square lattice).
    /// </summary>
    public static double LogTorusCoverings(int l)
    {
        DimerLattice.Validate(l);
        double z1 = LogZ(l, 0.0, 0.5), z2 = LogZ(l, 0.5, 0.0), z3 = LogZ(l, 0.5, 0.5);
        double max = Math.Max(z1, Math.Max(z2, z3));
        return max + Math.Log(Math.Exp(z1 - max) + Math.Exp(z2 - max) + Math.Exp(z3 - max)) - Math.Log(2.0);
    }

    /// <summary>Number of coverings of the L×L torus (exp of <see cref="LogTorusCoverings"/>; exact to rounding for L ≤ 8: 2×2 → 8, 4×4 → 272, 6×6 → 90,176).</summary>
    public static double TorusCoverings(int l) => Math.Exp(LogTorusCoverings(l));

    /// <summary>
    /// ln Z of the open m×n grid (m·n even): Z = Π_{j=1}^{⌈m/2⌉} Π_{k=1}^{⌈n/2⌉} [4 cos²(πj/(m+1)) + 4 cos²(πk/(n+1))]
    /// (Kasteleyn 1961; Temperley &amp; Fisher 1961).
    /// </summary>
    public static double LogOpenGridCoverings(int m, int n)
    {
        Require.Positive(m, "grid height m");
        Require.Positive(n, "grid width n");
        Require.That((m * (long)n & 1) == 0, $"an open {m}x{n} grid has an odd number of sites and no dimer covering.");
        if ((m & 1) != 0) (m, n) = (n, m); // make m even
        double log = 0;
        int halfN = (n + 1) / 2;
        for (int j = 1; j <= m / 2; j++)
        for (int k = 1; k <= halfN; k++)
        {
            double cj = Math.Cos(Math.PI * j / (m + 1)), ck = Math.Cos(Math.PI * k / (n + 1));
            double factor = 4 * cj * cj + 4 * ck * ck;
            log += Math.Log(factor);
        }
        return log;
    }

    /// <summary>Number of coverings of the open m×n grid (4×4 → 36, 6×6 → 6728).</summary>
    public static double OpenGridCoverings(int m, int n) => Math.Exp(LogOpenGridCoverings(m, n));

    /// <summary>Number of coverings of the L×L lattice with the given boundary.</summary>
    public static double Coverings(int l, DimerBoundary boundary) =>
        boundary == DimerBoundary.Periodic ? TorusCoverings(l) : OpenGridCoverings(l, l);

    /// <summary>Catalan's constant G.</summary>
    public const double Catalan = 0.915965594177219015054603514932;

    /// <summary>Entropy per site of the infinite square lattice, G/π (docs/references.md, "Fully packed dimers": 0.2915609040).</summary>
    public const double EntropyPerSite = Catalan / Math.PI;

    private static double LogZ(int l, double a, double b)
    {
        double log = 0;
        for (int j = 0; j < l; j++)
        {
            double sj = Math.Sin(2 * Math.PI * (j + a) / l);
            for (int k = 0; k < l; k++)
            {
                double sk = Math.Sin(2 * Math.PI * (k + b) / l);
                double factor = 4 * sj * sj + 4 * sk * sk;
                if (factor <= 0) return double.NegativeInfinity;
                log += 0.25 * Math.Log(factor);
            }
        }
        return log;
    }
}
