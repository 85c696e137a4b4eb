using Rsmi.Random;

namespace Rsmi.Statistics;

/// <summary>
/// Seeded (moving-)block bootstrap of a function of means (Efron &amp; Tibshirani 1993; Künsch 1989 for
/// blocks): <c>resamples</c> times, N/ℓ blocks of ℓ consecutive values are drawn with replacement and f is
/// evaluated on the resampled means; the error is the standard deviation of those values. Block length ℓ
/// should exceed the autocorrelation time (ℓ = 1 for independent data). Reproducible: the draws come from
/// <see cref="RandomStreams.Create"/>(seed, 0, "bootstrap").
/// </summary>
public static class Bootstrap
{
    /// <summary>
    /// f of the means of <paramref name="series"/> (equal lengths N ≥ <paramref name="blockLength"/>) with the
    /// bootstrap standard error from <paramref name="resamples"/> (≥ 2) resamples.
    /// </summary>
    public static Estimate Analyse(IReadOnlyList<double[]> series, Func<double[], double> function, int resamples, ulong seed, int blockLength = 1)
        => AnalyseDistribution(series, function, resamples, seed, blockLength, out _);

    /// <summary>As <see cref="Analyse(IReadOnlyList{double[]}, Func{double[], double}, int, ulong, int)"/>, also returning the resampled values of f (for percentile intervals).</summary>
    public static Estimate AnalyseDistribution(IReadOnlyList<double[]> series, Func<double[], double> function, int resamples, ulong seed, int blockLength, out double[] replicates)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(function);
        if (series.Count == 0) throw new ArgumentException("at least one series is needed.", nameof(series));
        int n = series[0].Length;
        foreach (var s in series) if (s.Length != n) throw new ArgumentException("all series must have the same length.", nameof(series));
        if (resamples < 2) throw new ArgumentOutOfRangeException(nameof(resamples), "at least two resamples are needed.");
        if (blockLength < 1 || blockLength > n) throw new ArgumentOutOfRangeException(nameof(blockLength), $"the block length must be in [1, {n}].");
        int m = series.Count;
        var means = new double[m];
        for (int a = 0; a < m; a++) means[a] = series[a].Average();
        double fAll = function((double[])means.Clone());

        var rng = RandomStreams.Create(seed, 0, "bootstrap");
        int starts = n - blockLength + 1;
        int blocksPerResample = n / blockLength;
        int used = blocksPerResample * blockLength;
        replicates = new double[resamples];
        var acc = new MomentAccumulator();
        for (int r = 0; r < resamples; r++)
        {
            Array.Clear(means);
            for (int b = 0; b < blocksPerResample; b++)
            {
                int start = rng.NextInt(starts);
                for (int a = 0; a < m; a++)
                {
                    var s = series[a];
                    double sum = 0;
                    for (int i = start; i < start + blockLength; i++) sum += s[i];
                    means[a] += sum;
                }
            }
            for (int a = 0; a < m; a++) means[a] /= used;
            replicates[r] = function(means);
            acc.Add(replicates[r]);
        }
        return new Estimate(fAll, acc.StandardDeviation);
    }
}
