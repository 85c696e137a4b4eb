using Rsmi.Data;
using Rsmi.Filters;
using System.Numerics.Tensors;
using Rsmi.Progress;
using Rsmi.Random;
using Rsmi.Regions;

namespace Rsmi.Learning;

/// <summary>How the inner average over V ~ P_Λ(V|h) is taken.</summary>
public enum RsmiInnerAverage
{
    /// <summary>Exact enumeration when |V| ≤ 16, Monte Carlo otherwise.</summary>
    Auto,
    /// <summary>Enumerate all 2^|V| block states.</summary>
    Exact,
    /// <summary>Self-normalised Monte Carlo over block states drawn from Ψ (the paper's choice).</summary>
    MonteCarlo,
}

/// <summary>How the RBM Θ on (V, E) is fitted.</summary>
public enum ThetaFit
{
    /// <summary>
    /// Maximum conditional likelihood of V given E, exact over the 2^|V| block states (<see cref="RbmTrainer.TrainConditional"/>;
    /// |V| ≤ 16, else <see cref="Joint"/>). A_Λ and the estimate of I_Λ(H:E) depend on Θ only through P_Θ(V|e): with
    /// Z_Θ(e) = Σ_V e^{−F_Θ(V,e)}, e^{−ΔF(V,e)} ∝ Z_Θ(e) P_Θ(V|e)/P_Ψ(V), and Z_Θ(e) cancels between L(h,e) and the
    /// reference term. The estimate is then the Barber–Agakov bound E[log q(h|e)/p(h)] with
    /// q(h|e) = Σ_V P_Λ(h|V) P_Θ(V|e) and p(h) = Σ_V P_Λ(h|V) P_Ψ(V), whose gap is the conditional model's error; this
    /// fit minimises that error directly, where contrastive divergence spends Θ on P(E).
    /// </summary>
    Conditional,
    /// <summary>Contrastive divergence on the joint distribution of (V, E), as in the paper.</summary>
    Joint,
}

/// <summary>How the RBM Ψ on V is fitted.</summary>
public enum PsiFit
{
    /// <summary>Maximum likelihood with the exact gradient over the 2^|V| block states (<see cref="RbmTrainer.TrainExact"/>;
    /// |V| ≤ 16, else <see cref="ContrastiveDivergence"/>), so that p(h) is the marginal of the data.</summary>
    Exact,
    /// <summary>Contrastive divergence, as in the paper.</summary>
    ContrastiveDivergence,
}

