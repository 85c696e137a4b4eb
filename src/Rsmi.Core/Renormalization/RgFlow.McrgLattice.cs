using Rsmi.Data;
using Rsmi.Progress;
using Rsmi.Statistics;

namespace Rsmi.Renormalization;

/// <summary>What the learner did at one step of an MCRG lattice (<see cref="McrgLattice"/>).</summary>
/// <param name="Step">k ≥ 1.</param>
/// <param name="Size">Side of the lattice the step made (M / b^k).</param>
/// <param name="MutualInformation">I_Λ(H:E) of the rule learned at this step, in bits (null for fixed rules).</param>
/// <param name="Signal">Whether that rule had a signal (null for fixed rules).</param>
/// <param name="RuleSource">Where the rule applied came from, one of <see cref="RuleSources"/>.</param>
/// <param name="RuleStep">The step whose rule was applied when it is an earlier one.</param>
public sealed record McrgLatticeStep(int Step, int Size, Estimate? MutualInformation, bool? Signal, string RuleSource, int? RuleStep);

/// <summary>
/// Swendsen's MCRG on a lattice of its own (docs/algorithm.md, "An MCRG lattice of its own"): configurations of side M
/// at one temperature, larger than the flow's and blocked more times, so that the linearised RG reaches a deeper level
/// than the flow's lattice allows. They come in parts from chains that run on from one part to the next; the rule of
/// every step is learned on the first part (as the flow learns it, with the same fallback when a step has no signal)
/// and applied to every part, and so is the majority rule. Only the MCRG operators of every level are kept.
/// </summary>
public sealed class McrgLattice
{
    /// <summary>The temperature of the configurations (one of the flow's starting temperatures).</summary>
    public required double Temperature { get; init; }
    /// <summary>Side M of the lattice.</summary>
    public required int Size { get; init; }
    /// <summary>Steps of b × b (× b) blocks applied to it.</summary>
    public required int Steps { get; init; }
    /// <summary>Configurations, all parts together.</summary>
    public required int Samples { get; init; }
    /// <summary>Parts they came in.</summary>
    public required int Parts { get; init; }
    /// <summary>The learner's record of every step 1 … <see cref="Steps"/> (the flow's rule).</summary>
    public required IReadOnlyList<McrgLatticeStep> Learning { get; init; }
    /// <summary>The flow's rule, then the majority (plurality) rule.</summary>
    internal IReadOnlyList<RuleChain> Chains { get; init; } = [];
}

public static partial class RgFlow
{
    /// <summary>Prefix of the seeds of an MCRG lattice's learning and blocking, apart from the flows' streams.</summary>
    private const string LatticePurpose = "mcrg-lattice-";

    /// <summary>
    /// MCRG on a lattice of its own (<see cref="McrgLattice"/>): <paramref name="parts"/> are configurations at
    /// <paramref name="t0"/>, all of one side M divisible by b^K (K = <see cref="FlowOptions.Steps"/> of
    /// <paramref name="options"/>), enumerated once, each part released after it is blocked. The rules of
    /// <paramref name="estimator"/> are learned on the first part; <paramref name="notice"/> receives a sentence for
    /// every step that does not apply its own learned rule. The result goes to <see cref="Run"/> or
    /// <see cref="Assemble"/>, whose MCRG estimates it then gives.
    /// </summary>
    public static McrgLattice RunMcrgLattice(double t0, IEnumerable<SampleSet> parts, IRuleEstimator estimator, FlowOptions options,
        IProgressReporter? progress = null, Action<string>? notice = null)
    {
        options.Validate();
        ArgumentNullException.ThrowIfNull(parts);
        progress ??= NullProgress.Instance;
        Require.Positive(t0, "the MCRG lattice's temperature");
        string stage = $"MCRG lattice T={t0:G6}";
        var own = new List<RuleChain>();
        var baseline = new List<RuleChain>();
        var records = new List<FlowStep>();
        var applied = new ICoarseGrainingRule[options.Steps + 1];
        var majority = new MajorityRule(options.Block);
        int part = 0, size = 0, samples = 0;
        foreach (var set in parts)
        {
            ValidateSamples(set, options, $"the MCRG lattice's samples at T = {t0}");
            if (part == 0)
            {
                size = set.Lx;
                long reduction = (long)Math.Pow(options.Block, options.Steps);
                Require.That(size % reduction == 0 && size / reduction >= 2,
                    $"{options.Steps} steps of {options.Block}x{options.Block} blocks need an MCRG lattice side divisible by {reduction} and at least {2 * reduction}, got {size}.");
                CheckWindowFits(size, options, estimator);
            }
            Require.That(set.Lx == size, $"every part of the MCRG lattice must have the same size; got {set.Lx} after {size}.");
            int p = part;
            // Parts drawn by the chain driver say which of how many they are.
            long? of = set.Metadata.GetLong("parts");
            double fraction = of is long total && set.Metadata.GetLong("part") is long index ? (index + 1.0) / total : 0;
            progress.Report(stage, fraction, $"part {p + 1}{(of is long n ? $" of {n}" : "")}: blocking {set.Count} configurations of side {size}");
            var majorityChain = Block(set, null, BaselineName(set), options, (_, _) => majority,
                (step, s) => majority.CoarseGrain(s, DerivedSeed(options.Seed, p, step, LatticePurpose + "majority"), options.MaxThreads), (_, s) => s, null, couplings: false);
            baseline.Add(majorityChain);
            // The two rules start from the same configurations, whose operators are measured once.
            own.Add(p == 0
                ? Learned(0, t0, set, null, estimator, LatticePurpose, options, progress, stage, 1, notice, records, read: false, applied: applied, start: majorityChain)
                : Block(set, null, own[0].Rule, options, (step, _) => applied[step],
                    (step, s) => Coarser(applied[step], s, applied[step].CoarseGrain(s, DerivedSeed(options.Seed, p, step, LatticePurpose + "coarse-grain"), options.MaxThreads), options),
                    (_, s) => s, null, couplings: false, start: majorityChain));
            samples += set.Count;
            part++;
        }
        Require.That(part > 0, "the MCRG lattice has no configurations.");
        Require.That(samples >= options.JackknifeBlocks, $"{samples} configurations of the MCRG lattice are fewer than the {options.JackknifeBlocks} jackknife blocks.");
        var sizes = own[0].Sizes;
        return new McrgLattice
        {
            Temperature = t0, Size = size, Steps = options.Steps, Samples = samples, Parts = part,
            Learning = records.Skip(1).Select(r => new McrgLatticeStep(r.Step, sizes[r.Step], r.MutualInformation, r.Signal, r.RuleSource ?? RuleSources.Fixed, r.RuleStep)).ToArray(),
            Chains = [Concatenate(own), Concatenate(baseline)],
        };
    }

    /// <summary>The operators of one rule's chains on the parts of a lattice, one after the other.</summary>
    private static RuleChain Concatenate(IReadOnlyList<RuleChain> chains)
    {
        int levels = chains[0].Sizes.Length;
        double[][] Join(Func<RuleChain, double[][]> of) =>
            Enumerable.Range(0, levels).Select(l => chains.SelectMany(c => of(c)[l]).ToArray()).ToArray();
        return new RuleChain
        {
            Rule = chains[0].Rule, Sizes = chains[0].Sizes, Samples = chains.Sum(c => c.Samples),
            Even = Join(c => c.Even), Odd = Join(c => c.Odd), OddComponents = chains[0].OddComponents,
            Couplings = new EffectiveCouplingResult?[levels],
        };
    }
}
