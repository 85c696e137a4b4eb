using Rsmi.Data;
using Rsmi.Regions;

namespace Rsmi.Learning.InfoNce;

/// <summary>Settings of <see cref="InfoNceOptions"/> that can be chosen from the data.</summary>
[Flags]
public enum InfoNceAutomatic
{
    /// <summary>Nothing: every setting keeps its value.</summary>
    None = 0,
    /// <summary><see cref="InfoNceOptions.WarmUpSteps"/>.</summary>
    WarmUpSteps = 1,
    /// <summary><see cref="InfoNceOptions.Steps"/>.</summary>
    Steps = 2,
    /// <summary><see cref="InfoNceOptions.BatchSize"/>.</summary>
    BatchSize = 4,
    /// <summary><see cref="InfoNceOptions.FilterL2"/>.</summary>
    FilterL2 = 8,
    /// <summary>The final temperature of <see cref="InfoNceOptions.Temperature"/>.</summary>
    TemperatureEnd = 16,
    /// <summary><see cref="InfoNceOptions.FinalLearningRateFraction"/>.</summary>
    FinalLearningRateFraction = 32,
    /// <summary><see cref="InfoNceOptions.FilterAveragingFraction"/>.</summary>
    FilterAveragingFraction = 64,
    /// <summary><see cref="InfoNceOptions.CriticLayers"/>.</summary>
    CriticLayers = 128,
    /// <summary>How the filters and hidden units are parameterised: <see cref="InfoNceOptions.Sharpness"/>,
    /// <see cref="InfoNceOptions.HiddenStates"/> and <see cref="InfoNceOptions.LearningRateDecayStart"/> (set together; setting
    /// any of them explicitly keeps all three).</summary>
    Parameterisation = 256,
    /// <summary>All of them.</summary>
    All = WarmUpSteps | Steps | BatchSize | FilterL2 | TemperatureEnd | FinalLearningRateFraction | FilterAveragingFraction | CriticLayers | Parameterisation,
}

/// <summary>The regimes <see cref="InfoNceAutoSettings"/> tells apart.</summary>
public enum InfoNceSignalRegime
{
    /// <summary>One direction of the block holds most of the linearly predictable variance (Ising blocks): the plain
    /// settings (random filters, no warm-up, no penalty, 1,000 steps of 512 windows, or
    /// <see cref="InfoNceAutoSettings.StepsPerBlockSite"/> steps per block site for blocks of more than four sites).</summary>
    Concentrated,
    /// <summary>The predictable variance is spread over many directions of the block (dimers with noise spins): warm-up
    /// critic, larger batches, more steps, an L2 penalty scaled to the signal, a narrower critic.</summary>
    Spread,
}

/// <summary>What <see cref="InfoNceAutoSettings"/> measured and chose.</summary>
public sealed record InfoNceAutomaticChoice
{
    /// <summary>The regime the pilot found.</summary>
    public required InfoNceSignalRegime Regime { get; init; }
    /// <summary>The pilot measurement.</summary>
    public required LinearSignal Signal { get; init; }
    /// <summary>The settings that were chosen from the data (the others were set explicitly).</summary>
    public required InfoNceAutomatic Chosen { get; init; }
    /// <summary>Directions of the block a hidden unit resolves, whose share of the signal decided the regime: 1 for a
    /// binary unit, q_h − 1 for a categorical unit of q_h states.</summary>
    public int ResolvedDirections { get; init; } = 1;

    /// <summary>Lower-case names of the chosen settings, as in the filters file's <c>training</c> section.</summary>
    public IReadOnlyList<string> ChosenNames => Names.Where(n => Chosen.HasFlag(n.Flag)).Select(n => n.Name).ToArray();

