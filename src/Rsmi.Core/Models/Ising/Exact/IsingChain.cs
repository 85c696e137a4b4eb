using Rsmi.Exact;
namespace Rsmi.Models.Ising.Exact;

/// <summary>
/// The one-dimensional Ising model H = −Σ s_i s_{i+1} (J = 1, K = 1/T, t = tanh K), solved by the transfer
/// matrix (Ising 1925; docs/references.md, "Ising chain"). Open chain of N sites: N − 1 bonds; ring: N bonds.
/// </summary>
public static class IsingChain
{
    /// <summary>tanh K = tanh(1/T). T finite and positive.</summary>
    public static double BondTanh(double temperature)
    {
        Ising2D.RequireTemperature(temperature);
        return Math.Tanh(1.0 / temperature);
    }

    /// <summary>
    /// Probability that s_{i+1} = s_i in an open chain, (1 + t)/2: the open chain is a Markov chain in space, which
    /// gives exact independent samples.
    /// </summary>
    public static double SameSpinProbability(double temperature) => 0.5 * (1 + BondTanh(temperature));

    /// <summary>⟨s_i s_{i+r}⟩ = t^r on an open chain (any N, sites i and i + r inside it) or an infinite chain; r ≥ 0.</summary>
    public static double OpenCorrelation(int r, double temperature)
    {
        Require.NonNegative(r, "distance");
        return Math.Pow(BondTanh(temperature), r);
    }

    /// <summary>⟨s_i s_{i+r}⟩ = (t^r + t^{N−r}) / (1 + t^N) on a ring of N ≥ 2 sites, 0 ≤ r ≤ N.</summary>
    public static double RingCorrelation(int n, int r, double temperature)
    {
        Require.That(n >= 2, $"ring length must be at least 2, got {n}.");
        Require.That(r >= 0 && r <= n, $"distance must be in [0, {n}], got {r}.");
        double t = BondTanh(temperature);
        return (Math.Pow(t, r) + Math.Pow(t, n - r)) / (1 + Math.Pow(t, n));
    }

    /// <summary>Energy per bond of an open (or infinite) chain, −t.</summary>
    public static double OpenEnergyPerBond(double temperature) => -BondTanh(temperature);

    /// <summary>Energy per site of an open chain of N ≥ 2 sites, −(N − 1) t / N.</summary>
    public static double OpenEnergyPerSite(int n, double temperature)
    {
        Require.That(n >= 2, $"chain length must be at least 2, got {n}.");
        return -(n - 1) * BondTanh(temperature) / n;
    }

    /// <summary>Energy per site (= per bond) of a ring of N ≥ 2 sites, −(t + t^{N−1}) / (1 + t^N).</summary>
    public static double RingEnergyPerSite(int n, double temperature) => -RingCorrelation(n, 1, temperature);

    /// <summary>ln Z of an open chain of N ≥ 1 sites: ln 2 + (N − 1) ln(2 cosh K). K finite and positive.</summary>
    public static double OpenLogPartitionFunction(int n, double coupling)
    {
        Require.Positive(n, "chain length");
        Require.Positive(coupling, "coupling");
        return Math.Log(2) + (n - 1) * Math.Log(2 * Math.Cosh(coupling));
    }

    /// <summary>ln Z of a ring of N ≥ 2 sites: ln[(2 cosh K)^N + (2 sinh K)^N] (the two transfer-matrix eigenvalues).</summary>
    public static double RingLogPartitionFunction(int n, double coupling)
    {
        Require.That(n >= 2, $"ring length must be at least 2, got {n}.");
        Require.Positive(coupling, "coupling");
        double lc = n * Math.Log(2 * Math.Cosh(coupling));
        return lc + Accurate.Log1P(Math.Pow(Math.Tanh(coupling), n));
    }

    /// <summary>Correlation length of the infinite chain, ξ = −1/ln tanh K (⟨s_0 s_r⟩ = e^{−r/ξ}).</summary>
    public static double CorrelationLength(double temperature) => -1.0 / Math.Log(BondTanh(temperature));
}
