using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Rsmi.Learning.Nn;
using Rsmi.Random;

namespace Rsmi.Learning.InfoNce;

/// <summary>
/// Gumbel noise and the relaxed one-hot (Gumbel-softmax, or concrete) samples of a categorical variable (Jang, Gu &amp;
/// Poole, ICLR 2017; Maddison, Mnih &amp; Teh, ICLR 2017): with g_s = −log(−log U_s) independent Gumbel variables,
/// the hard sample argmax_s (a_s + g_s) has exactly P(s) = e^{a_s} / Σ_t e^{a_t}, and the relaxed sample
/// y_s = softmax_s((a_s + g_s)/τ) is differentiable in a and tends to the one-hot hard sample as τ → 0.
/// </summary>
public static class GumbelSoftmax
{
    private const double InvTwo53 = 1.0 / (1UL << 53);

    /// <summary>One Gumbel variable −log(−log U), U uniform in (0, 1) from 53 random bits (never 0 or 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Noise<TRandom>(ref TRandom rng) where TRandom : struct, IRandomSource
    {
        double u = ((rng.NextUInt64() >> 11) + 0.5) * InvTwo53;
        return -Math.Log(-Math.Log(u));
    }

    /// <summary>The index of the largest of <paramref name="a"/> + <paramref name="g"/> (the first of equals): the hard sample.</summary>
    public static int Hard(ReadOnlySpan<double> a, ReadOnlySpan<double> g)
    {
        int best = 0;
        for (int s = 1; s < a.Length; s++) if (a[s] + g[s] > a[best] + g[best]) best = s;
        return best;
    }

    /// <summary>y = softmax((a + g)/τ) into <paramref name="y"/>.</summary>
    public static void Relaxed(ReadOnlySpan<double> a, ReadOnlySpan<double> g, double temperature, Span<double> y)
    {
        double max = double.NegativeInfinity;
        for (int s = 0; s < a.Length; s++) { y[s] = (a[s] + g[s]) / temperature; max = Math.Max(max, y[s]); }
        double sum = 0;
        for (int s = 0; s < a.Length; s++) { y[s] = Math.Exp(y[s] - max); sum += y[s]; }
        for (int s = 0; s < a.Length; s++) y[s] /= sum;
    }
}

/// <summary>
/// The RSMI-NE objective with categorical hidden units (RSMI-NE's <c>Nq</c>; docs/algorithm.md, "The InfoNCE
/// estimator"): unit j of q_h states has the logits a_rjs = Σ_i λ_jsi x_ri + c_js of the block features x_r (one-hot
/// labels), P(h_j = s | V) = softmax_s a_rj, and enters the critic as its one-hot vector — during training the relaxed
/// one-hot y_rj = softmax((a_rj + g_rj)/τ) with Gumbel noise g (<see cref="GumbelSoftmax"/>), in the evaluation the
/// hard sample argmax_s (a_rjs + g_rjs). The gradient flows through the relaxed sample into Λ (reparameterisation):
/// ∂y_s/∂a_t = y_s (δ_st − y_t)/τ, so ∂bound/∂a_t = y_t (∂bound/∂y_t − Σ_s y_s ∂bound/∂y_s)/τ, and
/// ∂/∂λ_jti = Σ_r ∂bound/∂a_rjt x_ri, ∂/∂c_jt likewise without x.
/// </summary>
internal sealed class CategoricalRsmiNeObjective : IRsmiNeObjective
{
    private readonly double[] _y;
    private readonly double[][] _gradWeights, _gradBias;

    /// <summary>N_h.</summary>
    public int Hidden { get; }
    /// <summary>States per unit q_h.</summary>
    public int States { get; }
    public int VisibleSize { get; }
    public int EnvironmentSize { get; }
    public int Capacity { get; }
    /// <summary>Λ, N_h·q_h rows of |V|·F (unit by unit, state by state).</summary>
    public double[] Weights { get; }
    /// <summary>c, N_h·q_h.</summary>
    public double[] Bias { get; }
    public CriticBatch Batch { get; }
    /// <summary>Block features of the batch, K × |V|·F.</summary>
    public double[] Visible { get; }
    /// <summary>Environment features of the batch, K × |E|·F.</summary>
    public double[] Environment => Batch.Y;
    /// <summary>Gumbel noise of each state of each unit of each row, K × N_h × q_h.</summary>
    public double[] Noise { get; }
    public double[] GradientWeights { get; }
    public double[] GradientBias { get; }
    public double[] GradientU => Batch.GradientU;
    public double[] GradientW => Batch.GradientW;
    public bool UsesNoise => true;

