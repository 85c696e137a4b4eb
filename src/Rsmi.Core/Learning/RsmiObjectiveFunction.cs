using Rsmi.Filters;
using System.Numerics.Tensors;
using Rsmi.Regions;

namespace Rsmi.Learning;

/// <summary>Which estimate of log P(e|h) the RSMI network maximises (docs/algorithm.md, "The RBM estimator").</summary>
public enum RsmiObjective
{
    /// <summary>The paper's first-cumulant proxy log⟨e^{−ΔF}⟩ ≈ −⟨ΔF⟩ (a Jensen lower bound).</summary>
    FirstCumulant,
    /// <summary>The full log-mean-exp log⟨e^{−ΔF}⟩.</summary>
    LogMeanExp,
    /// <summary>
    /// The exact mutual information I_Q(H:E) of one joint law, Q(V, e) = P_data(e) P_Θ(V|e), with H drawn by the filter
    /// from V (docs/algorithm.md, "The RBM estimator"; needs the exact inner average). Unlike the cross-entropy
    /// objectives it obeys the data-processing inequality: no rule can carry more than I_Q(V:E), and a deterministic
    /// rule that keeps the block's states apart carries all of it, whatever Θ's error.
    /// </summary>
    ModelInformation,
}

/// <summary>
/// The RSMI objective of Koch-Janusz &amp; Ringel (2018) built on two trained RBMs, Θ on (V, E) and Ψ on V
/// (docs/algorithm.md, "The RBM estimator"). With P(e|V) ≈ (Z_Ψ/Z_Θ) e^{−ΔF(V,e)}, ΔF = F_Θ(V,e) − F_Ψ(V), and
/// P_Λ(V|h) ∝ e^{−F_Ψ(V)} P_Λ(h|V), log P(e|h) = log(Z_Ψ/Z_Θ) + L(h,e) with
/// L(h,e) = log ⟨e^{−ΔF(V,e)}⟩_{V~P_Λ(V|h)} (or −⟨ΔF⟩ for the first cumulant), and up to Λ-independent constants
/// A_Λ = E_{(v′,e)~data} Σ_h P_Λ(h|v′) L(h,e).
/// <para>The sum over h is done exactly (2^N_h terms), so the only sampling is the mini-batch and, optionally, the
/// inner average. The inner average runs over a <em>support</em> of block states V_m with base weights e^{β_m}:
/// every 2^|V| state with β_m = −F_Ψ(V_m) (exact enumeration), or M states drawn from Ψ with β_m = 0 (Monte Carlo,
/// self-normalised with weights P_Λ(h|V_m)).</para>
/// <para>Gradient (score-function identities; g_ij(V,h) = ∂ log P_Λ(h|V)/∂λ_ij = v_i (h_j − tanh a_j(V))):
/// ∂A/∂λ = E_data Σ_h P_Λ(h|v′) [ g(v′,h) L(h,e) + ∂L/∂λ ], with
/// ∂L/∂λ = −Cov_{V|h}(ΔF, g(V,h)) = −Σ_m π_m (ΔF_m − ⟨ΔF⟩) g(V_m,h) for the first cumulant and
/// ∂L/∂λ = Σ_m (ρ_m − π_m) g(V_m,h) for the log-mean-exp, where π_m ∝ e^{β_m} P_Λ(h|V_m) and ρ_m ∝ π_m e^{−ΔF_m}.</para>
/// </summary>
public sealed class RsmiObjectiveFunction
{
    private readonly RestrictedBoltzmannMachine _joint, _block;
    private readonly Windows _windows;
    private readonly int _nv, _ne, _nhTheta;
    // support
    private int _m;
    private double[] _support = [];       // M × |V| (±1)
    private double[] _beta = [];          // M
    private double[] _thetaField = [];    // M × N_hΘ: Σ_{i∈V} V_i W^Θ_ik
    private double[] _thetaVisibleTerm = []; // M: a^Θ_V · V + F_Ψ(V)  (so ΔF = −this − a_E·e − Σ log2cosh)
    private double[]? _cache, _cacheRef;     // exact support: ΔF(V_m, e_w) (windows × M) and the reference term, filled on first use
    private bool[]? _cached;
    private bool _exact;
    private double[]? _scratchR, _scratchQ;
    private double[]?[]? _scratchG;

    /// <summary>A kept array of at least <paramref name="length"/> values (zeroed over that length when asked).</summary>
    private static double[] Scratch(ref double[]? kept, long length, bool clear = false)
    {
        if (kept is null || kept.LongLength < length) kept = new double[length];
        else if (clear) Array.Clear(kept, 0, (int)length);
        return kept;
    }

