using Rsmi.Models.Ising;
using Rsmi.Data;
using Rsmi.Renormalization;
using Xunit.Abstractions;

namespace Rsmi.Tests.Renormalization;

/// <summary>
/// The maximum-pseudo-likelihood couplings on exactly known laws: every configuration of the 4×4 torus weighted by its
/// Boltzmann probability (the population estimator must return the Hamiltonian it was given), plus the input checks.
/// </summary>
public class EffectiveCouplingsTests(ITestOutputHelper output)
{
    [Theory]
    // (K_nn, K_diag, K_third, K_plaq)
    [InlineData(0.3, 0.1, 0.0, 0.05)]
    [InlineData(0.2, -0.1, 0.07, 0.15)]
    [InlineData(0.44068679350977147, 0.0, 0.0, 0.0)]
    [InlineData(-0.25, 0.05, -0.02, -0.3)]
    public void ThePopulationEstimatorReturnsTheCouplingsOfTheExactLaw(double nn, double diag, double third, double plaq)
    {
        var (all, s) = ExactTorus.FourByFour();
        double[] k = [nn, diag, third, plaq];
        var weights = ExactTorus.Boltzmann(s, k);
        var fitted = EffectiveCouplings.Fit(all, [0, 1, 2, 3], weights);
        output.WriteLine($"largest deviation {fitted.Zip(k, (x, y) => Math.Abs(x - y)).Max():E2}");
        for (int a = 0; a < 4; a++) Assert.True(Math.Abs(fitted[a] - k[a]) < 1e-8, $"{EvenOperators.Names[a]}: {fitted[a]:R} against {k[a]}");
        // Without the third-neighbour operator the law of the first case is still represented exactly.
        if (third == 0)
        {
            var three = EffectiveCouplings.Fit(all, [0, 1, 3], weights);
            double[] truth = [nn, diag, plaq];
            for (int a = 0; a < 3; a++) Assert.True(Math.Abs(three[a] - truth[a]) < 1e-8, $"{three[a]:R} against {truth[a]}");
        }
        // Leaving out a coupling that is there gives a different (projected) answer: the test can tell.
        if (plaq != 0)
        {
            var without = EffectiveCouplings.Fit(all, [0, 1, 2], weights);
            Assert.True(Math.Abs(without[0] - nn) > 1e-4 || Math.Abs(without[1] - diag) > 1e-4, "dropping the plaquette changed nothing");
        }
    }

    [Fact]
    public void TheRangeMeasureWeighsEverythingBeyondNearestNeighbours()
    {
        Assert.Equal((0.1 + 0.05 + 0.02) / 0.25, EffectiveCouplings.Range([0, 1, 2, 3], [-0.25, 0.1, -0.05, 0.02]), 14);
        Assert.True(double.IsNaN(EffectiveCouplings.Range([1, 3], [0.1, 0.2])));
    }

    [Fact]
    public void OrderedConfigurationsHaveNoFiniteCouplings()
    {
        var up = new SampleSet(40, [8, 8], Enumerable.Repeat((sbyte)1, 40 * 64).ToArray());
        var result = EffectiveCouplings.Estimate(up, 2, 4);
        Assert.All(result.Couplings, c => Assert.True(double.IsNaN(c.Value)));
        Assert.True(double.IsNaN(result.Range.Value));
    }

    [Fact]
    public void BadInputsAreRejectedWithASentence()
    {
        var set = new SampleSet(10, [8, 8], Enumerable.Repeat((sbyte)1, 640).ToArray());
        Assert.Contains("between 1 and 8", Assert.Throws<RsmiInputException>(() => EffectiveCouplings.Estimate(set, 9)).Message);
        Assert.Contains("numbered 0 to 7", Assert.Throws<RsmiInputException>(() => EffectiveCouplings.Estimate(set, [0, 8])).Message);
        Assert.Contains("named once", Assert.Throws<RsmiInputException>(() => EffectiveCouplings.Estimate(set, [0, 0])).Message);
        Assert.Contains("between 2 and 10 blocks", Assert.Throws<RsmiInputException>(() => EffectiveCouplings.Estimate(set, 2, 11)).Message);
        Assert.Contains("one weight per configuration", Assert.Throws<RsmiInputException>(() => EffectiveCouplings.Fit(set, [0], new double[3])).Message);
        Assert.Contains("positive", Assert.Throws<RsmiInputException>(() => EffectiveCouplings.Fit(set, [0], new double[10])).Message);
        var chain = new SampleSet(10, [16], Enumerable.Repeat((sbyte)1, 160).ToArray());
        Assert.Contains("rank 1", Assert.Throws<RsmiInputException>(() => EffectiveCouplings.Estimate(chain)).Message);
        var small = new SampleSet(10, [3, 3], Enumerable.Repeat((sbyte)1, 90).ToArray());
        Assert.Contains("wraps onto itself", Assert.Throws<RsmiInputException>(() => EffectiveCouplings.Estimate(small, 7, 2)).Message);
    }
}

/// <summary>Every configuration of the 4×4 torus with its first four even operators, for exact laws.</summary>
internal static class ExactTorus
{
    private static (SampleSet, double[][])? _cache;

    public static (SampleSet All, double[][] Operators) FourByFour()
    {
        lock (typeof(ExactTorus))
        {
            if (_cache is { } c) return c;
            const int states = 1 << 16;
            var data = new sbyte[states * 16];
            var s = new double[states][];
            for (int n = 0; n < states; n++)
            {
                for (int i = 0; i < 16; i++) data[n * 16 + i] = (sbyte)(((n >> i) & 1) == 1 ? 1 : -1);
                s[n] = new double[4];
                EvenOperators.Measure(data.AsSpan(n * 16, 16), 4, 4, s[n]);
            }
            _cache = (new SampleSet(states, [4, 4], data), s);
            return _cache.Value;
        }
    }

    /// <summary>P(s) ∝ exp(Σ_α K_α S_α(s)) over the configurations whose operator values are <paramref name="s"/>.</summary>
    public static double[] Boltzmann(double[][] s, double[] k)
    {
        var log = s.Select(v => v.Zip(k, (x, y) => x * y).Sum()).ToArray();
        double max = log.Max();
        var w = log.Select(v => Math.Exp(v - max)).ToArray();
        double z = w.Sum();
        return w.Select(v => v / z).ToArray();
    }
}
