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

    [Theory]
    [InlineData(0.0, 1)]
    [InlineData(0.0, 7)]
    [InlineData(0.3, 16)]
    public void TilesOfRowsMatchRowByRowPasses(double dropout, int rows)
    {
        // the batched passes compute the same sums as the row passes, in another order: equal up to rounding
        var net = new Mlp([9, 13, 6, 5], dropout, 4);
        var rng = RandomStreams.Create(8, 0, "tile-test");
        foreach (ref double p in net.Parameters.AsSpan()) p += 0.05 * rng.NextGaussian();
        int nIn = net.InputSize, nOut = net.OutputSize, a = net.ActivationSize, hu = net.HiddenUnits;
        var x = Enumerable.Range(0, rows * nIn).Select(_ => rng.NextGaussian()).ToArray();
        var g = Enumerable.Range(0, rows * nOut).Select(_ => rng.NextGaussian()).ToArray();
        var mask = new double[rows * hu];
        for (int r = 0; r < rows; r++) net.DrawDropoutScale(ref rng, mask.AsSpan(r * hu, hu));
        var rowAct = new double[rows * a];
        var rowGrad = new double[net.ParameterCount];
        var rowDx = new double[rows * nIn];
        var scratch = new double[2 * net.MaxWidth];
        for (int r = 0; r < rows; r++)
        {
            net.ForwardRow(x.AsSpan(r * nIn, nIn), rowAct.AsSpan(r * a, a), mask.AsSpan(r * hu, hu));
            net.BackwardRow(rowAct.AsSpan(r * a, a), mask.AsSpan(r * hu, hu), g.AsSpan(r * nOut, nOut), rowGrad, rowDx.AsSpan(r * nIn, nIn), scratch);
        }
        var transposed = new double[net.ParameterCount];
        net.TransposeWeights(transposed);
        var tile = new double[rows * a];
        net.ForwardRows(rows, x, tile, mask, transposed);
        var grad = new double[net.ParameterCount];
        var dx = new double[rows * nIn];
        net.BackwardRows(rows, x, tile, mask, g, grad, dx, new double[2 * rows * net.MaxWidth]);
        var output = net.OutputRows(tile, rows);
        for (int r = 0; r < rows; r++)
        {
            var expected = net.Output(rowAct.AsSpan(r * a, a));
            for (int o = 0; o < nOut; o++) Assert.Equal(expected[o], output[r * nOut + o], 1e-12);
        }
        Assert.Contains(grad, v => v != 0);
        for (int i = 0; i < grad.Length; i++) Assert.Equal(rowGrad[i], grad[i], 1e-12);
        for (int i = 0; i < dx.Length; i++) Assert.Equal(rowDx[i], dx[i], 1e-12);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(5, 3, 7)]
    [InlineData(4, 8, 16)]
    [InlineData(9, 21, 2)]
    [InlineData(3, 16, 0)]
    [InlineData(9, 57, 5)]
    [InlineData(13, 40, 11)]
    [InlineData(17, 8, 30)]
    [InlineData(6, 96, 3)]
    public void MatrixProductsMatchTheirDefinition(int rows, int cols, int inner)
    {
        // every entry is the fused multiply-add sum over k in order, to the bit, whichever register tile computed it (the
        // shapes cover the 512-bit tiles of 32, 16 and 8 columns, the narrower ones and the scalar remainder, with rows
        // that leave remainders of the 8- and 4-row tiles)
        // A read through strides (here Aᵀ of a stored inner × rows matrix), B and C with row strides wider than their columns
        var rng = RandomStreams.Create(2, 0, "gemm-test");
        int ldb = cols + 3, ldc = cols + 1;
        var a = Enumerable.Range(0, Math.Max(1, inner * rows)).Select(_ => rng.NextGaussian()).ToArray();
        var b = Enumerable.Range(0, Math.Max(1, inner * ldb)).Select(_ => rng.NextGaussian()).ToArray();
        var c0 = Enumerable.Range(0, rows * ldc).Select(_ => rng.NextGaussian()).ToArray();
        foreach (bool accumulate in new[] { false, true })
        {
            var c = (double[])c0.Clone();
            Gemm.Multiply(rows, cols, inner, a, 1, rows, b, ldb, c, ldc, accumulate);
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < ldc; j++)
                {
                    if (j >= cols) { Assert.Equal(c0[i * ldc + j], c[i * ldc + j]); continue; }
                    double s = accumulate ? c0[i * ldc + j] : 0;
                    for (int k = 0; k < inner; k++) s = Math.FusedMultiplyAdd(a[k * rows + i], b[k * ldb + j], s);
                    Assert.Equal(s, c[i * ldc + j]);
                }
        }
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

    [Fact]
    public void AdamStepsFollowTheUpdateRuleExactly()
    {
        // 11 parameters: whole vectors and a remainder; the update θ ← θ + η m̂/(√v̂ + ε) written out per coordinate
        var rng = RandomStreams.Create(6, 0, "adam-test");
        int n = 11;
        var theta = Enumerable.Range(0, n).Select(_ => rng.NextGaussian()).ToArray();
        var expected = (double[])theta.Clone();
        double[] m = new double[n], v = new double[n];
        var adam = new Adam(n, 0.01);
        for (int t = 1; t <= 3; t++)
        {
            var g = Enumerable.Range(0, n).Select(_ => rng.NextGaussian()).ToArray();
            adam.Ascend(theta, g);
            double c1 = 1.0 / (1.0 - Math.Pow(0.9, t)), c2 = 1.0 / (1.0 - Math.Pow(0.999, t));
            for (int i = 0; i < n; i++)
            {
                m[i] = 0.9 * m[i] + (1 - 0.9) * g[i];
                v[i] = 0.999 * v[i] + (1 - 0.999) * g[i] * g[i];
                expected[i] += 0.01 * (m[i] * c1) / (Math.Sqrt(v[i] * c2) + 1e-8);
            }
            for (int i = 0; i < n; i++) Assert.Equal(expected[i], theta[i]);
        }
    }
}