    /// <summary>The filters file's record (under <c>training.automatic</c>): regime, chosen settings and the pilot's numbers.</summary>
    public Dictionary<string, object> ToRecord()
    {
        var record = new Dictionary<string, object>
        {
            ["regime"] = Regime == InfoNceSignalRegime.Spread ? "spread" : "concentrated",
            ["chosen"] = ChosenNames,
            ["linear_signal_top_eigenvalue"] = Signal.TopEigenvalue,
            ["linear_signal_concentration"] = Signal.Concentration,
            ["pilot_fit_windows"] = Signal.FitWindows,
            ["pilot_test_windows"] = Signal.TestWindows,
        };
        if (!double.IsNaN(Signal.SecondEigenvalue)) record["linear_signal_second_eigenvalue"] = Signal.SecondEigenvalue;
        if (ResolvedDirections > 1)
        {
            record["resolved_directions"] = ResolvedDirections;
            record["linear_signal_concentration_resolved"] = Signal.ConcentrationOf(ResolvedDirections);
        }
        return record;
    }

    private static readonly (InfoNceAutomatic Flag, string Name)[] Names =
    [
        (InfoNceAutomatic.WarmUpSteps, "warm_up_steps"), (InfoNceAutomatic.Steps, "steps"), (InfoNceAutomatic.BatchSize, "batch_size"),
        (InfoNceAutomatic.FilterL2, "filter_l2"), (InfoNceAutomatic.TemperatureEnd, "temperature_end"),
        (InfoNceAutomatic.FinalLearningRateFraction, "final_learning_rate_fraction"),
        (InfoNceAutomatic.FilterAveragingFraction, "filter_averaging_fraction"), (InfoNceAutomatic.CriticLayers, "critic_layers"),
        (InfoNceAutomatic.Parameterisation, "parameterisation"),
    ];
}

