using Rsmi.Filters;
using Rsmi.Statistics;
using Rsmi.Data;
using Rsmi.Models;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Progress;
using Rsmi.Random;
using Rsmi.States;

namespace Rsmi.Renormalization;

/// <summary>Settings of an RG flow study.</summary>
public sealed record FlowOptions
{
    /// <summary>RG steps K ≥ 1 (the lattice side must be divisible by block^K).</summary>
    public int Steps { get; init; } = 4;
    /// <summary>Linear block size b ≥ 2 (N_h = 1).</summary>
    public int Block { get; init; } = 2;
    /// <summary>Delete-one-block jackknife blocks (2..samples).</summary>
    public int JackknifeBlocks { get; init; } = 20;
    /// <summary>Even operators used by MCRG (1..<see cref="EvenOperators.Count"/>).</summary>
    public int McrgOperators { get; init; } = EvenOperators.Count;
    /// <summary>Seed of the learning and coarse-graining streams.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Most threads for coarse-graining (−1: all); results do not depend on it.</summary>
    public int MaxThreads { get; init; } = -1;
    /// <summary>
    /// Sites fitted for the effective couplings of one level: the first min(N, ⌈sites / L_k²⌉) configurations of the
    /// level of side L_k (so the large early levels are fitted on fewer configurations, all of them more precisely
    /// than the small late ones).
    /// </summary>
    public long CouplingSites { get; init; } = 1L << 22;
    /// <summary>
    /// The model of the starting samples (default: the 2D Ising model): its thermometer (<see cref="IModel.Thermometer"/>,
    /// unless <see cref="Thermometer"/> is given) reads the effective temperatures and its operators
    /// (<see cref="IModel.RgOperators"/>) feed MCRG, two-lattice matching and the effective couplings.
    /// </summary>
    public IModel Model { get; init; } = ModelCatalog.Ising2D;
    /// <summary>
    /// The model's parameters that the flow records (flow.json, after <c>model</c>): name → value, e.g. the Potts
    /// model's <c>q</c>; the starting samples must carry each as an attribute of that value. Empty by default.
    /// </summary>
    public IReadOnlyDictionary<string, long> ModelParameters { get; init; } = new Dictionary<string, long>();
    /// <summary>The thermometer to read with, when not the model's own (e.g. the model's with a calibration cache, <see cref="IThermometer.With"/>).</summary>
    public IThermometer? Thermometer { get; init; }
    /// <summary>
    /// The starting temperature at which MCRG runs (one of the flow's, to a relative 10⁻⁹); null: the starting
    /// temperature nearest the flow's T_c estimate. Swendsen's linearised RG is meant at the critical point, where a
    /// study may give more configurations than at the other temperatures (docs/algorithm.md, "MCRG at a chosen
    /// temperature").
    /// </summary>
    public double? McrgTemperature { get; init; }

    /// <summary>The thermometer the flow reads with.</summary>
    internal IThermometer ThermometerToUse => Thermometer ?? Model.Thermometer!;
    /// <summary>The operators of the flow's model.</summary>
    internal IRgOperators Operators => Model.RgOperators!;

    /// <summary>Throws <see cref="RsmiInputException"/> for out-of-range settings.</summary>
    public void Validate()
    {
        Require.That(Model.RgOperators is not null && (Thermometer ?? Model.Thermometer) is not null,
            $"the RG flow needs a model with a thermometer and MCRG operators, and {Model.Name} has {(Model.RgOperators is null ? "no MCRG operators" : "no thermometer")}.");
        Require.Positive(Steps, RsmiInputException.Option("steps"));
        Require.That(Block >= 2, $"{RsmiInputException.Option("block")} must be at least 2, got {Block}.");
        Require.That(JackknifeBlocks >= 2, $"the number of jackknife blocks must be at least 2, got {JackknifeBlocks}.");
        int even = Model.RgOperators!.EvenNames.Count;
        Require.That(McrgOperators >= 1 && McrgOperators <= even, $"the number of MCRG operators must be between 1 and {even}, got {McrgOperators}.");
        Require.That(McrgTemperature is null || McrgTemperature > 0 && double.IsFinite(McrgTemperature.Value),
            $"{RsmiInputException.Option("mcrg-temperature")} must be a positive temperature, got {McrgTemperature}.");
    }

    /// <summary>The index of the first of <paramref name="temperatures"/> equal to <paramref name="t"/> to a relative 10⁻⁹, or −1.</summary>
    public static int IndexOfTemperature(IReadOnlyList<double> temperatures, double t)
    {
        for (int i = 0; i < temperatures.Count; i++) if (Math.Abs(temperatures[i] - t) <= 1e-9 * t) return i;
        return -1;
    }

    /// <summary>
    /// The index in <paramref name="temperatures"/> of <see cref="McrgTemperature"/> (equal to a relative 10⁻⁹), or −1
    /// when it is not set; throws <see cref="RsmiInputException"/> when it is set and none matches.
    /// </summary>
    public int McrgIndex(IReadOnlyList<double> temperatures)
    {
        if (McrgTemperature is not double t) return -1;
        int i = IndexOfTemperature(temperatures, t);
        if (i >= 0) return i;
        throw new RsmiInputException($"{RsmiInputException.Option("mcrg-temperature")} {t.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} is not one of the starting temperatures " +
            $"({string.Join(", ", temperatures.Select(x => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}); MCRG runs on the samples of one of them.");
    }
}

/// <summary>One RG step of one flow: the lattice after k coarse-grainings and what was measured on it.</summary>
/// <param name="Step">k (0: the unrenormalised lattice).</param>
/// <param name="Thermometry">Correlations, correlation length and temperatures read at this step.</param>
/// <param name="MutualInformation">I_Λ(H:E) of the filters that produced this step in bits with its standard error (NaN
/// when unknown); null at step 0 and for fixed rules.</param>
/// <param name="Filters">The filters that produced this step and their biases (learned rules only).</param>
/// <param name="LearnedBias">The biases the learner found when the rule uses others (Z2 projection).</param>
/// <param name="Signal">Whether the rule learned at this step had a signal (<see cref="LearnedRule.Signal"/>; null at step 0 and for fixed rules).</param>
/// <param name="RuleSource">Where the rule applied at this step came from, one of <see cref="RuleSources"/> (null at step 0).</param>
/// <param name="RuleStep">The step whose learned rule was applied when it is an earlier one (<see cref="RuleSources.PreviousStep"/>).</param>
public sealed record FlowStep(int Step, Thermometry Thermometry, Estimate? MutualInformation, FilterParameters? Filters,
    double[]? LearnedBias = null, bool? Signal = null, string? RuleSource = null, int? RuleStep = null)
{
    /// <summary>The effective couplings of this step's configurations (<see cref="Renormalization.EffectiveCouplings"/>; null on lattices below 4 × 4).</summary>
    public EffectiveCouplingResult? EffectiveCouplings { get; init; }
}

