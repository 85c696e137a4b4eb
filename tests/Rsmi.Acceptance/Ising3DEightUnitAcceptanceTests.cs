using System.Diagnostics;
using Rsmi.Learning.Ensembles;
using Rsmi.Tests.Learning.Ensembles;
using Xunit.Abstractions;

namespace Rsmi.Acceptance;

/// <summary>
/// The eight-unit half of the cubic-block acceptance (the one-unit half passes in
/// Rsmi.Tests.Learning.Ensembles.Ising3DEnsembleAcceptanceTests, on the same samples and window): critical 32³ samples,
/// 2×2×2 block, buffer 1, environment 1, the default ensemble of either estimator with eight hidden units, seeds 1–5;
/// each unit must hold ≥ 80% of its squared weight on one spin, eight different spins. Met with infonce for seeds 1–5
/// (4,000 steps for eight units, and the exact dominance of injective rules in the ensemble), not with rbm (<see cref="Measured"/>).
/// </summary>
public class Ising3DEightUnitAcceptanceTests(ITestOutputHelper output)
{
    private static readonly ulong[] Seeds = [1, 2, 3, 4, 5];

    /// <summary>What the eight-unit ensembles cost and gave when measured (2 shared cores, process CPU time).</summary>
    private const string Measured =
        "an ensemble costs about 75 s of CPU time with infonce (4,000 steps) and about 450 s with rbm (whose exact sum over 2^8 hidden and " +
        "2^8 block states takes 65,536 terms per window and update); the infonce ensembles met the property for 5 of the 5 seeds " +
        "(3 min 21 s on two cores; 14 of the 20 members keep all 256 block states apart; report estimates 0.28–0.30 bits) and no rbm member tried did (docs/learning.md, 'Cubic blocks')";

    [Theory]
    [InlineData("rbm")]
    [InlineData("infonce")]
    public void EightHiddenUnitsEachTakeTheirOwnSpin(string estimator)
    {
        var failures = new List<string>();
        foreach (ulong seed in Seeds)
        {
            var clock = Stopwatch.StartNew();
            var result = FilterEnsemble.Learn(Ising3DEnsembleAcceptanceTests.Critical32.Value, Ising3DEnsembleAcceptanceTests.Geometry, 8,
                FilterEnsembleTests.Learner(estimator), new FilterEnsembleOptions { Seed = seed });
            var f = result.Chosen.Learned.Filter;
            var dominant = IsingEnsembleAcceptanceTests.Dominant(f);
            string shares = string.Join(", ", dominant.Select(d => $"{d.Spin}:{d.Share:F2}"));
            output.WriteLine($"{estimator} seed {seed}: {Ising3DEnsembleAcceptanceTests.Show(f)}; shares {shares}; held-out {result.MutualInformation.Value:F4} bits; {clock.Elapsed.TotalSeconds:F1} s");
            foreach (var member in result.Members)
                output.WriteLine($"  member {member.Index}: selection {member.SelectionBits:F4} ± {member.SelectionBitsError:F4} bits; classes {member.BlockStateClasses?.ToString() ?? "-"}; dominated by {member.DominatedBy?.ToString() ?? "none"}; shares " +
                    string.Join(", ", IsingEnsembleAcceptanceTests.Dominant(member.Learned.Filter).Select(d => $"{d.Spin}:{d.Share:F2}")));
            if (dominant.Any(d => d.Share < 0.8) || dominant.Select(d => d.Spin).Distinct().Count() != 8)
                failures.Add($"seed {seed}: shares {shares}");
        }
        Assert.True(failures.Count == 0, $"{estimator}: units not on eight distinct spins for {string.Join("; ", failures)}. Measured before: {Measured}");
    }
}
