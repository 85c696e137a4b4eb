using Rsmi.Exact;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Models.Ising.Multispin;
using Rsmi.Random;
using Rsmi.Sampling;
using Rsmi.Statistics;
using Xunit;

namespace Rsmi.Tests.Models.Ising.Multispin;

public class MultispinLatticeTests
{
    /// <summary>
    /// At T → 0 checkerboard Metropolis is deterministic (flip where ΔE ≤ 0, i.e. at least two anti-aligned
    /// neighbours; e^{−4/T} underflows to 0): one sweep of the strip engine must equal the same sweep done on the
    /// plain L×L array, which checks every neighbour, the strip boundaries (rotated lanes) and the wrap-around.
    /// </summary>
    [Theory]
    [InlineData(64, 128, 1)]
    [InlineData(64, 256, 2)]
    [InlineData(128, 256, 2)]
    [InlineData(256, 512, 1)]
    [InlineData(512, 1024, 1)]
    public void A_zero_temperature_sweep_matches_the_same_sweep_on_the_plain_lattice(int width, int size, int threads)
    {
        var lattice = MultispinLattice2D.Create(size, 0.05, MultispinRule.Metropolis, 9, width);
        var start = new sbyte[size * size];
        var rng = new Xoshiro256StarStar(77);
        for (int i = 0; i < start.Length; i++) start[i] = (rng.NextUInt64() & 1) == 0 ? (sbyte)1 : (sbyte)-1;
        lattice.SetConfiguration(start);
        var check = new sbyte[start.Length];
        lattice.CopyConfiguration(check);
        Assert.Equal(start, check);

        var expected = (sbyte[])start.Clone();
        for (int sweep = 0; sweep < 3; sweep++)
        {
            lattice.Sweep(1, threads);
            for (int colour = 0; colour < 2; colour++) ZeroTemperatureHalfSweep(expected, size, colour);
            lattice.CopyConfiguration(check);
            Assert.Equal(expected, check);
        }
    }

    private static void ZeroTemperatureHalfSweep(sbyte[] s, int l, int colour)
    {
        for (int y = 0; y < l; y++)
        for (int x = (y + colour) & 1; x < l; x += 2)
        {
            int i = y * l + x;
            int antiAligned = (s[i] != s[y * l + (x + 1) % l] ? 1 : 0) + (s[i] != s[y * l + (x + l - 1) % l] ? 1 : 0)
                + (s[i] != s[(y + 1) % l * l + x] ? 1 : 0) + (s[i] != s[(y + l - 1) % l * l + x] ? 1 : 0);
            if (antiAligned >= 2) s[i] = (sbyte)-s[i];
        }
    }

    /// <summary>The energy of one large lattice agrees with Kaufman's exact finite-L value within 4 binned error bars.</summary>
    [Theory]
    [InlineData(64, MultispinRule.HeatBath, 128, 2.0, 2000, 20000)]
    [InlineData(128, MultispinRule.Metropolis, 256, 2.6, 300, 3000)]
    [InlineData(256, MultispinRule.Metropolis, 512, 2.6, 300, 3000)]
    [InlineData(512, MultispinRule.Metropolis, 1024, 3.0, 100, 1000)]
    public void The_energy_matches_Kaufman(int width, MultispinRule rule, int size, double temperature, int thermalisation, int measurement)
    {
        const int every = 10;
        var lattice = MultispinLattice2D.Create(size, temperature, rule, 2027, width);
        lattice.Sweep(thermalisation, threads: 2);
        var series = new List<double>();
        for (int s = 0; s < measurement; s += every)
        {
            lattice.Sweep(every, threads: 2);
            series.Add(lattice.Observables().Energy);
        }
        Estimate u = Binning.Analyse(series.ToArray());
        double exact = Kaufman.EnergyPerSite(size, temperature);
        Assert.True(u.Deviation(exact) < 4, $"u = {u.Value:F6} ± {u.Error:F6}, Kaufman {exact:F6}");
        Assert.Equal((long)(thermalisation + measurement) * size * size, lattice.Work);
    }

    /// <summary>
    /// At T_c one lattice's |m| wanders slowly (τ_|m| ≈ 600 sweeps at L = 128) and a single run of a few hundred τ can
    /// sit in one region of the |m| distribution for most of its length, so binning underestimates its error. Here
    /// the error comes from the spread of 16 independent lattices' time averages instead.
    /// </summary>
    [Fact]
    public void The_energy_at_T_c_matches_Kaufman_over_independent_lattices()
    {
        const int size = 128, runs = 16, every = 10;
        const double tc = 2.269185314213022;
        var averages = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            var lattice = MultispinLattice2D.Create(size, tc, MultispinRule.Metropolis, 100 + (ulong)r, 64);
            lattice.Sweep(3000, threads: 2);
            double sum = 0;
            int count = 0;
            for (int s = 0; s < 20000; s += every, count++)
            {
                lattice.Sweep(every, threads: 2);
                sum += lattice.Observables().Energy;
            }
            averages[r] = sum / count;
        }
        double mean = averages.Average();
        double error = Math.Sqrt(averages.Sum(a => (a - mean) * (a - mean)) / (runs - 1) / runs);
        double exact = Kaufman.EnergyPerSite(size, tc);
        Assert.True(Math.Abs(mean - exact) < 4 * error, $"u = {mean:F6} ± {error:F6}, Kaufman {exact:F6}");
    }

    [Theory]
    [InlineData(64, 256)]
    [InlineData(128, 256)]
    [InlineData(512, 1024)]
    public void Observables_counted_on_the_words_equal_those_of_the_copied_configuration(int width, int size)
    {
        var lattice = MultispinLattice2D.Create(size, 2.4, MultispinRule.Metropolis, 4, width);
        lattice.Sweep(7);
        var configuration = new sbyte[size * size];
        lattice.CopyConfiguration(configuration);
        var (energy, magnetisation) = lattice.Observables();
        Assert.Equal(IsingEnergy.PerSite2D(configuration, size, size), energy, 12);
        Assert.Equal(configuration.Sum(s => (double)s) / configuration.Length, magnetisation, 12);
        Assert.NotEqual(-2.0, energy);
    }

    [Fact]
    public void The_result_does_not_depend_on_the_thread_count()
    {
        var one = MultispinLattice2D.Create(512, 2.3, MultispinRule.Metropolis, 5, 64);
        var two = MultispinLattice2D.Create(512, 2.3, MultispinRule.Metropolis, 5, 64);
        one.Sweep(40, threads: 1);
        two.Sweep(40, threads: 2);
        var a = new sbyte[512 * 512];
        var b = new sbyte[512 * 512];
        one.CopyConfiguration(a);
        two.CopyConfiguration(b);
        Assert.Equal(a, b);
        Assert.Contains(a, s => s < 0);   // it did evolve from the all-up start
    }

    [Theory]
    [InlineData(64, 64)]      // one row per strip: odd
    [InlineData(64, 192)]     // three rows per strip: odd
    [InlineData(512, 512)]
    [InlineData(100, 128)]    // not a word width
    public void Sizes_that_do_not_give_even_strips_are_refused(int width, int size)
        => Assert.Throws<RsmiInputException>(() => MultispinLattice2D.Create(size, 2.3, MultispinRule.Metropolis, 1, width));
}
