using Rsmi.Models.Dimers;
using Rsmi.Random;
using Rsmi.Statistics;
using Xunit.Abstractions;

namespace Rsmi.Tests.Models.Dimers;

/// <summary>The lattice symmetries of <see cref="DimerSymmetry"/> (docs/algorithm.md, "Dimers and noise spins").</summary>
public class DimerSymmetryTests
{
    /// <summary>Every symmetry of the lattice: 8L² on the torus, 8 on the open grid.</summary>
    private static List<DimerSymmetry> All(DimerLattice lattice)
    {
        int shifts = lattice.Boundary == DimerBoundary.Periodic ? lattice.L : 1;
        var all = new List<DimerSymmetry>();
        for (int a = 0; a < shifts; a++)
        for (int b = 0; b < shifts; b++)
        for (int p = 0; p < 8; p++)
            all.Add(new DimerSymmetry(a, b, (p & 1) != 0, (p & 2) != 0, (p & 4) != 0));
        return all;
    }

    private static int WindingSquared(DimerCovering c)
    {
        var (wx, wy) = DimerAnalysis.Winding(c);
        return wx * wx + wy * wy;
    }

    private static int Parallel(DimerCovering c) => DimerWormSampler<Xoshiro256StarStar>.CountParallelPlaquettes(c.Directions, c.Lattice);

    [Theory]
    [InlineData(4, DimerBoundary.Periodic, 272)]
    [InlineData(2, DimerBoundary.Periodic, 8)]
    [InlineData(4, DimerBoundary.Open, 36)]
    public void EverySymmetryPermutesTheCoveringsAndKeepsTheirWeight(int l, DimerBoundary boundary, int coverings)
    {
        var lattice = new DimerLattice(l, boundary);
        var all = DimerEnumeration.All(lattice);
        Assert.Equal(coverings, all.Count);
        var keys = all.Select(c => c.Key()).ToHashSet();
        var symmetries = All(lattice);
        Assert.Equal(DimerSymmetry.GroupOrder(lattice), symmetries.Count);
        foreach (var g in symmetries)
        {
            var images = new HashSet<ulong>();
            foreach (var c in all)
            {
                var image = g.Apply(c);                               // the constructor checks that the image is a covering
                Assert.Equal(Parallel(c), Parallel(image));
                if (boundary == DimerBoundary.Periodic) Assert.Equal(WindingSquared(c), WindingSquared(image));
                images.Add(image.Key());
            }
            Assert.True(images.SetEquals(keys), $"{g} does not permute the coverings");
        }
    }

    /// <summary>
    /// An independent check of the direction map: on the 2L × 2L image (<see cref="DimerImage"/>) a lattice symmetry is
    /// a symmetry of the pixel grid, with the translation by (a, b) sites a shift by (2a, 2b) pixels, the transpose
    /// (r, c) → (c, r) and the reflections r → 2L − 2 − r and c → 2L − 2 − c (mod 2L), which carry vertex, bond and face
    /// pixels alike (and on the open grid the missing edge bonds onto themselves).
    /// </summary>
    [Theory]
    [InlineData(6, DimerBoundary.Periodic)]
    [InlineData(6, DimerBoundary.Open)]
    public void OnTheImageASymmetryMovesThePixels(int l, DimerBoundary boundary)
    {
        var lattice = new DimerLattice(l, boundary);
        var sampler = DimerWormSampler.Create(lattice, 5, null, symmetryMoves: false);
        int side = 2 * l;
        foreach (var g in All(lattice))
        {
            sampler.Run(10);
            var covering = sampler.Covering;
            var before = DimerImage.Encode(covering);
            var after = DimerImage.Encode(g.Apply(covering));
            var expected = new sbyte[before.Length];
            for (int r = 0; r < side; r++)
            for (int c = 0; c < side; c++)
            {
                int rr = r, cc = c;
                if (g.Transpose) (rr, cc) = (cc, rr);
                if (g.FlipRows) rr = (2 * side - 2 - rr) % side;
                if (g.FlipColumns) cc = (2 * side - 2 - cc) % side;
                rr = (rr + 2 * g.ShiftRows) % side;
                cc = (cc + 2 * g.ShiftColumns) % side;
                expected[rr * side + cc] = before[r * side + c];
            }
            Assert.Equal(expected, after);
        }
    }

