using Rsmi.Data;
using Rsmi.Models.Ising.Exact;
using Rsmi.Renormalization;
using Rsmi.Statistics;
using Rsmi.Tests.IO;

namespace Rsmi.Tests.Renormalization;

/// <summary>
/// The Monte Carlo thermometer: the bond agreement by hand, the monotone curve and its inversion on exact data, a
/// calibration on Wolff samples of the 8 × 8 Ising torus against Kaufman's exact nearest-neighbour correlation, a
/// reading of independent samples at a known temperature, and the cache.
/// </summary>
public class MonteCarloThermometerTests
{
    /// <summary>The exact bond agreement (1 + c1)/2 of the L × L Ising torus (Kaufman).</summary>
    private static double ExactAgreement(int l, double t) => 0.5 * (1 + Kaufman.NearestNeighbourCorrelation(l, t));

    [Fact]
    public void BondAgreementCountsEqualNeighboursOnChainsSquaresAndCubes()
    {
        var uniform = new SampleSet(1, [4, 4, 4], Enumerable.Repeat((sbyte)1, 64).ToArray());
        Assert.Equal(1.0, BondAgreement.PerConfiguration(uniform)[0]);
        var stagger = new sbyte[64];
        for (int z = 0; z < 4; z++) for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) stagger[(z * 4 + y) * 4 + x] = (sbyte)((x + y + z) % 2 == 0 ? 1 : -1);
        Assert.Equal(0.0, BondAgreement.PerConfiguration(new SampleSet(1, [4, 4, 4], stagger))[0]);
        // Ring of 4 labels 0 0 1 2: pairs (0,0) (0,1) (1,2) (2,0) → one agreement of four.
        Assert.Equal(0.25, BondAgreement.PerConfiguration(new SampleSet(1, [4], [0, 0, 1, 2]))[0]);
        // 2 × 3 torus with rows [1 1 -1] and [1 1 1]: x bonds (1,1) (1,-1) (-1,1) | (1,1) (1,1) (1,1) → 4 agree;
        // y bonds, each column's pair counted twice since L_y = 2: (1,1) (1,1) (-1,1) → 2 × 2 = 4 agree; 8 of 12.
        Assert.Equal(8 / 12.0, BondAgreement.PerConfiguration(new SampleSet(1, [2, 3], [1, 1, -1, 1, 1, 1]))[0], 12);
    }

    [Fact]
    public void IsotonicRegressionPoolsAdjacentViolators()
    {
        var (v, e) = MonteCarloThermometer.Isotonic([new(3, 1), new(1, 1), new(2, 1), new(0, 1)]);
        Assert.Equal([3, 1.5, 1.5, 0], v);
        Assert.Equal(1 / Math.Sqrt(2), e[1], 12);
        Assert.Equal(1.0, e[0]);
        // Weights 1/σ²: the better-measured point dominates the pool.
        var (w, _) = MonteCarloThermometer.Isotonic([new(1, 1), new(2, 0.5)]);
        Assert.Equal((1 + 2 * 4) / 5.0, w[0], 12);
        Assert.Equal(w[0], w[1]);
    }

    [Fact]
    public void TheInterpolatedCurveInvertsExactDataToTheTemperature()
    {
        double[] grid = Enumerable.Range(0, 21).Select(k => 1.5 + 0.1 * k).ToArray();
        var calibration = new ThermometerCalibration
        {
            Key = "exact 8x8", Samples = 1, Temperatures = grid,
            Agreement = grid.Select(t => new Estimate(ExactAgreement(8, t), 1e-6)).ToArray(),
        };
        var thermometer = new MonteCarloThermometer(calibration);
        foreach (double t in new[] { 1.55, 2.0, 2.269185, 2.33, 2.71, 3.4 })
        {
            double back = thermometer.Invert(ExactAgreement(8, t));
            Assert.True(Math.Abs(back - t) < 2e-3, $"T = {t}: inverted {back}");
            Assert.True(Math.Abs(thermometer.AgreementAt(t) - ExactAgreement(8, t)) < 1e-4, $"A({t})");
        }
        Assert.True(double.IsNaN(thermometer.Invert(ExactAgreement(8, 1.2))));
        Assert.True(double.IsNaN(thermometer.Invert(ExactAgreement(8, 4.0))));
        // The curve between the points is monotone.
        double last = double.PositiveInfinity;
        for (double t = 1.5; t <= 3.5; t += 0.0137) { double a = thermometer.AgreementAt(t); Assert.True(a <= last + 1e-15); last = a; }
    }

    [Fact]
    [Trait("Category", "Statistical")]
    public void ACalibrationOnWolffSamplesMatchesKaufmanAndReadsAKnownTemperature()
    {
        const int l = 8;
        double[] grid = [1.8, 2.0, 2.2, 2.4, 2.6, 2.8, 3.0];
        var calibration = MonteCarloThermometer.Calibrate("ising2d 8x8 wolff", (t, n, s) => WolffTestSamples.Ising2D(l, t, n, s), grid, 400, 17);
        for (int k = 0; k < grid.Length; k++)
        {
            var a = calibration.Agreement[k];
            double exact = ExactAgreement(l, grid[k]);
            // Seven points: |z| < 4 each (family-wise false alarm < 5e-4 for Gaussian errors).
            Assert.True(a.Deviation(exact) < 4, $"T = {grid[k]}: {a} against exact {exact:F6}");
        }
        var thermometer = new MonteCarloThermometer(calibration);
        var reading = thermometer.Read(WolffTestSamples.Ising2D(l, 2.35, 800, 99));
        Assert.True(reading.InRange);
        Assert.True(reading.Temperature.Deviation(2.35) < 4, $"read {reading.Temperature} at T = 2.35");
        Assert.True(reading.Temperature.Error is > 0 and < 0.1, $"error {reading.Temperature.Error}");
        Assert.Equal(20, reading.Replicates.Length);
        Assert.All(reading.Replicates, r => Assert.True(Math.Abs(r - reading.Temperature.Value) < 0.2));
        var hot = thermometer.Read(WolffTestSamples.Ising2D(l, 6.0, 100, 5));
        Assert.False(hot.InRange);
        Assert.True(double.IsNaN(hot.Temperature.Value));
    }

    [Fact]
    public void ACachedCalibrationIsReusedOnlyForTheSameQuestion()
    {
        using var dir = new TempDirectory();
        int calls = 0;
        SampleSet Sampler(double t, int n, ulong s) { calls++; return WolffTestSamples.Ising2D(4, t, n, s); }
        var first = MonteCarloThermometer.Cached(dir.Path, "ising2d 4x4", Sampler, [2.0, 3.0], 40, 1);
        Assert.Equal(2, calls);
        var again = MonteCarloThermometer.Cached(dir.Path, "ising2d 4x4", Sampler, [2.0, 3.0], 40, 1);
        Assert.Equal(2, calls);
        Assert.Equal(first.Agreement, again.Agreement);
        Assert.Single(dir.Entries());
        MonteCarloThermometer.Cached(dir.Path, "ising2d 4x4", Sampler, [2.0, 3.0], 40, 2);
        Assert.Equal(4, calls);
        // A damaged cache file is measured again, not trusted.
        foreach (string file in Directory.GetFiles(dir.Path)) File.WriteAllText(file, "{ not json");
        MonteCarloThermometer.Cached(dir.Path, "ising2d 4x4", Sampler, [2.0, 3.0], 40, 1);
        Assert.Equal(6, calls);
    }

    [Fact]
    public void BadCalibrationsAreRefused()
    {
        Assert.Throws<RsmiInputException>(() => MonteCarloThermometer.Calibrate("k", (t, n, s) => throw new InvalidOperationException(), [2.0], 40, 1));
        Assert.Throws<RsmiInputException>(() => MonteCarloThermometer.Calibrate("k", (t, n, s) => throw new InvalidOperationException(), [3.0, 2.0], 40, 1));
        Assert.Throws<RsmiInputException>(() => MonteCarloThermometer.Calibrate("k", (t, n, s) => throw new InvalidOperationException(), [2.0, 3.0], 5, 1));
    }
}