    /// <summary>The objective for N_h = <paramref name="hidden"/> units of q_h = <paramref name="states"/> states; the
    /// critic's x side must take N_h·q_h inputs.</summary>
    public CategoricalRsmiNeObjective(int hidden, int states, int visibleSize, int environmentSize, int capacity, SeparableCritic critic, double[] weights, double[] bias)
    {
        Require.That(states >= 2, $"a categorical unit needs at least 2 states, got {states}.");
        Require.That(critic.U.InputSize == hidden * states, "the critic's hidden-unit side must take one input per state of each unit.");
        Hidden = hidden; States = states; VisibleSize = visibleSize; EnvironmentSize = environmentSize; Capacity = capacity;
        Weights = weights; Bias = bias;
        Batch = new CriticBatch(critic, capacity);
        Visible = new double[capacity * visibleSize];
        Noise = new double[capacity * hidden * states];
        _y = new double[capacity * hidden * states];
        GradientWeights = new double[hidden * states * visibleSize];
        GradientBias = new double[hidden * states];
        int chunks = RowChunks.Count(capacity);
        _gradWeights = new double[chunks][]; _gradBias = new double[chunks][];
        for (int c = 0; c < chunks; c++) { _gradWeights[c] = new double[GradientWeights.Length]; _gradBias[c] = new double[GradientBias.Length]; }
    }

    /// <inheritdoc />
    public void DrawNoise(int k, ref Xoshiro256StarStar rng)
    {
        for (int i = 0; i < k * Hidden * States; i++) Noise[i] = GumbelSoftmax.Noise(ref rng);
    }

    /// <summary>
    /// The bound on the first <paramref name="k"/> rows with relaxed one-hot samples at temperature τ or hard samples;
    /// with <paramref name="gradient"/> the critic's gradients and, with <paramref name="trainFilters"/>, the filters'.
    /// </summary>
    public double Evaluate(int k, double tau, MutualInformationBound bound, bool hard, bool gradient, bool trainFilters,
        int maxDegreeOfParallelism, ulong? dropoutSeed = null, long dropoutIndex = 0)
    {
        int nh = Hidden, q = States, nv = VisibleSize, m = nh * q;
        double[] x = Batch.X;
        RowChunks.For(k, maxDegreeOfParallelism, (c, r0, r1) =>
        {
            Span<double> a = stackalloc double[q];
            for (int r = r0; r < r1; r++)
            {
                ReadOnlySpan<double> v = Visible.AsSpan(r * nv, nv);
                for (int j = 0; j < nh; j++)
                {
                    for (int s = 0; s < q; s++)
                        a[s] = TensorPrimitives.Dot(Weights.AsSpan((j * q + s) * nv, nv), v) + Bias[j * q + s];
                    ReadOnlySpan<double> g = Noise.AsSpan((r * nh + j) * q, q);
                    Span<double> xs = x.AsSpan(r * m + j * q, q);
                    if (hard)
                    {
                        xs.Clear();
                        xs[GumbelSoftmax.Hard(a, g)] = 1;
                    }
                    else
                    {
                        Span<double> y = _y.AsSpan(r * m + j * q, q);
                        GumbelSoftmax.Relaxed(a, g, tau, y);
                        y.CopyTo(xs);
                    }
                }
            }
        });
        double value = Batch.Run(k, bound, gradient, maxDegreeOfParallelism, dropoutSeed, dropoutIndex);
        if (!gradient || !trainFilters) return value;
        double[] dx = Batch.InputGradientX;
        RowChunks.For(k, maxDegreeOfParallelism, (c, r0, r1) =>
        {
            Span<double> gw = _gradWeights[c], gb = _gradBias[c];
            gw.Clear(); gb.Clear();
            for (int r = r0; r < r1; r++)
            {
                ReadOnlySpan<double> v = Visible.AsSpan(r * nv, nv);
                for (int j = 0; j < nh; j++)
                {
                    ReadOnlySpan<double> y = _y.AsSpan(r * m + j * q, q), d = dx.AsSpan(r * m + j * q, q);
                    double mean = TensorPrimitives.Dot(y, d);
                    for (int t = 0; t < q; t++)
                    {
                        double da = y[t] * (d[t] - mean) / tau;
                        if (da == 0) continue;
                        gb[j * q + t] += da;
                        Span<double> row = gw.Slice((j * q + t) * nv, nv);
                        TensorPrimitives.MultiplyAdd(v, da, row, row);
                    }
                }
            }
        });
        int chunks = RowChunks.Count(k);
        RowChunks.Reduce(_gradWeights, chunks, GradientWeights);
        RowChunks.Reduce(_gradBias, chunks, GradientBias);
        return value;
    }
}
