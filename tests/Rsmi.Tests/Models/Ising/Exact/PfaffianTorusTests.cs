using Rsmi.Exact;
using Rsmi.Models.Ising.Exact;

namespace Rsmi.Tests.Models.Ising.Exact;

public class PfaffianTorusTests
{
    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 4)]
    [InlineData(4, 3)]
    [InlineData(2, 5)]
    [InlineData(5, 4)]
    public void AgreesWithEnumeration(int lx, int ly)
    {
        var en = IsingEnumeration.Torus(lx, ly);
        foreach (double t in new[] { 0.8, 1.5, Ising2D.CriticalTemperature, 3.5, 10.0 })
        {
            Assert.Equal(en.LogPartitionFunction(1 / t), PfaffianTorus.LogPartitionFunction(lx, ly, 1 / t), 1e-12);
            Assert.Equal(en.DiagonalCorrelation(t), PfaffianTorus.DiagonalCorrelation(lx, ly, t), 1e-12);
        }
    }

    [Theory]
    [InlineData(64, 64)]
    [InlineData(33, 20)]
    [InlineData(128, 128)]
    public void AgreesWithKaufman(int lx, int ly)
    {
        // Two independent exact solutions of the same torus.
        foreach (double t in new[] { 1.0, 2.0, Ising2D.CriticalTemperature, 2.6, 5.0 })
        {
            double kaufman = Kaufman.LogPartitionFunction(lx, ly, 1 / t);
            Assert.Equal(kaufman, PfaffianTorus.LogPartitionFunction(lx, ly, 1 / t), 1e-13 * kaufman);
        }
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(2.0)]
    [InlineData(2.5)]
    [InlineData(3.5)]
    public void LargeTorusDiagonalIsMcCoyWu(double t)
    {
        // Away from T_c finite-size corrections decay like e^{−L/ξ}: negligible at L = 256. This checks McCoy–Wu's
        // formula against an independent exact calculation.
        Assert.Equal(McCoyWu.DiagonalCorrelation(t), PfaffianTorus.DiagonalCorrelation(256, t), 1e-11);
    }

    [Fact]
    public void FiniteSizeDiagonalAtTcIsContinuousAndAboveTheInfiniteLatticeValue()
    {
        double tc = Ising2D.CriticalTemperature;
        double at = PfaffianTorus.DiagonalCorrelation(64, tc);
        Assert.Equal(at, PfaffianTorus.DiagonalCorrelation(64, tc * (1 + 1e-12)), 1e-9);
        Assert.Equal(at, PfaffianTorus.DiagonalCorrelation(64, tc * (1 - 1e-12)), 1e-9);
        // The L = 64 torus is measurably more ordered at T_c than the infinite lattice (≈ 0.0069 here), and the
        // excess shrinks roughly like 1/L.
        double excess64 = at - 2 / Math.PI, excess128 = PfaffianTorus.DiagonalCorrelation(128, tc) - 2 / Math.PI;
        Assert.InRange(excess64, 0.005, 0.009);
        Assert.InRange(excess64 / excess128, 1.8, 2.2);
    }
}
