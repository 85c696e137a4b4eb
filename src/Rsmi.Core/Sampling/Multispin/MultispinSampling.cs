using Rsmi.Data;
using Rsmi.Progress;
using Rsmi.Statistics;

namespace Rsmi.Sampling.Multispin;

/// <summary>
/// Equilibrium samples from a multispin engine, whose lanes are the independent chains. Thermalisation and
/// spacing follow the rule of <see cref="SampleCollector"/>, with sweeps as the time unit: pilot rounds of
/// P = 200, 400, 800… sweeps record every monitored lane's energy and |m| after each sweep; τ_int (Sokal window,
/// <see cref="AutoCorrelation.IntegratedTime"/>) is averaged over up to 64 lanes, and the round is accepted when
/// P ≥ 50 τ, the sweeps before it are ≥ 20 τ and τ did not grow significantly since the previous round (τ = max of
/// the energy and |m| times). Then every lane saves a configuration every ⌈2τ⌉ sweeps. Lane ℓ fills samples
/// [ℓ·n/lanes…), so the file holds each lane's samples in time order, lane after lane; the output does not depend
/// on the thread count.
/// </summary>
public static class MultispinSampling
{
    private const int MonitoredLanes = 64;
    private const int InitialPilotSweeps = 200;
    private const int MaxPilotSweeps = 1 << 19;

    /// <summary>
    /// <paramref name="samples"/> ≥ 1 configurations (shape [L, L]) from <paramref name="engine"/>, using
    /// min(samples, lanes) lanes; <paramref name="threads"/> −1 (all cores) or ≥ 1. Metadata as in
    /// <see cref="SampleCollector.Collect"/> (time unit: sweeps), plus <c>lanes</c>.
    /// </summary>
    public static SampleSet Sample(IMultispinIsing2D engine, string algorithm, int samples, int threads = -1,
        IProgressReporter? progress = null, CancellationToken cancellation = default)
    {
        Require.Positive(samples, "--samples");
        Require.That(threads == -1 || threads >= 1, $"--threads must be -1 or at least 1, got {threads}.");
        progress ??= NullProgress.Instance;
        int workers = threads == -1 ? Environment.ProcessorCount : threads;
        int l = engine.Size, sites = l * l, lanes = engine.Lanes;
        int used = Math.Min(samples, lanes);
        int monitored = Math.Min(MonitoredLanes, used);
        Require.That((long)samples * sites <= Array.MaxLength, $"{samples} samples of {sites} sites do not fit in one array; ask for fewer samples.");

        var h = new int[lanes]; var v = new int[lanes]; var up = new int[lanes];
        void Record(double[][] energy, double[][] absM, int t)
        {
            engine.CountLanes(h, v, up);
            for (int i = 0; i < monitored; i++)
            {
                energy[i][t] = -2.0 + 2.0 * (h[i] + v[i]) / sites;
                absM[i][t] = Math.Abs(2.0 * up[i] - sites) / sites;
            }
        }
        var (tauE, tauM, converged) = Thermalise(() => engine.Sweeps, () => engine.Sweep(1, workers), Record, monitored, progress, cancellation);
        double tauSweeps = Math.Max(tauE.Tau, tauM.Tau);
        int spacing = Math.Max(1, (int)Math.Ceiling(2 * tauSweeps));
        long thermalization = engine.Sweeps;
        progress.Report("thermalisation", 1.0, $"{thermalization} sweeps, tau_int = {tauSweeps:F2} sweeps, spacing {spacing} sweeps");

        int[] share = Enumerable.Range(0, used).Select(k => samples / used + (k < samples % used ? 1 : 0)).ToArray();
        int[] offset = new int[used];
        for (int k = 1; k < used; k++) offset[k] = offset[k - 1] + share[k - 1];
        var data = new sbyte[(long)samples * sites];
        var savedEnergy = Enumerable.Range(0, monitored).Select(k => new double[share[k]]).ToArray();
        int rounds = share[0];
        for (int j = 0; j < rounds; j++)
        {
            engine.Sweep(spacing, workers);
            for (int k = 0; k < used && j < share[k]; k++)
                engine.CopyConfiguration(k, data.AsSpan((offset[k] + j) * sites, sites));
            engine.CountLanes(h, v, up);
            for (int k = 0; k < monitored && j < share[k]; k++) savedEnergy[k][j] = -2.0 + 2.0 * (h[k] + v[k]) / sites;
            progress.Report("sampling", (double)(j + 1) / rounds, $"{Math.Min(samples, (long)(j + 1) * used)}/{samples} samples");
            cancellation.ThrowIfCancellationRequested();
        }

        var metadata = Metadata(algorithm, used, lanes, tauE, tauM, thermalization, converged, spacing);
        if (share.Take(monitored).Min() >= 100) metadata.Set("tau_int_saved_energy", MeanTau(savedEnergy).Tau);
        return new SampleSet(samples, [l, l], data, metadata);
    }

