using Rsmi.Learning.InfoNce;
using Rsmi.Random;
using Rsmi.Tests.Learning.Nn;

namespace Rsmi.Tests.Learning.InfoNce;

/// <summary>Categorical hidden units: the Gumbel hard sample draws the softmax law, and the gradient of the bound
/// through the relaxed one-hot sample into the filters is exact.</summary>
public class CategoricalObjectiveTests
{
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void GumbelArgmaxDrawsTheSoftmaxProbabilities(ulong seed)
    {
        double[] a = [0.3, -1.2, 1.1, 0.0];
        double z = a.Sum(Math.Exp);
        var p = a.Select(x => Math.Exp(x) / z).ToArray();
        var rng = RandomStreams.Create(seed, 0, "gumbel-test");
        int n = 200_000;
        var counts = new int[a.Length];
        var g = new double[a.Length];
        for (int t = 0; t < n; t++)
        {
            for (int s = 0; s < g.Length; s++) g[s] = GumbelSoftmax.Noise(ref rng);
            counts[GumbelSoftmax.Hard(a, g)]++;
        }
        double chi2 = 0;
        for (int s = 0; s < a.Length; s++) chi2 += (counts[s] - n * p[s]) * (counts[s] - n * p[s]) / (n * p[s]);
        // χ² with 3 degrees of freedom: P(χ² > 16.27) = 0.001
        Assert.True(chi2 < 16.27, $"chi2 = {chi2:F2}, counts {string.Join(", ", counts)}");
    }

    [Fact]
    public void RelaxedSampleIsAProbabilityVectorThatTendsToTheHardSample()
    {
        double[] a = [0.3, -1.2, 1.1], g = [0.5, 0.1, -0.4];
        var y = new double[3];
        GumbelSoftmax.Relaxed(a, g, 1.0, y);
        Assert.Equal(1.0, y.Sum(), 12);
        GumbelSoftmax.Relaxed(a, g, 1e-3, y);
        int hard = GumbelSoftmax.Hard(a, g);
        Assert.Equal(1.0, y[hard], 9);
    }

    private static double[] Random(ref Xoshiro256StarStar rng, int n, double scale = 1)
    {
        var a = new double[n];
        for (int i = 0; i < n; i++) a[i] = scale * rng.NextGaussian();
        return a;
    }

    [Theory]
    [InlineData(MutualInformationBound.InfoNce, 1, 3, 0.5)]
    [InlineData(MutualInformationBound.InfoNce, 2, 3, 0.2)]
    [InlineData(MutualInformationBound.Nwj, 1, 4, 0.4)]
    public void GradientThroughTheRelaxedOneHotSampleIntoTheFiltersMatchesFiniteDifferences(MutualInformationBound bound, int nh, int q, double tau)
    {
        int k = 24, sites = 4, features = 3, nv = sites * features, ne = 6 * features;
        var critic = new SeparableCritic(nh * q, ne, [8, 8], 4, 0, 3);
        var rng = RandomStreams.Create(5, 0, "categorical-data");
        var weights = Random(ref rng, nh * q * nv, 0.3);
        var bias = Random(ref rng, nh * q, 0.1);
        var obj = new CategoricalRsmiNeObjective(nh, q, nv, ne, k, critic, weights, bias);
        // one-hot labels on both sides
        for (int r = 0; r < k; r++)
        {
            for (int i = 0; i < sites; i++) obj.Visible[r * nv + i * features + rng.NextInt(features)] = 1;
            for (int i = 0; i < 6; i++) obj.Environment[r * ne + i * features + rng.NextInt(features)] = 1;
        }
        obj.DrawNoise(k, ref rng); // fixed noise
        double F() => obj.Evaluate(k, tau, bound, hard: false, gradient: false, trainFilters: true, 1);
        obj.Evaluate(k, tau, bound, hard: false, gradient: true, trainFilters: true, -1);
        var gl = (double[])obj.GradientWeights.Clone(); var gc = (double[])obj.GradientBias.Clone();
        Assert.Contains(gl, g => Math.Abs(g) > 1e-6);
        GradientCheck.AssertMatches(weights, gl, F, what: "lambda");
        GradientCheck.AssertMatches(bias, gc, F, what: "bias");
    }

    [Fact]
    public void HardSamplesAreOneHot()
    {
        int k = 8, nh = 2, q = 3, nv = 6, ne = 4;
        var critic = new SeparableCritic(nh * q, ne, [4], 2, 0, 1);
        var rng = RandomStreams.Create(6, 0, "categorical-hard");
        var obj = new CategoricalRsmiNeObjective(nh, q, nv, ne, k, critic, Random(ref rng, nh * q * nv), Random(ref rng, nh * q));
        for (int i = 0; i < k * nv; i++) obj.Visible[i] = rng.NextInt(2);
        obj.DrawNoise(k, ref rng);
        obj.Evaluate(k, 1.0, MutualInformationBound.InfoNce, hard: true, gradient: false, trainFilters: false, 1);
        for (int r = 0; r < k; r++)
            for (int j = 0; j < nh; j++)
            {
                var x = obj.Batch.X.AsSpan(r * nh * q + j * q, q).ToArray();
                Assert.Equal(1, x.Count(v => v == 1));
                Assert.Equal(q - 1, x.Count(v => v == 0));
            }
    }
}
