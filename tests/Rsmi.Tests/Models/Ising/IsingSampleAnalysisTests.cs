using Rsmi.Data;
using Rsmi.Exact;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Random;
using Rsmi.Statistics;

namespace Rsmi.Tests.Models.Ising;

public class IsingSampleAnalysisTests
{
    /// <summary>Independent exact draws from the Boltzmann distribution of a small lattice.</summary>
    private static SampleSet ExactDraws(IsingEnumeration en, double t, int count, ulong seed, int[] shape)
    {
        var p = en.BoltzmannProbabilities(t);
        var cdf = new double[p.Length];
        double acc = 0;
        for (int c = 0; c < p.Length; c++) { acc += p[c]; cdf[c] = acc; }
        var rng = RandomStreams.Create(seed, 0, "exact-draws");
        var data = new sbyte[count * en.Sites];
        for (int i = 0; i < count; i++)
        {
            int c = Array.BinarySearch(cdf, rng.NextDouble() * acc);
            if (c < 0) c = ~c;
            en.Configuration(Math.Min(c, p.Length - 1), data.AsSpan(i * en.Sites, en.Sites));
        }
        return new SampleSet(count, shape, data);
    }

    [Theory]
    [InlineData(1.5, 1UL)]
    [InlineData(2.269185314213022, 2UL)]
    [InlineData(3.5, 3UL)]
    public void MeansOfExactDrawsAgreeWithExactValuesWithinFourErrorBars(double t, ulong seed)
    {
        var en = IsingEnumeration.Torus(4);
        var a = IsingSampleAnalysis.Analyse(ExactDraws(en, t, 20000, seed, new[] { 4, 4 }));
        Assert.True(a.Get("energy_per_site").Mean.Agrees(Kaufman.EnergyPerSite(4, t)), a.Get("energy_per_site").ToString());
        Assert.True(a.Get("nn_correlation").Mean.Agrees(Kaufman.NearestNeighbourCorrelation(4, t)));
        Assert.True(a.Get("diagonal_correlation").Mean.Agrees(en.DiagonalCorrelation(t)));
        Assert.True(a.Get("abs_magnetisation").Mean.Agrees(en.AbsoluteMagnetisation(t)));
        Assert.True(a.Get("magnetisation").Mean.Agrees(0.0));
        Assert.True(a.Get("magnetisation_squared").Mean.Agrees(en.Expectation(t, c => Math.Pow(en.Magnetisation(c) / 16.0, 2))));
        // Independent draws: τ_int = ½ within its error.
        foreach (var o in a.Where(o => !double.IsNaN(o.IntegratedTime)))
            Assert.True(Math.Abs(o.IntegratedTime - 0.5) <= 4 * o.IntegratedTimeError, $"{o.Name}: τ_int {o.IntegratedTime} ± {o.IntegratedTimeError}");
        // ξ₂ against its exact value from ⟨S(0)⟩ and ⟨S(k_min)⟩.
        var obs = new IsingObservables(4, 4);
        var s = new sbyte[16];
        double chi = en.Expectation(t, c => { en.Configuration(c, s); return obs.Measure(s).StructureFactorZero; });
        double f = en.Expectation(t, c => { en.Configuration(c, s); return obs.Measure(s).StructureFactorMin; });
        var xi = a.Get("xi_second_moment").Mean;
        Assert.True(xi.Agrees(IsingObservables.SecondMomentCorrelationLength(chi, f, 4)), $"ξ₂ {xi}");
    }

    [Fact]
    public void ErrorBarsAreHonestForACorrelatedChain()
    {
        // A Metropolis chain on a 10-site ring at T = 1 (strongly correlated at one sweep spacing): the binned error
        // must cover the exact energy, and the τ_int of the energy must be well above ½.
        const int n = 10, samples = 40000;
        const double t = 1.0;
        var rng = RandomStreams.Create(17, 0, "metropolis");
        var spins = Enumerable.Repeat((sbyte)1, n).ToArray();
        var data = new sbyte[samples * n];
        for (int i = 0; i < samples; i++)
        {
            for (int j = 0; j < n; j++)
            {
                int site = rng.NextInt(n);
                int de = 2 * spins[site] * (spins[(site + 1) % n] + spins[(site + n - 1) % n]);
                if (de <= 0 || rng.NextDouble() < Math.Exp(-de / t)) spins[site] = (sbyte)-spins[site];
            }
            spins.CopyTo(data, i * n);
        }
        var a = IsingSampleAnalysis.Analyse(new SampleSet(samples, new[] { n }, data));
        var e = a.Get("energy_per_site");
        Assert.True(e.ErrorConverged);
        Assert.True(e.Mean.Agrees(IsingChain.RingEnergyPerSite(n, t)), $"{e.Mean} vs {IsingChain.RingEnergyPerSite(n, t)}");
        Assert.True(e.IntegratedTime > 1.5, $"τ_int {e.IntegratedTime}");
        var xi = a.Get("xi_second_moment");
        double chi = 0, f = 0;
        for (int r = 0; r < n; r++) { double g = IsingChain.RingCorrelation(n, r, t); chi += g; f += g * Math.Cos(2 * Math.PI * r / n); }
        Assert.True(xi.Mean.Agrees(IsingObservables.SecondMomentCorrelationLength(chi, f, n)), $"ξ₂ {xi.Mean}");
    }
}
