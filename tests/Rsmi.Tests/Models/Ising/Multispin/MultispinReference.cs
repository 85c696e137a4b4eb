using Rsmi.Exact;
using Rsmi.Models.Ising.Exact;

namespace Rsmi.Tests.Models.Ising.Multispin;

/// <summary>Exact references for the multispin tests, from <see cref="IsingEnumeration"/>.</summary>
internal static class MultispinReference
{
    public static readonly double CriticalTemperature = Ising2D.CriticalTemperature;

    /// <summary>Boltzmann probability of every (anti-aligned bonds, up spins) pair on the L×L torus (L ≤ 4), indexed
    /// [anti · (N + 1) + up], from exact enumeration.</summary>
    public static double[] JointDistribution(int l, double temperature)
    {
        var torus = IsingEnumeration.Torus(l);
        int n = torus.Sites, bonds = torus.Bonds;
        var weight = new double[(bonds + 1) * (n + 1)];
        var energies = torus.Energies;
        for (int c = 0; c < torus.ConfigurationCount; c++)
        {
            int anti = (energies[c] + bonds) / 2;                              // E = −(bonds − 2·anti)
            int up = n - System.Numerics.BitOperations.PopCount((uint)c);      // bit set ⇔ spin −1
            weight[anti * (n + 1) + up] += Math.Exp(-energies[c] / temperature);
        }
        double z = weight.Sum();
        for (int i = 0; i < weight.Length; i++) weight[i] /= z;
        return weight;
    }

    /// <summary>Mean and standard error of independent values.</summary>
    public static (double Mean, double Error) MeanAndError(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return (mean, Math.Sqrt(variance / values.Count));
    }
}
