using Rsmi.Data;
using Rsmi.Progress;

namespace Rsmi.Sampling;

/// <summary>Settings of <see cref="SampleCollector"/>.</summary>
public sealed class SampleCollectorOptions
{
    /// <summary>Number of configurations to save, N ≥ 1.</summary>
    public int Samples { get; init; } = 1000;
    /// <summary>Number of independent chains c ≥ 1; chain k saves N/c configurations (the first N mod c chains one more).</summary>
    public int Chains { get; init; } = 1;
    /// <summary>Worker threads (−1: as many as the runtime likes). Does not change the output.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
    /// <summary>When the chains count as thermalised and how far apart samples are saved (<see cref="ThermalisationRule.Default"/>).</summary>
    public ThermalisationRule Rule { get; init; } = ThermalisationRule.Default;
    /// <summary>Where progress goes.</summary>
    public IProgressReporter Progress { get; init; } = NullProgress.Instance;
    /// <summary>Stops the work (throws <see cref="OperationCanceledException"/>).</summary>
    public CancellationToken Cancellation { get; init; }
    /// <summary>Names of the two monitored observables in the progress lines (<see cref="IMonteCarloSampler.MonitorObservable"/>
    /// and <see cref="IMonteCarloSampler.AbsMagnetisation"/>; a model names its own, e.g. the dimers' winding number).</summary>
    public (string First, string Second) MonitorNames { get; init; } = ("energy", "|m|");
}

/// <summary>
/// The chain driver: runs Markov chains (<see cref="IMonteCarloSampler"/>, one per chain) or a replica engine
/// (<see cref="IReplicaEngine"/>, many chains in one) from their start to a set of equilibrium configurations,
/// with thermalisation and spacing chosen by <see cref="ThermalisationRule"/> from measured integrated
/// autocorrelation times rather than guesses.
/// <para>
/// Scalar chains: time is measured in <em>blocks</em> of a fixed number of sampler steps, chosen so that a block
/// does about one sweep of work (L^d site updates or flipped spins): one step for sweep-based samplers,
/// ≈ L^d / ⟨cluster size⟩ clusters for Wolff. The block length is re-measured after every pilot round and frozen
/// with the accepted one: the number of clusters between saved samples is fixed in advance, never decided by the
/// running total of flipped spins (which would favour ordered states). Chain k uses the sampler built by
/// <c>createChain(k)</c> (its own random stream) and fills its own fixed slice of the output, assembled in chain
/// order, so the output does not depend on the number of threads. Before each saved configuration (after its
/// spacing, never during the pilots) the driver calls <see cref="IMonteCarloSampler.BeforeSave"/>, where a chain may
/// apply an exact move that the monitor observables should not time (the dimer sampler's lattice symmetry).
/// </para>
/// <para>
/// Replica engines: a block is one sweep; τ is averaged over up to 64 replicas, and replica ℓ fills samples
/// [ℓ·n/replicas…), so the file holds each replica's samples in time order, replica after replica.
/// </para>
/// Metadata written: <c>chains</c>, <c>tau_int</c> (max of energy and |m|, in sampler steps), <c>tau_int_energy</c>,
/// <c>tau_int_energy_error</c>, <c>tau_int_abs_magnetization</c>, <c>tau_int_abs_magnetization_error</c>,
/// <c>block_steps</c>, <c>thermalization_steps</c> and <c>spacing</c> (sampler steps per chain),
/// <c>thermalization_converged</c>, and <c>tau_int_saved_energy</c> (τ_int of the saved samples' energy, in saved
/// samples: ≈ ½ for independent samples; only when every chain saves ≥ 100); replica engines add <c>lanes</c>.
/// </summary>
public static class SampleCollector
{
    /// <summary>Replicas whose observables are recorded for τ_int.</summary>
    private const int MonitoredReplicas = 64;

    private sealed class ChainState(IMonteCarloSampler sampler)
    {
        public readonly IMonteCarloSampler Sampler = sampler;
        public readonly sbyte[] Scratch = new sbyte[sampler.Shape.Aggregate(1, (a, b) => a * b)];
        public long Steps;
        public double[] Energy = [];
        public double[] AbsMagnetization = [];
        public double[] SavedEnergy = [];
    }

