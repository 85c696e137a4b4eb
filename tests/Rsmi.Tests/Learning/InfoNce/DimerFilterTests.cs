using System.Collections.Concurrent;
using Rsmi.Data;
using Rsmi.Learning;
using Rsmi.Learning.Ensembles;
using Rsmi.Learning.InfoNce;
using Rsmi.Models.Dimers;
using Rsmi.Regions;
using Rsmi.Study;
using Xunit.Abstractions;

namespace Rsmi.Tests.Learning.InfoNce;

/// <summary>Dimer samples of the paper's Fig. 4 (L = 32, K_noise = 2), as many configurations as the study's dimer stage
/// samples by default, one set per seed, drawn once for every test of the class.</summary>
public sealed class DimerFilterSamples
{
    /// <summary>Configurations per seed: the default of <c>rsmi run</c>'s dimer stage (and of the paper preset).</summary>
    public static int Count => new DimerConfig().Samples;

    private readonly ConcurrentDictionary<ulong, Lazy<SampleSet>> _sets = new();

    /// <summary>The samples of <paramref name="seed"/>.</summary>
    public SampleSet Get(ulong seed) =>
        _sets.GetOrAdd(seed, s => new Lazy<SampleSet>(() => DimerSampling.Generate(new DimerSamplingOptions(32, Count, 2.0, s)))).Value;
}

/// <summary>
/// The paper's Fig. 4 with the neural estimator and its default settings: dimers on a 32×32 torus with strongly
/// coupled noise pairs (K_noise = 2), an 8×8 window of the 64×64 image, environment 4 pixels, buffer 4
/// and buffer 2, each with N_h = 2 (Fig. 4a) and 4 (Fig. 4b). Every filter must lie on the bond pixels (mean |w| on the noise pixels below
/// 5% of that on the bond pixels) and in the plane of the window's two electric fields (at most 25% of its bond part's
/// norm outside span(E_x, E_y)), for every seed.
/// </summary>
[Trait("Category", "Statistical")]
public class DimerFilterTests(DimerFilterSamples samples, ITestOutputHelper output) : IClassFixture<DimerFilterSamples>
{
    private static readonly ulong[] Seeds = [1, 2, 3, 4, 5];

    /// <summary>
    /// Mean |w| on noise pixels over mean |w| on bond pixels, and the fraction of the bond part's norm outside the span of
    /// the staggered E_x and E_y patterns of the window. In the dimer image (README, "Dimer model"; windows start on
    /// even pixels) pixel (r, c) of the window is a horizontal bond when r is even and c odd, a vertical bond when r is
    /// odd and c even, and a noise spin otherwise; the field E_x of a region sums its horizontal bond pixels with the
    /// staggered sign (−1)^(i + j) of the bond's first vertex (i, j) = (⌊r/2⌋, ⌊c/2⌋) (E_y likewise its vertical bonds), so over the
    /// 8×8 window each pattern has 16 entries ±1 and the two are orthogonal.
    /// </summary>
    internal static (double NoiseRatio, double Outside, double Ex, double Ey) Analyse(ReadOnlySpan<double> w)
    {
        double bondAbs = 0, noiseAbs = 0, dx = 0, dy = 0, norm2 = 0;
        for (int r = 0; r < 8; r++)
            for (int c = 0; c < 8; c++)
            {
                double x = w[r * 8 + c], sign = ((r / 2 + c / 2) & 1) == 0 ? 1 : -1;
                bool horizontal = r % 2 == 0 && c % 2 == 1, vertical = r % 2 == 1 && c % 2 == 0;
                if (!horizontal && !vertical) { noiseAbs += Math.Abs(x); continue; }
                bondAbs += Math.Abs(x); norm2 += x * x;
                if (horizontal) dx += sign * x; else dy += sign * x;
            }
        // the E_x and E_y patterns are orthogonal with 16 entries ±1 each: projection coefficients dx/16, dy/16
        double inside2 = (dx * dx + dy * dy) / 16;
        return (noiseAbs / bondAbs, Math.Sqrt(Math.Max(0, norm2 - inside2) / norm2), dx / 16, dy / 16);
    }

    /// <summary>
    /// N_h = 2 and N_h = 4 (Fig. 4a, b) as <c>rsmi learn --estimator infonce --seed s</c> learns them: an ensemble of
    /// four default runs (<see cref="FilterEnsemble"/>, each member trained on the first 80% of the configurations),
    /// the member with the most held-out information kept; its filters meet both criteria for every seed, and the
    /// reported information is a signal. A single run is not enough: one can end with a unit partly on the
    /// modulations of the fields near the block's edges (measured at buffer 2, N_h = 4: 28% outside the span for one
    /// seed in five) or, at buffer 4, with the filters shrunk to nothing by the penalty (N_h = 2, seed 3: bound 0) or
    /// noise weights at 5%; the ensemble's held-out choice avoids them. At buffer 2 it does so only with the yardstick
    /// trained long enough to rank members of nearly equal information (1,600 steps on this spread signal; with 400,
    /// seed 5 kept an N_h = 2 unit 25.5% outside the span and seed 3 N_h = 4 units 31–38% outside).
    /// </summary>
    [Theory]
    [Trait("Category", "Statistical")]
    [InlineData(4, 2)]
    [InlineData(4, 4)]
    [InlineData(2, 2)]
    [InlineData(2, 4)]
    public void TheEnsembleKeepsFieldFiltersForEverySeed(int buffer, int hidden) => FieldFilters(samples, output, buffer, hidden);

