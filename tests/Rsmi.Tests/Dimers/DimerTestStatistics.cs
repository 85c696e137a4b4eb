namespace Rsmi.Tests.Dimers;

/// <summary>Small statistics used by the dimer tests.</summary>
internal static class DimerTestStatistics
{
    /// <summary>Pearson χ² of observed counts against expected probabilities (all expectations here are ≥ 5) and its upper-tail p-value.</summary>
    public static (double Chi2, int Dof, double PValue) GoodnessOfFit(long[] observed, double[] probabilities)
    {
        long n = observed.Sum();
        double chi2 = 0;
        for (int k = 0; k < observed.Length; k++)
        {
            double e = n * probabilities[k];
            Assert.True(e >= 5, $"bin {k} expects only {e:F1} counts; the test needs more samples.");
            chi2 += (observed[k] - e) * (observed[k] - e) / e;
        }
        int dof = observed.Length - 1;
        return (chi2, dof, 1 - MathNet.Numerics.Distributions.ChiSquared.CDF(dof, chi2));
    }

    /// <summary>Mean and its standard error from 32 block averages (blocks long compared with the autocorrelation time).</summary>
    public static (double Mean, double Error) MeanAndError(IReadOnlyList<double> series)
    {
        const int blocks = 32;
        int size = series.Count / blocks;
        Assert.True(size >= 4, "series too short for block averaging");
        var means = new double[blocks];
        for (int b = 0; b < blocks; b++)
        {
            double s = 0;
            for (int k = b * size; k < (b + 1) * size; k++) s += series[k];
            means[b] = s / size;
        }
        double mean = means.Average();
        double variance = means.Sum(m => (m - mean) * (m - mean)) / (blocks - 1);
        return (mean, Math.Sqrt(variance / blocks));
    }
}
