using MathNet.Numerics;

namespace Rsmi.Statistics;

/// <summary>Result of Pearson's χ² goodness-of-fit test.</summary>
/// <param name="Chi2">Σ (O − E)²/E over the pooled bins.</param>
/// <param name="Dof">Degrees of freedom: pooled bins − 1 (0 when everything pooled into one bin).</param>
/// <param name="PValue">P(χ²_dof ≥ Chi2); NaN when Dof = 0 (no test is possible), 0 when a bin of zero expectation was observed.</param>
/// <param name="Bins">Number of bins after pooling.</param>
public readonly record struct GoodnessOfFitResult(double Chi2, int Dof, double PValue, int Bins);

/// <summary>Pearson's χ² test of observed counts against exact probabilities.</summary>
public static class ChiSquareTest
{
    /// <summary>Smallest expected count of a bin before it is pooled with others (Cochran's rule).</summary>
    public const double DefaultMinExpected = 5.0;

    /// <summary>
    /// Upper tail probability P(χ²_ν ≥ <paramref name="chi2"/>) = Q(ν/2, χ²/2), the regularised upper
    /// incomplete gamma function. <paramref name="dof"/> ≥ 1, <paramref name="chi2"/> ≥ 0.
    /// </summary>
    public static double PValue(double chi2, int dof)
    {
        if (dof < 1) throw new ArgumentOutOfRangeException(nameof(dof), "the number of degrees of freedom must be at least 1.");
        if (double.IsNaN(chi2) || chi2 < 0) throw new ArgumentOutOfRangeException(nameof(chi2), "χ² must be a non-negative number.");
        if (double.IsPositiveInfinity(chi2)) return 0.0;
        if (chi2 == 0) return 1.0;
        return SpecialFunctions.GammaUpperRegularized(0.5 * dof, 0.5 * chi2);
    }

    /// <summary>
    /// Pearson's χ² test of <paramref name="observed"/> counts (N = Σ observed) against
    /// <paramref name="expectedProbabilities"/> (same length, non-negative, summing to 1 within 1e-9).
    /// Bins whose expected count N p is below <paramref name="minExpected"/> are pooled: bins are taken in
    /// order of increasing expectation (ties by index) and merged until each pool reaches the threshold; a
    /// final under-filled pool is merged into the previous one. Pooling depends only on the expectations, so
    /// the test keeps its nominal size. Bins with p = 0 must be empty, otherwise χ² = ∞ and the p-value is 0.
    /// </summary>
    public static GoodnessOfFitResult GoodnessOfFit(long[] observed, double[] expectedProbabilities, double minExpected = DefaultMinExpected)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(expectedProbabilities);
        if (observed.Length != expectedProbabilities.Length)
            throw new ArgumentException($"observed has {observed.Length} bins but the expectation has {expectedProbabilities.Length}.");
        if (observed.Length == 0) throw new ArgumentException("at least one bin is needed.", nameof(observed));
        double psum = 0;
        long total = 0;
        for (int i = 0; i < observed.Length; i++)
        {
            if (observed[i] < 0) throw new ArgumentException("observed counts must be non-negative.", nameof(observed));
            if (!(expectedProbabilities[i] >= 0)) throw new ArgumentException("probabilities must be non-negative.", nameof(expectedProbabilities));
            psum += expectedProbabilities[i];
            total += observed[i];
        }
        if (Math.Abs(psum - 1) > 1e-9) throw new ArgumentException($"probabilities must sum to 1, got {psum:R}.", nameof(expectedProbabilities));
        if (total == 0) throw new ArgumentException("no observations.", nameof(observed));

        // Bins of zero probability: any observation there refutes the distribution outright.
        var order = new List<int>(observed.Length);
        for (int i = 0; i < observed.Length; i++)
        {
            if (expectedProbabilities[i] == 0)
            {
                if (observed[i] > 0) return new GoodnessOfFitResult(double.PositiveInfinity, Math.Max(1, observed.Length - 1), 0.0, observed.Length);
                continue;
            }
            order.Add(i);
        }
        order.Sort((a, b) => expectedProbabilities[a] != expectedProbabilities[b] ? expectedProbabilities[a].CompareTo(expectedProbabilities[b]) : a.CompareTo(b));

        var pooledExpected = new List<double>();
        var pooledObserved = new List<long>();
        double e = 0; long o = 0; bool open = false;
        foreach (int i in order)
        {
            e += total * expectedProbabilities[i];
            o += observed[i];
            open = true;
            if (e >= minExpected) { pooledExpected.Add(e); pooledObserved.Add(o); e = 0; o = 0; open = false; }
        }
        if (open)
        {
            if (pooledExpected.Count == 0) { pooledExpected.Add(e); pooledObserved.Add(o); }
            else { pooledExpected[^1] += e; pooledObserved[^1] += o; }
        }
        double chi2 = 0;
        for (int b = 0; b < pooledExpected.Count; b++)
        {
            double d = pooledObserved[b] - pooledExpected[b];
            chi2 += d * d / pooledExpected[b];
        }
        int dof = pooledExpected.Count - 1;
        double p = dof >= 1 ? PValue(chi2, dof) : double.NaN;
        return new GoodnessOfFitResult(chi2, dof, p, pooledExpected.Count);
    }
}
