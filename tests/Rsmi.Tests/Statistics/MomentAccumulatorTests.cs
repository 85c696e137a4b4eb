using Rsmi.Statistics;

namespace Rsmi.Tests.Statistics;

public class MomentAccumulatorTests
{
    [Fact]
    public void MergeEqualsOnePass()
    {
        var x = Ar1.Generate(0.3, 10007, 61).Select(v => 1e6 + v).ToArray(); // large offset tests stability: agreement to ~1e-13 relative
        var one = new MomentAccumulator();
        one.AddRange(x);
        var parts = new MomentAccumulator[7];
        int[] cuts = { 0, 1, 2, 100, 5000, 5001, 9000, x.Length };
        for (int p = 0; p < 7; p++) parts[p].AddRange(x.AsSpan(cuts[p], cuts[p + 1] - cuts[p]));
        var merged = new MomentAccumulator();
        foreach (var p in parts) merged.Merge(p);
        Assert.Equal(one.Count, merged.Count);
        Assert.Equal(one.Mean, merged.Mean, 1e-7);
        Assert.Equal(one.Variance, merged.Variance, 1e-9 * one.Variance);
        Assert.Equal(one.Min, merged.Min);
        Assert.Equal(one.Max, merged.Max);
        // Against a two-pass computation.
        double mean = x.Average();
        double var = x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1);
        Assert.Equal(mean, one.Mean, 1e-7);
        Assert.Equal(var, one.Variance, 1e-9 * var);
    }

    [Fact]
    public void MergingEmptyAccumulatorsChangesNothing()
    {
        var a = new MomentAccumulator();
        a.Add(1); a.Add(3);
        var e = new MomentAccumulator();
        a.Merge(e);
        e.Merge(a);
        Assert.Equal(2.0, a.Mean);
        Assert.Equal(2.0, a.Variance);
        Assert.Equal(a.Mean, e.Mean);
        Assert.Equal(a.Variance, e.Variance);
    }
}
