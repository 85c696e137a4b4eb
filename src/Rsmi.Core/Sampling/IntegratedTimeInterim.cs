namespace Rsmi.Sampling;

/// <summary>
/// Integrated autocorrelation time with Sokal's automatic window (τ_int = ½ + Σ_{t=1}^{M} ρ(t), smallest M with
/// M ≥ c·τ_int(M), c = 6; error τ·√(2(2M+1)/N)). Used by <see cref="SampleCollector"/> until the statistics
/// library's <c>Rsmi.Statistics.AutoCorrelation</c> is available to this assembly; it will then be removed.
/// </summary>
internal static class IntegratedTimeInterim
{
    public static (double Tau, double Error, int Window) Estimate(ReadOnlySpan<double> series)
    {
        int n = series.Length;
        if (n < 2) return (0.5, 0, 0);
        double mean = 0;
        foreach (double v in series) mean += v;
        mean /= n;
        double c0 = 0;
        foreach (double v in series) c0 += (v - mean) * (v - mean);
        c0 /= n;
        if (c0 <= 0) return (0.5, 0, 0);
        double tau = 0.5;
        int m = 1;
        for (; m < n / 2; m++)
        {
            double c = 0;
            for (int i = 0; i + m < n; i++) c += (series[i] - mean) * (series[i + m] - mean);
            tau += c / n / c0;
            if (m >= 6.0 * tau) break;
        }
        tau = Math.Max(tau, 0.5);
        return (tau, tau * Math.Sqrt(2.0 * (2 * m + 1) / n), m);
    }
}