/// <summary>
/// What one block rule did to one temperature's starting samples: the even and odd MCRG operators and the effective
/// couplings at every level, and, when a second lattice of side L/b is matched, its even operators after 0 … K − 1
/// steps of the same rules.
/// </summary>
internal sealed record RuleChain
{
    /// <summary>The rule's name.</summary>
    public required string Rule { get; init; }
    /// <summary>Side of each level 0 … K.</summary>
    public required int[] Sizes { get; init; }
    /// <summary>Configurations of the starting lattice.</summary>
    public required int Samples { get; init; }
    /// <summary>Even-operator values (count × operators) per level.</summary>
    public required double[][] Even { get; init; }
    /// <summary>Odd-operator values ((count × <see cref="OddComponents"/>) × odd operators of the model) per level.</summary>
    public required double[][] Odd { get; init; }
    /// <summary>Rows of <see cref="Odd"/> per configuration: the components of the order parameter (1 for Ising spins, q for Potts labels).</summary>
    public int OddComponents { get; init; } = 1;
    /// <summary>Effective couplings per level (null below 4 × 4).</summary>
    public required EffectiveCouplingResult?[] Couplings { get; init; }
    /// <summary>Even-operator values of the L/b lattice after 0 … K − 1 steps (null without one).</summary>
    public double[][]? MatchEven { get; init; }
}

/// <summary>The flow from one starting temperature, with the MCRG operator measurements of its levels.</summary>
public sealed class TemperatureFlow
{
    /// <summary>Starting temperature T_0.</summary>
    public required double Temperature { get; init; }
    /// <summary>Steps 0..K.</summary>
    public required IReadOnlyList<FlowStep> Steps { get; init; }
    /// <summary>Number of configurations.</summary>
    public required int Samples { get; init; }
    /// <summary>Configurations of the L/b lattice matched to this one (0: none).</summary>
    public int MatchSamples { get; init; }
    /// <summary>The flow's own rule (first), majority-rule blocking of the same samples, then the comparison rules.</summary>
    internal IReadOnlyList<RuleChain> Chains { get; init; } = [];
}

/// <summary>What one block rule gives at the end of a flow study, on the same samples as the others.</summary>
public sealed class RuleEstimates
{
    /// <summary>The rule's name.</summary>
    public required string Rule { get; init; }
    /// <summary>T_c from two-lattice matching (nearest-neighbour operator) after <see cref="TcTwoLatticeStep"/> steps.</summary>
    public required Estimate TcTwoLattice { get; init; }
    /// <summary>
    /// The step k* of <see cref="TcTwoLattice"/>: the last whose matched lattices are at least
    /// <see cref="TwoLatticeMatching.SmallestMatchedSize"/> wide (K when none is).
    /// </summary>
    public required int TcTwoLatticeStep { get; init; }
    /// <summary>T_c from two-lattice matching after k = 1 … K steps.</summary>
    public required Estimate[] TcTwoLatticeByStep { get; init; }
    /// <summary>T_c from two-lattice matching after <see cref="TcTwoLatticeStep"/> steps with each usable even operator (in the order of <see cref="Rsmi.Models.Ising.EvenOperators"/>).</summary>
    public required Estimate[] TcTwoLatticeByOperator { get; init; }
    /// <summary>MCRG (even and odd sectors) at the MCRG temperature.</summary>
    public required McrgResult? Mcrg { get; init; }
    /// <summary>Effective couplings at every level 0 … K at the MCRG temperature (null below 4 × 4).</summary>
    public required EffectiveCouplingResult?[] Couplings { get; init; }
    /// <summary>Side of each level 0 … K.</summary>
    public required int[] Sizes { get; init; }
}

/// <summary>T_c and ν from a set of flows, with error bars.</summary>
public sealed class FlowEstimates
{
    /// <summary>T_c where T_eff after K steps equals the starting temperature (linear interpolation between neighbouring T_0).</summary>
    public required Estimate CriticalTemperature { get; init; }
    /// <summary>ν from the linearised flow: log_b of the slope dT_eff^(k)/dT_0 at T_c grows as k/ν.</summary>
    public required Estimate NuFlow { get; init; }
    /// <summary>ν from the data collapse of T_eff^(k)(T_0) against (T_0/T_c − 1)·b^{k/ν}, k ≥ 1.</summary>
    public required Estimate NuCollapse { get; init; }
    /// <summary>ν from Swendsen's MCRG with the flow's own rule, at the starting temperature nearest T_c.</summary>
    public required Estimate NuMcrg { get; init; }
    /// <summary>ν from majority-rule MCRG on the same samples.</summary>
    public required Estimate NuMcrgMajority { get; init; }
    /// <summary>T_c from T_eff^(k) = T_0 for each k = 1..K (Kaufman thermometer, statistical errors).</summary>
    public required Estimate[] CriticalTemperatureByStep { get; init; }
    /// <summary>T_c from T_eff^(k) = T_eff^(k−1), k = 1..K (stationary flow).</summary>
    public required Estimate[] StationaryCrossingByStep { get; init; }
    /// <summary>T_c, ν_flow and ν_collapse with each thermometer (Kaufman, Onsager, McCoy–Wu): the spread enters the errors.</summary>
    public required double[][] ByThermometer { get; init; }
    /// <summary>The starting temperature at which the MCRG estimates were made.</summary>
    public required double McrgTemperature { get; init; }
    /// <summary>MCRG with the flow's rule, level by level.</summary>
    public required McrgResult? Mcrg { get; init; }
    /// <summary>MCRG with majority rule, level by level.</summary>
    public required McrgResult? McrgMajority { get; init; }
    /// <summary>y_h from the odd sector of the MCRG with the flow's rule (averaged over its combined levels).</summary>
    public Estimate Yh { get; init; } = Statistics.Estimate.Undefined;
    /// <summary>η = d + 2 − 2y_h from it.</summary>
    public Estimate Eta { get; init; } = Statistics.Estimate.Undefined;
    /// <summary>T_c from two-lattice matching with the flow's rule (<see cref="RuleEstimates.TcTwoLattice"/>; undefined without a matched lattice).</summary>
    public Estimate TcTwoLattice { get; init; } = Statistics.Estimate.Undefined;
    /// <summary>The same after k = 1 … K steps.</summary>
    public Estimate[] TcTwoLatticeByStep { get; init; } = [];
    /// <summary>The limit k → ∞ of <see cref="CriticalTemperatureByStep"/>, T_k = T_∞ + a λ^k (<see cref="TwoLatticeMatching.Extrapolate"/>).</summary>
    public Estimate CriticalTemperatureExtrapolated { get; init; } = Statistics.Estimate.Undefined;
    /// <summary>Every rule on the same samples: the flow's own, majority, then the comparison rules.</summary>
    public IReadOnlyList<RuleEstimates> Rules { get; init; } = [];
    /// <summary>The estimates after each step k = 1 … K (<see cref="StepEstimates"/>).</summary>
    public IReadOnlyList<StepEstimates> ByStep { get; init; } = [];
}

/// <summary>
/// What the flow estimates after step k: T_c where T_eff^(k)(T_0) = T_0 (jackknife error and the spread of the
/// thermometer's readings in quadrature, as for <see cref="FlowEstimates.CriticalTemperature"/>), and ν and y_h of the
/// linearised RG between levels k − 1 and k (<see cref="McrgLevel"/>) with the flow's rule and with the majority rule,
/// at <see cref="FlowEstimates.McrgTemperature"/>.
/// </summary>
/// <param name="Step">k.</param>
/// <param name="Size">Linear size of the flow's lattice after k steps; null past the flow's last step (an MCRG lattice
/// of its own, <see cref="McrgLattice"/>, may be blocked more times).</param>
/// <param name="Tc">T_c from the crossing after k steps.</param>
/// <param name="Nu">ν of level k − 1 → k, the flow's rule.</param>
/// <param name="NuMajority">ν of level k − 1 → k, the majority (plurality) rule.</param>
/// <param name="Yh">y_h of level k − 1 → k, the flow's rule.</param>
/// <param name="YhMajority">y_h of level k − 1 → k, the majority (plurality) rule.</param>
/// <param name="McrgSize">Linear size of the lattice that MCRG read after k steps: <paramref name="Size"/>, or that of
/// the MCRG lattice of its own.</param>
public sealed record StepEstimates(int Step, int? Size, Estimate Tc, Estimate Nu, Estimate NuMajority, Estimate Yh, Estimate YhMajority, int McrgSize);