    /// <summary>The objective for the given machines and windows. Θ must have |V|+|E| visible units (V first), Ψ |V|.</summary>
    public RsmiObjectiveFunction(RestrictedBoltzmannMachine joint, RestrictedBoltzmannMachine block, Windows windows, RsmiObjective objective)
    {
        Require.That(joint.VisibleCount == windows.VisibleSize + windows.EnvironmentSize, "the joint RBM must have |V| + |E| visible units.");
        Require.That(block.VisibleCount == windows.VisibleSize, "the block RBM must have |V| visible units.");
        _joint = joint; _block = block; _windows = windows; Objective = objective;
        _nv = windows.VisibleSize; _ne = windows.EnvironmentSize; _nhTheta = joint.HiddenCount;
    }

    /// <summary>First cumulant or log-mean-exp.</summary>
    public RsmiObjective Objective { get; set; }

    /// <summary>Threads used (−1: all); the result does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    private ParallelOptions Parallelism => new() { MaxDegreeOfParallelism = MaxDegreeOfParallelism };

    /// <summary>With the exact inner average, keep each window's ΔF(V_m, e) after its first use (default; false recomputes
    /// it on every evaluation — the same values, for tests). Takes effect when the inner average is chosen.</summary>
    internal bool KeepDeltaF { get; set; } = true;

    /// <summary>Number of support states M of the inner average.</summary>
    public int SupportSize => _m;

    /// <summary>Most ΔF values (windows × support states) kept between evaluations with the exact inner average.</summary>
    private const long MaxCachedValues = 1L << 24;

    /// <summary>Largest |V| for which the inner average can be enumerated.</summary>
    public const int MaxEnumeratedBlock = 16;

    /// <summary>Inner average by exact enumeration of all 2^|V| block states (|V| ≤ 16), weighted by e^{−F_Ψ(V)}.</summary>
    public void UseExactInnerAverage()
    {
        Require.That(_nv <= MaxEnumeratedBlock, $"exact inner averages need |V| ≤ {MaxEnumeratedBlock}, got {_nv}.");
        int m = 1 << _nv;
        var states = new double[m * _nv];
        for (int s = 0; s < m; s++) for (int i = 0; i < _nv; i++) states[s * _nv + i] = ((s >> i) & 1) != 0 ? 1 : -1;
        SetSupport(states, m, exact: true);
    }

    /// <summary>Inner average by Monte Carlo over <paramref name="count"/> block states drawn from Ψ (±1, row-major).</summary>
    public void UseSamples(ReadOnlySpan<sbyte> samples, int count)
    {
        Require.That(samples.Length == count * _nv, "support samples must be count × |V| values.");
        var states = new double[count * _nv];
        for (int k = 0; k < states.Length; k++) states[k] = samples[k];
        SetSupport(states, count, exact: false);
    }

    private void SetSupport(double[] states, int m, bool exact)
    {
        _m = m; _support = states; _exact = exact;
        _beta = new double[m]; _thetaField = new double[m * _nhTheta]; _thetaVisibleTerm = new double[m];
        Parallel.For(0, m, Parallelism, s =>
        {
            var v = states.AsSpan(s * _nv, _nv);
            double fPsi = _block.FreeEnergy(v);
            _beta[s] = exact ? -fPsi : 0;
            var t = _thetaField.AsSpan(s * _nhTheta, _nhTheta);
            for (int i = 0; i < _nv; i++) TensorPrimitives.MultiplyAdd(_joint.WeightRow(i), v[i], t, t);
            _thetaVisibleTerm[s] = TensorPrimitives.Dot(_joint.VisibleBias.AsSpan(0, _nv), v) + fPsi;
        });
        if (exact)
        {
            double max = _beta.Max();
            for (int s = 0; s < m; s++) _beta[s] -= max;
        }
        bool cache = exact && KeepDeltaF && (long)_windows.Count * m <= MaxCachedValues;
        _cache = cache ? new double[(long)_windows.Count * m] : null;
        _cacheRef = cache ? new double[_windows.Count] : null;
        _cached = cache ? new bool[_windows.Count] : null;
    }

