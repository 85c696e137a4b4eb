using Rsmi.Exact;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Sampling;

namespace Rsmi.Tests.Models.Ising;

/// <summary>Exact (E, |M|) distributions of tiny systems for χ² tests of the samplers.</summary>
internal static class SamplingTestSupport
{
    /// <summary>Exact (E, |M|) probabilities on a torus or ring from <see cref="IsingEnumeration"/>.</summary>
    public static Dictionary<(int E, int AbsM), double> JointDistribution(IsingEnumeration system, double temperature)
    {
        var p = system.BoltzmannProbabilities(temperature);
        var bins = new Dictionary<(int, int), double>();
        for (int c = 0; c < p.Length; c++)
        {
            var key = (system.Energy(c), Math.Abs(system.Magnetisation(c)));
            bins[key] = bins.GetValueOrDefault(key) + p[c];
        }
        return bins;
    }

    /// <summary>
    /// (E, |M|) probabilities by brute force over all 2^N configurations with energy function
    /// <paramref name="energy"/>: used for the open chain, which <see cref="IsingEnumeration"/> does not cover.
    /// </summary>
    public static Dictionary<(int E, int AbsM), double> JointDistribution(int sites, double temperature, Func<sbyte[], int> energy)
    {
        var weights = new Dictionary<(int, int), double>();
        var s = new sbyte[sites];
        // Shift energies by the ground-state bound (−2N) to keep the weights finite.
        double k = 1.0 / temperature;
        for (long c = 0; c < 1L << sites; c++)
        {
            int m = 0;
            for (int i = 0; i < sites; i++) { s[i] = ((c >> i) & 1) == 0 ? (sbyte)1 : (sbyte)-1; m += s[i]; }
            var key = (energy(s), Math.Abs(m));
            weights[key] = weights.GetValueOrDefault(key) + Math.Exp(-k * (key.Item1 + 2 * sites));
        }
        double z = weights.Values.Sum();
        return weights.ToDictionary(p => p.Key, p => p.Value / z);
    }

    public static int Energy2D(sbyte[] s, int l) => (int)Math.Round(IsingEnergy.PerSite2D(s, l, l) * l * l);
    public static int Energy1D(sbyte[] s, bool periodic) => (int)Math.Round(IsingEnergy.PerSite1D(s, periodic) * s.Length);

    /// <summary>Lag-1 autocorrelation of a series (≈ N(0, 1/n) for independent draws).</summary>
    public static double LagOneCorrelation(IReadOnlyList<double> x)
    {
        double mean = x.Average(), c0 = 0, c1 = 0;
        for (int i = 0; i < x.Count; i++) c0 += (x[i] - mean) * (x[i] - mean);
        for (int i = 0; i + 1 < x.Count; i++) c1 += (x[i] - mean) * (x[i + 1] - mean);
        return c0 == 0 ? 0 : c1 / c0;
    }

}