/// <summary>Hyper-parameters of the RBM-based RSMI learner; the defaults learn the Ising filters of the paper.</summary>
public sealed record RsmiTrainingOptions
{
    /// <summary>Number of hidden (coarse) units N_h, 1..8.</summary>
    public int Hidden { get; init; } = 1;
    /// <summary>Training of Θ on (V, E); Hidden = 0 means min(|V| + |E|, 32) for the conditional fit, |V| + |E| for the
    /// joint one (the conditional fit needs only the couplings between V and E; 32 units fit P(V|E) of the Ising
    /// windows as well on held-out windows as 64 or 164).</summary>
    public RbmTrainingOptions JointRbm { get; init; } = new() { Hidden = 0, CdSteps = 1, BatchSize = 128, MaxUpdates = 1500, Epochs = 1000, LearningRate = 0.01, FinalLearningRateFraction = 0.05, InitialScale = 0.05 };
    /// <summary>How Θ is fitted.</summary>
    public ThetaFit ThetaFit { get; init; } = ThetaFit.Conditional;
    /// <summary>How Ψ is fitted.</summary>
    public PsiFit PsiFit { get; init; } = PsiFit.Exact;
    /// <summary>Training of Ψ on V; Hidden = 0 means 2|V|.</summary>
    public RbmTrainingOptions BlockRbm { get; init; } = new() { Hidden = 0, CdSteps = 1, BatchSize = 64, MaxUpdates = 2000, Epochs = 1000, LearningRate = 0.01, FinalLearningRateFraction = 0.05, InitialScale = 0.05 };
    /// <summary>The estimate the filters ascend: null (default) chooses <see cref="RsmiObjective.ModelInformation"/> for more
    /// than <see cref="CrossEntropyUnitLimit"/> hidden units when the inner average is exact, and
    /// <see cref="RsmiObjective.LogMeanExp"/> otherwise (<see cref="ObjectiveFor"/>).</summary>
    public RsmiObjective? Objective { get; init; }
    /// <summary>
    /// Most hidden units for which the automatic objective is the log-mean-exp cross-entropy. Beyond it the cross-entropy
    /// prefers rules that merge block states (Θ's error over 2^N_h coarse states outweighs what merging loses), so the
    /// filters ascend the model information instead, which obeys the data-processing inequality (docs/learning.md,
    /// "Cubic blocks"). Up to it the cross-entropy keeps the paper's filters at the moderate sharpness where the weights
    /// are determined; the model information, whose optimum is a deterministic rule, leaves the weights free along every
    /// direction that keeps the rule (2 × 2 block, N_h = 1: the majority rule with weights up to 6.8–8.7% from their mean).
    /// </summary>
    public const int CrossEntropyUnitLimit = 4;
    /// <summary>True when the inner average over the block's states is exact for blocks of <paramref name="visibleSize"/> sites.</summary>
    public bool ExactInnerAverage(int visibleSize) =>
        InnerAverage == RsmiInnerAverage.Exact || (InnerAverage == RsmiInnerAverage.Auto && visibleSize <= RsmiObjectiveFunction.MaxEnumeratedBlock);
    /// <summary>The objective used for blocks of <paramref name="visibleSize"/> sites and <see cref="Hidden"/> units:
    /// <see cref="Objective"/> when set, else the exact information of the model law (docs/algorithm.md, "The RBM
    /// estimator") for more than <see cref="CrossEntropyUnitLimit"/> units when the block's states are enumerated, else
    /// the log-mean-exp.</summary>
    public RsmiObjective ObjectiveFor(int visibleSize) =>
        Objective ?? (Hidden > CrossEntropyUnitLimit && ExactInnerAverage(visibleSize) ? RsmiObjective.ModelInformation : RsmiObjective.LogMeanExp);
    /// <summary>Inner average over V.</summary>
    public RsmiInnerAverage InnerAverage { get; init; } = RsmiInnerAverage.Auto;
    /// <summary>Block states drawn from Ψ per update for the Monte Carlo inner average.</summary>
    public int InnerSamples { get; init; } = 256;
    /// <summary>Gibbs sweeps per Ψ sample (Monte Carlo inner average).</summary>
    public int InnerSweeps { get; init; } = 20;
    /// <summary>Windows per Λ update. With the exact inner average each window's ΔF is computed once and kept, so a row costs
    /// O(2^N_h · 2^|V|) and large batches are cheap; they keep the stochastic-gradient noise below the small differences
    /// between the symmetric and the symmetry-broken filters.</summary>
    public int BatchSize { get; init; } = 2048;
    /// <summary>Number of Λ updates (Adam ascent on A_Λ).</summary>
    public int Updates { get; init; } = 600;
    /// <summary>Adam learning rate for Λ.</summary>
    public double LearningRate { get; init; } = 0.05;
    /// <summary>The filters' learning rate falls linearly to this fraction of <see cref="LearningRate"/> (in (0, 1]); with a
    /// constant rate Adam's normalised steps keep the filters diffusing along flat directions of A_Λ.</summary>
    public double FinalLearningRateFraction { get; init; } = 0.05;
    /// <summary>L2 penalty on λ (subtracts ½ L2 |λ|² from A), ≥ 0.</summary>
    public double L2 { get; init; }
    /// <summary>Standard deviation of the initial filter weights.</summary>
    public double InitialScale { get; init; } = 0.1;
    /// <summary>Most windows used (a seeded random subset when there are more), ≥ 1.</summary>
    public int MaxWindows { get; init; } = 50_000;
    /// <summary>Windows in the final estimate of I_Λ(H:E).</summary>
    public int EvaluationWindows { get; init; } = 4096;
    /// <summary>Updates between history entries.</summary>
    public int HistoryInterval { get; init; } = 20;
    /// <summary>Seed of every random choice.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>
    /// When set, the windows are taken with all their images under this window's point group G (<see cref="WindowSymmetry"/>):
    /// at most ⌊<see cref="MaxWindows"/> / |G|⌋ windows, each followed by its |G| images, so that as many rows as without
    /// it train the RBMs Θ and Ψ and enter the filter ascent. Only valid when the samples' distribution has that symmetry
    /// (<see cref="WindowSymmetry.Holds"/>); null = off, unless <see cref="AutoSymmetrise"/> turns it on.
    /// <para>
    /// Why the ascent's windows too: for such samples I_Λ(H:E) is invariant under Λ → Λ∘g, so with one hidden unit the
    /// uniform filter is its optimum, but the estimate A_Λ on a finite set of windows is not invariant and its optimum
    /// moves with the set (measured on 64×64 samples at T_c, 2×2 block, environment 4, buffer 0, N_h = 1, 50,000
    /// windows, 20 runs: the largest deviation of a weight from their mean is 0.9–5.8%, three runs above 5%; a run keeps
    /// its deviation with 2,400 updates instead of 600 (1.0–5.9%) or batches of 8,192 instead of 2,048 (0.9–6.0%), and
    /// with only Θ and Ψ symmetrised (0.9–5.7%); it shrinks with more windows (200,000: 0.6–3.5%)). With every window's
    /// images the estimate is exactly invariant: 0.2–2.4% over 40 runs (seeds 1–5 and 11–15), the rest being the
    /// ascent's noise. Keeping the number of rows (6,250 windows × 8 rather than 50,000 × 8) keeps the cost, and matters
    /// at buffer 2, N_h = 4: with 50,000 × 8 rows the smallest share of a kept unit on its own spin fell to 0.74–0.77
    /// in three of five ensembles (limit 0.8); with 6,250 × 8 it is 0.83–0.91 (without symmetrisation 0.81–0.91),
    /// seeds 1–5 and 11–15.
    /// </para>
    /// </summary>
    public WindowGeometry? SymmetriseWith { get; init; }
    /// <summary>When <see cref="SymmetriseWith"/> is not set, <see cref="RbmFilterLearner"/> sets it to the window's
    /// geometry whenever the samples declare the symmetry (<see cref="WindowSymmetry.Holds"/>: configurations of a model
    /// whose distribution is invariant under the lattice's point group, such as the Ising models). Default on.</summary>
    public bool AutoSymmetrise { get; init; } = true;
    /// <summary>Independent seeded starts of the filter ascent (≥ 1); the one with the largest estimated I_Λ(H:E) is kept.
    /// One by default: an ensemble (docs/learning.md, "Ensembles") already runs independent starts, each with its own
    /// machines, and judges them on held-out configurations; a second start of the same member costs as much as its
    /// ascent and only ever returned the same features (2×2 Ising block at T_c: restart estimates within 0.003 bits).</summary>
    public int Restarts { get; init; } = 1;
    /// <summary>
    /// Sharpness β &gt; 0 of the filters during the ascent: λ_j = β û_j, c_j = β b_j with |û_j| = 1, so that only the
    /// directions and offsets move (<see cref="ScaledDirectionFilters"/>, ∂L/∂u_j = (β/|u_j|)(g_j − (û_j·g_j) û_j)) and
    /// the rows of û start orthonormal, so that N_h units start on distinct features and a unit cannot gain by growing
    /// its norm before it has found its feature. After <see cref="SharpnessPhase"/> of the updates λ and c move freely and
    /// the scale grows to where A_Λ is largest; the scale search may then sharpen the result further.
    /// 0: λ and c are learned freely from small random values throughout.
    /// </summary>
    public double Sharpness { get; init; } = 1.4;
    /// <summary>
    /// Fraction of the updates during which the sharpness is held at <see cref="Sharpness"/>, in (0, 1] (1: β fixed to
    /// the end). The ascent has two phases. (i) Features: λ_j = β û_j, c_j = β b_j with β fixed, Adam on (u_j, b_j)
    /// through the tangent projection; the directions are averaged over the second half of this phase (Polyak–Ruppert).
    /// (ii) Scale and thresholds: with û_j fixed, λ_j = e^{ρ_j} û_j and c_j = e^{ρ_j} b_j, Adam on (ρ_j, b_j) with
    /// ∂A/∂ρ_j = λ_j·∂A/∂λ_j + c_j ∂A/∂c_j (<see cref="ScaledDirectionFilters.BackwardScale"/>), so that each unit's
    /// sharpness settles where A_Λ is largest without moving the features (unless <see cref="FreeSecondPhase"/>).
    /// Fixing the features is what makes the RBM network learn the paper's filters: A_Λ is the Barber–Agakov bound
    /// E log q(h|e)/p(h) with q(h|e) = Σ_V P_Λ(h|V) P_Θ(V|e), whose gap E KL(p(h|e) ‖ q(h|e)) is Θ's error seen through
    /// the filter; as the units become deterministic a rule that merges block states hides more of that error than it
    /// loses information, and a free λ drifts there (measured: 2×2 Ising block at T_c, buffer 2, N_h = 4, Θ with 32
    /// units: A_Λ of one spin per unit 0.598 bits at |λ_j| = 2, 0.607 at 16; of the mixed rule the free ascent found,
    /// 0.595 at 2 and 0.624 at 16), while at the moderate fixed β the estimate ranks the features as the data do.
    /// </summary>
    public double SharpnessPhase { get; init; } = 0.5;
    /// <summary>When set, λ and c move freely after the fixed-sharpness phase instead of only each unit's sharpness and
    /// offset (see <see cref="SharpnessPhase"/>).</summary>
    public bool FreeSecondPhase { get; init; }
    /// <summary>Threads used (−1: all); the result does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
    /// <summary>After the ascent, scale the learned Λ by the factor in {1, 1.5, 2, 3, 5} with the largest estimated I_Λ(H:E).</summary>
    public bool ScaleSearch { get; init; } = true;

