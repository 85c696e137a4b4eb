using Rsmi.Exact;
using Rsmi.Models.Ising.Exact;

namespace Rsmi.Tests.Models.Ising.Exact;

public class InfiniteLatticeTests
{
    [Fact]
    public void CriticalPoint()
    {
        Assert.True(Math.Abs(Ising2D.CriticalCoupling - 0.5 * Math.Log(1 + Math.Sqrt(2))) <= 1e-15);
        Assert.Equal(1.0, Math.Sinh(2 * Ising2D.CriticalCoupling), 1e-15);
        Assert.Equal(2.269185314213022, Ising2D.CriticalTemperature, 14);
        Assert.Equal(Ising2D.CriticalCoupling, Ising2D.DualCoupling(Ising2D.CriticalCoupling), 1e-15);
    }

    [Theory]
    // docs/references.md, "2D Ising model, infinite lattice"
    [InlineData(1.5, -1.951116573078)]
    [InlineData(2.5, -1.106079203746)]
    [InlineData(4.0, -0.557272240628)]
    public void OnsagerEnergyMatchesReferenceValues(double t, double u)
    {
        Assert.Equal(u, Onsager.EnergyPerSite(t), 11);
        Assert.Equal(-u / 2, Onsager.NearestNeighbourCorrelation(t), 11);
    }

    [Fact]
    public void OnsagerEnergyAtAndAroundTc()
    {
        double tc = Ising2D.CriticalTemperature;
        Assert.Equal(-Math.Sqrt(2), Onsager.EnergyPerSite(tc), 13);
        // Continuous through T_c (the singular term is (T − T_c) ln|T − T_c|).
        Assert.Equal(-Math.Sqrt(2), Onsager.EnergyPerSite(tc * (1 + 1e-9)), 6);
        Assert.Equal(-Math.Sqrt(2), Onsager.EnergyPerSite(tc * (1 - 1e-9)), 6);
    }

    [Fact]
    public void OnsagerEnergyIsTheInfiniteSizeLimitOfKaufman()
    {
        // Finite-size corrections decay like e^{−L/ξ}: at L = 256 they are far below 1e-12 away from T_c.
        foreach (double t in new[] { 1.5, 2.0, 2.5, 3.5 })
            Assert.Equal(Onsager.EnergyPerSite(t), Kaufman.EnergyPerSite(256, t), 11);
    }

    [Fact]
    public void HighAndLowTemperatureLimits()
    {
        // High T: ln Z/N = ln 2 + 2 ln cosh K + t⁴ + O(t⁶) → u ≈ −2t − 4t³(1 − t²); low T: u ≈ −2 + 8 e^{−8K}.
        double t = Math.Tanh(0.01);
        Assert.Equal(-2 * t - 4 * t * t * t * (1 - t * t), Onsager.EnergyPerSite(100), 1e-8);   // O(t⁵) ≈ 1e-10·c
        Assert.Equal(-2 + 8 * Math.Exp(-8 / 0.5), Onsager.EnergyPerSite(0.5), 8 * Math.Exp(-16.0) * 1e-2);   // next order e^{−12K}
    }

    [Fact]
    public void YangMagnetisation()
    {
        Assert.Equal(0.986499602621, Onsager.Magnetisation(1.5), 11);
        Assert.Equal(0.0, Onsager.Magnetisation(Ising2D.CriticalTemperature));
        Assert.Equal(0.0, Onsager.Magnetisation(3.0));
        // β = 1/8: m ≈ A (1 − T/T_c)^{1/8} near T_c, so m(T_c − δ)/m(T_c − δ/256) → 256^{1/8} = 2.
        double tc = Ising2D.CriticalTemperature;
        Assert.Equal(2.0, Onsager.Magnetisation(tc * (1 - 1e-5)) / Onsager.Magnetisation(tc * (1 - 1e-5 / 256)), 3);
    }

    [Fact]
    public void CorrelationLengthAboveTc()
    {
        Assert.Equal(5.962377, Onsager.CorrelationLength(2.5), 6);
        Assert.True(double.IsPositiveInfinity(Onsager.CorrelationLength(Ising2D.CriticalTemperature)) || Onsager.CorrelationLength(Ising2D.CriticalTemperature) > 1e12);
        // ν = 1: ξ ≈ 1/(4 K_c (1 − T_c/T)·…) — check ξ·(T − T_c) tends to a constant.
        double tc = Ising2D.CriticalTemperature;
        double a = Onsager.CorrelationLength(tc + 1e-4) * 1e-4, b = Onsager.CorrelationLength(tc + 1e-5) * 1e-5;
        Assert.Equal(a, b, 4);
        Assert.Throws<RsmiInputException>(() => Onsager.CorrelationLength(2.0));
    }

    [Fact]
    public void McCoyWuDiagonalCorrelation()
    {
        double tc = Ising2D.CriticalTemperature;
        Assert.Equal(2 / Math.PI, McCoyWu.DiagonalCorrelation(tc), 15);
        // Continuous through T_c from both sides.
        Assert.Equal(2 / Math.PI, McCoyWu.DiagonalCorrelation(tc * (1 + 1e-10)), 7);
        Assert.Equal(2 / Math.PI, McCoyWu.DiagonalCorrelation(tc * (1 - 1e-10)), 7);
        // High-temperature series: two paths of two bonds, 2 tanh² K + O(K⁴) (= 2e-4 + O(1e-8) at T = 100).
        Assert.Equal(2 * Math.Pow(Math.Tanh(0.01), 2), McCoyWu.DiagonalCorrelation(100), 1e-7);
        // Low temperature: 1 − ⟨s s⟩ = k²/4 + O(k⁴), k = sinh⁻² 2K (≈ 4 e^{−8K}: one of the two spins flipped, cost 8).
        Assert.Equal(0.25 * Math.Pow(Math.Sinh(5.0), -4), 1 - McCoyWu.DiagonalCorrelation(0.4), 1e-15);
        Assert.Equal(4 * Math.Exp(-20.0), 1 - McCoyWu.DiagonalCorrelation(0.4), 4 * Math.Exp(-20.0) * 1e-3);
        // Both branches of the small-q evaluation agree at their boundary q = sinh² 2K = 10⁻².
        double kBoundary = Math.Asinh(0.1) / 2;
        double below = McCoyWu.DiagonalCorrelation(1 / (kBoundary * (1 - 1e-12)));
        double above = McCoyWu.DiagonalCorrelation(1 / (kBoundary * (1 + 1e-12)));
        Assert.Equal(below, above, 2e-11 * below);   // the shift of q itself moves the value by ~4e-12 relative
        // Monotone in T.
        double prev = 1.0;
        for (double t = 0.5; t < 10; t += 0.05) { double c = McCoyWu.DiagonalCorrelation(t); Assert.True(c < prev); prev = c; }
    }

    [Fact]
    public void DiagonalCorrelationIsBetweenTheSquareOfNnAndNn()
    {
        // Griffiths-type bounds for the ferromagnet: c1² ≤ c2 ≤ c1.
        foreach (double t in new[] { 1.0, 2.0, 2.3, 3.0, 5.0 })
        {
            double c1 = Onsager.NearestNeighbourCorrelation(t), c2 = McCoyWu.DiagonalCorrelation(t);
            Assert.InRange(c2, c1 * c1, c1);
        }
    }
}
