using Rsmi.Exact;
using Rsmi.Models.Ising.Exact;
using Rsmi.Models.Ising.Multispin;
using Rsmi.Random;
using Rsmi.Statistics;
using static Rsmi.Tests.Models.Ising.Multispin.MultispinReference;

namespace Rsmi.Tests.Models.Ising.Multispin;

/// <summary>Every lane shares one random number per site: the broken scheme of docs/algorithm.md, "Sampling pitfalls", kept here only
/// to show that the lane-independence test detects it.</summary>
public struct SharedAcrossLanes<TWord> : IWordRandom<TWord> where TWord : unmanaged, ISpinWord<TWord>
{
    private Xoshiro256StarStar _rng;
    public SharedAcrossLanes(ulong seed) => _rng = new Xoshiro256StarStar(seed);
    public TWord NextWord() => (_rng.NextUInt64() >> 63) != 0 ? TWord.AllOnes : TWord.Zero;
    public void Reserve(int words) { }
    public TWord NextReservedWord() => NextWord();
}

[Trait("Category", "Statistical")]
public class MultispinIsingTests
{
    // 2 rules × 4 widths × 2 seeds χ² tests, plus 2 with the generic scalar-source generator and 4 with the
    // fallback generators: Bonferroni over 22 tests at a family-wise level of 0.0022.
    private const double ChiSquareLevel = 1e-4;

    [Theory]
    [InlineData(64, MultispinRule.Metropolis, 1UL)]
    [InlineData(64, MultispinRule.Metropolis, 2UL)]
    [InlineData(128, MultispinRule.Metropolis, 1UL)]
    [InlineData(128, MultispinRule.Metropolis, 2UL)]
    [InlineData(256, MultispinRule.Metropolis, 1UL)]
    [InlineData(256, MultispinRule.Metropolis, 2UL)]
    [InlineData(512, MultispinRule.Metropolis, 1UL)]
    [InlineData(512, MultispinRule.Metropolis, 2UL)]
    [InlineData(64, MultispinRule.HeatBath, 1UL)]
    [InlineData(64, MultispinRule.HeatBath, 2UL)]
    [InlineData(128, MultispinRule.HeatBath, 1UL)]
    [InlineData(128, MultispinRule.HeatBath, 2UL)]
    [InlineData(256, MultispinRule.HeatBath, 1UL)]
    [InlineData(256, MultispinRule.HeatBath, 2UL)]
    [InlineData(512, MultispinRule.HeatBath, 1UL)]
    [InlineData(512, MultispinRule.HeatBath, 2UL)]
    public void Energy_and_absolute_magnetisation_distribution_on_4x4_matches_enumeration(int width, MultispinRule rule, ulong seed)
    {
        var engine = MultispinIsing.Create(4, CriticalTemperature, rule, seed, width);
        AssertJointDistribution(engine, CriticalTemperature);
    }

    [Theory]
    [InlineData(MultispinRule.Metropolis)]
    [InlineData(MultispinRule.HeatBath)]
    public void Generic_scalar_source_path_samples_the_exact_distribution_at_low_temperature(MultispinRule rule)
    {
        // Any IRandomSource drives the kernels; T = 1.5 exercises the rare e^{-8/T} acceptances.
        var engine = new MultispinIsing2D<Word256, SourceWords<Word256, Xoshiro256StarStar>>(4, 1.5, rule,
            b => new SourceWords<Word256, Xoshiro256StarStar>(RandomStreams.Create(7, (ulong)b, "test")));
        AssertJointDistribution(engine, 1.5);
    }

    [Theory]
    [InlineData(MultispinRule.Metropolis)]
    [InlineData(MultispinRule.HeatBath)]
    public void Fallback_generators_of_the_64_lane_path_sample_the_exact_distribution(MultispinRule rule)
    {
        // What MultispinIsing.Create picks for 64 lanes on machines without AVX-512 (AVX2 buffer) or without AVX2.
        var avx2 = new MultispinIsing2D<Word64, BufferedWords64<Word256, XoshiroWords<Word256>>>(4, CriticalTemperature, rule,
            b => new BufferedWords64<Word256, XoshiroWords<Word256>>(new XoshiroWords<Word256>(8, (ulong)b)));
        AssertJointDistribution(avx2, CriticalTemperature);
        var scalar = new MultispinIsing2D<Word64, XoshiroWords<Word64>>(4, CriticalTemperature, rule, b => new XoshiroWords<Word64>(9, (ulong)b));
        AssertJointDistribution(scalar, CriticalTemperature);
    }