    /// <summary>Checks the ranges (throws <see cref="RsmiInputException"/> naming the option).</summary>
    public void Validate()
    {
        Require.That(Hidden is >= 1 and <= ExactMutualInformation.MaxHidden, $"hidden units must be between 1 and {ExactMutualInformation.MaxHidden}, got {Hidden}.");
        Require.Positive(InnerSamples, "inner samples");
        Require.Positive(InnerSweeps, "inner sweeps");
        Require.Positive(BatchSize, "batch size");
        Require.Positive(Updates, "updates");
        Require.Positive(LearningRate, "learning rate");
        Require.That(FinalLearningRateFraction is > 0 and <= 1, $"the final learning-rate fraction must lie in (0, 1], got {FinalLearningRateFraction}.");
        Require.That(L2 >= 0, $"L2 penalty must be non-negative, got {L2}.");
        Require.Positive(MaxWindows, "maximum number of windows");
        Require.Positive(EvaluationWindows, "evaluation windows");
        Require.Positive(HistoryInterval, "history interval");
        Require.Positive(Restarts, "restarts");
        Require.That(Sharpness >= 0 && double.IsFinite(Sharpness), $"the filter sharpness must be a non-negative number, got {Sharpness}.");
        Require.That(SharpnessPhase > 0 && SharpnessPhase <= 1, $"the fixed-sharpness phase must be in (0, 1], got {SharpnessPhase}.");
        Require.That(MaxDegreeOfParallelism == -1 || MaxDegreeOfParallelism >= 1, "the thread count must be -1 or positive.");
        (JointRbm with { Hidden = Math.Max(1, JointRbm.Hidden) }).Validate();
        (BlockRbm with { Hidden = Math.Max(1, BlockRbm.Hidden) }).Validate();
    }
}