    /// <summary>
    /// The mean of A_Λ over the window rows <paramref name="rows"/> (up to Λ-independent constants) and, when the spans
    /// are non-empty, its gradient with respect to the filter weights (N_h × |V|) and biases (N_h).
    /// <paramref name="informationNats"/> receives the estimate of I_Λ(H:E):
    /// mean over rows of Σ_h P_Λ(h|v′) [L_lme(h,e) − log⟨e^{−ΔF(V,e)}⟩_{V~Ψ}] (Z_Θ cancels, Z_Ψ is the support's weight).
    /// </summary>
    public double Evaluate(FilterParameters filter, ReadOnlySpan<int> rows, Span<double> weightGradient, Span<double> biasGradient, out double informationNats)
    {
        Require.That(_m > 0, "choose the inner average (exact or samples) before evaluating the objective.");
        Require.That(filter.Visible == _nv, "the filter's block size does not match the windows.");
        int nh = filter.Hidden, nhS = 1 << nh, m = _m;
        Require.That(nh <= ExactMutualInformation.MaxHidden, $"the RSMI objective enumerates at most {ExactMutualInformation.MaxHidden} hidden units.");
        bool wantGrad = weightGradient.Length > 0;
        if (Objective == RsmiObjective.ModelInformation) return EvaluateModelInformation(filter, rows, weightGradient, biasGradient, out informationNats);
        if (_cache is not null) return EvaluateCached(filter, rows, weightGradient, biasGradient, out informationNats);
        // Λ-dependent support tables: log P(h|V_m) and tanh a_j(V_m)
        var logPh = new double[m * nhS];
        var tanhSupport = new double[m * nh];
        Parallel.For(0, (m + 255) / 256, Parallelism, chunk =>
        {
            Span<double> a = stackalloc double[nh];
            for (int s = chunk * 256, end = Math.Min(m, s + 256); s < end; s++)
            {
                filter.Activations(_support.AsSpan(s * _nv, _nv), a);
                for (int j = 0; j < nh; j++) tanhSupport[s * nh + j] = Math.Tanh(a[j]);
                for (int h = 0; h < nhS; h++) logPh[s * nhS + h] = LogConditional(a, h);
            }
        });
        int n = rows.Length;
        int[] rowArray = rows.ToArray();
        const int chunkRows = 16;
        int chunks = (n + chunkRows - 1) / chunkRows;
        var chunkValue = new double[chunks];
        var chunkInfo = new double[chunks];
        var chunkW = wantGrad ? new double[chunks][] : null;
        var chunkD = wantGrad ? new double[chunks][] : null; // M × N_h coefficients of g(V_m, h)
        Parallel.For(0, chunks, Parallelism, c =>
        {
            var dFScratch = new double[m];
            var pi = new double[m];
            var kappa = new double[m];
            Span<double> u = stackalloc double[_nhTheta];
            Span<double> scratch = stackalloc double[3 * _nhTheta];
            Span<double> vRow = stackalloc double[_nv];
            Span<double> aRow = stackalloc double[nh];
            double[]? gW = wantGrad ? chunkW![c] = new double[nh * (_nv + 1)] : null;
            double[]? d = wantGrad ? chunkD![c] = new double[m * nh] : null;
            double value = 0, info = 0;
            for (int r = c * chunkRows, end = Math.Min(n, r + chunkRows); r < end; r++)
            {
                int w = rowArray[r];
                var vS = _windows.VisibleRow(w);
                double[] dF = dFScratch;
                double logRef = DeltaF(w, dF, u, scratch);
                for (int i = 0; i < _nv; i++) vRow[i] = vS[i];
                filter.Activations(vRow, aRow);
                for (int h = 0; h < nhS; h++)
                {
                    double ph = Math.Exp(LogConditional(aRow, h));
                    // π_m ∝ e^{β_m} P(h|V_m)
                    double maxLog = double.NegativeInfinity;
                    for (int s = 0; s < m; s++) { pi[s] = _beta[s] + logPh[s * nhS + h]; if (pi[s] > maxLog) maxLog = pi[s]; }
                    double z = 0;
                    for (int s = 0; s < m; s++) { pi[s] = Math.Exp(pi[s] - maxLog); z += pi[s]; }
                    double invZ = 1 / z;
                    for (int s = 0; s < m; s++) pi[s] *= invZ;
                    double meanDF = TensorPrimitives.Dot<double>(pi, dF);
                    // log-mean-exp: log Σ π_m e^{−ΔF_m}, ρ_m ∝ π_m e^{−ΔF_m}
                    double minDF = double.PositiveInfinity;
                    for (int s = 0; s < m; s++) if (pi[s] > 0 && dF[s] < minDF) minDF = dF[s];
                    double zr = 0;
                    for (int s = 0; s < m; s++) { kappa[s] = pi[s] * Math.Exp(minDF - dF[s]); zr += kappa[s]; }
                    double lme = -minDF + Math.Log(zr);
                    info += ph * (lme - logRef);
                    double l;
                    if (Objective == RsmiObjective.LogMeanExp)
                    {
                        l = lme;
                        if (wantGrad) { double inv = 1 / zr; for (int s = 0; s < m; s++) kappa[s] = kappa[s] * inv - pi[s]; }
                    }
                    else
                    {
                        l = -meanDF;
                        if (wantGrad) for (int s = 0; s < m; s++) kappa[s] = -pi[s] * (dF[s] - meanDF);
                    }
                    value += ph * l;
                    if (!wantGrad) continue;
                    // score term from h ~ P(h|v′): P(h|v′) L g(v′, h)
                    for (int j = 0; j < nh; j++)
                    {
                        double coef = ph * l * (Spin(h, j) - Math.Tanh(aRow[j]));
                        var row = gW.AsSpan(j * (_nv + 1), _nv);
                        TensorPrimitives.MultiplyAdd(vRow, coef, row, row);
                        gW![j * (_nv + 1) + _nv] += coef;
                    }
                    // inner term: P(h|v′) Σ_m κ_m g(V_m, h), accumulated per support state
                    for (int s = 0; s < m; s++)
                    {
                        double k = ph * kappa[s];
                        if (k == 0) continue;
                        for (int j = 0; j < nh; j++) d![s * nh + j] += k * (Spin(h, j) - tanhSupport[s * nh + j]);
                    }
                }
            }
            chunkValue[c] = value; chunkInfo[c] = info;
        });
        double total = 0, totalInfo = 0;
        for (int c = 0; c < chunks; c++) { total += chunkValue[c]; totalInfo += chunkInfo[c]; }
        informationNats = totalInfo / n;
        if (wantGrad)
        {
            Require.That(weightGradient.Length == nh * _nv && biasGradient.Length == nh, "gradient spans must hold N_h·|V| and N_h values.");
            weightGradient.Clear(); biasGradient.Clear();
            var dSum = new double[m * nh];
            for (int c = 0; c < chunks; c++)
            {
                TensorPrimitives.Add(dSum, chunkD![c], dSum);
                for (int j = 0; j < nh; j++)
                {
                    TensorPrimitives.Add(weightGradient.Slice(j * _nv, _nv), chunkW![c].AsSpan(j * (_nv + 1), _nv), weightGradient.Slice(j * _nv, _nv));
                    biasGradient[j] += chunkW[c][j * (_nv + 1) + _nv];
                }
            }
            for (int s = 0; s < m; s++)
            {
                var v = _support.AsSpan(s * _nv, _nv);
                for (int j = 0; j < nh; j++)
                {
                    double k = dSum[s * nh + j];
                    TensorPrimitives.MultiplyAdd(v, k, weightGradient.Slice(j * _nv, _nv), weightGradient.Slice(j * _nv, _nv));
                    biasGradient[j] += k;
                }
            }
            TensorPrimitives.Multiply(weightGradient, 1.0 / n, weightGradient);
            TensorPrimitives.Multiply(biasGradient, 1.0 / n, biasGradient);
        }
        return total / n;
    }

