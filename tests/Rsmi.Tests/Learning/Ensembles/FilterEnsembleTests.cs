using Rsmi.Filters;
using Rsmi.Data;
using Rsmi.Learning;
using Rsmi.Learning.Ensembles;
using Rsmi.Learning.InfoNce;
using Rsmi.Models.Ising;
using Rsmi.Random;
using Rsmi.Regions;
using Rsmi.Sampling;
using Xunit.Abstractions;

namespace Rsmi.Tests.Learning.Ensembles;

[Trait("Category", "Statistical")]
public class FilterEnsembleTests(ITestOutputHelper output)
{
    private static readonly ulong[] Seeds = [1, 2, 3, 4, 5];

    internal static IFilterLearner Learner(string estimator) => estimator switch
    {
        "rbm" => new RbmFilterLearner(new RsmiTrainingOptions()),
        "infonce" => new InfoNceFilterLearner(new InfoNceOptions()),
        _ => throw new ArgumentException(estimator),
    };

    /// <summary>Exact I(H:E) of a filter applied as h = sign(λ·v + c) with a coin on ties: the σ(2a) rule at a scale
    /// so large that every non-zero activation of ±1 spins is decided (the limit is the sign rule exactly).</summary>
    internal static double SignInformationBits(VisibleEnvironmentDistribution p, FilterParameters filter)
    {
        var sharp = filter.Clone();
        for (int k = 0; k < sharp.Weights.Length; k++) sharp.Weights[k] *= 1e6;
        for (int k = 0; k < sharp.Bias.Length; k++) sharp.Bias[k] *= 1e6;
        return ExactMutualInformation.FilterEnvironment(p, sharp).Bits;
    }

