using System.Numerics.Tensors;
using Rsmi.Learning.Nn;
using Rsmi.Random;

namespace Rsmi.Learning.InfoNce;

/// <summary>
/// A separable critic f(x, y) = u(x) · w(y) (Poole et al. 2019; RSMI-NE, Gökmen et al. PRL 127, 240603 (2021)):
/// two ReLU networks embed x (the hidden units) and y (the environment) into ℝ^d, and the score of a pair is
/// the dot product of the embeddings, so a batch of K pairs gives all K² scores from 2K network passes.
/// </summary>
public sealed class SeparableCritic
{
    /// <summary>Embedding network of the x side, u: ℝ^{dx} → ℝ^d.</summary>
    public Mlp U { get; }
    /// <summary>Embedding network of the y side, w: ℝ^{dy} → ℝ^d.</summary>
    public Mlp W { get; }
    /// <summary>Embedding dimension d.</summary>
    public int EmbeddingSize => U.OutputSize;

    /// <summary>
    /// A critic with hidden widths <paramref name="hiddenLayers"/> (for both u and w), embedding
    /// dimension <paramref name="embedding"/> and dropout probability <paramref name="dropout"/>.
    /// </summary>
    public SeparableCritic(int xSize, int ySize, IReadOnlyList<int> hiddenLayers, int embedding, double dropout, ulong seed)
    {
        Require.Positive(embedding, "embedding size");
        U = new Mlp([xSize, .. hiddenLayers, embedding], dropout, seed, "critic-u");
        W = new Mlp([ySize, .. hiddenLayers, embedding], dropout, seed, "critic-w");
    }
}

/// <summary>
/// Buffers and passes of a <see cref="SeparableCritic"/> on a mini-batch of K (x, y) pairs: the bound value, and
/// on request its gradient with respect to both networks' parameters (<see cref="GradientU"/>, <see cref="GradientW"/>)
/// and to the x inputs (<see cref="InputGradientX"/>, used to train the filters through the relaxed sample).
/// Work is split over fixed chunks of rows (<see cref="RowChunks"/>), each chunk a tile that the networks pass at once
/// (<see cref="Mlp.ForwardRows"/>), so results do not depend on the thread count. With U (K × d) and W (K × d) the
/// embeddings and G = ∂bound/∂S: S = U Wᵀ, ∂bound/∂U = G W, ∂bound/∂W = Gᵀ U.
/// </summary>
internal sealed class CriticBatch
{
    private readonly SeparableCritic _critic;
    private readonly double[] _actU, _actW, _maskU, _maskW, _scores, _dScores, _rowTerm, _embU, _embW, _embWt, _dEmbU, _dEmbW, _wtU, _wtW;
    private readonly double[][] _gradU, _gradW, _scratch;

    public int Capacity { get; }
    /// <summary>Inputs of the x side, K × dx.</summary>
    public double[] X { get; }
    /// <summary>Inputs of the y side, K × dy.</summary>
    public double[] Y { get; }
    /// <summary>∂bound/∂x, K × dx (after a pass with gradients).</summary>
    public double[] InputGradientX { get; }
    /// <summary>∂bound/∂θ_u.</summary>
    public double[] GradientU { get; }
    /// <summary>∂bound/∂θ_w.</summary>
    public double[] GradientW { get; }

    public CriticBatch(SeparableCritic critic, int capacity)
    {
        _critic = critic; Capacity = capacity;
        Mlp u = critic.U, w = critic.W;
        int d = critic.EmbeddingSize, chunks = RowChunks.Count(capacity);
        X = new double[capacity * u.InputSize]; Y = new double[capacity * w.InputSize];
        InputGradientX = new double[capacity * u.InputSize];
        _actU = new double[capacity * u.ActivationSize]; _actW = new double[capacity * w.ActivationSize];
        _maskU = new double[capacity * u.HiddenUnits]; _maskW = new double[capacity * w.HiddenUnits];
        _scores = new double[capacity * capacity]; _dScores = new double[capacity * capacity];
        _rowTerm = new double[capacity];
        _embU = new double[capacity * d]; _embW = new double[capacity * d]; _embWt = new double[d * capacity];
        _dEmbU = new double[capacity * d]; _dEmbW = new double[capacity * d];
        _wtU = new double[u.ParameterCount]; _wtW = new double[w.ParameterCount];
        GradientU = new double[u.ParameterCount]; GradientW = new double[w.ParameterCount];
        _gradU = new double[chunks][]; _gradW = new double[chunks][]; _scratch = new double[chunks][];
        for (int c = 0; c < chunks; c++)
        {
            _gradU[c] = new double[u.ParameterCount]; _gradW[c] = new double[w.ParameterCount];
            _scratch[c] = new double[2 * RowChunks.Rows * Math.Max(u.MaxWidth, w.MaxWidth)];
        }
    }

