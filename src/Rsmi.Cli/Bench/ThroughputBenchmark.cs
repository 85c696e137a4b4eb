using System.Diagnostics;
using System.Runtime.Intrinsics;
using Rsmi.Sampling;

using Rsmi.Models.Ising.Multispin;

namespace Rsmi.Cli.Bench;

/// <summary>One line of a sampler benchmark.</summary>
/// <param name="Algorithm">Algorithm name as accepted by <c>rsmi sample --algorithm</c>.</param>
/// <param name="Size">Linear size L.</param>
/// <param name="Threads">Threads used.</param>
/// <param name="FlipsPerNs">Attempted single-spin updates (spins flipped, for cluster algorithms) per nanosecond of wall time, all threads together.</param>
/// <param name="TauInt">Integrated autocorrelation time in steps (sweeps, or clusters for Wolff): the larger of those of the
/// energy and of |m|; null when the measurement run was shorter than 50 τ (Sokal's criterion) or the estimate's error
/// exceeded 20 %, so that no reliable value could be given.</param>
/// <param name="TauIntError">Statistical error of <paramref name="TauInt"/>.</param>
/// <param name="IndependentSamplesPerSecond">Statistically independent configurations per second: replicas · steps/s / (2 τ_int).</param>
/// <param name="StepsMeasured">Length of the energy series used for τ_int.</param>
/// <param name="FlipsPerCpuNs">The same work per nanosecond of CPU time used by this process (all threads): on a
/// shared machine this shows what the code does with the time it gets.</param>
public sealed record ThroughputResult(string Algorithm, int Size, int Threads, double FlipsPerNs, double? TauInt, double? TauIntError,
    double? IndependentSamplesPerSecond, long StepsMeasured, double FlipsPerCpuNs);

/// <summary>
/// A sampler under benchmark: advances <see cref="Replicas"/> independent chains by whole steps and reports
/// the energy per site and |m| of up to <see cref="MonitoredReplicas"/> of them.
/// </summary>
public interface IBenchmarkedSampler
{
    /// <summary>Algorithm name.</summary>
    string Algorithm { get; }
    /// <summary>Independent chains advanced together (lanes for multispin engines).</summary>
    int Replicas { get; }
    /// <summary>Chains whose energy is recorded for τ_int.</summary>
    int MonitoredReplicas { get; }
    /// <summary>Work done so far (single-spin updates or flipped spins, all replicas).</summary>
    long Work { get; }
    /// <summary>Advances all replicas by <paramref name="steps"/> steps on <paramref name="threads"/> threads.</summary>
    void Step(int steps, int threads);
    /// <summary>Energy per site and absolute magnetisation per site of the first <see cref="MonitoredReplicas"/> replicas.</summary>
    void Observables(Span<double> energy, Span<double> absMagnetisation);
}

/// <summary>A multispin engine as a benchmarked sampler.</summary>
public sealed class MultispinBenchmarkedSampler(IMultispinIsing2D engine, string algorithm) : IBenchmarkedSampler
{
    private readonly int[] _h = new int[engine.Lanes], _v = new int[engine.Lanes], _up = new int[engine.Lanes];
    /// <inheritdoc />
    public string Algorithm => algorithm;
    /// <inheritdoc />
    public int Replicas => engine.Lanes;
    /// <inheritdoc />
    public int MonitoredReplicas => Math.Min(64, engine.Lanes);
    /// <inheritdoc />
    public long Work => engine.Work;
    /// <inheritdoc />
    public void Step(int steps, int threads) => engine.Sweep(steps, threads);
    /// <inheritdoc />
    public void Observables(Span<double> energy, Span<double> absMagnetisation)
    {
        engine.CountLanes(_h, _v, _up);
        double n = (double)engine.Size * engine.Size;
        for (int i = 0; i < MonitoredReplicas; i++)
        {
            energy[i] = -2.0 + 2.0 * (_h[i] + _v[i]) / n;
            absMagnetisation[i] = Math.Abs(2.0 * _up[i] - n) / n;
        }
    }
}

/// <summary>One large lattice on the multispin kernels (<see cref="MultispinLattice2D"/>) as a benchmarked sampler: one chain.</summary>
public sealed class MultispinLatticeBenchmarkedSampler(MultispinLattice2D lattice, string algorithm) : IBenchmarkedSampler
{
    /// <inheritdoc />
    public string Algorithm => algorithm;
    /// <inheritdoc />
    public int Replicas => 1;
    /// <inheritdoc />
    public int MonitoredReplicas => 1;
    /// <inheritdoc />
    public long Work => lattice.Work;
    /// <inheritdoc />
    public void Step(int steps, int threads) => lattice.Sweep(steps, threads);
    /// <inheritdoc />
    public void Observables(Span<double> energy, Span<double> absMagnetisation)
    {
        var (e, m) = lattice.Observables();
        energy[0] = e;
        absMagnetisation[0] = Math.Abs(m);
    }
}

