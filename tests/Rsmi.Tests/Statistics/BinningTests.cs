using Rsmi.Statistics;

namespace Rsmi.Tests.Statistics;

public class BinningTests
{
    [Theory]
    [InlineData(0.0, 1UL)]
    [InlineData(0.5, 2UL)]
    [InlineData(0.9, 3UL)]
    [InlineData(0.97, 4UL)]
    public void ErrorOfTheMeanOfAnAr1SeriesMatchesTheExactValue(double phi, ulong seed)
    {
        const int n = 1 << 19;
        var x = Ar1.Generate(phi, n, seed);
        var r = Binning.AnalyseDetailed(x);
        double exact = Ar1.ErrorOfMean(phi, n);
        Assert.True(r.Converged);
        // The binned error is itself a random variable with standard deviation ErrorOfError.
        Assert.True(Math.Abs(r.Mean.Error - exact) <= 4 * r.ErrorOfError,
            $"binned error {r.Mean.Error} vs exact {exact} ± {r.ErrorOfError}");
        // The mean of the series (true value 0) lies within 4 of its error bars.
        Assert.True(r.Mean.Agrees(0.0), $"mean {r.Mean}");
        // τ_int implied by the plateau: relative error ≈ 2 ErrorOfError/Error.
        double tau = Ar1.IntegratedTime(phi);
        Assert.True(Math.Abs(r.IntegratedTime - tau) <= 4 * 2 * r.ErrorOfError / r.Mean.Error * tau,
            $"binning τ_int {r.IntegratedTime} vs {tau}");
    }

    [Fact]
    public void ErrorBarsCoverTheTrueMeanAcrossIndependentSeries()
    {
        // 24 independent AR(1) series (φ = 0.8): Σ z² with z = mean/error must look like χ²(24).
        const int series = 24, n = 1 << 15;
        double chi2 = 0;
        for (int s = 0; s < series; s++)
        {
            var e = Binning.Analyse(Ar1.Generate(0.8, n, 100UL + (ulong)s));
            chi2 += Math.Pow(e.Value / e.Error, 2);
        }
        // Two-sided at 0.1% (error bars too small or too large both fail).
        double p = ChiSquareTest.PValue(chi2, series);
        Assert.InRange(p, 0.0005, 0.9995);
    }

    [Fact]
    public void CurveStartsAtTheNaiveErrorAndKeepsAtLeast32Bins()
    {
        var x = Ar1.Generate(0.5, 1000, 9);
        var curve = Binning.Curve(x);
        var acc = new MomentAccumulator();
        acc.AddRange(x);
        Assert.Equal(1, curve[0].BinSize);
        Assert.Equal(1000, curve[0].Bins);
        Assert.Equal(acc.NaiveStandardError, curve[0].Error, 12);
        Assert.Equal(new[] { 1, 2, 4, 8, 16 }, curve.Select(l => l.BinSize));
        Assert.Equal(new[] { 1000, 500, 250, 125, 62 }, curve.Select(l => l.Bins));
        // Level 1: means of consecutive pairs.
        var pairs = Enumerable.Range(0, 500).Select(i => 0.5 * (x[2 * i] + x[2 * i + 1])).ToArray();
        var pacc = new MomentAccumulator();
        pacc.AddRange(pairs);
        Assert.Equal(pacc.NaiveStandardError, curve[1].Error, 12);
    }

    [Fact]
    public void ConstantSeriesHasZeroError()
    {
        var e = Binning.Analyse(Enumerable.Repeat(-2.0, 100).ToArray());
        Assert.Equal(-2.0, e.Value);
        Assert.Equal(0.0, e.Error);
    }

    [Fact]
    public void TooShortSeriesIsNotConverged()
    {
        // τ_int ≈ 100 with 2000 values: the curve is still rising at its last level.
        var r = Binning.AnalyseDetailed(Ar1.Generate(0.99, 2000, 5));
        Assert.False(r.Converged);
    }
}