    /// <summary>
    /// <see cref="Evaluate"/> with the exact support and the per-window ΔF kept: the weights of the inner average,
    /// π_hm = e^{β_m} P_Λ(h|V_m) / Σ_m′ e^{β_m′} P_Λ(h|V_m′), depend on Λ alone and are tabulated once per call, so that
    /// each row costs O(2^N_h · M): L_lme(h,e) = −ΔF_min + log Σ_m π_hm ε_m with ε_m = e^{ΔF_min − ΔF_m} (kept per window),
    /// and the inner gradient term Σ_m κ_hm g(V_m, h) is accumulated as Σ_rows P_Λ(h|v′) κ_hm before it is contracted
    /// with g(V_m, h) = V_m (h − tanh a(V_m)) once per call. Same value and gradient as the general path.
    /// </summary>
    private double EvaluateCached(FilterParameters filter, ReadOnlySpan<int> rows, Span<double> weightGradient, Span<double> biasGradient, out double informationNats)
    {
        int nh = filter.Hidden, nhS = 1 << nh, m = _m, nv = _nv;
        bool wantGrad = weightGradient.Length > 0, lme = Objective == RsmiObjective.LogMeanExp;
        var pi = new double[nhS * m];
        var tanhSupport = new double[m * nh];
        {
            Span<double> a = stackalloc double[nh];
            var logPi = new double[m];
            for (int h = 0; h < nhS; h++)
            {
                double max = double.NegativeInfinity;
                for (int st = 0; st < m; st++)
                {
                    filter.Activations(_support.AsSpan(st * nv, nv), a);
                    logPi[st] = _beta[st] + LogConditional(a, h);
                    if (logPi[st] > max) max = logPi[st];
                    if (h == 0) for (int j = 0; j < nh; j++) tanhSupport[st * nh + j] = Math.Tanh(a[j]);
                }
                double z = 0;
                for (int st = 0; st < m; st++) z += pi[h * m + st] = Math.Exp(logPi[st] - max);
                TensorPrimitives.Multiply(pi.AsSpan(h * m, m), 1 / z, pi.AsSpan(h * m, m));
            }
        }
        int n = rows.Length;
        int[] rowArray = rows.ToArray();
        const int chunkRows = 64;
        int chunks = (n + chunkRows - 1) / chunkRows;
        var chunkValue = new double[chunks];
        var chunkInfo = new double[chunks];
        var chunkW = wantGrad ? new double[chunks][] : null;
        var chunkK = wantGrad ? new double[chunks][] : null; // 2^N_h × M: Σ_rows P(h|v′) κ_hm
        Parallel.For(0, chunks, Parallelism, c =>
        {
            Span<double> u = stackalloc double[_nhTheta];
            Span<double> scratch = stackalloc double[3 * _nhTheta];
            Span<double> vRow = stackalloc double[nv];
            Span<double> aRow = stackalloc double[nh];
            Span<double> ph = stackalloc double[nhS];
            Span<double> da = stackalloc double[nh];
            Span<double> tanhRow = stackalloc double[nh];
            var eps = new double[m];
            double[]? gW = wantGrad ? chunkW![c] = new double[nh * (nv + 1)] : null;
            double[]? kk = wantGrad ? chunkK![c] = new double[nhS * m] : null;
            double value = 0, info = 0;
            for (int r = c * chunkRows, end = Math.Min(n, r + chunkRows); r < end; r++)
            {
                int w = rowArray[r];
                if (!Volatile.Read(ref _cached![w]))
                {
                    _cacheRef![w] = DeltaF(w, _cache!.AsSpan(w * m, m), u, scratch);
                    Volatile.Write(ref _cached[w], true);
                }
                ReadOnlySpan<double> dF = _cache!.AsSpan(w * m, m);
                double logRef = _cacheRef![w];
                double minDF = TensorPrimitives.Min(dF);
                TensorPrimitives.Subtract(minDF, dF, eps);
                TensorPrimitives.Exp(eps, eps);
                var vS = _windows.VisibleRow(w);
                for (int i = 0; i < nv; i++) vRow[i] = vS[i];
                filter.Activations(vRow, aRow);
                for (int j = 0; j < nh; j++) tanhRow[j] = Math.Tanh(aRow[j]);
                ConditionalTable(aRow, ph);
                da.Clear();
                for (int h = 0; h < nhS; h++)
                {
                    ReadOnlySpan<double> pih = pi.AsSpan(h * m, m);
                    double zr = TensorPrimitives.Dot(pih, eps);
                    double lmeH = -minDF + Math.Log(zr);
                    info += ph[h] * (lmeH - logRef);
                    double meanDF = lme ? 0 : TensorPrimitives.Dot(pih, dF);
                    double l = lme ? lmeH : -meanDF;
                    value += ph[h] * l;
                    if (!wantGrad) continue;
                    double pl = ph[h] * l;
                    for (int j = 0; j < nh; j++) da[j] += pl * (Spin(h, j) - tanhRow[j]);
                    Span<double> kh = kk.AsSpan(h * m, m);
                    if (lme)
                    {
                        // κ = π ε / z − π
                        AccumulateKappa(kh, pih, eps, ph[h] / zr, ph[h]);
                    }
                    else for (int st = 0; st < m; st++) kh[st] -= ph[h] * pih[st] * (dF[st] - meanDF);
                }
                if (!wantGrad) continue;
                for (int j = 0; j < nh; j++)
                {
                    var row = gW.AsSpan(j * (nv + 1), nv);
                    TensorPrimitives.MultiplyAdd(vRow, da[j], row, row);
                    gW![j * (nv + 1) + nv] += da[j];
                }
            }
            chunkValue[c] = value; chunkInfo[c] = info;
        });
        double total = 0, totalInfo = 0;
        for (int c = 0; c < chunks; c++) { total += chunkValue[c]; totalInfo += chunkInfo[c]; }
        informationNats = totalInfo / n;
        if (wantGrad)
        {
            Require.That(weightGradient.Length == nh * nv && biasGradient.Length == nh, "gradient spans must hold N_h·|V| and N_h values.");
            weightGradient.Clear(); biasGradient.Clear();
            var kSum = new double[nhS * m];
            for (int c = 0; c < chunks; c++)
            {
                TensorPrimitives.Add(kSum, chunkK![c], kSum);
                for (int j = 0; j < nh; j++)
                {
                    TensorPrimitives.Add(weightGradient.Slice(j * nv, nv), chunkW![c].AsSpan(j * (nv + 1), nv), weightGradient.Slice(j * nv, nv));
                    biasGradient[j] += chunkW[c][j * (nv + 1) + nv];
                }
            }
            // d_mj = Σ_h K_hm (h_j − tanh a_j(V_m)); ∂/∂λ_j += Σ_m d_mj V_m, ∂/∂c_j += Σ_m d_mj
            for (int st = 0; st < m; st++)
            {
                var v = _support.AsSpan(st * nv, nv);
                for (int j = 0; j < nh; j++)
                {
                    double d = 0;
                    for (int h = 0; h < nhS; h++) d += kSum[h * m + st] * (Spin(h, j) - tanhSupport[st * nh + j]);
                    TensorPrimitives.MultiplyAdd(v, d, weightGradient.Slice(j * nv, nv), weightGradient.Slice(j * nv, nv));
                    biasGradient[j] += d;
                }
            }
            TensorPrimitives.Multiply(weightGradient, 1.0 / n, weightGradient);
            TensorPrimitives.Multiply(biasGradient, 1.0 / n, biasGradient);
        }
        return total / n;
    }

