using Rsmi.Filters;
using BenchmarkDotNet.Attributes;
using Rsmi.Data;
using Rsmi.Learning;
using Rsmi.Learning.Ensembles;
using Rsmi.Learning.InfoNce;
using Rsmi.Models;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Regions;
using Rsmi.Renormalization;
using Rsmi.Sampling;

namespace Rsmi.Benchmarks;

/// <summary>
/// One ensemble member of the neural estimator on one thread: a whole InfoNCE learner run with the default settings
/// (2×2 block, environment 4, N_h = 1) and the yardstick critic that judges its filters (400 steps of K = 256, then
/// 40 held-out batches), on 1,000 64×64 Ising configurations at T_c. Run:
/// <c>dotnet run -c Release --project bench/Rsmi.Benchmarks -- --filter '*InfoNce*'</c>.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class InfoNceBenchmarks
{
    private SampleSet _train = null!, _held = null!;
    private readonly WindowGeometry _geometry = WindowGeometry.Square(2, 2, 0, 4);
    private FilterParameters _filter = null!;

    /// <summary><paramref name="count"/> 64×64 Ising configurations at T_c (Wolff, seed 1).</summary>
    public static SampleSet Samples(int count) =>
        IsingSampling.Sample(ModelCatalog.Ising2D.Name, "wolff", 64, Ising2D.CriticalTemperature, count, 1, chains: 2);

    [GlobalSetup]
    public void Setup()
    {
        var samples = Samples(1000);
        _train = samples.Slice(0, 800);
        _held = samples.Slice(800, 200);
        _filter = new FilterParameters(4, 1, [1.4, 1.4, 1.4, 1.4], [0.0]);
    }

    /// <summary>One learner run (1,000 steps of K = 512 with the hidden states summed, then 40 held-out batches).</summary>
    [Benchmark]
    public double Member() => InfoNceLearner.Learn(_train, _geometry, new InfoNceOptions { Hidden = 1, Seed = 1, MaxDegreeOfParallelism = 1 }).MutualInformation.Value;

    /// <summary>One yardstick: a fresh critic trained for 400 steps of K = 256 and evaluated on 40 batches.</summary>
    [Benchmark]
    public double Yardstick()
    {
        var options = new FilterEnsembleOptions().Yardstick with { Seed = 2, MaxDegreeOfParallelism = 1 };
        var critic = HeldOutInformation.Train(_train, _geometry, _filter, FilterMode.Sign, options);
        return HeldOutInformation.Evaluate(critic, _held, 1, "benchmark").Bits;
    }
}
