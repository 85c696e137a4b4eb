using Rsmi.Data;
using Rsmi.Progress;
using Rsmi.Statistics;

namespace Rsmi.Sampling;

/// <summary>Settings of <see cref="SampleCollector.Collect"/>.</summary>
public sealed class SampleCollectorOptions
{
    /// <summary>Number of configurations to save, N ≥ 1.</summary>
    public int Samples { get; init; } = 1000;
    /// <summary>Number of independent chains c ≥ 1; chain k saves N/c configurations (the first N mod c chains one more).</summary>
    public int Chains { get; init; } = 1;
    /// <summary>Worker threads (−1: as many as the runtime likes). Does not change the output.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
    /// <summary>Thermalisation: at least this many τ_int before the measurement that fixes the spacing (≥ 20 advised).</summary>
    public double ThermalizationTaus { get; init; } = 20;
    /// <summary>Spacing between saved configurations, in units of τ_int (rounded up to whole blocks).</summary>
    public double SpacingTaus { get; init; } = 2;
    /// <summary>Length of the first pilot series per chain, in blocks; doubled until τ_int is stable.</summary>
    public int InitialPilotBlocks { get; init; } = 200;
    /// <summary>Longest pilot series per chain, in blocks; reaching it ends thermalisation with <c>thermalization_converged = 0</c>.</summary>
    public int MaxPilotBlocks { get; init; } = 1 << 19;
    /// <summary>Where progress goes.</summary>
    public IProgressReporter Progress { get; init; } = NullProgress.Instance;
    /// <summary>Stops the work (throws <see cref="OperationCanceledException"/>).</summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>
/// Drives Markov chains from a random start to a set of equilibrium configurations, choosing thermalisation and
/// spacing from measured integrated autocorrelation times rather than guesses.
/// <para>
/// Time is measured in <em>blocks</em> of a fixed number of sampler steps, chosen so that a block does about one
/// sweep of work (L^d site updates or flipped spins): one step for sweep-based samplers, ≈ L^d / ⟨cluster size⟩
/// clusters for Wolff. The block length is re-measured after every pilot round and frozen with the accepted one:
/// the number of clusters between saved samples is fixed in advance, never decided by the running total of
/// flipped spins (which would favour ordered states).
/// </para>
/// <para>
/// Thermalisation runs pilot rounds on all chains (lengths P = 200, 400, 800… blocks). After each round the
/// integrated autocorrelation times of the energy and of |m| (Sokal window) are averaged over chains; the round is
/// accepted when P ≥ 50 τ, the steps run before it are ≥ 20 τ, and τ did not grow significantly since the
/// previous round (τ = max of the two). Samples are then saved every ⌈2τ⌉ blocks. Chain k uses the sampler
/// built by <c>createChain(k)</c> (its own random stream) and fills its own fixed slice of the output, assembled
/// in chain order, so the output does not depend on the number of threads.
/// </para>
/// Metadata written: <c>chains</c>, <c>tau_int</c> (max of energy and |m|, in sampler steps), <c>tau_int_energy</c>,
/// <c>tau_int_energy_error</c>, <c>tau_int_abs_magnetization</c>, <c>tau_int_abs_magnetization_error</c>,
/// <c>block_steps</c>, <c>thermalization_steps</c> and <c>spacing</c> (sampler steps per chain),
/// <c>thermalization_converged</c>, and <c>tau_int_saved_energy</c> (τ_int of the saved samples' energy, in saved
/// samples: ≈ ½ for independent samples; only when every chain saves ≥ 100).
/// </summary>
public static class SampleCollector
{
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
    /// Runs <see cref="SampleCollectorOptions.Chains"/> chains built by <paramref name="createChain"/> (index → sampler
    /// with its own random stream; all of the same shape) and returns N configurations with the metadata above.
    /// </summary>
    public static SampleSet Collect(Func<int, IMonteCarloSampler> createChain, SampleCollectorOptions options)
    {
        Require.Positive(options.Samples, "number of samples");
        Require.Positive(options.Chains, "number of chains");
        Require.That(options.MaxDegreeOfParallelism == -1 || options.MaxDegreeOfParallelism >= 1, $"thread count must be -1 or positive, got {options.MaxDegreeOfParallelism}.");
        int chains = options.Chains;
        var progress = options.Progress;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = options.Cancellation };

        var states = new ChainState[chains];
        Parallel.For(0, chains, parallel, k => states[k] = new ChainState(createChain(k)));
        int[] shape = states[0].Sampler.Shape;
        int sites = states[0].Scratch.Length;
        foreach (var s in states) Require.That(s.Sampler.Shape.SequenceEqual(shape), "all chains must have the same configuration shape.");
        Require.That((long)options.Samples * sites <= Array.MaxLength, $"{options.Samples} samples of {sites} sites do not fit in one array; ask for fewer samples.");

        // Initial block length from ≈ 10 sweeps of work.
        long[] workBefore = states.Select(s => s.Sampler.Work).ToArray();
        Parallel.For(0, chains, parallel, k =>
        {
            var s = states[k];
            long target = s.Sampler.Work + 10L * sites;
            while (s.Sampler.Work < target && s.Steps < 10L * sites) { s.Sampler.Step(); s.Steps++; }
        });
        long blockSteps = BlockSteps(states, workBefore, states.Select(s => s.Steps).ToArray(), sites);