/// <summary>
/// Measures sampler throughput: flips per nanosecond over a timed run of whole steps, then τ_int of the energy and
/// of |m| (Sokal's automatic window on the autocorrelation function averaged over the monitored replicas; the
/// larger is used) from a second run started after a thermalisation of equal length, and independent samples per
/// second.
/// </summary>
public static class ThroughputBenchmark
{
    /// <summary>Sokal's window factor: the sum stops at the first lag W ≥ c·τ(W).</summary>
    public const double WindowFactor = 6;
    /// <summary>A τ_int estimate is reported only when the series is at least this many τ long …</summary>
    public const double MinimumLengthInTaus = 50;
    /// <summary>… and its statistical error is at most this fraction of τ (short noisy series give small, wrong τ).</summary>
    public const double MaximumRelativeError = 0.2;

    /// <summary>The CPU model (from /proc/cpuinfo on Linux), or the processor architecture.</summary>
    public static string CpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                    if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':') + 1)..].Trim() + $" ({Environment.ProcessorCount} logical CPUs)";
        }
        catch (IOException) { }
        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture + $" ({Environment.ProcessorCount} logical CPUs)";
    }

    /// <summary>The widest hardware-accelerated vector width, e.g. "512-bit (AVX-512)".</summary>
    public static string SimdDescription() =>
        Vector512.IsHardwareAccelerated ? "512-bit (AVX-512)"
        : Vector256.IsHardwareAccelerated ? "256-bit (AVX2)"
        : Vector128.IsHardwareAccelerated ? "128-bit" : "none (64-bit scalar)";

    /// <summary>
    /// Runs <paramref name="sampler"/> (at L = <paramref name="size"/>) for about <paramref name="seconds"/> s of timed
    /// steps, then 2·<paramref name="seconds"/> of thermalisation and 2·<paramref name="seconds"/> of energy series.
    /// </summary>
    public static ThroughputResult Measure(IBenchmarkedSampler sampler, int size, int threads, double seconds)
    {
        // Warm-up (JIT, caches) and chunk calibration: chunks of about 20 ms keep the clock overhead small.
        var clock = Stopwatch.StartNew();
        sampler.Step(1, threads);
        double perStep = Math.Max(clock.Elapsed.TotalSeconds, 1e-7);
        int chunk = (int)Math.Clamp(0.02 / perStep, 1, 1 << 20);

        long work0 = sampler.Work;
        long steps = 0;
        var process = Process.GetCurrentProcess();
        TimeSpan cpu0 = process.TotalProcessorTime;
        clock.Restart();
        while (clock.Elapsed.TotalSeconds < seconds || steps == 0)
        {
            sampler.Step(chunk, threads);
            steps += chunk;
        }
        double ns = clock.Elapsed.TotalNanoseconds;
        process.Refresh();
        double cpuNs = (process.TotalProcessorTime - cpu0).TotalNanoseconds;
        double flipsPerNs = (sampler.Work - work0) / ns;
        double flipsPerCpuNs = cpuNs > 0 ? (sampler.Work - work0) / cpuNs : double.NaN;
        double stepsPerSecond = steps / (ns * 1e-9);

        // Thermalise, then record the energy of the monitored replicas after every step.
        clock.Restart();
        while (clock.Elapsed.TotalSeconds < 2 * seconds) sampler.Step(chunk, threads);
        int monitored = sampler.MonitoredReplicas;
        var series = new List<double[]>();
        var magnetisation = new List<double[]>();
        var energies = new double[monitored];
        var absM = new double[monitored];
        clock.Restart();
        while (clock.Elapsed.TotalSeconds < 2 * seconds || series.Count < 16)
        {
            sampler.Step(1, threads);
            sampler.Observables(energies, absM);
            series.Add((double[])energies.Clone());
            magnetisation.Add((double[])absM.Clone());
        }
        var tauE = IntegratedTime(series, monitored);
        var tauM = IntegratedTime(magnetisation, monitored);
        var (tau, error) = double.IsNaN(tauM.Tau) || tauE.Tau >= tauM.Tau ? tauE : tauM;
        bool reliable = !double.IsNaN(tau) && series.Count >= MinimumLengthInTaus * tau && error <= MaximumRelativeError * tau;
        return new ThroughputResult(sampler.Algorithm, size, threads, flipsPerNs,
            reliable ? tau : null, reliable ? error : null,
            reliable ? sampler.Replicas * stepsPerSecond / (2 * tau) : null, series.Count, flipsPerCpuNs);
    }

    /// <summary>
    /// τ_int = ½ + Σ_{t=1}^{W} ρ(t) with ρ the normalised autocorrelation averaged over replicas and W the first lag
    /// with W ≥ 6 τ(W) (Sokal, "Monte Carlo methods in statistical mechanics", 1997); error
    /// τ·√(2(2W+1)/(N·replicas)) (Madras–Sokal). NaN when the series is constant.
    /// </summary>
    public static (double Tau, double Error) IntegratedTime(IReadOnlyList<double[]> series, int replicas)
    {
        int n = series.Count;
        var centred = new List<double[]>();
        var variance = new List<double>();
        for (int r = 0; r < replicas; r++)
        {
            var x = new double[n];
            double mean = 0;
            for (int t = 0; t < n; t++) mean += x[t] = series[t][r];
            mean /= n;
            double c0 = 0;
            for (int t = 0; t < n; t++) { x[t] -= mean; c0 += x[t] * x[t]; }
            if (c0 <= 0) continue;
            centred.Add(x);
            variance.Add(c0 / n);
        }
        if (centred.Count == 0) return (double.NaN, double.NaN);
        double tau = 0.5;
        // A reliable estimate needs W ≈ 6τ ≤ 6n/50: lags beyond that only show that the run was too short.
        int maxLag = Math.Max(1, (int)(WindowFactor * n / MinimumLengthInTaus));
        int window = maxLag;
        for (int lag = 1; lag <= maxLag && lag < n; lag++)
        {
            double rho = 0;
            for (int r = 0; r < centred.Count; r++)
            {
                var x = centred[r];
                double c = 0;
                for (int t = 0; t + lag < n; t++) c += x[t] * x[t + lag];
                rho += c / (n - lag) / variance[r];
            }
            tau += rho / centred.Count;
            if (lag >= WindowFactor * tau) { window = lag; break; }
            if (lag == maxLag) tau = double.PositiveInfinity;   // no window found: τ exceeds what this run can measure
        }
        return (tau, tau * Math.Sqrt(2.0 * (2 * window + 1) / ((double)n * centred.Count)));
    }
}

