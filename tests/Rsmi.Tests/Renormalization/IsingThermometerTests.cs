using Rsmi.Data;
using Rsmi.Exact;
using Rsmi.Renormalization;

namespace Rsmi.Tests.Renormalization;

public class IsingThermometerTests
{
    private const double Tc = 2.269185314213022;

    [Fact]
    public void RelationsReproduceTheReferenceValues()
    {
        // references.md: u(1.5), u(2.5), u(4.0) (Onsager), c2(T_c) = 2/π, K(κ)/E(k) through the AGM.
        Assert.Equal(-1.951116573078, -2 * ThermometerRelations.OnsagerNearestNeighbour(1.5), 10);
        Assert.Equal(-1.106079203746, -2 * ThermometerRelations.OnsagerNearestNeighbour(2.5), 10);
        Assert.Equal(-0.557272240628, -2 * ThermometerRelations.OnsagerNearestNeighbour(4.0), 10);
        Assert.Equal(2 / Math.PI, ThermometerRelations.DiagonalCorrelation(Tc), 10);
        Assert.Equal(Math.PI / 2, ThermometerRelations.EllipticK(0), 14);
        Assert.Equal(Math.PI / 2, ThermometerRelations.EllipticE(0), 14);
        Assert.Equal(1.4674622093394272, ThermometerRelations.EllipticE(0.5), 12); // E(k = 1/2), i.e. m = 1/4
        Assert.Equal(1.6857503548125961, ThermometerRelations.EllipticK(0.5), 12);
        // Continuity of McCoy–Wu across T_c.
        Assert.Equal(2 / Math.PI, ThermometerRelations.DiagonalCorrelation(Tc * (1 + 1e-9)), 6);
        Assert.Equal(2 / Math.PI, ThermometerRelations.DiagonalCorrelation(Tc * (1 - 1e-9)), 6);
        // At L = 64, T_c: u = −1.423939 (algorithm.md §9, quoted to 6 decimals; the converged central difference of
        // Kaufman's ln Z gives −1.42393839, so the quoted last digit is off by one unit).
        Assert.InRange(-2 * ThermometerRelations.NearestNeighbourCorrelation(64, Tc), -1.423940, -1.423938);
        // Large tori approach Onsager away from T_c.
        Assert.Equal(ThermometerRelations.OnsagerNearestNeighbour(3.0), ThermometerRelations.NearestNeighbourCorrelation(256, 3.0), 9);
    }

    [Theory]
    [InlineData(4, 1.8)]
    [InlineData(4, 2.269185314213022)]
    [InlineData(4, 3.5)]
    public void KaufmanMatchesExactEnumerationOfTheFourByFourTorus(int l, double t)
    {
        var e = IsingEnumeration.Torus(l);
        var p = e.BoltzmannProbabilities(t);
        double energy = 0;
        for (int c = 0; c < p.Length; c++) energy += p[c] * e.Energy(c);
        double c1 = -energy / (2.0 * l * l);
        Assert.Equal(c1, ThermometerRelations.NearestNeighbourCorrelation(l, t), 8);
        Assert.Equal(t, ThermometerRelations.Invert(x => ThermometerRelations.NearestNeighbourCorrelation(l, x), c1), 6);
    }

    [Fact]
    public void ThermometersReadTheSamplingTemperatureWithinTheirErrors()
    {
        foreach (double t in new[] { 2.0, Tc, 2.6 })
        {
            var s = WolffTestSamples.Ising2D(32, t, 1000, 77);
            var th = IsingThermometer.Read(s);
            Assert.True(th.KaufmanTemperature.Sigmas(t) < 4, $"T = {t}: Kaufman reads {th.KaufmanTemperature}");
            Assert.InRange(th.KaufmanTemperature.Error, 1e-5, 0.05);
            Assert.True(th.Spread >= 0);
            Assert.True(th.EffectiveTemperature.Error >= th.KaufmanTemperature.Error);
            Assert.Equal(3, th.Replicates.Length);
        }
        // The second-moment correlation length grows towards T_c and is bounded by the lattice there.
        var xiHot = IsingThermometer.Read(WolffTestSamples.Ising2D(32, 2.6, 1000, 77)).CorrelationLength;
        var xiCritical = IsingThermometer.Read(WolffTestSamples.Ising2D(32, Tc, 1000, 77)).CorrelationLength;
        Assert.True(xiCritical.Value - xiHot.Value > 4 * Math.Sqrt(xiHot.Error * xiHot.Error + xiCritical.Error * xiCritical.Error), $"ξ(2.6) = {xiHot}, ξ(T_c) = {xiCritical}");
        Assert.InRange(xiCritical.Value / 32, 0.5, 1.2);
    }

    [Fact]
    public void DimerSamplesAreRejectedWithAClearSentence()
    {
        var s = new SampleSet(4, [8, 8], Enumerable.Repeat((sbyte)1, 4 * 64).ToArray(), new SampleMetadata { Model = "dimer" });
        var e = Assert.Throws<RsmiInputException>(() => IsingThermometer.Read(s));
        Assert.Contains("dimer", e.Message);
        Assert.Contains("Ising", e.Message);
    }
}
