namespace Rsmi.Statistics;

/// <summary>
/// Delete-one-block jackknife for a (non-linear) function of means, e.g. the specific heat
/// K²(⟨E²⟩ − ⟨E⟩²) or a Binder cumulant (Efron 1982; Berg, "Markov chain Monte Carlo simulations and
/// their statistical analysis", §2.7). The series are cut into <c>blocks</c> consecutive blocks (longer than
/// the autocorrelation time, so that block means are nearly independent); f is evaluated on the means with
/// one block left out, f_b, and σ_f² = (B − 1)/B · Σ_b (f_b − f̄)².
/// </summary>
public static class Jackknife
{
    /// <summary>
    /// f of the means of <paramref name="series"/> (one or more series of equal length N ≥ <paramref name="blocks"/>,
    /// in chain order) with its jackknife error from <paramref name="blocks"/> (≥ 2) blocks. With
    /// <paramref name="biasCorrected"/> the value is B f(all) − (B − 1) f̄ (removes the O(1/N) bias);
    /// otherwise f(all). The trailing N mod B values are not used in the error (they are in f(all)).
    /// </summary>
    public static Estimate Analyse(IReadOnlyList<double[]> series, Func<double[], double> function, int blocks = 64, bool biasCorrected = false)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(function);
        if (series.Count == 0) throw new ArgumentException("at least one series is needed.", nameof(series));
        int n = series[0].Length;
        foreach (var s in series) if (s.Length != n) throw new ArgumentException("all series must have the same length.", nameof(series));
        if (blocks < 2 || blocks > n) throw new ArgumentOutOfRangeException(nameof(blocks), $"the number of blocks must be in [2, {n}].");
        int m = series.Count;
        int blockLength = n / blocks;
        int used = blockLength * blocks;

        var blockSums = new double[m, blocks];
        var totals = new double[m];
        var fullMeans = new double[m];
        for (int a = 0; a < m; a++)
        {
            var s = series[a];
            double total = 0;
            for (int b = 0; b < blocks; b++)
            {
                double bs = 0;
                for (int i = b * blockLength; i < (b + 1) * blockLength; i++) bs += s[i];
                blockSums[a, b] = bs;
                total += bs;
            }
            totals[a] = total;
            double all = total;
            for (int i = used; i < n; i++) all += s[i];
            fullMeans[a] = all / n;
        }
        double fAll = function((double[])fullMeans.Clone());
        var fb = new double[blocks];
        var means = new double[m];
        for (int b = 0; b < blocks; b++)
        {
            for (int a = 0; a < m; a++) means[a] = (totals[a] - blockSums[a, b]) / (used - blockLength);
            fb[b] = function(means);
        }
        double fBar = fb.Average();
        double ss = 0;
        foreach (double f in fb) ss += (f - fBar) * (f - fBar);
        double err = Math.Sqrt((blocks - 1.0) / blocks * ss);
        double value = biasCorrected ? blocks * fAll - (blocks - 1) * fBar : fAll;
        return new Estimate(value, err);
    }

    /// <summary>Jackknife of a function of the mean of a single series.</summary>
    public static Estimate Analyse(double[] series, Func<double, double> function, int blocks = 64, bool biasCorrected = false)
        => Analyse(new[] { series }, m => function(m[0]), blocks, biasCorrected);

    /// <summary>
    /// Delete-one-block jackknife (Efron; Quenouille–Tukey): the samples are split into B contiguous blocks; θ_b is
    /// the estimate without block b; error² = (B−1)/B Σ_b (θ_b − θ̄)². The reported value is the full-sample estimate.
    /// Contiguous blocks absorb residual autocorrelation between successive samples of a chain.
    /// Jackknife of a vector of estimates: <paramref name="estimator"/>(−1) is the full-sample estimate and
    /// <paramref name="estimator"/>(b) the estimate without block b (0 ≤ b &lt; <paramref name="blocks"/>, blocks ≥ 2).
    /// Replicates that are not finite are skipped (and reduce B).
    /// </summary>
    public static Estimate[] Estimate(int blocks, Func<int, double[]> estimator)
    {
        double[] full = estimator(-1);
        var replicates = new double[blocks][];
        Parallel.For(0, blocks, b => replicates[b] = estimator(b));
        var result = new Estimate[full.Length];
        for (int k = 0; k < full.Length; k++)
        {
            var good = replicates.Select(r => r[k]).Where(double.IsFinite).ToArray();
            if (good.Length < 2 || !double.IsFinite(full[k])) { result[k] = new(full[k], double.NaN); continue; }
            double mean = good.Average();
            double ss = good.Sum(v => (v - mean) * (v - mean));
            result[k] = new(full[k], Math.Sqrt((good.Length - 1.0) / good.Length * ss));
        }
        return result;
    }

    /// <summary>The range [start, end) of block <paramref name="b"/> when <paramref name="count"/> items are split into <paramref name="blocks"/> contiguous blocks.</summary>
    public static (int Start, int End) Range(int count, int blocks, int b) => ((int)((long)count * b / blocks), (int)((long)count * (b + 1) / blocks));
}
