using Rsmi.Filters;
using Rsmi.Learning;
using Rsmi.Learning.InfoNce;
using Rsmi.Random;
using Rsmi.Regions;
using Xunit.Abstractions;

namespace Rsmi.Tests.Learning.InfoNce;

/// <summary>
/// The neural bounds against exact mutual information. Every comparison is "below the exact value" (to 4 standard
/// errors of the held-out estimate) and "within 5% of it"; the InfoNCE cap is log K = log 256 = 5.55 nats (8 bits),
/// far above the values tested, so the cap does not limit these checks.
/// </summary>
public class ValidationTests(ITestOutputHelper output)
{
    private static void AssertBelowAndClose(double estimate, double error, double exact, string what)
    {
        Assert.True(estimate <= exact + 4 * error, $"{what}: estimate {estimate:F4} ± {error:F4} above the exact {exact:F4}");
        Assert.True(estimate >= 0.95 * exact, $"{what}: estimate {estimate:F4} ± {error:F4} more than 5% below the exact {exact:F4}");
    }

    [Theory]
    [InlineData(MutualInformationBound.InfoNce)]
    [InlineData(MutualInformationBound.Nwj)]
    public void CorrelatedGaussiansWithKnownInformation(MutualInformationBound bound)
    {
        // X, Y in R^2, componentwise correlation rho: I = -d/2 log(1 - rho^2) = 1 nat for rho^2 = 1 - e^-1
        int d = 2, n = 40000;
        double rho = Math.Sqrt(1 - Math.Exp(-1)), exact = -d / 2.0 * Math.Log(1 - rho * rho);
        var rng = RandomStreams.Create(21, 0, "gaussians");
        var x = new double[n * d]; var y = new double[n * d];
        for (int i = 0; i < n * d; i++)
        {
            double a = rng.NextGaussian(), b = rng.NextGaussian();
            x[i] = a; y[i] = rho * a + Math.Sqrt(1 - rho * rho) * b;
        }
        var options = new InfoNceOptions { Bound = bound, Steps = 1500, FinalLearningRateFraction = 0.2, Seed = 5, HoldoutFraction = 0.25, EvaluationBatches = 39 };
        var (nats, err, _) = CriticEstimator.Estimate(x, d, y, d, n, options);
        output.WriteLine($"{bound}: {nats:F4} ± {err:F4} nats, exact {exact:F4}, log K cap {Math.Log(options.BatchSize):F3}");
        AssertBelowAndClose(nats, err, exact, bound.ToString());
    }

    private static double ExactBits(VisibleEnvironmentDistribution p, InfoNceResult r) =>
        ExactMutualInformation.FilterEnvironment(p, r.Filter).Bits;

    [Fact]
    public void RingFilterBoundIsBelowAndCloseToTheExactInformation()
    {
        // ring of 16 sites at T = 1 (K = 1), block 2, buffer 0, environment 2 on each side; exact i.i.d. (V, E) pairs
        var p = ExactMutualInformation.ForWindow(WindowGeometry.Chain(2, 0, 2), 16, 1, 1.0);
        var result = InfoNceLearner.Learn(p.Sample(160000, 1), new InfoNceOptions { Steps = 800, Seed = 3 });
        double exact = ExactBits(p, result);
        output.WriteLine($"filter [{string.Join(", ", result.Filter.Row(0).ToArray().Select(w => w.ToString("F3")))}] bias {result.Filter.Bias[0]:F3}");
        output.WriteLine($"bound {result.MutualInformation.Value:F4} ± {result.MutualInformation.Error:F4} bits, exact I(H:E) {exact:F4}, I(V:E) {ExactMutualInformation.VisibleEnvironment(p).Bits:F4}");
        AssertBelowAndClose(result.MutualInformation.Value, result.MutualInformation.Error, exact, "ring");
    }

    [Fact]
    public void TorusFilterIsWithinTwoPercentOfTheExactOptimumAndTheBoundIsBelowAndCloseToIt()
    {
        // 4x4 torus at T = 2.5, 2x2 block, buffer 0, environment 1: E is the other 12 sites
        var p = ExactMutualInformation.ForWindow(WindowGeometry.Square(2, 2, 0, 1), 4, 4, 2.5);
        // The optimum breaks the Z2 symmetry: a bias sends the ties (block sum 0) to one side (0.665 bits against 0.650
        // for the symmetric majority rule with random ties), which takes a larger filter learning rate to reach; the
        // supremum lies at infinite weights, so this run keeps the learning rate constant and reports the last iterate.
        var options = new InfoNceOptions
        {
            Steps = 3000, LearningRate = 9e-3, FilterLearningRate = 0.03, FinalLearningRateFraction = 1, FilterAveragingFraction = 0, Seed = 4,
        };
        var result = InfoNceLearner.Learn(p.Sample(80000, 2), options);
        double learned = ExactBits(p, result);
        var (best, info) = ExactMutualInformation.MaximiseFilter(p, 1, seed: 9, restarts: 3, iterations: 1500);
        double optimum = info.Bits;
        output.WriteLine($"learned [{string.Join(", ", result.Filter.Row(0).ToArray().Select(w => w.ToString("F3")))}] bias {result.Filter.Bias[0]:F3}: exact {learned:F4} bits");
        output.WriteLine($"optimum [{string.Join(", ", best.Weights.Select(w => w.ToString("F3")))}] bias {best.Bias[0]:F3}: exact {optimum:F4} bits");
        output.WriteLine($"bound {result.MutualInformation.Value:F4} ± {result.MutualInformation.Error:F4} bits");
        Assert.True(learned >= 0.98 * optimum, $"learned filter carries {learned:F4} bits, optimum {optimum:F4}");
        AssertBelowAndClose(result.MutualInformation.Value, result.MutualInformation.Error, learned, "torus");
    }

    [Fact]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        var windows = ExactMutualInformation.ForWindow(WindowGeometry.Chain(2, 0, 2), 10, 1, 1.25).Sample(4800, 7);
        var o = new InfoNceOptions { Steps = 30, BatchSize = 64, Seed = 8, Dropout = 0.1, MaxDegreeOfParallelism = 1 };
        var one = InfoNceLearner.Learn(windows, o);
        var many = InfoNceLearner.Learn(windows, o with { MaxDegreeOfParallelism = -1 });
        Assert.Equal(one.Filter.Weights, many.Filter.Weights);
        Assert.Equal(one.MutualInformation.Value, many.MutualInformation.Value);
        Assert.Equal(one.History, many.History);
    }
}
