using Rsmi.Learning.InfoNce;
using Rsmi.Regions;
using Rsmi.Sampling;
using Xunit.Abstractions;

namespace Rsmi.Tests.Learning.InfoNce;

/// <summary>The paper's Fig. 2a with the neural estimator: 64×64 Ising at T_c, b = 2, N_h = 1.</summary>
public class IsingFilterTests(ITestOutputHelper output)
{
    [Fact]
    public void CriticalIsingGivesTheKadanoffBlockSpinCarryingTheMajorityRulesInformation()
    {
        double tc = 2 / Math.Log(1 + Math.Sqrt(2));
        var samples = IsingSampling.Sample("ising2d", "wolff", 64, tc, 400, 11);
        var geometry = WindowGeometry.Square(2, 2, 1, 2);
        var options = new InfoNceOptions { Seed = 1 };
        var result = InfoNceLearner.Learn(samples, geometry, options);
        var w = result.Weights[0];
        double mean = w.Average();
        output.WriteLine($"filter [{string.Join(", ", w.Select(x => x.ToString("F3")))}] bias {result.Bias[0]:F3}, bound {result.MutualInformationBits:F4} ± {result.MutualInformationBitsError:F4} bits");
        Assert.All(w, x => Assert.True(x > 0));
        Assert.All(w, x => Assert.True(Math.Abs(x - mean) <= 0.10 * mean, $"weight {x:F3} differs from the mean {mean:F3} by more than 10%"));

        // One yardstick for both filters: a fresh critic trained on hard samples of each fixed filter, same data and seed.
        var learned = InfoNceLearner.EvaluateFilters(samples, geometry, result.Weights, result.Bias, options);
        var majority = InfoNceLearner.EvaluateFilters(samples, geometry, [[10.0, 10.0, 10.0, 10.0]], [0.0], options);
        output.WriteLine($"yardstick: learned {learned.Bits:F4} ± {learned.Error:F4}, majority rule {majority.Bits:F4} ± {majority.Error:F4} bits");
        Assert.True(learned.Bits >= 0.95 * majority.Bits, $"learned {learned.Bits:F4} bits < 95% of the majority rule's {majority.Bits:F4}");
    }
}