        // Pilot rounds.
        int pilot = Math.Max(16, options.InitialPilotBlocks);
        double previousTauSteps = double.NaN;
        (double Tau, double Error) tauE = default, tauM = default;
        bool converged = false;
        long acceptedBlockSteps = blockSteps;
        for (int round = 0; ; round++)
        {
            long thermalizedBefore = states.Min(s => s.Steps);
            long[] stepsBefore = states.Select(s => s.Steps).ToArray();
            workBefore = states.Select(s => s.Sampler.Work).ToArray();
            long block = blockSteps;
            int length = pilot;
            Parallel.For(0, chains, parallel, k =>
            {
                var s = states[k];
                s.Energy = new double[length];
                s.AbsMagnetization = new double[length];
                for (int b = 0; b < length; b++)
                {
                    for (long t = 0; t < block; t++) s.Sampler.Step();
                    s.Steps += block;
                    s.Energy[b] = s.Sampler.MonitorObservable();
                    s.AbsMagnetization[b] = AbsMagnetization(s);
                    if ((b & 63) == 0) options.Cancellation.ThrowIfCancellationRequested();
                }
            });
            tauE = MeanTau(states, s => s.Energy);
            tauM = MeanTau(states, s => s.AbsMagnetization);
            double tau = Math.Max(tauE.Tau, tauM.Tau);
            double error = tauE.Tau >= tauM.Tau ? tauE.Error : tauM.Error;
            double tauSteps = tau * block;
            bool longEnough = length >= 50 * tau;
            bool thermalized = thermalizedBefore >= options.ThermalizationTaus * tauSteps;
            bool stable = round > 0 && tauSteps <= previousTauSteps + Math.Max(3 * error * block, 0.25 * tauSteps);
            progress.Report("thermalisation", 0.0,
                $"round {round + 1}: {length} blocks of {block} steps, tau_int(E) = {tauE.Tau:F2}, tau_int(|m|) = {tauM.Tau:F2} blocks");
            acceptedBlockSteps = block;
            if (longEnough && thermalized && stable) { converged = true; break; }
            if (length >= options.MaxPilotBlocks) break;
            previousTauSteps = tauSteps;
            blockSteps = BlockSteps(states, workBefore, states.Select((s, k) => s.Steps - stepsBefore[k]).ToArray(), sites);
            pilot = (int)Math.Min((long)length * 2, options.MaxPilotBlocks);
        }

        double tauBlocks = Math.Max(tauE.Tau, tauM.Tau);
        long spacingBlocks = Math.Max(1, (long)Math.Ceiling(options.SpacingTaus * tauBlocks));
        long spacing = spacingBlocks * acceptedBlockSteps;
        long thermalization = states.Min(s => s.Steps);
        progress.Report("thermalisation", 1.0, $"{thermalization} steps per chain, tau_int = {tauBlocks * acceptedBlockSteps:F2} steps, spacing {spacing} steps");

        // Production: chain k fills samples [offset_k, offset_k + share_k).
        int n = options.Samples;
        var data = new sbyte[n * sites];
        int[] share = Enumerable.Range(0, chains).Select(k => n / chains + (k < n % chains ? 1 : 0)).ToArray();
        int[] offset = new int[chains];
        for (int k = 1; k < chains; k++) offset[k] = offset[k - 1] + share[k - 1];
        int done = 0, reportEvery = Math.Max(1, n / 100);
        Parallel.For(0, chains, parallel, k =>
        {
            var s = states[k];
            s.SavedEnergy = new double[share[k]];
            for (int j = 0; j < share[k]; j++)
            {
                for (long t = 0; t < spacing; t++) s.Sampler.Step();
                s.Steps += spacing;
                s.Sampler.CopyConfiguration(data.AsSpan((offset[k] + j) * sites, sites));
                s.SavedEnergy[j] = s.Sampler.MonitorObservable();
                int d = Interlocked.Increment(ref done);
                if (d % reportEvery == 0 || d == n) progress.Report("sampling", (double)d / n, $"{d}/{n} samples");
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
        metadata.Set("thermalization_converged", converged);
        metadata.Set("spacing", spacing);
        if (share.Min() >= 100) metadata.Set("tau_int_saved_energy", MeanTau(states, s => s.SavedEnergy).Tau);
        return new SampleSet(n, shape, data, metadata);
    }

    private static long BlockSteps(ChainState[] states, long[] workBefore, long[] steps, int sites)
    {
        long work = 0, total = 0;
        for (int k = 0; k < states.Length; k++) { work += states[k].Sampler.Work - workBefore[k]; total += steps[k]; }
        if (work <= 0 || total <= 0) return 1;
        return Math.Max(1, (long)Math.Round((double)sites * total / work));
    }

    private static double AbsMagnetization(ChainState s)
    {
        s.Sampler.CopyConfiguration(s.Scratch);
        long sum = 0;
        foreach (sbyte v in s.Scratch) sum += v;
        return Math.Abs((double)sum) / s.Scratch.Length;
    }

    private static (double Tau, double Error) MeanTau(ChainState[] states, Func<ChainState, double[]> series)
    {
        double tau = 0, variance = 0;
        foreach (var s in states)
        {
            var (t, e, _) = AutoCorrelation.IntegratedTime(series(s));
            tau += t; variance += e * e;
        }
        return (tau / states.Length, Math.Sqrt(variance) / states.Length);
    }
}
