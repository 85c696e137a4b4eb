using Rsmi.Statistics;
using Rsmi.Models.Ising;
using Rsmi.Data;
using Rsmi.Renormalization;
using Xunit.Abstractions;

namespace Rsmi.Tests.Renormalization;

/// <summary>
/// The effective-coupling estimator on Monte Carlo samples of known Hamiltonians on a 16 × 16 torus: every coupling,
/// the ones that are zero included, must come back within three of its jackknife error bars, for seeds 1, 2 and 3
/// (all required), with error bars small enough for the check to mean something.
/// </summary>
[Trait("Category", "Statistical")]
public class EffectiveCouplingSamplesTests(ITestOutputHelper output)
{
    private const int Size = 16;
    private const int Samples = 4000;
    private const double LargestError = 0.01;

    public static TheoryData<double, double, double, int, ulong> ExtendedCases()
    {
        var data = new TheoryData<double, double, double, int, ulong>();
        foreach (ulong seed in new ulong[] { 1, 2, 3 })
        {
            data.Add(0.3, 0.1, 0.05, 4, seed);
            data.Add(0.35, -0.05, -0.1, EvenOperators.Count, seed);
        }
        return data;
    }

    /// <summary>Heat-bath samples of H = −(K_nn S_nn + K_diag S_diag + K_plaq S_plaq); the first <paramref name="operators"/> even operators are fitted.</summary>
    [Theory]
    [MemberData(nameof(ExtendedCases))]
    public void CouplingsOfAHamiltonianWithDiagonalAndPlaquetteTermsComeBack(double nn, double diag, double plaq, int operators, ulong seed)
    {
        var k = new ExtendedIsingCouplings(nn, diag, plaq);
        var samples = ExtendedIsingSampler.Sample(Size, k, Samples, seed);
        var truth = new double[EvenOperators.Count];
        k.AsEvenOperators().CopyTo(truth, 0);
        Check(EffectiveCouplings.Estimate(samples, operators), truth, $"K = {k}, seed {seed}");
    }

    public static TheoryData<double, ulong> NearestCases()
    {
        var data = new TheoryData<double, ulong>();
        foreach (double t in new[] { Rsmi.Models.Ising.Exact.Ising2D.CriticalTemperature, 3.0 })
        foreach (ulong seed in new ulong[] { 1, 2, 3 })
            data.Add(t, seed);
        return data;
    }

    /// <summary>Wolff samples of the nearest-neighbour model at temperature T: K_nn = 1/T and the other couplings 0.</summary>
    [Theory]
    [MemberData(nameof(NearestCases))]
    public void NearestNeighbourIsingSamplesGiveOneOverTAndNothingElse(double temperature, ulong seed)
    {
        var samples = WolffTestSamples.Ising2D(Size, temperature, Samples, seed);
        Check(EffectiveCouplings.Estimate(samples, 4), [1 / temperature, 0, 0, 0], $"T = {temperature}, seed {seed}");
    }

    private void Check(EffectiveCouplingResult result, double[] truth, string label)
    {
        double range = truth.Skip(1).Take(result.Couplings.Length - 1).Sum(Math.Abs) / Math.Abs(truth[0]);
        for (int a = 0; a < result.Couplings.Length; a++)
            output.WriteLine($"{label}: {result.Names[a]} = {result.Couplings[a]} (truth {truth[a]}, {result.Couplings[a].Deviation(truth[a]):F2} σ)");
        output.WriteLine($"{label}: range R = {result.Range} (truth {range:G4})");
        for (int a = 0; a < result.Couplings.Length; a++)
        {
            var c = result.Couplings[a];
            Assert.True(c.Error > 0 && c.Error < LargestError, $"{label}: {result.Names[a]} error bar {c.Error} outside (0, {LargestError})");
            Assert.True(c.Deviation(truth[a]) <= 3, $"{label}: {result.Names[a]} = {c} against {truth[a]} ({c.Deviation(truth[a]):F2} σ)");
        }
    }
}
