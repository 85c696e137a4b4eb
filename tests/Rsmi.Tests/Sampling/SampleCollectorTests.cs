using Rsmi.Exact;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Sampling;
using Rsmi.Statistics;
using Rsmi.Tests.Models.Ising;

namespace Rsmi.Tests.Sampling;

[Trait("Category", "Statistical")]
public class SampleCollectorTests
{
    private const double Tc = 2.269185314213022;

    [Fact]
    public void OutputIsIdenticalForAnyThreadCount()
    {
        var one = IsingSampling.Sample("ising2d", "wolff", 8, Tc, samples: 25, seed: 7, chains: 3, threads: 1);
        var three = IsingSampling.Sample("ising2d", "wolff", 8, Tc, samples: 25, seed: 7, chains: 3, threads: 3);
        Assert.Equal(one.Data, three.Data);
        Assert.Equal(one.Metadata.Attributes, three.Metadata.Attributes);
        var otherSeed = IsingSampling.Sample("ising2d", "wolff", 8, Tc, samples: 25, seed: 8, chains: 3, threads: 3);
        Assert.NotEqual(one.Data, otherSeed.Data);
    }

    [Fact]
    public void ReportsAutocorrelationThermalisationAndSpacing()
    {
        var set = IsingSampling.Sample("ising2d", "metropolis", 8, Tc, samples: 10, seed: 3, chains: 2);
        Assert.Equal(10, set.Count);
        Assert.Equal([8, 8], set.SiteShape);
        Assert.Equal(-1, set.FirstInvalidValue());
        var m = set.Metadata;
        Assert.Equal("ising2d", m.Model);
        Assert.Equal("metropolis", m.Algorithm);
        Assert.Equal(Tc, m.Temperature);
        Assert.Equal(3, m.Seed);
        Assert.Equal(2, m.GetLong("chains"));
        double tau = m.GetDouble("tau_int")!.Value;
        Assert.True(tau >= 0.5);
        Assert.Equal(tau, Math.Max(m.GetDouble("tau_int_energy")!.Value, m.GetDouble("tau_int_abs_magnetization")!.Value), 12);
        Assert.Equal(1, m.GetLong("block_steps"));
        Assert.Equal(1, m.GetLong("thermalization_converged"));
        Assert.True(m.GetLong("thermalization_steps") >= 20 * tau);
        Assert.True(m.GetLong("spacing") >= 2 * tau);
    }

    [Fact]
    public void WolffBlocksAreAFixedNumberOfClustersOfAboutOneSweep()
    {
        // Near T_c on 16×16 the mean Wolff cluster is a sizeable fraction of the lattice, far from T_c one or two spins.
        var hot = IsingSampling.Sample("ising2d", "wolff", 16, 10.0, samples: 1, seed: 1).Metadata.GetLong("block_steps")!.Value;
        var critical = IsingSampling.Sample("ising2d", "wolff", 16, Tc, samples: 1, seed: 1).Metadata.GetLong("block_steps")!.Value;
        Assert.True(hot > 50, $"block at T = 10: {hot} clusters");
        Assert.True(critical < 20, $"block at T_c: {critical} clusters");
    }

    [Fact]
    public void OpenChainSamplesRecordTheBoundaryAndDiffer()
    {
        var set = IsingSampling.Sample("ising1d", "exact", 16, 1.0, samples: 7, seed: 5, chains: 3);
        Assert.Equal(7, set.Count);
        Assert.Equal("open", set.Metadata.GetString("boundary"));
        var differs = Enumerable.Range(1, 6).Any(i => !set.Configuration(i).SequenceEqual(set.Configuration(0)));
        Assert.True(differs);
    }

