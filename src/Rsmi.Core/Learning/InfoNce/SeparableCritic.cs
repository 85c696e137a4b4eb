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
/// Work is split over fixed chunks of rows (<see cref="RowChunks"/>), so results do not depend on the thread count.
/// </summary>
internal sealed class CriticBatch
{
    private readonly SeparableCritic _critic;
    private readonly double[] _actU, _actW, _maskU, _maskW, _scores, _dScores, _rowTerm, _embU, _embWt, _dEmbU, _dEmbW, _dEmbWt;
    private readonly double[][] _gradU, _gradW, _scratch, _dEmbWtPartial;

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
        _embU = new double[capacity * d]; _embWt = new double[d * capacity];
        _dEmbU = new double[capacity * d]; _dEmbW = new double[capacity * d]; _dEmbWt = new double[d * capacity];
        GradientU = new double[u.ParameterCount]; GradientW = new double[w.ParameterCount];
        _gradU = new double[chunks][]; _gradW = new double[chunks][]; _scratch = new double[chunks][]; _dEmbWtPartial = new double[chunks][];
        for (int c = 0; c < chunks; c++)
        {
            _gradU[c] = new double[u.ParameterCount]; _gradW[c] = new double[w.ParameterCount];
            _scratch[c] = new double[2 * Math.Max(u.MaxWidth, w.MaxWidth)];
            _dEmbWtPartial[c] = new double[d * capacity];
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
        // 1. embeddings of every row: u_i as rows of U (K × d), w_k as columns of Wᵀ (d × K)
        RowChunks.For(k, maxDegreeOfParallelism, (c, r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                ReadOnlySpan<double> mu = default, mw = default;
                if (dropout)
                {
                    var rng = RandomStreams.Create(dropoutSeed!.Value, (ulong)(dropoutIndex + r), "critic-dropout");
                    u.DrawDropoutScale(ref rng, _maskU.AsSpan(r * hu, hu));
                    w.DrawDropoutScale(ref rng, _maskW.AsSpan(r * hw, hw));
                    mu = _maskU.AsSpan(r * hu, hu); mw = _maskW.AsSpan(r * hw, hw);
                }
                u.ForwardRow(X.AsSpan(r * dx, dx), _actU.AsSpan(r * au, au), mu);
                w.ForwardRow(Y.AsSpan(r * dy, dy), _actW.AsSpan(r * aw, aw), mw);
                u.Output(_actU.AsSpan(r * au, au)).CopyTo(_embU.AsSpan(r * d, d));
                ReadOnlySpan<double> wr = w.Output(_actW.AsSpan(r * aw, aw));
                for (int m = 0; m < d; m++) _embWt[m * k + r] = wr[m];
            }
        });
        // 2. scores S_ik = u_i · w_k and each row's bound term and G_i· = ∂bound/∂S_i·
        RowChunks.For(k, maxDegreeOfParallelism, (c, r0, r1) =>
        {
            for (int i = r0; i < r1; i++)
            {
                Span<double> s = _scores.AsSpan(i * k, k);
                s.Clear();
                for (int m = 0; m < d; m++) TensorPrimitives.MultiplyAdd(_embWt.AsSpan(m * k, k), _embU[i * d + m], s, s);
                _rowTerm[i] = MutualInformationBounds.RowTerm(bound, s, i, _dScores.AsSpan(i * k, k));
            }
        });
        double value = 0;
        for (int i = 0; i < k; i++) value += _rowTerm[i];
        value /= k;
        if (!gradient) return value;
        // 3. ∂/∂u_im = Σ_k G_ik w_km (a dot product per m); ∂/∂w_km = Σ_i G_ik u_im (partial sums per chunk of i)
        int chunks = RowChunks.Count(k);
        RowChunks.For(k, maxDegreeOfParallelism, (c, r0, r1) =>
        {
            Span<double> part = _dEmbWtPartial[c].AsSpan(0, d * k);
            part.Clear();
            for (int i = r0; i < r1; i++)
            {
                ReadOnlySpan<double> g = _dScores.AsSpan(i * k, k);
                for (int m = 0; m < d; m++)
                {
                    _dEmbU[i * d + m] = TensorPrimitives.Dot(g, _embWt.AsSpan(m * k, k));
                    Span<double> pm = part.Slice(m * k, k);
                    TensorPrimitives.MultiplyAdd(g, _embU[i * d + m], pm, pm);
                }
            }
        });
        RowChunks.Reduce(_dEmbWtPartial, chunks, _dEmbWt.AsSpan(0, d * k));
        // 4. backpropagation through both networks, row by row
        RowChunks.For(k, maxDegreeOfParallelism, (c, r0, r1) =>
        {
            Span<double> gu = _gradU[c], gw = _gradW[c];
            gu.Clear(); gw.Clear();
            for (int r = r0; r < r1; r++)
            {
                Span<double> dw = _dEmbW.AsSpan(r * d, d);
                for (int m = 0; m < d; m++) dw[m] = _dEmbWt[m * k + r];
                ReadOnlySpan<double> mu = dropout ? _maskU.AsSpan(r * hu, hu) : default;
                ReadOnlySpan<double> mw = dropout ? _maskW.AsSpan(r * hw, hw) : default;
                u.BackwardRow(_actU.AsSpan(r * au, au), mu, _dEmbU.AsSpan(r * d, d), gu, InputGradientX.AsSpan(r * dx, dx), _scratch[c]);
                w.BackwardRow(_actW.AsSpan(r * aw, aw), mw, dw, gw, default, _scratch[c]);
            }
        });
        RowChunks.Reduce(_gradU, chunks, GradientU);
        RowChunks.Reduce(_gradW, chunks, GradientW);
        return value;
    }
}
