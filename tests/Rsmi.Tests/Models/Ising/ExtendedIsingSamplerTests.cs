using Rsmi.Tests.Renormalization;
using Rsmi.Models.Ising;
using Rsmi.Renormalization;
using Rsmi.Statistics;
using Rsmi.Tests.Sampling;

namespace Rsmi.Tests.Models.Ising;

/// <summary>
/// χ² goodness of fit of the heat-bath sampler with nearest, diagonal and plaquette couplings: the joint law of
/// (S_nn, S_diag, S_plaq) on the 4×4 torus against exact enumeration, two coupling sets, two seeds. Family-wise
/// α = 0.01 with a Bonferroni correction over the cases.
/// </summary>
[Trait("Category", "Statistical")]
public class ExtendedIsingSamplerTests
{
    private const int Draws = 20000;
    private const int Thinning = 10;

    public static TheoryData<double, double, double, ulong> Cases()
    {
        var data = new TheoryData<double, double, double, ulong>();
        foreach (var (nn, diag, plaq) in new[] { (0.3, 0.1, 0.05), (0.35, -0.05, -0.1) })
        foreach (ulong seed in new ulong[] { 11, 20261127 })
            data.Add(nn, diag, plaq, seed);
        return data;
    }

    private static readonly double Threshold = 0.01 / Cases().Count();

    [Theory]
    [MemberData(nameof(Cases))]
    public void JointOperatorDistributionMatchesEnumeration(double nn, double diag, double plaq, ulong seed)
    {
        var k = new ExtendedIsingCouplings(nn, diag, plaq);
        var (_, s) = ExactTorus.FourByFour();
        var p = ExactTorus.Boltzmann(s, k.AsEvenOperators());
        var exact = new Dictionary<(int, int, int), double>();
        for (int c = 0; c < p.Length; c++)
        {
            var key = ((int)s[c][0], (int)s[c][1], (int)s[c][3]);
            exact[key] = exact.GetValueOrDefault(key) + p[c];
        }
        var keys = exact.Keys.Order().ToArray();
        var index = keys.Select((key, i) => (key, i)).ToDictionary(x => x.key, x => x.i);

        var sampler = ExtendedIsingSampler.Create(4, k, seed);
        for (int i = 0; i < 200 * Thinning; i++) sampler.Step();
        var counts = new long[keys.Length];
        var energies = new double[Draws];
        var config = new sbyte[16];
        var values = new double[4];
        for (int d = 0; d < Draws; d++)
        {
            for (int i = 0; i < Thinning; i++) sampler.Step();
            sampler.CopyConfiguration(config);
            EvenOperators.Measure(config, 4, 4, values);
            var key = ((int)values[0], (int)values[1], (int)values[3]);
            Assert.True(index.TryGetValue(key, out int bin), $"impossible state {key}");
            counts[bin]++;
            energies[d] = sampler.MonitorObservable();
            Assert.Equal(-(nn * values[0] + diag * values[1] + plaq * values[3]) / 16, energies[d], 12);
        }
        var (chi2, dof, pValue, _) = ChiSquareTest.GoodnessOfFit(counts, keys.Select(x => exact[x]).ToArray());
        Assert.True(pValue > Threshold, $"K = {k}, seed {seed}: chi2 = {chi2:F1}, dof = {dof}, p = {pValue:E2} < {Threshold:E2}");
        Assert.True(dof >= 20, $"only {dof} degrees of freedom: the test would mean little");
        double rho = SamplingTestSupport.LagOneCorrelation(energies);
        Assert.True(Math.Abs(rho) < 4 / Math.Sqrt(Draws), $"lag-1 energy correlation {rho:F4} too large for thinning {Thinning}");
    }

    /// <summary>A sampler that ignored one coupling would fail: the same test against the law without the plaquette term.</summary>
    [Fact]
    public void TheTestRejectsASamplerOfTheWrongHamiltonian()
    {
        var (_, s) = ExactTorus.FourByFour();
        var wrong = ExactTorus.Boltzmann(s, new ExtendedIsingCouplings(0.3, 0.1, 0.0).AsEvenOperators());
        var exact = new Dictionary<(int, int, int), double>();
        for (int c = 0; c < wrong.Length; c++)
        {
            var key = ((int)s[c][0], (int)s[c][1], (int)s[c][3]);
            exact[key] = exact.GetValueOrDefault(key) + wrong[c];
        }
        var keys = exact.Keys.Order().ToArray();
        var index = keys.Select((key, i) => (key, i)).ToDictionary(x => x.key, x => x.i);
        var sampler = ExtendedIsingSampler.Create(4, new ExtendedIsingCouplings(0.3, 0.1, 0.05), 5);
        for (int i = 0; i < 2000; i++) sampler.Step();
        var counts = new long[keys.Length];
        var config = new sbyte[16];
        var values = new double[4];
        for (int d = 0; d < Draws; d++)
        {
            for (int i = 0; i < Thinning; i++) sampler.Step();
            sampler.CopyConfiguration(config);
            EvenOperators.Measure(config, 4, 4, values);
            counts[index[((int)values[0], (int)values[1], (int)values[3])]]++;
        }
        Assert.True(ChiSquareTest.GoodnessOfFit(counts, keys.Select(x => exact[x]).ToArray()).PValue < 1e-6);
    }
}