/// <summary>
/// Turns the settings of <see cref="InfoNceOptions"/> that were not set explicitly (<see cref="InfoNceOptions.Pending"/>)
/// into concrete values chosen from the data, from a pilot that costs a fraction of a second: the out-of-sample linear
/// predictable covariance M of the block given its environment (<see cref="LinearSignal"/>), whose eigenvalues λ_k are
/// the information per unit squared filter norm of each direction of the block, I(H:E) ≈ ½ λᵀMλ nats for small
/// filters.
/// <para>
/// <b>Regime.</b> When the best direction holds at least half of the predictable variance,
/// λ₁ ≥ ½ Σ_k max(λ_k, 0) (<see cref="LinearSignal.Concentration"/> ≥ ½; Ising blocks: 0.6–1.0), the plain
/// settings find it from random filters: the gradient of the bound points along it from the first steps and no other
/// direction competes. When it holds less (dimers with noise spins, 8×8 window: 0.16–0.29, E_x and E_y each carrying
/// barely more than the field modulations near the block's edges), three things go wrong with the plain settings,
/// and each has its remedy: (i) a random critic does not read the environment's fields, so the bound stays at zero —
/// a warm-up critic trained on whole blocks first (<see cref="InfoNceOptions.WarmUpSteps"/>) learns them; (ii) the
/// bound is flat along the noise pixels and nearly flat between the fields and their edge modulations, and Adam, which
/// normalises each coordinate's step by its gradient's root mean square, turns the zero-mean gradient noise on such
/// directions into a random walk of step ≈ η — an L2 penalty μ Σλ² adds the restoring force −2μλ, so that the
/// stationary spread of a flat direction is set by the gradient noise over μ (≈ σ/(μ√T) after T steps of noise σ per
/// step) and the directions that pay for their norm with information are kept; (iii) that spread also falls with the
/// number of windows the filters see — larger batches, more steps, a higher final temperature of the relaxed samples
/// (whose reparameterised gradient varies as 1/τ) and a longer Polyak average at a learning rate that has not frozen yet.
/// </para>
/// <para>
/// <b>Steps in the concentrated regime</b> grow with the block: <see cref="StepsPerBlockSite"/> · |V| of them, at least
/// the plain 1,000 (so 2×2 blocks keep 1,000, a 2×2×2 block gets 2,000). With the filter's norm fixed by its
/// sharpness, each of the |V| weights of a symmetric filter is β/√|V|, while the noise the stochastic steps leave on
/// each weight does not shrink with |V|; the relative spread of the weights grows as √|V| at a fixed number of windows,
/// and steps ∝ |V| bring it back. Measured on critical 32³ Ising samples, 2×2×2 block, buffer 1, environment 1,
/// N_h = 1, ensembles of four, seeds 1–5: the largest deviation of a weight from their mean was 3.2–6.5% after
/// 1,000 steps (one seed above the 5% of the Kadanoff block spin), 2.2–4.3% after 2,000.
/// With more than <see cref="UnitsPerStepBudget"/> hidden units the steps grow as N_h / 4 as well: every unit must
/// settle on its own part of the block, and a pair of units still sharing two spins (the AND and the OR of them, or
/// two units at 45° to them) loses information that the bound resolves only slowly. Measured on the same samples with
/// N_h = 8 (one spin per unit is the optimum: it keeps every block state apart), seeds 1–5, four members each:
/// after 2,000 steps 4 of the 20 members kept all 2^8 block states apart (docs/learning.md, "Exact dominance"), and no
/// member of two seeds did; after 4,000 steps 14 of 20 did, at least one in every ensemble. Blocks of up to four units
/// (every 2D Ising, Potts and dimer case of the paper) keep their steps.
/// </para>
/// <para>
/// <b>The penalty</b> is μ = λ₁/4. For small filters the objective is ½λᵀMλ − μ|λ|², so the zero filter is a
/// maximum — and the learner returns nothing — once μ exceeds λ₁/2; the bound a trained critic reaches is below the
/// linear-response information, so a margin of two keeps the filters alive (measured: μ = λ₁/2 loses the signal at
/// buffer 4: λ₁ ≈ 0.2, μ = 0.1), while a smaller μ lets the edge modulations back in (measured: μ = λ₁/5 left one unit
/// 37–62% outside span(E_x, E_y) in three of five N_h = 4 runs at buffer 2). Scaling μ with λ₁ keeps that balance when
/// the signal changes with the buffer, the block or the temperature.
/// </para>
/// <para>
/// <b>The parameterisation</b> of the spread regime is RSMI-NE's (free λ and c from small random values, relaxed
/// Bernoulli samples, learning rates decaying from the first step), with which the settings above were measured; the
/// concentrated regime uses the two-phase direction-and-sharpness filters with the hidden states summed out
/// (<see cref="InfoNceOptions.Sharpness"/>, <see cref="InfoNceOptions.SharpnessPhase"/>).
/// </para>
/// <para>
/// <b>The critic</b> keeps the plain two hidden layers of 32 units in the spread regime. A member whose critic reads
/// the environment's fields only partly can end with all its units on one field direction (0.13–0.16 bits at buffer 4
/// with N_h = 2, against 0.24–0.28 for a member that resolves both fields); the ensemble's held-out choice passes such
/// members over. Counted over the members of ensembles at buffer 4 (dimer samples, 10,000 configurations, N_h = 2 and
/// 4): with a 24-unit critic 29 of 40 members ended so on independently generated samples (seeds 6–10; every member
/// of seed 6, so that ensemble kept 0.16 bits), with 32 units 5 of those 40, and 16 of 40 on rsmi's samples
/// (seeds 1–5). The narrower critic had also held the N_h = 4 filters at buffer 2 inside span(E_x, E_y) only by not
/// reading the columnar order parameter (docs/learning.md, "Dimer filters with four units"). A critic that resolves
/// too little (16) lost the signal in one of three N_h = 4 runs at buffer 4. Tried and not kept: a warm-up of 1,200
/// steps (2 of 40 such members at buffer 4, seeds 1–5), because at buffer 2 with N_h = 2 it let the filters take up
/// 19–40% of edge modulations outside span(E_x, E_y) for no more information (0.47–0.50 bits against 0.48–0.51).
/// </para>
/// <para>
/// <b>How many configurations.</b> These settings were measured on 10,000 dimer configurations (the default of the
/// study's dimer stage, <c>DimerConfig.Samples</c>). There, with <c>rsmi learn</c>'s ensemble of four, the kept filters
/// of rsmi's sampler at buffer 2 and 4, N_h = 2, and at buffer 4, N_h = 4, seeds 1–5, have noise weights of 1.4–3.6%
/// of their bond weights and lie 6–21% outside span(E_x, E_y); at buffer 2 with N_h = 4 they mix the columnar order
/// parameter into the fields (docs/learning.md, "Dimer filters with four units"). From 1,000 configurations the kept filters failed in 5 of those 20 cases (noise weights 5.5% and 8.7% at
/// buffer 4, N_h = 4; a unit 28–51% outside the span at buffer 2, N_h = 4): the filters are fitted to a finite set of
/// training windows, and what the noise pixels and the edge modulations share with the environment by chance falls
/// only as 1/√n. At buffer 2 the fields of parts of the block also carry information of their own: the E_x of each
/// row of horizontal bonds and the E_y of each column of vertical bonds hold about 1.6 bits about the environment
/// together, (E_x, E_y) about 0.96 bits (held-out InfoNCE bounds with critics on these features). With N_h = 2 the
/// optimum stays in the plane of the fields (the kept filters projected onto span(E_x, E_y) have 0.015–0.040 bits more
/// held-out information than as learned, seeds 1–5), with N_h = 4 it does not: units of sharpness 1.4 with the hidden
/// states summed reach 0.90–0.95 bits with filters 38–80% outside the span, a learner restricted to the span
/// 0.69–0.76 bits (seeds 1 and 3).
/// </para>
/// </summary>
public static class InfoNceAutoSettings
{
    /// <summary>The concentration below which the spread regime's settings are used.</summary>
    public const double ConcentrationThreshold = 0.5;
    /// <summary>Steps per block site in the concentrated regime (at least the plain 1,000 steps in all).</summary>
    public const int StepsPerBlockSite = 250;
    /// <summary>Hidden units that share the concentrated regime's <see cref="StepsPerBlockSite"/> · |V| steps; beyond them
    /// the steps grow in proportion to N_h.</summary>
    public const int UnitsPerStepBudget = 4;
    /// <summary>μ = <see cref="PenaltyFraction"/> · λ₁ in the spread regime.</summary>
    public const double PenaltyFraction = 0.25;
    /// <summary>Pilot windows cut for the regression fit and as many for its out-of-sample test (fewer when |E| is
    /// large, to bound the pilot's cost by about 10⁹ multiply-adds, never fewer than 4|E|).</summary>
    public const int PilotWindows = 10_000;

