using Rsmi.Statistics;
using Rsmi.Data;
using Rsmi.Learning.InfoNce;
using Rsmi.Progress;
using Rsmi.Random;
using Rsmi.Regions;
using Rsmi.Renormalization;

namespace Rsmi.Learning.Ensembles;

/// <summary>Settings of an ensemble of learner runs (docs/learning.md, "Ensembles").</summary>
public sealed record FilterEnsembleOptions
{
    /// <summary>The default number of members: with a per-member probability p of missing the optimum, the ensemble
    /// misses it with probability (1 − p)^n; four members turn p = 0.3 into 0.8% and keep both cores of a laptop busy.</summary>
    public const int DefaultMembers = 4;

    /// <summary>Independent learner runs n ≥ 1, each from its own seed stream.</summary>
    public int Members { get; init; } = DefaultMembers;
    /// <summary>Fraction of the configurations (taken from the end, before the report part) on which the members are
    /// compared; no member trains on them.</summary>
    public double SelectionFraction { get; init; } = 0.1;
    /// <summary>Fraction of the configurations (the last ones) on which the chosen member's information is reported;
    /// neither training nor selection sees them, so the report carries no selection bias.</summary>
    public double ReportFraction { get; init; } = 0.1;
    /// <summary>How the filters are applied when they are judged (and by default when they coarse-grain).</summary>
    public FilterMode Application { get; init; } = FilterMode.Sign;
    /// <summary>The yardstick's critic (<see cref="HeldOutInformation"/>): steps, batch, network; the seed is set per member.</summary>
    public InfoNceOptions Yardstick { get; init; } = new() { Steps = 400, BatchSize = 256, EvaluationBatches = 40, TrainingWindows = 102_400 };
    /// <summary>
    /// The yardstick's steps when the block's linearly predictable signal is spread over many directions
    /// (<see cref="InfoNceSignalRegime.Spread"/>, judged once per ensemble by the infonce settings' pilot regression on the
    /// training part, for units resolving as many directions as the learned ones; docs/learning.md, "The yardstick").
    /// A critic of such a signal is far from converged after <see cref="Yardstick"/>'s 400 steps: on the dimer windows
    /// at buffer 2 with N_h = 2 its estimates were 0.008–0.40 bits for members of 0.485–0.497 bits, so the ranking
    /// was noise; after 1,600 steps they are 0.45–0.50 bits. The same steps serve filters of more than
    /// <see cref="InfoNceAutoSettings.UnitsPerStepBudget"/> hidden units, whose critic must tell up to 2^N_h coarse states
    /// apart: on critical 32³ Ising samples with eight units one spin each, its estimates were 0.24, 0.28, 0.30, 0.31 and
    /// 0.31 bits after 400, 800, 1,200, 1,600 and 3,200 steps (docs/learning.md, "The yardstick").
    /// </summary>
    public int SpreadYardstickSteps { get; init; } = 1600;
    /// <summary>The data carry a signal when the reported information exceeds this many standard errors (and is positive).</summary>
    public double SignalSigmas { get; init; } = 2;
    /// <summary>Seed of the member seeds and of the yardstick.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Threads (−1: all cores); results do not depend on it.</summary>
    public int Threads { get; init; } = -1;

    /// <summary>Throws <see cref="RsmiInputException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Require.That(Members >= 1, $"the ensemble needs at least one member, got {Members}.");
        Require.That(SelectionFraction > 0 && ReportFraction > 0 && SelectionFraction + ReportFraction <= 0.5,
            $"the selection and report fractions must be positive and leave at least half of the configurations for training, got {SelectionFraction} and {ReportFraction}.");
        Require.That(SpreadYardstickSteps >= 1, $"the yardstick needs at least one step, got {SpreadYardstickSteps}.");
        Require.That(SignalSigmas > 0, $"the signal threshold must be positive, got {SignalSigmas}.");
        Require.That(Threads == -1 || Threads >= 1, "the thread count must be -1 or positive.");
        Yardstick.Validate();
    }

    /// <summary>The seed of member <paramref name="member"/>: its own stream derived from <see cref="Seed"/>.</summary>
    public ulong MemberSeed(int member) => RandomStreams.Create(Seed, (ulong)member, "ensemble-member").NextUInt64();
}

