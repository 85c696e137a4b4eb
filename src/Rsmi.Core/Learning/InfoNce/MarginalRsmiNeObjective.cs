using System.Numerics.Tensors;
using Rsmi.Learning.Nn;
using Rsmi.Random;

namespace Rsmi.Learning.InfoNce;

/// <summary>
/// The RSMI-NE objective with the hidden units summed out exactly instead of sampled: on a mini-batch of K windows
/// (v_i, e_i), the filters give a_ij = λ_j·v_i + c_j and P_i(h) = Π_j σ(2 h_j a_ij) for each of the M = 2^N_h hidden
/// states h, and a <see cref="SeparableCritic"/> scores every state against every environment, S_hk = u(h)·w(e_k).
/// Row i's term of the bound depends on h_i alone, so its expectation over h_i ~ P_i is a finite sum; the value
/// is the expectation over the hidden units of the bound the hard samples give (the same lower bound on
/// I_Λ(H:E), without the sampling noise of h):
/// <para>InfoNCE: V = (1/K) Σ_i Σ_h P_i(h) T_i(h), T_i(h) = S_hi − LSE_k S_hk + log K;
/// ∂V/∂S_hk = P_k(h)/K − Q_h softmax_k(S_h·), Q_h = (1/K) Σ_i P_i(h).</para>
/// <para>NWJ: T_i(h) = S_hi − (1/(K−1)) Σ_{k≠i} e^{S_hk − 1};
/// ∂V/∂S_hk = P_k(h)/K − e^{S_hk − 1} (K Q_h − P_k(h)) / (K(K−1)).</para>
/// <para>Filters (score-function identity, exact): ∂ log P_i(h)/∂a_ij = h_j − tanh a_ij, so
/// ∂V/∂λ_j = (1/K) Σ_i Σ_h P_i(h) T_i(h) (h_j − tanh a_ij) v_i and ∂V/∂c_j likewise without v_i.</para>
/// Rows and states are processed in fixed chunks (<see cref="RowChunks"/>), so results do not depend on the thread count.
/// </summary>
internal sealed class MarginalRsmiNeObjective : IRsmiNeObjective
{
    /// <summary>Most hidden units whose 2^N_h states are summed.</summary>
    public const int MaxHidden = 8;

    private readonly SeparableCritic _critic;
    private readonly int _states, _d;
    private readonly double[] _h, _p, _tanh, _t, _actU, _actW, _maskU, _maskW, _embU, _embW, _embWt, _scores, _g, _dEmbU, _dEmbW, _q, _lse, _wtU, _wtW;
    private readonly double[][] _gradU, _gradW, _gradWeights, _gradBias, _scratchU, _scratchW;

    public int Hidden { get; }
    public int VisibleSize { get; }
    public int EnvironmentSize { get; }
    public int Capacity { get; }
    /// <summary>Λ, N_h rows of |V| (row-major).</summary>
    public double[] Weights { get; }
    /// <summary>c, N_h.</summary>
    public double[] Bias { get; }
    /// <summary>Block spins of the batch, K × |V|.</summary>
    public double[] Visible { get; }
    /// <summary>Environment spins of the batch, K × |E|.</summary>
    public double[] Environment { get; }
    /// <summary>∂V/∂θ_u.</summary>
    public double[] GradientU { get; }
    /// <summary>∂V/∂θ_w.</summary>
    public double[] GradientW { get; }
    /// <summary>∂V/∂λ (N_h × |V|).</summary>
    public double[] GradientWeights { get; }
    /// <summary>∂V/∂c.</summary>
    public double[] GradientBias { get; }
    /// <summary>No noise: the hidden states are summed.</summary>
    public double[] Noise => [];
    public bool UsesNoise => false;
    /// <summary>Nothing to draw.</summary>
    public void DrawNoise(int k, ref Xoshiro256StarStar rng) { }