    private static void AssertJointDistribution(IMultispinIsing2D engine, double temperature)
    {
        const int spacing = 50;                     // sweeps between measurements, ≫ τ on a 4×4 torus
        int lanes = engine.Lanes;
        int rounds = 131072 / lanes;
        var observed = new long[33 * 17];
        var h = new int[lanes]; var v = new int[lanes]; var m = new int[lanes];
        engine.Sweep(200);
        for (int r = 0; r < rounds; r++)
        {
            engine.Sweep(spacing);
            engine.CountLanes(h, v, m);
            for (int lane = 0; lane < lanes; lane++) observed[(h[lane] + v[lane]) * 17 + m[lane]]++;
        }
        // Fold m ↔ −m: the (E, |M|) distribution does not depend on the slow tunnelling between the two
        // ordered phases at low T (the lanes all start up).
        var exact = JointDistribution(4, temperature);
        for (int anti = 0; anti <= 32; anti++)
        for (int up = 9; up <= 16; up++)
        {
            observed[anti * 17 + 16 - up] += observed[anti * 17 + up]; observed[anti * 17 + up] = 0;
            exact[anti * 17 + 16 - up] += exact[anti * 17 + up]; exact[anti * 17 + up] = 0;
        }
        var (chi2, dof, p, _) = ChiSquareTest.GoodnessOfFit(observed, exact);
        Assert.True(p > ChiSquareLevel, $"chi2 = {chi2:F1} for {dof} dof, p = {p:E2}");
    }

    [Theory]
    [InlineData(64, MultispinRule.Metropolis, 2.269185314213022, 8000, 8000)]
    [InlineData(128, MultispinRule.Metropolis, 2.269185314213022, 4000, 4000)]
    [InlineData(256, MultispinRule.HeatBath, 2.269185314213022, 3000, 3000)]
    [InlineData(512, MultispinRule.Metropolis, 2.5, 500, 1500)]
    [InlineData(512, MultispinRule.HeatBath, 2.0, 500, 1500)]
    // L = 16 and 32 (multiples of 16): the 64-lane engine's eight-sites-per-vector kernel, both rules, at T_c and in the ordered phase.
    [InlineData(64, MultispinRule.Metropolis, 2.269185314213022, 2000, 20000, 16)]
    [InlineData(64, MultispinRule.Metropolis, 2.0, 1000, 6000, 32)]
    [InlineData(64, MultispinRule.HeatBath, 2.269185314213022, 2000, 20000, 16)]
    public void Energy_and_nearest_neighbour_correlations_at_L64_match_Kaufman(int width, MultispinRule rule, double temperature, int thermalisation, int measurement, int l = 64)
    {
        const int every = 10;
        var engine = MultispinIsing.Create(l, temperature, rule, 2026, width);
        engine.Sweep(thermalisation, threads: 2);
        int lanes = engine.Lanes;
        var sumH = new double[lanes]; var sumV = new double[lanes];
        var h = new int[lanes]; var v = new int[lanes]; var m = new int[lanes];
        int count = 0;
        for (int s = 0; s < measurement; s += every)
        {
            engine.Sweep(every, threads: 2);
            engine.CountLanes(h, v, m);
            for (int i = 0; i < lanes; i++) { sumH[i] += h[i]; sumV[i] += v[i]; }
            count++;
        }
        double n = l * l;
        // Lanes are independent replicas: the spread of their time averages gives honest error bars.
        var cx = MeanAndError(sumH.Select(x => 1 - 2 * x / count / n).ToArray());
        var cy = MeanAndError(sumV.Select(x => 1 - 2 * x / count / n).ToArray());
        var u = MeanAndError(Enumerable.Range(0, lanes).Select(i => -2 + 2 * (sumH[i] + sumV[i]) / count / n).ToArray());
        double exactU = Kaufman.EnergyPerSite(l, temperature), exactC = -exactU / 2;
        Assert.True(Math.Abs(u.Mean - exactU) < 4 * u.Error, $"u = {u.Mean:F5} ± {u.Error:F5}, Kaufman {exactU:F5}");
        Assert.True(Math.Abs(cx.Mean - exactC) < 4 * cx.Error, $"c_x = {cx.Mean:F5} ± {cx.Error:F5}, Kaufman {exactC:F5}");
        Assert.True(Math.Abs(cy.Mean - exactC) < 4 * cy.Error, $"c_y = {cy.Mean:F5} ± {cy.Error:F5}, Kaufman {exactC:F5}");
    }

