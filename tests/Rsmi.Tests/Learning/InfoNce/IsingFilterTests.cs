using Rsmi.Learning;
using Rsmi.Learning.InfoNce;
using Rsmi.Models.Ising;
using Rsmi.Regions;
using Rsmi.Sampling;
using Xunit.Abstractions;

namespace Rsmi.Tests.Learning.InfoNce;

/// <summary>The paper's Fig. 2a with the neural estimator: 64×64 Ising at T_c, b = 2, N_h = 1.</summary>
[Trait("Category", "Statistical")]
public class IsingFilterTests(ITestOutputHelper output)
{
    [Fact]
    public void CriticalIsingGivesTheKadanoffBlockSpinCarryingTheRbmFiltersInformation()
    {
        double tc = 2 / Math.Log(1 + Math.Sqrt(2));
        var samples = IsingSampling.Sample("ising2d", "wolff", 64, tc, 400, 11);
        var geometry = WindowGeometry.Square(2, 2, 1, 2);
        var options = new InfoNceOptions { Seed = 1 };
        var result = InfoNceLearner.Learn(samples, geometry, options);
        var w = result.Filter.Row(0).ToArray();
        double mean = w.Average();
        output.WriteLine($"filter [{string.Join(", ", w.Select(x => x.ToString("F3")))}] bias {result.Filter.Bias[0]:F3}, bound {result.MutualInformation.Value:F4} ± {result.MutualInformation.Error:F4} bits");
        Assert.All(w, x => Assert.True(x > 0));
        Assert.All(w, x => Assert.True(Math.Abs(x - mean) <= 0.10 * mean, $"weight {x:F3} differs from the mean {mean:F3} by more than 10%"));

        // The RBM-learned filter (the paper's RSMI network) on the same samples, and one yardstick for both: a fresh
        // critic trained on hard samples of each fixed filter, same windows and seed.
        var rbm = RsmiLearner.Learn(WindowCutter.Cut(samples, geometry), new RsmiTrainingOptions { Hidden = 1, Seed = 1 });
        var learned = InfoNceLearner.EvaluateFilters(samples, geometry, result.Filter, options);
        var reference = InfoNceLearner.EvaluateFilters(samples, geometry, rbm.Filter, options);
        output.WriteLine($"RBM filter [{string.Join(", ", rbm.Filter.Weights.Select(x => x.ToString("F3")))}] bias {rbm.Filter.Bias[0]:F3}");
        output.WriteLine($"yardstick: InfoNCE filter {learned.Bits:F4} ± {learned.Error:F4}, RBM filter {reference.Bits:F4} ± {reference.Error:F4} bits");
        Assert.True(learned.Bits >= 0.95 * reference.Bits, $"InfoNCE filter {learned.Bits:F4} bits < 95% of the RBM filter's {reference.Bits:F4}");
    }
}
