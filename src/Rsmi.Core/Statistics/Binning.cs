namespace Rsmi.Statistics;

/// <summary>One level of a binning analysis: bins of <see cref="BinSize"/> consecutive values.</summary>
/// <param name="BinSize">Consecutive values averaged into one bin (2^level).</param>
/// <param name="Bins">Number of bins at this level.</param>
/// <param name="Error">Standard error of the mean computed from the bin means as if they were independent.</param>
/// <param name="ErrorOfError">Statistical uncertainty of <see cref="Error"/>, Error / sqrt(2 (Bins − 1)).</param>
public readonly record struct BinningLevel(int BinSize, int Bins, double Error, double ErrorOfError);

/// <summary>The full result of <see cref="Binning.AnalyseDetailed"/>.</summary>
/// <param name="Mean">The mean of the series with its error bar from the plateau.</param>
/// <param name="ErrorOfError">Uncertainty of the error bar.</param>
/// <param name="Levels">The binned-error curve, level 0 (no binning) first.</param>
/// <param name="PlateauLevel">Index into <see cref="Levels"/> where the plateau starts.</param>
/// <param name="Converged">False when the curve never flattened: the error bar is then a lower bound (the series is too short for its autocorrelation time).</param>
public sealed record BinningResult(Estimate Mean, double ErrorOfError, BinningLevel[] Levels, int PlateauLevel, bool Converged)
{
    /// <summary>
    /// Integrated autocorrelation time implied by the plateau, τ_int = ½ (σ_plateau / σ_0)², σ_0 the naive
    /// error (Ambegaokar &amp; Troyer 2010, eq. 8). NaN for a constant series.
    /// </summary>
    public double IntegratedTime => 0.5 * Math.Pow(Mean.Error / Levels[0].Error, 2);
}

/// <summary>
/// Binning (blocking) analysis of the error of the mean of a correlated series (Flyvbjerg &amp; Petersen 1989):
/// values are averaged in bins of 2^k consecutive values; the naive standard error of the bin means grows
/// with k and saturates at the true error of the mean once bins are much longer than the autocorrelation
/// time. Values must be in chain order.
/// </summary>
public static class Binning
{
    /// <summary>Levels with fewer bins than this are not used (their error bar is too noisy).</summary>
    public const int MinBins = 32;

    /// <summary>The plateau starts where the bin size exceeds this many (excess) autocorrelation times.</summary>
    public const double PlateauBinFactor = 32.0;

    /// <summary>Mean of <paramref name="series"/> (at least 2 values) with its error from the binning plateau.</summary>
    public static Estimate Analyse(ReadOnlySpan<double> series) => AnalyseDetailed(series).Mean;

    /// <summary>
    /// The binned-error curve: errors for bin sizes 1, 2, 4, … while at least <see cref="MinBins"/> bins remain
    /// (always at least level 0). <paramref name="series"/> needs at least 2 values.
    /// </summary>
    public static BinningLevel[] Curve(ReadOnlySpan<double> series)
    {
        if (series.Length < 2) throw new ArgumentException("a binning analysis needs at least two values.", nameof(series));
        var levels = new List<BinningLevel>();
        // Work on a copy of the bin means, halved in place at each level.
        double[] bins = series.ToArray();
        int n = bins.Length;
        int binSize = 1;
        while (true)
        {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += bins[i];
            mean /= n;
            double ss = 0;
            for (int i = 0; i < n; i++) { double d = bins[i] - mean; ss += d * d; }
            double err = Math.Sqrt(ss / ((double)n * (n - 1)));
            levels.Add(new BinningLevel(binSize, n, err, err / Math.Sqrt(2.0 * (n - 1))));
            int next = n / 2;
            if (next < MinBins) break;
            for (int i = 0; i < next; i++) bins[i] = 0.5 * (bins[2 * i] + bins[2 * i + 1]);
            n = next;
            binSize *= 2;
        }
        return levels.ToArray();
    }

    /// <summary>
    /// Binning analysis with the curve and the plateau. Level k (bin size b = 2^k) underestimates the squared
    /// error by a relative amount ≈ 2(τ − ½)/b for exponentially decaying correlations (for AR(1) exactly
    /// 2φ(1 − φ^b)/(b(1 − φ²))), so the plateau is taken to start at the first level whose bin size is at least
    /// <see cref="PlateauBinFactor"/> times the excess autocorrelation time τ_{k+2} − ½ seen two levels further,
    /// τ_j = ½ (σ_j/σ_0)², and also at least (τ_{k+2} − ½)/r_k with r_k = δσ_k/σ_k the relative statistical
    /// error of σ_k (the bias of the error bar, ≈ (τ − ½)/b, is then below both 1/<see cref="PlateauBinFactor"/> ≈ 3%
    /// and the statistical error of the error bar); the error is
    /// the inverse-variance weighted mean of σ_k, σ_{k+1}, σ_{k+2}. If no level with at least
    /// <see cref="MinBins"/> bins qualifies, the last level is used and <see cref="BinningResult.Converged"/> is
    /// false (the error bar is then too small: the series is too short for its autocorrelation time).
    /// <paramref name="series"/> needs at least 2 values.
    /// </summary>
    public static BinningResult AnalyseDetailed(ReadOnlySpan<double> series)
    {
        var levels = Curve(series);
        double mean = 0;
        foreach (double x in series) mean += x;
        mean /= series.Length;

        int last = levels.Length - 1;
        int plateau = last;
        bool converged = false;
        for (int k = 0; k <= last; k++)
        {
            double excessTau = 0.5 * Math.Pow(levels[Math.Min(k + 2, last)].Error / levels[0].Error, 2) - 0.5;
            double relativeErrorOfError = levels[k].ErrorOfError / levels[k].Error;
            if (levels[k].BinSize >= Math.Max(PlateauBinFactor, 1.0 / relativeErrorOfError) * excessTau) { plateau = k; converged = true; break; }
        }
        if (levels[0].Error == 0) { plateau = 0; converged = true; }

        double err, errOfErr;
        if (converged && levels[plateau].Error > 0)
        {
            double sw = 0, swx = 0;
            for (int j = plateau; j <= Math.Min(plateau + 2, last); j++)
            {
                double w = 1.0 / (levels[j].ErrorOfError * levels[j].ErrorOfError);
                sw += w; swx += w * levels[j].Error;
            }
            err = swx / sw;
            errOfErr = levels[plateau].ErrorOfError;
        }
        else
        {
            err = levels[plateau].Error;
            errOfErr = levels[plateau].ErrorOfError;
        }
        return new BinningResult(new Estimate(mean, err), errOfErr, levels, plateau, converged);
    }
}
