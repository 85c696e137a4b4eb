using Rsmi.Dimers;
using Rsmi.Learning;
using Rsmi.Learning.InfoNce;
using Rsmi.Regions;
using Xunit.Abstractions;

namespace Rsmi.Tests.Learning.InfoNce;

/// <summary>
/// The paper's Fig. 4 with the neural estimator: dimers on a 32×32 torus with strongly coupled noise pairs
/// (K_noise = 2), an 8×8 window of the 64×64 image (buffer 2, environment 4 pixels), N_h = 2.
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
    public void FiltersCoupleToTheElectricFieldsAndIgnoreTheNoiseUnlikeAKlTrainedRbm()
    {
        var samples = DimerSampling.Generate(new DimerSamplingOptions(32, 1000, 2.0, 7));
        var geometry = WindowGeometry.Square(8, 8, 2, 4);
        var options = new InfoNceOptions
        {
            Hidden = 2, Seed = 1, WarmUpSteps = 600, Steps = 2000, BatchSize = 512, EvaluationBatchSize = 256, FilterL2 = 0.05,
        };
        var result = InfoNceLearner.Learn(samples, geometry, options);
        output.WriteLine($"InfoNCE bound {result.MutualInformationBits:F4} ± {result.MutualInformationBitsError:F4} bits");
        for (int j = 0; j < 2; j++)
        {
            var a = Analyse(result.Weights[j]);
            output.WriteLine($"InfoNCE unit {j}: noise/bond {a.NoiseRatio:P1}, outside span {a.Outside:P1}, E_x {a.Ex:F3}, E_y {a.Ey:F3}");
            Assert.True(a.NoiseRatio < 0.10, $"unit {j}: noise weights {a.NoiseRatio:P1} of bond weights");
            Assert.True(a.Outside <= 0.30, $"unit {j}: {a.Outside:P1} of the bond filter lies outside span(E_x, E_y)");
        }

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
