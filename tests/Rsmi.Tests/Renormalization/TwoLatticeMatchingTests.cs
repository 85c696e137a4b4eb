using Rsmi.Random;
using Rsmi.Renormalization;
using Xunit.Abstractions;

namespace Rsmi.Tests.Renormalization;

/// <summary>
/// Two-lattice matching and the extrapolation in the step number on constructed data whose answer is known: the root
/// of exactly linear and quadratic differences, the limit of exactly geometric sequences, and the jackknife error of
/// the matched temperature against the spread of many independent noisy data sets.
/// </summary>
public class TwoLatticeMatchingTests(ITestOutputHelper output)
{
    [Fact]
    public void TheRootOfALineOrAParabolaThroughTheDataIsExact()
    {
        double[] t = [2.20, 2.24, 2.27, 2.30, 2.35];
        const double root = 2.2613;
        // A straight line is found between its bracketing temperatures whatever third point the parabola takes.
        Assert.Equal(root, TwoLatticeMatching.Root(t, t.Select(x => 0.7 * (root - x)).ToArray()), 12);
        // A parabola with its root between 2.24 and 2.27: the neighbours' parabola is the parabola itself.
        Func<double, double> q = x => (x - root) * (x - 3.1);
        Assert.Equal(root, TwoLatticeMatching.Root(t, t.Select(q).ToArray()), 12);
        // Only two temperatures: the straight line through them.
        Assert.Equal(2.25, TwoLatticeMatching.Root([2.2, 2.3], [1.0, -1.0]), 12);
        // A data point exactly at the root.
        Assert.Equal(2.27, TwoLatticeMatching.Root(t, t.Select(x => x - 2.27).ToArray()), 12);
        // No change of sign: no root.
        Assert.True(double.IsNaN(TwoLatticeMatching.Root(t, t.Select(x => x + 1).ToArray())));
        // Two crossings: the one nearest the middle of the range (2.275).
        Assert.Equal(2.285, TwoLatticeMatching.Root(t, t.Select(x => (x - 2.285) * (x - 2.21)).ToArray()), 12);
    }

    [Fact]
    public void TheEstimateIsTakenAtTheLastStepWithMatchedLatticesOfAtLeastEightByEight()
    {
        Assert.Equal(5, TwoLatticeMatching.ChosenStep([256, 128, 64, 32, 16, 8, 4]));
        Assert.Equal(2, TwoLatticeMatching.ChosenStep([32, 16, 8, 4]));
        Assert.Equal(3, TwoLatticeMatching.ChosenStep([64, 32, 16, 8]));
        Assert.Equal(2, TwoLatticeMatching.ChosenStep([16, 4, 2]));
    }

    [Theory]
    [InlineData(0.4, 5)]
    [InlineData(0.25, 4)]
    [InlineData(0.7, 6)]
    [InlineData(0.4, 3)]
    public void AGeometricSequenceExtrapolatesToItsLimit(double ratio, int points)
    {
        const double limit = 2.269185314213022;
        var k = Enumerable.Range(1, points).Select(i => (double)i).ToArray();
        var values = k.Select(x => limit - 0.05 * Math.Pow(ratio, x)).ToArray();
        double got = TwoLatticeMatching.Extrapolate(k, values);
        output.WriteLine($"λ = {ratio}, {points} points: {got:R} (last point {values[^1]:R})");
        Assert.True(Math.Abs(got - limit) < 1e-7, $"{got:R} against {limit}");
        // The last point alone is further off: the extrapolation did something.
        Assert.True(Math.Abs(values[^1] - limit) > 100 * Math.Abs(got - limit));
    }

    [Fact]
    public void SequencesThatDoNotConvergeHaveNoLimit()
    {
        Assert.True(double.IsNaN(TwoLatticeMatching.Extrapolate([1, 2, 3, 4], [2.0, 2.1, 2.2, 2.3])));
        Assert.True(double.IsNaN(TwoLatticeMatching.Extrapolate([1, 2], [2.0, 2.1])));
        Assert.True(double.IsNaN(TwoLatticeMatching.Extrapolate([1, 2, 3], [2.0, double.NaN, 2.2])));
    }

    /// <summary>
    /// Constructed lattices: per configuration, the operator per site on the large lattice is a(T) + noise and on the
    /// small one c(T) + noise, with a − c = slope·(T* − T) + curvature·(T − T*)², so the lattices agree at T*. Without
    /// noise the match is T* exactly with zero error; with noise, over 60 independent data sets the mean of the
    /// estimates is within three standard errors of T* and the mean jackknife error is within 25% of the spread.
    /// </summary>
    [Fact]
    public void TheMatchedTemperatureAndItsJackknifeErrorOnConstructedLattices()
    {
        double[] t = [2.22, 2.25, 2.27, 2.29, 2.32];
        const double star = 2.2731, sites = 64, count = 400;
        (double[][] Large, double[][] Small) Data(double noise, ulong seed)
        {
            var rng = RandomStreams.Create(seed, 0, "two-lattice-test");
            var large = new double[t.Length][];
            var small = new double[t.Length][];
            for (int i = 0; i < t.Length; i++)
            {
                double d = 0.8 * (star - t[i]) + 0.5 * (t[i] - star) * (t[i] - star);
                large[i] = new double[(int)count * 2];
                small[i] = new double[(int)count * 2];
                for (int n = 0; n < count; n++)
                {
                    // Two operators per configuration; the matched one is the second.
                    large[i][2 * n] = 99;
                    small[i][2 * n] = -99;
                    large[i][2 * n + 1] = sites * (0.6 + d + noise * Gaussian(ref rng));
                    small[i][2 * n + 1] = sites * (0.6 + noise * Gaussian(ref rng));
                }
            }
            return (large, small);
        }
        var (l0, s0) = Data(0, 1);
        var exact = TwoLatticeMatching.Match(t, l0, s0, 2, 1, (int)sites, 20);
        Assert.True(Math.Abs(exact.Value - star) < 1e-12, $"{exact.Value:R}");
        Assert.Equal(0, exact.Error, 12);

        var estimates = Enumerable.Range(0, 60).Select(r => { var (l, s) = Data(0.05, (ulong)(100 + r)); return TwoLatticeMatching.Match(t, l, s, 2, 1, (int)sites, 20); }).ToArray();
        double mean = estimates.Average(e => e.Value);
        double sd = Math.Sqrt(estimates.Sum(e => (e.Value - mean) * (e.Value - mean)) / (estimates.Length - 1));
        double meanError = estimates.Average(e => e.Error);
        output.WriteLine($"mean {mean:F6} (T* = {star}), spread {sd:E3}, mean jackknife error {meanError:E3}");
        Assert.True(Math.Abs(mean - star) < 3 * sd / Math.Sqrt(estimates.Length), $"mean {mean} against {star}");
        Assert.InRange(meanError / sd, 0.75, 1.25);
    }

    private static double Gaussian(ref Xoshiro256StarStar rng)
    {
        double u = 1 - rng.NextDouble(), v = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
