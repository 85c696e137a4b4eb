namespace Rsmi.Exact;

/// <summary>
/// Complete elliptic integrals in terms of the modulus k (not the parameter m = k²), by the
/// arithmetic–geometric mean (Abramowitz &amp; Stegun 17.6): with a_0 = 1, b_0 = k' = sqrt(1 − k²), c_0 = k,
/// a_{n+1} = (a_n + b_n)/2, b_{n+1} = sqrt(a_n b_n), c_{n+1} = (a_n − b_n)/2:
/// K(k) = π / (2 AGM(1, k')), E(k) = K(k) · (1 − Σ_{n≥0} 2^{n−1} c_n²). Quadratic convergence: full double
/// precision in about five iterations for any k in [0, 1).
/// </summary>
public static class Elliptic
{
    /// <summary>K(k) = ∫_0^{π/2} dθ / sqrt(1 − k² sin²θ), 0 ≤ k ≤ 1 (+∞ at k = 1).</summary>
    public static double K(double k) => KFromComplement(Complement(k));

    /// <summary>E(k) = ∫_0^{π/2} sqrt(1 − k² sin²θ) dθ, 0 ≤ k ≤ 1 (E(1) = 1).</summary>
    public static double E(double k) => EFromComplement(k, Complement(k));

    /// <summary>K as a function of the complementary modulus k' (accurate when k is close to 1), 0 ≤ k' ≤ 1.</summary>
    public static double KFromComplement(double kPrime)
    {
        if (!(kPrime >= 0 && kPrime <= 1)) throw new ArgumentOutOfRangeException(nameof(kPrime), $"the complementary modulus must be in [0, 1], got {kPrime}.");
        if (kPrime == 0) return double.PositiveInfinity;
        return Math.PI / (2 * Agm(1.0, kPrime));
    }

    /// <summary>E from the modulus k and its complement k' = sqrt(1 − k²) (both given for accuracy).</summary>
    public static double EFromComplement(double k, double kPrime)
    {
        if (!(kPrime >= 0 && kPrime <= 1)) throw new ArgumentOutOfRangeException(nameof(kPrime), $"the complementary modulus must be in [0, 1], got {kPrime}.");
        if (kPrime == 0) return 1.0;
        double a = 1.0, b = kPrime, c = k;
        double sum = 0.5 * c * c, pow = 0.5;
        for (int n = 0; n < 64 && Math.Abs(a - b) > 1e-16 * a; n++)
        {
            c = 0.5 * (a - b);
            double an = 0.5 * (a + b);
            b = Math.Sqrt(a * b);
            a = an;
            pow *= 2;
            sum += pow * c * c;
        }
        return Math.PI / (2 * a) * (1 - sum);
    }

    /// <summary>The arithmetic–geometric mean of two non-negative numbers.</summary>
    public static double Agm(double a, double b)
    {
        for (int n = 0; n < 64 && Math.Abs(a - b) > 1e-16 * a; n++)
        {
            double an = 0.5 * (a + b);
            b = Math.Sqrt(a * b);
            a = an;
        }
        return 0.5 * (a + b);
    }

    private static double Complement(double k)
    {
        if (!(k >= 0 && k <= 1)) throw new ArgumentOutOfRangeException(nameof(k), $"the modulus must be in [0, 1], got {k}.");
        return Math.Sqrt((1 - k) * (1 + k));
    }
}
