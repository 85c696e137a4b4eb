using MathNet.Numerics.Distributions;
using Rsmi.Sampling;

namespace Rsmi.Tests.Sampling;

/// <summary>
/// Exact Boltzmann distributions of tiny systems by brute-force enumeration, and a χ² goodness-of-fit test
/// with pooling of bins whose expectation is below 5. The enumeration is itself checked against the 4×4
/// density of states in references.md (<see cref="SamplingSupportTests"/>).
/// </summary>
internal static class SamplingTestSupport
{
    /// <summary>Bins of (E, |M|) with exact probabilities for a configuration space enumerated by <paramref name="energy"/>.</summary>
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

    /// <summary>χ² statistic, degrees of freedom and p-value after pooling the bins with expectation &lt; 5 into one.</summary>
    public static (double Chi2, int Dof, double PValue) GoodnessOfFit(long[] observed, double[] probabilities)
    {
        long n = observed.Sum();
        var bins = new List<(double Expected, long Observed)>();
        double pooledE = 0; long pooledO = 0;
        for (int i = 0; i < observed.Length; i++)
        {
            double e = n * probabilities[i];
            if (e < 5) { pooledE += e; pooledO += observed[i]; }
            else bins.Add((e, observed[i]));
        }
        if (pooledE > 0)
        {
            if (pooledE >= 5 || bins.Count == 0) bins.Add((pooledE, pooledO));
            else
            {
                // Merge the small pool into the smallest regular bin.
                int smallest = bins.IndexOf(bins.MinBy(b => b.Expected));
                bins[smallest] = (bins[smallest].Expected + pooledE, bins[smallest].Observed + pooledO);
            }
        }
        double chi2 = bins.Sum(b => (b.Observed - b.Expected) * (b.Observed - b.Expected) / b.Expected);
        int dof = bins.Count - 1;
        return (chi2, dof, dof > 0 ? 1.0 - ChiSquared.CDF(dof, chi2) : 1.0);
    }

    /// <summary>Lag-1 autocorrelation of a series (≈ N(0, 1/n) for independent draws).</summary>
    public static double LagOneCorrelation(IReadOnlyList<double> x)
    {
        double mean = x.Average(), c0 = 0, c1 = 0;
        for (int i = 0; i < x.Count; i++) c0 += (x[i] - mean) * (x[i] - mean);
        for (int i = 0; i + 1 < x.Count; i++) c1 += (x[i] - mean) * (x[i + 1] - mean);
        return c0 == 0 ? 0 : c1 / c0;
    }

    /// <summary>Mean and binned standard error: bins doubled until the error estimate stops growing (or 32 bins remain).</summary>
    public static (double Mean, double Error) BinnedMean(IReadOnlyList<double> x)
    {
        double mean = x.Average();
        var values = x.ToArray();
        double best = 0;
        while (values.Length >= 32)
        {
            double var = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
            best = Math.Max(best, Math.Sqrt(var / values.Length));
            var next = new double[values.Length / 2];
            for (int i = 0; i < next.Length; i++) next[i] = 0.5 * (values[2 * i] + values[2 * i + 1]);
            values = next;
        }
        return (mean, best);
    }
}