    [Theory]
    [InlineData(4, DimerBoundary.Periodic)]
    [InlineData(4, DimerBoundary.Open)]
    public void RandomSymmetriesAreUniformOverTheGroup(int l, DimerBoundary boundary)
    {
        var lattice = new DimerLattice(l, boundary);
        var index = All(lattice).Select((g, k) => (g, k)).ToDictionary(t => t.g, t => t.k);
        var counts = new long[index.Count];
        var random = RandomStreams.Create(2026, 0, "dimer-symmetry-test");
        for (int n = 0; n < 100 * index.Count; n++) counts[index[DimerSymmetry.Random(ref random, lattice)]]++;
        var fit = ChiSquareTest.GoodnessOfFit(counts, Enumerable.Repeat(1.0 / index.Count, index.Count).ToArray());
        Assert.True(fit.PValue > 1e-3, $"chi2 = {fit.Chi2:F1} for {fit.Dof} dof, p = {fit.PValue:E2}");
    }

    [Fact]
    public void TheOpenGridHasNoTranslation()
    {
        var lattice = new DimerLattice(4, DimerBoundary.Open);
        var e = Assert.Throws<RsmiInputException>(() => new DimerSymmetry(1, 0, false, false, false).Apply(lattice.Columnar()));
        Assert.Contains("open grid has no translation", e.Message);
        Assert.Throws<RsmiInputException>(() => new DimerSymmetry(0, 4, false, false, false).Apply(new DimerLattice(4).Columnar()));
    }
}

