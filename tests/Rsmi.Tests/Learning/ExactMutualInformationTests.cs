using Rsmi.Filters;
using Rsmi.Learning;
using Rsmi.Random;
using Rsmi.Regions;

namespace Rsmi.Tests.Learning;

public class ExactMutualInformationTests
{
    /// <summary>Transfer matrix of the ring: P(s_{-1}, s_0, s_1) ∝ e^{K s_{-1} s_0} e^{K s_0 s_1} (T^{N−2})(s_1, s_{-1}),
    /// T^n(s, s') = ½(λ₊ⁿ + s s' λ₋ⁿ), λ₊ = 2 cosh K, λ₋ = 2 sinh K.</summary>
    private static double TransferMatrixInformation(int n, double k)
    {
        double lp = 2 * Math.Cosh(k), lm = 2 * Math.Sinh(k);
        var p = new double[2, 2, 2];
        double z = 0;
        for (int a = 0; a < 2; a++) for (int b = 0; b < 2; b++) for (int c = 0; c < 2; c++)
        {
            double sa = 2 * a - 1, sb = 2 * b - 1, sc = 2 * c - 1;
            double w = Math.Exp(k * sa * sb) * Math.Exp(k * sb * sc) * 0.5 * (Math.Pow(lp, n - 2) + sc * sa * Math.Pow(lm, n - 2));
            p[a, b, c] = w; z += w;
        }
        double info = 0;
        var pv = new double[2]; var pe = new double[2, 2];
        for (int a = 0; a < 2; a++) for (int b = 0; b < 2; b++) for (int c = 0; c < 2; c++)
        { p[a, b, c] /= z; pv[b] += p[a, b, c]; pe[a, c] += p[a, b, c]; }
        for (int a = 0; a < 2; a++) for (int b = 0; b < 2; b++) for (int c = 0; c < 2; c++)
            info += p[a, b, c] * Math.Log(p[a, b, c] / (pv[b] * pe[a, c]));
        return info;
    }

    [Theory]
    [InlineData(8, 2.0)]
    [InlineData(16, 1.0)]
    [InlineData(20, 3.0)]
    public void RingSpinAndItsNeighboursMatchTheTransferMatrix(int n, double temperature)
    {
        var p = ExactMutualInformation.Ring(n, temperature, [0], [n - 1, 1]);
        var info = ExactMutualInformation.VisibleEnvironment(p);
        double expected = TransferMatrixInformation(n, 1 / temperature);
        // summing 2^20 Boltzmann weights in double precision leaves ~1e-11 of round-off
        Assert.Equal(expected, info.Nats, 1e-10);
        Assert.Equal(expected / Math.Log(2), info.Bits, 1e-10);
    }

    [Fact]
    public void FilterCopyingOneSpinCarriesThatSpinsInformation()
    {
        // ring: V = {0, 1}, E = {3, 4, 9, 10} (buffer of one site on each side)
        int n = 12; double t = 1.5;
        var p = ExactMutualInformation.Ring(n, t, [0, 1], [10, 9, 3, 4]);
        var single = ExactMutualInformation.Ring(n, t, [0], [10, 9, 3, 4]);
        double iv = ExactMutualInformation.VisibleEnvironment(single).Nats;
        foreach (double w in new[] { 5.0, 10.0, 40.0 })
        {
            var f = new FilterParameters(2, 1, [w, 0]);
            double il = ExactMutualInformation.FilterEnvironment(p, f).Nats;
            Assert.True(il <= iv + 1e-12);
            // the channel v → h flips with probability σ(−2w), which vanishes exponentially
            Assert.True(iv - il < 20 * Math.Exp(-2 * w) + 1e-12, $"w = {w}: {il} vs {iv}");
        }
        Assert.Equal(iv, ExactMutualInformation.FilterEnvironment(p, new FilterParameters(2, 1, [40, 0])).Nats, 12);

        // the same on the 4x4 torus, copying the top-left spin of a 2x2 block with L_E = 1
        var g = WindowGeometry.Square(2, 2, 0, 1);
        var pt = ExactMutualInformation.ForWindow(g, 4, 4, 2.5);
        var envSites = g.EnvironmentOffsets.Select(o => ((o.Dx + 4) % 4) + ((o.Dy + 4) % 4) * 4).ToArray();
        var one = ExactMutualInformation.Torus(4, 4, 2.5, [0], envSites);
        Assert.Equal(ExactMutualInformation.VisibleEnvironment(one).Nats,
            ExactMutualInformation.FilterEnvironment(pt, new FilterParameters(4, 1, [40, 0, 0, 0])).Nats, 12);
    }