    /// <summary>
    /// Runs the chains of <paramref name="source"/> (scalar chains or a replica engine) and returns
    /// <see cref="SampleCollectorOptions.Samples"/> configurations with the metadata above.
    /// </summary>
    public static SampleSet Collect(ChainSource source, SampleCollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Engine is { } engine ? Collect(engine, options) : Collect(source.CreateChain!, options);
    }

    /// <summary>
    /// Runs <see cref="SampleCollectorOptions.Chains"/> chains built by <paramref name="createChain"/> (index → sampler
    /// with its own random stream; all of the same shape) and returns N configurations with the metadata above.
    /// </summary>
    public static SampleSet Collect(Func<int, IMonteCarloSampler> createChain, SampleCollectorOptions options) =>
        CollectParts(createChain, options, options.Samples).Single();

    /// <summary>
    /// As <see cref="Collect(ChainSource, SampleCollectorOptions)"/>, in parts of at most <paramref name="partSize"/>
    /// configurations, drawn when enumerated from the same chains, which run on from one part to the next (one
    /// thermalisation for all): for more configurations than one array holds, used as they come. Scalar chains only.
    /// One part of all <see cref="SampleCollectorOptions.Samples"/> is <see cref="Collect(ChainSource, SampleCollectorOptions)"/>'s
    /// result; each part has the metadata above, with <c>part</c> (0-based) and <c>parts</c>.
    /// </summary>
    public static IEnumerable<SampleSet> CollectParts(ChainSource source, SampleCollectorOptions options, int partSize)
    {
        ArgumentNullException.ThrowIfNull(source);
        Require.That(source.Engine is null, "a replica engine draws all its configurations at once; its samples cannot be drawn in parts.");
        return CollectParts(source.CreateChain!, options, partSize);
    }

    private static IEnumerable<SampleSet> CollectParts(Func<int, IMonteCarloSampler> createChain, SampleCollectorOptions options, int partSize)
    {
        Require.Positive(options.Samples, "number of samples");
        Require.Positive(options.Chains, "number of chains");
        Require.Positive(partSize, "configurations per part");
        Require.That(options.MaxDegreeOfParallelism == -1 || options.MaxDegreeOfParallelism >= 1, $"thread count must be -1 or positive, got {options.MaxDegreeOfParallelism}.");
        return Parts(createChain, options, Math.Min(partSize, options.Samples));
    }

    private static IEnumerable<SampleSet> Parts(Func<int, IMonteCarloSampler> createChain, SampleCollectorOptions options, int partSize)
    {
        int chains = options.Chains;
        var progress = options.Progress;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = options.Cancellation };

        var states = new ChainState[chains];
        Parallel.For(0, chains, parallel, k => states[k] = new ChainState(createChain(k)));
        int[] shape = states[0].Sampler.Shape;
        int sites = states[0].Scratch.Length;
        foreach (var s in states) Require.That(s.Sampler.Shape.SequenceEqual(shape), "all chains must have the same configuration shape.");
        Require.That((long)partSize * sites <= Array.MaxLength, $"{partSize} samples of {sites} sites do not fit in one array; ask for fewer samples.");

        var pilot = new ScalarPilot(states, sites, parallel, options.Cancellation, options.MonitorNames);
        var result = options.Rule.Thermalise(pilot, progress);
        var (tauE, tauM) = (result.Energy, result.AbsMagnetisation);
        long acceptedBlockSteps = result.BlockSteps;
        double tauBlocks = result.TauBlocks;
        long spacing = result.SpacingBlocks * acceptedBlockSteps;
        long thermalization = states.Min(s => s.Steps);
        progress.Report("thermalisation", 1.0, $"{thermalization} steps per chain, tau_int = {tauBlocks * acceptedBlockSteps:F2} steps, spacing {spacing} steps");