/// <summary>A finished RG flow study.</summary>
public sealed class FlowResult
{
    /// <summary>Model name (<see cref="FlowOptions.Model"/>).</summary>
    public required string Model { get; init; }
    /// <summary>The model's recorded parameters (<see cref="FlowOptions.ModelParameters"/>; the Potts model's q).</summary>
    public IReadOnlyDictionary<string, long> ModelParameters { get; init; } = new Dictionary<string, long>();
    /// <summary>The model's exact critical values for these parameters (<see cref="IModel.Critical"/>), or null.</summary>
    public CriticalValues? Critical { get; init; }
    /// <summary>Lattice dimension of the model (<see cref="IModel.Dimension"/>).</summary>
    public int Dimension { get; init; } = 2;
    /// <summary>The model's operators, whose names flow.json gives to the MCRG and matching results.</summary>
    public IRgOperators Operators { get; init; } = Rsmi.Models.Ising.IsingSquareOperators.Instance;
    /// <summary>Linear size of the starting lattices.</summary>
    public required int Size { get; init; }
    /// <summary>K.</summary>
    public required int Steps { get; init; }
    /// <summary>b.</summary>
    public required int Block { get; init; }
    /// <summary>Estimator name.</summary>
    public required string Estimator { get; init; }
    /// <summary>Buffer L_B of the learning windows (null for fixed rules).</summary>
    public int? Buffer { get; init; }
    /// <summary>Environment L_E of the learning windows (null for fixed rules).</summary>
    public int? Environment { get; init; }
    /// <summary>The estimator's effective options (<see cref="IRuleEstimator.Options"/>).</summary>
    public IReadOnlyDictionary<string, object?> EstimatorOptions { get; init; } = RuleSources.NoOptions;
    /// <summary>Seed.</summary>
    public required ulong Seed { get; init; }
    /// <summary>One flow per starting temperature, in increasing T_0.</summary>
    public required IReadOnlyList<TemperatureFlow> Flows { get; init; }
    /// <summary>T_c and ν.</summary>
    public required FlowEstimates Estimates { get; init; }
    /// <summary>The MCRG lattice of its own whose configurations gave the MCRG estimates, or null when they came from
    /// the flow's samples at the MCRG temperature.</summary>
    public McrgLattice? McrgLattice { get; init; }
}

/// <summary>
/// The iterated RSMI renormalization group (Koch-Janusz &amp; Ringel 2018, Fig. 5; docs/algorithm.md, "The RG flow"): for every
/// starting temperature, learn a rule on the current samples, coarse-grain, read the effective temperature, repeat
/// K times; then estimate T_c and ν from the flows and by Swendsen's MCRG.
/// </summary>
public static partial class RgFlow
{
    /// <summary>
    /// Runs the flows. <paramref name="samplesAt"/>(i, T_i) supplies the starting configurations for temperature i
    /// (2D Ising, square, side divisible by b^K, all of the same size); they are released after use, so the
    /// temperatures are processed one at a time in memory. <paramref name="notice"/> receives one sentence for every
    /// step that does not apply the rule learned at that step (<see cref="RuleSources"/>). Besides the flow's own
    /// rule, the same starting samples are blocked by the majority rule and by every rule of
    /// <paramref name="compare"/> (learned ones learn afresh at every step; a name already present is skipped), for
    /// MCRG, effective couplings and two-lattice matching rule by rule. <paramref name="matchSamplesAt"/>(i, T_i),
    /// when given, supplies configurations of side L/b at the same temperatures, coarse-grained K − 1 times by the
    /// rules applied at steps 1 … K − 1 of the large lattice, for two-lattice matching (<see cref="TwoLatticeMatching"/>).
    /// </summary>
    public static FlowResult Run(IReadOnlyList<double> temperatures, Func<int, double, SampleSet> samplesAt, IRuleEstimator estimator,
        FlowOptions options, IProgressReporter? progress = null, Action<string>? notice = null,
        IReadOnlyList<IRuleEstimator>? compare = null, Func<int, double, SampleSet>? matchSamplesAt = null, McrgLattice? mcrgLattice = null)
    {
        options.Validate();
        progress ??= NullProgress.Instance;
        Require.That(temperatures.Count >= 1, "at least one starting temperature is needed.");
        foreach (double t in temperatures) Require.Positive(t, "every starting temperature");
        Require.That(temperatures.Distinct().Count() == temperatures.Count, "the starting temperatures must be distinct.");
        options.McrgIndex(temperatures);
        var others = Others(estimator, compare);
        var order = Enumerable.Range(0, temperatures.Count).OrderBy(i => temperatures[i]).ToArray();
        var flows = new TemperatureFlow[temperatures.Count];
        int size = 0;
        for (int oi = 0; oi < order.Length; oi++)
        {
            int i = order[oi];
            double t0 = temperatures[i];
            var samples = samplesAt(i, t0);
            ValidateSamples(samples, options, $"the samples at T = {t0}");
            if (oi == 0) size = samples.Lx;
            Require.That(samples.Lx == size, $"all starting lattices must have the same size; got {samples.Lx} at T = {t0} and {size} before.");
            long reduction = (long)Math.Pow(options.Block, options.Steps);
            Require.That(size % reduction == 0 && size / reduction >= 2,
                $"{options.Steps} steps of {options.Block}x{options.Block} blocks need a lattice side divisible by {reduction} and at least {2 * reduction}, got {size}.");
            if (oi == 0)
            {
                CheckWindowFits(size, options, estimator);
                foreach (var c in others) CheckWindowFits(size, options, c);
            }
            Require.That(samples.Count >= options.JackknifeBlocks, $"{samples.Count} configurations at T = {t0} are fewer than the {options.JackknifeBlocks} jackknife blocks.");
            SampleSet? match = null;
            if (matchSamplesAt is not null)
            {
                match = matchSamplesAt(i, t0);
                ValidateSamples(match, options, $"the matched samples at T = {t0}");
                Require.That(match.Lx == size / options.Block,
                    $"two-lattice matching needs lattices of side {size / options.Block} (L/b) beside those of side {size}; got {match.Lx} at T = {t0}.");
                Require.That(match.Count >= options.JackknifeBlocks, $"{match.Count} matched configurations at T = {t0} are fewer than the {options.JackknifeBlocks} jackknife blocks.");
            }
            flows[oi] = RunOne(oi, order.Length, t0, samples, match, estimator, others, options, progress, notice);
        }
        return Assemble(flows, estimator, options, mcrgLattice);
    }