/// <summary>One point of the learning history.</summary>
/// <param name="Update">Λ updates done.</param>
/// <param name="Objective">Mean A_Λ over the recent mini-batches (nats, up to a constant).</param>
/// <param name="InformationBits">Mean estimate of I_Λ(H:E) over the recent mini-batches, in bits.</param>
public readonly record struct RsmiHistoryPoint(int Update, double Objective, double InformationBits);

/// <summary>What the RSMI learner returns.</summary>
public sealed class RsmiResult
{
    /// <summary>The learned filters (sign convention applied).</summary>
    public required FilterParameters Filter { get; init; }
    /// <summary>The estimate of I_Λ(H:E) on the evaluation windows, in bits.</summary>
    public required double InformationBits { get; init; }
    /// <summary>Learning history.</summary>
    public required IReadOnlyList<RsmiHistoryPoint> History { get; init; }
    /// <summary>The factor the ascent's Λ was scaled by (line search; 1 when off).</summary>
    public double Scale { get; init; } = 1;
    /// <summary>The estimate of I_Λ(H:E) (bits) reached by each restart.</summary>
    public IReadOnlyList<double> RestartInformationBits { get; init; } = [];
    /// <summary>Θ, the RBM on (V, E).</summary>
    public required RestrictedBoltzmannMachine JointRbm { get; init; }
    /// <summary>Ψ, the RBM on V.</summary>
    public required RestrictedBoltzmannMachine BlockRbm { get; init; }
}

