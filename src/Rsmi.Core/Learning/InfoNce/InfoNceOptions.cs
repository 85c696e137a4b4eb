using Rsmi.Regions;

namespace Rsmi.Learning.InfoNce;

/// <summary>
/// Settings of the neural (RSMI-NE) estimator. The critic follows RSMI-NE (Gökmen et al., PRL 127, 240603 (2021);
/// docs/algorithm.md, "The InfoNCE estimator"): Adam with η = 5·10⁻³, critic networks of 2 hidden layers of 32 ReLU units and an 8-dimensional
/// embedding. By default the hidden units are summed out exactly (<see cref="HiddenStates"/>), the filters have a fixed
/// sharpness β = 1.4 (<see cref="Sharpness"/>), batches hold K = 512 fresh windows and the learning rates decay over
/// the second half of the 1,000 steps.
/// </summary>
public sealed record InfoNceOptions
{
    /// <summary>Number of hidden units N_h ≥ 1.</summary>
    public int Hidden { get; init; } = 1;
    /// <summary>States q_h ≥ 2 of each hidden unit: 2 for binary units h = ±1, more for categorical units (RSMI-NE's
    /// <c>Nq</c>), which are always trained with relaxed one-hot samples (<see cref="CategoricalRsmiNeObjective"/>) and
    /// free filters: <see cref="Sharpness"/> and <see cref="HiddenStates"/> apply to binary units only.</summary>
    public int HiddenUnitStates { get; init; } = 2;
    /// <summary>Whether the hidden units are categorical (q_h ≥ 3).</summary>
    public bool Categorical => HiddenUnitStates > 2;
    /// <summary>Batch size K ≥ 2 (InfoNCE saturates at log K). Chosen from the data unless set.</summary>
    public int BatchSize { get => _batchSize; init { _batchSize = value; _given |= InfoNceAutomatic.BatchSize; } }
    /// <summary>Number of Adam steps ≥ 1. Chosen from the data unless set.</summary>
    public int Steps { get => _steps; init { _steps = value; _given |= InfoNceAutomatic.Steps; } }
    /// <summary>Adam learning rate of the critic and the filters.</summary>
    public double LearningRate { get; init; } = 5e-3;
    /// <summary>Both learning rates decay geometrically to this fraction of their initial value by the last step, in (0, 1]
    /// (1: constant), which settles the filters at the end of training.</summary>
    public double FinalLearningRateFraction { get => _finalRate; init { _finalRate = value; _given |= InfoNceAutomatic.FinalLearningRateFraction; } }
    /// <summary>Fraction of the steps after which the learning rates start to decay, in [0, 1) (0: from the first step).
    /// The first part at full rate lets the filters find their features, the decay then settles them.</summary>
    public double LearningRateDecayStart { get => _decayStart; init { _decayStart = value; _given |= InfoNceAutomatic.Parameterisation; } }
    /// <summary>The factor of both learning rates at <paramref name="step"/>: 1 until the decay starts at s₀ = start · (steps − 1),
    /// then fraction^((step − s₀)/(steps − 1 − s₀)).</summary>
    public double LearningRateDecayAt(int step)
    {
        double s0 = LearningRateDecayStart * (Steps - 1);
        return step <= s0 ? 1.0 : Math.Pow(FinalLearningRateFraction, (step - s0) / Math.Max(1.0, Steps - 1 - s0));
    }
    /// <summary>The reported filters are the average of the iterates over this last fraction of the steps (Polyak–Ruppert
    /// averaging, which removes the jitter of the stochastic steps), in [0, 1); 0 keeps the last iterate.</summary>
    public double FilterAveragingFraction { get => _averaging; init { _averaging = value; _given |= InfoNceAutomatic.FilterAveragingFraction; } }
    /// <summary>L2 penalty μ on the filter weights: the objective becomes bound − μ Σ λ², which keeps Λ finite and damps
    /// its drift along directions the bound hardly distinguishes. ≥ 0. Chosen from the data unless set. With a
    /// <see cref="Sharpness"/> |λ_j| = β is fixed and the penalty acts on the biases only (its part along λ is removed by
    /// the tangent projection).</summary>
    public double FilterL2 { get => _filterL2; init { _filterL2 = value; _given |= InfoNceAutomatic.FilterL2; } }
    /// <summary>Steps of a warm-up in which a critic u(V)·w(E) is trained on the whole block V before the filters are: its
    /// environment network w, which has then learned which features of E carry information about V, starts the joint
    /// training. Helps when the information is weak and a random filter carries almost none of it (dimers). 0: no warm-up.
    /// Chosen from the data unless set.</summary>
    public int WarmUpSteps { get => _warmUp; init { _warmUp = value; _given |= InfoNceAutomatic.WarmUpSteps; } }
    /// <summary>Adam learning rate of the filters Λ and biases (0: the same as <see cref="LearningRate"/>).</summary>
    public double FilterLearningRate { get; init; } = 0.02;
    /// <summary>Hidden widths of the critic networks u and w (may be empty: linear embeddings). Chosen from the data unless set.</summary>
    public int[] CriticLayers { get => _criticLayers; init { _criticLayers = value; _given |= InfoNceAutomatic.CriticLayers; } }
    /// <summary>Embedding dimension d of the separable critic u(h)·w(e).</summary>
    public int Embedding { get; init; } = 8;
    /// <summary>Dropout probability on the critic's hidden units during training, in [0, 1).</summary>
    public double Dropout { get; init; }
    /// <summary>The bound that is maximised.</summary>
    public MutualInformationBound Bound { get; init; } = MutualInformationBound.InfoNce;
    /// <summary>Relaxation temperature schedule (used only with <see cref="HiddenStates.Relaxed"/>; its final temperature is
    /// chosen from the data unless the schedule is set).</summary>
    public TemperatureSchedule Temperature { get => _temperature; init { _temperature = value; _given |= InfoNceAutomatic.TemperatureEnd; } }
    /// <summary>How the hidden units enter the bound during training and evaluation.</summary>
    public HiddenStates HiddenStates { get => _hiddenStates; init { _hiddenStates = value; _given |= InfoNceAutomatic.Parameterisation; } }
    /// <summary>Whether the 2^N_h hidden states are summed (<see cref="HiddenStates.Summed"/>, or <see cref="HiddenStates.Auto"/> with N_h ≤ 8).</summary>
    public bool SumsHiddenStates => !Categorical && (HiddenStates == HiddenStates.Summed || (HiddenStates == HiddenStates.Auto && Hidden <= MarginalRsmiNeObjective.MaxHidden));
    /// <summary>
    /// Sharpness β &gt; 0 of the filters: λ_j = β û_j and c_j = β b_j with û_j a unit vector, so that
    /// P(h_j = +1|V) = σ(2β(û_j·V + b_j)) and the learner moves only the direction û_j and offset b_j
    /// (gradient through the normalisation: the tangent projection, <see cref="ScaledDirectionFilters"/>); the rows of
    /// û start orthonormal. A fixed, moderate β keeps the units stochastic enough for a smooth objective and sharp
    /// enough that copies of one unit carry no extra information, so N_h units take distinct features (one spin each
    /// for an Ising 2×2 block with N_h = 4) while N_h = 1 keeps the symmetric block spin. 0: λ and c are learned
    /// freely from small random values (RSMI-NE's parameterisation).
    /// </summary>
    public double Sharpness { get => _sharpness; init { _sharpness = value; _given |= InfoNceAutomatic.Parameterisation; } }
    /// <summary>
    /// Fraction of the steps during which the sharpness is held at <see cref="Sharpness"/>, in (0, 1] (1: β fixed to the
    /// end). Training has two phases. (i) Features: λ_j = β û_j, c_j = β b_j with β fixed, Adam on (u_j, b_j) through the
    /// tangent projection; the directions are then averaged over the second half of this phase (Polyak–Ruppert), which
    /// removes the jitter of the steps at the full learning rate. (ii) Scale and thresholds: with û_j fixed,
    /// λ_j = e^{ρ_j} û_j and c_j = e^{ρ_j} b_j, Adam on (ρ_j, b_j) with ∂/∂ρ_j = λ_j·∂/∂λ_j + c_j ∂/∂c_j
    /// (<see cref="ScaledDirectionFilters.BackwardScale"/>), so that each unit's sharpness and offset settle where the
    /// bound is largest (the soft filter's information keeps growing with the scale for ±1 spins) without moving the
    /// features: a free λ drifts, at larger scales, along the nearly flat directions that only decide which spin breaks
    /// the ties of the block (measured: 2×2 Ising block at T_c, weights 6–24% apart after a free phase, against a few
    /// per cent from the fixed-β directions).
    /// </summary>
    public double SharpnessPhase { get; init; } = 0.5;
    /// <summary>Standard deviation of the initial filter weights (without a <see cref="Sharpness"/>; with one, only the
    /// directions of the initial rows matter).</summary>
    public double InitialFilterScale { get; init; } = 0.1;
    /// <summary>Fraction of the windows (the last ones: the last configurations) held out to evaluate the final bound, in [0, 0.9].</summary>
    public double HoldoutFraction { get; init; } = 0.1;
    /// <summary>Windows cut at random from the training configurations when learning from a sample set (the rest of the
    /// translations are not needed: training uses <see cref="Steps"/> × <see cref="BatchSize"/> rows). When it is at least
    /// that number of rows (and windows are held out) no pool is cut: every batch draws fresh windows, which is the same
    /// as reading such a pool once in a random order.</summary>
    public int TrainingWindows { get; init; } = 1_000_000;
    /// <summary>Number of held-out batches averaged for the final estimate (fewer if the held-out set is smaller).</summary>
    public int EvaluationBatches { get; init; } = 40;
    /// <summary>Batch size of the final evaluation (0: <see cref="BatchSize"/>).</summary>
    public int EvaluationBatchSize { get; init; }
    /// <summary>Steps averaged into one history entry.</summary>
    public int HistoryInterval { get; init; } = 10;
    /// <summary>History entries in the trailing moving average.</summary>
    public int MovingAverageWindow { get; init; } = 10;
    /// <summary>Seed of every random choice (initialisation, batches, noise, dropout).</summary>
    public ulong Seed { get; init; }
    /// <summary>Threads used (−1: all); results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>The settings chosen from the data when learning starts (<see cref="InfoNceAutoSettings"/>), among those
    /// not set explicitly: a setting given in an initialiser or a <c>with</c> expression always wins.</summary>
    public InfoNceAutomatic Automatic { get; init; } = InfoNceAutomatic.All;
    /// <summary>The settings still to be chosen from the data: <see cref="Automatic"/> less those set explicitly.</summary>
    public InfoNceAutomatic Pending => Automatic & ~_given;
    /// <summary>What the data chose, on options returned by <see cref="InfoNceAutoSettings.Resolve(Rsmi.Data.SampleSet, WindowGeometry, InfoNceOptions)"/>; null otherwise.</summary>
    public InfoNceAutomaticChoice? AutomaticChoice { get; init; }

