using BenchmarkDotNet.Attributes;
using Rsmi.Sampling;
using Rsmi.Sampling.Multispin;

namespace Rsmi.Benchmarks;

/// <summary>
/// One checkerboard sweep of the multispin engines and one sweep-equivalent of the scalar samplers at T_c.
/// Flips per ns = L² · lanes / (mean time per sweep): 64, 256 or 512 lanes for the multispin engines.
/// Run: <c>dotnet run -c Release --project bench/Rsmi.Benchmarks -- --filter '*Multispin*'</c>.
/// </summary>
[MemoryDiagnoser]
public class MultispinBenchmarks
{
    private static readonly double CriticalTemperature = 2.0 / Math.Log(1 + Math.Sqrt(2));
    private IMultispinIsing2D _engine = null!;

    /// <summary>Linear size.</summary>
    [Params(64, 128)]
    public int Size { get; set; }

    /// <summary>Algorithm name as in <c>rsmi sample --algorithm</c>.</summary>
    [Params("multispin-metropolis-64", "multispin-metropolis-256", "multispin-metropolis-512", "multispin-heatbath-512")]
    public string Algorithm { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _engine = MultispinAlgorithms.Create(Algorithm, Size, CriticalTemperature, 1);
        _engine.Sweep(100);
    }

    /// <summary>One sweep of every lane on one thread.</summary>
    [Benchmark]
    public void Sweep() => _engine.Sweep(1);
}

/// <summary>The scalar samplers at T_c, one sweep's worth of work (L² attempted updates or flipped spins) per call.</summary>
[MemoryDiagnoser]
public class ScalarIsingBenchmarks
{
    private static readonly double CriticalTemperature = 2.0 / Math.Log(1 + Math.Sqrt(2));
    private IMonteCarloSampler _sampler = null!;

    /// <summary>Linear size.</summary>
    [Params(64, 128)]
    public int Size { get; set; }

    /// <summary>Algorithm name.</summary>
    [Params("metropolis", "heatbath", "wolff", "swendsen-wang")]
    public string Algorithm { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _sampler = IsingSamplerFactory.Create(IsingSamplerFactory.Ising2D, Algorithm, Size, CriticalTemperature, 1);
        for (int i = 0; i < 100; i++) _sampler.Step();
    }

    /// <summary>Steps until at least L² more work is done.</summary>
    [Benchmark]
    public long SweepOfWork()
    {
        long target = _sampler.Work + (long)Size * Size;
        long steps = 0;
        while (_sampler.Work < target) { _sampler.Step(); steps++; }
        return steps;
    }
}
