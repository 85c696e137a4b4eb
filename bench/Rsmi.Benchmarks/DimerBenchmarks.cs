using BenchmarkDotNet.Attributes;
using Rsmi.Models.Dimers;
using Rsmi.Random;

namespace Rsmi.Benchmarks;

/// <summary>
/// Worm updates of fully packed dimers (<see cref="DimerWormSampler{TRandom}"/>): time per worm and per dimer
/// move at L = 32, 64, 128, and the cost of writing one 2L×2L image with fresh noise spins.
/// Run: <c>dotnet run -c Release --project bench/Rsmi.Benchmarks -- --filter '*Dimer*'</c>.
/// </summary>
[MemoryDiagnoser]
public class DimerBenchmarks
{
    private DimerWormSampler<Xoshiro256StarStar> _sampler = null!;
    private sbyte[] _image = [];

    [Params(32, 64, 128)]
    public int L { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _sampler = DimerWormSampler.Create(new DimerLattice(L), 1, 2.0);
        _sampler.Run(5000);
        _image = new sbyte[4 * L * L];
    }

    /// <summary>100 worms (mean length ≈ 0.9 L^{3/2} moves each).</summary>
    [Benchmark(OperationsPerInvoke = 100)]
    public long Worm()
    {
        _sampler.Run(100);
        return _sampler.Work;
    }

    /// <summary>One worm followed by writing the image (noise redrawn).</summary>
    [Benchmark]
    public sbyte WormAndImage()
    {
        _sampler.Step();
        _sampler.CopyConfiguration(_image);
        return _image[1];
    }
}
