using Rsmi.Models.Dimers;
using Rsmi.Statistics;

namespace Rsmi.Tests.Models.Dimers;

[Trait("Category", "Statistical")]
public class DimerWormSamplerTests
{
    // Family-wise false-alarm rate of the χ² tests of one fact, split over its seeds (Bonferroni).
    private const double FamilyAlpha = 1e-3;

    [Theory]
    [InlineData(2, DimerBoundary.Periodic)]
    [InlineData(4, DimerBoundary.Periodic)]
    [InlineData(10, DimerBoundary.Periodic)]
    [InlineData(2, DimerBoundary.Open)]
    [InlineData(6, DimerBoundary.Open)]
    public void WormsKeepAValidCoveringAndTrackTheStaggeredSums(int l, DimerBoundary boundary)
    {
        var lattice = new DimerLattice(l, boundary);
        var sampler = DimerWormSampler.Create(lattice, 11, 2.0);
        for (int k = 0; k < 2000; k++)
        {
            sampler.Step();
            var covering = sampler.Covering;
            Assert.Null(DimerCovering.FindProblem(lattice, covering.Directions));
            var (ex, ey) = DimerAnalysis.ElectricField(covering, 0, 0, l, l);
            Assert.Equal(ex, sampler.ElectricFieldX);
            Assert.Equal(ey, sampler.ElectricFieldY);
        }
        Assert.True(sampler.Moves >= sampler.Worms);   // on the 2×2 torus a worm can close after one move, through the parallel bond
    }

    [Fact]
    public void TheSameSeedGivesTheSameChain()
    {
        var lattice = new DimerLattice(8);
        var a = DimerWormSampler.Create(lattice, 3, 1.0);
        var b = DimerWormSampler.Create(lattice, 3, 1.0);
        var c = DimerWormSampler.Create(lattice, 4, 1.0);
        a.Run(500); b.Run(500); c.Run(500);
        var ia = new sbyte[256]; var ib = new sbyte[256]; var ic = new sbyte[256];
        a.CopyConfiguration(ia); b.CopyConfiguration(ib); c.CopyConfiguration(ic);
        Assert.Equal(ia, ib);
        Assert.NotEqual(ia, ic);
        Assert.Equal(a.Moves, b.Moves);
        Assert.Equal(2 * a.Moves, a.Work);
    }

    /// <summary>Tallies <paramref name="samples"/> coverings taken every <paramref name="spacing"/> worms against the full enumeration.</summary>
    private static long[] Tally(DimerLattice lattice, List<DimerCovering> all, ulong seed, int samples, int spacing)
    {
        var index = new Dictionary<ulong, int>();
        for (int k = 0; k < all.Count; k++) index.Add(all[k].Key(), k);
        var sampler = DimerWormSampler.Create(lattice, seed, null);
        sampler.Run(1000);
        var counts = new long[all.Count];
        for (int n = 0; n < samples; n++)
        {
            sampler.Run(spacing);
            counts[index[sampler.Covering.Key()]]++;
        }
        return counts;
    }

    [Theory]
    [InlineData(4, DimerBoundary.Periodic, 272)]
    [InlineData(4, DimerBoundary.Open, 36)]
    [InlineData(2, DimerBoundary.Periodic, 8)]
    public void EveryCoveringOfASmallLatticeIsEquallyLikely(int l, DimerBoundary boundary, int coverings)
    {
        var lattice = new DimerLattice(l, boundary);
        var all = DimerEnumeration.All(lattice);
        Assert.Equal(coverings, all.Count);
        var uniform = Enumerable.Repeat(1.0 / all.Count, all.Count).ToArray();
        ulong[] seeds = [20261127, 7];
        foreach (ulong seed in seeds)
        {
            // ~60 expected per covering; 20 worms between samples (τ_int of the winding number ≈ 1 worm at L = 4).
            var counts = Tally(lattice, all, seed, 60 * all.Count, 20);
            var (chi2, dof, p, _) = ChiSquareTest.GoodnessOfFit(counts, uniform);
            Assert.True(p > FamilyAlpha / seeds.Length, $"seed {seed}: chi2 = {chi2:F1} for {dof} dof, p = {p:E2}");
        }
    }

