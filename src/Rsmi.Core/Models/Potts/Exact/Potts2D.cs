namespace Rsmi.Models.Potts.Exact;

/// <summary>
/// Exact results of the q-state Potts model H = −J Σ_⟨ij⟩ δ(s_i, s_j) on the square lattice (J = k_B = 1;
/// docs/references.md, "2D Potts model"). The transition is continuous for q ≤ 4 and first order for q &gt; 4.
/// </summary>
public static class Potts2D
{
    /// <summary>
    /// T_c = J / ln(1 + √q), from the self-duality of the square lattice (Potts 1952; Baxter, J. Phys. C 6, L445 (1973),
    /// and Baxter, "Exactly Solved Models in Statistical Mechanics" (1982), §12): q = 2 gives half the Ising T_c (δ = (1 + s s')/2).
    /// </summary>
    public static double CriticalTemperature(int q)
    {
        Require.That(q >= 1, $"a Potts model needs at least one state, got {q}.");
        return 1.0 / Math.Log(1.0 + Math.Sqrt(q));
    }

    /// <summary>T_c of q = 3: 1/ln(1 + √3) = 0.994973 (to six decimals).</summary>
    public const double CriticalTemperatureQ3 = 0.994973;

    /// <summary>T_c of q = 4: 1/ln 3 = 0.910239 (to six decimals).</summary>
    public const double CriticalTemperatureQ4 = 0.910239;

    /// <summary>
    /// Energy per site at T_c on the infinite lattice, u_c = −J (1 + 1/√q), from self-duality: the internal energy at
    /// the self-dual point is fixed by the duality relation alone (Baxter, J. Phys. C 6, L445 (1973); Wu, Rev. Mod. Phys. 54, 235 (1982), §IV; for q = 2 it is the
    /// Ising value −√2 of two bonds per site, shifted and halved).
    /// </summary>
    public static double CriticalEnergyPerSite(int q)
    {
        Require.That(q >= 1, $"a Potts model needs at least one state, got {q}.");
        return -(1.0 + 1.0 / Math.Sqrt(q));
    }

    /// <summary>
    /// Correlation-length exponent ν of the critical Potts model, q = 2, 3, 4: 1, 5/6, 2/3 (den Nijs, J. Phys. A 12,
    /// 1857 (1979); Nienhuis, J. Stat. Phys. 34, 731 (1984); q = 4 with multiplicative logarithmic corrections).
    /// </summary>
    public static double Nu(int q) => q switch
    {
        2 => 1.0,
        3 => 5.0 / 6.0,
        4 => 2.0 / 3.0,
        _ => throw new ArgumentOutOfRangeException(nameof(q), q, "the transition is continuous for q = 2, 3, 4 only."),
    };

    /// <summary>
    /// Magnetic eigenvalue exponent y_h = 2 − β/ν, q = 2, 3, 4: 15/8, 28/15, 15/8 (Nienhuis, Riedel &amp; Schick,
    /// J. Phys. A 13, L189 (1980); Nienhuis 1984).
    /// </summary>
    public static double MagneticExponent(int q) => q switch
    {
        2 => 15.0 / 8.0,
        3 => 28.0 / 15.0,
        4 => 15.0 / 8.0,
        _ => throw new ArgumentOutOfRangeException(nameof(q), q, "the transition is continuous for q = 2, 3, 4 only."),
    };

    /// <summary>Thermal eigenvalue exponent y_t = 1/ν.</summary>
    public static double ThermalExponent(int q) => 1.0 / Nu(q);
}