    /// <summary>The spread regime's settings, apart from the penalty.</summary>
    public static InfoNceOptions SpreadSettings { get; } = new()
    {
        WarmUpSteps = 600, Steps = 2000, BatchSize = 512, Temperature = new TemperatureSchedule(End: 0.3),
        FinalLearningRateFraction = 0.1, FilterAveragingFraction = 0.5, CriticLayers = [32, 32],
        Sharpness = 0, HiddenStates = HiddenStates.Relaxed, LearningRateDecayStart = 0,
    };

    /// <summary>
    /// Resolves <paramref name="options"/> for learning from <paramref name="samples"/> with <paramref name="geometry"/>:
    /// the pilot windows are cut (seeded by <see cref="InfoNceOptions.Seed"/>) from the configurations the learner trains
    /// on — the first 1 − <see cref="InfoNceOptions.HoldoutFraction"/> — the fit windows from their first half and the
    /// test windows from their second half. Returns <paramref name="options"/> itself when nothing is pending or there
    /// are fewer than two training configurations; otherwise options with nothing pending and
    /// <see cref="InfoNceOptions.AutomaticChoice"/> set.
    /// </summary>
    public static InfoNceOptions Resolve(SampleSet samples, WindowGeometry geometry, InfoNceOptions options)
    {
        if (options.Pending == InfoNceAutomatic.None) return options;
        int n = samples.Count;
        int hold = options.HoldoutFraction > 0 ? Math.Max(1, (int)Math.Floor(options.HoldoutFraction * n)) : 0;
        int train = n - hold;
        if (train < 2) return options;
        int count = PilotCount(geometry.EnvironmentSize);
        var fit = WindowCutter.CutRandom(samples, geometry, 0, train / 2, count, options.Seed, "pilot-fit-windows");
        var test = WindowCutter.CutRandom(samples, geometry, train / 2, train, count, options.Seed, "pilot-test-windows");
        return Choose(LinearSignal.Measure(fit.Encoded(), test.Encoded()), options, int.MaxValue, fit.States.FeaturesPerSite);
    }

