using Rsmi.Learning.InfoNce;
using Rsmi.Random;
using Rsmi.Tests.Learning.Nn;

namespace Rsmi.Tests.Learning.InfoNce;

public class GradientTests
{
    [Theory]
    [InlineData(MutualInformationBound.InfoNce)]
    [InlineData(MutualInformationBound.Nwj)]
    public void BoundGradientWithRespectToScoresMatchesFiniteDifferences(MutualInformationBound bound)
    {
        int k = 7;
        var rng = RandomStreams.Create(1, 0, "scores");
        var s = Enumerable.Range(0, k * k).Select(_ => rng.NextGaussian()).ToArray();
        var grad = new double[k * k];
        double Value(bool withGrad)
        {
            double v = 0;
            for (int i = 0; i < k; i++) v += MutualInformationBounds.RowTerm(bound, s.AsSpan(i * k, k), i, withGrad ? grad.AsSpan(i * k, k) : default);
            return v / k;
        }
        Value(true);
        GradientCheck.AssertMatches(s, grad, () => Value(false), what: bound.ToString());
    }

    [Fact]
    public void InfoNceOfIdenticalScoresIsZeroAndOfADominantDiagonalApproachesLogK()
    {
        int k = 16;
        var zero = new double[k];
        Assert.Equal(0.0, MutualInformationBounds.RowTerm(MutualInformationBound.InfoNce, zero, 3, default), 12);
        var peaked = new double[k]; peaked[3] = 60;
        Assert.Equal(Math.Log(k), MutualInformationBounds.RowTerm(MutualInformationBound.InfoNce, peaked, 3, default), 9);
    }

    private static double[] Random(ref Xoshiro256StarStar rng, int n, double scale = 1)
    {
        var a = new double[n];
        for (int i = 0; i < n; i++) a[i] = scale * rng.NextGaussian();
        return a;
    }

    [Theory]
    [InlineData(MutualInformationBound.InfoNce, 0.0)]
    [InlineData(MutualInformationBound.Nwj, 0.0)]
    [InlineData(MutualInformationBound.InfoNce, 0.2)]
    public void CriticGradientMatchesFiniteDifferences(MutualInformationBound bound, double dropout)
    {
        int k = 20, dx = 3, dy = 5; // 20 rows: two chunks
        var critic = new SeparableCritic(dx, dy, [6, 4], 3, dropout, 7);
        var batch = new CriticBatch(critic, k);
        var rng = RandomStreams.Create(2, 0, "critic-data");
        Random(ref rng, k * dx).CopyTo(batch.X, 0);
        Random(ref rng, k * dy).CopyTo(batch.Y, 0);
        ulong? seed = dropout > 0 ? 99UL : null;
        double F() => batch.Run(k, bound, false, 1, seed, 5);
        batch.Run(k, bound, true, -1, seed, 5);
        var gu = (double[])batch.GradientU.Clone(); var gw = (double[])batch.GradientW.Clone();
        var gx = (double[])batch.InputGradientX.Clone();
        GradientCheck.AssertMatches(critic.U.Parameters, gu, F, what: "u");
        GradientCheck.AssertMatches(critic.W.Parameters, gw, F, what: "w");
        GradientCheck.AssertMatches(batch.X, gx.AsSpan(0, k * dx), F, what: "x");
    }

    [Theory]
    [InlineData(MutualInformationBound.InfoNce, 0.5)]
    [InlineData(MutualInformationBound.InfoNce, 0.1)]
    [InlineData(MutualInformationBound.Nwj, 0.3)]
    public void FullGradientThroughTheRelaxedSampleIntoTheFiltersMatchesFiniteDifferences(MutualInformationBound bound, double tau)
    {
        int k = 24, nh = 2, nv = 4, ne = 6;
        var critic = new SeparableCritic(nh, ne, [8, 8], 4, 0, 3);
        var rng = RandomStreams.Create(4, 0, "rsmi-data");
        var weights = Random(ref rng, nh * nv, 0.3);
        var bias = Random(ref rng, nh, 0.1);
        var obj = new RsmiNeObjective(nh, nv, ne, k, critic, weights, bias);
        for (int i = 0; i < k * nv; i++) obj.Visible[i] = rng.NextDouble() < 0.5 ? -1 : 1;
        for (int i = 0; i < k * ne; i++) obj.Environment[i] = rng.NextDouble() < 0.5 ? -1 : 1;
        for (int i = 0; i < k * nh; i++) obj.Noise[i] = RelaxedBernoulli.LogisticNoise(ref rng); // fixed noise
        double F() => obj.Evaluate(k, tau, bound, hard: false, gradient: false, trainFilters: true, 1);
        obj.Evaluate(k, tau, bound, hard: false, gradient: true, trainFilters: true, -1);
        var gl = (double[])obj.GradientWeights.Clone(); var gc = (double[])obj.GradientBias.Clone();
        var gu = (double[])obj.Batch.GradientU.Clone(); var gw = (double[])obj.Batch.GradientW.Clone();
        Assert.Contains(gl, g => Math.Abs(g) > 1e-6);
        GradientCheck.AssertMatches(weights, gl, F, what: "lambda");
        GradientCheck.AssertMatches(bias, gc, F, what: "bias");
        GradientCheck.AssertMatches(critic.U.Parameters, gu, F, what: "u");
        GradientCheck.AssertMatches(critic.W.Parameters, gw, F, maxChecks: 60, what: "w");
    }

    [Fact]
    public void HardSampleIsUpWithProbabilitySigmoidOfTwoA()
    {
        // 4σ binomial check for several a
        var rng = RandomStreams.Create(8, 0, "hard");
        foreach (double a in new[] { -1.2, -0.3, 0.0, 0.4, 1.5 })
        {
            int n = 40000, up = 0;
            for (int i = 0; i < n; i++) if (RelaxedBernoulli.Hard(a, RelaxedBernoulli.LogisticNoise(ref rng)) > 0) up++;
            double p = RelaxedBernoulli.Sigmoid(2 * a), sigma = Math.Sqrt(p * (1 - p) / n);
            Assert.InRange((double)up / n, p - 4 * sigma, p + 4 * sigma);
        }
    }

    [Fact]
    public void RelaxedSampleTendsToTheHardSampleAsTemperatureFalls()
    {
        var rng = RandomStreams.Create(9, 0, "relaxed");
        for (int i = 0; i < 1000; i++)
        {
            double a = rng.NextGaussian(), l = RelaxedBernoulli.LogisticNoise(ref rng);
            if (Math.Abs(2 * a + l) < 1e-3) continue;
            double relaxed = 2 * RelaxedBernoulli.RelaxedUp(a, l, 1e-4) - 1;
            Assert.Equal(RelaxedBernoulli.Hard(a, l), relaxed, 6);
        }
        var schedule = new TemperatureSchedule(0.75, 0.1, AnnealingKind.Exponential, 0.5);
        Assert.Equal(0.75, schedule.At(0, 100), 12);
        Assert.Equal(Math.Sqrt(0.75 * 0.1), schedule.At(25, 100), 12);
        Assert.Equal(0.1, schedule.At(80, 100), 12);
        Assert.Equal(0.425, new TemperatureSchedule(0.75, 0.1, AnnealingKind.Linear, 1.0).At(50, 100), 12);
    }
}
