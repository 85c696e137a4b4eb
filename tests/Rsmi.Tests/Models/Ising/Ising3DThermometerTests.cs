using Rsmi.Data;
using Rsmi.Models;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Renormalization;
using Rsmi.Tests.IO;

namespace Rsmi.Tests.Models.Ising;

/// <summary>
/// The 3D Ising model's Monte Carlo thermometer (docs/algorithm.md, "Monte Carlo thermometer"): its calibration grid,
/// the correlations of configurations known by hand, the refusal of samples it cannot read, a monotone calibration
/// that reads independent samples at a known temperature, the calibration's error carried into the spread of its
/// readings, and the cache.
/// </summary>
public class Ising3DThermometerTests
{
    private static SampleSet Sample(int l, double t, int n, ulong seed) =>
        ModelSampling.Sample(ModelCatalog.Ising3D, ModelCatalog.Ising3D.Arguments(l, t), "wolff", n, seed, 4);

    private static SampleSet Spins(int l, params sbyte[][] configurations) =>
        new(configurations.Length, [l, l, l], configurations.SelectMany(c => c).ToArray(), new SampleMetadata { Model = ModelCatalog.Ising3D.Name });

    [Fact]
    public void TheGridIsDenseAtTcAndNarrowerOnLargerLattices()
    {
        double tc = Ising3D.CriticalTemperature;
        foreach (int l in new[] { 4, 8, 32 })
        {
            var grid = Ising3DThermometer.Grid(l);
            for (int k = 1; k < grid.Length; k++) Assert.True(grid[k] > grid[k - 1]);
            Assert.Contains(Math.Round(tc, 10), grid);
            Assert.Equal(Ising3DThermometer.LowestRatio * tc, grid[0], 8);
            Assert.Equal(Ising3DThermometer.HighestRatio * tc, grid[^1], 8);
            int at = Array.IndexOf(grid, Math.Round(tc, 10));
            Assert.Equal(Ising3DThermometer.FirstStep / l * tc, grid[at + 1] - tc, 8);
            Assert.Equal(Ising3DThermometer.FirstStep / l * tc, tc - grid[at - 1], 8);
        }
        Assert.True(Ising3DThermometer.Grid(32).Length > Ising3DThermometer.Grid(8).Length);
    }

    [Fact]
    public void TheCorrelationsOfKnownConfigurations()
    {
        const int l = 4;
        int n = l * l * l;
        // All up: c1 = c2 = 1, and all the weight in the zero mode (χ = N, F = 0: ξ infinite).
        var up = Enumerable.Repeat((sbyte)1, n).ToArray();
        // Planes of alternating sign along z: x and y neighbours agree, z neighbours disagree, so c1 = (1 + 1 − 1)/3;
        // of the six face diagonals, (1, ±1, 0) agree and the four with a z step disagree: c2 = (2 − 4)/6. M = 0.
        var planes = Enumerable.Range(0, n).Select(i => (sbyte)(i / (l * l) % 2 == 0 ? 1 : -1)).ToArray();
        var values = Ising3DThermometer.Correlations(Spins(l, up, planes));
        Assert.Equal(1.0, values[0], 12);
        Assert.Equal(1.0, values[1], 12);
        Assert.Equal(n, values[2], 12);
        Assert.Equal(0, values[3], 9);
        Assert.Equal(1.0 / 3, values[4], 12);
        Assert.Equal(-1.0 / 3, values[5], 12);
        Assert.Equal(0, values[6], 12);
        // The staggered planes have no weight at the smallest wave vectors either (their mode is k = π along z).
        Assert.Equal(0, values[7], 9);
        // Random spins: compare with a direct count, site by site.
        var rng = new System.Random(5);
        var s = Enumerable.Range(0, n).Select(_ => (sbyte)(rng.Next(2) == 0 ? 1 : -1)).ToArray();
        int At(int x, int y, int z) => s[(((z + l) % l) * l + (y + l) % l) * l + (x + l) % l];
        double nn = 0, diag = 0, m = 0;
        var re = new double[3]; var im = new double[3];
        for (int z = 0; z < l; z++) for (int y = 0; y < l; y++) for (int x = 0; x < l; x++)
        {
            int v = At(x, y, z);
            nn += v * (At(x + 1, y, z) + At(x, y + 1, z) + At(x, y, z + 1));
            diag += v * (At(x + 1, y + 1, z) + At(x + 1, y - 1, z) + At(x + 1, y, z + 1) + At(x + 1, y, z - 1) + At(x, y + 1, z + 1) + At(x, y + 1, z - 1));
            m += v;
            int[] r = [x, y, z];
            for (int a = 0; a < 3; a++) { re[a] += v * Math.Cos(2 * Math.PI * r[a] / l); im[a] += v * Math.Sin(2 * Math.PI * r[a] / l); }
        }
        var one = Ising3DThermometer.Correlations(Spins(l, s));
        Assert.Equal(nn / (3.0 * n), one[0], 12);
        Assert.Equal(diag / (6.0 * n), one[1], 12);
        Assert.Equal(m * m / n, one[2], 12);
        Assert.Equal(Enumerable.Range(0, 3).Sum(a => re[a] * re[a] + im[a] * im[a]) / (3.0 * n), one[3], 9);
    }