/// <summary>One member of an ensemble: its seed, what it learned and how it did on the selection configurations.</summary>
public sealed class EnsembleMember
{
    /// <summary>0-based index.</summary>
    public required int Index { get; init; }
    /// <summary>The seed its learner ran with.</summary>
    public required ulong Seed { get; init; }
    /// <summary>What the learner returned.</summary>
    public required LearnedFilters Learned { get; init; }
    /// <summary>The yardstick on the selection configurations, in bits.</summary>
    public required double SelectionBits { get; init; }
    /// <summary>Its standard error.</summary>
    public required double SelectionBitsError { get; init; }
    /// <summary>The number of distinct coarse states its rule gives on the block's states (<see cref="BlockStatePartition"/>);
    /// null when they were not enumerated (more than <see cref="BlockStatePartition.MaxStates"/> states, a stochastic
    /// application, or a tie the rule breaks with a coin).</summary>
    public int? BlockStateClasses { get; init; }
    /// <summary>The index of a member whose rule strictly refines this one's on the block's states, so that this member's
    /// information is provably not larger (docs/learning.md, "Exact dominance"); null when there is none. A dominated
    /// member is never kept.</summary>
    public int? DominatedBy { get; init; }
}

/// <summary>The outcome of <see cref="FilterEnsemble.Learn"/>.</summary>
public sealed partial class EnsembleResult
{
    /// <summary>Every member, in index order.</summary>
    public required IReadOnlyList<EnsembleMember> Members { get; init; }
    /// <summary>Index of the chosen member (largest selection estimate among the members no other member dominates; the
    /// first of equals).</summary>
    public required int ChosenIndex { get; init; }
    /// <summary>The chosen member.</summary>
    public EnsembleMember Chosen => Members[ChosenIndex];
    /// <summary>The chosen filters' information on the report configurations, in bits, with its standard error.</summary>
    public required Estimate MutualInformation { get; init; }
    /// <summary>Adam steps of the yardstick's critics (<see cref="FilterEnsembleOptions.SpreadYardstickSteps"/> for a spread
    /// signal or more than four hidden units, else those of <see cref="FilterEnsembleOptions.Yardstick"/>).</summary>
    public required int YardstickSteps { get; init; }
    /// <summary>Held-out batches in the report estimate.</summary>
    public required int ReportBatches { get; init; }
    /// <summary>Whether the report estimate exceeds <see cref="FilterEnsembleOptions.SignalSigmas"/> standard errors.</summary>
    public required bool Signal { get; init; }
    /// <summary>Configurations used for training, selection and the report.</summary>
    public required (int Training, int Selection, int Report) Split { get; init; }
    /// <summary>The settings.</summary>
    public required FilterEnsembleOptions Options { get; init; }
    /// <summary>The learner's name.</summary>
    public required string Estimator { get; init; }

    /// <summary>One sentence naming the members set aside by exact dominance and the member that dominates each (null
    /// when none was; members numbered from 1, as <c>rsmi learn</c> prints them).</summary>
    public string? DominanceMessage
    {
        get
        {
            var set = Members.Where(m => m.DominatedBy is not null).ToArray();
            if (set.Length == 0) return null;
            return System.FormattableString.Invariant($"set aside as provably not more informative (docs/learning.md, \"Exact dominance\"): ") + string.Join("; ", set.Select(m =>
                System.FormattableString.Invariant($"member {m.Index + 1} (its rule merges block states that member {m.DominatedBy!.Value + 1}'s keeps apart: {m.BlockStateClasses} classes of the block's states against {Members[m.DominatedBy.Value].BlockStateClasses})"))) + ".";
        }
    }

