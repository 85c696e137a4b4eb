using Rsmi.Learning.Nn;
using Rsmi.Random;

namespace Rsmi.Tests.Learning.Nn;

public class MlpTests
{
    private static (Mlp Net, double[] X, double[] G, double[] Mask) Setup(double dropout)
    {
        var net = new Mlp([5, 7, 6, 3], dropout, 11);
        var rng = RandomStreams.Create(3, 0, "test");
        // non-zero biases so that every layer's bias gradient is exercised
        foreach (ref double p in net.Parameters.AsSpan()) p += 0.05 * rng.NextGaussian();
        var x = Enumerable.Range(0, 5).Select(_ => rng.NextGaussian()).ToArray();
        var g = Enumerable.Range(0, 3).Select(_ => rng.NextGaussian()).ToArray();
        var mask = new double[net.HiddenUnits];
        net.DrawDropoutScale(ref rng, mask);
        return (net, x, g, mask);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void BackpropagationMatchesFiniteDifferences(double dropout)
    {
        var (net, x, g, mask) = Setup(dropout);
        var act = new double[net.ActivationSize];
        double Objective()
        {
            net.ForwardRow(x, act, mask);
            var y = net.Output(act);
            double s = 0; for (int o = 0; o < y.Length; o++) s += g[o] * y[o];
            return s;
        }
        Objective();
        var grad = new double[net.ParameterCount];
        var dx = new double[net.InputSize];
        net.BackwardRow(act, mask, g, grad, dx, new double[2 * net.MaxWidth]);
        Assert.Contains(grad, v => v != 0);
        int n = GradientCheck.AssertMatches(net.Parameters, grad, Objective, what: "parameters");
        Assert.Equal(net.ParameterCount, n);
        GradientCheck.AssertMatches(x, dx, Objective, what: "input");
        if (dropout > 0) Assert.Contains(mask, m => m == 0);
    }

    [Fact]
    public void BackwardAccumulatesIntoTheGradientBuffer()
    {
        var (net, x, g, _) = Setup(0);
        var act = new double[net.ActivationSize];
        net.ForwardRow(x, act, default);
        var once = new double[net.ParameterCount];
        var twice = new double[net.ParameterCount];
        var scratch = new double[2 * net.MaxWidth];
        net.BackwardRow(act, default, g, once, default, scratch);
        net.BackwardRow(act, default, g, twice, default, scratch);
        net.BackwardRow(act, default, g, twice, default, scratch);
        for (int i = 0; i < once.Length; i++) Assert.Equal(2 * once[i], twice[i], 12);
    }

    [Fact]
    public void DropoutKeepsTheExpectedActivation()
    {
        // inverted dropout: E[scale] = 1; with p = 0.25 over 40,000 draws the mean is 1 ± 4σ, σ = sqrt(p/(1-p)/n)
        var net = new Mlp([2, 200, 1], 0.25, 1);
        var rng = RandomStreams.Create(5, 0, "dropout-test");
        var scale = new double[net.HiddenUnits];
        double sum = 0; int n = 0;
        for (int rep = 0; rep < 200; rep++)
        {
            net.DrawDropoutScale(ref rng, scale);
            foreach (double s in scale) { sum += s; n++; }
        }
        double sigma = Math.Sqrt(0.25 / 0.75 / n);
        Assert.InRange(sum / n, 1 - 4 * sigma, 1 + 4 * sigma);
    }

    [Fact]
    public void AdamAscendsAConcaveQuadraticToItsMaximum()
    {
        // maximise −Σ c_i (θ_i − t_i)² with badly scaled curvatures; Adam is scale-invariant per coordinate
        double[] t = [1.5, -2.0, 0.25], c = [100, 1, 0.01], theta = new double[3], grad = new double[3];
        var adam = new Adam(3, 0.05);
        for (int step = 0; step < 4000; step++)
        {
            for (int i = 0; i < 3; i++) grad[i] = -2 * c[i] * (theta[i] - t[i]);
            if (step == 3000) adam.LearningRate = 0.001;
            adam.Ascend(theta, grad);
        }
        for (int i = 0; i < 3; i++) Assert.InRange(theta[i], t[i] - 0.01, t[i] + 0.01);
    }
}