    public MarginalRsmiNeObjective(int hidden, int visibleSize, int environmentSize, int capacity, SeparableCritic critic, double[] weights, double[] bias)
    {
        Require.That(hidden is >= 1 and <= MaxHidden, $"the hidden states are summed for at most {MaxHidden} hidden units, got {hidden}.");
        Hidden = hidden; VisibleSize = visibleSize; EnvironmentSize = environmentSize; Capacity = capacity;
        _critic = critic; Weights = weights; Bias = bias;
        Mlp u = critic.U, w = critic.W;
        _states = 1 << hidden; _d = critic.EmbeddingSize;
        _h = new double[_states * hidden];
        for (int s = 0; s < _states; s++) for (int j = 0; j < hidden; j++) _h[s * hidden + j] = ((s >> j) & 1) != 0 ? 1.0 : -1.0;
        Visible = new double[capacity * visibleSize];
        Environment = new double[capacity * environmentSize];
        _p = new double[capacity * _states]; _t = new double[capacity * _states]; _tanh = new double[capacity * hidden];
        _actU = new double[_states * u.ActivationSize]; _actW = new double[capacity * w.ActivationSize];
        _maskU = new double[_states * u.HiddenUnits]; _maskW = new double[capacity * w.HiddenUnits];
        _embU = new double[_states * _d]; _embW = new double[capacity * _d]; _embWt = new double[_d * capacity];
        _wtU = new double[u.ParameterCount]; _wtW = new double[w.ParameterCount];
        _scores = new double[_states * capacity]; _g = new double[_states * capacity];
        _dEmbU = new double[_states * _d]; _dEmbW = new double[capacity * _d];
        _q = new double[_states]; _lse = new double[_states];
        GradientU = new double[u.ParameterCount]; GradientW = new double[w.ParameterCount];
        GradientWeights = new double[hidden * visibleSize]; GradientBias = new double[hidden];
        int rowChunks = RowChunks.Count(capacity), stateChunks = RowChunks.Count(_states);
        _gradU = new double[stateChunks][]; _scratchU = new double[stateChunks][];
        for (int c = 0; c < stateChunks; c++) { _gradU[c] = new double[u.ParameterCount]; _scratchU[c] = new double[2 * RowChunks.Rows * u.MaxWidth]; }
        _gradW = new double[rowChunks][]; _scratchW = new double[rowChunks][]; _gradWeights = new double[rowChunks][]; _gradBias = new double[rowChunks][];
        for (int c = 0; c < rowChunks; c++)
        {
            _gradW[c] = new double[w.ParameterCount]; _scratchW[c] = new double[2 * RowChunks.Rows * w.MaxWidth];
            _gradWeights[c] = new double[hidden * visibleSize]; _gradBias[c] = new double[hidden];
        }
    }