    /// <summary>These options with <paramref name="settings"/> left to the data again, as if they had never been set
    /// (their current values are kept where the data do not change them).</summary>
    public InfoNceOptions LeavingToData(InfoNceAutomatic settings)
    {
        var copy = this with { };
        copy._given &= ~settings;
        return copy;
    }

    private InfoNceAutomatic _given;
    private int _batchSize = 512, _steps = 1000, _warmUp;
    private double _decayStart = 0.5, _sharpness = 1.4;
    private HiddenStates _hiddenStates = HiddenStates.Auto;
    private double _finalRate = 0.02, _averaging = 0.25, _filterL2;
    private int[] _criticLayers = [32, 32];
    private TemperatureSchedule _temperature = new();

    /// <summary>Effective learning rate of the filters.</summary>
    public double EffectiveFilterLearningRate => FilterLearningRate > 0 ? FilterLearningRate : LearningRate;
    /// <summary>Effective evaluation batch size.</summary>
    public int EffectiveEvaluationBatchSize => EvaluationBatchSize > 0 ? EvaluationBatchSize : BatchSize;

    /// <summary>Throws <see cref="RsmiInputException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Require.Positive(Hidden, "number of hidden units");
        Require.That(HiddenUnitStates is >= 2 and <= States.PottsLabels.MaxStates, $"hidden units need 2 to {States.PottsLabels.MaxStates} states, got {HiddenUnitStates}.");
        Require.That(HiddenStates != HiddenStates.Summed || Hidden <= MarginalRsmiNeObjective.MaxHidden, $"summing the hidden states needs at most {MarginalRsmiNeObjective.MaxHidden} hidden units, got {Hidden}.");
        Require.That(BatchSize >= 2, $"batch size must be at least 2, got {BatchSize}.");
        Require.Positive(Steps, "number of steps");
        Require.Positive(LearningRate, "learning rate");
        Require.That(FinalLearningRateFraction > 0 && FinalLearningRateFraction <= 1, $"the final learning-rate fraction must be in (0, 1], got {FinalLearningRateFraction}.");
        Require.That(LearningRateDecayStart >= 0 && LearningRateDecayStart < 1, $"the learning-rate decay start must be in [0, 1), got {LearningRateDecayStart}.");
        Require.That(Sharpness >= 0 && double.IsFinite(Sharpness), $"the filter sharpness must be a non-negative number, got {Sharpness}.");
        Require.That(SharpnessPhase > 0 && SharpnessPhase <= 1, $"the fixed-sharpness phase must be in (0, 1], got {SharpnessPhase}.");
        Require.That(FilterAveragingFraction >= 0 && FilterAveragingFraction < 1, $"the filter averaging fraction must be in [0, 1), got {FilterAveragingFraction}.");
        Require.NonNegative(WarmUpSteps, "number of warm-up steps");
        Require.That(FilterL2 >= 0, $"the filter L2 penalty must be non-negative, got {FilterL2}.");
        Require.That(FilterLearningRate >= 0, $"filter learning rate must be non-negative, got {FilterLearningRate}.");
        foreach (int w in CriticLayers) Require.Positive(w, "critic layer width");
        Require.Positive(Embedding, "embedding size");
        Require.That(Dropout >= 0 && Dropout < 1, $"dropout must be in [0, 1), got {Dropout}.");
        Temperature.Validate();
        Require.That(InitialFilterScale >= 0, $"initial filter scale must be non-negative, got {InitialFilterScale}.");
        Require.That(HoldoutFraction >= 0 && HoldoutFraction <= 0.9, $"held-out fraction must be in [0, 0.9], got {HoldoutFraction}.");
        Require.Positive(EvaluationBatches, "number of evaluation batches");
        Require.That(TrainingWindows >= BatchSize, $"the number of training windows ({TrainingWindows}) must be at least the batch size {BatchSize}.");
        Require.NonNegative(EvaluationBatchSize, "evaluation batch size");
        Require.Positive(HistoryInterval, "history interval");
        Require.Positive(MovingAverageWindow, "moving-average window");
        Require.That(MaxDegreeOfParallelism == -1 || MaxDegreeOfParallelism >= 1, "the thread count must be -1 or positive.");
    }
}

/// <summary>How the learner treats the stochastic hidden units h ~ P_Λ(h|V) in the bound.</summary>
public enum HiddenStates
{
    /// <summary><see cref="Summed"/> for N_h ≤ 8, <see cref="Relaxed"/> above.</summary>
    Auto,
    /// <summary>The bound's expectation over h, summed exactly over the 2^N_h states (no sampling noise; N_h ≤ 8).</summary>
    Summed,
    /// <summary>RSMI-NE's relaxed Bernoulli samples during training and hard samples in the final estimate.</summary>
    Relaxed,
}
