using Rsmi.Statistics;

namespace Rsmi.Tests.Statistics;

public class AutoCorrelationTests
{
    [Theory]
    [InlineData(0.0, 11UL)]
    [InlineData(0.5, 12UL)]
    [InlineData(0.9, 13UL)]
    [InlineData(0.99, 14UL)]   // τ_int = 99.5: window beyond the direct lags, FFT path
    public void IntegratedTimeOfAr1MatchesTheExactValue(double phi, ulong seed)
    {
        const int n = 1 << 19;
        var a = AutoCorrelation.IntegratedTime(Ar1.Generate(phi, n, seed));
        double tau = Ar1.IntegratedTime(phi);
        // Window truncation bias Σ_{t>W} φ^t is far below the statistical error here.
        Assert.True(Math.Abs(a.Tau - tau) <= 4 * a.Error, $"τ_int {a.Tau} ± {a.Error} vs {tau} (W = {a.Window})");
        Assert.True(a.Window >= AutoCorrelation.DefaultWindowFactor * a.Tau);
        Assert.True(a.IsReliable(n));
    }

    [Fact]
    public void FunctionByFftEqualsDirectSums()
    {
        var x = Ar1.Generate(0.7, 3000, 21);
        double mean = x.Average();
        double c0 = x.Sum(v => (v - mean) * (v - mean)) / x.Length;
        var rho = AutoCorrelation.Function(x, 200);
        Assert.Equal(1.0, rho[0], 12);
        foreach (int t in new[] { 1, 2, 5, 50, 200 })
        {
            double ct = 0;
            for (int i = 0; i + t < x.Length; i++) ct += (x[i] - mean) * (x[i + t] - mean);
            Assert.Equal(ct / (x.Length - t) / c0, rho[t], 10);
        }
    }

    [Fact]
    public void ConstantSeriesHasTauOneHalf()
    {
        var a = AutoCorrelation.IntegratedTime(Enumerable.Repeat(1.5, 64).ToArray());
        Assert.Equal(0.5, a.Tau);
    }

    [Fact]
    public void BinningAndSokalAgreeOnTheErrorOfTheMean()
    {
        var x = Ar1.Generate(0.95, 1 << 18, 31);
        var acc = new MomentAccumulator();
        acc.AddRange(x);
        var a = AutoCorrelation.IntegratedTime(x);
        var b = Binning.AnalyseDetailed(x);
        double sokalError = Math.Sqrt(2 * a.Tau * acc.PopulationVariance / x.Length);
        Assert.True(Math.Abs(sokalError - b.Mean.Error) <= 4 * b.ErrorOfError);
    }
}
