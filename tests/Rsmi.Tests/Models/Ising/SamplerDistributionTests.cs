using Rsmi.Exact;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Sampling;
using Rsmi.Statistics;

namespace Rsmi.Tests.Models.Ising;

/// <summary>
/// χ² goodness of fit of the joint (energy, |magnetisation|) distribution of every sampler against exact enumeration:
/// 4×4 torus for ising2d, an 8-site ring (or open chain for exact sampling) for ising1d; three temperatures, two
/// seeds. Family-wise α = 0.01 with a Bonferroni correction over all the cases below.
/// </summary>
[Trait("Category", "Statistical")]
public class SamplerDistributionTests
{
    private const double Tc = 2.269185314213022;
    private static readonly double[] Temperatures = [1.5, Tc, 3.5];
    private static readonly ulong[] Seeds = [11, 20261127];
    private const int Draws = 20000;

    public static TheoryData<string, string, double, ulong> Cases()
    {
        var data = new TheoryData<string, string, double, ulong>();
        foreach (var model in IsingSamplerFactory.Models.Where(m => IsingSamplerFactory.Model(m).Dimension <= 2)) // 3D: Ising3DSamplerDistributionTests
        foreach (var algorithm in IsingSamplerFactory.Algorithms(model))
        foreach (double t in Temperatures)
        foreach (ulong seed in Seeds)
            data.Add(model, algorithm, t, seed);
        return data;
    }

    private static readonly int CaseCount = Cases().Count();
    private static readonly double Threshold = 0.01 / CaseCount;

    /// <summary>Steps between recorded draws: enough that the lag-1 correlation of the energy is consistent with zero
    /// (checked below), fixed in advance (never dependent on cluster sizes).</summary>
    private static int Thinning(string model, string algorithm) => (model, algorithm) switch
    {
        (_, "exact") => 1,
        ("ising2d", "wolff") => 60,
        ("ising1d", "wolff") => 40,
        _ => 10,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void JointEnergyMagnetisationDistributionMatchesEnumeration(string model, string algorithm, double temperature, ulong seed)
    {
        bool twoD = model == "ising2d";
        int size = twoD ? 4 : 8;
        bool periodic = IsingSamplerFactory.IsPeriodic(model, algorithm);
        Func<sbyte[], int> energy = twoD ? s => SamplingTestSupport.Energy2D(s, 4) : s => SamplingTestSupport.Energy1D(s, periodic);
        var exact = twoD ? SamplingTestSupport.JointDistribution(IsingEnumeration.Torus(4), temperature)
            : periodic ? SamplingTestSupport.JointDistribution(IsingEnumeration.Ring(8), temperature)
            : SamplingTestSupport.JointDistribution(8, temperature, energy);
        var keys = exact.Keys.OrderBy(k => k).ToArray();
        var index = keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i);

        var sampler = IsingSamplerFactory.Create(model, algorithm, size, temperature, seed);
        int thin = Thinning(model, algorithm);
        for (int i = 0; i < 200 * thin; i++) sampler.Step();
        var counts = new long[keys.Length];
        var energies = new double[Draws];
        var config = new sbyte[sampler.Sites];
        for (int d = 0; d < Draws; d++)
        {
            for (int i = 0; i < thin; i++) sampler.Step();
            sampler.CopyConfiguration(config);
            int e = energy(config), m = Math.Abs(config.Sum(v => (int)v));
            Assert.True(index.TryGetValue((e, m), out int bin), $"impossible state E={e}, |M|={m}");
            counts[bin]++;
            energies[d] = e;
            Assert.Equal(e / (double)config.Length, sampler.MonitorObservable(), 12);
        }
        var (chi2, dof, p, _) = ChiSquareTest.GoodnessOfFit(counts, keys.Select(k => exact[k]).ToArray());
        Assert.True(p > Threshold, $"{model}/{algorithm} T={temperature} seed={seed}: chi2={chi2:F1}, dof={dof}, p={p:E2} < {Threshold:E2}");
        // The χ² test assumes independent draws: the thinned series must show no lag-1 correlation (4σ, σ = 1/√n).
        double rho = SamplingTestSupport.LagOneCorrelation(energies);
        Assert.True(Math.Abs(rho) < 4 / Math.Sqrt(Draws), $"lag-1 energy correlation {rho:F4} too large for thinning {thin}");
    }
}
