using System.Diagnostics;
using Rsmi.Data;
using Rsmi.Filters;
using Rsmi.Learning.Ensembles;
using Rsmi.Models.Ising;
using Rsmi.Regions;
using Xunit.Abstractions;

namespace Rsmi.Tests.Learning.Ensembles;

/// <summary>
/// The Ising filters on the simple cubic lattice from the default ensemble of either estimator on critical 32³
/// samples (T_c = 4.511523, docs/references.md), 2×2×2 block, buffer 1, environment 1, for every seed of a fixed set:
/// with one hidden unit the Kadanoff block spin (all eight weights of one sign, each within 5% of their mean), with
/// eight hidden units one spin each (≥ 80% of each unit's squared weight on one spin, eight different spins).
/// The one-unit property holds for every seed. The eight-unit property is not met yet (infonce for 1 seed of 5, rbm for
/// none): it is an acceptance check in tests/Rsmi.Acceptance, where it fails with its measured outcome (docs/learning.md,
/// "Cubic blocks").
/// </summary>
[Trait("Category", "Statistical")]
public class Ising3DEnsembleAcceptanceTests(ITestOutputHelper output)
{
    private static readonly ulong[] Seeds = [1, 2, 3, 4, 5];
    private const double CriticalTemperature = 4.511523; // 1/K_c to the 7 digits the samples were drawn at (Ising3D.CriticalTemperature = 4.5115232…)

    /// <summary>Wolff samples of the 32³ torus at T_c: 4,096 tiling windows each, more than either learner reads.</summary>
    internal static readonly Lazy<SampleSet> Critical32 = new(() => IsingSampling.Sample("ising3d", "wolff", 32, CriticalTemperature, 300, 2018, chains: 4));

    internal static readonly WindowGeometry Geometry = WindowGeometry.Cube(2, 2, 2, 1, 1);

    internal static string Show(FilterParameters f) =>
        string.Join(" | ", Enumerable.Range(0, f.Hidden).Select(j => string.Join(", ", f.Row(j).ToArray().Select(w => w.ToString("F3"))) + $" (c {f.Bias[j]:F3})"));

    [Theory]
    [Trait("Category", "Statistical")]
    [InlineData("rbm")]
    [InlineData("infonce")]
    public void OneHiddenUnitLearnsTheKadanoffBlockSpin(string estimator)
    {
        var failures = new List<string>();
        foreach (ulong seed in Seeds)
        {
            var clock = Stopwatch.StartNew();
            var result = FilterEnsemble.Learn(Critical32.Value, Geometry, 1, FilterEnsembleTests.Learner(estimator), new FilterEnsembleOptions { Seed = seed });
            var f = result.Chosen.Learned.Filter;
            var (oneSign, deviation) = IsingEnsembleAcceptanceTests.Kadanoff(f);
            output.WriteLine($"{estimator} seed {seed}: {Show(f)}; largest deviation {deviation:P1}; held-out {result.MutualInformation.Value:F4} bits; {clock.Elapsed.TotalSeconds:F1} s");
            if (!oneSign || deviation > 0.05) failures.Add($"seed {seed}: {Show(f)} (deviation {deviation:P1})");
        }
        Assert.True(failures.Count == 0, $"{estimator}: not the Kadanoff block spin for {string.Join("; ", failures)}");
    }
}
