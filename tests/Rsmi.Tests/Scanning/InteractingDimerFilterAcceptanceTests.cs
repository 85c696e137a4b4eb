using System.Diagnostics;
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
/// with noise pairs K = 2 drawn with <c>rsmi sample dimer</c>'s defaults (seed s): timed by the winding number and the
/// squared columnar order parameter, with the symmetry move; for seeds 1–5. The overlap is the scan's
/// (<see cref="FilterOverlaps"/>): the mean share of the units' squared weight in the span of a pattern set.
/// <para>
/// Below T_c the worm alone does not move between the four columnar states on L = 32 (measured at T = 0.50 and 0.52:
/// all 1,000 configurations of seed 1 in the state of the columnar start), so every window would see the same state
/// and the block carry almost nothing about its environment. The sampler's symmetry move (on by default; docs/algorithm.md,
/// "Dimers and noise spins") maps each saved configuration by a uniformly random symmetry of the torus, which spreads
/// the configurations over the four states (<see cref="Rsmi.Tests.Models.Dimers.DimerSymmetryMoveTests"/>).
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

    /// <summary>The kept filters' overlaps at temperature <paramref name="t"/> (∞: uniform coverings) for every seed.</summary>
    internal static List<(ulong Seed, double Fields, double Columnar)> Overlaps(double t, ITestOutputHelper output)
    {
        var results = new List<(ulong, double, double)>();
        foreach (ulong seed in Seeds)
        {
            var clock = Stopwatch.StartNew();
            var samples = DimerSampling.Generate(new DimerSamplingOptions(Size, Configurations, 2.0, seed,
                Interaction: double.IsInfinity(t) ? 0 : 1 / t));
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