    [Theory]
    [InlineData("the 3D Ising thermometer needs cubic L×L×L configurations, but the samples have shape (4, 4).", 2)]
    [InlineData("the 3D Ising thermometer needs ising3d configurations, but the samples hold 'ising2d' samples.", 3)]
    public void SamplesItCannotReadAreRefusedInOneSentence(string message, int rank)
    {
        var thermometer = ModelCatalog.Ising3D.Thermometer!;
        SampleSet set = rank == 2
            ? new SampleSet(2, [4, 4], Enumerable.Repeat((sbyte)1, 32).ToArray(), new SampleMetadata { Model = ModelCatalog.Ising3D.Name })
            : new SampleSet(2, [4, 4, 4], Enumerable.Repeat((sbyte)1, 128).ToArray(), new SampleMetadata { Model = ModelCatalog.Ising2D.Name });
        var e = Assert.Throws<RsmiInputException>(() => thermometer.Validate(set));
        Assert.Equal(message, e.Message);
    }

    /// <summary>
    /// A 4 × 4 × 4 calibration decreases with T at every point, reads independent Wolff samples at T = 5 within four
    /// error bars with the calibration's readings ∓σ on either side of the primary one (their half range, the spread,
    /// is the calibration's error of T, and it enters the effective temperature's error), and is kept on disk, read
    /// back by a second thermometer without sampling.
    /// </summary>
    [Fact]
    [Trait("Category", "Statistical")]
    public void AMonotoneCalibrationReadsAKnownTemperatureAndCarriesItsError()
    {
        using var dir = new TempDirectory();
        var thermometer = (Ising3DThermometer)ModelCatalog.Ising3D.Thermometer!.With(new ThermometerSettings { CacheDirectory = dir.Path, CalibrationSamples = 400 });
        var curves = thermometer.For(4);
        var calibration = curves[0].Calibration;
        Assert.Equal(Ising3DThermometer.Grid(4), calibration.Temperatures);
        for (int k = 1; k < calibration.Temperatures.Length; k++)
        {
            double t0 = calibration.Temperatures[k - 1], t1 = calibration.Temperatures[k];
            Assert.True(curves[0].AgreementAt(t1) <= curves[0].AgreementAt(t0), $"A({t1}) > A({t0})");
        }
        Assert.All(calibration.Agreement, a => Assert.True(a.Error > 0));

        var samples = Sample(4, 5.0, 2000, 31);
        var reading = thermometer.Read(samples);
        Assert.Equal(Ising3DThermometer.Readings, reading.Thermometers);
        var t = reading.PrimaryTemperature;
        Assert.True(Math.Abs(t.Value - 5.0) <= 4 * reading.EffectiveTemperature.Error, $"T = {t} (effective {reading.EffectiveTemperature})");
        // The curve shifted down reads a lower temperature (A decreases with T), the one shifted up a higher one.
        Assert.True(reading.Temperatures[1].Value < t.Value && t.Value < reading.Temperatures[2].Value);
        Assert.True(reading.Spread > 0);
        Assert.Equal(Math.Sqrt(t.Error * t.Error + reading.Spread * reading.Spread), reading.EffectiveTemperature.Error, 12);
        // ξ of a 4³ torus at T = 5 is finite and positive; c1 lies between the T = ∞ and T = 0 values.
        Assert.InRange(reading.NearestNeighbourCorrelation.Value, 0.05, 0.6);

        Assert.Single(Directory.GetFiles(dir.Path, "thermometer-*.json"));
        var again = (Ising3DThermometer)ModelCatalog.Ising3D.Thermometer!.With(new ThermometerSettings { CacheDirectory = dir.Path, CalibrationSamples = 400 });
        Assert.Equal(calibration.Agreement, again.For(4)[0].Calibration.Agreement);
        // Outside the calibrated range there is no reading: all spins up is colder than 0.5 T_c on 4³.
        var up = new SampleSet(20, [4, 4, 4], Enumerable.Repeat((sbyte)1, 20 * 64).ToArray(), new SampleMetadata { Model = ModelCatalog.Ising3D.Name });
        Assert.True(double.IsNaN(thermometer.Read(up).PrimaryTemperature.Value));
    }

