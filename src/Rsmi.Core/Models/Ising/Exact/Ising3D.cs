namespace Rsmi.Models.Ising.Exact;

/// <summary>
/// Reference values of the simple-cubic Ising model (J = k_B = 1) and of the 3D Ising universality class
/// (docs/references.md, "3D Ising model"). None is known in closed form: each is the most precise published
/// estimate, with its error in the last digits noted next to it.
/// </summary>
public static class Ising3D
{
    /// <summary>
    /// K_c = 0.221654626(5): the critical coupling of the simple-cubic lattice (Ferrenberg, Xu &amp; Landau,
    /// Phys. Rev. E 97, 043301 (2018), Wolff cluster simulations up to L = 1024).
    /// </summary>
    public const double CriticalCoupling = 0.221654626;

    /// <summary>T_c = 1/K_c = 4.511523256 (±1 × 10⁻⁷ from the error of K_c).</summary>
    public const double CriticalTemperature = 1.0 / CriticalCoupling;

    /// <summary>
    /// ν = 0.6299709(40), the correlation-length exponent, from the conformal bootstrap: ν = 1/(3 − Δ_ε) with
    /// Δ_ε = 1.412625(10) (Kos, Poland, Simmons-Duffin &amp; Vichi, JHEP 08 (2016) 036).
    /// </summary>
    public const double Nu = 0.6299709;

    /// <summary>η = 0.0362978(20) = 2Δ_σ − 1 with Δ_σ = 0.5181489(10) (Kos, Poland, Simmons-Duffin &amp; Vichi 2016).</summary>
    public const double Eta = 0.0362978;

    /// <summary>Thermal eigenvalue exponent y_t = 1/ν = 1.5873749.</summary>
    public const double ThermalExponent = 1.0 / Nu;

    /// <summary>Magnetic eigenvalue exponent y_h = (d + 2 − η)/2 = (5 − η)/2 = 2.4818511 in d = 3.</summary>
    public const double MagneticExponent = (5.0 - Eta) / 2.0;

    /// <summary>
    /// The leading correction-to-scaling exponent ω = 0.832(6) (Hasenbusch, Phys. Rev. B 82, 174433 (2010)):
    /// a dimensionless quantity at K_c approaches its limit as L^{−ω}.
    /// </summary>
    public const double CorrectionExponent = 0.832;

    /// <summary>
    /// The Binder cumulant at criticality on periodic L³ lattices, U* = 1 − ⟨m⁴⟩/(3⟨m²⟩²) = 0.46548(5), from the
    /// ratio ⟨m⁴⟩/⟨m²⟩² = 1.60356(15) at the fixed point (Hasenbusch 2010). Universal: the same for every model
    /// of the class on periodic cubes, reached as U(L) = U* + c L^{−ω} + … with a model-dependent c.
    /// </summary>
    public const double CriticalBinderCumulant = 0.46548;

    /// <summary>The one-standard-deviation error of <see cref="CriticalBinderCumulant"/>.</summary>
    public const double CriticalBinderCumulantError = 0.00005;
}
