using Rsmi.Exact;

namespace Rsmi.Tests.Exact;

public class EllipticTests
{
    private static double Quadrature(Func<double, double> f)
    {
        // Composite Simpson on [0, π/2] with 20000 intervals: smooth periodic integrand, error ≪ 1e-12.
        const int n = 20000;
        double h = Math.PI / 2 / n, s = f(0) + f(Math.PI / 2);
        for (int i = 1; i < n; i++) s += (i % 2 == 1 ? 4 : 2) * f(i * h);
        return s * h / 3;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.7071067811865476)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    public void AgmMatchesDirectQuadrature(double k)
    {
        double kq = Quadrature(t => 1 / Math.Sqrt(1 - k * k * Math.Sin(t) * Math.Sin(t)));
        double eq = Quadrature(t => Math.Sqrt(1 - k * k * Math.Sin(t) * Math.Sin(t)));
        Assert.Equal(kq, Elliptic.K(k), 1e-10 * kq);
        Assert.Equal(eq, Elliptic.E(k), 1e-12);
    }

    [Fact]
    public void KnownValuesAndLegendreRelation()
    {
        Assert.Equal(Math.PI / 2, Elliptic.K(0), 15);
        Assert.Equal(Math.PI / 2, Elliptic.E(0), 15);
        Assert.Equal(1.0, Elliptic.E(1), 15);
        Assert.True(double.IsPositiveInfinity(Elliptic.K(1)));
        // K(1/√2) = Γ(1/4)² / (4 √π) = 1.8540746773013719
        Assert.Equal(1.8540746773013719, Elliptic.K(Math.Sqrt(0.5)), 14);
        // Legendre: E K' + E' K − K K' = π/2
        foreach (double k in new[] { 0.2, 0.6, 0.95, 0.999999 })
        {
            double kp = Math.Sqrt(1 - k * k);
            double lhs = Elliptic.E(k) * Elliptic.K(kp) + Elliptic.E(kp) * Elliptic.K(k) - Elliptic.K(k) * Elliptic.K(kp);
            Assert.Equal(Math.PI / 2, lhs, 11);
        }
    }
}
