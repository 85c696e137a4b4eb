using System.Collections.Concurrent;
using Rsmi.Models;
using Rsmi.Models.Potts;
using Rsmi.Models.Potts.Exact;
using Rsmi.Statistics;
using Rsmi.Tests.Models.Ising;
using Xunit.Abstractions;

namespace Rsmi.Tests.Models.Potts;

/// <summary>
/// χ² goodness of fit of the joint (energy, order parameter) distribution of every 2D Potts sampler against exact
/// enumeration (<see cref="PottsEnumeration"/>) on the 3 × 3 torus for q = 3 (3^9 configurations) and q = 4
/// (4^9 = 262,144): the order parameter m = (q n_max / N − 1)/(q − 1) is a function of n_max, so the bins are
/// (equal bonds, n_max). Three temperatures (below, at and above T_c = 1/ln(1 + √q)), two seeds. Family-wise α = 0.01
/// with a Bonferroni correction over all the cases below.
/// </summary>
[Trait("Category", "Statistical")]
public class PottsSamplerDistributionTests(ITestOutputHelper output)
{
    private static readonly int[] StateCounts = [3, 4];
    private static readonly ulong[] Seeds = [11, 20261127];
    private const int Size = 3;
    private const int Draws = 20000;

    private static readonly ConcurrentDictionary<int, PottsEnumeration> Enumerations = new();

    /// <summary>0.8 T_c, T_c and 1.3 T_c.</summary>
    private static double[] Temperatures(int q) => [0.8 * Potts2D.CriticalTemperature(q), Potts2D.CriticalTemperature(q), 1.3 * Potts2D.CriticalTemperature(q)];

    public static TheoryData<int, string, double, ulong> Cases()
    {
        var data = new TheoryData<int, string, double, ulong>();
        foreach (int q in StateCounts)
        foreach (string algorithm in ModelCatalog.Potts2D.Algorithms)
        foreach (double t in Temperatures(q))
        foreach (ulong seed in Seeds)
            data.Add(q, algorithm, t, seed);
        return data;
    }

    private static readonly int CaseCount = Cases().Count();
    private static readonly double Threshold = 0.01 / CaseCount;

    /// <summary>Steps between recorded draws: enough that the lag-1 correlation of the energy is consistent with zero
    /// (checked below), fixed in advance (never dependent on cluster sizes). Swendsen–Wang needs the most: a cluster
    /// cut off from its neighbours by unequal labels (a lone defect, a row winding round the 3 × 3 torus) keeps a
    /// label other than theirs with probability (q − 1)/q per step, so the energy forgets slowly on so small a torus.</summary>
    private static int Thinning(string algorithm) => algorithm switch { "wolff" => 20, "heatbath" => 16, _ => 40 };

    [Theory]
    [MemberData(nameof(Cases))]
    public void JointEnergyOrderParameterDistributionMatchesEnumeration(int q, string algorithm, double temperature, ulong seed)
    {
        var enumeration = Enumerations.GetOrAdd(q, k => PottsEnumeration.Torus(Size, Size, k));
        var exact = enumeration.JointDistribution(temperature);
        var keys = exact.Keys.OrderBy(k => k).ToArray();
        var index = keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i);

        var sampler = ModelCatalog.Potts2D.CreateSampler(algorithm, q, Size, temperature, seed);
        Assert.Equal([Size, Size], sampler.Shape);
        int thin = Thinning(algorithm);
        for (int i = 0; i < 200 * thin; i++) sampler.Step();
        var counts = new long[keys.Length];
        var energies = new double[Draws];
        var config = new sbyte[sampler.Sites];
        var tally = new int[q];
        for (int d = 0; d < Draws; d++)
        {
            for (int i = 0; i < thin; i++) sampler.Step();
            sampler.CopyConfiguration(config);
            int bonds = PottsEnergy.EqualBonds(config, Size, Size), largest = PottsOrder.LargestCount(config, tally);
            Assert.True(index.TryGetValue((bonds, largest), out int bin), $"impossible state B={bonds}, n_max={largest}");
            counts[bin]++;
            energies[d] = bonds;
            Assert.Equal(-bonds / (double)config.Length, sampler.MonitorObservable(), 12);
            Assert.Equal(PottsOrder.Parameter(largest, config.Length, q), sampler.AbsMagnetisation(config), 12);
        }
        var (chi2, dof, p, _) = ChiSquareTest.GoodnessOfFit(counts, keys.Select(k => exact[k]).ToArray());
        double rho = SamplingTestSupport.LagOneCorrelation(energies);
        output.WriteLine($"q={q} {algorithm} T={temperature:F4} seed={seed}: chi2={chi2:F1}, dof={dof}, p={p:F4}, lag-1 rho={rho:F4}");
        Assert.True(p > Threshold, $"q={q} {algorithm} T={temperature} seed={seed}: chi2={chi2:F1}, dof={dof}, p={p:E2} < {Threshold:E2}");
        // The χ² test assumes independent draws: the thinned series must show no lag-1 correlation (4σ, σ = 1/√n).
        Assert.True(Math.Abs(rho) < 4 / Math.Sqrt(Draws), $"lag-1 energy correlation {rho:F4} too large for thinning {thin}");
    }
}
