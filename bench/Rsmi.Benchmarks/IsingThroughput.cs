using System.Diagnostics;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Random;
using Rsmi.Sampling;
using Rsmi.Statistics;

namespace Rsmi.Benchmarks;

/// <summary>
/// Single-thread throughput of the scalar Ising samplers at L = 128, T_c, with wall-clock and process CPU time
/// (the latter is what one core delivers when a shared machine is oversubscribed). Wolff independent samples per
/// second = clusters per second / (2 τ_int), τ_int in clusters measured here from a long per-cluster series of
/// the energy and |m| (the larger of the two). Run:
/// <c>dotnet run -c Release --project bench/Rsmi.Benchmarks -- ising-throughput [repeats]</c>.
/// </summary>
public static class IsingThroughput
{
    private const int L = 128;
    private const double Tc = Ising2D.CriticalTemperature;

    public static void Run(int repeats)
    {
        Console.WriteLine($"cpu: {CpuModel()}; processors: {Environment.ProcessorCount}; load: {Load()}");
        var metropolis = new Ising2DMetropolis<Xoshiro256StarStar>(L, Tc, RandomStreams.Create(1, 0, "throughput"));
        for (int i = 0; i < 2000; i++) metropolis.Step();
        var flipsPerNsWall = new List<double>();
        var flipsPerNsCpu = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            var (wall, cpu) = Time(() => { for (int i = 0; i < 1000; i++) metropolis.Step(); });
            flipsPerNsWall.Add(1000.0 * L * L / (wall * 1e9));
            flipsPerNsCpu.Add(1000.0 * L * L / (cpu * 1e9));
        }
        Console.WriteLine($"metropolis L={L} T_c: flips/ns median {Median(flipsPerNsWall):F3} (wall), {Median(flipsPerNsCpu):F3} (cpu); runs {string.Join(" ", flipsPerNsWall.Select(v => v.ToString("F3")))}");

        var wolff = new Ising2DWolff<Xoshiro256StarStar>(L, Tc, RandomStreams.Create(1, 1, "throughput"));
        for (int i = 0; i < 20_000; i++) wolff.Step();
        const int series = 100_000;
        var energy = new double[series];
        var absM = new double[series];
        long work = wolff.Work;
        for (int i = 0; i < series; i++)
        {
            wolff.Step();
            energy[i] = wolff.MonitorObservable();
            absM[i] = Math.Abs(wolff.Magnetisation());
        }
        double meanCluster = (double)(wolff.Work - work) / series;
        var tauE = AutoCorrelation.IntegratedTime(energy);
        var tauM = AutoCorrelation.IntegratedTime(absM);
        double tau = Math.Max(tauE.Tau, tauM.Tau);
        Console.WriteLine($"wolff L={L} T_c: mean cluster {meanCluster:F0} spins ({meanCluster / (L * L):F3} of the lattice); tau_int in clusters: energy {tauE.Tau:F2} ± {tauE.Error:F2}, |m| {tauM.Tau:F2} ± {tauM.Error:F2}; an independent sample = 2 tau_int = {2 * tau:F1} clusters");

        var samplesWall = new List<double>();
        var samplesCpu = new List<double>();
        var nsPerSpin = new List<double>();
        const int clusters = 20_000;
        for (int r = 0; r < repeats; r++)
        {
            long w0 = wolff.Work;
            var (wall, cpu) = Time(() => { for (int i = 0; i < clusters; i++) wolff.Step(); });
            samplesWall.Add(clusters / wall / (2 * tau));
            samplesCpu.Add(clusters / cpu / (2 * tau));
            nsPerSpin.Add(cpu * 1e9 / (wolff.Work - w0));
        }
        Console.WriteLine($"wolff L={L} T_c: independent samples/s median {Median(samplesWall):F0} (wall), {Median(samplesCpu):F0} (cpu); {Median(nsPerSpin):F2} cpu-ns per flipped spin; runs {string.Join(" ", samplesWall.Select(v => v.ToString("F0")))}");
        Console.WriteLine($"load after: {Load()}");
    }

    private static (double Wall, double Cpu) Time(Action action)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        action();
        double wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu0).TotalSeconds);
    }

    private static double Median(List<double> values)
    {
        var s = values.OrderBy(v => v).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }

    private static string CpuModel()
    {
        try { return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown"; }
        catch (IOException) { return "unknown"; }
    }

    private static string Load()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
    }
}
