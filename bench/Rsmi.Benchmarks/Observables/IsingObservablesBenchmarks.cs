using BenchmarkDotNet.Attributes;
using Rsmi.Models.Ising;
using Rsmi.Random;
using Rsmi.Statistics;

namespace Rsmi.Benchmarks.Observables;

/// <summary>One-pass measurement of all Ising observables on an L × L configuration.</summary>
[MemoryDiagnoser]
public class IsingObservablesBenchmarks
{
    private IsingObservables _obs = null!;
    private sbyte[] _spins = null!;

    [Params(64, 128)]
    public int L { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _obs = new IsingObservables(L, L);
        _spins = new sbyte[L * L];
        var rng = RandomStreams.Create(1);
        for (int i = 0; i < _spins.Length; i++) _spins[i] = (sbyte)(rng.NextDouble() < 0.5 ? 1 : -1);
    }

    [Benchmark]
    public IsingMeasurement Measure() => _obs.Measure(_spins);
}

/// <summary>Error analysis of a series of 2^20 values.</summary>
public class StatisticsBenchmarks
{
    private double[] _series = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = RandomStreams.Create(2);
        _series = new double[1 << 20];
        double v = 0;
        for (int i = 0; i < _series.Length; i++) { v = 0.95 * v + rng.NextGaussian(); _series[i] = v; }
    }

    [Benchmark]
    public Estimate Binning() => Rsmi.Statistics.Binning.Analyse(_series);

    [Benchmark]
    public AutocorrelationTime IntegratedTime() => AutoCorrelation.IntegratedTime(_series);
}
