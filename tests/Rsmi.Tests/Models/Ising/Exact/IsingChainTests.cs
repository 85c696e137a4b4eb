using Rsmi.Exact;
using Rsmi.Models.Ising.Exact;

namespace Rsmi.Tests.Models.Ising.Exact;

public class IsingChainTests
{
    [Theory]
    [InlineData(5, 0.6)]
    [InlineData(12, 1.3)]
    [InlineData(17, 4.0)]
    public void RingFormulasMatchEnumeration(int n, double t)
    {
        var en = IsingEnumeration.Ring(n);
        Assert.Equal(en.LogPartitionFunction(1 / t), IsingChain.RingLogPartitionFunction(n, 1 / t), 12);
        Assert.Equal(en.EnergyPerSite(t), IsingChain.RingEnergyPerSite(n, t), 13);
        for (int r = 0; r <= n; r++)
        {
            int rr = r % n;
            double c = en.Expectation(t, cfg => 1 - 2 * ((cfg ^ (cfg >> rr)) & 1));   // s_0 s_r from bits 0 and r
            Assert.Equal(c, IsingChain.RingCorrelation(n, r, t), 1e-13);
        }
    }

    [Fact]
    public void OpenChainFormulasMatchBruteForce()
    {
        const int n = 10;
        const double t = 1.7, k = 1 / t;
        double z = 0, e = 0, c03 = 0;
        for (int cfg = 0; cfg < 1 << n; cfg++)
        {
            int energy = 0;
            for (int i = 0; i < n - 1; i++) energy -= Spin(cfg, i) * Spin(cfg, i + 1);
            double w = Math.Exp(-k * energy);
            z += w; e += w * energy; c03 += w * Spin(cfg, 2) * Spin(cfg, 5);
        }
        Assert.Equal(Math.Log(z), IsingChain.OpenLogPartitionFunction(n, k), 12);
        Assert.Equal(e / z / n, IsingChain.OpenEnergyPerSite(n, t), 13);
        Assert.Equal(e / z / (n - 1), IsingChain.OpenEnergyPerBond(t), 13);
        Assert.Equal(c03 / z, IsingChain.OpenCorrelation(3, t), 13);
        Assert.Equal(0.5 * (1 + Math.Tanh(k)), IsingChain.SameSpinProbability(t), 15);
        Assert.Equal(Math.Exp(-3 / IsingChain.CorrelationLength(t)), IsingChain.OpenCorrelation(3, t), 13);

        static int Spin(int cfg, int i) => ((cfg >> i) & 1) == 0 ? 1 : -1;
    }
}