    /// <summary>
    /// <see cref="Evaluate"/> for <see cref="RsmiObjective.ModelInformation"/>: with R_wm = P_Θ(V_m|e_w) ∝ e^{β_m − ΔF(V_m, e_w)}
    /// (β_m = −F_Ψ(V_m), so the Ψ terms cancel), T_mh = P_Λ(h|V_m), q_wh = Σ_m R_wm T_mh and q̄_h the mean of q_wh over the
    /// rows, I = mean_w Σ_h q_wh log q_wh − Σ_h q̄_h log q̄_h. Gradient: ∂I/∂T_mh = G_mh = mean_w R_wm (log q_wh − log q̄_h),
    /// and ∂T_mh/∂λ_j = T_mh g_j(V_m, h), so ∂I/∂λ_j = Σ_m V_m Σ_h G_mh T_mh (h_j − tanh a_j(V_m)). The value is I itself.
    /// </summary>
    private double EvaluateModelInformation(FilterParameters filter, ReadOnlySpan<int> rows, Span<double> weightGradient, Span<double> biasGradient, out double informationNats)
    {
        Require.That(_exact, "the model-information objective needs the exact inner average.");
        int nh = filter.Hidden, nhS = 1 << nh, m = _m, nv = _nv, n = rows.Length;
        bool wantGrad = weightGradient.Length > 0;
        // T_mh = P_Λ(h|V_m) and tanh a_j(V_m)
        var t = new double[m * nhS];
        var tanhSupport = new double[m * nh];
        Parallel.For(0, (m + 63) / 64, Parallelism, chunk =>
        {
            Span<double> a = stackalloc double[nh];
            for (int s = chunk * 64, end = Math.Min(m, s + 64); s < end; s++)
            {
                filter.Activations(_support.AsSpan(s * nv, nv), a);
                for (int j = 0; j < nh; j++) tanhSupport[s * nh + j] = Math.Tanh(a[j]);
                ConditionalTable(a, t.AsSpan(s * nhS, nhS));
            }
        });
        int[] rowArray = rows.ToArray();
        // the large tables are kept between calls (an ascent calls with the same sizes 600 times); Evaluate is not
        // called concurrently on one instance
        var r = Scratch(ref _scratchR, (long)n * m);
        var q = Scratch(ref _scratchQ, (long)n * nhS, clear: true);
        const int chunkRows = 32;
        int chunks = (n + chunkRows - 1) / chunkRows;
        var chunkEntropy = new double[chunks];
        Parallel.For(0, chunks, Parallelism, c =>
        {
            Span<double> u = stackalloc double[_nhTheta];
            Span<double> scratch = stackalloc double[3 * _nhTheta];
            var dF = new double[m];
            double negEntropy = 0;
            for (int k = c * chunkRows, end = Math.Min(n, k + chunkRows); k < end; k++)
            {
                int w = rowArray[k];
                if (_cache is null) DeltaF(w, dF, u, scratch);
                else
                {
                    if (!Volatile.Read(ref _cached![w]))
                    {
                        _cacheRef![w] = DeltaF(w, _cache.AsSpan(w * m, m), u, scratch);
                        Volatile.Write(ref _cached[w], true);
                    }
                    _cache.AsSpan(w * m, m).CopyTo(dF);
                }
                var rw = r.AsSpan((int)((long)k * m), m);
                TensorPrimitives.Subtract(_beta, dF, rw);
                double max = TensorPrimitives.Max(rw);
                TensorPrimitives.Subtract(rw, max, rw);
                TensorPrimitives.Exp(rw, rw);
                TensorPrimitives.Multiply(rw, 1 / TensorPrimitives.Sum(rw), rw);
                var qw = q.AsSpan((int)((long)k * nhS), nhS);
                for (int s = 0; s < m; s++) if (rw[s] > 0) TensorPrimitives.MultiplyAdd(t.AsSpan(s * nhS, nhS), rw[s], qw, qw);
                for (int h = 0; h < nhS; h++) if (qw[h] > 0) negEntropy += qw[h] * Math.Log(qw[h]);
            }
            chunkEntropy[c] = negEntropy;
        });
        var qBar = new double[nhS];
        for (int k = 0; k < n; k++) TensorPrimitives.Add(qBar, q.AsSpan(k * nhS, nhS), qBar);
        TensorPrimitives.Multiply(qBar, 1.0 / n, qBar);
        double info = chunkEntropy.Sum() / n;
        for (int h = 0; h < nhS; h++) if (qBar[h] > 0) info -= qBar[h] * Math.Log(qBar[h]);
        informationNats = info;
        if (!wantGrad) return info;
        Require.That(weightGradient.Length == nh * nv && biasGradient.Length == nh, "gradient spans must hold N_h·|V| and N_h values.");
        var logQBar = new double[nhS];
        for (int h = 0; h < nhS; h++) logQBar[h] = qBar[h] > 0 ? Math.Log(qBar[h]) : 0;
        // G in blocks of rows of a fixed size, summed in order: the result does not depend on the thread count
        const int gradientRows = 256;
        int gradientChunks = (n + gradientRows - 1) / gradientRows;
        if (_scratchG is null || _scratchG.Length < gradientChunks) Array.Resize(ref _scratchG, gradientChunks);
        var chunkG = _scratchG;
        Parallel.For(0, gradientChunks, Parallelism, c =>
        {
            var g = Scratch(ref chunkG[c], m * nhS, clear: true);
            var l = new double[nhS];
            for (int k = c * gradientRows, end = Math.Min(n, k + gradientRows); k < end; k++)
            {
                var qw = q.AsSpan(k * nhS, nhS);
                for (int h = 0; h < nhS; h++) l[h] = qw[h] > 0 ? Math.Log(qw[h]) - logQBar[h] : 0;
                var rw = r.AsSpan((int)((long)k * m), m);
                for (int s = 0; s < m; s++) if (rw[s] > 0) TensorPrimitives.MultiplyAdd(l, rw[s], g.AsSpan(s * nhS, nhS), g.AsSpan(s * nhS, nhS));
            }
        });
        var gSum = new double[m * nhS];
        for (int c = 0; c < gradientChunks; c++) TensorPrimitives.Add(gSum, chunkG[c]!.AsSpan(0, m * nhS), gSum);
        weightGradient.Clear(); biasGradient.Clear();
        for (int s = 0; s < m; s++)
        {
            var v = _support.AsSpan(s * nv, nv);
            var gs = gSum.AsSpan(s * nhS, nhS);
            var ts = t.AsSpan(s * nhS, nhS);
            for (int j = 0; j < nh; j++)
            {
                double d = 0, tj = tanhSupport[s * nh + j];
                for (int h = 0; h < nhS; h++) d += gs[h] * ts[h] * (Spin(h, j) - tj);
                TensorPrimitives.MultiplyAdd(v, d, weightGradient.Slice(j * nv, nv), weightGradient.Slice(j * nv, nv));
                biasGradient[j] += d;
            }
        }
        TensorPrimitives.Multiply(weightGradient, 1.0 / n, weightGradient);
        TensorPrimitives.Multiply(biasGradient, 1.0 / n, biasGradient);
        return info;
    }

