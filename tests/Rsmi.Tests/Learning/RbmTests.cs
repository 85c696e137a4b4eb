using Rsmi.Learning;
using Rsmi.Random;

namespace Rsmi.Tests.Learning;

public class RbmTests
{
    private static RestrictedBoltzmannMachine RandomMachine(int nv, int nh, ulong seed, double scale)
    {
        var m = RestrictedBoltzmannMachine.Random(nv, nh, seed, scale);
        var rng = RandomStreams.Create(seed, 1);
        for (int i = 0; i < nv; i++) m.VisibleBias[i] = 0.3 * rng.NextGaussian();
        for (int k = 0; k < nh; k++) m.HiddenBias[k] = 0.3 * rng.NextGaussian();
        return m;
    }

    private static double Spin(long s, int i) => ((s >> i) & 1) != 0 ? 1 : -1;

    /// <summary>log Σ_{x,g} e^{−E(x,g)} by brute force over both layers.</summary>
    private static double BruteLogZ(RestrictedBoltzmannMachine m)
    {
        int nv = m.VisibleCount, nh = m.HiddenCount;
        double z = 0;
        for (long s = 0; s < 1L << nv; s++)
            for (long t = 0; t < 1L << nh; t++)
            {
                double e = 0;
                for (int i = 0; i < nv; i++) e -= m.VisibleBias[i] * Spin(s, i);
                for (int k = 0; k < nh; k++) e -= m.HiddenBias[k] * Spin(t, k);
                for (int i = 0; i < nv; i++) for (int k = 0; k < nh; k++) e -= Spin(s, i) * m.Weights[i * nh + k] * Spin(t, k);
                z += Math.Exp(-e);
            }
        return Math.Log(z);
    }

    [Theory]
    [InlineData(3, 5)]
    [InlineData(6, 2)]
    [InlineData(4, 4)]
    public void PartitionFunctionAndFreeEnergyMatchBruteForce(int nv, int nh)
    {
        var m = RandomMachine(nv, nh, (ulong)(nv * 10 + nh), 0.8);
        Assert.Equal(BruteLogZ(m), m.LogPartitionFunction(), 10);
        // F(x) = −log Σ_g e^{−E(x,g)}
        var x = new double[nv];
        for (int i = 0; i < nv; i++) x[i] = i % 3 == 0 ? 1 : -1;
        double z = 0;
        for (long t = 0; t < 1L << nh; t++)
        {
            double e = 0;
            for (int i = 0; i < nv; i++) e -= m.VisibleBias[i] * x[i];
            for (int k = 0; k < nh; k++) e -= m.HiddenBias[k] * Spin(t, k);
            for (int i = 0; i < nv; i++) for (int k = 0; k < nh; k++) e -= x[i] * m.Weights[i * nh + k] * Spin(t, k);
            z += Math.Exp(-e);
        }
        Assert.Equal(-Math.Log(z), m.FreeEnergy(x), 10);
    }

    [Fact]
    public void JsonRoundTripPreservesTheMachine()
    {
        var m = RandomMachine(5, 3, 7, 0.5);
        var back = RestrictedBoltzmannMachine.FromJson(m.ToJson());
        Assert.Equal(m.Weights, back.Weights);
        Assert.Equal(m.VisibleBias, back.VisibleBias);
        Assert.Equal(m.HiddenBias, back.HiddenBias);
        string path = Path.Combine(Path.GetTempPath(), $"rsmi-rbm-{Guid.NewGuid():N}.json");
        try { Rsmi.IO.RbmFile.Write(path, m); Assert.Equal(m.Weights, Rsmi.IO.RbmFile.Read(path).Weights); }
        finally { File.Delete(path); }
        Assert.Throws<RsmiInputException>(() => RestrictedBoltzmannMachine.FromJson("{\"visible\": 2"));
        Assert.Throws<RsmiInputException>(() => RestrictedBoltzmannMachine.FromJson("{\"visible\":2,\"hidden\":1,\"weights\":[[1]],\"visible_bias\":[0,0],\"hidden_bias\":[0]}"));
    }

    [Fact]
    public void ExactLogLikelihoodGradientMatchesFiniteDifferences()
    {
        var m = RandomMachine(5, 3, 3, 0.6);
        var rng = RandomStreams.Create(4);
        int count = 40;
        var data = new sbyte[count * 5];
        for (int k = 0; k < data.Length; k++) data[k] = (sbyte)(rng.NextDouble() < 0.6 ? 1 : -1);
        var gW = new double[15]; var gA = new double[5]; var gC = new double[3];
        RbmExactGradient.Compute(m, data, count, gW, gA, gC);
        const double eps = 1e-5;
        void Check(double[] param, double[] grad, string name)
        {
            for (int k = 0; k < param.Length; k++)
            {
                double old = param[k];
                param[k] = old + eps; double up = m.MeanLogLikelihood(data, count);
                param[k] = old - eps; double down = m.MeanLogLikelihood(data, count);
                param[k] = old;
                double fd = (up - down) / (2 * eps);
                Assert.True(Math.Abs(fd - grad[k]) < 1e-7, $"{name}[{k}]: analytic {grad[k]}, finite difference {fd}");
            }
        }
        Check(m.Weights, gW, "W"); Check(m.VisibleBias, gA, "a"); Check(m.HiddenBias, gC, "c");
    }

