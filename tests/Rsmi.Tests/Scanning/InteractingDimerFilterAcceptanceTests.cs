using System.Diagnostics;
using Rsmi.Data;
using Rsmi.Learning.Ensembles;
using Rsmi.Learning.InfoNce;
using Rsmi.Models.Dimers;
using Rsmi.Regions;
using Rsmi.Scanning;
using Xunit.Abstractions;

namespace Rsmi.Tests.Scanning;

/// <summary>
/// The filters of the aligning dimer model (v = −1, T_c ≈ 0.65|v|; docs/scan.md, "Filters across the transition") on
/// either side of the columnar transition, as a scan learns them: N_h = 2, the default ensemble of the default infonce
/// learner (<see cref="FilterEnsemble"/>, seed s), an 8×8 pixel block, buffer 4 and environment 4 (the window of the
/// non-interacting acceptance, <see cref="Learning.InfoNce.DimerFilterTests"/>), on 1,000 configurations of L = 32
/// with noise pairs K = 2 drawn with the columnar monitor (seed s), for seeds 1–5. The overlap is the scan's
/// (<see cref="FilterOverlaps"/>): the mean share of the units' squared weight in the span of a pattern set.
/// <para>
/// Below T_c the worm does not move between the four columnar states on L = 32 (measured at T = 0.50 and 0.52: all
/// 1,000 configurations of seed 1 in the state of the columnar start), so every window sees the same state and the
/// block carries almost nothing about its environment. The Gibbs measure gives the four states equal weight and is
/// invariant under the translations by one lattice spacing (C_x → −C_x, resp. C_y → −C_y) and the reflection in the
/// diagonal (C_x ↔ C_y), so configuration k is replaced by its image under the (k mod 8)-th of these eight symmetries
/// (<see cref="Symmetrised"/>) at every temperature.
/// </para>
/// <para>
/// Below 0.8 T_c the filters are the columnar patterns for every seed. At T = ∞ (uniform coverings) they lie in
/// span(E_x, E_y) for every seed: that is <see cref="Learning.InfoNce.DimerFilterTests"/> at buffer 4, N_h = 2, the same
/// window (measured here too once: overlap 0.988–0.992 for seeds 1–5, docs/scan.md). At 1.2 T_c the filters in span(E_x, E_y) are not met yet: from T = 4|v| down to T_c the learned filters
/// are the columnar patterns (measured with seed 1; the crossover to the fields lies between T = 4 and 8), as the
/// correlations predict (the columnar part of the dimer–dimer correlation decays as r^{−α_d} with α_d &lt; 2, slower
/// than the fields' r^{−2}). That case is an acceptance check not met yet: it lives in tests/Rsmi.Acceptance, where it
/// fails with what it measured (docs/scan.md).
/// </para>
/// </summary>
[Trait("Category", "Statistical")]
public class InteractingDimerFilterAcceptanceTests(ITestOutputHelper output)
{
    private static readonly ulong[] Seeds = [1, 2, 3, 4, 5];

    /// <summary>T_c/|v| of the literature (docs/references.md, "Interacting dimers"), the scale of the two regimes.</summary>
    internal const double CriticalTemperature = 0.65;

    private const int Size = 32, Configurations = 1000, Block = 8, Buffer = 4, Environment = 4, Hidden = 2;

    /// <summary>
    /// Configuration k of <paramref name="samples"/> (2L × 2L dimer images) mapped by the (k mod 8)-th symmetry of the
    /// torus: a translation by (k &amp; 1, (k &gt;&gt; 1) &amp; 1) lattice spacings (two pixels each) and, for
    /// k &amp; 4, the reflection in the diagonal (pixel (r, c) ↔ (c, r), which maps horizontal bonds to vertical ones,
    /// vertex pixels to vertex pixels and face pixels to face pixels).
    /// </summary>
    internal static SampleSet Symmetrised(SampleSet samples)
    {
        int n = samples.Lx;
        var data = new sbyte[samples.Data.Length];
        for (int k = 0; k < samples.Count; k++)
        {
            int tx = 2 * (k & 1), ty = 2 * ((k >> 1) & 1);
            bool reflect = (k & 4) != 0;
            var from = samples.Configuration(k);
            var to = data.AsSpan(k * samples.Sites, samples.Sites);
            for (int r = 0; r < n; r++)
                for (int c = 0; c < n; c++)
                {
                    int rr = (r + ty) % n, cc = (c + tx) % n;
                    to[r * n + c] = reflect ? from[cc * n + rr] : from[rr * n + cc];
                }
        }
        return new SampleSet(samples.Count, samples.SiteShape, data, samples.Metadata);
    }