    /// <summary>
    /// ΔF(V_m, e) = −a^Θ·(V_m, e) − Σ_k log2cosh(u_k(e) + t_k(V_m)) − F_Ψ(V_m) for every support state of window
    /// <paramref name="w"/>, with u(e) = c^Θ + Σ_{i∈E} e_i W^Θ_{|V|+i,·}; returns the reference term
    /// log⟨e^{−ΔF}⟩ over the Ψ weights alone.
    /// </summary>
    private double DeltaF(int w, Span<double> dF, Span<double> u, Span<double> scratch)
    {
        var eS = _windows.EnvironmentRow(w);
        _joint.HiddenBias.CopyTo(u);
        double aE = 0;
        for (int i = 0; i < _ne; i++)
        {
            double e = eS[i];
            TensorPrimitives.MultiplyAdd(_joint.WeightRow(_nv + i), e, u, u);
            aE += _joint.VisibleBias[_nv + i] * e;
        }
        for (int s = 0; s < dF.Length; s++)
        {
            TensorPrimitives.Add(u, _thetaField.AsSpan(s * _nhTheta, _nhTheta), scratch.Slice(0, _nhTheta));
            dF[s] = -_thetaVisibleTerm[s] - aE - RestrictedBoltzmannMachine.SumLogTwoCosh(scratch.Slice(0, _nhTheta), default, scratch.Slice(_nhTheta));
        }
        return LogWeightedMeanExp(_beta, dF);
    }

