namespace Rsmi.Renormalization;

/// <summary>
/// The exact Ising relations the thermometers invert (J = k_B = 1, K = 1/T): the finite-torus nearest-neighbour
/// correlation from Kaufman's partition function (Kaufman, Phys. Rev. 76, 1232 (1949); references.md), the
/// infinite-lattice one from Onsager's energy, c1 = −u/2, and McCoy–Wu's diagonal correlation.
/// </summary>
internal static class ThermometerRelations
{
    /// <summary>ln Z of the L × L torus (Kaufman), in log space with the sign of the γ_0 terms kept.</summary>
    public static double LogPartitionFunction(int l, double k)
    {
        double c = Math.Cosh(2 * k) / Math.Tanh(2 * k);
        Span<double> logs = stackalloc double[4];
        Span<int> signs = [1, 1, 1, 1];
        logs.Clear();
        for (int r = 0; r < l; r++)
        {
            for (int parity = 0; parity < 2; parity++)
            {
                int q = parity == 0 ? 2 * r + 1 : 2 * r;
                double gamma = q == 0 ? 2 * (k - 0.5 * Math.Log(1 / Math.Tanh(k))) : Acosh(c - Math.Cos(Math.PI * q / l));
                double x = l * gamma / 2, ax = Math.Abs(x);
                double logCosh = ax + Math.Log(1 + Math.Exp(-2 * ax));            // ln 2cosh x
                double logSinh = ax + Math.Log(-double.ExpM1(-2 * ax));   // ln 2|sinh x|
                int i = parity == 0 ? 0 : 2;
                logs[i] += logCosh; logs[i + 1] += logSinh;
                if (x < 0) signs[i + 1] = -signs[i + 1];
            }
        }
        double max = double.NegativeInfinity;
        foreach (double v in logs) max = Math.Max(max, v);
        double sum = 0;
        for (int i = 0; i < 4; i++) sum += signs[i] * Math.Exp(logs[i] - max);
        return Math.Log(0.5) + l * (double)l / 2 * Math.Log(2 * Math.Sinh(2 * k)) + max + Math.Log(sum);
    }

    private static double Acosh(double x) => Math.Log(x + Math.Sqrt(x * x - 1));

    /// <summary>⟨s_0 s_1⟩ on the L × L torus, (1/2L²) ∂ ln Z/∂K by a central difference; L = 0: infinite lattice (Onsager).</summary>
    public static double NearestNeighbourCorrelation(int l, double t)
    {
        if (l == 0) return OnsagerNearestNeighbour(t);
        double k = 1 / t, h = 1e-5 * Math.Max(1, k);
        return (LogPartitionFunction(l, k + h) - LogPartitionFunction(l, k - h)) / (2 * h) / (2.0 * l * l);
    }

    /// <summary>Onsager: u = −coth 2K [1 + (2/π)(2 tanh² 2K − 1) K(κ)], κ = 2 sinh 2K / cosh² 2K; c1 = −u/2.</summary>
    public static double OnsagerNearestNeighbour(double t)
    {
        double k = 1 / t;
        double kappa = 2 * Math.Sinh(2 * k) / (Math.Cosh(2 * k) * Math.Cosh(2 * k));
        double th = Math.Tanh(2 * k);
        double u = -(1 / th) * (1 + 2 / Math.PI * (2 * th * th - 1) * EllipticK(kappa));
        return -u / 2;
    }

    /// <summary>McCoy–Wu ⟨s_00 s_11⟩: (2/π)E(1/sinh² 2K) below T_c, (2/(πq))[E(q) − (1 − q²)K(q)] with q = sinh² 2K above.</summary>
    public static double DiagonalCorrelation(double t)
    {
        double s = Math.Sinh(2 / t);
        if (Math.Abs(s - 1) < 1e-13) return 2 / Math.PI;
        if (s > 1) return 2 / Math.PI * EllipticE(1 / (s * s));
        double q = s * s;
        return 2 / (Math.PI * q) * (EllipticE(q) - (1 - q * q) * EllipticK(q));
    }

    /// <summary>Complete elliptic integral of the first kind, modulus k &lt; 1, by the arithmetic–geometric mean.</summary>
    public static double EllipticK(double k)
    {
        double a = 1, b = Math.Sqrt((1 - k) * (1 + k));
        for (int i = 0; i < 60 && Math.Abs(a - b) > 1e-16 * a; i++) { double an = 0.5 * (a + b); b = Math.Sqrt(a * b); a = an; }
        return Math.PI / (2 * a);
    }

    /// <summary>Complete elliptic integral of the second kind, modulus k &lt; 1 (AGM with the c_n series).</summary>
    public static double EllipticE(double k)
    {
        double a = 1, b = Math.Sqrt((1 - k) * (1 + k)), c = k, p = 0.5, sum = 0.5 * k * k;
        for (int i = 0; i < 60 && Math.Abs(c) > 1e-17; i++)
        {
            double an = 0.5 * (a + b); c = 0.5 * (a - b); b = Math.Sqrt(a * b); a = an;
            p *= 2; sum += p * c * c;
        }
        return Math.PI / (2 * a) * (1 - sum);
    }

    /// <summary>
    /// The temperature at which the decreasing function <paramref name="correlation"/>(T) equals <paramref name="c"/>,
    /// by bisection on [0.05, 1000]; 0 or ∞ outside the range the relation can reach.
    /// </summary>
    public static double Invert(Func<double, double> correlation, double c)
    {
        double lo = 0.05, hi = 1000;
        if (c >= correlation(lo)) return 0;
        if (c <= correlation(hi)) return double.PositiveInfinity;
        for (int i = 0; i < 80; i++)
        {
            double mid = Math.Sqrt(lo * hi);
            if (correlation(mid) > c) lo = mid; else hi = mid;
        }
        return Math.Sqrt(lo * hi);
    }
}
