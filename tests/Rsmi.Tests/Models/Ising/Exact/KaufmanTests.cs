using Rsmi.Exact;
using Rsmi.Models.Ising.Exact;

namespace Rsmi.Tests.Models.Ising.Exact;

public class KaufmanTests
{
    private static readonly (int E, long G)[] DensityOfStates4x4 =
    {
        (-32, 2), (-24, 32), (-20, 64), (-16, 424), (-12, 1728), (-8, 6688), (-4, 13568), (0, 20524),
        (4, 13568), (8, 6688), (12, 1728), (16, 424), (20, 64), (24, 32), (32, 2),
    };

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.2)]
    [InlineData(0.44068679350977147)]
    [InlineData(0.7)]
    [InlineData(2.0)]
    public void ReproducesThe4x4DensityOfStates(double k)
    {
        // Z(K) = Σ_E g(E) e^{−K E} with the table of docs/references.md, "2D Ising model, finite torus".
        double z = DensityOfStates4x4.Sum(x => x.G * Math.Exp(-k * x.E));
        Assert.Equal(Math.Log(z), Kaufman.LogPartitionFunction(4, k), 13);
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 4)]
    [InlineData(4, 3)]
    [InlineData(2, 4)]
    [InlineData(3, 5)]
    public void AgreesWithEnumerationForEnergiesAndCorrelations(int lx, int ly)
    {
        var en = IsingEnumeration.Torus(lx, ly);
        foreach (double t in new[] { 0.8, 1.5, Ising2D.CriticalTemperature, 3.5, 10.0 })
        {
            Assert.Equal(en.LogPartitionFunction(1 / t), Kaufman.LogPartitionFunction(lx, ly, 1 / t), 1e-12);
            Assert.Equal(en.EnergyPerSite(t), Kaufman.EnergyPerSite(lx, ly, t), 1e-12);
            Assert.Equal(en.NearestNeighbourCorrelation(t), Kaufman.NearestNeighbourCorrelation(lx, ly, t), 1e-12);
        }
    }

    [Fact]
    public void EnergyAtTcForL64()
    {
        // 60-digit evaluation of Kaufman's formula and its derivative (Data/kaufman_mp.py):
        // L = 64: −1.4239383898330108794, L = 4: −1.5656237876383186079.
        Assert.Equal(-1.4239383898330108794, Kaufman.EnergyPerSite(64, Ising2D.CriticalTemperature), 1e-13);
        Assert.Equal(-1.5656237876383186079, Kaufman.EnergyPerSite(4, Ising2D.CriticalTemperature), 1e-13);
        Assert.Equal(-1.423939, Kaufman.EnergyPerSite(64, Ising2D.CriticalTemperature), 1e-6);
    }

    [Theory]
    [InlineData(4, 2.0)]
    [InlineData(16, 2.269185314213022)]
    [InlineData(64, 2.269185314213022)]
    [InlineData(64, 2.0)]
    [InlineData(128, 3.0)]
    [InlineData(33, 1.2)]
    public void AnalyticDerivativeEqualsRichardsonDerivative(int l, double t)
    {
        // Central differences with h and h/2, Richardson-extrapolated: error O(h⁴).
        double k = 1 / t, h = 1e-3;
        double D(double hh) => (Kaufman.LogPartitionFunction(l, k + hh) - Kaufman.LogPartitionFunction(l, k - hh)) / (2 * hh);
        double numeric = (4 * D(h / 2) - D(h)) / 3;
        double analytic = -Kaufman.EnergyPerSite(l, t) * l * l;
        Assert.Equal(numeric, analytic, 1e-7 * Math.Abs(numeric));
    }

    [Fact]
    public void WorksFarFromTcWithoutOverflow()
    {
        Assert.Equal(-2.0, Kaufman.EnergyPerSite(512, 0.1), 12);
        Assert.Equal(Onsager.EnergyPerSite(50.0), Kaufman.EnergyPerSite(512, 50.0), 12);
        Assert.True(double.IsFinite(Kaufman.LogPartitionFunction(1024, 5.0)));
    }
}