    /// <summary>
    /// The pilot regression of <see cref="Resolve(SampleSet, WindowGeometry, InfoNceOptions)"/> on all of
    /// <paramref name="samples"/> (fit windows from the first half of the configurations, test windows from the second,
    /// seeded by <paramref name="seed"/>), for callers that judge the regime of the data themselves.
    /// </summary>
    public static LinearSignal Pilot(SampleSet samples, WindowGeometry geometry, ulong seed)
    {
        int n = samples.Count;
        Require.That(n >= 2, "the pilot regression needs at least two configurations.");
        int count = PilotCount(geometry.EnvironmentSize);
        var fit = WindowCutter.CutRandom(samples, geometry, 0, n / 2, count, seed, "pilot-fit-windows");
        var test = WindowCutter.CutRandom(samples, geometry, n / 2, n, count, seed, "pilot-test-windows");
        return LinearSignal.Measure(fit.Encoded(), test.Encoded());
    }

    /// <summary>The regime of <paramref name="signal"/> for units that resolve <paramref name="directions"/> directions of
    /// the block (1 for binary units, q_h − 1 for categorical ones), by the threshold the settings use.</summary>
    public static InfoNceSignalRegime RegimeOf(LinearSignal signal, int directions) =>
        signal.ConcentrationOf(Math.Max(1, directions)) >= ConcentrationThreshold ? InfoNceSignalRegime.Concentrated : InfoNceSignalRegime.Spread;

    /// <summary>
    /// Resolves <paramref name="options"/> for learning from the rows <paramref name="trainRows"/> of
    /// <paramref name="windows"/>: the regression is fitted on the first half of those rows and tested on the second
    /// half (rows cut by <see cref="WindowCutter"/> are in configuration order, so the halves share at most one
    /// configuration). The batch size is kept at most <paramref name="maxBatch"/>; encoded windows hold
    /// <paramref name="featuresPerSite"/> features per site.
    /// </summary>
    public static InfoNceOptions Resolve(Windows windows, IReadOnlyList<int> trainRows, InfoNceOptions options, int maxBatch, int featuresPerSite = 1)
    {
        if (options.Pending == InfoNceAutomatic.None || trainRows.Count < 4) return options;
        int half = trainRows.Count / 2, limit = PilotCount(windows.EnvironmentSize);
        var fit = Select(windows, trainRows.Take(half).Take(limit).ToArray());
        var test = Select(windows, trainRows.Skip(half).Take(limit).ToArray());
        return Choose(LinearSignal.Measure(fit, test), options, maxBatch, featuresPerSite);
    }