    /// <summary>
    /// The bound on the first <paramref name="k"/> rows of <see cref="X"/>, <see cref="Y"/> (in nats). With
    /// <paramref name="gradient"/>, also fills the gradients. <paramref name="dropoutSeed"/> (training with dropout)
    /// seeds the masks of row r from stream (seed, <paramref name="dropoutIndex"/> + r); null: no dropout.
    /// </summary>
    public double Run(int k, MutualInformationBound bound, bool gradient, int maxDegreeOfParallelism,
        ulong? dropoutSeed = null, long dropoutIndex = 0)
    {
        Mlp u = _critic.U, w = _critic.W;
        int d = _critic.EmbeddingSize, dx = u.InputSize, dy = w.InputSize;
        int au = u.ActivationSize, aw = w.ActivationSize, hu = u.HiddenUnits, hw = w.HiddenUnits;
        bool dropout = dropoutSeed.HasValue && (u.DropoutRate > 0 || w.DropoutRate > 0);
        u.TransposeWeights(_wtU);
        w.TransposeWeights(_wtW);
        // 1. embeddings of every row: u_i as rows of U (K × d), w_k as rows of W (K × d) and columns of Wᵀ (d × K)
        RowChunks.For(k, maxDegreeOfParallelism, (c, r0, r1) =>
        {
            int n = r1 - r0;
            ReadOnlySpan<double> mu = default, mw = default;
            if (dropout)
            {
                for (int r = r0; r < r1; r++)
                {
                    var rng = RandomStreams.Create(dropoutSeed!.Value, (ulong)(dropoutIndex + r), "critic-dropout");
                    u.DrawDropoutScale(ref rng, _maskU.AsSpan(r * hu, hu));
                    w.DrawDropoutScale(ref rng, _maskW.AsSpan(r * hw, hw));
                }
                mu = _maskU.AsSpan(r0 * hu, n * hu); mw = _maskW.AsSpan(r0 * hw, n * hw);
            }
            Span<double> tu = _actU.AsSpan(r0 * au, n * au), tw = _actW.AsSpan(r0 * aw, n * aw);
            u.ForwardRows(n, X.AsSpan(r0 * dx, n * dx), tu, mu, _wtU);
            w.ForwardRows(n, Y.AsSpan(r0 * dy, n * dy), tw, mw, _wtW);
            u.OutputRows(tu, n).CopyTo(_embU.AsSpan(r0 * d, n * d));
            ReadOnlySpan<double> wr = w.OutputRows(tw, n);
            wr.CopyTo(_embW.AsSpan(r0 * d, n * d));
            for (int r = 0; r < n; r++)
                for (int m = 0; m < d; m++) _embWt[m * k + r0 + r] = wr[r * d + m];
        });
        // 2. scores S_ik = u_i · w_k and each row's bound term and G_i· = ∂bound/∂S_i·
        RowChunks.For(k, maxDegreeOfParallelism, (c, r0, r1) =>
        {
            int n = r1 - r0;
            Gemm.Multiply(n, k, d, _embU.AsSpan(r0 * d, n * d), d, 1, _embWt.AsSpan(0, d * k), k, _scores.AsSpan(r0 * k, n * k), k, accumulate: false);
            for (int i = r0; i < r1; i++)
                _rowTerm[i] = MutualInformationBounds.RowTerm(bound, _scores.AsSpan(i * k, k), i, _dScores.AsSpan(i * k, k));
        });
        double value = 0;
        for (int i = 0; i < k; i++) value += _rowTerm[i];
        value /= k;
        if (!gradient) return value;
        // 3. ∂/∂u_im = Σ_k G_ik w_km (rows of G W); ∂/∂w_km = Σ_i G_ik u_im (rows of Gᵀ U), each summed over the whole batch in order
        RowChunks.For(k, maxDegreeOfParallelism, (c, r0, r1) =>
        {
            int n = r1 - r0;
            Gemm.Multiply(n, d, k, _dScores.AsSpan(r0 * k, n * k), k, 1, _embW.AsSpan(0, k * d), d, _dEmbU.AsSpan(r0 * d, n * d), d, accumulate: false);
            Gemm.Multiply(n, d, k, _dScores.AsSpan(r0, (k - 1) * k + n), 1, k, _embU.AsSpan(0, k * d), d, _dEmbW.AsSpan(r0 * d, n * d), d, accumulate: false);
        });
        // 4. backpropagation through both networks, tile by tile
        int chunks = RowChunks.Count(k);
        RowChunks.For(k, maxDegreeOfParallelism, (c, r0, r1) =>
        {
            int n = r1 - r0;
            // each chunk's partial gradient is written afresh (accumulate: false), so it needs no clearing
            Span<double> gu = _gradU[c], gw = _gradW[c];
            ReadOnlySpan<double> mu = dropout ? _maskU.AsSpan(r0 * hu, n * hu) : default;
            ReadOnlySpan<double> mw = dropout ? _maskW.AsSpan(r0 * hw, n * hw) : default;
            u.BackwardRows(n, X.AsSpan(r0 * dx, n * dx), _actU.AsSpan(r0 * au, n * au), mu, _dEmbU.AsSpan(r0 * d, n * d), gu, InputGradientX.AsSpan(r0 * dx, n * dx), _scratch[c], accumulate: false);
            w.BackwardRows(n, Y.AsSpan(r0 * dy, n * dy), _actW.AsSpan(r0 * aw, n * aw), mw, _dEmbW.AsSpan(r0 * d, n * d), gw, default, _scratch[c], accumulate: false);
        });
        RowChunks.Reduce(_gradU, chunks, GradientU);
        RowChunks.Reduce(_gradW, chunks, GradientW);
        return value;
    }
}
