using Rsmi.Data;
using Rsmi.Models;
using Rsmi.Models.Potts;
using Rsmi.Models.Potts.Exact;
using Rsmi.Tests.IO;

namespace Rsmi.Tests.Models.Potts;

/// <summary>
/// The Potts model's Monte Carlo thermometer (docs/algorithm.md, "Monte Carlo thermometer"): its calibration grid,
/// the correlations of the order parameter by hand, a reading of independent samples at a known temperature, the three
/// readings and their spread, and the cache.
/// </summary>
public class PottsThermometerTests
{
    private static SampleSet Sample(int q, int l, double t, int n, ulong seed) =>
        ModelSampling.Sample(ModelCatalog.Potts2D, ModelCatalog.Potts2D.Arguments(q, l, t), "wolff", n, seed, 4);

    [Fact]
    public void TheGridIsDenseAtTcAndNarrowerOnLargerLattices()
    {
        foreach (int l in new[] { 4, 8, 64 })
        {
            var grid = PottsThermometer.Grid(3, l);
            double tc = Potts2D.CriticalTemperature(3);
            for (int k = 1; k < grid.Length; k++) Assert.True(grid[k] > grid[k - 1]);
            Assert.Contains(Math.Round(tc, 10), grid);
            Assert.Equal(PottsThermometer.LowestRatio * tc, grid[0], 8);
            Assert.Equal(PottsThermometer.HighestRatio * tc, grid[^1], 8);
            int at = Array.IndexOf(grid, Math.Round(tc, 10));
            Assert.Equal(PottsThermometer.FirstStep / l * tc, grid[at + 1] - tc, 8);
        }
        Assert.True(PottsThermometer.Grid(3, 64).Length > PottsThermometer.Grid(3, 8).Length);
    }

    [Fact]
    public void TheCorrelationsAreThoseOfTheOrderParameter()
    {
        // Stripes of labels 0, 1, 2 along x on a 6 × 6 torus: the x neighbours never agree and the y ones always, so
        // ⟨δ⟩ = 1/2 and c1 = (3/2 − 1)/2 = 1/4; no diagonal pair agrees: c2 = (0 − 1)/2 = −1/2. Every configuration the same.
        var stripe = Enumerable.Range(0, 36).Select(i => (sbyte)(i % 6 % 3)).ToArray();
        var metadata = new SampleMetadata();
        ModelCatalog.Potts2D.DescribeLabels(metadata, 3);
        var set = new SampleSet(4, [6, 6], [.. stripe, .. stripe, .. stripe, .. stripe], metadata);
        var (c1, c2, xi) = PottsThermometer.Correlations(set, 3, 2);
        Assert.Equal(0.25, c1.Value, 12);
        Assert.Equal(-0.5, c2.Value, 12);
        Assert.Equal(0, c1.Error, 12);
        // Equal numbers of each label: χ = 0, so no second-moment length.
        Assert.True(double.IsNaN(xi.Value));
        // q = 2: c1 is the Ising ⟨s s′⟩ of s = 1 − 2·label.
        var two = new SampleMetadata();
        ModelCatalog.Potts2D.DescribeLabels(two, 2);
        var s = new sbyte[] { 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0 };
        var (d1, _, _) = PottsThermometer.Correlations(new SampleSet(2, [4, 4], [.. s, .. s], two), 2, 2);
        double ising = 0;
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
            {
                int v = 1 - 2 * s[y * 4 + x];
                ising += v * (1 - 2 * s[y * 4 + (x + 1) % 4]) + v * (1 - 2 * s[(y + 1) % 4 * 4 + x]);
            }
        Assert.Equal(ising / 32, d1.Value, 12);
    }

    /// <summary>
    /// An 8 × 8 calibration for q = 3 reads independent Wolff samples at T = 1.05 within four error bars, with the
    /// calibration's readings ∓σ on either side of the primary one; readings far outside the grid give no temperature.
    /// </summary>
    [Fact]
    [Trait("Category", "Statistical")]
    public void ACalibrationReadsAKnownTemperatureAndKeepsItsCurveOnDisk()
    {
        using var dir = new TempDirectory();
        var thermometer = (PottsThermometer)ModelCatalog.Potts2D.Thermometer!.With(new ThermometerSettings { CacheDirectory = dir.Path, CalibrationSamples = 400 });
        var samples = Sample(3, 8, 1.05, 1000, 77);
        thermometer.Validate(samples);
        var reading = thermometer.Read(samples);
        Assert.Equal(PottsThermometer.Readings, reading.Thermometers);
        var t = reading.PrimaryTemperature;
        Assert.True(Math.Abs(t.Value - 1.05) < 4 * reading.EffectiveTemperature.Error, $"read {reading.EffectiveTemperature} at T = 1.05");
        // A(T) decreases: the curve shifted down reaches the measured agreement at a lower temperature, shifted up at a higher one.
        Assert.True(reading.Temperatures[1].Value < t.Value && reading.Temperatures[2].Value > t.Value,
            $"the curve shifted down reads lower, shifted up higher: {string.Join(", ", reading.Temperatures)}");
        Assert.True(reading.Spread > 0 && reading.Spread < 0.05, $"spread {reading.Spread}");
        Assert.Equal(20, reading.Replicates[0].Length);
        Assert.Single(Directory.GetFiles(dir.Path, "thermometer-*.json"));
        // A second thermometer on the same directory measures nothing: the curve comes from the cache.
        var again = new PottsThermometer(ModelCatalog.Potts2D, dir.Path, 400, progress: new ThrowingProgress());
        Assert.Equal(reading.PrimaryTemperature.Value, again.Read(samples).PrimaryTemperature.Value);
        // Far above the grid's highest temperature the bond agreement is out of range.
        var hot = Sample(3, 8, 100, 40, 5);
        Assert.True(double.IsNaN(thermometer.Read(hot).PrimaryTemperature.Value));
    }

    [Fact]
    public void OnlyPottsLabelsAreRead()
    {
        var thermometer = ModelCatalog.Potts2D.Thermometer!;
        var ising = new SampleSet(2, [4, 4], Enumerable.Repeat((sbyte)1, 32).ToArray(), new SampleMetadata { Model = ModelCatalog.Ising2D.Name });
        var e = Assert.Throws<RsmiInputException>(() => thermometer.Validate(ising, "the samples"));
        Assert.Contains("Potts thermometer", e.Message);
        var metadata = new SampleMetadata();
        ModelCatalog.Potts2D.DescribeLabels(metadata, 3);
        Assert.Throws<RsmiInputException>(() => thermometer.Validate(new SampleSet(2, [2, 4], new sbyte[16], metadata), "the samples"));
    }

    /// <summary>Fails the test when a calibration is measured (it must come from the cache).</summary>
    private sealed class ThrowingProgress : Rsmi.Progress.IProgressReporter
    {
        public void Report(string stage, double fraction, string? detail = null) =>
            throw new InvalidOperationException($"a calibration was measured ({stage}) although one was cached");
    }
}