    /// <summary>The settings for a measured <paramref name="signal"/>: each pending setting takes the value of its regime.
    /// The signal's direction holds <paramref name="featuresPerSite"/> features per block site (one-hot encoded labels).</summary>
    public static InfoNceOptions Choose(LinearSignal signal, InfoNceOptions options, int maxBatch = int.MaxValue, int featuresPerSite = 1)
    {
        var pending = options.Pending;
        // a categorical unit of q_h states resolves q_h − 1 directions of the block (its logits up to a common shift)
        double concentration = options.Categorical ? signal.ConcentrationOf(options.HiddenUnitStates - 1) : signal.Concentration;
        var regime = concentration >= ConcentrationThreshold ? InfoNceSignalRegime.Concentrated : InfoNceSignalRegime.Spread;
        var o = options;
        if (regime == InfoNceSignalRegime.Spread)
        {
            var s = SpreadSettings;
            if (pending.HasFlag(InfoNceAutomatic.WarmUpSteps)) o = o with { WarmUpSteps = s.WarmUpSteps };
            if (pending.HasFlag(InfoNceAutomatic.Steps)) o = o with { Steps = s.Steps };
            if (pending.HasFlag(InfoNceAutomatic.BatchSize)) o = o with { BatchSize = Math.Max(2, Math.Min(s.BatchSize, maxBatch)) };
            if (pending.HasFlag(InfoNceAutomatic.FilterL2)) o = o with { FilterL2 = PenaltyFraction * Math.Max(0, signal.TopEigenvalue) };
            if (pending.HasFlag(InfoNceAutomatic.TemperatureEnd)) o = o with { Temperature = o.Temperature with { End = s.Temperature.End } };
            if (pending.HasFlag(InfoNceAutomatic.FinalLearningRateFraction)) o = o with { FinalLearningRateFraction = s.FinalLearningRateFraction };
            if (pending.HasFlag(InfoNceAutomatic.FilterAveragingFraction)) o = o with { FilterAveragingFraction = s.FilterAveragingFraction };
            if (pending.HasFlag(InfoNceAutomatic.CriticLayers)) o = o with { CriticLayers = s.CriticLayers };
            if (pending.HasFlag(InfoNceAutomatic.Parameterisation))
                o = o with { Sharpness = s.Sharpness, HiddenStates = s.HiddenStates, LearningRateDecayStart = s.LearningRateDecayStart };
            if (o.TrainingWindows < o.BatchSize) o = o with { TrainingWindows = o.BatchSize };
        }
        else if (pending.HasFlag(InfoNceAutomatic.Steps))
            o = o with { Steps = Math.Max(o.Steps, StepsPerBlockSite * (signal.TopDirection.Length / featuresPerSite) * Math.Max(UnitsPerStepBudget, o.Hidden) / UnitsPerStepBudget) };
        // categorical units are trained with relaxed one-hot samples and free filters in either regime
        if (o.Categorical && pending.HasFlag(InfoNceAutomatic.Parameterisation))
            o = o with { Sharpness = 0, HiddenStates = HiddenStates.Relaxed, LearningRateDecayStart = o.LearningRateDecayStart };
        return o with
        {
            Automatic = InfoNceAutomatic.None,
            AutomaticChoice = new InfoNceAutomaticChoice
            {
                Regime = regime, Signal = signal, Chosen = pending, ResolvedDirections = options.Categorical ? options.HiddenUnitStates - 1 : 1,
            },
        };
    }

    private static int PilotCount(int environmentSize)
    {
        double e = Math.Max(1, environmentSize);
        return (int)Math.Min(PilotWindows, Math.Max(4 * e, 1e9 / (e * e)));
    }

    private static Windows Select(Windows w, int[] rows)
    {
        int nv = w.VisibleSize, ne = w.EnvironmentSize;
        var vis = new sbyte[rows.Length * nv];
        var env = new sbyte[rows.Length * ne];
        for (int r = 0; r < rows.Length; r++)
        {
            w.VisibleRow(rows[r]).CopyTo(vis.AsSpan(r * nv, nv));
            w.EnvironmentRow(rows[r]).CopyTo(env.AsSpan(r * ne, ne));
        }
        return new Windows { Count = rows.Length, VisibleSize = nv, EnvironmentSize = ne, Visible = vis, Environment = env };
    }
}