    /// <summary>One sentence for the user when the data carry no usable signal (null when they do).</summary>
    public string? NoSignalMessage => Signal ? null : System.FormattableString.Invariant(
        $"no signal: the learned filters' held-out information {MutualInformation.Value:F4} ± {MutualInformation.Error:F4} bits is consistent with zero (not above {Options.SignalSigmas:G} standard errors), so these filters describe noise, not the data.");
}

/// <summary>
/// Learning that holds on data it has never seen (docs/learning.md, "Ensembles"): the configurations are split in
/// order into a training part, a selection part and a report part; n learner runs (members) with independent seeds
/// train on the training part only, in parallel; each member's filters are judged by the common yardstick
/// <see cref="HeldOutInformation"/> (I(H:E) of the filter as applied, on the selection part); a member whose rule
/// another member's rule strictly refines on the block's states is set aside, since its information cannot be larger
/// (<see cref="BlockStatePartition"/>); the best remaining member is kept and its information is measured again on
/// the report part, which nothing before has seen. When that report estimate is not above
/// <see cref="FilterEnsembleOptions.SignalSigmas"/> standard errors, the data carry no usable signal and the result
/// says so.
/// </summary>
public static class FilterEnsemble
{
    /// <summary>Smallest number of configurations: at least one in each part.</summary>
    public const int MinimumConfigurations = 20;

    /// <summary>Trains and judges the ensemble.</summary>
    public static EnsembleResult Learn(SampleSet samples, WindowGeometry geometry, int hidden, IFilterLearner learner, FilterEnsembleOptions options,
        IProgressReporter? progress = null)
    {
        options.Validate();
        Require.That(samples.Count >= MinimumConfigurations,
            $"{samples.Count} configurations are too few: learning keeps {options.SelectionFraction:P0} of them to choose among the ensemble and {options.ReportFraction:P0} to report on, so it needs at least {MinimumConfigurations}.");
        int n = samples.Count;
        int report = Math.Max(1, (int)Math.Floor(options.ReportFraction * n));
        int selection = Math.Max(1, (int)Math.Floor(options.SelectionFraction * n));
        int train = n - report - selection;
        var trainSet = samples.Slice(0, train);
        var selectionSet = samples.Slice(train, selection);
        var reportSet = samples.Slice(train + selection, report);
        int cores = options.Threads == -1 ? Environment.ProcessorCount : options.Threads;
        int m = options.Members;
        int parallel = Math.Min(cores, m);
        int inner = Math.Max(1, cores / parallel);
        var tracker = new EnsembleProgress(progress, m, learner.Name);
        var learnedFilters = new LearnedFilters[m];
        var selectionBits = new double[m];
        var selectionErrors = new double[m];
        var critics = new HeldOutInformation.TrainedCritic[m];
        var yardstickSteps = new int[m];
        var partitions = new BlockStatePartition?[m];
        // the regime of the data (the same for every member: it depends on the data and on the units' states only)
        var pilot = InfoNceAutoSettings.Pilot(trainSet, geometry, options.Seed);
        Parallel.For(0, m, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i =>
        {
            ulong seed = options.MemberSeed(i);
            var learned = learner.Learn(trainSet, geometry, hidden, seed, inner, tracker.Member(i));
            bool spread = InfoNceAutoSettings.RegimeOf(pilot, learned.Filter.HiddenStates - 1) == InfoNceSignalRegime.Spread;
            bool manyUnits = hidden > InfoNceAutoSettings.UnitsPerStepBudget;
            yardstickSteps[i] = spread || manyUnits ? options.SpreadYardstickSteps : options.Yardstick.Steps;
            var yardstick = options.Yardstick with { Seed = seed ^ 0x59A2D5716C3B8E4FUL, MaxDegreeOfParallelism = inner, Steps = yardstickSteps[i] };
            critics[i] = HeldOutInformation.Train(trainSet, geometry, learned.Filter, options.Application, yardstick);
            var (bits, error, _) = HeldOutInformation.Evaluate(critics[i], selectionSet, options.Seed, "yardstick-selection");
            partitions[i] = BlockStatePartition.Of(learned.Filter, options.Application);
            (learnedFilters[i], selectionBits[i], selectionErrors[i]) = (learned, bits, error);
            tracker.Done(i, bits);
        });
        var (chosen, dominatedBy) = Choose(selectionBits, partitions);
        var members = Enumerable.Range(0, m).Select(i => new EnsembleMember
        {
            Index = i, Seed = options.MemberSeed(i), Learned = learnedFilters[i], SelectionBits = selectionBits[i],
            SelectionBitsError = selectionErrors[i], BlockStateClasses = partitions[i]?.Classes, DominatedBy = dominatedBy[i],
        }).ToArray();
        var (reportBits, reportError, batches) = HeldOutInformation.Evaluate(critics[chosen], reportSet, options.Seed, "yardstick-report");
        bool signal = double.IsFinite(reportError) ? reportBits > options.SignalSigmas * reportError : reportBits > 0;
        return new EnsembleResult
        {
            Members = members, ChosenIndex = chosen, MutualInformation = new Estimate(reportBits, reportError),
            ReportBatches = batches, YardstickSteps = yardstickSteps[chosen], Signal = signal, Split = (train, selection, report), Options = options, Estimator = learner.Name,
        };
    }

