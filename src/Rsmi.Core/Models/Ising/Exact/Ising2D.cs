namespace Rsmi.Models.Ising.Exact;

/// <summary>Critical point and duality of the square-lattice Ising model (J = k_B = 1).</summary>
public static class Ising2D
{
    /// <summary>K_c = ½ ln(1 + √2) = 0.44068679350977147 (Kramers &amp; Wannier 1941): sinh 2K_c = 1.</summary>
    public const double CriticalCoupling = 0.44068679350977147;   // correctly rounded ½ asinh(1)

    /// <summary>T_c = 1/K_c = 2/ln(1 + √2) = 2.269185314213022.</summary>
    public const double CriticalTemperature = 1.0 / CriticalCoupling;

    /// <summary>Correlation-length exponent ν = 1 (Onsager 1944), so the thermal eigenvalue y_t = 1/ν = 1.</summary>
    public const double Nu = 1.0;

    /// <summary>Magnetic eigenvalue y_h = 15/8 (from Yang's spontaneous magnetisation, β = 1/8: y_h = d − β/ν).</summary>
    public const double MagneticExponent = 15.0 / 8.0;

    /// <summary>Anomalous dimension η = d + 2 − 2y_h = 1/4.</summary>
    public const double Eta = 0.25;

    /// <summary>Kramers–Wannier dual coupling K* = ½ ln coth K (equivalently tanh K* = e^{−2K}), K &gt; 0.</summary>
    public static double DualCoupling(double coupling) => -0.5 * Math.Log(Math.Tanh(coupling));

    /// <summary>Checks a temperature given at the public boundary.</summary>
    internal static void RequireTemperature(double temperature)
        => Require.That(temperature > 0 && double.IsFinite(temperature), $"temperature must be a finite positive number, got {temperature}.");
}
