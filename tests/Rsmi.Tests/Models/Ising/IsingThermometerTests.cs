using Rsmi.Statistics;
using Rsmi.Data;
using Rsmi.Exact;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Renormalization;
using Rsmi.Tests.Renormalization;

namespace Rsmi.Tests.Models.Ising;

public class IsingThermometerTests
{
    private const double Tc = Ising2D.CriticalTemperature;

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
        // The thermometer inverts the finite-torus relation: the exact c1 of the enumerated torus reads T back.
        var th = IsingThermometer.Read(ExactCorrelations(c1, l), 2, l, 2);
        Assert.Equal(t, th.KaufmanTemperature.Value, 8);
    }

    /// <summary>Per-configuration values whose average is the given c1 (two identical configurations' worth).</summary>
    private static double[] ExactCorrelations(double c1, int l)
    {
        var v = new double[2 * IsingCorrelations.Count];
        v[IsingCorrelations.NearestNeighbour] = v[IsingCorrelations.Count + IsingCorrelations.NearestNeighbour] = c1;
        v[IsingCorrelations.Diagonal] = v[IsingCorrelations.Count + IsingCorrelations.Diagonal] = 0.5;
        v[IsingCorrelations.MagnetisationSquared] = v[IsingCorrelations.Count + IsingCorrelations.MagnetisationSquared] = 2;
        v[IsingCorrelations.LowestModeSquared] = v[IsingCorrelations.Count + IsingCorrelations.LowestModeSquared] = 1;
        return v;
    }

    [Fact]
    public void ThermometersReadTheSamplingTemperatureWithinTheirErrors()
    {
        foreach (double t in new[] { 2.0, Tc, 2.6 })
        {
            var s = WolffTestSamples.Ising2D(32, t, 1000, 77);
            var th = IsingThermometer.Read(s);
            Assert.True(th.KaufmanTemperature.Deviation(t) < 4, $"T = {t}: Kaufman reads {th.KaufmanTemperature}");
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
