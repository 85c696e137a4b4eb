using Rsmi.Models.Dimers;
using Rsmi.Random;

namespace Rsmi.Tests.Models.Dimers;

public class NoiseSpinsTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void PairCorrelationIsTanhKAndSpinsAreUnbiased(double k)
    {
        var random = RandomStreams.Create(17, 0, "noise-test");
        const int n = 400_000;
        var v = new sbyte[n]; var f = new sbyte[n];
        NoiseSpins.Sample(ref random, k, v, f);
        double pair = 0, mv = 0, mf = 0;
        for (int i = 0; i < n; i++) { pair += v[i] * f[i]; mv += v[i]; mf += f[i]; }
        pair /= n; mv /= n; mf /= n;
        double t = Math.Tanh(k);
        Assert.Equal(t, NoiseSpins.PairCorrelation(k), 15);
        // Independent pairs: the error of a mean of ±1 values is sqrt((1 − μ²)/n). 4σ.
        Assert.InRange(pair, t - 4 * Math.Sqrt((1 - t * t) / n) - 1e-12, t + 4 * Math.Sqrt((1 - t * t) / n) + 1e-12);
        Assert.InRange(mv, -4 / Math.Sqrt(n), 4 / Math.Sqrt(n));
        Assert.InRange(mf, -4 / Math.Sqrt(n), 4 / Math.Sqrt(n));
    }

    [Fact]
    public void InfiniteCouplingCopiesTheVertexSpin()
    {
        var random = RandomStreams.Create(1);
        var v = new sbyte[10_000]; var f = new sbyte[10_000];
        NoiseSpins.Sample(ref random, double.PositiveInfinity, v, f);
        Assert.Equal(v, f);
        Assert.InRange(v.Count(x => x == 1), 4600, 5400);
        Assert.Equal(1.0, NoiseSpins.PairCorrelation(double.PositiveInfinity));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void NegativeCouplingsAreRejected(double k) =>
        Assert.Throws<RsmiInputException>(() => NoiseSpins.ValidateCoupling(k));
}
