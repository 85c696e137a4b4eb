using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Rsmi.Progress;
using Rsmi.Random;

namespace Rsmi.Learning;

/// <summary>How parameter updates are taken from the (contrastive-divergence) gradient.</summary>
public enum RbmOptimiser
{
    /// <summary>Adam (Kingma &amp; Ba 2015).</summary>
    Adam,
    /// <summary>Stochastic gradient with classical momentum.</summary>
    Momentum,
}

/// <summary>Hyper-parameters of contrastive-divergence training (defaults work for the small windows of RSMI).</summary>
public sealed record RbmTrainingOptions
{
    /// <summary>Number of hidden units (≥ 1).</summary>
    public int Hidden { get; init; } = 16;
    /// <summary>Gibbs steps k of CD-k (≥ 1).</summary>
    public int CdSteps { get; init; } = 1;
    /// <summary>Persistent CD (Tieleman 2008): negative chains carry over between updates instead of restarting at the data.</summary>
    public bool Persistent { get; init; }
    /// <summary>Mini-batch size (≥ 1); also the number of persistent chains.</summary>
    public int BatchSize { get; init; } = 64;
    /// <summary>Passes over the data (≥ 1).</summary>
    public int Epochs { get; init; } = 10;
    /// <summary>Cap on the number of updates (0 = none): training stops after this many mini-batches.</summary>
    public int MaxUpdates { get; init; }
    /// <summary>Learning rate η &gt; 0.</summary>
    public double LearningRate { get; init; } = 0.01;
    /// <summary>The learning rate falls linearly from η to this fraction of η over the training (1 = constant), in (0, 1].
    /// Annealing removes most of the stochastic-gradient noise from the final parameters.</summary>
    public double FinalLearningRateFraction { get; init; } = 1;
    /// <summary>The optimiser.</summary>
    public RbmOptimiser Optimiser { get; init; } = RbmOptimiser.Adam;
    /// <summary>Momentum coefficient for <see cref="RbmOptimiser.Momentum"/>, in [0, 1).</summary>
    public double Momentum { get; init; } = 0.9;
    /// <summary>L2 penalty λ₂ on the weights (adds −λ₂ W to the gradient), ≥ 0.</summary>
    public double L2 { get; init; }
    /// <summary>L1 penalty λ₁ on the weights (adds −λ₁ sign W), ≥ 0.</summary>
    public double L1 { get; init; }
    /// <summary>Standard deviation of the initial weights.</summary>
    public double InitialScale { get; init; } = 0.01;
    /// <summary>Seed of every random choice (initialisation, shuffling, Gibbs chains).</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Threads used (−1: all); the result does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Checks the ranges; throws <see cref="RsmiInputException"/> naming the bad option.</summary>
    public void Validate()
    {
        Require.Positive(Hidden, "RBM hidden units");
        Require.Positive(CdSteps, "CD steps");
        Require.Positive(BatchSize, "batch size");
        Require.Positive(Epochs, "epochs");
        Require.NonNegative(MaxUpdates, "maximum number of updates");
        Require.Positive(LearningRate, "learning rate");
        Require.That(Momentum is >= 0 and < 1, $"momentum must lie in [0, 1), got {Momentum}.");
        Require.That(L2 >= 0 && L1 >= 0, "L1 and L2 penalties must be non-negative.");
        Require.That(FinalLearningRateFraction is > 0 and <= 1, $"the final learning-rate fraction must lie in (0, 1], got {FinalLearningRateFraction}.");
        Require.That(MaxDegreeOfParallelism == -1 || MaxDegreeOfParallelism >= 1, "the thread count must be -1 or positive.");
    }
}

/// <summary>
/// Contrastive-divergence training of a ±1 RBM (Hinton 2002; persistent CD, Tieleman 2008). The log-likelihood
/// gradient is ∂⟨log P_Θ⟩/∂W_ik = ⟨x_i tanh b_k(x)⟩_data − ⟨x_i tanh b_k(x)⟩_model, ∂/∂a_i = ⟨x_i⟩_data − ⟨x_i⟩_model,
/// ∂/∂c_k = ⟨tanh b_k⟩_data − ⟨tanh b_k⟩_model with b_k(x) = c_k + Σ_i x_i W_ik (the hidden units summed out analytically);
/// the model average is replaced by the end points of k Gibbs steps. Mini-batch rows are processed in parallel in
/// fixed chunks with one random stream per row, so results do not depend on the number of threads.
/// </summary>
public static class RbmTrainer
{
    private const int Chunk = 16;