    [Theory]
    [InlineData(64, MultispinRule.Metropolis)]
    [InlineData(64, MultispinRule.HeatBath)]
    [InlineData(128, MultispinRule.Metropolis)]
    [InlineData(128, MultispinRule.HeatBath)]
    [InlineData(256, MultispinRule.HeatBath)]
    [InlineData(512, MultispinRule.Metropolis)]
    [InlineData(512, MultispinRule.HeatBath)]
    public void Results_do_not_depend_on_the_thread_count(int width, MultispinRule rule)
    {
        const int l = 16;
        sbyte[] Run(int threads, bool single)
        {
            var engine = MultispinIsing.Create(l, CriticalTemperature, rule, 99, width);
            if (single) for (int s = 0; s < 7; s++) engine.Sweep(1, threads);
            else engine.Sweep(7, threads);
            var all = new sbyte[engine.Lanes * l * l];
            for (int lane = 0; lane < engine.Lanes; lane++) engine.CopyConfiguration(lane, all.AsSpan(lane * l * l, l * l));
            return all;
        }
        var reference = Run(1, false);
        Assert.Equal(reference, Run(2, false));
        Assert.Equal(reference, Run(3, false));
        Assert.Equal(reference, Run(8, false));
        Assert.Equal(reference, Run(2, true));
        Assert.Equal(reference, Run(3, true));
    }

    [Fact]
    public void Lanes_are_independent_at_every_width()
    {
        var w64 = MultispinIsing.Create(8, CriticalTemperature, MultispinRule.Metropolis, 5, 64);
        var w512 = MultispinIsing.Create(8, CriticalTemperature, MultispinRule.Metropolis, 5, 512);
        var w128 = MultispinIsing.Create(8, CriticalTemperature, MultispinRule.Metropolis, 5, 128);
        var eightSites = MultispinIsing.Create(16, CriticalTemperature, MultispinRule.Metropolis, 5, 64);   // L multiple of 16
        var heatBath = MultispinIsing.Create(8, CriticalTemperature, MultispinRule.HeatBath, 5, 512);
        var heatBathEightSites = MultispinIsing.Create(16, CriticalTemperature, MultispinRule.HeatBath, 5, 64);
        foreach (var (engine, a, b) in new[] { (w64, 0, 1), (w128, 63, 64), (w512, 63, 64), (w512, 200, 201), (eightSites, 0, 1),
                     (heatBath, 63, 64), (heatBathEightSites, 0, 1) })
        {
            var (r, error) = CrossCorrelation(engine, a, b);
            Assert.True(Math.Abs(r) < 4 * error, $"lanes {a},{b} of {engine.Lanes}: r = {r:F4} ± {error:F4}");
        }
        var (r2, error2) = CrossCorrelation(w64, 5, 63);
        Assert.True(Math.Abs(r2) < 4 * error2, $"lanes 5,63: r = {r2:F4} ± {error2:F4}");
    }

    [Fact]
    public void Shared_random_numbers_fail_the_lane_independence_test()
    {
        // Same lattice, same test, but every lane reads the same random bits: lanes coalesce.
        var shared = new MultispinIsing2D<Word64, SharedAcrossLanes<Word64>>(8, CriticalTemperature, MultispinRule.Metropolis,
            b => new SharedAcrossLanes<Word64>(1000 + (ulong)b));
        var (r, error) = CrossCorrelation(shared, 0, 1);
        Assert.True(r > 4 * error, $"shared random numbers: r = {r:F4} ± {error:F4}");
    }

    /// <summary>Correlation coefficient of two lanes' energy series (one value per sweep, 20 000 sweeps after 500
    /// of thermalisation) with its binning error bar.</summary>
    private static (double R, double Error) CrossCorrelation(IMultispinIsing2D engine, int laneA, int laneB)
    {
        const int sweeps = 20000;
        int l = engine.Size;
        var config = new sbyte[l * l];
        double Energy(int lane)
        {
            engine.CopyConfiguration(lane, config);
            int e = 0;
            for (int y = 0; y < l; y++)
            for (int x = 0; x < l; x++)
                e -= config[y * l + x] * (config[y * l + (x + 1) % l] + config[((y + 1) % l) * l + x]);
            return (double)e / (l * l);
        }
        engine.Sweep(500);
        var xa = new double[sweeps]; var xb = new double[sweeps];
        for (int t = 0; t < sweeps; t++) { engine.Sweep(); xa[t] = Energy(laneA); xb[t] = Energy(laneB); }
        double ma = xa.Average(), mb = xb.Average();
        double sa = Math.Sqrt(xa.Sum(x => (x - ma) * (x - ma)) / sweeps), sb = Math.Sqrt(xb.Sum(x => (x - mb) * (x - mb)) / sweeps);
        var z = new double[sweeps];
        for (int t = 0; t < sweeps; t++) z[t] = (xa[t] - ma) * (xb[t] - mb) / (sa * sb);
        return (z.Average(), Binning.Analyse(z).Error);
    }
}