    [Fact]
    public void WindingSectorsOfTheFourByFourTorusHaveTheirExactFrequencies()
    {
        var lattice = new DimerLattice(4);
        var all = DimerEnumeration.All(lattice);
        // Exact sector weights by enumeration.
        var sectors = all.Select(c => DimerAnalysis.Winding(c)).Distinct().OrderBy(w => w).ToList();
        Assert.Contains((0, 0), sectors);
        Assert.Contains((2, 0), sectors);                    // the staggered coverings: |W| = L/2
        var sectorOf = sectors.Select((w, k) => (w, k)).ToDictionary(t => t.w, t => t.k);
        var probability = new double[sectors.Count];
        foreach (var c in all) probability[sectorOf[DimerAnalysis.Winding(c)]] += 1.0 / all.Count;
        ulong[] seeds = [99, 100];
        foreach (ulong seed in seeds)
        {
            var sampler = DimerWormSampler.Create(lattice, seed, null);
            sampler.Run(1000);
            var counts = new long[sectors.Count];
            for (int n = 0; n < 40_000; n++)
            {
                sampler.Run(10);
                var w = ((int)Math.Round(sampler.ElectricFieldX / 4.0), (int)Math.Round(sampler.ElectricFieldY / 4.0));
                Assert.Equal(w, DimerAnalysis.Winding(sampler.Covering));
                counts[sectorOf[w]]++;
            }
            var (chi2, dof, p, _) = ChiSquareTest.GoodnessOfFit(counts, probability);
            Assert.True(p > FamilyAlpha / seeds.Length, $"seed {seed}: chi2 = {chi2:F1} for {dof} dof, p = {p:E2}");
        }
    }
}

public class InteractingDimerTests
{
    [Fact]
    public void ParallelPlaquettesOfColumnarAndStaggeredCoverings()
    {
        var lattice = new DimerLattice(6);
        Assert.Equal(18, DimerWormSampler<Rsmi.Random.Xoshiro256StarStar>.CountParallelPlaquettes(lattice.Columnar().Directions, lattice));
        var staggered = new byte[36];
        for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) staggered[i * 6 + j] = (byte)(((j - i) & 1) == 0 ? DimerLattice.Right : DimerLattice.Left);
        Assert.Equal(0, DimerWormSampler<Rsmi.Random.Xoshiro256StarStar>.CountParallelPlaquettes(staggered, lattice));
        var open = new DimerLattice(4, DimerBoundary.Open);
        Assert.Equal(6, DimerWormSampler<Rsmi.Random.Xoshiro256StarStar>.CountParallelPlaquettes(open.Columnar().Directions, open));
    }

    [Theory]
    [InlineData(4, DimerBoundary.Periodic, 1.0)]
    [InlineData(4, DimerBoundary.Periodic, -0.7)]
    [InlineData(4, DimerBoundary.Open, 1.5)]
    public void CoveringsHaveTheirBoltzmannWeights(int l, DimerBoundary boundary, double interaction)
    {
        var lattice = new DimerLattice(l, boundary);
        var (all, index, probability) = Exact(lattice, interaction);
        ulong[] seeds = [31, 32];
        foreach (ulong seed in seeds)
        {
            var sampler = DimerWormSampler.Create(lattice, seed, null, interaction: interaction);
            sampler.Run(2000);
            var counts = new long[all.Count];
            for (int n = 0; n < 50 * all.Count; n++)
            {
                sampler.Run(20);
                var c = sampler.Covering;
                Assert.Equal(DimerWormSampler<Rsmi.Random.Xoshiro256StarStar>.CountParallelPlaquettes(c.Directions, lattice), sampler.ParallelPlaquettes);
                counts[index[c.Key()]]++;
            }
            Assert.Null(DimerCovering.FindProblem(lattice, sampler.Directions));
            var (e, f) = DimerAnalysis.ElectricField(sampler.Covering, 0, 0, l, l);
            Assert.Equal((e, f), (sampler.ElectricFieldX, sampler.ElectricFieldY));   // restored after rejected loops
            Assert.True(sampler.RejectedWorms > 0);
            var result = ChiSquareTest.GoodnessOfFit(counts, probability);
            Assert.True(result.PValue > 1e-3 / seeds.Length, $"seed {seed}, u = {interaction}: chi2 = {result.Chi2:F1} for {result.Dof} dof, p = {result.PValue:E2}");
        }
    }

    /// <summary>Every covering of a small lattice, the index of each <see cref="DimerCovering.Key"/>, and the exact
    /// probabilities exp(u N_∥) / Z.</summary>
    internal static (List<DimerCovering> All, Dictionary<ulong, int> Index, double[] Probability) Exact(DimerLattice lattice, double interaction)
    {
        var all = DimerEnumeration.All(lattice);
        var index = new Dictionary<ulong, int>();
        for (int k = 0; k < all.Count; k++) index.Add(all[k].Key(), k);
        var weight = all.Select(c => Math.Exp(interaction * DimerWormSampler<Rsmi.Random.Xoshiro256StarStar>.CountParallelPlaquettes(c.Directions, lattice))).ToArray();
        double z = weight.Sum();
        return (all, index, weight.Select(w => w / z).ToArray());
    }

    [Fact]
    public void NonFiniteInteractionIsRejected() =>
        Assert.Throws<RsmiInputException>(() => DimerWormSampler.Create(new DimerLattice(4), 1, null, interaction: double.NaN));
}