    /// <summary>
    /// The bound on the first <paramref name="k"/> rows of <see cref="Visible"/> and <see cref="Environment"/> (nats);
    /// with <paramref name="gradient"/> also the critic's gradients and, with <paramref name="trainFilters"/>, the
    /// filters'. <paramref name="dropoutSeed"/> seeds the critic's dropout masks (null: none).
    /// </summary>
    public double Evaluate(int k, MutualInformationBound bound, bool gradient, bool trainFilters, int maxDegreeOfParallelism,
        ulong? dropoutSeed = null, long dropoutIndex = 0)
    {
        Require.That(k >= 2 && k <= Capacity, $"the batch must hold 2 to {Capacity} rows, got {k}.");
        Mlp u = _critic.U, w = _critic.W;
        int nh = Hidden, nv = VisibleSize, ne = EnvironmentSize, m = _states, d = _d;
        int au = u.ActivationSize, aw = w.ActivationSize, hu = u.HiddenUnits, hw = w.HiddenUnits;
        bool dropout = dropoutSeed.HasValue && (u.DropoutRate > 0 || w.DropoutRate > 0);
        u.TransposeWeights(_wtU);
        w.TransposeWeights(_wtW);
        // 1. P_i(h) = Π_j σ(2 h_j a_ij) and the environment embeddings w(e_i), row by row
        RowChunks.For(k, maxDegreeOfParallelism, (c, r0, r1) =>
        {
            Span<double> up = stackalloc double[nh];
            for (int r = r0; r < r1; r++)
            {
                ReadOnlySpan<double> v = Visible.AsSpan(r * nv, nv);
                for (int j = 0; j < nh; j++)
                {
                    double a = TensorPrimitives.Dot(Weights.AsSpan(j * nv, nv), v) + Bias[j];
                    _tanh[r * nh + j] = Math.Tanh(a);
                    up[j] = 1 / (1 + Math.Exp(-2 * a)); // P(h_j = +1)
                }
                // P_i(h) = Π_j P(h_j), built up unit by unit: state s has h_j = +1 where bit j of s is set
                Span<double> p = _p.AsSpan(r * m, m);
                p[0] = 1;
                for (int j = 0, size = 1; j < nh; j++, size <<= 1)
                    for (int s = 0; s < size; s++) { p[s + size] = p[s] * up[j]; p[s] *= 1 - up[j]; }
                if (dropout)
                {
                    var rng = RandomStreams.Create(dropoutSeed!.Value, (ulong)(dropoutIndex + r), "critic-dropout");
                    w.DrawDropoutScale(ref rng, _maskW.AsSpan(r * hw, hw));
                }
            }
            int n = r1 - r0;
            Span<double> tile = _actW.AsSpan(r0 * aw, n * aw);
            w.ForwardRows(n, Environment.AsSpan(r0 * ne, n * ne), tile, dropout ? _maskW.AsSpan(r0 * hw, n * hw) : default, _wtW);
            ReadOnlySpan<double> wr = w.OutputRows(tile, n);
            wr.CopyTo(_embW.AsSpan(r0 * d, n * d));
            for (int r = 0; r < n; r++)
                for (int q = 0; q < d; q++) _embWt[q * k + r0 + r] = wr[r * d + q];
        });
        // 2. the hidden-state embeddings u(h)
        RowChunks.For(m, maxDegreeOfParallelism, (c, s0, s1) =>
        {
            int n = s1 - s0;
            if (dropout)
                for (int s = s0; s < s1; s++)
                {
                    var rng = RandomStreams.Create(dropoutSeed!.Value, (ulong)(dropoutIndex + s), "critic-dropout-hidden-state");
                    u.DrawDropoutScale(ref rng, _maskU.AsSpan(s * hu, hu));
                }
            Span<double> tile = _actU.AsSpan(s0 * au, n * au);
            u.ForwardRows(n, _h.AsSpan(s0 * nh, n * nh), tile, dropout ? _maskU.AsSpan(s0 * hu, n * hu) : default, _wtU);
            u.OutputRows(tile, n).CopyTo(_embU.AsSpan(s0 * d, n * d));
        });
        // 3. scores S_hk, the per-state normalisers and ∂V/∂S (Q_h is summed in row order: thread-independent)
        for (int s = 0; s < m; s++)
        {
            double q = 0;
            for (int r = 0; r < k; r++) q += _p[r * m + s];
            _q[s] = q / k;
        }
        double logK = Math.Log(k);
        RowChunks.For(m, maxDegreeOfParallelism, (c, s0, s1) =>
        {
            Gemm.Multiply(s1 - s0, k, d, _embU.AsSpan(s0 * d, (s1 - s0) * d), d, 1, _embWt.AsSpan(0, d * k), k,
                _scores.AsSpan(s0 * Capacity, (s1 - s0 - 1) * Capacity + k), Capacity, accumulate: false);
            for (int s = s0; s < s1; s++)
            {
                Span<double> sc = _scores.AsSpan(s * Capacity, k), g = _g.AsSpan(s * Capacity, k);
                if (bound == MutualInformationBound.InfoNce)
                {
                    double max = TensorPrimitives.Max(sc);
                    TensorPrimitives.Subtract(sc, max, g);
                    TensorPrimitives.Exp(g, g);
                    double sum = TensorPrimitives.Sum(g);
                    _lse[s] = max + Math.Log(sum);
                    TensorPrimitives.Multiply(g, -_q[s] / sum, g); // −Q_h softmax
                    for (int r = 0; r < k; r++) g[r] += _p[r * m + s] / k;
                }
                else
                {
                    TensorPrimitives.Subtract(sc, 1.0, g);
                    TensorPrimitives.Exp(g, g);
                    _lse[s] = TensorPrimitives.Sum(g); // Σ_k e^{S_hk − 1}
                    for (int r = 0; r < k; r++)
                    {
                        double pr = _p[r * m + s];
                        g[r] = pr / k - g[r] * (k * _q[s] - pr) / ((double)k * (k - 1));
                    }
                }
            }
        });
        // 4. row terms T_i(h) and the value, summed in row order
        double value = 0;
        for (int r = 0; r < k; r++)
        {
            Span<double> t = _t.AsSpan(r * m, m);
            double row = 0;
            for (int s = 0; s < m; s++)
            {
                double sc = _scores[s * Capacity + r];
                t[s] = bound == MutualInformationBound.InfoNce ? sc - _lse[s] + logK : sc - (_lse[s] - Math.Exp(sc - 1)) / (k - 1);
                row += _p[r * m + s] * t[s];
            }
            value += row;
        }
        value /= k;
        if (!gradient) return value;
        // 5. embeddings' gradients: ∂V/∂u_hq = Σ_k G_hk w_kq, ∂V/∂w_kq = Σ_h G_hk u_hq
        RowChunks.For(m, maxDegreeOfParallelism, (c, s0, s1) =>
        {
            Span<double> gu = _gradU[c];
            int n = s1 - s0;
            Gemm.Multiply(n, d, k, _g.AsSpan(s0 * Capacity, (n - 1) * Capacity + k), Capacity, 1, _embW.AsSpan(0, k * d), d,
                _dEmbU.AsSpan(s0 * d, n * d), d, accumulate: false);
            u.BackwardRows(n, _h.AsSpan(s0 * nh, n * nh), _actU.AsSpan(s0 * au, n * au), dropout ? _maskU.AsSpan(s0 * hu, n * hu) : default,
                _dEmbU.AsSpan(s0 * d, n * d), gu, default, _scratchU[c], accumulate: false);
        });
        RowChunks.Reduce(_gradU, RowChunks.Count(m), GradientU);
        RowChunks.For(k, maxDegreeOfParallelism, (c, r0, r1) =>
        {
            Span<double> gw = _gradW[c], gl = _gradWeights[c], gb = _gradBias[c];
            gl.Clear(); gb.Clear();
            Span<double> da = stackalloc double[nh];
            int n = r1 - r0;
            // ∂V/∂w_r = Σ_h G_hr u_h: rows r0…r1 of Gᵀ U
            Gemm.Multiply(n, d, m, _g.AsSpan(r0, (m - 1) * Capacity + n), 1, Capacity, _embU.AsSpan(0, m * d), d,
                _dEmbW.AsSpan(r0 * d, n * d), d, accumulate: false);
            w.BackwardRows(n, Environment.AsSpan(r0 * ne, n * ne), _actW.AsSpan(r0 * aw, n * aw), dropout ? _maskW.AsSpan(r0 * hw, n * hw) : default,
                _dEmbW.AsSpan(r0 * d, n * d), gw, default, _scratchW[c], accumulate: false);
            if (!trainFilters) return;
            for (int r = r0; r < r1; r++)
            {
                da.Clear();
                for (int s = 0; s < m; s++)
                {
                    double pt = _p[r * m + s] * _t[r * m + s];
                    if (pt == 0) continue;
                    for (int j = 0; j < nh; j++) da[j] += pt * (_h[s * nh + j] - _tanh[r * nh + j]);
                }
                ReadOnlySpan<double> v = Visible.AsSpan(r * nv, nv);
                for (int j = 0; j < nh; j++)
                {
                    double x = da[j] / k;
                    gb[j] += x;
                    Span<double> row = gl.Slice(j * nv, nv);
                    TensorPrimitives.MultiplyAdd(v, x, row, row);
                }
            }
        });
        int rowChunks = RowChunks.Count(k);
        RowChunks.Reduce(_gradW, rowChunks, GradientW);
        if (trainFilters)
        {
            RowChunks.Reduce(_gradWeights, rowChunks, GradientWeights);
            RowChunks.Reduce(_gradBias, rowChunks, GradientBias);
        }
        return value;
    }

    /// <summary>The interface's form: τ and the hard/relaxed choice do not apply when the states are summed.</summary>
    double IRsmiNeObjective.Evaluate(int k, double tau, MutualInformationBound bound, bool hard, bool gradient, bool trainFilters,
        int maxDegreeOfParallelism, ulong? dropoutSeed, long dropoutIndex)
        => Evaluate(k, bound, gradient, trainFilters, maxDegreeOfParallelism, dropoutSeed, dropoutIndex);

}
