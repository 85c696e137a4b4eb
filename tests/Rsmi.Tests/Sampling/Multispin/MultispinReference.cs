using MathNet.Numerics;

namespace Rsmi.Tests.Sampling.Multispin;

/// <summary>
/// Exact references used by the multispin tests: brute-force enumeration of small tori and Kaufman's
/// finite-L partition function (Phys. Rev. 76, 1232 (1949); references.md), plus Pearson's χ² test.
/// </summary>
internal static class MultispinReference
{
    public static readonly double CriticalTemperature = 2.0 / Math.Log(1 + Math.Sqrt(2));

    /// <summary>Boltzmann probability of every (anti-aligned bonds, up spins) pair on the L×L torus, L ≤ 4,
    /// indexed [anti · (N + 1) + up].</summary>
    public static double[] JointDistribution(int l, double temperature)
    {
        int n = l * l, bonds = 2 * n;
        var weight = new double[(bonds + 1) * (n + 1)];
        for (int config = 0; config < 1 << n; config++)
        {
            int anti = 0;
            for (int y = 0; y < l; y++)
            for (int x = 0; x < l; x++)
            {
                int i = y * l + x;
                int s = (config >> i) & 1;
                anti += s ^ ((config >> (y * l + (x + 1) % l)) & 1);
                anti += s ^ ((config >> (((y + 1) % l) * l + x)) & 1);
            }
            int up = System.Numerics.BitOperations.PopCount((uint)config);
            double energy = -(bonds - 2.0 * anti);
            weight[anti * (n + 1) + up] += Math.Exp(-energy / temperature);
        }
        double z = weight.Sum();
        for (int i = 0; i < weight.Length; i++) weight[i] /= z;
        return weight;
    }

    /// <summary>Pearson χ² p-value of <paramref name="observed"/> against <paramref name="probabilities"/>, pooling
    /// bins (in order of increasing expectation) until each holds at least 5 expected counts; zero-probability
    /// bins must be empty.</summary>
    public static (double Chi2, int Dof, double PValue) ChiSquare(long[] observed, double[] probabilities)
    {
        long total = observed.Sum();
        for (int i = 0; i < observed.Length; i++)
            if (probabilities[i] == 0 && observed[i] > 0) return (double.PositiveInfinity, 0, 0);
        var order = Enumerable.Range(0, observed.Length).Where(i => probabilities[i] > 0).OrderBy(i => probabilities[i]).ToList();
        var pools = new List<(double Expected, long Observed)>();
        double e = 0; long o = 0;
        foreach (int i in order)
        {
            e += probabilities[i] * total; o += observed[i];
            if (e >= 5) { pools.Add((e, o)); e = 0; o = 0; }
        }
        if (e > 0)
        {
            if (pools.Count == 0) pools.Add((e, o));
            else { var last = pools[^1]; pools[^1] = (last.Expected + e, last.Observed + o); }
        }
        double chi2 = pools.Sum(p => (p.Observed - p.Expected) * (p.Observed - p.Expected) / p.Expected);
        int dof = pools.Count - 1;
        return (chi2, dof, SpecialFunctions.GammaUpperRegularized(0.5 * dof, 0.5 * chi2));
    }

    /// <summary>ln Z of the L×L torus at coupling K (Kaufman), in log space with the signs of the four terms.</summary>
    public static double KaufmanLogZ(int l, double k)
    {
        double c = Math.Cosh(2 * k) / Math.Tanh(2 * k);
        double Gamma(int q) => q == 0 ? 2 * (k - 0.5 * Math.Log(1 / Math.Tanh(k))) : Math.Acosh(c - Math.Cos(Math.PI * q / l));
        // Each product Π_r 2cosh(Lγ/2) or Π_r 2sinh(Lγ/2) as (log|value|, sign).
        (double Log, int Sign) Product(int offset, bool cosh)
        {
            double log = 0; int sign = 1;
            for (int r = 0; r < l; r++)
            {
                double x = l * Gamma(2 * r + offset) / 2;
                double ax = Math.Abs(x);
                if (cosh) log += ax + Math.Log(1 + Math.Exp(-2 * ax));
                else
                {
                    if (x == 0) return (double.NegativeInfinity, 0);
                    log += ax + Math.Log(1 - Math.Exp(-2 * ax));
                    if (x < 0) sign = -sign;
                }
            }
            return (log, sign);
        }
        var terms = new[] { Product(1, true), Product(1, false), Product(0, true), Product(0, false) };
        double max = terms.Where(t => t.Sign != 0).Max(t => t.Log);
        double sum = terms.Where(t => t.Sign != 0).Sum(t => t.Sign * Math.Exp(t.Log - max));
        return -Math.Log(2) + 0.5 * l * l * Math.Log(2 * Math.Sinh(2 * k)) + max + Math.Log(sum);
    }

    /// <summary>Energy per site u = −(1/N) ∂ln Z/∂K of the L×L torus at temperature T (five-point derivative).</summary>
    public static double KaufmanEnergyPerSite(int l, double temperature)
    {
        double k = 1 / temperature, h = 1e-4;
        double d = (-KaufmanLogZ(l, k + 2 * h) + 8 * KaufmanLogZ(l, k + h) - 8 * KaufmanLogZ(l, k - h) + KaufmanLogZ(l, k - 2 * h)) / (12 * h);
        return -d / (l * l);
    }

    /// <summary>Mean and standard error of independent values.</summary>
    public static (double Mean, double Error) MeanAndError(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return (mean, Math.Sqrt(variance / values.Count));
    }

    /// <summary>Standard error of the mean of a correlated series by blocking: the largest error over block
    /// sizes 2^k that still leave at least 32 blocks (the plateau estimate, conservative).</summary>
    public static double BlockedError(IReadOnlyList<double> series)
    {
        double best = 0;
        for (int block = 1; series.Count / block >= 32; block *= 2)
        {
            int blocks = series.Count / block;
            var means = new double[blocks];
            for (int b = 0; b < blocks; b++)
            {
                double s = 0;
                for (int i = 0; i < block; i++) s += series[b * block + i];
                means[b] = s / block;
            }
            best = Math.Max(best, MeanAndError(means).Error);
        }
        return best;
    }
}