public class SixBySixTorusTests
{
    [Fact]
    public void PairCorrelationsAndWindingSectorsMatchTheFullEnumeration()
    {
        var lattice = new DimerLattice(6);
        // Exact averages over all 90,176 coverings.
        var exactAlong = new double[4]; var exactAcross = new double[4];
        var a = new double[4]; var c = new double[4];
        var sectorCounts = new Dictionary<(int, int), long>();
        long total = 0;
        DimerEnumeration.Visit(lattice, d =>
        {
            var covering = new DimerCovering(lattice, d);
            DimerAnalysis.PairProducts(covering, a, c);
            for (int r = 0; r < 4; r++) { exactAlong[r] += a[r]; exactAcross[r] += c[r]; }
            var w = DimerAnalysis.Winding(covering);
            sectorCounts[w] = sectorCounts.GetValueOrDefault(w) + 1;
            total++;
        });
        Assert.Equal(90_176, total);
        for (int r = 0; r < 4; r++) { exactAlong[r] /= total; exactAcross[r] /= total; }

        var sectors = sectorCounts.Keys.OrderBy(k => k).ToList();
        var probability = sectors.Select(k => sectorCounts[k] / (double)total).ToArray();
        var sampler = DimerWormSampler.Create(lattice, 606, null);
        sampler.Run(1000);
        const int samples = 40_000;
        var along = Enumerable.Range(0, 4).Select(_ => new double[samples]).ToArray();
        var across = Enumerable.Range(0, 4).Select(_ => new double[samples]).ToArray();
        var observed = new long[sectors.Count];
        for (int n = 0; n < samples; n++)
        {
            sampler.Run(5);
            var covering = sampler.Covering;
            DimerAnalysis.PairProducts(covering, a, c);
            for (int r = 0; r < 4; r++) { along[r][n] = a[r]; across[r][n] = c[r]; }
            observed[sectors.IndexOf(DimerAnalysis.Winding(covering))]++;
        }
        // r = 2, 3 longitudinal and r = 1, 2, 3 transverse are random (r = 0, 1 longitudinal are exact): 5 checks at 4σ.
        foreach (var (series, exact, r) in new[] { (along, exactAlong, 2), (along, exactAlong, 3), (across, exactAcross, 1), (across, exactAcross, 2), (across, exactAcross, 3) })
        {
            var estimate = Rsmi.Statistics.Binning.Analyse(series[r]);
            Assert.True(estimate.Agrees(exact[r], 4.0), $"r = {r}: {estimate.Value:F5} ± {estimate.Error:F5}, exact {exact[r]:F5}");
        }
        var fit = ChiSquareTest.GoodnessOfFit(observed, probability);
        Assert.True(fit.PValue > 1e-3, $"winding sectors of the 6x6 torus: chi2 = {fit.Chi2:F1} for {fit.Dof} dof, p = {fit.PValue:E2}");
    }
}
