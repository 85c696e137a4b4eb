using Rsmi.Learning.Ensembles;

namespace Rsmi.Learning;

/// <summary>
/// <c>rbm</c>: the paper's RSMI network (Koch-Janusz &amp; Ringel 2018, Fig. 1b; <see cref="RsmiLearner"/>): RBMs Θ on
/// (V, E) and Ψ on V trained by contrastive divergence, then the filters by stochastic gradient ascent on the
/// estimate A_Λ of I_Λ(H:E).
/// </summary>
public sealed class RbmLearnerEntry : LearnerEntry<RsmiTrainingOptions>
{
    internal RbmLearnerEntry() { }

    /// <inheritdoc />
    public override string Name => "rbm";

    /// <inheritdoc />
    public override string Description => "CD-trained RBMs and the RSMI network of the paper";

    /// <inheritdoc />
    public override bool LearnsFlowRules => true;

    /// <inheritdoc />
    public override IReadOnlyList<LearnerOption> Options { get; } =
    [
        new("rbm-objective", LearnerOptionKind.Text, "auto (default: model-information for more than 4 hidden units when the block's 2^|V| states are enumerated, |V| ≤ 16, else log-mean-exp), model-information (the exact I(H:E) of the law P(E) P_Θ(V|E)), log-mean-exp or first-cumulant (the paper's proxy)."),
        new("rbm-inner", LearnerOptionKind.Text, "Inner average over V: auto (exact for |V| ≤ 16), exact or monte-carlo."),
        new("rbm-inner-samples", LearnerOptionKind.Integer, "Block states drawn from Ψ per update for the Monte Carlo inner average."),
        new("rbm-updates", LearnerOptionKind.Integer, "Filter updates (Adam steps on A_Λ)."),
        new("rbm-learning-rate", LearnerOptionKind.Number, "Adam learning rate of the filters."),
        new("rbm-batch", LearnerOptionKind.Integer, "Windows per filter update."),
        new("rbm-l2", LearnerOptionKind.Number, "L2 penalty on the filter weights."),
        new("rbm-theta-hidden", LearnerOptionKind.Integer, "Hidden units of Θ, the RBM on (V, E) (0: |V| + |E|)."),
        new("rbm-psi-hidden", LearnerOptionKind.Integer, "Hidden units of Ψ, the RBM on V (0: 2|V|)."),
        new("rbm-cd", LearnerOptionKind.Integer, "Gibbs steps k of CD-k for Θ and Ψ."),
        new("rbm-persistent", LearnerOptionKind.Flag, "Persistent contrastive divergence for Θ and Ψ."),
        new("rbm-machine-updates", LearnerOptionKind.Integer, "Mini-batch updates of Θ (Ψ gets two thirds as many)."),
        new("rbm-max-windows", LearnerOptionKind.Integer, "Most windows used (a seeded random subset when there are more)."),
        new("rbm-restarts", LearnerOptionKind.Integer, "Independent starts of the filter ascent; the best estimate is kept."),
        new("rbm-symmetrise", LearnerOptionKind.Flag, "Take every window with its lattice-symmetry images (D4 for square blocks, reflection for chains) for Θ, Ψ and the filter ascent; valid for Ising samples only, and on by default for samples drawn from a model with that symmetry."),
    ];

    /// <summary>
    /// The defaults. <see cref="LearnerUse.Filters"/>: <see cref="RsmiTrainingOptions"/> as it stands (600 filter
    /// updates, 1,500 updates of Θ, 50,000 windows). <see cref="LearnerUse.FlowRule"/>: 300 filter updates, 1,500
    /// updates of Θ and 1,000 of Ψ and 20,000 windows, the rest the same; the flow learns once per step and per
    /// temperature, so <c>rsmi flow</c> documents this smaller budget as its default.
    /// </summary>
    public override RsmiTrainingOptions Defaults(LearnerUse use)
    {
        var filters = new RsmiTrainingOptions();
        return use == LearnerUse.Filters ? filters : filters with
        {
            Updates = 300,
            MaxWindows = 20_000,
            JointRbm = filters.JointRbm with { MaxUpdates = 1500 },
            BlockRbm = filters.BlockRbm with { MaxUpdates = 1000 },
        };
    }

