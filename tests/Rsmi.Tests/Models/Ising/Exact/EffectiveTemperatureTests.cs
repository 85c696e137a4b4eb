using Rsmi.Exact;
using Rsmi.Models.Ising.Exact;

namespace Rsmi.Tests.Models.Ising.Exact;

public class EffectiveTemperatureTests
{
    public static TheoryData<int, double> Cases()
    {
        var d = new TheoryData<int, double>();
        foreach (int l in new[] { 0, 2, 4, 16, 64 })
        foreach (double t in new[] { 0.5, 1.0, 1.5, 2.0, Ising2D.CriticalTemperature, 2.5, 3.5, 10.0, 100.0 })
            d.Add(l, t);
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void NearestNeighbourRoundTrip(int l, double t)
    {
        double c1 = l == 0 ? Onsager.NearestNeighbourCorrelation(t) : Kaufman.NearestNeighbourCorrelation(l, t);
        double back = EffectiveTemperature.FromNearestNeighbour(c1, l);
        // Conditioning: dT/T = (c1/(T dc1/dT)) dc1/c1; at T = 0.5 c1 = 1 − 4e-7 leaves ~1e-9 relative precision.
        Assert.Equal(t, back, (t < 0.8 ? 1e-6 : 1e-9) * t);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.5)]
    [InlineData(2.269185314213022)]
    [InlineData(2.5)]
    [InlineData(5.0)]
    [InlineData(50.0)]
    public void DiagonalRoundTrip(double t)
    {
        double back = EffectiveTemperature.FromDiagonal(McCoyWu.DiagonalCorrelation(t));
        Assert.Equal(t, back, (t < 0.8 ? 1e-6 : 1e-9) * t);
    }

    [Theory]
    [InlineData(4, 1.5)]
    [InlineData(4, 3.5)]
    [InlineData(64, 2.269185314213022)]
    [InlineData(64, 2.0)]
    public void FiniteTorusDiagonalRoundTrip(int l, double t)
    {
        double back = EffectiveTemperature.FromDiagonal(PfaffianTorus.DiagonalCorrelation(l, t), l);
        Assert.Equal(t, back, 1e-9 * t);
    }

    [Fact]
    public void CriticalCorrelationsGiveTc()
    {
        Assert.Equal(Ising2D.CriticalTemperature, EffectiveTemperature.FromNearestNeighbour(Math.Sqrt(2) / 2), 1e-10);
        Assert.Equal(Ising2D.CriticalTemperature, EffectiveTemperature.FromDiagonal(2 / Math.PI), 1e-10);
    }

    [Fact]
    public void FiniteSizeMatters()
    {
        // The same c1 means a different temperature on a 4×4 torus than on the infinite lattice.
        double c1 = Onsager.NearestNeighbourCorrelation(2.5);
        Assert.True(Math.Abs(EffectiveTemperature.FromNearestNeighbour(c1, 4) - 2.5) > 0.05);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(1.2)]
    [InlineData(double.NaN)]
    public void UnattainableValuesGiveNaN(double c)
    {
        Assert.True(double.IsNaN(EffectiveTemperature.FromNearestNeighbour(c)));
        Assert.True(double.IsNaN(EffectiveTemperature.FromNearestNeighbour(c, 8)));
        Assert.True(double.IsNaN(EffectiveTemperature.FromDiagonal(c)));
        Assert.True(double.IsNaN(EffectiveTemperature.FromDiagonal(c, 8)));
    }

    [Fact]
    public void BadLatticeSizeIsRejected()
        => Assert.Throws<RsmiInputException>(() => EffectiveTemperature.FromNearestNeighbour(0.5, 1));
}
