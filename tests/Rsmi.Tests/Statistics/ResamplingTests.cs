using Rsmi.Statistics;

namespace Rsmi.Tests.Statistics;

public class ResamplingTests
{
    [Fact]
    public void JackknifeOfTheMeanEqualsTheBlockedStandardError()
    {
        var x = Ar1.Generate(0.5, 64 * 100, 41);
        var j = Jackknife.Analyse(x, m => m, blocks: 64);
        // For a linear function the jackknife error equals the standard error of the 64 block means.
        var blocks = new MomentAccumulator();
        for (int b = 0; b < 64; b++) blocks.Add(x.Skip(b * 100).Take(100).Average());
        Assert.Equal(x.Average(), j.Value, 12);
        Assert.Equal(blocks.NaiveStandardError, j.Error, 10);
    }

    [Fact]
    public void JackknifeVarianceOfAr1MatchesExactVarianceWithinItsError()
    {
        // f(⟨x⟩, ⟨x²⟩) = ⟨x²⟩ − ⟨x⟩² estimates Var(x) = 1/(1 − φ²); repeat over seeds and check z-scores.
        const double phi = 0.6;
        double exact = 1 / (1 - phi * phi);
        double chi2 = 0;
        const int reps = 16;
        for (int s = 0; s < reps; s++)
        {
            var x = Ar1.Generate(phi, 1 << 14, 500UL + (ulong)s);
            var x2 = x.Select(v => v * v).ToArray();
            var e = Jackknife.Analyse(new[] { x, x2 }, m => m[1] - m[0] * m[0], blocks: 64);
            chi2 += Math.Pow((e.Value - exact) / e.Error, 2);
        }
        Assert.InRange(ChiSquareTest.PValue(chi2, reps), 0.0005, 0.9995);
    }

    [Fact]
    public void BootstrapIsReproducibleAndAgreesWithJackknife()
    {
        var x = Ar1.Generate(0.0, 4000, 51);
        var x2 = x.Select(v => v * v).ToArray();
        Func<double[], double> variance = m => m[1] - m[0] * m[0];
        var b1 = Bootstrap.Analyse(new[] { x, x2 }, variance, 400, seed: 7);
        var b2 = Bootstrap.Analyse(new[] { x, x2 }, variance, 400, seed: 7);
        var b3 = Bootstrap.Analyse(new[] { x, x2 }, variance, 400, seed: 8);
        Assert.Equal(b1, b2);
        Assert.NotEqual(b1.Error, b3.Error);
        var j = Jackknife.Analyse(new[] { x, x2 }, variance, blocks: 200);
        // Both estimate the same standard error: the bootstrap error's own relative spread is ≈ 1/sqrt(2·400) ≈ 3.5%,
        // the jackknife's ≈ 1/sqrt(2·200) ≈ 5%: agreement within 4 combined sigmas (≈ 25%).
        Assert.InRange(b1.Error / j.Error, 0.75, 1.25);
        // Var of the sample variance of N(0,1) data: 2/N.
        Assert.InRange(b1.Error, 0.75 * Math.Sqrt(2.0 / 4000), 1.25 * Math.Sqrt(2.0 / 4000));
    }
}
