using Rsmi.Data;

namespace Rsmi.Renormalization;

/// <summary>
/// Per-configuration sums of an L_y × L_x Ising torus used by the thermometers (algorithm.md §7): nearest-neighbour
/// and diagonal correlations per site, and the second-moment quantities M² and |M̃(k_min)|² with
/// k_min = 2π/L along x and y (averaged over both).
/// </summary>
public static class IsingCorrelations
{
    /// <summary>Number of values per configuration written by <see cref="Measure"/>.</summary>
    public const int Count = 4;

    /// <summary>Index of c1 = (1/2N) Σ_i s_i (s_{i+x} + s_{i+y}).</summary>
    public const int NearestNeighbour = 0;
    /// <summary>Index of c2 = (1/2N) Σ_i s_i (s_{i+x+y} + s_{i+x−y}).</summary>
    public const int Diagonal = 1;
    /// <summary>Index of M²/N.</summary>
    public const int MagnetisationSquared = 2;
    /// <summary>Index of |M̃(k_min)|²/N (average of the x and y directions).</summary>
    public const int LowestModeSquared = 3;

    /// <summary>The four values of one configuration (row-major, ±1).</summary>
    public static void Measure(ReadOnlySpan<sbyte> s, int lx, int ly, Span<double> values)
    {
        int n = lx * ly;
        long nn = 0, diag = 0, m = 0;
        // Fourier sums of rows and columns at the lowest non-zero wave number.
        double cx = 0, sx = 0, cy = 0, sy = 0;
        Span<double> cosX = lx <= 512 ? stackalloc double[lx] : new double[lx];
        Span<double> sinX = lx <= 512 ? stackalloc double[lx] : new double[lx];
        for (int x = 0; x < lx; x++) { cosX[x] = Math.Cos(2 * Math.PI * x / lx); sinX[x] = Math.Sin(2 * Math.PI * x / lx); }
        for (int y = 0; y < ly; y++)
        {
            var r0 = s.Slice(y * lx, lx);
            var r1 = s.Slice(((y + 1) % ly) * lx, lx);
            var rm = s.Slice(((y + ly - 1) % ly) * lx, lx);
            long rowSum = 0;
            for (int x = 0; x < lx; x++)
            {
                int x1 = x + 1 == lx ? 0 : x + 1;
                int v = r0[x];
                nn += v * (r0[x1] + r1[x]);
                diag += v * (r1[x1] + rm[x1]);
                rowSum += v;
                cx += v * cosX[x]; sx += v * sinX[x];
            }
            m += rowSum;
            double phase = 2 * Math.PI * y / ly;
            cy += rowSum * Math.Cos(phase); sy += rowSum * Math.Sin(phase);
        }
        values[NearestNeighbour] = nn / (2.0 * n);
        values[Diagonal] = diag / (2.0 * n);
        values[MagnetisationSquared] = (double)m * m / n;
        values[LowestModeSquared] = 0.5 * (cx * cx + sx * sx + cy * cy + sy * sy) / n;
    }

    /// <summary>All configurations of <paramref name="set"/>: count × <see cref="Count"/> values.</summary>
    public static double[] MeasureAll(SampleSet set)
    {
        var values = new double[set.Count * Count];
        Parallel.For(0, set.Count, i => Measure(set.Configuration(i), set.Lx, set.Ly, values.AsSpan(i * Count, Count)));
        return values;
    }

    /// <summary>
    /// Second-moment correlation length ξ = sqrt(χ/F − 1) / (2 sin(π/L)) from the averages χ = ⟨M²⟩/N and
    /// F = ⟨|M̃(k_min)|²⟩/N (Cooper, Freedman &amp; Preston 1982); NaN when χ ≤ F.
    /// </summary>
    public static double SecondMomentCorrelationLength(double chi, double f, int l)
    {
        double ratio = chi / f - 1;
        return ratio > 0 ? Math.Sqrt(ratio) / (2 * Math.Sin(Math.PI / l)) : double.NaN;
    }
}
