using System.Collections.Concurrent;
using Rsmi.Models;
using Rsmi.Models.Ising.Exact;
using Rsmi.Statistics;
using Xunit.Abstractions;

namespace Rsmi.Tests.Models.Ising;

/// <summary>
/// χ² goodness of fit of the joint (energy, |magnetisation|) distribution of every 3D sampler against exact
/// enumeration (<see cref="Ising3DEnumeration"/>): the 2 × 2 × 2 and 2 × 2 × 4 tori (every algorithm; the sides of 2
/// carry doubled bonds, as the samplers' neighbour arithmetic has them) and the 3 × 3 × 3 torus (Wolff and
/// Swendsen–Wang; the checkerboard updates need even sides); three temperatures (below, at and above T_c), two seeds.
/// Family-wise α = 0.01 with a Bonferroni correction over all the cases below.
/// </summary>
[Trait("Category", "Statistical")]
public class Ising3DSamplerDistributionTests(ITestOutputHelper output)
{
    private static readonly double[] Temperatures = [3.5, Ising3D.CriticalTemperature, 6.0];
    private static readonly ulong[] Seeds = [11, 20261127];
    private static readonly (int Lx, int Ly, int Lz)[] Boxes = [(2, 2, 2), (2, 2, 4), (3, 3, 3)];
    private const int Draws = 20000;

    private static readonly ConcurrentDictionary<(int, int, int), Ising3DEnumeration> Enumerations = new();

    public static TheoryData<int, int, int, string, double, ulong> Cases()
    {
        var data = new TheoryData<int, int, int, string, double, ulong>();
        foreach (var (lx, ly, lz) in Boxes)
        foreach (string algorithm in ModelCatalog.Ising3D.ScalarAlgorithms)
        {
            bool checkerboard = algorithm is "metropolis" or "heatbath";
            if (checkerboard && (lx % 2 != 0 || ly % 2 != 0 || lz % 2 != 0)) continue;
            foreach (double t in Temperatures)
            foreach (ulong seed in Seeds)
                data.Add(lx, ly, lz, algorithm, t, seed);
        }
        return data;
    }

    private static readonly int CaseCount = Cases().Count();
    private static readonly double Threshold = 0.01 / CaseCount;

    /// <summary>Steps between recorded draws: enough that the lag-1 correlation of the energy is consistent with zero
    /// (checked below), fixed in advance (never dependent on cluster sizes).</summary>
    private static int Thinning(string algorithm) => algorithm == "wolff" ? 60 : 10;

    [Theory]
    [MemberData(nameof(Cases))]
    public void JointEnergyMagnetisationDistributionMatchesEnumeration(int lx, int ly, int lz, string algorithm, double temperature, ulong seed)
    {
        var exactBox = Enumerations.GetOrAdd((lx, ly, lz), b => Ising3DEnumeration.Box(b.Item1, b.Item2, b.Item3));
        var exact = exactBox.JointAbsDistribution(temperature);
        var keys = exact.Keys.OrderBy(k => k).ToArray();
        var index = keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i);

        var sampler = ModelCatalog.Ising3D.CreateSampler(algorithm, lx, ly, lz, temperature, seed);
        Assert.Equal([lz, ly, lx], sampler.Shape);
        int thin = Thinning(algorithm);
        for (int i = 0; i < 200 * thin; i++) sampler.Step();
        var counts = new long[keys.Length];
        var energies = new double[Draws];
        var config = new sbyte[sampler.Sites];
        for (int d = 0; d < Draws; d++)
        {
            for (int i = 0; i < thin; i++) sampler.Step();
            sampler.CopyConfiguration(config);
            int e = exactBox.Energy(config), m = Math.Abs(config.Sum(v => (int)v));
            Assert.True(index.TryGetValue((e, m), out int bin), $"impossible state E={e}, |M|={m}");
            counts[bin]++;
            energies[d] = e;
            Assert.Equal(e / (double)config.Length, sampler.MonitorObservable(), 12);
        }
        var (chi2, dof, p, _) = ChiSquareTest.GoodnessOfFit(counts, keys.Select(k => exact[k]).ToArray());
        double rho = SamplingTestSupport.LagOneCorrelation(energies);
        output.WriteLine($"{lx}x{ly}x{lz} {algorithm} T={temperature:F4} seed={seed}: chi2={chi2:F1}, dof={dof}, p={p:F4}, lag-1 rho={rho:F4}");
        Assert.True(p > Threshold, $"{lx}x{ly}x{lz} {algorithm} T={temperature} seed={seed}: chi2={chi2:F1}, dof={dof}, p={p:E2} < {Threshold:E2}");
        // The χ² test assumes independent draws: the thinned series must show no lag-1 correlation (4σ, σ = 1/√n).
        Assert.True(Math.Abs(rho) < 4 / Math.Sqrt(Draws), $"lag-1 energy correlation {rho:F4} too large for thinning {thin}");
    }
}
