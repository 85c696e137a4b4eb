using Rsmi.Filters;
using System.Diagnostics;
using Rsmi.Data;
using Rsmi.Learning;
using Rsmi.Learning.Ensembles;
using Rsmi.Models.Ising;
using Rsmi.Regions;
using Rsmi.Sampling;
using Xunit.Abstractions;

namespace Rsmi.Tests.Learning.Ensembles;

/// <summary>
/// The paper's Ising filters (Koch-Janusz &amp; Ringel 2018, Fig. 2) from the default ensemble of either estimator on
/// critical 64×64 samples, 2×2 block, environment 4, buffer 0 and buffer 2, for every seed of a fixed set: with one
/// hidden unit the Kadanoff block spin (all weights of one sign, each within 5% of their mean), with four hidden units
/// one spin each (≥ 80% of each unit's squared weight on one spin, four different spins).
/// </summary>
[Trait("Category", "Statistical")]
public class IsingEnsembleAcceptanceTests(ITestOutputHelper output)
{
    private static readonly ulong[] Seeds = [1, 2, 3, 4, 5];
    private static readonly double CriticalTemperature = 2 / Math.Log(1 + Math.Sqrt(2));

    /// <summary>Wolff samples of the 64×64 torus at T_c: 1,024 tiling windows each, more than either learner reads.</summary>
    private static readonly Lazy<SampleSet> Critical64 = new(() => IsingSampling.Sample("ising2d", "wolff", 64, CriticalTemperature, 400, 1984));

    private static string Show(FilterParameters f) =>
        string.Join(" | ", Enumerable.Range(0, f.Hidden).Select(j => string.Join(", ", f.Row(j).ToArray().Select(w => w.ToString("F3"))) + $" (c {f.Bias[j]:F3})"));

    /// <summary>The largest relative deviation of a weight from the mean weight, and whether all weights share its sign.</summary>
    internal static (bool OneSign, double Deviation) Kadanoff(FilterParameters f)
    {
        var w = f.Row(0).ToArray();
        double mean = w.Average();
        return (w.All(x => Math.Sign(x) == Math.Sign(mean) && x != 0), w.Max(x => Math.Abs(x - mean)) / Math.Abs(mean));
    }

    /// <summary>Each unit's dominant spin and the share of its squared weight on it.</summary>
    internal static (int Spin, double Share)[] Dominant(FilterParameters f) =>
        Enumerable.Range(0, f.Hidden).Select(j =>
        {
            var w = f.Row(j).ToArray();
            int i = Array.IndexOf(w, w.MaxBy(Math.Abs));
            return (i, w[i] * w[i] / w.Sum(x => x * x));
        }).ToArray();

    [Theory]
    [Trait("Category", "Statistical")]
    [InlineData("rbm", 0)]
    [InlineData("rbm", 2)]
    [InlineData("infonce", 0)]
    [InlineData("infonce", 2)]
    public void OneHiddenUnitLearnsTheKadanoffBlockSpin(string estimator, int buffer)
    {
        var geometry = WindowGeometry.Square(2, 2, buffer, 4);
        var failures = new List<string>();
        foreach (ulong seed in Seeds)
        {
            var clock = Stopwatch.StartNew();
            var result = FilterEnsemble.Learn(Critical64.Value, geometry, 1, FilterEnsembleTests.Learner(estimator), new FilterEnsembleOptions { Seed = seed });
            var f = result.Chosen.Learned.Filter;
            var (oneSign, deviation) = Kadanoff(f);
            output.WriteLine($"{estimator} buffer {buffer} seed {seed}: {Show(f)}; largest deviation {deviation:P1}; held-out {result.MutualInformation.Value:F4} bits; {clock.Elapsed.TotalSeconds:F1} s");
            if (!oneSign || deviation > 0.05) failures.Add($"seed {seed}: {Show(f)} (deviation {deviation:P1})");
        }
        Assert.True(failures.Count == 0, $"{estimator}, buffer {buffer}: not the Kadanoff block spin for {string.Join("; ", failures)}");
    }

    [Theory]
    [Trait("Category", "Statistical")]
    [InlineData("rbm", 0)]
    [InlineData("rbm", 2)]
    [InlineData("infonce", 0)]
    [InlineData("infonce", 2)]
    public void FourHiddenUnitsEachTakeTheirOwnSpin(string estimator, int buffer)
    {
        var geometry = WindowGeometry.Square(2, 2, buffer, 4);
        var failures = new List<string>();
        foreach (ulong seed in Seeds)
        {
            var clock = Stopwatch.StartNew();
            var result = FilterEnsemble.Learn(Critical64.Value, geometry, 4, FilterEnsembleTests.Learner(estimator), new FilterEnsembleOptions { Seed = seed });
            var f = result.Chosen.Learned.Filter;
            var dominant = Dominant(f);
            output.WriteLine($"{estimator} buffer {buffer} seed {seed}: {Show(f)}; shares {string.Join(", ", dominant.Select(d => $"{d.Spin}:{d.Share:F2}"))}; held-out {result.MutualInformation.Value:F4} bits; {clock.Elapsed.TotalSeconds:F1} s");
            if (dominant.Any(d => d.Share < 0.8) || dominant.Select(d => d.Spin).Distinct().Count() != 4)
                failures.Add($"seed {seed}: shares {string.Join(", ", dominant.Select(d => $"{d.Spin}:{d.Share:F2}"))}");
        }
        Assert.True(failures.Count == 0, $"{estimator}, buffer {buffer}: units not on four distinct spins for {string.Join("; ", failures)}");
    }
}
