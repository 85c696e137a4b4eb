using Rsmi.Random;

namespace Rsmi.Tests.Random;

public class RandomStreamsTests
{
    [Fact]
    public void SameSeedAndIndexGiveTheSameStream()
    {
        var a = RandomStreams.Create(42, 3, "chain");
        var b = RandomStreams.Create(42, 3, "chain");
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
    }

    [Fact]
    public void DifferentIndicesOrPurposesGiveDifferentStreams()
    {
        var a = RandomStreams.Create(42, 3, "chain");
        var b = RandomStreams.Create(42, 4, "chain");
        var c = RandomStreams.Create(42, 3, "noise");
        ulong x = a.NextUInt64();
        Assert.NotEqual(x, b.NextUInt64());
        Assert.NotEqual(x, c.NextUInt64());
    }

    [Fact]
    public void UniformDoublesHaveTheRightMeanAndVariance()
    {
        var r = RandomStreams.Create(7);
        const int n = 1_000_000;
        double s = 0, s2 = 0;
        for (int i = 0; i < n; i++) { double u = r.NextDouble(); Assert.InRange(u, 0.0, 1.0 - 1e-17); s += u; s2 += u * u; }
        double mean = s / n, var = s2 / n - mean * mean;
        // standard error of the mean is sqrt(1/12/n) = 2.9e-4; 5 sigma
        Assert.InRange(mean, 0.5 - 5 * 2.9e-4, 0.5 + 5 * 2.9e-4);
        Assert.InRange(var, 1.0 / 12 - 1e-3, 1.0 / 12 + 1e-3);
    }

    [Fact]
    public void NextIntIsUniform()
    {
        var r = RandomStreams.Create(9);
        var counts = new int[7];
        const int n = 700_000;
        for (int i = 0; i < n; i++) counts[r.NextInt(7)]++;
        // chi-square with 6 degrees of freedom; p = 1e-4 critical value is 27.9
        double chi2 = counts.Sum(c => (c - n / 7.0) * (c - n / 7.0) / (n / 7.0));
        Assert.True(chi2 < 27.9, $"chi2 = {chi2}");
    }
}
