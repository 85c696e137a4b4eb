using BenchmarkDotNet.Attributes;
using Rsmi.Models.Ising.Exact;
using Rsmi.Models.Ising.Multispin;

namespace Rsmi.Benchmarks;

/// <summary>
/// One checkerboard sweep of the multispin engines at T_c (the scalar samplers are in IsingSamplerBenchmarks).
/// Flips per ns = L² · lanes / (mean time per sweep): 64, 128, 256 or 512 lanes for the multispin engines.
/// Run: <c>dotnet run -c Release --project bench/Rsmi.Benchmarks -- --filter '*Multispin*'</c>.
/// </summary>
[MemoryDiagnoser]
public class MultispinBenchmarks
{
    private const double CriticalTemperature = Ising2D.CriticalTemperature;
    private IMultispinIsing2D _engine = null!;

    /// <summary>Linear size.</summary>
    [Params(64, 128)]
    public int Size { get; set; }

    /// <summary>Algorithm name as in <c>rsmi sample --algorithm</c>.</summary>
    [Params("multispin-metropolis-64", "multispin-metropolis-128", "multispin-metropolis-256", "multispin-metropolis-512", "multispin-heatbath-512")]
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


/// <summary>
/// One sweep of a single large lattice on the multispin kernels (one strip per lane) at T_c. Flips per ns = L² /
/// (mean time per sweep). Run: <c>dotnet run -c Release --project bench/Rsmi.Benchmarks -- --filter '*MultispinLattice*'</c>.
/// </summary>
[MemoryDiagnoser]
public class MultispinLatticeBenchmarks
{
    private const double CriticalTemperature = Ising2D.CriticalTemperature;
    private MultispinLattice2D _lattice = null!;

    /// <summary>Linear size (a multiple of 2 × lanes).</summary>
    [Params(1024, 4096)]
    public int Size { get; set; }

    /// <summary>Algorithm name as in <c>rsmi sample --algorithm</c>.</summary>
    [Params("multispin-lattice-metropolis-64", "multispin-lattice-metropolis-512")]
    public string Algorithm { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _lattice = MultispinAlgorithms.CreateLattice(Algorithm, Size, CriticalTemperature, 1);
        _lattice.Sweep(10);
    }

    /// <summary>One sweep of the whole lattice on one thread.</summary>
    [Benchmark]
    public void Sweep() => _lattice.Sweep(1);
}