    /// <summary>
    /// The flow from one starting temperature alone: the flow that <see cref="Run"/> computes for the temperature of
    /// rank <paramref name="rank"/> (0-based, in increasing T_0) among <paramref name="count"/>, bit for bit, since its
    /// learning and coarse-graining streams derive from <see cref="FlowOptions.Seed"/>, the rank and the step only.
    /// The flows of every rank, run anywhere and in any order, give <see cref="Run"/>'s result through
    /// <see cref="Assemble"/>.
    /// </summary>
    /// <remarks><paramref name="compare"/> and <paramref name="match"/> (the L/b lattice at <paramref name="t0"/>) are
    /// <see cref="Run"/>'s comparison rules and matched samples at this temperature.</remarks>
    public static TemperatureFlow RunTemperature(int rank, int count, double t0, SampleSet samples, IRuleEstimator estimator, FlowOptions options,
        IProgressReporter? progress = null, Action<string>? notice = null, IReadOnlyList<IRuleEstimator>? compare = null, SampleSet? match = null)
    {
        options.Validate();
        progress ??= NullProgress.Instance;
        Require.That(count >= 1 && rank >= 0 && rank < count, $"the rank {rank} of a starting temperature must lie between 0 and {count - 1}.");
        Require.Positive(t0, "every starting temperature");
        ValidateSamples(samples, options, $"the samples at T = {t0}");
        int size = samples.Lx;
        long reduction = (long)Math.Pow(options.Block, options.Steps);
        Require.That(size % reduction == 0 && size / reduction >= 2,
            $"{options.Steps} steps of {options.Block}x{options.Block} blocks need a lattice side divisible by {reduction} and at least {2 * reduction}, got {size}.");
        var others = Others(estimator, compare);
        CheckWindowFits(size, options, estimator);
        foreach (var c in others) CheckWindowFits(size, options, c);
        Require.That(samples.Count >= options.JackknifeBlocks, $"{samples.Count} configurations at T = {t0} are fewer than the {options.JackknifeBlocks} jackknife blocks.");
        if (match is not null)
        {
            ValidateSamples(match, options, $"the matched samples at T = {t0}");
            Require.That(match.Lx == size / options.Block,
                $"two-lattice matching needs lattices of side {size / options.Block} (L/b) beside those of side {size}; got {match.Lx} at T = {t0}.");
            Require.That(match.Count >= options.JackknifeBlocks, $"{match.Count} matched configurations at T = {t0} are fewer than the {options.JackknifeBlocks} jackknife blocks.");
        }
        return RunOne(rank, count, t0, samples, match, estimator, others, options, progress, notice);
    }

    /// <summary>
    /// Checks that <paramref name="samples"/> can start a flow of <paramref name="options"/>: the thermometer reads them
    /// and they carry the model's recorded parameters (<see cref="FlowOptions.ModelParameters"/>).
    /// </summary>
    private static void ValidateSamples(SampleSet samples, FlowOptions options, string what)
    {
        options.ThermometerToUse.Validate(samples, what);
        foreach (var (name, value) in options.ModelParameters)
            Require.That(samples.Metadata.GetLong(name) == value,
                $"the flow is of {options.Model.Name} with {name} = {value}, but {what} have {name} = {samples.Metadata.GetLong(name)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.");
    }

    /// <summary>The name of the majority baseline on <paramref name="samples"/>: <c>plurality</c> on q-state labels, where
    /// the majority rule takes the most frequent label (<see cref="PluralityBlockRule"/>), <c>majority</c> otherwise.</summary>
    internal static string BaselineName(SampleSet samples) => samples.States() is PottsLabels ? "plurality" : FixedRuleEstimator.Majority.Name;

    /// <summary>The comparison rules that add something: not the flow's own rule, not majority (always run), no name twice.</summary>
    private static List<IRuleEstimator> Others(IRuleEstimator estimator, IReadOnlyList<IRuleEstimator>? compare)
    {
        var others = new List<IRuleEstimator>();
        foreach (var c in compare ?? [])
            if (c.Name != estimator.Name && c.Name != FixedRuleEstimator.Majority.Name && others.All(o => o.Name != c.Name)) others.Add(c);
        return others;
    }

    /// <summary>
    /// The result of a flow study from its flows (one per starting temperature, in increasing T_0, every one from the
    /// same lattice size): T_c and ν estimated as <see cref="Run"/> estimates them. With <paramref name="mcrgLattice"/>
    /// (<see cref="RunMcrgLattice"/>, at <see cref="FlowOptions.McrgTemperature"/>), the MCRG estimates of the flow's
    /// rule and of the majority rule are those of that lattice, and the table by step runs to its last step.
    /// </summary>
    public static FlowResult Assemble(IReadOnlyList<TemperatureFlow> flows, IRuleEstimator estimator, FlowOptions options, McrgLattice? mcrgLattice = null)
    {
        options.Validate();
        Require.That(flows.Count >= 1, "at least one starting temperature is needed.");
        for (int i = 1; i < flows.Count; i++)
            Require.That(flows[i].Temperature > flows[i - 1].Temperature, "the flows must be in increasing, distinct starting temperatures.");
        int size = flows[0].Steps[0].Thermometry.Size;
        foreach (var f in flows)
        {
            Require.That(f.Steps.Count == options.Steps + 1, $"the flow from T = {f.Temperature} has {f.Steps.Count - 1} steps, not {options.Steps}.");
            Require.That(f.Steps[0].Thermometry.Size == size, $"all starting lattices must have the same size; got {f.Steps[0].Thermometry.Size} at T = {f.Temperature} and {size} before.");
        }
        var array = flows.ToArray();
        int mcrgAt = options.McrgIndex(array.Select(f => f.Temperature).ToArray());
        if (mcrgLattice is not null)
        {
            Require.That(mcrgAt >= 0 && FlowOptions.IndexOfTemperature([mcrgLattice.Temperature], array[mcrgAt].Temperature) == 0,
                $"an MCRG lattice of its own must be at the flow's MCRG temperature ({RsmiInputException.Option("mcrg-temperature")}); it is at T = {mcrgLattice.Temperature}.");
            Require.That(mcrgLattice.Chains[0].Rule == array[mcrgAt].Chains[0].Rule, $"the MCRG lattice was blocked by the {mcrgLattice.Chains[0].Rule} rule, the flow by {array[mcrgAt].Chains[0].Rule}.");
        }
        var estimates = Estimate(array, estimator.Name, options, mcrgLattice);
        return new FlowResult
        {
            Model = options.Model.Name, ModelParameters = options.ModelParameters, Critical = options.Model.Critical(ParameterMetadata(options)), Operators = options.Operators,
            Dimension = options.Model.Dimension,
            Size = size, Steps = options.Steps, Block = options.Block, Estimator = estimator.Name, Seed = options.Seed,
            Buffer = estimator.Buffer, Environment = estimator.Environment, EstimatorOptions = estimator.Options,
            Flows = array, Estimates = estimates, McrgLattice = mcrgLattice,
        };
    }

    /// <summary>Sample metadata holding the model's recorded parameters (for <see cref="IModel.Critical"/>).</summary>
    private static SampleMetadata ParameterMetadata(FlowOptions options)
    {
        var metadata = new SampleMetadata { Model = options.Model.Name };
        foreach (var (name, value) in options.ModelParameters) metadata.Set(name, value);
        return metadata;
    }

