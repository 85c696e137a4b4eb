using BenchmarkDotNet.Attributes;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Random;
using Rsmi.Sampling;

namespace Rsmi.Benchmarks;

/// <summary>
/// Scalar Ising samplers on the 128 × 128 torus at T_c, one thread. Sweep benchmarks are normalised per site
/// (OperationsPerInvoke = L²), so their "Mean" is nanoseconds per attempted flip: flips/ns = 1 / Mean.
/// <see cref="WolffIndependentSample"/> runs ⌈2 τ_int⌉ clusters, τ_int (in clusters, the larger of the energy's
/// and |m|'s) measured by <see cref="SampleCollector"/> in the setup: 1 s / Mean is the number of independent
/// samples per second. Run: <c>dotnet run -c Release --project bench/Rsmi.Benchmarks -- --filter '*IsingSampler*'
/// --inProcess --warmupCount 3 --iterationCount 15</c>.
/// </summary>
public class IsingSamplerBenchmarks
{
    private const int L = 128;
    private const double Tc = Ising2D.CriticalTemperature;
    private const ulong Seed = 2018;

    private Ising2DMetropolis<Xoshiro256StarStar> _metropolis = null!;
    private Ising2DHeatBath<Xoshiro256StarStar> _heatBath = null!;
    private Ising2DSwendsenWang<Xoshiro256StarStar> _swendsenWang = null!;
    private Ising2DWolff<Xoshiro256StarStar> _wolff = null!;
    private long _clustersPerIndependentSample;

    /// <summary>Clusters per independent sample, ⌈2 τ_int⌉, from the setup's measurement.</summary>
    public long ClustersPerIndependentSample => _clustersPerIndependentSample;

    [GlobalSetup]
    public void Setup()
    {
        _metropolis = new(L, Tc, RandomStreams.Create(Seed, 0, "bench"));
        _heatBath = new(L, Tc, RandomStreams.Create(Seed, 1, "bench"));
        _swendsenWang = new(L, Tc, RandomStreams.Create(Seed, 2, "bench"));
        _wolff = new(L, Tc, RandomStreams.Create(Seed, 3, "bench"));
        for (int i = 0; i < 2000; i++) { _metropolis.Step(); _heatBath.Step(); }
        for (int i = 0; i < 300; i++) _swendsenWang.Step();
        var measured = IsingSampling.Sample(Rsmi.Models.ModelCatalog.Ising2DName, "wolff", L, Tc, samples: 200, seed: Seed, chains: 1, threads: 1);
        double tau = measured.Metadata.GetDouble("tau_int")!.Value;
        _clustersPerIndependentSample = (long)Math.Ceiling(2 * tau);
        for (int i = 0; i < 20_000; i++) _wolff.Step();
        Console.WriteLine($"// Wolff L={L} T_c: tau_int = {tau:F2} clusters (energy {measured.Metadata.GetDouble("tau_int_energy"):F2}, |m| {measured.Metadata.GetDouble("tau_int_abs_magnetization"):F2}), block = {measured.Metadata.GetLong("block_steps")} clusters; independent sample = {_clustersPerIndependentSample} clusters");
    }

    [Benchmark(OperationsPerInvoke = L * L)]
    public void MetropolisSweep() => _metropolis.Step();

    [Benchmark(OperationsPerInvoke = L * L)]
    public void HeatBathSweep() => _heatBath.Step();

    [Benchmark(OperationsPerInvoke = L * L)]
    public void SwendsenWangStep() => _swendsenWang.Step();

    [Benchmark]
    public void WolffCluster() => _wolff.Step();

    [Benchmark]
    public void WolffIndependentSample()
    {
        for (long i = 0; i < _clustersPerIndependentSample; i++) _wolff.Step();
    }
}
