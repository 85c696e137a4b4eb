using System.Numerics.Tensors;
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
                Parallel.For(0, chunks, c =>
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

    private static void MomentumStep(double[] theta, double[] velocity, double[] grad, double rate, double mu)
    {
        for (int k = 0; k < theta.Length; k++)
        {
            velocity[k] = mu * velocity[k] + rate * grad[k];
            theta[k] += velocity[k];
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