    /// <summary>
    /// Throws <see cref="RsmiInputException"/> when the learning window of <paramref name="estimator"/> (block b, its
    /// buffer and environment) is wider than the lattice of the last step it learns on, L/b^(K−1).
    /// </summary>
    public static void CheckWindowFits(int size, FlowOptions options, IRuleEstimator estimator)
    {
        if (estimator.Buffer is not int buffer || estimator.Environment is not int environment) return;
        long last = size / (long)Math.Pow(options.Block, options.Steps - 1);
        int extent = options.Block + 2 * (buffer + environment);
        Require.That(extent <= last,
            $"the learning window (block {options.Block}, buffer {buffer}, environment {environment}) spans {extent} sites, more than the {last}x{last} lattice that step {options.Steps} learns on; use a smaller buffer or environment, fewer steps or a larger lattice.");
    }

    internal static ulong DerivedSeed(ulong seed, int temperature, int step, string purpose)
    {
        var rng = RandomStreams.Create(seed, (ulong)(temperature * 1000 + step), "flow-" + purpose);
        return rng.NextUInt64();
    }

    private static TemperatureFlow RunOne(int index, int total, double t0, SampleSet samples, SampleSet? match, IRuleEstimator estimator,
        IReadOnlyList<IRuleEstimator> others, FlowOptions options, IProgressReporter progress, Action<string>? notice)
    {
        int k = options.Steps;
        string stage = $"flow T={t0:G6}";
        var majority = new MajorityRule(options.Block);
        // Majority-rule blocking of the same samples (and of the matched lattice), for the baseline MCRG: the plurality
        // rule on q-state labels.
        var majorityChain = Block(samples, match, BaselineName(samples), options, (level, m) => majority,
            (step, set) => majority.CoarseGrain(set, DerivedSeed(options.Seed, index, step, "majority"), options.MaxThreads),
            (step, set) => majority.CoarseGrain(set, DerivedSeed(options.Seed, index, step, "match-majority"), options.MaxThreads), null);

        var steps = new List<FlowStep>();
        // Every rule starts from the same configurations, whose operators are measured once (for the majority rule).
        var chain = Learned(index, t0, samples, match, estimator, "", options, progress, stage, total, notice, steps, start: majorityChain);
        var chains = new List<RuleChain> { chain, majorityChain };
        foreach (var other in others)
        {
            progress.Report(stage, (index + 1.0) / total, $"comparison rule {other.Name}");
            chains.Add(Learned(index, t0, samples, match, other, "compare-" + other.Name + "-", options, progress, stage, total, null, null, start: majorityChain));
        }
        progress.Report(stage, (index + 1.0) / total, $"T_eff after {k} steps = {steps[^1].Thermometry.PrimaryTemperature.Format("G6", "G2")}");
        return new TemperatureFlow { Temperature = t0, Steps = steps, Samples = samples.Count, MatchSamples = match?.Count ?? 0, Chains = chains };
    }

    /// <summary>
    /// The flow of one rule estimator from <paramref name="samples"/>: a rule learned at every step (one without a
    /// signal replaced by the last one with a signal, or by the majority rule), applied to the samples and, for steps
    /// 1 … K − 1, to the matched lattice. With <paramref name="steps"/> the thermometer readings and the learning
    /// records of every step are collected (the flow's own rule); seeds are derived with <paramref name="purpose"/>
    /// as a prefix, empty for the flow's own rule.
    /// </summary>
    /// <remarks>Without <paramref name="read"/> the records carry no thermometer readings (a lattice read by MCRG
    /// alone); <paramref name="applied"/>, when given (K + 1 long), receives the rule applied at every step 1 … K;
    /// <paramref name="start"/> is <see cref="Block"/>'s.</remarks>
    private static RuleChain Learned(int index, double t0, SampleSet samples, SampleSet? match, IRuleEstimator estimator, string purpose, FlowOptions options,
        IProgressReporter progress, string stage, int total, Action<string>? notice, List<FlowStep>? steps, bool read = true, ICoarseGrainingRule[]? applied = null,
        RuleChain? start = null)
    {
        int k = options.Steps;
        var majority = new MajorityRule(options.Block);
        bool isFixed = estimator is FixedRuleEstimator;
        ICoarseGrainingRule? lastSignal = null;
        double[]? lastSignalBias = null;
        int lastSignalStep = 0;
        applied ??= new ICoarseGrainingRule[k + 1];
        var thermometer = options.ThermometerToUse;
        steps?.Add(new FlowStep(0, read ? thermometer.Read(samples, options.JackknifeBlocks) : null!, null, null, null, null));
        string name = estimator == FixedRuleEstimator.Majority ? BaselineName(samples) : estimator.Name;
        return Block(samples, match, name, options, (step, current) =>
        {
            progress.Report(stage, (index + (step - 1.0) / k) / total, $"learning step {step} of {k} ({estimator.Name})");
            var learned = estimator.Learn(current, options.Block, DerivedSeed(options.Seed, index, step, purpose + "learn"), new StageProgress(progress, $"T={t0:G6} step {step}: "));
            Require.That(learned.Rule.BlockX == options.Block && learned.Rule.BlockY == options.Block && learned.Rule.Hidden == 1,
                $"the {estimator.Name} rule must map {options.Block}x{options.Block} blocks to one spin, got {learned.Rule.BlockX}x{learned.Rule.BlockY} blocks and {learned.Rule.Hidden} spins.");
            // A learned rule without a signal is never applied (RuleSources): the last rule of this flow that had one
            // is, or the majority rule when there is none yet.
            ICoarseGrainingRule rule = learned.Rule;
            string source = isFixed ? RuleSources.Fixed : RuleSources.Learned;
            int? ruleStep = null;
            if (learned.Signal == false)
            {
                string estimate = learned.MutualInformation is Estimate mi
                    ? FormattableString.Invariant($"I(H:E) = {mi.Value:F4}{(double.IsNaN(mi.Error) ? "" : FormattableString.Invariant($" ± {mi.Error:F4}"))} bits")
                    : "its estimate";
                string head = $"T = {t0:G6}, step {step}: the {estimator.Name} rule learned here has no signal ({estimate} is consistent with zero); ";
                if (lastSignal is not null)
                {
                    rule = lastSignal; source = RuleSources.PreviousStep; ruleStep = lastSignalStep;
                    notice?.Invoke(head + $"coarse-graining with the rule learned at step {lastSignalStep} instead.");
                }
                else
                {
                    rule = majority; source = RuleSources.MajorityFallback;
                    notice?.Invoke(head + "no earlier step of this flow had one, so the majority rule coarse-grains instead.");
                }
            }
            else if (learned.Signal == true)
            {
                lastSignal = learned.Rule;
                lastSignalBias = learned.LearnedBias;
                lastSignalStep = step;
            }
            applied[step] = rule;
            if (steps is not null)
            {
                var filters = rule as LearnedFilterRule;
                steps.Add(new FlowStep(step, default!, learned.MutualInformation,
                    filters?.Filters, source == RuleSources.PreviousStep ? lastSignalBias : filters is null ? null : learned.LearnedBias, learned.Signal, source, ruleStep));
            }
            return rule;
        },
        (step, set) => Coarser(applied[step], set, applied[step].CoarseGrain(set, DerivedSeed(options.Seed, index, step, purpose + "coarse-grain"), options.MaxThreads), options),
        (step, set) => Coarser(applied[step], set, applied[step].CoarseGrain(set, DerivedSeed(options.Seed, index, step, purpose + "match-coarse-grain"), options.MaxThreads), options),
        steps is null || !read ? null : (step, set, couplings) =>
        {
            var thermometry = thermometer.Read(set, options.JackknifeBlocks);
            steps[step] = step == 0 ? steps[0] with { EffectiveCouplings = couplings } : steps[step] with { Thermometry = thermometry, EffectiveCouplings = couplings };
        }, couplings: read, start: start);
    }