/// <summary>
/// The worm chain composed with the symmetry move (<see cref="DimerWormSampler{TRandom}.BeforeSave"/>): still exact, and
/// it carries the aligning model's crystal between its four columnar states.
/// </summary>
[Trait("Category", "Statistical")]
public class DimerSymmetryMoveTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(4, DimerBoundary.Periodic, 1.0)]
    [InlineData(4, DimerBoundary.Periodic, -0.7)]
    [InlineData(4, DimerBoundary.Open, 1.5)]
    [InlineData(4, DimerBoundary.Periodic, 0.0)]
    public void WithTheSymmetryMoveCoveringsHaveTheirBoltzmannWeights(int l, DimerBoundary boundary, double interaction)
    {
        var lattice = new DimerLattice(l, boundary);
        var (all, index, probability) = InteractingDimerTests.Exact(lattice, interaction);
        ulong[] seeds = [41, 42];
        foreach (ulong seed in seeds)
        {
            var sampler = DimerWormSampler.Create(lattice, seed, null, interaction: interaction);
            Assert.True(sampler.SymmetryMoves);
            sampler.Run(2000);
            var counts = new long[all.Count];
            for (int n = 0; n < 50 * all.Count; n++)
            {
                sampler.Run(10);
                sampler.BeforeSave();                                   // as the chain driver does before every saved configuration
                var c = sampler.Covering;
                if (interaction != 0)                                   // N_∥ is tracked by the interacting worm only
                    Assert.Equal(DimerWormSampler<Xoshiro256StarStar>.CountParallelPlaquettes(c.Directions, lattice), sampler.ParallelPlaquettes);
                counts[index[c.Key()]]++;
            }
            var result = ChiSquareTest.GoodnessOfFit(counts, probability);
            output.WriteLine($"L = {l} {boundary}, u = {interaction}, seed {seed}: chi2 = {result.Chi2:F1} for {result.Dof} dof, p = {result.PValue:F3}");
            Assert.True(result.PValue > 1e-3 / seeds.Length, $"seed {seed}, u = {interaction}: chi2 = {result.Chi2:F1} for {result.Dof} dof, p = {result.PValue:E2}");
            Assert.Equal(50 * all.Count, sampler.SymmetryMovesDone);
            var (e, f) = DimerAnalysis.ElectricField(sampler.Covering, 0, 0, l, l);
            Assert.Equal((e, f), (sampler.ElectricFieldX, sampler.ElectricFieldY));   // the staggered sums follow the move
        }
    }

    [Fact]
    public void WithoutTheMoveBeforeSaveLeavesTheChainAlone()
    {
        var sampler = DimerWormSampler.Create(new DimerLattice(6), 3, 1.0, symmetryMoves: false);
        sampler.Run(100);
        var before = sampler.Directions.ToArray();
        sampler.BeforeSave();
        Assert.Equal(before, sampler.Directions.ToArray());
        Assert.Equal(0, sampler.SymmetryMovesDone);
    }

    /// <summary>The columnar state of a configuration: the sign and direction of the larger component of C.</summary>
    private static int State(ReadOnlySpan<sbyte> image, int l)
    {
        var (cx, cy) = DimerPhases.ColumnarOrder(image, l);
        return Math.Abs(cx) >= Math.Abs(cy) ? (cx > 0 ? 0 : 1) : (cy > 0 ? 2 : 3);
    }

    /// <summary>
    /// The crystal of the aligning model at T = 0.5|v| (u = 2, below T_c ≈ 0.65|v|) on L = 32: the worm alone keeps every
    /// saved configuration in the state of the columnar start (+C_x); with the symmetry move each saved configuration
    /// is in a uniformly random one of the four, so 40 of them visit all four with the frequencies of a fair draw.
    /// </summary>
    [Fact]
    public void BelowTheTransitionTheSavedConfigurationsVisitAllFourColumnarStates()
    {
        const int l = 32, samples = 40;
        var with = DimerSampling.Generate(new DimerSamplingOptions(l, samples, null, 1, Interaction: 2.0));
        var without = DimerSampling.Generate(new DimerSamplingOptions(l, samples, null, 1, Interaction: 2.0, SymmetryMoves: false));
        Assert.Equal("on", with.Metadata.GetString("symmetry_moves"));
        Assert.Equal("off", without.Metadata.GetString("symmetry_moves"));

        var counts = new long[4];
        for (int k = 0; k < samples; k++)
        {
            var (cx, cy) = DimerPhases.ColumnarOrder(with.Configuration(k), l);
            Assert.True(cx * cx + cy * cy > 0.3, $"configuration {k}: C = ({cx:F3}, {cy:F3}) is not columnar");
            counts[State(with.Configuration(k), l)]++;
        }
        output.WriteLine($"with the move: states (+x, -x, +y, -y) {string.Join(", ", counts)}; tau_int W_x {with.Metadata.GetDouble("tau_int_energy")}, " +
            $"|C|^2 {with.Metadata.GetDouble("tau_int_abs_magnetization")} worms, spacing {with.Metadata.GetLong("spacing")}");
        Assert.All(counts, c => Assert.True(c > 0, $"states (+x, -x, +y, -y) visited {string.Join(", ", counts)} times"));
        var fit = ChiSquareTest.GoodnessOfFit(counts, [0.25, 0.25, 0.25, 0.25]);
        Assert.True(fit.PValue > 1e-3, $"states (+x, -x, +y, -y) {string.Join(", ", counts)}: chi2 = {fit.Chi2:F1}, p = {fit.PValue:E2}");

        for (int k = 0; k < samples; k++) Assert.Equal(0, State(without.Configuration(k), l));

        // The default monitor times by the slower observable: here |C|², while the winding number does not move.
        var m = with.Metadata;
        Assert.True(m.GetDouble("tau_int_abs_magnetization") > m.GetDouble("tau_int_energy"));
        Assert.Equal(m.GetDouble("tau_int"), m.GetDouble("tau_int_abs_magnetization"));
        Assert.True(m.GetLong("spacing") >= 2 * m.GetDouble("tau_int_abs_magnetization"));
    }
}