/// <summary>
/// Independent chains of a scalar <see cref="IMonteCarloSampler"/> (one per thread, each with its own random stream)
/// as a benchmarked sampler; <see cref="IMonteCarloSampler.MonitorObservable"/> is the energy per site.
/// </summary>
public sealed class ChainsBenchmarkedSampler : IBenchmarkedSampler
{
    private readonly IMonteCarloSampler[] _chains;
    private sbyte[] _scratch = [];

    /// <summary>Wraps <paramref name="chains"/> (at least one) under the name <paramref name="algorithm"/>.</summary>
    public ChainsBenchmarkedSampler(string algorithm, IMonteCarloSampler[] chains)
    {
        Algorithm = algorithm;
        _chains = chains;
    }

    /// <inheritdoc />
    public string Algorithm { get; }
    /// <inheritdoc />
    public int Replicas => _chains.Length;
    /// <inheritdoc />
    public int MonitoredReplicas => _chains.Length;
    /// <inheritdoc />
    public long Work => _chains.Sum(c => c.Work);

    /// <inheritdoc />
    public void Step(int steps, int threads)
    {
        if (_chains.Length == 1 || threads == 1)
        {
            foreach (var chain in _chains) for (int s = 0; s < steps; s++) chain.Step();
            return;
        }
        Parallel.For(0, _chains.Length, new ParallelOptions { MaxDegreeOfParallelism = threads },
            k => { for (int s = 0; s < steps; s++) _chains[k].Step(); });
    }

    /// <inheritdoc />
    public void Observables(Span<double> energy, Span<double> absMagnetisation)
    {
        for (int k = 0; k < _chains.Length; k++)
        {
            energy[k] = _chains[k].MonitorObservable();
            var shape = _chains[k].Shape;
            int n = shape.Aggregate(1, (a, b) => a * b);
            if (_scratch.Length != n) _scratch = new sbyte[n];
            absMagnetisation[k] = _chains[k].AbsMagnetisation(_scratch);
        }
    }
}
