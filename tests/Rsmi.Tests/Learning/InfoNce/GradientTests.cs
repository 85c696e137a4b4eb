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

    [Theory]
    [InlineData(MutualInformationBound.InfoNce, 1, 0.0)]
    [InlineData(MutualInformationBound.InfoNce, 3, 0.0)]
    [InlineData(MutualInformationBound.Nwj, 2, 0.0)]
    [InlineData(MutualInformationBound.InfoNce, 2, 0.2)]
    public void GradientOfTheBoundSummedOverHiddenStatesMatchesFiniteDifferences(MutualInformationBound bound, int nh, double dropout)
    {
        int k = 21, nv = 4, ne = 6; // 21 rows: two chunks
        var critic = new SeparableCritic(nh, ne, [8, 8], 4, dropout, 3);
        var rng = RandomStreams.Create(5, 0, "rsmi-data");
        var weights = Random(ref rng, nh * nv, 0.6);
        var bias = Random(ref rng, nh, 0.2);
        // non-zero biases: with zero biases a ±1 state can put a ReLU exactly on its kink, where the difference quotient fails
        foreach (var p in new[] { critic.U.Parameters, critic.W.Parameters }) for (int i = 0; i < p.Length; i++) p[i] += 0.05 * rng.NextGaussian();
        var obj = new MarginalRsmiNeObjective(nh, nv, ne, k, critic, weights, bias);
        for (int i = 0; i < k * nv; i++) obj.Visible[i] = rng.NextDouble() < 0.5 ? -1 : 1;
        for (int i = 0; i < k * ne; i++) obj.Environment[i] = rng.NextDouble() < 0.5 ? -1 : 1;
        ulong? seed = dropout > 0 ? 17UL : null;
        double F() => obj.Evaluate(k, bound, gradient: false, trainFilters: true, 1, seed, 3);
        obj.Evaluate(k, bound, gradient: true, trainFilters: true, -1, seed, 3);
        var gl = (double[])obj.GradientWeights.Clone(); var gc = (double[])obj.GradientBias.Clone();
        var gu = (double[])obj.GradientU.Clone(); var gw = (double[])obj.GradientW.Clone();
        Assert.Contains(gl, g => Math.Abs(g) > 1e-6);
        GradientCheck.AssertMatches(weights, gl, F, what: "lambda");
        GradientCheck.AssertMatches(bias, gc, F, what: "bias");
        GradientCheck.AssertMatches(critic.U.Parameters, gu, F, what: "u");
        GradientCheck.AssertMatches(critic.W.Parameters, gw, F, maxChecks: 60, what: "w");
    }

    [Fact]
    public void BoundSummedOverHiddenStatesIsTheMeanOfTheHardSampleBound()
    {
        // The summed objective is E_h[bound with hard samples h ~ P(h|V)]: average the hard-sample bound (same critic,
        // same rows) over many noise draws and compare within 4 standard errors.
        int k = 12, nh = 2, nv = 3, ne = 5;
        var critic = new SeparableCritic(nh, ne, [6], 3, 0, 11);
        var rng = RandomStreams.Create(6, 0, "rsmi-data");
        var weights = Random(ref rng, nh * nv, 0.7);
        var bias = Random(ref rng, nh, 0.2);
        var summed = new MarginalRsmiNeObjective(nh, nv, ne, k, critic, weights, bias);
        var sampled = new RsmiNeObjective(nh, nv, ne, k, critic, weights, bias);
        for (int i = 0; i < k * nv; i++) summed.Visible[i] = sampled.Visible[i] = rng.NextDouble() < 0.5 ? -1 : 1;
        for (int i = 0; i < k * ne; i++) summed.Environment[i] = sampled.Environment[i] = rng.NextDouble() < 0.5 ? -1 : 1;
        foreach (var bound in new[] { MutualInformationBound.InfoNce, MutualInformationBound.Nwj })
        {
            double exact = summed.Evaluate(k, bound, gradient: false, trainFilters: false, 1);
            int draws = 20000; double sum = 0, sum2 = 0;
            for (int n = 0; n < draws; n++)
            {
                for (int i = 0; i < k * nh; i++) sampled.Noise[i] = RelaxedBernoulli.LogisticNoise(ref rng);
                double v = sampled.Evaluate(k, 1.0, bound, hard: true, gradient: false, trainFilters: false, 1);
                sum += v; sum2 += v * v;
            }
            double mean = sum / draws, se = Math.Sqrt((sum2 / draws - mean * mean) / draws);
            Assert.True(Math.Abs(mean - exact) <= 4 * se, $"{bound}: summed {exact:F5}, hard-sample mean {mean:F5} ± {se:F5}");
        }
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