/// <summary>
/// The RSMI network of Koch-Janusz &amp; Ringel (2018, Fig. 1b): train Θ on (V, E) and Ψ on V by contrastive
/// divergence, then maximise the estimate A_Λ of I_Λ(H:E) over the filter Λ by stochastic gradient ascent
/// (Adam on mini-batches of windows; see <see cref="RsmiObjectiveFunction"/>). Seeded and thread-count independent.
/// </summary>
public static class RsmiLearner
{
    private static readonly double[] ScaleCandidates = [1.0, 1.5, 2.0, 3.0, 5.0];

    /// <summary>Learns filters from (V, E) windows.</summary>
    public static RsmiResult Learn(Windows windows, RsmiTrainingOptions options, IProgressReporter? progress = null)
    {
        options.Validate();
        Require.Positive(windows.Count, "number of windows");
        int nv = windows.VisibleSize, ne = windows.EnvironmentSize, nh = options.Hidden;
        Require.That(options.ObjectiveFor(nv) != RsmiObjective.ModelInformation || options.ExactInnerAverage(nv),
            $"the model-information objective needs the exact inner average over the block's states (|V| ≤ {RsmiObjectiveFunction.MaxEnumeratedBlock}).");
        // Symmetrised: distinct windows each followed by their |G| images (SymmetrisedWindows: the same for the machines
        // and the ascent unless the group is larger than the square's).
        int images = options.SymmetriseWith is null ? 1 : WindowSymmetry.Order(options.SymmetriseWith);
        var (machineWindows, ascentWindows) = SymmetrisedWindows(options.MaxWindows, images);
        Windows distinct = Subset(windows, machineWindows, options.Seed);
        Windows machineData = options.SymmetriseWith is null ? distinct : WindowSymmetry.Augment(distinct, options.SymmetriseWith);
        Windows train = ascentWindows >= distinct.Count ? machineData
            : WindowSymmetry.Augment(Subset(distinct, ascentWindows, options.Seed ^ 0xA5CE47), options.SymmetriseWith!);
        int n = train.Count;
        int nm = machineData.Count;
        // Θ on (V, E), Ψ on V
        var joint = new sbyte[(long)nm * (nv + ne)];
        for (int w = 0; w < nm; w++)
        {
            machineData.VisibleRow(w).CopyTo(joint.AsSpan(w * (nv + ne), nv));
            machineData.EnvironmentRow(w).CopyTo(joint.AsSpan(w * (nv + ne) + nv, ne));
        }
        bool small = nv <= RsmiObjectiveFunction.MaxEnumeratedBlock;
        bool conditional = options.ThetaFit == ThetaFit.Conditional && small;
        int thetaHidden = options.JointRbm.Hidden > 0 ? options.JointRbm.Hidden : conditional ? Math.Min(nv + ne, 32) : nv + ne;
        var thetaOptions = options.JointRbm with { Hidden = thetaHidden, Seed = options.Seed ^ 0x7E7A, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        var psiOptions = options.BlockRbm with { Hidden = options.BlockRbm.Hidden > 0 ? options.BlockRbm.Hidden : 2 * nv, Seed = options.Seed ^ 0x951, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        RestrictedBoltzmannMachine theta;
        if (conditional)
        {
            theta = RestrictedBoltzmannMachine.Random(nv + ne, thetaOptions.Hidden, thetaOptions.Seed, thetaOptions.InitialScale);
            RbmTrainer.TrainConditional(theta, joint, nm, nv, thetaOptions, progress, "RBM Θ: P(V|E)");
        }
        else theta = RbmTrainer.Train(joint, nm, nv + ne, thetaOptions, progress, "RBM Θ on (V, E)");
        RestrictedBoltzmannMachine psi;
        if (options.PsiFit == PsiFit.Exact && small)
        {
            psi = RestrictedBoltzmannMachine.Random(nv, psiOptions.Hidden, psiOptions.Seed, psiOptions.InitialScale);
            RbmTrainer.TrainExact(psi, machineData.Visible, nm, psiOptions);
        }
        else psi = RbmTrainer.Train(machineData.Visible, nm, nv, psiOptions, progress, "RBM Ψ on V");

        var objective = new RsmiObjectiveFunction(theta, psi, train, options.ObjectiveFor(nv)) { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        bool exact = options.ExactInnerAverage(nv);
        if (exact) objective.UseExactInnerAverage();

        // fixed evaluation windows (common to every restart and scale, so comparisons share their noise)
        int nEval = Math.Min(options.EvaluationWindows, n);
        var evalRows = new int[nEval];
        for (int k = 0; k < nEval; k++) evalRows[k] = (int)((long)k * n / nEval);
        var evalSupport = exact ? null : psi.Sample(Math.Max(options.InnerSamples, 1024), options.InnerSweeps, options.Seed ^ 0xE7A1);

        FilterParameters? best = null;
        List<RsmiHistoryPoint>? bestHistory = null;
        double bestInfo = double.NegativeInfinity, bestScale = 1;
        var restartInfo = new double[options.Restarts];
        for (int r = 0; r < options.Restarts; r++)
        {
            var history = new List<RsmiHistoryPoint>();
            var filter = Ascend(objective, psi, options, n, (ulong)r, exact, history, progress, r);
            filter.ApplySignConvention();
            if (evalSupport is not null) objective.UseSamples(evalSupport, evalSupport.Length / nv);
            // Line search along the learned direction: the gradient of A_Λ vanishes as the rule becomes deterministic
            // (σ saturates), so stochastic ascent stalls at finite |Λ|; the estimate itself decides how far to scale.
            double info = double.NegativeInfinity, scale = 1;
            FilterParameters chosen = filter;
            foreach (double s in options.ScaleSearch ? ScaleCandidates : [1.0])
            {
                var scaled = filter.Clone();
                for (int k = 0; k < scaled.Weights.Length; k++) scaled.Weights[k] *= s;
                for (int k = 0; k < nh; k++) scaled.Bias[k] *= s;
                objective.Evaluate(scaled, evalRows, default, default, out double i);
                if (i > info) { info = i; chosen = scaled; scale = s; }
            }
            restartInfo[r] = info / Math.Log(2);
            if (info > bestInfo) { bestInfo = info; best = chosen; bestScale = scale; bestHistory = history; }
        }
        return new RsmiResult
        {
            Filter = best!, InformationBits = bestInfo / Math.Log(2), History = bestHistory!, JointRbm = theta, BlockRbm = psi,
            Scale = bestScale, RestartInformationBits = restartInfo,
        };
    }

    /// <summary>One Adam ascent of A_Λ from a seeded random start (restart <paramref name="restart"/>).</summary>
    private static FilterParameters Ascend(RsmiObjectiveFunction objective, RestrictedBoltzmannMachine psi, RsmiTrainingOptions options, int n,
        ulong restart, bool exact, List<RsmiHistoryPoint> history, IProgressReporter? progress, int r)
    {
        int nv = psi.VisibleCount, nh = options.Hidden;
        var filter = new FilterParameters(nv, nh);
        var rng = RandomStreams.Create(options.Seed, restart, "rsmi-init");
        for (int k = 0; k < filter.Weights.Length; k++) filter.Weights[k] = options.InitialScale * rng.NextGaussian();
        for (int k = 0; k < nh; k++) filter.Bias[k] = options.InitialScale * rng.NextGaussian();
        var adam = new AdamState(nh * (nv + 1));
        var grad = new double[nh * (nv + 1)];
        var parameters = new double[nh * (nv + 1)];
        // λ = β û, c = β b with β fixed (ScaledDirectionFilters): the ascent moves (u, b); u starts orthonormal
        double beta = options.Sharpness;
        bool scaled = beta > 0;
        var u = scaled ? (double[])filter.Weights.Clone() : [];
        var ub = scaled ? (double[])filter.Bias.Clone() : [];
        var gu = scaled ? new double[nh * nv] : [];
        var gb = scaled ? new double[nh] : [];
        if (scaled)
        {
            ScaledDirectionFilters.Orthogonalise(u, nv);
            ScaledDirectionFilters.Normalise(u, nv);
            ScaledDirectionFilters.Forward(u, ub, beta, nv, filter.Weights, filter.Bias);
        }
        int releaseAt = scaled ? (int)Math.Floor(options.SharpnessPhase * options.Updates) : options.Updates;
        // phase (ii): log-sharpness ρ_j per unit with the directions fixed; the directions are the Polyak–Ruppert average
        // of the iterates over the second half of phase (i)
        bool scaling = false;
        var rho = new double[nh];
        var gr = new double[nh];
        var sumU = scaled ? new double[nh * nv] : [];
        var sumUb = scaled ? new double[nh] : [];
        int averagedDirections = 0;
        var batch = new int[Math.Min(options.BatchSize, n)];
        var batchRng = RandomStreams.Create(options.Seed, restart, "rsmi-batch");
        double accA = 0, accI = 0; int accN = 0;
        string stage = options.Restarts > 1 ? $"RSMI filters (start {r + 1} of {options.Restarts})" : "RSMI filters";
        for (int step = 0; step < options.Updates; step++)
        {
            if (!exact) objective.UseSamples(psi.Sample(options.InnerSamples, options.InnerSweeps, options.Seed ^ (restart << 48) ^ ((ulong)step * 0x9E3779B97F4A7C15UL)), options.InnerSamples);
            for (int b = 0; b < batch.Length; b++) batch[b] = batchRng.NextInt(n);
            double a = objective.Evaluate(filter, batch, grad.AsSpan(0, nh * nv), grad.AsSpan(nh * nv), out double info);
            for (int k = 0; k < nh * nv; k++) grad[k] -= options.L2 * filter.Weights[k];
            double rate = options.LearningRate * (1 - (1 - options.FinalLearningRateFraction) * step / (double)options.Updates);
            // The directions are found: from here λ and c move freely and the scale settles where A_Λ is largest.
            if (scaled && step == releaseAt)
            {
                scaled = false;
                if (!options.FreeSecondPhase)
                {
                    scaling = true;
                    if (averagedDirections > 0)
                    {
                        TensorPrimitives.Multiply(sumU, 1.0 / averagedDirections, u);
                        TensorPrimitives.Multiply(sumUb, 1.0 / averagedDirections, ub);
                        ScaledDirectionFilters.Normalise(u, nv);
                    }
                    Array.Fill(rho, Math.Log(beta));
                    ScaledDirectionFilters.ForwardScale(u, ub, rho, nv, filter.Weights, filter.Bias);
                    // the gradient was taken at the last phase-(i) iterate; take it again at the averaged filter
                    a = objective.Evaluate(filter, batch, grad.AsSpan(0, nh * nv), grad.AsSpan(nh * nv), out info);
                    adam = new AdamState(2 * nh);
                }
                else adam = new AdamState(nh * (nv + 1));
            }
            if (scaling)
            {
                ScaledDirectionFilters.BackwardScale(filter.Weights, filter.Bias, rho, nv, grad.AsSpan(0, nh * nv), grad.AsSpan(nh * nv), gr, gb);
                var p2 = parameters.AsSpan(0, 2 * nh); var g2 = grad.AsSpan(0, 2 * nh);
                rho.CopyTo(p2); ub.CopyTo(p2[nh..]);
                gr.CopyTo(g2); gb.AsSpan().CopyTo(g2[nh..]);
                adam.Ascend(p2, g2, rate);
                p2[..nh].CopyTo(rho); p2[nh..].CopyTo(ub);
                ScaledDirectionFilters.ForwardScale(u, ub, rho, nv, filter.Weights, filter.Bias);
            }
            else if (scaled)
            {
                ScaledDirectionFilters.Backward(u, beta, nv, grad.AsSpan(0, nh * nv), grad.AsSpan(nh * nv), gu, gb);
                u.CopyTo(parameters, 0); ub.CopyTo(parameters, nh * nv);
                gu.CopyTo(grad, 0); gb.CopyTo(grad, nh * nv);
                adam.Ascend(parameters, grad, rate);
                parameters.AsSpan(0, nh * nv).CopyTo(u); parameters.AsSpan(nh * nv).CopyTo(ub);
                ScaledDirectionFilters.Normalise(u, nv);
                ScaledDirectionFilters.Forward(u, ub, beta, nv, filter.Weights, filter.Bias);
                if (2 * step >= releaseAt)
                {
                    TensorPrimitives.Add(sumU, u, sumU);
                    TensorPrimitives.Add(sumUb, ub, sumUb);
                    averagedDirections++;
                }
            }
            else
            {
                filter.Weights.CopyTo(parameters, 0); filter.Bias.CopyTo(parameters, nh * nv);
                adam.Ascend(parameters, grad, rate);
                parameters.AsSpan(0, nh * nv).CopyTo(filter.Weights); parameters.AsSpan(nh * nv).CopyTo(filter.Bias);
            }
            accA += a; accI += info; accN++;
            if ((step + 1) % options.HistoryInterval == 0 || step + 1 == options.Updates)
            {
                history.Add(new RsmiHistoryPoint(step + 1, accA / accN, accI / accN / Math.Log(2)));
                progress?.Report(stage, (step + 1.0) / options.Updates, $"I ≈ {accI / accN / Math.Log(2):F4} bits");
                accA = accI = 0; accN = 0;
            }
        }
        return filter;
    }

    /// <summary>Most images per window for which the machines read no more distinct windows than the ascent: the
    /// square's eight.</summary>
    public const int MachineImageLimit = 8;

    /// <summary>
    /// The distinct windows the machines Θ and Ψ and the filter ascent read when each is taken with its
    /// <paramref name="images"/> images (1: not symmetrised). The ascent reads ⌊MaxWindows/|G|⌋ windows with all their
    /// images, as many rows as without symmetrisation, so that its estimate A_Λ is exactly invariant at the same cost.
    /// The machines read ⌊MaxWindows/min(|G|, 8)⌋ windows with their images: for the square's eight images (and the
    /// chain's two) the same windows, for the cube's 48 six times as many (6,250 rather than 1,041). Θ fitted to the
    /// ascent's 1,041 distinct windows of a 2×2×2 block (environment 152 sites) overfits them: measured on critical 32³
    /// samples, the estimate of I_Λ(H:E) for one spin per unit (N_h = 8) is then 0.306 bits on those windows against
    /// 0.216 on windows of held-out configurations; fitted to 6,250 windows, the estimates on the ascent's windows and
    /// on held-out ones are 0.236 and 0.275 bits, not higher on the windows it saw. Θ's cost does not grow with its windows (a fixed
    /// number of updates of fixed batches) and Ψ's exact fit reads only their frequencies.
    /// </summary>
    public static (int Machine, int Ascent) SymmetrisedWindows(int maxWindows, int images) =>
        (Math.Max(1, maxWindows / Math.Min(images, MachineImageLimit)), Math.Max(1, maxWindows / images));

    /// <summary>A seeded random subset of at most <paramref name="max"/> windows (all of them, in order, when there are fewer).</summary>
    public static Windows Subset(Windows windows, int max, ulong seed)
    {
        if (windows.Count <= max) return windows;
        var idx = SubsetIndices(windows.Count, max, seed);
        int nv = windows.VisibleSize, ne = windows.EnvironmentSize;
        var vis = new sbyte[(long)max * nv]; var env = new sbyte[(long)max * ne];
        for (int k = 0; k < max; k++)
        {
            windows.VisibleRow(idx[k]).CopyTo(vis.AsSpan(k * nv, nv));
            windows.EnvironmentRow(idx[k]).CopyTo(env.AsSpan(k * ne, ne));
        }
        return new Windows { Count = max, VisibleSize = nv, EnvironmentSize = ne, Visible = vis, Environment = env };
    }

    /// <summary>The windows of <see cref="WindowCutter.Cut"/> that <see cref="Subset"/> keeps, cut alone: the same windows
    /// in the same order, without cutting the others first (a 32³ set holds 4,096 windows per configuration).</summary>
    public static Windows CutSubset(SampleSet samples, WindowGeometry geometry, int stride, int max, ulong seed)
    {
        int count = WindowCutter.Count(samples, geometry, stride);
        if (count <= max) return WindowCutter.Cut(samples, geometry, stride);
        var cut = WindowCutter.CutAt(samples, geometry, stride, SubsetIndices(count, max, seed).AsSpan(0, max));
        return new Windows { Count = cut.Count, VisibleSize = cut.VisibleSize, EnvironmentSize = cut.EnvironmentSize, Visible = cut.Visible, Environment = cut.Environment };
    }

    /// <summary>The indices of <see cref="Subset"/>'s <paramref name="max"/> windows among <paramref name="count"/>,
    /// ascending: a seeded partial Fisher–Yates draw over 0 … count − 1 (step k swaps entry k with entry
    /// k + U[0, count − k)). Only the entries the draw has moved are stored, so the memory is O(max), not O(count): a
    /// flow on 16,000 configurations of 256² tiles 2×2 blocks into 2.6 × 10⁸ windows, whose index array alone would take
    /// a gigabyte for each ensemble member. The indices are those of the dense draw, exactly.</summary>
    internal static int[] SubsetIndices(int count, int max, ulong seed)
    {
        var moved = new Dictionary<int, int>(2 * max);
        int At(int i) => moved.TryGetValue(i, out int v) ? v : i;
        var idx = new int[max];
        var rng = RandomStreams.Create(seed, 0, "rsmi-subset");
        for (int k = 0; k < max; k++)
        {
            int s = k + rng.NextInt(count - k);
            int atS = At(s);
            moved[s] = At(k);
            idx[k] = atS;
        }
        Array.Sort(idx);
        return idx;
    }
}
