using Rsmi.Exact;
namespace Rsmi.Models.Ising.Exact;

/// <summary>
/// Exact thermodynamics of the square-lattice Ising model in the thermodynamic limit (J = k_B = 1, K = 1/T).
/// </summary>
public static class Onsager
{
    /// <summary>
    /// Internal energy per site (Onsager 1944; e.g. Huang, Statistical Mechanics, eq. 15.137):
    /// u = −coth 2K · [1 + (2/π)(2 tanh² 2K − 1) K(κ)], κ = 2 sinh 2K / cosh² 2K. The complementary modulus is
    /// used directly, κ' = |2 tanh² 2K − 1|, which keeps full precision near T_c where κ → 1; at T_c the
    /// prefactor of K(κ) vanishes and u = −√2. T finite and positive. At high temperature the bracket is a
    /// difference of O(1) terms of size O(K²), so the relative accuracy is about 1e-16·T² (1e-12 at T = 100).
    /// </summary>
    public static double EnergyPerSite(double temperature)
    {
        Ising2D.RequireTemperature(temperature);
        double k = 1.0 / temperature;
        double t2 = Math.Tanh(2 * k);
        double coth = 1.0 / t2;
        double prefactor = 2 * t2 * t2 - 1;
        if (prefactor == 0) return -coth;
        double kPrime = Math.Min(Math.Abs(prefactor), 1.0);
        return -coth * (1 + 2 / Math.PI * prefactor * Elliptic.KFromComplement(kPrime));
    }

    /// <summary>Nearest-neighbour correlation ⟨s_0 s_1⟩ = −u/2 (two bonds per site).</summary>
    public static double NearestNeighbourCorrelation(double temperature) => -0.5 * EnergyPerSite(temperature);

    /// <summary>
    /// Spontaneous magnetisation (Onsager 1949, Yang 1952): m = (1 − sinh⁻⁴ 2K)^{1/8} for T &lt; T_c, 0 above.
    /// T finite and positive.
    /// </summary>
    public static double Magnetisation(double temperature)
    {
        Ising2D.RequireTemperature(temperature);
        if (temperature >= Ising2D.CriticalTemperature) return 0.0;
        double s = Math.Sinh(2.0 / temperature);
        double x = 1 - Math.Pow(s, -4);
        return x <= 0 ? 0.0 : Math.Pow(x, 0.125);
    }

    /// <summary>
    /// Correlation length above T_c (exponential decay of ⟨s_0 s_r⟩ along an axis, Onsager 1944; McCoy &amp; Wu,
    /// The Two-Dimensional Ising Model, ch. XI): ξ = 1/(ln coth K − 2K) = 1/(2(K* − K)). +∞ at T_c.
    /// T ≥ T_c, finite.
    /// </summary>
    public static double CorrelationLength(double temperature)
    {
        Ising2D.RequireTemperature(temperature);
        Require.That(temperature >= Ising2D.CriticalTemperature,
            $"the correlation length formula holds above T_c = {Ising2D.CriticalTemperature}, got temperature {temperature}.");
        double k = 1.0 / temperature;
        double inverse = Math.Log(1 / Math.Tanh(k)) - 2 * k;
        return inverse <= 0 ? double.PositiveInfinity : 1.0 / inverse;
    }
}

/// <summary>
/// Diagonal next-nearest-neighbour correlation ⟨s_{0,0} s_{1,1}⟩ of the infinite square-lattice Ising model
/// (McCoy &amp; Wu, The Two-Dimensional Ising Model (1973), ch. VIII; docs/references.md, "2D Ising model, infinite lattice").
/// </summary>
public static class McCoyWu
{
    /// <summary>
    /// ⟨s_{0,0} s_{1,1}⟩: for T &lt; T_c with k = sinh⁻² 2K, (2/π) E(k); for T &gt; T_c with q = sinh² 2K,
    /// (2/(π q)) [E(q) − (1 − q²) K(q)]; 2/π at T_c. E and K are complete elliptic integrals of modulus k, q.
    /// Increases monotonically from 0 (T → ∞) to 1 (T → 0). T finite and positive.
    /// </summary>
    public static double DiagonalCorrelation(double temperature)
    {
        Ising2D.RequireTemperature(temperature);
        double s = Math.Sinh(2.0 / temperature);
        double s2 = s * s;
        if (s2 == 1) return 2 / Math.PI;
        if (s2 > 1)
        {
            double k = 1 / s2;
            return 2 / Math.PI * Elliptic.E(k);
        }
        double q = s2;
        if (q < 1e-2)
        {
            // From the power series of E and K: E(q) − (1 − q²) K(q) = (π/2)(q²/2 + q⁴/16 + 3q⁶/128 + 25q⁸/2048 + …),
            // summed directly to avoid the cancellation as T → ∞ (truncation error ~ q⁹).
            double q2 = q * q;
            return q * (0.5 + q2 * (1.0 / 16 + q2 * (3.0 / 128 + q2 * 25.0 / 2048)));
        }
        double kPrime = Math.Sqrt((1 - q) * (1 + q));
        return 2 / (Math.PI * q) * (Elliptic.EFromComplement(q, kPrime) - (1 - q * q) * Elliptic.KFromComplement(kPrime));
    }
}
