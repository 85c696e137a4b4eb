namespace Rsmi.Models.Potts.Exact;

/// <summary>
/// Exact enumeration of the q-state Potts model on a small Lx × Ly torus (the 2N bonds of
/// <see cref="PottsEnergy.EqualBonds"/>; q^N configurations, N = Lx·Ly, at most 2^26 of them): the number of
/// configurations g(B, n_max) with B equal-label bonds (energy E = −B) and n_max sites holding the most frequent label.
/// The Boltzmann weight is e^{K B}, K = 1/T; the order parameter m = (q n_max / N − 1)/(q − 1) is a function of n_max.
/// </summary>
public sealed class PottsEnumeration
{
    private readonly Dictionary<(int Bonds, int LargestCount), long> _counts;

    private PottsEnumeration(int lx, int ly, int q, Dictionary<(int, int), long> counts) { Lx = lx; Ly = ly; States = q; _counts = counts; }

    /// <summary>Width.</summary>
    public int Lx { get; }
    /// <summary>Height.</summary>
    public int Ly { get; }
    /// <summary>Number of states q.</summary>
    public int States { get; }
    /// <summary>Degeneracies g(B, n_max); they sum to q^N.</summary>
    public IReadOnlyDictionary<(int Bonds, int LargestCount), long> Counts => _counts;

    /// <summary>Enumerates every configuration of the Lx × Ly torus (sides ≥ 2) with q ≥ 2 labels.</summary>
    public static PottsEnumeration Torus(int lx, int ly, int q)
    {
        Require.That(lx >= 2 && ly >= 2 && q >= 2, $"the torus needs sides of at least 2 and q ≥ 2, got {lx}x{ly}, q = {q}.");
        int n = lx * ly;
        Require.That(n * Math.Log2(q) <= 26, $"{q}^{n} configurations are too many to enumerate.");
        var labels = new sbyte[n];
        var tally = new int[q];
        var counts = new Dictionary<(int, int), long>();
        while (true)
        {
            var key = (PottsEnergy.EqualBonds(labels, lx, ly), PottsOrder.LargestCount(labels, tally));
            counts[key] = counts.GetValueOrDefault(key) + 1;
            int k = 0;
            while (k < n && ++labels[k] == q) labels[k++] = 0;
            if (k == n) break;
        }
        return new PottsEnumeration(lx, ly, q, counts);
    }

    /// <summary>The exact joint distribution P(B, n_max) = g(B, n_max) e^{K B} / Z at temperature T &gt; 0.</summary>
    public Dictionary<(int Bonds, int LargestCount), double> JointDistribution(double temperature)
    {
        Require.Positive(temperature, "temperature");
        double k = 1.0 / temperature;
        int top = _counts.Keys.Max(key => key.Bonds);
        // Weights relative to the largest bond count, so that nothing overflows at low T.
        var weights = _counts.ToDictionary(p => p.Key, p => p.Value * Math.Exp(k * (p.Key.Bonds - top)));
        double z = weights.Values.Sum();
        return weights.ToDictionary(p => p.Key, p => p.Value / z);
    }
}
