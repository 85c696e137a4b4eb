using System.Collections.Concurrent;
using Rsmi.Data;
using Rsmi.Filters;
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
/// 5% of that on the bond pixels) and carry at least the information of the fields' own filters, and, except at buffer 2
/// with N_h = 4 where the objective's optimum leaves it, lie in the plane of the window's two electric fields (at most
/// 25% of its bond part's norm outside span(E_x, E_y)), for every seed.
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
    /// the member with the most held-out information kept; its filters meet the criteria for every seed, and the
    /// reported information is a signal. A single run is not enough: at buffer 4 about one member in three ends with
    /// its units on one field direction (0.13–0.15 bits against 0.26–0.28 for N_h = 2) or shrunk to nothing by the
    /// penalty; the ensemble's held-out choice avoids them, and the comparison with the fields' own filters would show
    /// an ensemble that did not. At buffer 2 the choice needs the yardstick trained long enough to rank members of
    /// nearly equal information (1,600 steps on this spread signal; with 400, seed 5 kept an N_h = 2 unit 25.5%
    /// outside the span).
    /// </summary>
    [Theory]
    [Trait("Category", "Statistical")]
    [InlineData(4, 2)]
    [InlineData(4, 4)]
    [InlineData(2, 2)]
    public void TheEnsembleKeepsFieldFiltersForEverySeed(int buffer, int hidden) => FieldFilters(samples, output, buffer, hidden);

    /// <summary>
    /// Fig. 4b at buffer 2 (N_h = 4) as the objective answers it: the kept filters lie on the bond pixels (noise weights
    /// below 5% of the bond weights) and carry at least the information of the fields' own filters, for every seed —
    /// in fact 0.68–0.72 bits against their 0.57–0.60. They are not in the plane of the fields: at buffer 2 four units
    /// gain by mixing the columnar order parameter (and the fields' modulations near the block's edges) into the field
    /// filters, 25–56% of their bond part outside span(E_x, E_y) (docs/learning.md, "Dimer filters with four units").
    /// The issue's criterion of at most 25% outside the span for this case is the acceptance check
    /// <c>DimerBuffer2AcceptanceTests</c> in tests/Rsmi.Acceptance, where it fails.
    /// </summary>
    [Fact]
    [Trait("Category", "Statistical")]
    public void AtBuffer2FourUnitsKeepAtLeastTheFieldsInformationForEverySeed() => FieldFilters(samples, output, 2, 4, requireSpan: false);

    /// <summary>The ensemble's filters at <paramref name="buffer"/> with <paramref name="hidden"/> units against the
    /// criteria (the span criterion only when <paramref name="requireSpan"/>), for every seed.</summary>
    internal static void FieldFilters(DimerFilterSamples samples, ITestOutputHelper output, int buffer, int hidden, bool requireSpan = true)
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
            Check(output, $"seed {seed}", Enumerable.Range(0, hidden).Select(j => filter.Weights.AsSpan(j * 64, 64).ToArray()).ToArray(), failures, requireSpan);
            var (reference, referenceError) = FieldFilterInformation(samples.Get(seed), geometry, hidden, result);
            double margin = 3 * Math.Sqrt(result.MutualInformation.Error * result.MutualInformation.Error + referenceError * referenceError);
            output.WriteLine($"  the fields' own filters: {reference:F4} ± {referenceError:F4} bits on the same report windows");
            if (!(result.MutualInformation.Value >= reference - margin))
                failures.Add($"seed {seed}: kept {result.MutualInformation.Value:F4} bits, below the {reference:F4} ± {referenceError:F4} bits of the fields' own filters");
        }
        Assert.True(failures.Count == 0, $"buffer {buffer}, N_h {hidden}: " + string.Join("; ", failures));
    }

    /// <summary>
    /// The information of the fields' own filters, measured as the ensemble measures its kept member: a yardstick critic
    /// with the ensemble's settings trained on the training part, evaluated on the report part's windows (the same
    /// windows, so the comparison is paired). With N_h = 2 the filters are E_x + E_y and E_x − E_y (the better of the
    /// two orthogonal pairs in the plane: 0.46–0.48 bits at buffer 2 and 0.26 at buffer 4 against 0.37–0.43 and 0.23 for
    /// E_x and E_y, on independently generated samples); with N_h = 4 they are E_x, E_y, E_x + 1.01 E_y and
    /// E_x − 1.01 E_y (the factor breaks the ties of sign(E_x ± E_y)). Kept filters below these carry less than the
    /// paper's filters: several units on one field direction, as a critic of 24 units left whole ensembles at buffer 4.
    /// </summary>
    private static (double Bits, double Error) FieldFilterInformation(SampleSet samples, WindowGeometry geometry, int hidden, EnsembleResult result)
    {
        static double[] Field(double ex, double ey)
        {
            var w = new double[64];
            for (int r = 0; r < 8; r++)
                for (int c = 0; c < 8; c++)
                {
                    double sign = ((r / 2 + c / 2) & 1) == 0 ? 1 : -1;
                    if (r % 2 == 0 && c % 2 == 1) w[r * 8 + c] = ex * sign;
                    else if (r % 2 == 1 && c % 2 == 0) w[r * 8 + c] = ey * sign;
                }
            return w;
        }
        var rows = hidden == 2 ? new[] { Field(1, 1), Field(1, -1) } : new[] { Field(1, 0), Field(0, 1), Field(1, 1.01), Field(1, -1.01) };
        var o = result.Options;
        var (train, selection, report) = result.Split;
        var yardstick = o.Yardstick with { Seed = o.Seed ^ 0x2F6A1C93D4E5B807UL, Steps = result.YardstickSteps };
        var critic = HeldOutInformation.Train(samples.Slice(0, train), geometry, FilterParameters.FromRows(rows), o.Application, yardstick);
        var (bits, error, _) = HeldOutInformation.Evaluate(critic, samples.Slice(train + selection, report), o.Seed, "yardstick-report");
        return (bits, error);
    }

    /// <summary>Both criteria (the span criterion only when <paramref name="requireSpan"/>) for each of
    /// <paramref name="rows"/>; what fails is added to <paramref name="failures"/>.</summary>
    private static void Check(ITestOutputHelper output, string label, IReadOnlyList<double[]> rows, List<string> failures, bool requireSpan)
    {
        for (int j = 0; j < rows.Count; j++)
        {
            var a = Analyse(rows[j]);
            output.WriteLine($"  unit {j}: noise/bond {a.NoiseRatio:P1}, outside span {a.Outside:P1}, E_x {a.Ex:F3}, E_y {a.Ey:F3}");
            if (!(a.NoiseRatio < 0.05)) failures.Add($"{label} unit {j}: noise weights {a.NoiseRatio:P1} of bond weights");
            if (requireSpan && !(a.Outside <= 0.25)) failures.Add($"{label} unit {j}: {a.Outside:P1} of the bond filter lies outside span(E_x, E_y)");
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
