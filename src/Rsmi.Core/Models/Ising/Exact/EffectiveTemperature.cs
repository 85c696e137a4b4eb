namespace Rsmi.Models.Ising.Exact;

/// <summary>
/// The temperature at which the exact nearest-neighbour (or diagonal) correlation of the square-lattice Ising
/// model takes a measured value: the "effective temperature" of a coarse-grained ensemble, used to follow an
/// RG flow in the space of temperatures. Both correlations increase strictly from 0 (T → ∞) to 1 (T → 0), so
/// the inversion is unique; it is done by bisection in ln K (K = 1/T) to full double precision. Values outside
/// the attainable open interval (0, 1), or NaN, give NaN.
/// </summary>
public static class EffectiveTemperature
{
    private const double MaxCoupling = 30.0;        // c1, c2 = 1 − O(e^{−60}) there: 1.0 in double precision
    private const double MinCoupling = 1e-150;

    /// <summary>
    /// T such that ⟨s_0 s_1⟩(T) = <paramref name="c1"/> on the L × L torus (Kaufman, <paramref name="l"/> ≥ 2) or on
    /// the infinite lattice (Onsager, <paramref name="l"/> = 0). NaN when c1 is not in (0, 1).
    /// </summary>
    public static double FromNearestNeighbour(double c1, int l = 0)
    {
        Require.That(l == 0 || l >= 2, $"lattice size must be 0 (infinite lattice) or at least 2, got {l}.");
        Func<double, double> correlation = l == 0
            ? k => Onsager.NearestNeighbourCorrelation(1.0 / k)
            : k => Kaufman.NearestNeighbourCorrelation(l, 1.0 / k);
        return 1.0 / Invert(correlation, c1);
    }

    /// <summary>
    /// T such that the diagonal correlation ⟨s_{0,0} s_{1,1}⟩(T) equals <paramref name="c2"/>: on the infinite lattice
    /// (McCoy–Wu, <paramref name="l"/> = 0) or on the L × L torus (<see cref="PfaffianTorus"/>, <paramref name="l"/> ≥ 2).
    /// Correlations of a ferromagnet increase with the coupling (Griffiths' second inequality), so the inversion is
    /// unique. NaN when c2 is not in (0, 1).
    /// </summary>
    public static double FromDiagonal(double c2, int l = 0)
    {
        Require.That(l == 0 || l >= 2, $"lattice size must be 0 (infinite lattice) or at least 2, got {l}.");
        Func<double, double> correlation = l == 0
            ? k => McCoyWu.DiagonalCorrelation(1.0 / k)
            : k => PfaffianTorus.DiagonalCorrelation(l, 1.0 / k);
        return 1.0 / Invert(correlation, c2);
    }

    /// <summary>The coupling K with f(K) = target for f increasing from 0 to 1; NaN outside (0, 1).</summary>
    private static double Invert(Func<double, double> f, double target)
    {
        if (!(target > 0 && target < 1)) return double.NaN;
        double lo = 1e-3, hi = 1.0;
        while (f(lo) > target) { lo /= 16; if (lo < MinCoupling) return double.NaN; }
        while (f(hi) < target) { hi *= 2; if (hi > MaxCoupling) { hi = MaxCoupling; if (f(hi) < target) return double.NaN; break; } }
        double a = Math.Log(lo), b = Math.Log(hi);
        for (int i = 0; i < 200; i++)
        {
            double m = 0.5 * (a + b);
            if (m <= a || m >= b) break;                 // interval exhausted at double precision
            if (f(Math.Exp(m)) < target) a = m; else b = m;
        }
        return Math.Exp(0.5 * (a + b));
    }
}
