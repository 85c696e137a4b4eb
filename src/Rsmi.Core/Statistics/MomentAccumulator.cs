namespace Rsmi.Statistics;

/// <summary>
/// Streaming mean and variance of a series (Welford 1962), mergeable across threads or chains with the
/// pairwise update of Chan, Golub &amp; LeVeque (1979):
/// n = n_a + n_b, δ = μ_b − μ_a, μ = μ_a + δ n_b / n, M2 = M2_a + M2_b + δ² n_a n_b / n.
/// A mutable struct: keep it in a local or a field and pass it by <c>ref</c>; adding allocates nothing.
/// </summary>
public struct MomentAccumulator
{
    private long _count;
    private double _mean;
    private double _m2;
    private double _min;
    private double _max;

    /// <summary>Number of values added.</summary>
    public readonly long Count => _count;
    /// <summary>Sample mean (NaN when empty).</summary>
    public readonly double Mean => _count > 0 ? _mean : double.NaN;
    /// <summary>Sum of squared deviations from the mean, M2 = Σ (x − μ)².</summary>
    public readonly double SumOfSquaredDeviations => _m2;
    /// <summary>Unbiased sample variance M2/(n − 1) (NaN for fewer than two values).</summary>
    public readonly double Variance => _count > 1 ? _m2 / (_count - 1) : double.NaN;
    /// <summary>Population variance M2/n (NaN when empty).</summary>
    public readonly double PopulationVariance => _count > 0 ? _m2 / _count : double.NaN;
    /// <summary>Unbiased sample standard deviation.</summary>
    public readonly double StandardDeviation => Math.Sqrt(Variance);
    /// <summary>Standard error of the mean assuming independent values, sqrt(Variance / n).</summary>
    public readonly double NaiveStandardError => Math.Sqrt(Variance / _count);
    /// <summary>Smallest value added (NaN when empty).</summary>
    public readonly double Min => _count > 0 ? _min : double.NaN;
    /// <summary>Largest value added (NaN when empty).</summary>
    public readonly double Max => _count > 0 ? _max : double.NaN;

    /// <summary>Adds one value (Welford's update).</summary>
    public void Add(double x)
    {
        if (_count == 0) { _min = x; _max = x; }
        else { if (x < _min) _min = x; if (x > _max) _max = x; }
        _count++;
        double delta = x - _mean;
        _mean += delta / _count;
        _m2 += delta * (x - _mean);
    }

    /// <summary>Adds every value of <paramref name="values"/>.</summary>
    public void AddRange(ReadOnlySpan<double> values)
    {
        foreach (double x in values) Add(x);
    }

    /// <summary>Merges another accumulator into this one (Chan et al.); the result equals one pass over both series.</summary>
    public void Merge(in MomentAccumulator other)
    {
        if (other._count == 0) return;
        if (_count == 0) { this = other; return; }
        long n = _count + other._count;
        double delta = other._mean - _mean;
        _mean += delta * other._count / n;
        _m2 += other._m2 + delta * delta * ((double)_count * other._count / n);
        _count = n;
        if (other._min < _min) _min = other._min;
        if (other._max > _max) _max = other._max;
    }

    /// <summary>The merge of two accumulators.</summary>
    public static MomentAccumulator Combine(in MomentAccumulator a, in MomentAccumulator b)
    {
        var r = a;
        r.Merge(b);
        return r;
    }
}