    /// <summary>The ensemble's filters at <paramref name="buffer"/> with <paramref name="hidden"/> units against both
    /// criteria, for every seed.</summary>
    internal static void FieldFilters(DimerFilterSamples samples, ITestOutputHelper output, int buffer, int hidden)
    {
        var geometry = WindowGeometry.Square(8, 8, buffer, 4);
        var failures = new List<string>();
        foreach (ulong seed in Seeds)
        {
            var result = FilterEnsemble.Learn(samples.Get(seed), geometry, hidden, new InfoNceFilterLearner(new InfoNceOptions()),
                new FilterEnsembleOptions { Seed = seed });
            var filter = result.Chosen.Learned.Filter;
            output.WriteLine($"buffer {buffer}, N_h {hidden}, seed {seed}: kept member {result.ChosenIndex} of selection estimates " +
                $"[{string.Join(", ", result.Members.Select(m => m.SelectionBits.ToString("F4")))}] bits; reported {result.MutualInformation.Value:F4} ± {result.MutualInformation.Error:F4} bits");
            Assert.True(result.Signal, $"seed {seed}: no signal reported");
            Check(output, $"seed {seed}", Enumerable.Range(0, hidden).Select(j => filter.Weights.AsSpan(j * 64, 64).ToArray()).ToArray(), failures);
        }
        Assert.True(failures.Count == 0, $"buffer {buffer}, N_h {hidden}: " + string.Join("; ", failures));
    }

    /// <summary>Both criteria for each of <paramref name="rows"/>; what fails is added to <paramref name="failures"/>.</summary>
    private static void Check(ITestOutputHelper output, string label, IReadOnlyList<double[]> rows, List<string> failures)
    {
        for (int j = 0; j < rows.Count; j++)
        {
            var a = Analyse(rows[j]);
            output.WriteLine($"  unit {j}: noise/bond {a.NoiseRatio:P1}, outside span {a.Outside:P1}, E_x {a.Ex:F3}, E_y {a.Ey:F3}");
            if (!(a.NoiseRatio < 0.05)) failures.Add($"{label} unit {j}: noise weights {a.NoiseRatio:P1} of bond weights");
            if (!(a.Outside <= 0.25)) failures.Add($"{label} unit {j}: {a.Outside:P1} of the bond filter lies outside span(E_x, E_y)");
        }
    }

    /// <summary>
    /// The contrast of the paper's Fig. 4: a KL-trained RBM on V alone, on windows of the same kind of samples, models
    /// the strongest correlations of V — the local dimer constraints (units ~95% outside span(E_x, E_y)) or the noise
    /// pairs (noise weights several times the bond weights) — not the fields; for every seed at least one of its units
    /// fails the criteria by a margin (noise ≥ 10% of the bond weights or more than 30% outside the span).
    /// </summary>
    [Fact]
    public void AKlTrainedRbmMissesTheElectricFieldsForEverySeed()
    {
        var geometry = WindowGeometry.Square(8, 8, 2, 4);
        foreach (ulong seed in Seeds)
        {
            var data = DimerSampling.Generate(new DimerSamplingOptions(32, 1000, 2.0, seed));
            var (train, _) = InfoNceLearner.CutTrainingWindows(data, geometry, new InfoNceOptions { TrainingWindows = 50_000, Seed = seed });
            var rbm = RbmTrainer.Train(train.Visible, train.Count, 64, new RbmTrainingOptions
            {
                Hidden = 2, CdSteps = 1, BatchSize = 64, Epochs = 100000, MaxUpdates = 4000, LearningRate = 0.01, InitialScale = 0.05, Seed = seed,
            });
            bool klFails = false;
            for (int k = 0; k < 2; k++)
            {
                var w = Enumerable.Range(0, 64).Select(i => rbm.Weights[i * 2 + k]).ToArray();
                var a = Analyse(w);
                output.WriteLine($"seed {seed}, KL-RBM unit {k}: noise/bond {a.NoiseRatio:P1}, outside span {a.Outside:P1}, E_x {a.Ex:F3}, E_y {a.Ey:F3}");
                klFails |= a.NoiseRatio >= 0.10 || a.Outside > 0.30;
            }
            Assert.True(klFails, $"seed {seed}: the KL-trained RBM unexpectedly met the RSMI criteria");
        }
    }
}