    /// <summary>
    /// Blocks <paramref name="samples"/> K times: at step k, <paramref name="ruleAt"/>(k, level k − 1) chooses the
    /// rule, <paramref name="coarsen"/> applies it to the large lattice and <paramref name="coarsenMatch"/> to the
    /// matched one (k ≤ K − 1); operators and couplings are measured at every level, and <paramref name="record"/>
    /// sees every level of the large lattice with its couplings (none without <paramref name="couplings"/>). With
    /// <paramref name="start"/>, a chain of another rule on the same samples, its level-0 operators are taken rather
    /// than measured again.
    /// </summary>
    private static RuleChain Block(SampleSet samples, SampleSet? match, string rule, FlowOptions options,
        Func<int, SampleSet, ICoarseGrainingRule> ruleAt, Func<int, SampleSet, SampleSet> coarsen, Func<int, SampleSet, SampleSet> coarsenMatch,
        Action<int, SampleSet, EffectiveCouplingResult?>? record, bool couplings = true, RuleChain? start = null)
    {
        int k = options.Steps, p = options.McrgOperators;
        var operators = options.Operators;
        int oddCount = operators.OddNames.Count;
        var even = new double[k + 1][];
        var odd = new double[k + 1][];
        var fitted = new EffectiveCouplingResult?[k + 1];
        var sizes = new int[k + 1];
        var matchEven = match is null ? null : new double[k][];
        var current = samples;
        var small = match;
        for (int step = 0; step <= k; step++)
        {
            if (step > 0)
            {
                ruleAt(step, current);
                current = coarsen(step, current);
                if (small is not null && step < k) small = coarsenMatch(step, small);
            }
            sizes[step] = current.Lx;
            even[step] = step == 0 && start is not null ? start.Even[0] : operators.MeasureEven(current, p);
            odd[step] = step == 0 && start is not null ? start.Odd[0] : operators.MeasureOdd(current, oddCount);
            fitted[step] = couplings ? Couplings(current, options) : null;
            if (small is not null && step < k) matchEven![step] = operators.MeasureEven(small, p);
            record?.Invoke(step, current, fitted[step]);
        }
        return new RuleChain
        {
            Rule = rule, Sizes = sizes, Samples = samples.Count, Even = even, Odd = odd, OddComponents = operators.OddComponents(samples),
            Couplings = fitted, MatchEven = matchEven,
        };
    }

    /// <summary>
    /// The configurations that <paramref name="rule"/> made of <paramref name="fine"/>, checked to hold the flow's model
    /// with the same parameters; a learned rule's coarse labels are relabelled to agree best with the labels of their
    /// blocks (<see cref="LabelAlignment"/>), so that the odd operators of successive levels speak of the same colours.
    /// </summary>
    private static SampleSet Coarser(ICoarseGrainingRule rule, SampleSet fine, SampleSet coarse, FlowOptions options)
    {
        if (rule is not LearnedFilterRule learned || coarse.States() is not PottsLabels) return coarse;
        foreach (var (name, value) in options.ModelParameters)
            Require.That(coarse.Metadata.GetLong(name) == value,
                $"the {rule.Name} rule makes coarse configurations with {name} = {coarse.Metadata.GetLong(name)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} of a flow of {options.Model.Name} with {name} = {value}; a learned rule must keep the model (give it as many hidden states as the samples have).");
        return fine.States() is PottsLabels ? LabelAlignment.Align(fine, coarse, learned.BlockX, learned.BlockY) : coarse;
    }

    /// <summary>
    /// The effective couplings (nearest, diagonal, third neighbour, plaquette; the prefix usable on the lattice) of
    /// the first min(N, ⌈<see cref="FlowOptions.CouplingSites"/> / L²⌉) configurations; null below 4 × 4.
    /// </summary>
    private static EffectiveCouplingResult? Couplings(SampleSet set, FlowOptions options)
    {
        if (set.Lx < 4) return null;
        long wanted = (options.CouplingSites + (long)set.Lx * set.Ly - 1) / ((long)set.Lx * set.Ly);
        int count = (int)Math.Min(set.Count, Math.Max(wanted, Math.Min(set.Count, options.JackknifeBlocks)));
        var subset = count == set.Count ? set : set.Slice(0, count);
        return options.Operators.EffectiveCouplings(subset, Math.Min(options.JackknifeBlocks, count));
    }

    /// <summary>
    /// T_c, ν_flow and ν_collapse from a table T_eff[i][k] (temperatures increasing) of a flow with b × b blocks
    /// (<paramref name="block"/> = b); NaN where undefined.
    /// </summary>
    internal static (double Tc, double NuFlow, double NuCollapse) Analyse(double[] t0, double[][] teff, int steps, int block)
    {
        double tc = Crossing(t0, teff.Select(r => r[steps]).ToArray(), t0);
        return (tc, NuFromSlopes(t0, teff, steps, tc, block), NuFromCollapse(t0, teff, steps, tc, block));
    }

    /// <summary>
    /// The T_0 where <paramref name="y"/>(T_0) crosses <paramref name="reference"/>(T_0) from below to above, by linear
    /// interpolation between neighbouring temperatures; the upward crossing nearest the middle of the range when
    /// there are several, NaN when there is none.
    /// </summary>
    internal static double Crossing(double[] t0, double[] y, double[] reference)
    {
        double best = double.NaN, mid = 0.5 * (t0[0] + t0[^1]);
        for (int i = 0; i + 1 < t0.Length; i++)
        {
            double g0 = y[i] - reference[i], g1 = y[i + 1] - reference[i + 1];
            if (!(double.IsFinite(g0) && double.IsFinite(g1)) || !(g0 <= 0 && g1 > 0)) continue;
            double c = t0[i] + (t0[i + 1] - t0[i]) * (-g0) / (g1 - g0);
            if (double.IsNaN(best) || Math.Abs(c - mid) < Math.Abs(best - mid)) best = c;
        }
        return best;
    }

    /// <summary>
    /// ν from the linearised flow δ_{k+1} = b^{1/ν} δ_k (one RG step rescales lengths by the block size b, so the
    /// relevant thermal perturbation grows by b^{y_t}, y_t = 1/ν): the slope s_k = dT_eff^(k)/dT_0 at T_c, from the
    /// quadratic through the three starting temperatures nearest T_c, grows as s_k ∝ b^{k/ν}; 1/ν is the
    /// least-squares slope of log_b s_k = ln s_k / ln b against k = 0..K.
    /// </summary>
    internal static double NuFromSlopes(double[] t0, double[][] teff, int steps, double tc, int block)
    {
        if (!double.IsFinite(tc) || t0.Length < 3) return double.NaN;
        var near = Enumerable.Range(0, t0.Length).OrderBy(i => Math.Abs(t0[i] - tc)).Take(3).OrderBy(i => t0[i]).ToArray();
        var xs = new List<double>(); var ys = new List<double>();
        double lnB = Math.Log(block);
        for (int k = 0; k <= steps; k++)
        {
            double slope = QuadraticDerivative(near.Select(i => t0[i]).ToArray(), near.Select(i => teff[i][k]).ToArray(), tc);
            if (!(slope > 0) || !double.IsFinite(slope)) return double.NaN;
            xs.Add(k); ys.Add(Math.Log(slope) / lnB);
        }
        double inverseNu = LeastSquaresSlope(xs, ys);
        return inverseNu > 0 ? 1 / inverseNu : double.NaN;
    }