    /// <summary>k_s += π_s (coef · ε_s − p) for every support state s, element by element in the order of the scalar
    /// expression (vectorised without fused operations, so each element is the scalar loop's).</summary>
    private static void AccumulateKappa(Span<double> k, ReadOnlySpan<double> pi, ReadOnlySpan<double> eps, double coef, double p)
    {
        int m = k.Length, width = System.Numerics.Vector<double>.Count, s = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var c = new System.Numerics.Vector<double>(coef);
            var pv = new System.Numerics.Vector<double>(p);
            for (; s + width <= m; s += width)
            {
                var e = new System.Numerics.Vector<double>(eps.Slice(s, width));
                var q = new System.Numerics.Vector<double>(pi.Slice(s, width));
                var acc = new System.Numerics.Vector<double>(k.Slice(s, width));
                (acc + q * (c * e - pv)).CopyTo(k.Slice(s, width));
            }
        }
        for (; s < m; s++) k[s] += pi[s] * (coef * eps[s] - p);
    }

    /// <summary>P_Λ(h|V) = Π_j σ(2 h_j a_j) for all 2^N_h states h from the activations a, built unit by unit (bit j of h
    /// set ⇔ h_j = +1).</summary>
    private static void ConditionalTable(ReadOnlySpan<double> a, Span<double> p)
    {
        p[0] = 1;
        for (int j = 0, size = 1; j < a.Length; j++, size <<= 1)
        {
            double up = 1 / (1 + Math.Exp(-2 * a[j]));
            for (int h = 0; h < size; h++) { p[h + size] = p[h] * up; p[h] *= 1 - up; }
        }
    }

    private static double Spin(int state, int j) => ((state >> j) & 1) != 0 ? 1.0 : -1.0;

    /// <summary>log P_Λ(h|V) = Σ_j [h_j a_j − log 2cosh a_j].</summary>
    private static double LogConditional(ReadOnlySpan<double> a, int h)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++) s += Spin(h, j) * a[j] - RestrictedBoltzmannMachine.LogTwoCosh(a[j]);
        return s;
    }

    /// <summary>log[Σ_m e^{β_m} e^{−x_m} / Σ_m e^{β_m}].</summary>
    private static double LogWeightedMeanExp(ReadOnlySpan<double> beta, ReadOnlySpan<double> x)
    {
        double maxA = double.NegativeInfinity, maxB = double.NegativeInfinity;
        for (int s = 0; s < x.Length; s++) { maxA = Math.Max(maxA, beta[s] - x[s]); maxB = Math.Max(maxB, beta[s]); }
        double sa = 0, sb = 0;
        for (int s = 0; s < x.Length; s++) { sa += Math.Exp(beta[s] - x[s] - maxA); sb += Math.Exp(beta[s] - maxB); }
        return maxA + Math.Log(sa) - maxB - Math.Log(sb);
    }
}