    [Fact]
    public void GibbsSamplesReproduceTheExactMarginals()
    {
        // ⟨x_i⟩ and ⟨x_0 x_1⟩ of Gibbs samples against the exact averages over all 2^6 states; 4σ bounds
        var m = RandomMachine(6, 4, 21, 0.7);
        double logZ = m.LogPartitionFunction();
        var exactMean = new double[6]; double exactPair = 0;
        var x = new double[6];
        for (int s = 0; s < 64; s++)
        {
            for (int i = 0; i < 6; i++) x[i] = Spin(s, i);
            double p = Math.Exp(-m.FreeEnergy(x) - logZ);
            for (int i = 0; i < 6; i++) exactMean[i] += p * x[i];
            exactPair += p * x[0] * x[1];
        }
        int n = 20000;
        var samples = m.Sample(n, 30, 5);
        for (int i = 0; i < 6; i++)
        {
            double mean = 0; for (int r = 0; r < n; r++) mean += samples[r * 6 + i];
            mean /= n;
            double sigma = Math.Sqrt((1 - exactMean[i] * exactMean[i]) / n);
            Assert.True(Math.Abs(mean - exactMean[i]) < 4 * sigma, $"<x_{i}>: {mean} vs exact {exactMean[i]} (σ = {sigma})");
        }
        double pair = 0; for (int r = 0; r < n; r++) pair += samples[r * 6] * samples[r * 6 + 1];
        pair /= n;
        Assert.True(Math.Abs(pair - exactPair) < 4 * Math.Sqrt((1 - exactPair * exactPair) / n));
    }

    /// <summary>Independent configurations of the 3×3 periodic Ising torus drawn exactly from the enumerated Boltzmann weights.</summary>
    internal static (sbyte[] Data, double[] Probabilities) ExactTorusSamples(int lx, int ly, double temperature, int count, ulong seed)
    {
        var p = IsingConfigurationProbabilities.Torus(lx, ly, temperature);
        var cdf = new double[p.Length]; double acc = 0;
        for (int c = 0; c < p.Length; c++) { acc += p[c]; cdf[c] = acc; }
        var rng = RandomStreams.Create(seed);
        int n = lx * ly;
        var data = new sbyte[count * n];
        for (int r = 0; r < count; r++)
        {
            int c = Array.BinarySearch(cdf, rng.NextDouble() * acc);
            if (c < 0) c = ~c;
            c = Math.Min(c, p.Length - 1);
            for (int i = 0; i < n; i++) data[r * n + i] = (sbyte)Spin(c, i);
        }
        return (data, p);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ContrastiveDivergenceLearnsThe3x3IsingTorus(bool persistent)
    {
        // Reference: the best log-likelihood any model can reach on the true distribution is −H(P), the data
        // entropy of the exactly enumerated 3×3 torus at T = 2.5. The machine's exact expected log-likelihood
        // Σ_x P(x) log P_Θ(x) = −H(P) − KL(P‖P_Θ) must come within 1% of it.
        const double t = 2.5;
        var (data, p) = ExactTorusSamples(3, 3, t, 20000, 17);
        var rbm = RbmTrainer.Train(data, 20000, 9, new RbmTrainingOptions
        {
            Hidden = 18, CdSteps = 5, Persistent = persistent, BatchSize = 100, Epochs = 12,
            LearningRate = persistent ? 0.001 : 0.01, InitialScale = 0.1, Seed = 3,
        });
        double entropy = 0;
        foreach (double q in p) if (q > 0) entropy -= q * Math.Log(q);
        double logZ = rbm.LogPartitionFunction();
        double expected = 0;
        var x = new double[9];
        for (int c = 0; c < p.Length; c++)
        {
            for (int i = 0; i < 9; i++) x[i] = Spin(c, i);
            expected += p[c] * (-rbm.FreeEnergy(x) - logZ);
        }
        double gap = (-entropy - expected) / entropy;
        Assert.True(gap >= -1e-12, "no model beats the entropy");
        Assert.True(gap < 0.01, $"expected log-likelihood {expected:F5} vs −H = {-entropy:F5}: gap {gap:P3}");
    }

    /// <summary>The register-held signed sums of the conditional fit give, bit for bit, the plain loop over block states,
    /// sites and hidden units in that order, for block sizes that fill and that do not fill the four-row groups and
    /// hidden counts with and without a partial vector.</summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 32)]
    [InlineData(5, 13)]
    [InlineData(8, 32)]
    [InlineData(9, 7)]
    [InlineData(11, 16)]
    public void SignedSumsAreThePlainLoopBitForBit(int nv, int nh)
    {
        int m = 1 << nv;
        var rng = new System.Random(nv * 100 + nh);
        var p = new double[m * nh];
        for (int k = 0; k < p.Length; k++) p[k] = (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-3, 3));
        var start = new double[nv * nh];
        for (int k = 0; k < start.Length; k++) start[k] = rng.NextDouble() - 0.5;
        var expected = (double[])start.Clone();
        for (int st = 0; st < m; st++)
            for (int i = 0; i < nv; i++)
                for (int k = 0; k < nh; k++)
                    expected[i * nh + k] = ((st >> i) & 1) != 0 ? expected[i * nh + k] - p[st * nh + k] : expected[i * nh + k] + p[st * nh + k];
        var acc = (double[])start.Clone();
        RbmTrainer.SubtractSignedSums(acc, p, m, nv, nh);
        for (int k = 0; k < acc.Length; k++) Assert.Equal(BitConverter.DoubleToInt64Bits(expected[k]), BitConverter.DoubleToInt64Bits(acc[k]));
    }
}