    [Theory]
    [InlineData("ising2d", "wolff")]
    [InlineData("ising2d", "metropolis")]
    [InlineData("ising1d", "metropolis")]
    public void CollectedSamplesFollowTheExactDistributionAndAreUncorrelated(string model, string algorithm)
    {
        // χ² of (E, |M|) on 4×4 (or an 8-site ring) at T_c for samples spaced by the collector's own τ_int;
        // Bonferroni over the 3 cases, family α = 0.01. The saved energies must have τ_int ≈ ½ (independent draws).
        bool twoD = model == "ising2d";
        int size = twoD ? 4 : 8;
        const int n = 6000;
        var set = IsingSampling.Sample(model, algorithm, size, Tc, samples: n, seed: 99, chains: 2);
        Func<sbyte[], int> energy = twoD ? s => SamplingTestSupport.Energy2D(s, 4) : s => SamplingTestSupport.Energy1D(s, true);
        var exact = SamplingTestSupport.JointDistribution(twoD ? IsingEnumeration.Torus(4) : IsingEnumeration.Ring(8), Tc);
        var keys = exact.Keys.OrderBy(k => k).ToArray();
        var index = keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i);
        var counts = new long[keys.Length];
        var energies = new double[n];
        for (int i = 0; i < n; i++)
        {
            var c = set.Configuration(i).ToArray();
            counts[index[(energy(c), Math.Abs(c.Sum(v => (int)v)))]]++;
            energies[i] = energy(c);
        }
        var (chi2, dof, p, _) = ChiSquareTest.GoodnessOfFit(counts, keys.Select(k => exact[k]).ToArray());
        Assert.True(p > 0.01 / 3, $"chi2 = {chi2:F1}, dof = {dof}, p = {p:E2}");
        // Lag-1 correlation of consecutive saved samples within a chain; residual correlation at spacing 2τ is ≈ e^{−2}
        // for an exponential mode at worst, so require clearly less than that.
        double rho = SamplingTestSupport.LagOneCorrelation(energies[..(n / 2)]);
        Assert.True(rho < 0.2, $"lag-1 correlation of saved energies {rho:F3}");
        double savedTau = set.Metadata.GetDouble("tau_int_saved_energy")!.Value;
        Assert.True(savedTau < 1.0, $"tau_int of saved energies {savedTau:F2}");
    }

    [Theory]
    [InlineData("wolff")]
    [InlineData("swendsen-wang")]
    public void CollectedSamplesAtTcMatchKaufmansFiniteLatticeEnergy(string algorithm)
    {
        // End to end through the collector at L = 32, T_c, where a spacing rule that depends on cluster sizes
        // biases the energy (docs/algorithm.md, "Sampling pitfalls") and the infinite-lattice value −√2 would be off by ≈ 0.02.
        const int l = 32, n = 3000;
        var set = IsingSampling.Sample("ising2d", algorithm, l, Tc, samples: n, seed: 32, chains: 2);
        var u = new double[n];
        for (int i = 0; i < n; i++) u[i] = IsingEnergy.PerSite2D(set.Configuration(i), l, l);
        var (energy, honest) = IsingLargeLatticeTests.Analyse(u);
        Assert.True(honest);
        double exact = Kaufman.EnergyPerSite(l, Tc);
        Assert.True(Math.Abs(energy.Value - exact) < 4 * energy.Error, $"u = {energy.Value:F5} ± {energy.Error:F5}, Kaufman {exact:F5}");
        Assert.True(Math.Abs(exact - Onsager.EnergyPerSite(Tc)) > 4 * energy.Error, "the test must be able to tell the finite-L value from the infinite one");
    }

    [Fact]
    public void TheKaufmanTestDetectsTheFlippedSpinStoppingRule()
    {
        // Power check of the test above: saving a Wolff sample when the running total of flipped spins reaches
        // 2 L² (docs/algorithm.md, "Sampling pitfalls") favours ordered states; with the same sample count and error analysis the
        // energy comes out many error bars below Kaufman's value (≈ −16σ with this seed).
        const int l = 32, n = 3000;
        var wolff = IsingSamplerFactory.Create("ising2d", "wolff", l, Tc, seed: 32);
        for (int i = 0; i < 2000; i++) wolff.Step();
        var u = new double[n];
        for (int k = 0; k < n; k++)
        {
            long target = wolff.Work + 2L * l * l;
            while (wolff.Work < target) wolff.Step();
            u[k] = wolff.MonitorObservable();
        }
        var (energy, honest) = IsingLargeLatticeTests.Analyse(u);
        Assert.True(honest);
        Assert.True(energy.Value - Kaufman.EnergyPerSite(l, Tc) < -4 * energy.Error, $"u = {energy.Value:F5} ± {energy.Error:F5}");
    }
}

