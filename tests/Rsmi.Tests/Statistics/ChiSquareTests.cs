using Rsmi.Random;
using Rsmi.Statistics;

namespace Rsmi.Tests.Statistics;

public class ChiSquareTests
{
    [Theory]
    // Critical values from standard χ² tables (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.4).
    [InlineData(3.841, 1, 0.05)]
    [InlineData(6.635, 1, 0.01)]
    [InlineData(10.828, 1, 0.001)]
    [InlineData(5.991, 2, 0.05)]
    [InlineData(11.070, 5, 0.05)]
    [InlineData(18.307, 10, 0.05)]
    [InlineData(23.209, 10, 0.01)]
    [InlineData(29.588, 10, 0.001)]
    [InlineData(43.773, 30, 0.05)]
    [InlineData(124.342, 100, 0.05)]
    [InlineData(2.558, 10, 0.99)]
    public void PValuesMatchTableValues(double chi2, int dof, double p)
        => Assert.Equal(p, ChiSquareTest.PValue(chi2, dof), 3);

    [Fact]
    public void TwoDegreesOfFreedomIsAnExponential()
    {
        foreach (double x in new[] { 0.1, 1.0, 7.5, 40.0 })
            Assert.Equal(Math.Exp(-x / 2), ChiSquareTest.PValue(x, 2), 12);
    }

    [Fact]
    public void MultinomialDrawsPassAndAWrongDistributionFails()
    {
        var p = new[] { 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.03125 };
        var rng = RandomStreams.Create(3);
        var counts = new long[p.Length];
        const int n = 20000;
        for (int i = 0; i < n; i++)
        {
            double u = rng.NextDouble(), c = 0;
            int k = 0;
            while (k < p.Length - 1 && u >= (c += p[k])) k++;
            counts[k]++;
        }
        var good = ChiSquareTest.GoodnessOfFit(counts, p);
        Assert.Equal(5, good.Dof);
        Assert.True(good.PValue > 0.001, $"p = {good.PValue}");
        var wrong = new[] { 0.46, 0.29, 0.125, 0.0625, 0.03125, 0.03125 };
        Assert.True(ChiSquareTest.GoodnessOfFit(counts, wrong).PValue < 0.001);
    }

    [Fact]
    public void SmallExpectationBinsArePooled()
    {
        // N = 100, expectations 50, 30, 10, 4, 3, 2, 1, pooled in ascending order until each pool reaches 5:
        // {1, 2, 3} (6), {4, 10} (14), {30}, {50}.
        var p = new[] { 0.5, 0.3, 0.1, 0.04, 0.03, 0.02, 0.01 };
        var o = new long[] { 50, 30, 10, 4, 3, 2, 1 };
        var r = ChiSquareTest.GoodnessOfFit(o, p);
        Assert.Equal(4, r.Bins);
        Assert.Equal(3, r.Dof);
        Assert.Equal(0.0, r.Chi2, 12);
        var o2 = new long[] { 50, 30, 10, 10, 0, 0, 0 };
        var r2 = ChiSquareTest.GoodnessOfFit(o2, p);
        double expected = Math.Pow(0 - 6, 2) / 6 + Math.Pow(20 - 14, 2) / 14;
        Assert.Equal(expected, r2.Chi2, 12);
    }

    [Fact]
    public void ObservationInAnImpossibleBinRejects()
    {
        var r = ChiSquareTest.GoodnessOfFit(new long[] { 10, 1 }, new[] { 1.0, 0.0 });
        Assert.Equal(0.0, r.PValue);
    }
}