    [Fact]
    public void FilterInformationObeysDataProcessingAndIsZeroForAConstantFilter()
    {
        var g = WindowGeometry.Square(2, 2, 0, 1);
        var p = ExactMutualInformation.ForWindow(g, 4, 4, 2.5);
        double ive = ExactMutualInformation.VisibleEnvironment(p).Nats;
        Assert.True(ive > 0);
        var rng = RandomStreams.Create(3);
        for (int r = 0; r < 5; r++)
        {
            var f = new FilterParameters(4, 2);
            for (int k = 0; k < 8; k++) f.Weights[k] = 2 * rng.NextGaussian();
            double il = ExactMutualInformation.FilterEnvironment(p, f).Nats;
            Assert.InRange(il, 0, ive);
        }
        Assert.Equal(0, ExactMutualInformation.FilterEnvironment(p, new FilterParameters(4, 1, [0, 0, 0, 0], [1.3])).Nats, 1e-11);
        Assert.Equal(1.0, p.Probabilities.Sum(), 1e-10);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void GradientMatchesFiniteDifferences(int hidden)
    {
        var g = WindowGeometry.Square(2, 2, 0, 1);
        var p = ExactMutualInformation.ForWindow(g, 4, 4, 2.3);
        var rng = RandomStreams.Create(11, (ulong)hidden);
        var f = new FilterParameters(4, hidden);
        for (int k = 0; k < f.Weights.Length; k++) f.Weights[k] = rng.NextGaussian();
        for (int k = 0; k < hidden; k++) f.Bias[k] = 0.5 * rng.NextGaussian();
        var gw = new double[f.Weights.Length]; var gb = new double[hidden];
        ExactMutualInformation.FilterEnvironment(p, f, gw, gb);
        const double eps = 1e-5;
        for (int k = 0; k < f.Weights.Length + hidden; k++)
        {
            var plus = f.Clone(); var minus = f.Clone();
            if (k < f.Weights.Length) { plus.Weights[k] += eps; minus.Weights[k] -= eps; }
            else { plus.Bias[k - f.Weights.Length] += eps; minus.Bias[k - f.Weights.Length] -= eps; }
            double fd = (ExactMutualInformation.FilterEnvironment(p, plus).Nats - ExactMutualInformation.FilterEnvironment(p, minus).Nats) / (2 * eps);
            double analytic = k < f.Weights.Length ? gw[k] : gb[k - f.Weights.Length];
            Assert.True(Math.Abs(fd - analytic) < 1e-7 + 1e-5 * Math.Abs(fd), $"parameter {k}: analytic {analytic}, finite difference {fd}");
        }
    }

    [Fact]
    public void RingGradientMatchesFiniteDifferences()
    {
        var p = ExactMutualInformation.ForWindow(WindowGeometry.Chain(3, 1, 2), 14, 1, 1.7);
        var f = new FilterParameters(3, 2, [0.7, -0.2, 1.1, 0.3, 0.9, -0.5], [0.2, -0.4]);
        var gw = new double[6]; var gb = new double[2];
        ExactMutualInformation.FilterEnvironment(p, f, gw, gb);
        const double eps = 1e-5;
        for (int k = 0; k < 6; k++)
        {
            var plus = f.Clone(); var minus = f.Clone();
            plus.Weights[k] += eps; minus.Weights[k] -= eps;
            double fd = (ExactMutualInformation.FilterEnvironment(p, plus).Nats - ExactMutualInformation.FilterEnvironment(p, minus).Nats) / (2 * eps);
            Assert.True(Math.Abs(fd - gw[k]) < 1e-7 + 1e-5 * Math.Abs(fd), $"weight {k}: analytic {gw[k]}, finite difference {fd}");
        }
    }

    [Fact]
    public void DirectMaximisationBeatsKadanoffAndDecimationOnTheTorus()
    {
        var p = ExactMutualInformation.ForWindow(WindowGeometry.Square(2, 2, 0, 1), 4, 4, 2.5);
        var (best, info) = ExactMutualInformation.MaximiseFilter(p, 1, seed: 5, restarts: 2, iterations: 300, learningRate: 0.3);
        double decimation = ExactMutualInformation.FilterEnvironment(p, new FilterParameters(4, 1, [40, 0, 0, 0])).Nats;
        double kadanoff = ExactMutualInformation.FilterEnvironment(p, new FilterParameters(4, 1, [5, 5, 5, 5])).Nats;
        Assert.True(info.Nats >= decimation && info.Nats >= kadanoff, $"max {info.Nats}, decimation {decimation}, Kadanoff {kadanoff}");
        Assert.True(info.Nats <= ExactMutualInformation.VisibleEnvironment(p).Nats);
        Assert.True(best.Weights.Sum() > 0);
    }
}
