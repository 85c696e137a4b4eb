namespace Rsmi.Renormalization;

/// <summary>A value with its one-standard-deviation error bar.</summary>
public readonly record struct RgEstimate(double Value, double Error)
{
    /// <summary>Distance from <paramref name="exact"/> in units of the error bar (∞ when the error is zero and they differ).</summary>
    public double Sigmas(double exact) => Error > 0 ? Math.Abs(Value - exact) / Error : Value == exact ? 0 : double.PositiveInfinity;

    /// <summary>Not a number, for quantities that could not be estimated.</summary>
    public static RgEstimate Undefined => new(double.NaN, double.NaN);

    /// <inheritdoc />
    public override string ToString() => double.IsFinite(Value) ? $"{Value:G6} ± {Error:G2}" : "not estimated (too few starting temperatures or steps, or no crossing)";
}

/// <summary>
/// Delete-one-block jackknife (Efron; Quenouille–Tukey): the samples are split into B contiguous blocks; θ_b is
/// the estimate without block b; error² = (B−1)/B Σ_b (θ_b − θ̄)². The reported value is the full-sample estimate.
/// Contiguous blocks absorb residual autocorrelation between successive samples of a chain.
/// </summary>
public static class BlockJackknife
{
    /// <summary>
    /// Jackknife of a vector of estimates: <paramref name="estimator"/>(−1) is the full-sample estimate and
    /// <paramref name="estimator"/>(b) the estimate without block b (0 ≤ b &lt; <paramref name="blocks"/>, blocks ≥ 2).
    /// Replicates that are not finite are skipped (and reduce B).
    /// </summary>
    public static RgEstimate[] Estimate(int blocks, Func<int, double[]> estimator)
    {
        double[] full = estimator(-1);
        var replicates = new double[blocks][];
        Parallel.For(0, blocks, b => replicates[b] = estimator(b));
        var result = new RgEstimate[full.Length];
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