    /// <summary>Trains a machine on <paramref name="count"/> rows of ±1 data (row-major, <paramref name="visible"/> per row).</summary>
    public static RestrictedBoltzmannMachine Train(sbyte[] data, int count, int visible, RbmTrainingOptions options, IProgressReporter? progress = null, string stage = "RBM")
    {
        options.Validate();
        Require.Positive(count, "number of training rows");
        Require.That(data.Length >= (long)count * visible, "training data shorter than count × visible.");
        int nh = options.Hidden, nv = visible, batch = Math.Min(options.BatchSize, count);
        var rbm = RestrictedBoltzmannMachine.Random(nv, nh, options.Seed, options.InitialScale);
        // visible biases from the data means: a_i = atanh⟨x_i⟩ (the exact solution without couplings)
        for (int i = 0; i < nv; i++)
        {
            double mean = 0;
            for (int r = 0; r < count; r++) mean += data[(long)r * nv + i];
            mean = Math.Clamp(mean / count, -0.98, 0.98);
            rbm.VisibleBias[i] = Math.Atanh(mean);
        }
        int batchesPerEpoch = count / batch;
        long totalUpdates = (long)batchesPerEpoch * options.Epochs;
        if (options.MaxUpdates > 0) totalUpdates = Math.Min(totalUpdates, options.MaxUpdates);

        int chunks = (batch + Chunk - 1) / Chunk;
        var gW = new double[chunks][]; var gA = new double[chunks][]; var gC = new double[chunks][];
        for (int c = 0; c < chunks; c++) { gW[c] = new double[nv * nh]; gA[c] = new double[nv]; gC[c] = new double[nh]; }
        var gradW = new double[nv * nh]; var gradA = new double[nv]; var gradC = new double[nh];
        var adamW = new AdamState(nv * nh); var adamA = new AdamState(nv); var adamC = new AdamState(nh);
        var velW = new double[nv * nh]; var velA = new double[nv]; var velC = new double[nh];

        // persistent chains: state and random stream per chain
        var chainState = new double[batch * nv];
        var chainRng = new Xoshiro256StarStar[batch];
        if (options.Persistent)
            for (int r = 0; r < batch; r++)
            {
                chainRng[r] = RandomStreams.Create(options.Seed, (ulong)r, "rbm-pcd");
                int src = r % count;
                for (int i = 0; i < nv; i++) chainState[r * nv + i] = data[(long)src * nv + i];
            }

        var order = new int[count];
        for (int r = 0; r < count; r++) order[r] = r;
        var shuffleRng = RandomStreams.Create(options.Seed, 0, "rbm-shuffle");
        long update = 0;
        for (int epoch = 0; update < totalUpdates; epoch++)
        {
            for (int r = count - 1; r > 0; r--) { int s = shuffleRng.NextInt(r + 1); (order[r], order[s]) = (order[s], order[r]); }
            for (int b = 0; b < batchesPerEpoch && update < totalUpdates; b++, update++)
            {
                long u = update; int offset = b * batch;
                Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, c =>
                {
                    Array.Clear(gW[c]); Array.Clear(gA[c]); Array.Clear(gC[c]);
                    Span<double> x = stackalloc double[nv];
                    Span<double> xn = stackalloc double[nv];
                    Span<double> g = stackalloc double[nh];
                    Span<double> fh = stackalloc double[nh];
                    Span<double> fv = stackalloc double[nv];
                    var w = gW[c].AsSpan(); var ga = gA[c].AsSpan(); var gc = gC[c].AsSpan();
                    for (int r = c * Chunk, end = Math.Min(batch, r + Chunk); r < end; r++)
                    {
                        long row = order[offset + r];
                        for (int i = 0; i < nv; i++) x[i] = data[row * nv + i];
                        // positive phase
                        rbm.HiddenField(x, fh);
                        TensorPrimitives.Tanh(fh, fh);
                        for (int i = 0; i < nv; i++) TensorPrimitives.MultiplyAdd(fh, x[i], w.Slice(i * nh, nh), w.Slice(i * nh, nh));
                        TensorPrimitives.Add(ga, x, ga);
                        TensorPrimitives.Add(gc, fh, gc);
                        // negative phase: k Gibbs steps from the data (CD) or from the persistent chain (PCD)
                        if (options.Persistent)
                        {
                            ref var rng = ref chainRng[r];
                            var state = chainState.AsSpan(r * nv, nv);
                            for (int k = 0; k < options.CdSteps; k++) { rbm.SampleHidden(state, g, fh, ref rng); rbm.SampleVisible(g, state, fv, ref rng); }
                            state.CopyTo(xn);
                        }
                        else
                        {
                            var rng = RandomStreams.Create(options.Seed, (ulong)(u * batch + r), "rbm-cd");
                            x.CopyTo(xn);
                            for (int k = 0; k < options.CdSteps; k++) { rbm.SampleHidden(xn, g, fh, ref rng); rbm.SampleVisible(g, xn, fv, ref rng); }
                        }
                        rbm.HiddenField(xn, fh);
                        TensorPrimitives.Tanh(fh, fh);
                        for (int i = 0; i < nv; i++) TensorPrimitives.MultiplyAdd(fh, -xn[i], w.Slice(i * nh, nh), w.Slice(i * nh, nh));
                        TensorPrimitives.Subtract(ga, xn, ga);
                        TensorPrimitives.Subtract(gc, fh, gc);
                    }
                });
                Array.Clear(gradW); Array.Clear(gradA); Array.Clear(gradC);
                for (int c = 0; c < chunks; c++)
                {
                    TensorPrimitives.Add(gradW, gW[c], gradW); TensorPrimitives.Add(gradA, gA[c], gradA); TensorPrimitives.Add(gradC, gC[c], gradC);
                }
                double inv = 1.0 / batch;
                TensorPrimitives.Multiply(gradW, inv, gradW); TensorPrimitives.Multiply(gradA, inv, gradA); TensorPrimitives.Multiply(gradC, inv, gradC);
                double rate = options.LearningRate * (1 - (1 - options.FinalLearningRateFraction) * update / (double)totalUpdates);
                for (int k = 0; k < gradW.Length; k++) gradW[k] -= options.L2 * rbm.Weights[k] + options.L1 * Math.Sign(rbm.Weights[k]);
                if (options.Optimiser == RbmOptimiser.Adam)
                {
                    adamW.Ascend(rbm.Weights, gradW, rate);
                    adamA.Ascend(rbm.VisibleBias, gradA, rate);
                    adamC.Ascend(rbm.HiddenBias, gradC, rate);
                }
                else
                {
                    MomentumStep(rbm.Weights, velW, gradW, rate, options.Momentum);
                    MomentumStep(rbm.VisibleBias, velA, gradA, rate, options.Momentum);
                    MomentumStep(rbm.HiddenBias, velC, gradC, rate, options.Momentum);
                }
                if ((update & 63) == 0) progress?.Report(stage, (double)update / totalUpdates);
            }
        }
        progress?.Report(stage, 1.0);
        return rbm;
    }

    /// <summary>
    /// Fits the conditional distribution of the first <paramref name="conditioned"/> visible units V given the others E:
    /// maximises (1/B) Σ_r log P_Θ(v_r|e_r) by Adam on mini-batches, starting from <paramref name="rbm"/> (trained in place).
    /// With x = (V, E), P_Θ(V|e) = e^{−F_Θ(V,e)} / Σ_{V′} e^{−F_Θ(V′,e)} is normalised exactly over the 2^|V| block states
    /// (|V| ≤ 16), and the gradient is exact: with b_k(V,e) = c_k + Σ_i x_i W_ik and ⟨·⟩ over P_Θ(V|e),
    /// ∂/∂a_i = v_i − ⟨V_i⟩ (i ∈ V), ∂/∂c_k = tanh b_k(v,e) − ⟨tanh b_k⟩,
    /// ∂/∂W_ik = v_i tanh b_k(v,e) − ⟨V_i tanh b_k⟩ (i ∈ V), e_i (tanh b_k(v,e) − ⟨tanh b_k⟩) (i ∈ E);
    /// the biases of E cancel in the conditional and are left as they are. Rows are processed in fixed chunks, so
    /// results do not depend on the number of threads. Returns the mean conditional log-likelihood (nats) of the last
    /// <paramref name="options"/>.BatchSize·10 rows seen.
    /// </summary>
    public static double TrainConditional(RestrictedBoltzmannMachine rbm, sbyte[] data, int count, int conditioned, RbmTrainingOptions options,
        IProgressReporter? progress = null, string stage = "RBM conditional")
    {
        options.Validate();
        int nx = rbm.VisibleCount, nh = rbm.HiddenCount, nv = conditioned, ne = nx - nv, m = 1 << nv;
        Require.That(nv is >= 1 and <= 16 && nv < nx, "the conditioned block must hold 1 to 16 of the visible units.");
        Require.Positive(count, "number of training rows");
        Require.That(data.Length >= (long)count * nx, "training data shorter than count × visible.");
        int batch = Math.Min(options.BatchSize, count), chunks = (batch + Chunk - 1) / Chunk;
        long totalUpdates = options.MaxUpdates > 0 ? options.MaxUpdates : (long)(count / batch) * options.Epochs;
        var states = new double[m * nv];
        for (int st = 0; st < m; st++) for (int i = 0; i < nv; i++) states[st * nv + i] = ((st >> i) & 1) != 0 ? 1 : -1;
        // hidden-major copy of W during training: wt[k·nx + i] = W_ik
        var wt = new double[nh * nx];
        for (int i = 0; i < nx; i++) for (int k = 0; k < nh; k++) wt[k * nx + i] = rbm.Weights[i * nh + k];
        var t = new double[m * nh]; var aV = new double[m];
        var gW = new double[chunks][]; var gA = new double[chunks][]; var gC = new double[chunks][]; var ll = new double[chunks];
        for (int c = 0; c < chunks; c++) { gW[c] = new double[nh * nx]; gA[c] = new double[nv]; gC[c] = new double[nh]; }
        var gradW = new double[nh * nx]; var gradA = new double[nv]; var gradC = new double[nh];
        // each chunk's work arrays, made once: every row writes them before it reads them (allocated per update, the
        // block tables of 2^|V| × N_h values were large objects that the collector had to reclaim at every update)
        var work = new (double[] E, double[] U, double[] B, double[] Scratch, double[] F, double[] Mean, double[] Delta, double[] VMean, double[] Pb, double[] Acc)[chunks];
        for (int c = 0; c < chunks; c++)
            work[c] = (new double[ne], new double[nh], new double[m * nh], new double[2 * m * nh], new double[m], new double[nh], new double[nh],
                new double[nv], new double[m * nh], new double[nv * nh]);
        var adamW = new AdamState(nh * nx); var adamA = new AdamState(nv); var adamC = new AdamState(nh);
        var aVisible = rbm.VisibleBias.AsSpan(0, nv).ToArray();
        var order = new int[count];
        for (int r = 0; r < count; r++) order[r] = r;
        var shuffleRng = RandomStreams.Create(options.Seed, 0, "rbm-conditional-shuffle");
        int cursor = count;
        double recent = 0; int recentRows = 0;
        for (long update = 0; update < totalUpdates; update++)
        {
            if (cursor + batch > count)
            {
                for (int r = count - 1; r > 0; r--) { int sw = shuffleRng.NextInt(r + 1); (order[r], order[sw]) = (order[sw], order[r]); }
                cursor = 0;
            }
            // block-state tables: t_sk = Σ_{i∈V} V_si W_ik, aV_s = a_V·V_s
            for (int st = 0; st < m; st++)
            {
                var vs = states.AsSpan(st * nv, nv);
                for (int k = 0; k < nh; k++) t[st * nh + k] = TensorPrimitives.Dot(wt.AsSpan(k * nx, nv), vs);
                aV[st] = TensorPrimitives.Dot(aVisible, vs);
            }
            int offset = cursor;
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, c =>
            {
                Array.Clear(gW[c]); Array.Clear(gA[c]); Array.Clear(gC[c]); ll[c] = 0;
                var (e, u, b, scratch, f, mean, delta, vMean, pb, acc) = work[c];
                var w = gW[c].AsSpan(); var ga = gA[c]; var gc = gC[c].AsSpan();
                for (int r = c * Chunk, end = Math.Min(batch, r + Chunk); r < end; r++)
                {
                    long row = order[offset + r];
                    var x = data.AsSpan((int)(row * nx), nx);
                    int observed = 0;
                    for (int i = 0; i < nv; i++) if (x[i] > 0) observed |= 1 << i;
                    for (int i = 0; i < ne; i++) e[i] = x[nv + i];
                    // u_k = c_k + Σ_{i∈E} e_i W_ik; b_sk = u_k + t_sk for every block state
                    for (int k = 0; k < nh; k++) u[k] = rbm.HiddenBias[k] + TensorPrimitives.Dot(wt.AsSpan(k * nx + nv, ne), e);
                    AddToEveryState(u, t, b, m);
                    // log 2cosh and tanh of the whole block at once (see SumLogTwoCosh)
                    Span<double> y = scratch.AsSpan(0, m * nh), q = scratch.AsSpan(m * nh, m * nh);
                    TensorPrimitives.Abs(b, y);
                    for (int st = 0; st < m; st++) f[st] = aV[st] + TensorPrimitives.Sum(y.Slice(st * nh, nh));
                    TensorPrimitives.Multiply(y, -2.0, y);
                    TensorPrimitives.Exp(y, y);
                    TensorPrimitives.Add(y, 1.0, q);
                    TensorPrimitives.Subtract(2.0, q, y);
                    TensorPrimitives.Divide(y, q, y);
                    TensorPrimitives.CopySign(y, b, b);          // b ← tanh b
                    TensorPrimitives.Log(q, q);
                    double max = double.NegativeInfinity;
                    for (int st = 0; st < m; st++) { f[st] += TensorPrimitives.Sum(q.Slice(st * nh, nh)); if (f[st] > max) max = f[st]; }
                    double z = 0;
                    for (int st = 0; st < m; st++) { f[st] = Math.Exp(f[st] - max); z += f[st]; }
                    ll[c] += Math.Log(f[observed] / z);
                    Array.Clear(mean); Array.Clear(vMean);
                    for (int st = 0; st < m; st++)
                    {
                        double p = f[st] / z;
                        f[st] = p;
                        // pb_s = p_s tanh b_s, mean += pb_s, vMean += p_s V_s (V_si = ±1, so each product is exact)
                        ScaleAndAccumulate(b.AsSpan(st * nh, nh), p, pb.AsSpan(st * nh, nh), mean);
                        AccumulateScaled(states.AsSpan(st * nv, nv), p, vMean);
                    }
                    var bo = b.AsSpan(observed * nh, nh);
                    for (int i = 0; i < nv; i++) ga[i] += x[i] - vMean[i];
                    TensorPrimitives.Subtract(bo, mean, delta);
                    TensorPrimitives.Add(gc, delta, gc);
                    // V part: v_i tanh b_k(v,e) − Σ_s p_s V_si tanh b_sk, accumulated over s in order for every (i, k)
                    for (int i = 0; i < nv; i++) TensorPrimitives.Multiply(bo, (double)x[i], acc.AsSpan(i * nh, nh));
                    SubtractSignedSums(acc, pb, m, nv, nh);
                    for (int k = 0; k < nh; k++)
                    {
                        var wk = w.Slice(k * nx, nx);
                        for (int i = 0; i < nv; i++) wk[i] += acc[i * nh + k];
                        // E part: e_i δ_k
                        TensorPrimitives.MultiplyAdd(e, delta[k], wk.Slice(nv, ne), wk.Slice(nv, ne));
                    }
                }
            });
            cursor += batch;
            Array.Clear(gradW); Array.Clear(gradA); Array.Clear(gradC);
            double batchLl = 0;
            for (int c = 0; c < chunks; c++)
            {
                TensorPrimitives.Add(gradW, gW[c], gradW); TensorPrimitives.Add(gradA, gA[c], gradA); TensorPrimitives.Add(gradC, gC[c], gradC);
                batchLl += ll[c];
            }
            if (update >= totalUpdates - 10) { recent += batchLl; recentRows += batch; }
            double inv = 1.0 / batch;
            TensorPrimitives.Multiply(gradW, inv, gradW); TensorPrimitives.Multiply(gradA, inv, gradA); TensorPrimitives.Multiply(gradC, inv, gradC);
            for (int k = 0; k < gradW.Length; k++) gradW[k] -= options.L2 * wt[k] + options.L1 * Math.Sign(wt[k]);
            double rate = options.LearningRate * (1 - (1 - options.FinalLearningRateFraction) * update / (double)totalUpdates);
            adamW.Ascend(wt, gradW, rate);
            adamA.Ascend(aVisible, gradA, rate);
            adamC.Ascend(rbm.HiddenBias, gradC, rate);
            if ((update & 63) == 0) progress?.Report(stage, (double)update / totalUpdates);
        }
        for (int i = 0; i < nx; i++) for (int k = 0; k < nh; k++) rbm.Weights[i * nh + k] = wt[k * nx + i];
        aVisible.CopyTo(rbm.VisibleBias, 0);
        progress?.Report(stage, 1.0);
        return recentRows > 0 ? recent / recentRows : double.NaN;
    }

    /// <summary>
    /// Maximum likelihood with the exact gradient for a small visible layer (|x| ≤ 16): the data enter through the
    /// frequencies p̂(x) of the 2^|x| states, and ∂⟨log P_Θ⟩/∂θ = Σ_x [p̂(x) − P_Θ(x)] ∂(−F_Θ(x))/∂θ with
    /// ∂(−F)/∂W_ik = x_i tanh b_k(x), ∂(−F)/∂a_i = x_i, ∂(−F)/∂c_k = tanh b_k(x). Full-batch Adam for
    /// <see cref="RbmTrainingOptions.MaxUpdates"/> steps (the learning rate falls linearly to its final fraction).
    /// Deterministic given the initial machine; returns the mean log-likelihood per row (nats).
    /// </summary>
    public static double TrainExact(RestrictedBoltzmannMachine rbm, sbyte[] data, int count, RbmTrainingOptions options)
    {
        options.Validate();
        int nv = rbm.VisibleCount, nh = rbm.HiddenCount, m = 1 << nv;
        Require.That(nv <= 16, $"exact RBM training enumerates at most 16 visible units, got {nv}.");
        Require.Positive(count, "number of training rows");
        var freq = new double[m];
        for (int r = 0; r < count; r++)
        {
            int st = 0;
            for (int i = 0; i < nv; i++) if (data[(long)r * nv + i] > 0) st |= 1 << i;
            freq[st] += 1.0 / count;
        }
        var states = new double[m * nv];
        for (int st = 0; st < m; st++) for (int i = 0; i < nv; i++) states[st * nv + i] = ((st >> i) & 1) != 0 ? 1 : -1;
        var gradW = new double[nv * nh]; var gradA = new double[nv]; var gradC = new double[nh];
        var adamW = new AdamState(nv * nh); var adamA = new AdamState(nv); var adamC = new AdamState(nh);
        var negF = new double[m]; var tb = new double[m * nh];
        long updates = Math.Max(1, options.MaxUpdates);
        double ll = 0;
        for (long update = 0; update <= updates; update++)
        {
            double max = double.NegativeInfinity;
            for (int st = 0; st < m; st++)
            {
                var x = states.AsSpan(st * nv, nv);
                var b = tb.AsSpan(st * nh, nh);
                rbm.HiddenField(x, b);
                negF[st] = TensorPrimitives.Dot(rbm.VisibleBias, x) + RestrictedBoltzmannMachine.SumLogTwoCosh(b);
                TensorPrimitives.Tanh(b, b);
                if (negF[st] > max) max = negF[st];
            }
            double z = 0;
            for (int st = 0; st < m; st++) z += Math.Exp(negF[st] - max);
            double logZ = max + Math.Log(z);
            ll = 0;
            for (int st = 0; st < m; st++) if (freq[st] > 0) ll += freq[st] * (negF[st] - logZ);
            if (update == updates) break;
            Array.Clear(gradW); Array.Clear(gradA); Array.Clear(gradC);
            for (int st = 0; st < m; st++)
            {
                double wgt = freq[st] - Math.Exp(negF[st] - logZ);
                var x = states.AsSpan(st * nv, nv);
                var b = tb.AsSpan(st * nh, nh);
                TensorPrimitives.MultiplyAdd(x, wgt, gradA, gradA);
                TensorPrimitives.MultiplyAdd(b, wgt, gradC, gradC);
                for (int i = 0; i < nv; i++) TensorPrimitives.MultiplyAdd(b, wgt * x[i], gradW.AsSpan(i * nh, nh), gradW.AsSpan(i * nh, nh));
            }
            for (int k = 0; k < gradW.Length; k++) gradW[k] -= options.L2 * rbm.Weights[k] + options.L1 * Math.Sign(rbm.Weights[k]);
            double rate = options.LearningRate * (1 - (1 - options.FinalLearningRateFraction) * update / (double)updates);
            adamW.Ascend(rbm.Weights, gradW, rate);
            adamA.Ascend(rbm.VisibleBias, gradA, rate);
            adamC.Ascend(rbm.HiddenBias, gradC, rate);
        }
        return ll;
    }

    private static void MomentumStep(double[] theta, double[] velocity, double[] grad, double rate, double mu)
    {
        for (int k = 0; k < theta.Length; k++)
        {
            velocity[k] = mu * velocity[k] + rate * grad[k];
            theta[k] += velocity[k];
        }
    }

    /// <summary>b_sk = u_k + t_sk for every block state s (rows of |u| values).</summary>
    private static void AddToEveryState(double[] u, double[] t, double[] b, int m)
    {
        int nh = u.Length, width = Vector<double>.Count, k = 0;
        if (Vector.IsHardwareAccelerated)
            for (; k + width <= nh; k += width)
            {
                var uk = new Vector<double>(u, k);
                for (int st = 0, o = k; st < m; st++, o += nh) (uk + new Vector<double>(t, o)).CopyTo(b, o);
            }
        for (; k < nh; k++) for (int st = 0, o = k; st < m; st++, o += nh) b[o] = u[k] + t[o];
    }

    /// <summary>mean_i = v_i·s + mean_i, element by element (a product, then a sum: no fused multiply-add).</summary>
    private static void AccumulateScaled(ReadOnlySpan<double> v, double s, Span<double> mean)
    {
        int n = v.Length, k = 0;
        if (Vector512.IsHardwareAccelerated)
            for (var sv = Vector512.Create(s); k + 8 <= n; k += 8)
                (Vector512.Create(v.Slice(k, 8)) * sv + Vector512.Create(mean.Slice(k, 8))).CopyTo(mean.Slice(k, 8));
        if (Vector256.IsHardwareAccelerated)
            for (var sv = Vector256.Create(s); k + 4 <= n; k += 4)
                (Vector256.Create(v.Slice(k, 4)) * sv + Vector256.Create(mean.Slice(k, 4))).CopyTo(mean.Slice(k, 4));
        for (; k < n; k++) mean[k] = v[k] * s + mean[k];
    }

    /// <summary>p_k = b_k·s, then mean_k = p_k + mean_k, element by element.</summary>
    private static void ScaleAndAccumulate(ReadOnlySpan<double> b, double s, Span<double> p, Span<double> mean)
    {
        int n = b.Length, width = Vector<double>.Count, k = 0;
        var sv = new Vector<double>(s);
        if (Vector512.IsHardwareAccelerated)
            for (var sw = Vector512.Create(s); k + 8 <= n; k += 8)
            {
                var q = Vector512.Create(b.Slice(k, 8)) * sw;
                q.CopyTo(p.Slice(k, 8));
                (q + Vector512.Create(mean.Slice(k, 8))).CopyTo(mean.Slice(k, 8));
            }
        if (Vector.IsHardwareAccelerated)
            for (; k + width <= n; k += width)
            {
                var q = new Vector<double>(b.Slice(k, width)) * sv;
                q.CopyTo(p.Slice(k, width));
                (q + new Vector<double>(mean.Slice(k, width))).CopyTo(mean.Slice(k, width));
            }
        for (; k < n; k++) { p[k] = b[k] * s; mean[k] = p[k] + mean[k]; }
    }

    /// <summary>
    /// acc_ik ← acc_ik − V_si p_sk for s = 0, 1, …, m − 1 in that order, for every block site i &lt; nv and hidden unit
    /// k &lt; nh (row i of <paramref name="acc"/> and row s of <paramref name="p"/> are runs of nh values), with V_si = +1
    /// when bit i of s is set and −1 otherwise. Each element sees the same operations in the same order as the plain
    /// loop over s, i, k (a − q = a + (−q) exactly; −q by flipping the sign bit), so the result is bit for bit the
    /// same; four rows of acc stay in registers while the block states pass, instead of a load and a store of acc per
    /// state and site.
    /// </summary>
    internal static void SubtractSignedSums(double[] acc, double[] p, int m, int nv, int nh)
    {
        int width = Vector<double>.Count;
        var keep = Vector<ulong>.Zero;
        var flip = new Vector<ulong>(0x8000_0000_0000_0000UL);
        int first = 0;
        if (Vector512.IsHardwareAccelerated && nh % 8 == 0)
            for (; first + 8 <= nv; first += 8) SubtractSignedSumsOfEightRows(acc, p, m, first, nh);
        for (int i0 = first; i0 < nv; i0 += 4)
        {
            int rows = Math.Min(4, nv - i0), k = 0;
            if (Vector.IsHardwareAccelerated)
                for (; k + width <= nh; k += width)
                {
                    var a0 = new Vector<double>(acc, i0 * nh + k);
                    var a1 = rows > 1 ? new Vector<double>(acc, (i0 + 1) * nh + k) : default;
                    var a2 = rows > 2 ? new Vector<double>(acc, (i0 + 2) * nh + k) : default;
                    var a3 = rows > 3 ? new Vector<double>(acc, (i0 + 3) * nh + k) : default;
                    for (int st = 0; st < m; st++)
                    {
                        var q = Vector.AsVectorUInt64(new Vector<double>(p, st * nh + k));
                        int bits = st >> i0;
                        a0 += Vector.AsVectorDouble(q ^ ((bits & 1) != 0 ? flip : keep));
                        a1 += Vector.AsVectorDouble(q ^ ((bits & 2) != 0 ? flip : keep));
                        a2 += Vector.AsVectorDouble(q ^ ((bits & 4) != 0 ? flip : keep));
                        a3 += Vector.AsVectorDouble(q ^ ((bits & 8) != 0 ? flip : keep));
                    }
                    a0.CopyTo(acc, i0 * nh + k);
                    if (rows > 1) a1.CopyTo(acc, (i0 + 1) * nh + k);
                    if (rows > 2) a2.CopyTo(acc, (i0 + 2) * nh + k);
                    if (rows > 3) a3.CopyTo(acc, (i0 + 3) * nh + k);
                }
            for (; k < nh; k++)
                for (int i = i0; i < i0 + rows; i++)
                {
                    double a = acc[i * nh + k];
                    for (int st = 0; st < m; st++) a = ((st >> i) & 1) != 0 ? a - p[st * nh + k] : a + p[st * nh + k];
                    acc[i * nh + k] = a;
                }
        }
    }

    /// <summary>
    /// <see cref="SubtractSignedSums"/> for the eight rows i0 … i0 + 7 of acc on 512-bit vectors: eight rows × eight hidden
    /// units stay in registers while the block states pass; each element sees the same additions in the same order.
    /// </summary>
    private static void SubtractSignedSumsOfEightRows(double[] acc, double[] p, int m, int i0, int nh)
    {
        ref double ra = ref MemoryMarshal.GetArrayDataReference(acc);
        ref double rp = ref MemoryMarshal.GetArrayDataReference(p);
        Require.That(acc.Length >= (i0 + 8) * nh && p.Length >= m * nh, "the tables are smaller than their shapes say.");
        var flip = Vector512.Create(0x8000_0000_0000_0000UL);
        for (int k = 0; k < nh; k += 8)
        {
            nuint o = (nuint)(i0 * nh + k), w = (nuint)nh;
            var a0 = Vector512.LoadUnsafe(ref ra, o); var a1 = Vector512.LoadUnsafe(ref ra, o + w);
            var a2 = Vector512.LoadUnsafe(ref ra, o + 2 * w); var a3 = Vector512.LoadUnsafe(ref ra, o + 3 * w);
            var a4 = Vector512.LoadUnsafe(ref ra, o + 4 * w); var a5 = Vector512.LoadUnsafe(ref ra, o + 5 * w);
            var a6 = Vector512.LoadUnsafe(ref ra, o + 6 * w); var a7 = Vector512.LoadUnsafe(ref ra, o + 7 * w);
            for (int st = 0; st < m; st++)
            {
                var q = Vector512.LoadUnsafe(ref rp, (nuint)(st * nh + k)).AsUInt64();
                ulong bits = (ulong)(uint)(st >> i0);
                // the sign bit of row r's term: bit r of the state set means V_si = +1, so the term p is subtracted
                a0 += (q ^ (flip & Vector512.Create(0UL - (bits & 1)))).AsDouble();
                a1 += (q ^ (flip & Vector512.Create(0UL - ((bits >> 1) & 1)))).AsDouble();
                a2 += (q ^ (flip & Vector512.Create(0UL - ((bits >> 2) & 1)))).AsDouble();
                a3 += (q ^ (flip & Vector512.Create(0UL - ((bits >> 3) & 1)))).AsDouble();
                a4 += (q ^ (flip & Vector512.Create(0UL - ((bits >> 4) & 1)))).AsDouble();
                a5 += (q ^ (flip & Vector512.Create(0UL - ((bits >> 5) & 1)))).AsDouble();
                a6 += (q ^ (flip & Vector512.Create(0UL - ((bits >> 6) & 1)))).AsDouble();
                a7 += (q ^ (flip & Vector512.Create(0UL - ((bits >> 7) & 1)))).AsDouble();
            }
            a0.StoreUnsafe(ref ra, o); a1.StoreUnsafe(ref ra, o + w); a2.StoreUnsafe(ref ra, o + 2 * w); a3.StoreUnsafe(ref ra, o + 3 * w);
            a4.StoreUnsafe(ref ra, o + 4 * w); a5.StoreUnsafe(ref ra, o + 5 * w); a6.StoreUnsafe(ref ra, o + 6 * w); a7.StoreUnsafe(ref ra, o + 7 * w);
        }
    }
}