    private static double QuadraticDerivative(double[] x, double[] y, double at)
    {
        // Lagrange form of the parabola through three points, differentiated.
        double d = 0;
        for (int i = 0; i < 3; i++)
        {
            int j = (i + 1) % 3, l = (i + 2) % 3;
            d += y[i] * ((at - x[j]) + (at - x[l])) / ((x[i] - x[j]) * (x[i] - x[l]));
        }
        return d;
    }

    private static double LeastSquaresSlope(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < x.Count; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); }
        return sxy / sxx;
    }

    /// <summary>
    /// ν from a data collapse: with t = T_0/T_c − 1, the flows after k ≥ 1 steps of b × b blocks should fall on one
    /// curve T_eff^(k)/T_c = F(t·b^{k/ν}). The cost is the mean squared distance of each point from the linear
    /// interpolation of every other step's curve at the same scaled abscissa (Houdayer &amp; Hartmann, PRB 70,
    /// 014418 (2004), unweighted); ν minimises it (grid scan of 1/ν ∈ [0.25, 2.5], then golden section). Only
    /// points inside the scaling window |T_eff/T_c − 1| ≤ <see cref="ScalingWindow"/> are compared: far from T_c the
    /// coarse lattices are small, the thermometers disagree and corrections to scaling dominate.
    /// </summary>
    /// <summary>Half-width of the scaling window of the data collapse, in units of T_c.</summary>
    public const double ScalingWindow = 0.3;

    internal static double NuFromCollapse(double[] t0, double[][] teff, int steps, double tc, int block)
    {
        if (!double.IsFinite(tc) || steps < 2 || t0.Length < 3) return double.NaN;
        double Cost(double inverseNu)
        {
            double sum = 0; int n = 0;
            for (int k = 1; k <= steps; k++)
            {
                double scale = Math.Pow(block, k * inverseNu);
                for (int i = 0; i < t0.Length; i++)
                {
                    double x = (t0[i] / tc - 1) * scale, y = teff[i][k] / tc;
                    if (!(Math.Abs(y - 1) <= ScalingWindow)) continue;
                    for (int k2 = 1; k2 <= steps; k2++)
                    {
                        if (k2 == k) continue;
                        double scale2 = Math.Pow(block, k2 * inverseNu);
                        for (int j = 0; j + 1 < t0.Length; j++)
                        {
                            double xa = (t0[j] / tc - 1) * scale2, xb = (t0[j + 1] / tc - 1) * scale2;
                            if (x < xa || x > xb) continue;
                            double ya = teff[j][k2] / tc, yb = teff[j + 1][k2] / tc;
                            double yi = ya + (yb - ya) * (x - xa) / (xb - xa);
                            if (double.IsFinite(yi) && double.IsFinite(y)) { sum += (y - yi) * (y - yi); n++; }
                            break;
                        }
                    }
                }
            }
            return n >= 3 ? sum / n : double.PositiveInfinity;
        }
        const double lo = 0.25, hi = 2.5;
        const int grid = 226;
        int best = -1; double bestCost = double.PositiveInfinity;
        for (int g = 0; g < grid; g++)
        {
            double c = Cost(lo + (hi - lo) * g / (grid - 1));
            if (c < bestCost) { bestCost = c; best = g; }
        }
        if (best < 0) return double.NaN;
        double h = (hi - lo) / (grid - 1);
        double a = Math.Max(lo, lo + (best - 1) * h), b = Math.Min(hi, lo + (best + 1) * h);
        double phi = (Math.Sqrt(5) - 1) / 2;
        double x1 = b - phi * (b - a), x2 = a + phi * (b - a), f1 = Cost(x1), f2 = Cost(x2);
        for (int it = 0; it < 40; it++)
        {
            if (f1 < f2) { b = x2; x2 = x1; f2 = f1; x1 = b - phi * (b - a); f1 = Cost(x1); }
            else { a = x1; x1 = x2; f1 = f2; x2 = a + phi * (b - a); f2 = Cost(x2); }
        }
        double inv = 0.5 * (a + b);
        return inv > lo + 1e-9 && inv < hi - 1e-9 ? 1 / inv : double.NaN;
    }

    private static FlowEstimates Estimate(TemperatureFlow[] flows, string ruleName, FlowOptions options, McrgLattice? lattice)
    {
        int steps = options.Steps;
        double[] t0 = flows.Select(f => f.Temperature).ToArray();
        int thermometers = flows[0].Steps[0].Thermometry.Temperatures.Length;
        // Values with each thermometer.
        double[][] Table(int th, Func<int, int, double?>? replace = null) =>
            flows.Select((f, i) => f.Steps.Select((s, k) => replace?.Invoke(i, k) ?? Reading(s.Thermometry, th)).ToArray()).ToArray();
        var byThermometer = new double[thermometers][];
        for (int th = 0; th < thermometers; th++)
        {
            var (tc, nuF, nuC) = Analyse(t0, Table(th), steps, options.Block);
            byThermometer[th] = [tc, nuF, nuC];
        }
        // Jackknife over the configurations of each temperature in turn (the temperatures are independent):
        // var = Σ_i (B−1)/B Σ_b (θ_{i,b} − θ̄_i)², with the Kaufman thermometer.
        var variance = new double[3];
        for (int i = 0; i < flows.Length; i++)
        {
            int blocks = flows[i].Steps[0].Thermometry.Replicates[Primary].Length;
            var reps = new double[blocks][];
            int ii = i;
            Parallel.For(0, blocks, b =>
            {
                var (tc, nuF, nuC) = Analyse(t0, Table(Primary, (row, k) => row == ii ? flows[ii].Steps[k].Thermometry.Replicates[Primary][b] : null), steps, options.Block);
                reps[b] = [tc, nuF, nuC];
            });
            for (int q = 0; q < 3; q++) variance[q] += JackknifeVariance(reps.Select(r => r[q]).ToArray());
        }
        Estimate Combine(int q)
        {
            double value = byThermometer[Primary][q];
            var finite = byThermometer.Select(v => v[q]).Where(double.IsFinite).ToArray();
            double spread = finite.Length >= 2 ? 0.5 * (finite.Max() - finite.Min()) : 0;
            return double.IsFinite(value) ? new Statistics.Estimate(value, Math.Sqrt(variance[q] + spread * spread)) : Statistics.Estimate.Undefined;
        }
        var tcEstimate = Combine(0);

        // T_c from each step, and from stationarity, with statistical errors.
        var kaufman = Table(Primary);
        Estimate CrossingEstimate(Func<double[][], double> f)
        {
            double value = f(kaufman), var = 0;
            for (int i = 0; i < flows.Length; i++)
            {
                var reps = flows[i].Steps[0].Thermometry.Replicates[Primary].Select((_, b) =>
                    f(Table(Primary, (row, k) => row == i ? flows[i].Steps[k].Thermometry.Replicates[Primary][b] : null))).ToArray();
                var += JackknifeVariance(reps);
            }
            return double.IsFinite(value) ? new Statistics.Estimate(value, Math.Sqrt(var)) : Statistics.Estimate.Undefined;
        }
        var byStep = Enumerable.Range(1, steps).Select(k => CrossingEstimate(tab => Crossing(t0, tab.Select(r => r[k]).ToArray(), t0))).ToArray();
        var stationary = Enumerable.Range(1, steps).Select(k => CrossingEstimate(tab => Crossing(t0, tab.Select(r => r[k]).ToArray(), tab.Select(r => r[k - 1]).ToArray()))).ToArray();

        // T_c read after each step, extrapolated in the step number.
        var ks = Enumerable.Range(1, steps).Select(k => (double)k).ToArray();
        var extrapolated = CrossingEstimate(tab => TwoLatticeMatching.Extrapolate(ks,
            Enumerable.Range(1, steps).Select(k => Crossing(t0, tab.Select(r => r[k]).ToArray(), t0)).ToArray()));

        // MCRG at the chosen starting temperature, or at the one nearest the T_c estimate, rule by rule.
        int at = options.McrgIndex(t0);
        if (at < 0) at = double.IsFinite(tcEstimate.Value) ? Enumerable.Range(0, flows.Length).MinBy(i => Math.Abs(t0[i] - tcEstimate.Value)) : flows.Length / 2;
        var rules = Enumerable.Range(0, flows[at].Chains.Count).Select(c => RuleEstimate(flows, c, at, t0, options, lattice)).ToArray();
        var mcrg = rules[0].Mcrg;
        var mcrgMajority = rules[1].Mcrg;

        // The table by step: T_c after k steps with the thermometer's spread, ν and y_h of level k − 1 → k (to the last
        // step of an MCRG lattice of its own, where the flow has no T_c).
        int rows = Math.Max(steps, lattice?.Steps ?? 0);
        var table = new StepEstimates[rows];
        for (int k = 1; k <= rows; k++)
        {
            var tc = Statistics.Estimate.Undefined;
            if (k <= steps)
            {
                var crossings = Enumerable.Range(0, thermometers).Select(th => Crossing(t0, Table(th).Select(r => r[k]).ToArray(), t0)).Where(double.IsFinite).ToArray();
                double spread = crossings.Length >= 2 ? 0.5 * (crossings.Max() - crossings.Min()) : 0;
                var tcK = byStep[k - 1];
                if (double.IsFinite(tcK.Value)) tc = new Statistics.Estimate(tcK.Value, Math.Sqrt(tcK.Error * tcK.Error + spread * spread));
            }
            McrgLevel? Level(McrgResult? m) => m is not null && k - 1 < m.Levels.Count ? m.Levels[k - 1] : null;
            int? size = k <= steps ? flows[at].Chains[0].Sizes[k] : null;
            table[k - 1] = new StepEstimates(k, size, tc,
                Level(mcrg)?.Nu ?? Statistics.Estimate.Undefined, Level(mcrgMajority)?.Nu ?? Statistics.Estimate.Undefined,
                Level(mcrg)?.Yh ?? Statistics.Estimate.Undefined, Level(mcrgMajority)?.Yh ?? Statistics.Estimate.Undefined,
                lattice?.Chains[0].Sizes[k] ?? size!.Value);
        }

        return new FlowEstimates
        {
            CriticalTemperature = tcEstimate, NuFlow = Combine(1), NuCollapse = Combine(2),
            NuMcrg = mcrg?.Nu ?? Statistics.Estimate.Undefined, NuMcrgMajority = mcrgMajority?.Nu ?? Statistics.Estimate.Undefined,
            CriticalTemperatureByStep = byStep, StationaryCrossingByStep = stationary, ByThermometer = byThermometer,
            McrgTemperature = t0[at], Mcrg = mcrg, McrgMajority = mcrgMajority,
            Yh = mcrg?.Yh ?? Statistics.Estimate.Undefined, Eta = mcrg?.Eta ?? Statistics.Estimate.Undefined,
            TcTwoLattice = rules[0].TcTwoLattice, TcTwoLatticeByStep = rules[0].TcTwoLatticeByStep,
            CriticalTemperatureExtrapolated = extrapolated,
            // The majority baseline is listed once when the flow's own rule is the majority rule.
            Rules = rules.Where((r, i) => i != 1 || r.Rule != rules[0].Rule).ToArray(),
            ByStep = table,
        };
    }

    /// <summary>MCRG, effective couplings and two-lattice matching of chain <paramref name="c"/> (the same rule at every temperature).</summary>
    /// <remarks>With <paramref name="lattice"/>, the MCRG of the flow's rule (c = 0) and of the majority rule (c = 1) is
    /// that of the MCRG lattice of its own.</remarks>
    private static RuleEstimates RuleEstimate(TemperatureFlow[] flows, int c, int at, double[] t0, FlowOptions options, McrgLattice? lattice)
    {
        var chain = flows[at].Chains[c];
        var read = lattice is not null && c < 2 ? lattice.Chains[c] : chain;
        int blocks = Math.Min(options.JackknifeBlocks, read.Samples);
        var operators = options.Operators;
        var mcrg = read.Even.Length >= 2
            ? SwendsenMcrg.Analyse(read.Even, read.Sizes, read.Samples, read.Rule, options.McrgOperators, blocks, read.Odd, operators.OddNames.Count, operators, read.OddComponents, options.Model.Dimension) : null;
        int k = options.Steps, p = options.McrgOperators;
        var byStep = new Estimate[k];
        var byOperator = Array.Empty<Estimate>();
        bool matched = flows.All(f => f.Chains[c].MatchEven is not null);
        int chosen = TwoLatticeMatching.ChosenStep(chain.Sizes);
        for (int step = 1; step <= k; step++)
        {
            if (!matched || flows.Length < 2) { byStep[step - 1] = Statistics.Estimate.Undefined; continue; }
            int side = chain.Sizes[step], sites = side * side;
            var large = flows.Select(f => f.Chains[c].Even[step]).ToArray();
            var small = flows.Select(f => f.Chains[c].MatchEven![step - 1]).ToArray();
            byStep[step - 1] = TwoLatticeMatching.Match(t0, large, small, p, 0, sites, options.JackknifeBlocks);
            if (step == chosen)
                byOperator = Enumerable.Range(0, operators.UsableEven(side, p))
                    .Select(a => TwoLatticeMatching.Match(t0, large, small, p, a, sites, options.JackknifeBlocks)).ToArray();
        }
        return new RuleEstimates
        {
            Rule = chain.Rule, Mcrg = mcrg, Couplings = chain.Couplings, Sizes = chain.Sizes,
            TcTwoLattice = byStep[chosen - 1], TcTwoLatticeStep = chosen, TcTwoLatticeByStep = byStep, TcTwoLatticeByOperator = byOperator,
        };
    }

    /// <summary>Index of the primary reading of a <see cref="Thermometry"/> (the Kaufman one for 2D Ising).</summary>
    private const int Primary = 0;

    private static double Reading(Thermometry t, int thermometer) => t.Temperatures[thermometer].Value;

    private static double JackknifeVariance(double[] replicates)
    {
        var good = replicates.Where(double.IsFinite).ToArray();
        if (good.Length < 2) return double.NaN;
        double mean = good.Average();
        return (good.Length - 1.0) / good.Length * good.Sum(v => (v - mean) * (v - mean));
    }
}

/// <summary>Passes progress on with a prefix on every stage name, so that stages repeated per temperature and step stay apart.</summary>
internal sealed class StageProgress(IProgressReporter inner, string prefix) : IProgressReporter
{
    public void Report(string stage, double fraction, string? detail = null) => inner.Report(prefix + stage, fraction, detail);
}