    /// <summary>
    /// The 16-site ring at T = 2 with a block of two sites, buffer 1 and environment 2 on each side: every rule a
    /// single sign unit can apply to two spins (copy either spin, the majority with a coin, OR/AND-like thresholds, and
    /// their complements) is enumerated exactly; the learned filter as applied keeps ≥ 98% of the best one's
    /// information, for both estimators and every seed.
    /// </summary>
    [Theory]
    [Trait("Category", "Statistical")]
    [InlineData("rbm")]
    [InlineData("infonce")]
    public void RingFiltersAsAppliedKeepTheBestFiltersInformation(string estimator)
    {
        var geometry = WindowGeometry.Chain(2, 1, 2);
        var p = ExactMutualInformation.ForWindow(geometry, 16, 1, 2.0);
        double best = 0;
        foreach (var (w1, w2, c) in new[] { (1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (1.0, 1.0, 0.0), (1.0, 1.0, 1.0), (1.0, 1.0, -1.0), (1.0, -1.0, 0.0), (1.0, -1.0, 1.0) })
            best = Math.Max(best, SignInformationBits(p, new FilterParameters(2, 1, [w1, w2], [c])));
        var samples = IsingSampling.Sample("ising1d", "wolff", 16, 2.0, 4000, 77, chains: 4);
        foreach (ulong seed in Seeds)
        {
            var result = FilterEnsemble.Learn(samples, geometry, 1, Learner(estimator), new FilterEnsembleOptions { Seed = seed });
            double applied = SignInformationBits(p, result.Chosen.Learned.Filter);
            output.WriteLine($"{estimator} seed {seed}: [{string.Join(", ", result.Chosen.Learned.Filter.Weights.Select(w => w.ToString("F3")))}] c {result.Chosen.Learned.Filter.Bias[0]:F3}: " +
                $"{applied:F5} of best {best:F5} bits ({applied / best:P2}); held-out {result.MutualInformation.Value:F4} ± {result.MutualInformation.Error:F4}");
            Assert.True(applied >= 0.98 * best, $"{estimator}, seed {seed}: the filter as applied keeps {applied / best:P1} of the best filter's information");
            Assert.True(result.Signal, $"{estimator}, seed {seed}: no signal reported on correlated spins");
        }
    }

    /// <summary>Independent random spins carry no information: every seed and both estimators say so, and no reported
    /// estimate exceeds 0.01 bits.</summary>
    [Theory]
    [Trait("Category", "Statistical")]
    [InlineData("rbm")]
    [InlineData("infonce")]
    public void IndependentSpinsCarryNoSignal(string estimator)
    {
        var rng = RandomStreams.Create(2024, 0, "independent-spins");
        int n = 300, l = 16;
        var data = new sbyte[n * l * l];
        for (int i = 0; i < data.Length; i++) data[i] = (rng.NextUInt64() >> 63) == 0 ? (sbyte)1 : (sbyte)-1;
        var samples = new SampleSet(n, [l, l], data);
        var geometry = WindowGeometry.Square(2, 2, 0, 2);
        foreach (ulong seed in Seeds)
        {
            var result = FilterEnsemble.Learn(samples, geometry, 1, Learner(estimator), new FilterEnsembleOptions { Seed = seed });
            output.WriteLine($"{estimator} seed {seed}: held-out {result.MutualInformation.Value:F5} ± {result.MutualInformation.Error:F5} bits; members {string.Join(", ", result.Members.Select(m => m.SelectionBits.ToString("F4")))}");
            Assert.False(result.Signal, $"{estimator}, seed {seed}: signal reported on independent spins ({result.MutualInformation.Value:F4} ± {result.MutualInformation.Error:F4} bits)");
            Assert.True(result.MutualInformation.Value <= 0.01, $"{estimator}, seed {seed}: {result.MutualInformation.Value:F4} bits reported on independent spins");
            Assert.NotNull(result.NoSignalMessage);
        }
    }

    /// <summary>The yardstick is a lower bound on the exact I(H:E) of the filter as applied and comes close to it: the
    /// copy of one spin and the majority-with-a-coin rule on the ring, compared with exact enumeration.</summary>
    [Fact]
    [Trait("Category", "Statistical")]
    public void YardstickIsCloseBelowTheExactInformation()
    {
        var geometry = WindowGeometry.Chain(2, 1, 2);
        var p = ExactMutualInformation.ForWindow(geometry, 16, 1, 2.0);
        var samples = IsingSampling.Sample("ising1d", "wolff", 16, 2.0, 6000, 5, chains: 4);
        var train = samples.Slice(0, 4000);
        var held = samples.Slice(4000, 2000);
        foreach (var filter in new[] { new FilterParameters(2, 1, [1.0, 0.0]), new FilterParameters(2, 1, [1.0, 1.0]) })
        {
            double exact = SignInformationBits(p, filter);
            var critic = HeldOutInformation.Train(train, geometry, filter, Rsmi.Renormalization.FilterMode.Sign, new InfoNceOptions { Steps = 400, Seed = 9 });
            var (bits, error, batches) = HeldOutInformation.Evaluate(critic, held, 3, "test");
            output.WriteLine($"[{filter.Weights[0]}, {filter.Weights[1]}]: yardstick {bits:F4} ± {error:F4} bits ({batches} batches), exact {exact:F4}");
            Assert.True(bits <= exact + 3 * error, $"the yardstick {bits:F4} ± {error:F4} exceeds the exact {exact:F4} bits");
            Assert.True(bits >= exact - 3 * error - 0.03 * exact, $"the yardstick {bits:F4} ± {error:F4} falls short of the exact {exact:F4} bits");
        }
    }

    /// <summary>The same seed gives the same ensemble whatever the thread count; different seeds give different members.</summary>
    [Fact]
    public void SameSeedSameEnsembleWhateverTheThreads()
    {
        var samples = IsingSampling.Sample("ising2d", "wolff", 16, 2.4, 60, 3);
        var geometry = WindowGeometry.Square(2, 2, 1, 2);
        var learner = new InfoNceFilterLearner(new InfoNceOptions { Steps = 40, BatchSize = 64 });
        var options = new FilterEnsembleOptions { Members = 3, Seed = 8, Yardstick = new InfoNceOptions { Steps = 30, BatchSize = 64, EvaluationBatches = 4 } };
        var one = FilterEnsemble.Learn(samples, geometry, 2, learner, options with { Threads = 1 });
        var two = FilterEnsemble.Learn(samples, geometry, 2, learner, options with { Threads = 2 });
        Assert.Equal(one.ChosenIndex, two.ChosenIndex);
        Assert.Equal(one.MutualInformation.Value, two.MutualInformation.Value);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(one.Members[i].Learned.Filter.Weights, two.Members[i].Learned.Filter.Weights);
            Assert.Equal(one.Members[i].SelectionBits, two.Members[i].SelectionBits);
        }
        Assert.NotEqual(one.Members[0].Learned.Filter.Weights, one.Members[1].Learned.Filter.Weights);
        Assert.Equal((48, 6, 6), one.Split);
        Assert.Equal(one.Members.Max(m => m.SelectionBits), one.Chosen.SelectionBits);
    }

    [Fact]
    public void TooFewConfigurationsAreRefused()
    {
        var samples = IsingSampling.Sample("ising2d", "wolff", 8, 2.4, 12, 3);
        var e = Assert.Throws<RsmiInputException>(() => FilterEnsemble.Learn(samples, WindowGeometry.Square(2, 2, 0, 1), 1, Learner("infonce"), new FilterEnsembleOptions()));
        Assert.Contains("at least 20", e.Message);
    }
}