/// <summary>
/// The chain driver's first block length (docs/algorithm.md, "The chain driver"): measured once the work per step
/// has stopped growing, not on the small clusters of a random start.
/// </summary>
public class SampleCollectorWarmUpTests
{
    /// <summary>
    /// A chain on <see cref="Sites"/> sites whose steps do <paramref name="rampWork"/> work each until
    /// <paramref name="rampTotal"/> work is done, then <paramref name="settledWork"/> each (as Wolff clusters grow
    /// from a random start); the monitor observables are independent draws.
    /// </summary>
    private sealed class RampingChain(long rampWork, long rampTotal, long settledWork, int seed) : Rsmi.Sampling.IMonteCarloSampler
    {
        public const int Sites = 1000;
        private readonly System.Random _rng = new(seed);
        public string Algorithm => "ramp";
        public int[] Shape => [Sites];
        public long Work { get; private set; }
        /// <summary>Steps taken when the first pilot block was measured (the warm-up and that block), −1 before.</summary>
        public long StepsAtFirstMeasure { get; private set; } = -1;
        private long _steps;
        public void Step() { Work += Work < rampTotal ? rampWork : settledWork; _steps++; }
        public double MonitorObservable()
        {
            if (StepsAtFirstMeasure < 0) StepsAtFirstMeasure = _steps;
            return _rng.NextDouble();
        }
        public double AbsMagnetisation(Span<sbyte> scratch) => _rng.NextDouble();
        public void CopyConfiguration(Span<sbyte> destination) => destination.Fill(1);
    }

    private sealed class Lines : Rsmi.Progress.IProgressReporter
    {
        public readonly List<string> All = [];
        public void Report(string stage, double fraction, string? detail = null) { lock (All) All.Add($"{stage}: {detail}"); }
    }

    /// <summary>The first round's progress line and the warm-up steps of chain 0 (steps before its first measured block).</summary>
    private static (string Line, long WarmUp) FirstRound(long rampWork, long rampTotal, long settledWork)
    {
        var lines = new Lines();
        var chains = new RampingChain[2];
        Rsmi.Sampling.SampleCollector.Collect(k => chains[k] = new RampingChain(rampWork, rampTotal, settledWork, k),
            new Rsmi.Sampling.SampleCollectorOptions { Samples = 4, Chains = 2, MaxDegreeOfParallelism = 1, Progress = lines });
        string line = lines.All.First(l => l.Contains("round 1:"));
        long block = long.Parse(System.Text.RegularExpressions.Regex.Match(line, @"blocks of (\d+) steps").Groups[1].Value);
        return (line, chains[0].StepsAtFirstMeasure - block);
    }

    [Fact]
    public void TheFirstBlockIsMeasuredAfterTheWorkPerStepHasSettled()
    {
        // 10 work per step for the first three sweeps of work, then 500: a sweep is 2 steps once settled. Measured
        // over the first ten sweeps of work, as before, a block would have been 1000·314/10000 ≈ 31 steps, about 16
        // sweeps. The first burst (300 + 14 steps) sees the work per step grow; the second (20 steps) does not.
        var (line, warmUp) = FirstRound(10, 3 * RampingChain.Sites, 500);
        Assert.Contains("200 blocks of 2 steps", line);
        Assert.Equal(314 + 20, warmUp);
    }

    [Fact]
    public void AChainWhoseWorkPerStepNeverChangesKeepsItsFirstMeasure()
    {
        // One sweep per step, as for sweep samplers: one burst of ten steps, a block of one step.
        var (line, warmUp) = FirstRound(RampingChain.Sites, 0, RampingChain.Sites);
        Assert.Contains("200 blocks of 1 steps", line);
        Assert.Equal(10, warmUp);
        // 100 work per step from the start: one burst of 100 steps; ten steps make a sweep.
        (line, warmUp) = FirstRound(100, 0, 100);
        Assert.Contains("200 blocks of 10 steps", line);
        Assert.Equal(100, warmUp);
    }
}