        int total = options.Samples, parts = (total + partSize - 1) / partSize, done = 0, reportEvery = Math.Max(1, total / 100);
        for (int part = 0; part < parts; part++)
        {
            // Production: chain k fills samples [offset_k, offset_k + share_k) of the part.
            int n = Math.Min(partSize, total - part * partSize);
            var data = new sbyte[n * sites];
            int[] share = Enumerable.Range(0, chains).Select(k => n / chains + (k < n % chains ? 1 : 0)).ToArray();
            int[] offset = new int[chains];
            for (int k = 1; k < chains; k++) offset[k] = offset[k - 1] + share[k - 1];
            Parallel.For(0, chains, parallel, k =>
            {
                var s = states[k];
                s.SavedEnergy = new double[share[k]];
                for (int j = 0; j < share[k]; j++)
                {
                    for (long t = 0; t < spacing; t++) s.Sampler.Step();
                    s.Steps += spacing;
                    s.Sampler.BeforeSave();
                    s.Sampler.CopyConfiguration(data.AsSpan((offset[k] + j) * sites, sites));
                    s.SavedEnergy[j] = s.Sampler.MonitorObservable();
                    int d = Interlocked.Increment(ref done);
                    if (d % reportEvery == 0 || d == total) progress.Report("sampling", (double)d / total, $"{d}/{total} samples");
                    options.Cancellation.ThrowIfCancellationRequested();
                }
            });

            var metadata = new SampleMetadata { Algorithm = states[0].Sampler.Algorithm };
            metadata.Set("chains", chains);
            metadata.Set("block_steps", acceptedBlockSteps);
            metadata.Set("tau_int", tauBlocks * acceptedBlockSteps);
            metadata.Set("tau_int_energy", tauE.Tau * acceptedBlockSteps);
            metadata.Set("tau_int_energy_error", tauE.Error * acceptedBlockSteps);
            metadata.Set("tau_int_abs_magnetization", tauM.Tau * acceptedBlockSteps);
            metadata.Set("tau_int_abs_magnetization_error", tauM.Error * acceptedBlockSteps);
            metadata.Set("thermalization_steps", thermalization);
            metadata.Set("thermalization_converged", result.Converged);
            metadata.Set("spacing", spacing);
            if (share.Min() >= 100) metadata.Set("tau_int_saved_energy", ThermalisationRule.MeanTau(states.Select(s => s.SavedEnergy).ToArray()).Tau);
            if (parts > 1)
            {
                metadata.Set("part", part);
                metadata.Set("parts", parts);
            }
            yield return new SampleSet(n, shape, data, metadata);
        }
    }

    /// <summary>
    /// Runs <paramref name="engine"/> and returns <see cref="SampleCollectorOptions.Samples"/> configurations from
    /// min(samples, replicas) of its replicas (<see cref="SampleCollectorOptions.Chains"/> does not apply: the
    /// replicas are the chains); <see cref="SampleCollectorOptions.MaxDegreeOfParallelism"/> −1 means all cores.
    /// Metadata as above (time unit: sweeps), plus <c>lanes</c>.
    /// </summary>
    public static SampleSet Collect(IReplicaEngine engine, SampleCollectorOptions options)
    {
        int samples = options.Samples, threads = options.MaxDegreeOfParallelism;
        Require.Positive(samples, "number of samples");
        Require.That(threads == -1 || threads >= 1, $"thread count must be -1 or positive, got {threads}.");
        var progress = options.Progress;
        var cancellation = options.Cancellation;
        int workers = threads == -1 ? Environment.ProcessorCount : threads;
        int[] shape = engine.Shape;
        int sites = shape.Aggregate(1, (a, b) => a * b), replicas = engine.Replicas;
        int used = Math.Min(samples, replicas);
        int monitored = Math.Min(MonitoredReplicas, used);
        Require.That((long)samples * sites <= Array.MaxLength, $"{samples} samples of {sites} sites do not fit in one array; ask for fewer samples.");

        var result = options.Rule.Thermalise(new ReplicaPilot(engine, monitored, workers, cancellation, options.MonitorNames), progress);
        var (tauE, tauM) = (result.Energy, result.AbsMagnetisation);
        double tauSweeps = result.TauBlocks;
        int spacing = checked((int)result.SpacingBlocks);
        long thermalization = engine.Sweeps;
        progress.Report("thermalisation", 1.0, $"{thermalization} sweeps, tau_int = {tauSweeps:F2} sweeps, spacing {spacing} sweeps");

        int[] share = Enumerable.Range(0, used).Select(k => samples / used + (k < samples % used ? 1 : 0)).ToArray();
        int[] offset = new int[used];
        for (int k = 1; k < used; k++) offset[k] = offset[k - 1] + share[k - 1];
        var data = new sbyte[(long)samples * sites];
        var savedEnergy = Enumerable.Range(0, monitored).Select(k => new double[share[k]]).ToArray();
        var energy = new double[monitored];
        var absM = new double[monitored];
        int rounds = share[0];
        for (int j = 0; j < rounds; j++)
        {
            engine.Sweep(spacing, workers);
            for (int k = 0; k < used && j < share[k]; k++)
                engine.CopyConfiguration(k, data.AsSpan((offset[k] + j) * sites, sites));
            engine.Measure(monitored, energy, absM);
            for (int k = 0; k < monitored && j < share[k]; k++) savedEnergy[k][j] = energy[k];
            progress.Report("sampling", (double)(j + 1) / rounds, $"{Math.Min(samples, (long)(j + 1) * used)}/{samples} samples");
            cancellation.ThrowIfCancellationRequested();
        }

        var metadata = new SampleMetadata { Algorithm = engine.Algorithm };
        metadata.Set("chains", used);
        metadata.Set("lanes", engine.Lanes);
        metadata.Set("block_steps", 1L);
        metadata.Set("tau_int", tauSweeps);
        metadata.Set("tau_int_energy", tauE.Tau);
        metadata.Set("tau_int_energy_error", tauE.Error);
        metadata.Set("tau_int_abs_magnetization", tauM.Tau);
        metadata.Set("tau_int_abs_magnetization_error", tauM.Error);
        metadata.Set("thermalization_steps", thermalization);
        metadata.Set("thermalization_converged", result.Converged);
        metadata.Set("spacing", (long)spacing);
        if (share.Take(monitored).Min() >= 100) metadata.Set("tau_int_saved_energy", ThermalisationRule.MeanTau(savedEnergy).Tau);
        return new SampleSet(samples, shape, data, metadata);
    }

    /// <summary>Scalar chains under the thermalisation rule: blocks of about one sweep of work, re-measured after every round.</summary>
    private sealed class ScalarPilot : IPilotChains
    {
        private readonly ChainState[] _states;
        private readonly int _sites;
        private readonly ParallelOptions _parallel;
        private readonly CancellationToken _cancellation;
        private readonly (string First, string Second) _names;
        private long[] _stepsBefore, _workBefore;

        public ScalarPilot(ChainState[] states, int sites, ParallelOptions parallel, CancellationToken cancellation, (string First, string Second) names)
        {
            _states = states; _sites = sites; _parallel = parallel; _cancellation = cancellation; _names = names;
            BlockSteps = SettledBlockSteps();
            _stepsBefore = []; _workBefore = [];
        }

        /// <summary>Most warm-up bursts before the first pilot round (<see cref="SettledBlockSteps"/>).</summary>
        internal const int MaxWarmUpBursts = 64;

        /// <summary>
        /// The initial block length, from bursts of ≈ 10 sweeps of work on every chain: a burst's length counts only
        /// when the steps of its second half did no more than 25 % more work each than those of its first half, so
        /// that the work per step has stopped growing. From a random start a cluster update's clusters grow for a few
        /// sweeps as order builds up; a block measured on the small clusters of the start would hold many sweeps of
        /// equilibrium work (at T_c on 64³, 1,380–1,394 clusters against 57–66 for a sweep: 21–24), and the first pilot
        /// round of 200 blocks would cost thousands of sweeps. Sweep samplers do the same work every step and settle in
        /// the first burst.
        /// </summary>
        private long SettledBlockSteps()
        {
            long blockSteps = 1;
            for (int burst = 0; burst < MaxWarmUpBursts; burst++)
            {
                long[] workStart = _states.Select(s => s.Sampler.Work).ToArray(), stepsStart = _states.Select(s => s.Steps).ToArray();
                var workMiddle = new long[_states.Length];
                var stepsMiddle = new long[_states.Length];
                Parallel.For(0, _states.Length, _parallel, k =>
                {
                    var s = _states[k];
                    long start = s.Steps;
                    long half = s.Sampler.Work + 5L * _sites;
                    while (s.Sampler.Work < half && s.Steps - start < 5L * _sites) { s.Sampler.Step(); s.Steps++; }
                    workMiddle[k] = s.Sampler.Work; stepsMiddle[k] = s.Steps;
                    long target = workStart[k] + 10L * _sites;
                    while (s.Sampler.Work < target && s.Steps - start < 10L * _sites) { s.Sampler.Step(); s.Steps++; }
                });
                _cancellation.ThrowIfCancellationRequested();
                blockSteps = Measure(workStart, _states.Select((s, k) => s.Steps - stepsStart[k]).ToArray());
                double first = WorkPerStep(workStart, stepsStart, workMiddle, stepsMiddle);
                double second = WorkPerStep(workMiddle, stepsMiddle, _states.Select(s => s.Sampler.Work).ToArray(), _states.Select(s => s.Steps).ToArray());
                if (!(second > 1.25 * first)) break;
            }
            return blockSteps;
        }

        /// <summary>Work per step summed over the chains between two marks (NaN when no step was taken).</summary>
        private static double WorkPerStep(long[] workFrom, long[] stepsFrom, long[] workTo, long[] stepsTo)
        {
            long work = 0, steps = 0;
            for (int k = 0; k < workFrom.Length; k++) { work += workTo[k] - workFrom[k]; steps += stepsTo[k] - stepsFrom[k]; }
            return steps > 0 ? (double)work / steps : double.NaN;
        }

        public long StepsDone => _states.Min(s => s.Steps);
        public long BlockSteps { get; private set; }

        public (double[][] Energy, double[][] AbsMagnetisation) RunPilot(int blocks)
        {
            _stepsBefore = _states.Select(s => s.Steps).ToArray();
            _workBefore = _states.Select(s => s.Sampler.Work).ToArray();
            long block = BlockSteps;
            Parallel.For(0, _states.Length, _parallel, k =>
            {
                var s = _states[k];
                s.Energy = new double[blocks];
                s.AbsMagnetization = new double[blocks];
                for (int b = 0; b < blocks; b++)
                {
                    for (long t = 0; t < block; t++) s.Sampler.Step();
                    s.Steps += block;
                    s.Energy[b] = s.Sampler.MonitorObservable();
                    s.AbsMagnetization[b] = s.Sampler.AbsMagnetisation(s.Scratch);
                    if ((b & 63) == 0) _cancellation.ThrowIfCancellationRequested();
                }
            });
            return (_states.Select(s => s.Energy).ToArray(), _states.Select(s => s.AbsMagnetization).ToArray());
        }

        public void EndRound() => BlockSteps = Measure(_workBefore, _states.Select((s, k) => s.Steps - _stepsBefore[k]).ToArray());

        public string DescribeRound(int round, int blocks, long blockSteps, double tauEnergy, double tauAbsMagnetisation)
            => $"round {round + 1}: {blocks} blocks of {blockSteps} steps, tau_int({_names.First}) = {tauEnergy:F2}, tau_int({_names.Second}) = {tauAbsMagnetisation:F2} blocks";

        private long Measure(long[] workBefore, long[] steps)
        {
            long work = 0, total = 0;
            for (int k = 0; k < _states.Length; k++) { work += _states[k].Sampler.Work - workBefore[k]; total += steps[k]; }
            if (work <= 0 || total <= 0) return 1;
            return Math.Max(1, (long)Math.Round((double)_sites * total / work));
        }
    }

    /// <summary>A replica engine under the thermalisation rule: one sweep per block, the first replicas monitored.</summary>
    private sealed class ReplicaPilot(IReplicaEngine engine, int monitored, int workers, CancellationToken cancellation, (string First, string Second) names) : IPilotChains
    {
        private readonly double[] _energy = new double[monitored], _absM = new double[monitored];

        public long StepsDone => engine.Sweeps;
        public long BlockSteps => 1;

        public (double[][] Energy, double[][] AbsMagnetisation) RunPilot(int blocks)
        {
            var energy = Enumerable.Range(0, monitored).Select(_ => new double[blocks]).ToArray();
            var absM = Enumerable.Range(0, monitored).Select(_ => new double[blocks]).ToArray();
            for (int t = 0; t < blocks; t++)
            {
                engine.Sweep(1, workers);
                engine.Measure(monitored, _energy, _absM);
                for (int i = 0; i < monitored; i++) { energy[i][t] = _energy[i]; absM[i][t] = _absM[i]; }
                if ((t & 63) == 0) cancellation.ThrowIfCancellationRequested();
            }
            return (energy, absM);
        }

        public void EndRound() { }

        public string DescribeRound(int round, int blocks, long blockSteps, double tauEnergy, double tauAbsMagnetisation)
            => $"round {round + 1}: {blocks} sweeps, tau_int({names.First}) = {tauEnergy:F2}, tau_int({names.Second}) = {tauAbsMagnetisation:F2} sweeps";
    }
}