    [Fact]
    public void TheSymmetriesSpreadTheConfigurationsOverTheFourColumnarStates()
    {
        // the columnar start holds +C_x; its eight images hold +C_x, −C_x, +C_x, −C_x, +C_y, +C_y, −C_y, −C_y
        var image = new sbyte[4 * 8 * 8];
        DimerWormSampler.Create(new DimerLattice(8), 1, null, 0, 0).CopyConfiguration(image);
        var start = new SampleSet(8, [16, 16], Enumerable.Repeat(image, 8).SelectMany(x => x).ToArray());
        var images = Symmetrised(start);
        var states = Enumerable.Range(0, 8).Select(k => DimerPhases.ColumnarOrder(images.Configuration(k), 8)).ToArray();
        for (int k = 0; k < 8; k++)
        {
            var (cx, cy) = DimerPhases.ColumnarOrder(start.Configuration(k), 8);
            Assert.True(cx > 0.9, $"configuration {k} of the start: C = ({cx}, {cy})");
            // the reflection follows the translation, so the images of the reflected ones take the sign of the translation along y
            double sign = ((k & 4) == 0 ? k & 1 : (k >> 1) & 1) == 0 ? 1 : -1, along = (k & 4) == 0 ? states[k].Cx : states[k].Cy, across = (k & 4) == 0 ? states[k].Cy : states[k].Cx;
            Assert.Equal(sign * cx, along, 12);
            Assert.Equal(cy, across, 12);
        }
    }

    /// <summary>The kept filters' overlaps at temperature <paramref name="t"/> (∞: uniform coverings) for every seed.</summary>
    internal static List<(ulong Seed, double Fields, double Columnar)> Overlaps(double t, ITestOutputHelper output)
    {
        var results = new List<(ulong, double, double)>();
        foreach (ulong seed in Seeds)
        {
            var clock = Stopwatch.StartNew();
            var samples = Symmetrised(DimerSampling.Generate(new DimerSamplingOptions(Size, Configurations, 2.0, seed,
                Interaction: double.IsInfinity(t) ? 0 : 1 / t, ColumnarMonitor: true)));
            var result = FilterEnsemble.Learn(samples, WindowGeometry.Square(Block, Block, Buffer, Environment), Hidden,
                new InfoNceFilterLearner(new InfoNceOptions()), new FilterEnsembleOptions { Seed = seed });
            var sets = FilterOverlaps.For(samples, Block);
            var filter = result.Chosen.Learned.Filter;
            double fields = FilterOverlaps.Overlap(filter, sets.Single(s => s.Name == "electric_field").Patterns);
            double columnar = FilterOverlaps.Overlap(filter, sets.Single(s => s.Name == "columnar").Patterns);
            output.WriteLine($"T = {t}, seed {seed}: overlap with span(E_x, E_y) {fields:F3}, with the columnar patterns {columnar:F3}; " +
                $"held-out {result.MutualInformation.Value:F4} ± {result.MutualInformation.Error:F4} bits; {clock.Elapsed.TotalSeconds:F0} s");
            Assert.True(result.Signal, $"T = {t}, seed {seed}: no signal reported");
            results.Add((seed, fields, columnar));
        }
        return results;
    }

    [Theory]
    [Trait("Category", "Statistical")]
    [InlineData(0.8)]
    public void BelowTheTransitionTheFiltersAreTheColumnarPatterns(double fractionOfTc)
    {
        var failures = Overlaps(fractionOfTc * CriticalTemperature, output).Where(r => !(r.Columnar >= 0.75))
            .Select(r => $"seed {r.Seed}: columnar overlap {r.Columnar:F3}").ToList();
        Assert.True(failures.Count == 0, $"T = {fractionOfTc} T_c: " + string.Join("; ", failures));
    }

    // T = ∞ (u = 0) is the non-interacting model with this very window, L, noise and N_h: DimerFilterTests
    // (buffer 4, N_h = 2) holds every unit of every seed to at most 25% of its norm outside span(E_x, E_y), a stricter
    // bound than a mean overlap of 0.75, on 10,000 configurations; it is not run a second time here.
}