    /// <summary>
    /// <paramref name="samples"/> ≥ 1 configurations (shape [L, L]) of one lattice, <paramref name="lattice"/>, saved
    /// every ⌈2τ⌉ sweeps after the same thermalisation rule, τ measured on its energy and |m| (one chain);
    /// <paramref name="threads"/> −1 (all cores) or ≥ 1. Metadata as for the replicas, with <c>chains</c> = 1 and
    /// <c>lanes</c> = the number of strips.
    /// </summary>
    public static SampleSet Sample(MultispinLattice2D lattice, string algorithm, int samples, int threads = -1,
        IProgressReporter? progress = null, CancellationToken cancellation = default)
    {
        Require.Positive(samples, "--samples");
        Require.That(threads == -1 || threads >= 1, $"--threads must be -1 or at least 1, got {threads}.");
        progress ??= NullProgress.Instance;
        int workers = threads == -1 ? Environment.ProcessorCount : threads;
        int l = lattice.Size, sites = l * l;
        Require.That((long)samples * sites <= Array.MaxLength, $"{samples} samples of {sites} sites do not fit in one array; ask for fewer samples.");
        void Record(double[][] energy, double[][] absM, int t)
        {
            var (e, m) = lattice.Observables();
            energy[0][t] = e;
            absM[0][t] = Math.Abs(m);
        }
        var (tauE, tauM, converged) = Thermalise(() => lattice.Sweeps, () => lattice.Sweep(1, workers), Record, 1, progress, cancellation);
        double tauSweeps = Math.Max(tauE.Tau, tauM.Tau);
        int spacing = Math.Max(1, (int)Math.Ceiling(2 * tauSweeps));
        long thermalization = lattice.Sweeps;
        progress.Report("thermalisation", 1.0, $"{thermalization} sweeps, tau_int = {tauSweeps:F2} sweeps, spacing {spacing} sweeps");

        var data = new sbyte[(long)samples * sites];
        var savedEnergy = new double[samples];
        for (int j = 0; j < samples; j++)
        {
            lattice.Sweep(spacing, workers);
            lattice.CopyConfiguration(data.AsSpan(j * sites, sites));
            savedEnergy[j] = lattice.Observables().Energy;
            progress.Report("sampling", (double)(j + 1) / samples, $"{j + 1}/{samples} samples");
            cancellation.ThrowIfCancellationRequested();
        }
        var metadata = Metadata(algorithm, 1, lattice.Strips, tauE, tauM, thermalization, converged, spacing);
        if (samples >= 100) metadata.Set("tau_int_saved_energy", MeanTau([savedEnergy]).Tau);
        return new SampleSet(samples, [l, l], data, metadata);
    }

    private static (double Tau, double Error) MeanTau(double[][] series)
    {
        double tau = 0, variance = 0;
        foreach (var s in series)
        {
            var (t, e, _) = AutoCorrelation.IntegratedTime(s);
            tau += t; variance += e * e;
        }
        return (tau / series.Length, Math.Sqrt(variance) / series.Length);
    }

    /// <summary>
    /// Pilot rounds of P = 200, 400, 800… sweeps, recording the monitored chains' energy and |m| after each sweep,
    /// until P ≥ 50 τ, the sweeps before the round are ≥ 20 τ and τ did not grow significantly since the previous
    /// round (τ = the larger of the energy and |m| times, averaged over the chains).
    /// </summary>
    private static ((double Tau, double Error) Energy, (double Tau, double Error) AbsMagnetisation, bool Converged) Thermalise(
        Func<long> sweepsDone, Action sweep, Action<double[][], double[][], int> record, int monitored,
        IProgressReporter progress, CancellationToken cancellation)
    {
        int pilot = InitialPilotSweeps;
        double previousTau = double.NaN;
        (double Tau, double Error) tauE = default, tauM = default;
        for (int round = 0; ; round++)
        {
            long before = sweepsDone();
            var energy = Enumerable.Range(0, monitored).Select(_ => new double[pilot]).ToArray();
            var absM = Enumerable.Range(0, monitored).Select(_ => new double[pilot]).ToArray();
            for (int t = 0; t < pilot; t++)
            {
                sweep();
                record(energy, absM, t);
                if ((t & 63) == 0) cancellation.ThrowIfCancellationRequested();
            }
            tauE = MeanTau(energy);
            tauM = MeanTau(absM);
            double tau = Math.Max(tauE.Tau, tauM.Tau);
            double error = tauE.Tau >= tauM.Tau ? tauE.Error : tauM.Error;
            bool longEnough = pilot >= 50 * tau;
            bool thermalized = before >= 20 * tau;
            bool stable = round > 0 && tau <= previousTau + Math.Max(3 * error, 0.25 * tau);
            progress.Report("thermalisation", 0.0, $"round {round + 1}: {pilot} sweeps, tau_int(E) = {tauE.Tau:F2}, tau_int(|m|) = {tauM.Tau:F2} sweeps");
            if (longEnough && thermalized && stable) return (tauE, tauM, true);
            if (pilot >= MaxPilotSweeps) return (tauE, tauM, false);
            previousTau = tau;
            pilot = Math.Min(pilot * 2, MaxPilotSweeps);
        }
    }

    private static SampleMetadata Metadata(string algorithm, int chains, int lanes, (double Tau, double Error) tauE,
        (double Tau, double Error) tauM, long thermalization, bool converged, int spacing)
    {
        var metadata = new SampleMetadata { Algorithm = algorithm };
        metadata.Set("chains", chains);
        metadata.Set("lanes", lanes);
        metadata.Set("block_steps", 1L);
        metadata.Set("tau_int", Math.Max(tauE.Tau, tauM.Tau));
        metadata.Set("tau_int_energy", tauE.Tau);
        metadata.Set("tau_int_energy_error", tauE.Error);
        metadata.Set("tau_int_abs_magnetization", tauM.Tau);
        metadata.Set("tau_int_abs_magnetization_error", tauM.Error);
        metadata.Set("thermalization_steps", thermalization);
        metadata.Set("thermalization_converged", converged);
        metadata.Set("spacing", (long)spacing);
        return metadata;
    }
}