/// <summary>The exact log-likelihood gradient of a small RBM (visible layer enumerated): the quantity CD estimates.</summary>
public static class RbmExactGradient
{
    /// <summary>
    /// ∂⟨log P_Θ(x)⟩_data/∂θ for θ = (W, a, c), with the model averages over all 2^|x| visible states
    /// (visible ≤ 20). Returns the mean log-likelihood.
    /// </summary>
    public static double Compute(RestrictedBoltzmannMachine rbm, sbyte[] data, int count, Span<double> gradW, Span<double> gradA, Span<double> gradC)
    {
        int nv = rbm.VisibleCount, nh = rbm.HiddenCount;
        Require.That(nv <= 20, "the exact RBM gradient enumerates at most 20 visible units.");
        gradW.Clear(); gradA.Clear(); gradC.Clear();
        var x = new double[nv]; var t = new double[nh];
        double ll = 0;
        for (int r = 0; r < count; r++)
        {
            for (int i = 0; i < nv; i++) x[i] = data[r * nv + i];
            Accumulate(rbm, x, t, 1.0 / count, gradW, gradA, gradC);
            ll -= rbm.FreeEnergy(x);
        }
        double logZ = rbm.LogPartitionFunction();
        ll = ll / count - logZ;
        for (int s = 0; s < 1 << nv; s++)
        {
            for (int i = 0; i < nv; i++) x[i] = ((s >> i) & 1) != 0 ? 1 : -1;
            double p = Math.Exp(-rbm.FreeEnergy(x) - logZ);
            Accumulate(rbm, x, t, -p, gradW, gradA, gradC);
        }
        return ll;
    }

    private static void Accumulate(RestrictedBoltzmannMachine rbm, double[] x, double[] t, double weight, Span<double> gW, Span<double> gA, Span<double> gC)
    {
        int nv = rbm.VisibleCount, nh = rbm.HiddenCount;
        rbm.HiddenField(x, t);
        TensorPrimitives.Tanh(t, t);
        for (int i = 0; i < nv; i++)
        {
            gA[i] += weight * x[i];
            TensorPrimitives.MultiplyAdd(t, weight * x[i], gW.Slice(i * nh, nh), gW.Slice(i * nh, nh));
        }
        TensorPrimitives.MultiplyAdd(t, weight, gC, gC);
    }
}