    /// <summary>
    /// Beyond 16³ a calibration draws N·(16/L)³ configurations per temperature (rounded up, at least 40, never more than
    /// N): the same number of bond readings as at 16³, at a cost that no longer grows as L³.
    /// </summary>
    [Fact]
    public void LargerLatticesCalibrateWithFewerConfigurations()
    {
        var thermometer = (Ising3DThermometer)ModelCatalog.Ising3D.Thermometer!.With(new ThermometerSettings { CalibrationSamples = 1000 });
        Assert.Equal(1000, thermometer.SamplesOn(4));
        Assert.Equal(1000, thermometer.SamplesOn(16));
        Assert.Equal(512, thermometer.SamplesOn(20));
        Assert.Equal(125, thermometer.SamplesOn(32));
        Assert.Equal(40, thermometer.SamplesOn(64));
        var few = (Ising3DThermometer)ModelCatalog.Ising3D.Thermometer!.With(new ThermometerSettings { CalibrationSamples = 30 });
        Assert.Equal(30, few.SamplesOn(8));
        Assert.Equal(30, few.SamplesOn(64));
    }

    /// <summary>
    /// A calibration on 20³ with the scaled-down number of configurations (103 of 200) is recorded with that number and
    /// reads independent Wolff samples at T = 5 within four error bars.
    /// </summary>
    [Fact]
    [Trait("Category", "Statistical")]
    public void AScaledDownCalibrationReadsAKnownTemperature()
    {
        using var dir = new TempDirectory();
        var thermometer = (Ising3DThermometer)ModelCatalog.Ising3D.Thermometer!.With(new ThermometerSettings { CacheDirectory = dir.Path, CalibrationSamples = 200 });
        Assert.Equal(103, thermometer.SamplesOn(20));
        var curves = thermometer.For(20);
        Assert.Equal(103, curves[0].Calibration.Samples);
        var reading = thermometer.Read(Sample(20, 5.0, 200, 37));
        var t = reading.PrimaryTemperature;
        Assert.True(Math.Abs(t.Value - 5.0) <= 4 * reading.EffectiveTemperature.Error, $"T = {t} (effective {reading.EffectiveTemperature})");
    }
}
