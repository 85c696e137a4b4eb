using Rsmi.Dimers;
using Rsmi.Learning;
using Rsmi.Learning.InfoNce;
using Rsmi.Regions;
using Xunit.Abstractions;

namespace Rsmi.Tests.Learning.InfoNce;

/// <summary>
/// The paper's Fig. 4 with the neural estimator and its default settings: dimers on a 32×32 torus with strongly
/// coupled noise pairs (K_noise = 2), an 8×8 window of the 64×64 image (buffer 2, environment 4 pixels), N_h = 2.
/// </summary>
public class DimerFilterTests(ITestOutputHelper output)
{
    /// <summary>Mean |w| on noise pixels over mean |w| on bond pixels, and the fraction of the bond part's norm outside
    /// the span of the staggered E_x and E_y patterns of the window (algorithm.md §8).</summary>
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

    [Fact]
    public void DefaultSettingsFindTheElectricFieldsAndIgnoreTheNoiseForEverySeedUnlikeAKlTrainedRbm()
    {
        // The estimator's settings are left to the data (InfoNceAutoSettings); samples and learner share the seed.
        var geometry = WindowGeometry.Square(8, 8, 2, 4);
        ulong[] seeds = [1, 2, 3, 4, 5];
        var runs = seeds.Select(seed =>
        {
            var data = DimerSampling.Generate(new DimerSamplingOptions(32, 1000, 2.0, seed));
            return (Samples: data, Result: InfoNceLearner.Learn(data, geometry, new InfoNceOptions { Hidden = 2, Seed = seed }));
        }).ToArray();
        var failures = new List<string>();
        for (int s = 0; s < seeds.Length; s++)
        {
            var result = runs[s].Result;
            var choice = result.Options.AutomaticChoice!;
            output.WriteLine($"seed {seeds[s]}: {choice.Regime}, λ₁ {choice.Signal.TopEigenvalue:F3}, μ {result.Options.FilterL2:F4}; " +
                $"InfoNCE bound {result.MutualInformationBits:F4} ± {result.MutualInformationBitsError:F4} bits");
            for (int j = 0; j < 2; j++)
            {
                var a = Analyse(result.Weights[j]);
                output.WriteLine($"  unit {j}: noise/bond {a.NoiseRatio:P1}, outside span {a.Outside:P1}, E_x {a.Ex:F3}, E_y {a.Ey:F3}");
                if (a.NoiseRatio >= 0.05) failures.Add($"seed {seeds[s]} unit {j}: noise weights {a.NoiseRatio:P1} of bond weights");
                if (a.Outside > 0.25) failures.Add($"seed {seeds[s]} unit {j}: {a.Outside:P1} of the bond filter lies outside span(E_x, E_y)");
            }
        }
        Assert.True(failures.Count == 0, string.Join("; ", failures));
        var samples = runs[0].Samples;
        var options = runs[0].Result.Options;

        // The KL-trained RBM on V alone, on the same windows: its hidden units model the strongest correlations of V,
        // the noise pairs, not the fields.
        var (train, _) = InfoNceLearner.CutTrainingWindows(samples, geometry, options with { TrainingWindows = 50_000 });
        var rbm = RbmTrainer.Train(train.Visible, train.Count, 64, new RbmTrainingOptions
        {
            Hidden = 2, CdSteps = 1, BatchSize = 64, Epochs = 100000, MaxUpdates = 4000, LearningRate = 0.01, InitialScale = 0.05, Seed = 1,
        });
        bool klFails = false;
        for (int k = 0; k < 2; k++)
        {
            var w = Enumerable.Range(0, 64).Select(i => rbm.Weights[i * 2 + k]).ToArray();
            var a = Analyse(w);
            output.WriteLine($"KL-RBM unit {k}: noise/bond {a.NoiseRatio:P1}, outside span {a.Outside:P1}, E_x {a.Ex:F3}, E_y {a.Ey:F3}");
            klFails |= a.NoiseRatio >= 0.10 || a.Outside > 0.30;
        }
        Assert.True(klFails, "the KL-trained RBM unexpectedly met the RSMI criteria");
    }
}