    private protected override RsmiTrainingOptions Read(OptionValues values, RsmiTrainingOptions baseline, LearnerContext context)
    {
        var geometry = context.Geometry;
        RsmiObjective? objective = values.Text("rbm-objective", baseline.Objective is { } o ? RbmFilterLearner.ObjectiveName(o) : "auto").Trim().ToLowerInvariant() switch
        {
            "auto" => null,
            "log-mean-exp" or "lme" => RsmiObjective.LogMeanExp,
            "first-cumulant" or "paper" => RsmiObjective.FirstCumulant,
            "model-information" => RsmiObjective.ModelInformation,
            var s => throw new RsmiInputException($"{values.NameOf("rbm-objective")}: unknown objective '{s}'; choose auto, model-information, log-mean-exp or first-cumulant."),
        };
        var inner = values.Text("rbm-inner", baseline.InnerAverage switch { RsmiInnerAverage.Exact => "exact", RsmiInnerAverage.MonteCarlo => "monte-carlo", _ => "auto" }).Trim().ToLowerInvariant() switch
        {
            "auto" => RsmiInnerAverage.Auto,
            "exact" => RsmiInnerAverage.Exact,
            "monte-carlo" or "mc" => RsmiInnerAverage.MonteCarlo,
            var s => throw new RsmiInputException($"{values.NameOf("rbm-inner")}: unknown inner average '{s}'; choose auto, exact or monte-carlo."),
        };
        if (inner == RsmiInnerAverage.Exact)
            Require.That(geometry.VisibleSize <= RsmiObjectiveFunction.MaxEnumeratedBlock, $"{values.NameOf("rbm-inner")} exact needs |V| ≤ {RsmiObjectiveFunction.MaxEnumeratedBlock}, the block has {geometry.VisibleSize} sites.");
        int thetaHidden = values.Integer("rbm-theta-hidden", baseline.JointRbm.Hidden), psiHidden = values.Integer("rbm-psi-hidden", baseline.BlockRbm.Hidden);
        int cd = values.Integer("rbm-cd", baseline.JointRbm.CdSteps), mu = values.Integer("rbm-machine-updates", baseline.JointRbm.MaxUpdates);
        int innerSamples = values.Integer("rbm-inner-samples", baseline.InnerSamples), updates = values.Integer("rbm-updates", baseline.Updates), batch = values.Integer("rbm-batch", baseline.BatchSize);
        double rate = values.Number("rbm-learning-rate", baseline.LearningRate), l2 = values.Number("rbm-l2", baseline.L2);
        int windows = values.Integer("rbm-max-windows", baseline.MaxWindows), restarts = values.Integer("rbm-restarts", baseline.Restarts);
        bool persistent = values.Flag("rbm-persistent", baseline.JointRbm.Persistent), symmetrise = values.Flag("rbm-symmetrise", baseline.SymmetriseWith is not null);
        Require.NonNegative(thetaHidden, values.NameOf("rbm-theta-hidden"));
        Require.NonNegative(psiHidden, values.NameOf("rbm-psi-hidden"));
        Require.Positive(cd, values.NameOf("rbm-cd"));
        Require.Positive(mu, values.NameOf("rbm-machine-updates"));
        Require.Positive(innerSamples, values.NameOf("rbm-inner-samples"));
        Require.Positive(updates, values.NameOf("rbm-updates"));
        Require.Positive(rate, values.NameOf("rbm-learning-rate"));
        Require.Positive(batch, values.NameOf("rbm-batch"));
        Require.That(l2 >= 0, $"{values.NameOf("rbm-l2")} must be non-negative, got {l2}.");
        Require.Positive(windows, values.NameOf("rbm-max-windows"));
        Require.Positive(restarts, values.NameOf("rbm-restarts"));
        // The window's point group is a symmetry of the Ising models only (a dimer image is not invariant under it).
        Require.That(!symmetrise || context.Model is null || Rsmi.Models.ModelCatalog.Default.Find(context.Model) is Rsmi.Models.Ising.IsingModel,
            $"{values.NameOf("rbm-symmetrise")} is only valid for Ising samples, the input holds '{context.Model}'.");
        Require.That(!symmetrise || geometry.Dimension == 3 || WindowSymmetry.IsSymmetric(geometry), $"{values.NameOf("rbm-symmetrise")} needs a square block.");
        Require.That(!symmetrise || geometry.Dimension != 3 || WindowSymmetry.IsSymmetric(geometry), $"{values.NameOf("rbm-symmetrise")} needs a cubic block.");
        Require.That(objective != RsmiObjective.ModelInformation || (baseline with { InnerAverage = inner }).ExactInnerAverage(geometry.VisibleSize),
            $"{values.NameOf("rbm-objective")} model-information needs the exact inner average over the block's states: at most {RsmiObjectiveFunction.MaxEnumeratedBlock} block sites (this block has {geometry.VisibleSize}) and not {values.NameOf("rbm-inner")} monte-carlo.");
        values.Record("rbm-objective", objective is { } chosen ? RbmFilterLearner.ObjectiveName(chosen) : "auto");
        values.Record("rbm-inner", inner switch { RsmiInnerAverage.Exact => "exact", RsmiInnerAverage.MonteCarlo => "monte-carlo", _ => "auto" });
        return baseline with
        {
            Objective = objective, InnerAverage = inner, InnerSamples = innerSamples,
            Updates = updates, LearningRate = rate, BatchSize = batch, L2 = l2,
            MaxWindows = windows, Restarts = restarts,
            SymmetriseWith = symmetrise ? geometry : null,
            JointRbm = baseline.JointRbm with { Hidden = thetaHidden, CdSteps = cd, Persistent = persistent, MaxUpdates = mu },
            BlockRbm = baseline.BlockRbm with { Hidden = psiHidden, CdSteps = cd, Persistent = persistent, MaxUpdates = Math.Max(1, 2 * mu / 3) },
        };
    }

    private protected override IFilterLearner Create(RsmiTrainingOptions options, int stride) => new RbmFilterLearner(options, stride);
}
