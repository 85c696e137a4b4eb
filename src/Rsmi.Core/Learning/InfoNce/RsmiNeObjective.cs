using System.Numerics.Tensors;
using Rsmi.Learning.Nn;
using Rsmi.Random;

namespace Rsmi.Learning.InfoNce;

/// <summary>
/// The RSMI-NE objective on one mini-batch of K windows (V_r, E_r): filters Λ give a_{rj} = Σ_i λ_ji v_ri + c_j,
/// the hidden units are drawn as relaxed (training) or hard (evaluation) Bernoulli samples with P(h_j=+1|V) = σ(2a_j),
/// and a <see cref="SeparableCritic"/> scores them against the environments; the value is the chosen lower bound on
/// I_Λ(H:E). The gradient flows through the relaxed sample into Λ (reparameterisation):
/// ∂/∂λ_ji = Σ_r (∂bound/∂h̃_rj) · 4 y_rj(1 − y_rj)/τ · v_ri, ∂/∂c_j likewise without v.
/// </summary>
internal sealed class RsmiNeObjective : IRsmiNeObjective
{
    private readonly double[] _up;
    private readonly double[][] _gradWeights, _gradBias;

    public int Hidden { get; }
    public int VisibleSize { get; }
    public int EnvironmentSize { get; }
    public int Capacity { get; }
    /// <summary>Λ, N_h rows of |V| (row-major).</summary>
    public double[] Weights { get; }
    /// <summary>c, N_h.</summary>
    public double[] Bias { get; }
    public SeparableCritic Critic { get; }
    public CriticBatch Batch { get; }
    /// <summary>Block spins of the batch, K × |V|.</summary>
    public double[] Visible { get; }
    /// <summary>Environment spins of the batch (the critic's y side), K × |E|.</summary>
    public double[] Environment => Batch.Y;
    /// <summary>Logistic noise ℓ of each hidden unit of each row, K × N_h.</summary>
    public double[] Noise { get; }
    public double[] GradientWeights { get; }
    public double[] GradientBias { get; }
    public double[] GradientU => Batch.GradientU;
    public double[] GradientW => Batch.GradientW;
    public bool UsesNoise => true;

    /// <inheritdoc />
    public void DrawNoise(int k, ref Xoshiro256StarStar rng)
    {
        for (int i = 0; i < k * Hidden; i++) Noise[i] = RelaxedBernoulli.LogisticNoise(ref rng);
    }

    public RsmiNeObjective(int hidden, int visibleSize, int environmentSize, int capacity, SeparableCritic critic, double[] weights, double[] bias)
    {
        Hidden = hidden; VisibleSize = visibleSize; EnvironmentSize = environmentSize; Capacity = capacity;
        Critic = critic; Weights = weights; Bias = bias;
        Batch = new CriticBatch(critic, capacity);
        Visible = new double[capacity * visibleSize];
        Noise = new double[capacity * hidden];
        _up = new double[capacity * hidden];
        GradientWeights = new double[hidden * visibleSize];
        GradientBias = new double[hidden];
        int chunks = RowChunks.Count(capacity);
        _gradWeights = new double[chunks][]; _gradBias = new double[chunks][];
        for (int c = 0; c < chunks; c++) { _gradWeights[c] = new double[hidden * visibleSize]; _gradBias[c] = new double[hidden]; }
    }

    /// <summary>
    /// The bound on the first <paramref name="k"/> rows of the batch buffers with temperature τ (relaxed samples) or
    /// hard samples; with <paramref name="gradient"/> fills the critic's and the filters' gradients
    /// (<paramref name="trainFilters"/> false skips the filters' part).
    /// </summary>
    public double Evaluate(int k, double tau, MutualInformationBound bound, bool hard, bool gradient, bool trainFilters,
        int maxDegreeOfParallelism, ulong? dropoutSeed = null, long dropoutIndex = 0)
    {
        int nh = Hidden, nv = VisibleSize;
        double[] x = Batch.X;
        RowChunks.For(k, maxDegreeOfParallelism, (c, r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                ReadOnlySpan<double> v = Visible.AsSpan(r * nv, nv);
                for (int j = 0; j < nh; j++)
                {
                    double a = TensorPrimitives.Dot(Weights.AsSpan(j * nv, nv), v) + Bias[j];
                    double l = Noise[r * nh + j];
                    if (hard) x[r * nh + j] = RelaxedBernoulli.Hard(a, l);
                    else
                    {
                        double y = RelaxedBernoulli.RelaxedUp(a, l, tau);
                        _up[r * nh + j] = y;
                        x[r * nh + j] = 2.0 * y - 1.0;
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
                    double y = _up[r * nh + j];
                    double da = dx[r * nh + j] * 4.0 * y * (1.0 - y) / tau;
                    if (da == 0) continue;
                    gb[j] += da;
                    Span<double> row = gw.Slice(j * nv, nv);
                    TensorPrimitives.MultiplyAdd(v, da, row, row);
                }
            }
        });
        int chunks = RowChunks.Count(k);
        RowChunks.Reduce(_gradWeights, chunks, GradientWeights);
        RowChunks.Reduce(_gradBias, chunks, GradientBias);
        return value;
    }
}

/// <summary>One mini-batch objective of the RSMI-NE learner: the hidden units relaxed (<see cref="RsmiNeObjective"/>) or summed
/// out exactly (<see cref="MarginalRsmiNeObjective"/>).</summary>
internal interface IRsmiNeObjective
{
    /// <summary>Block spins of the batch, K × |V|.</summary>
    double[] Visible { get; }
    /// <summary>Environment spins of the batch, K × |E|.</summary>
    double[] Environment { get; }
    /// <summary>Logistic noise of each hidden unit of each row (K × N_h) when <see cref="UsesNoise"/>.</summary>
    double[] Noise { get; }
    /// <summary>Whether the hidden units are sampled with <see cref="Noise"/>.</summary>
    bool UsesNoise { get; }
    /// <summary>Draws the noise of the first <paramref name="k"/> rows from <paramref name="rng"/> (when <see cref="UsesNoise"/>).</summary>
    void DrawNoise(int k, ref Xoshiro256StarStar rng);
    double[] GradientU { get; }
    double[] GradientW { get; }
    double[] GradientWeights { get; }
    double[] GradientBias { get; }
    /// <summary>The bound on the first <paramref name="k"/> rows (nats) and, on request, its gradients.</summary>
    double Evaluate(int k, double tau, MutualInformationBound bound, bool hard, bool gradient, bool trainFilters,
        int maxDegreeOfParallelism, ulong? dropoutSeed = null, long dropoutIndex = 0);
}