    /// <summary>
    /// The kept member: the largest selection estimate (the first of equals) among the members that no other member
    /// dominates, and for each member the first member whose rule strictly refines its own on the block's states (null
    /// when none does or when a partition is unknown). Strict refinement is a strict partial order, so some member is
    /// never dominated.
    /// </summary>
    internal static (int Chosen, int?[] DominatedBy) Choose(IReadOnlyList<double> selectionBits, IReadOnlyList<BlockStatePartition?> partitions)
    {
        int m = selectionBits.Count, chosen = -1;
        var dominatedBy = new int?[m];
        for (int i = 0; i < m; i++)
        {
            if (partitions[i] is { } p)
                for (int j = 0; j < m && dominatedBy[i] is null; j++)
                    if (j != i && partitions[j] is { } other && other.StrictlyRefines(p)) dominatedBy[i] = j;
            if (dominatedBy[i] is null && (chosen < 0 || selectionBits[i] > selectionBits[chosen])) chosen = i;
        }
        return (chosen, dominatedBy);
    }

    /// <summary>Folds the members' progress into one stage: the mean of their fractions.</summary>
    private sealed class EnsembleProgress(IProgressReporter? inner, int members, string estimator)
    {
        private readonly double[] _fractions = new double[members];
        private readonly object _lock = new();
        private int _done;

        public IProgressReporter Member(int i) => new MemberReporter(this, i);

        private void Report(int i, double fraction, string? detail)
        {
            if (inner is null) return;
            double mean;
            lock (_lock) { _fractions[i] = Math.Clamp(fraction, 0, 1); mean = _fractions.Average(); }
            inner.Report($"learning an ensemble of {members} ({estimator})", Math.Min(mean, 0.999), $"{_done} of {members} done; member {i + 1}: {detail}");
        }

        public void Done(int i, double bits)
        {
            if (inner is null) return;
            double mean;
            lock (_lock) { _fractions[i] = 1; _done++; mean = _fractions.Average(); }
            inner.Report($"learning an ensemble of {members} ({estimator})", _done == members ? 1.0 : Math.Min(mean, 0.999),
                System.FormattableString.Invariant($"{_done} of {members} done; member {i + 1}: held-out {bits:F4} bits"));
        }

        private sealed class MemberReporter(EnsembleProgress owner, int index) : IProgressReporter
        {
            // A member's stages (machines, restarts…) follow each other; the fraction shown is that of its current stage.
            public void Report(string stage, double fraction, string? detail = null) => owner.Report(index, fraction, $"{stage} {detail}".Trim());
        }
    }
}
