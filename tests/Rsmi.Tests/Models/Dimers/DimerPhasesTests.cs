using Rsmi.Models.Dimers;
using Rsmi.Statistics;

namespace Rsmi.Tests.Models.Dimers;

public class DimerPhasesTests
{
    /// <summary>Horizontal dimers on bonds (i, 2k) shifted by <paramref name="shift"/> columns, or their transpose.</summary>
    private static sbyte[] Columnar(int l, bool vertical, int shift)
    {
        var lattice = new DimerLattice(l);
        var d = new byte[l * l];
        for (int i = 0; i < l; i++)
            for (int j = 0; j < l; j++)
            {
                int along = vertical ? i : j;
                bool first = ((along + shift) & 1) == 0;
                d[i * l + j] = vertical ? (first ? (byte)DimerLattice.Down : (byte)DimerLattice.Up) : (first ? (byte)DimerLattice.Right : (byte)DimerLattice.Left);
            }
        return DimerImage.Encode(new DimerCovering(lattice, d));
    }

    /// <summary>The staggered covering: horizontal dimers on bonds (i, j) with i + j even… shifted row by row.</summary>
    private static sbyte[] Staggered(int l)
    {
        var d = new byte[l * l];
        for (int i = 0; i < l; i++)
            for (int j = 0; j < l; j++)
                d[i * l + j] = ((j + i) & 1) == 0 ? (byte)DimerLattice.Right : (byte)DimerLattice.Left;
        return DimerImage.Encode(new DimerCovering(new DimerLattice(l), d));
    }

    [Fact]
    public void TheFourColumnarCoveringsAreUnitVectorsAndTheStaggeredOneIsZero()
    {
        Assert.Equal((1.0, 0.0), DimerPhases.ColumnarOrder(Columnar(8, false, 0), 8));
        Assert.Equal((-1.0, 0.0), DimerPhases.ColumnarOrder(Columnar(8, false, 1), 8));
        Assert.Equal((0.0, 1.0), DimerPhases.ColumnarOrder(Columnar(8, true, 0), 8));
        Assert.Equal((0.0, -1.0), DimerPhases.ColumnarOrder(Columnar(8, true, 1), 8));
        Assert.Equal((0.0, 0.0), DimerPhases.ColumnarOrder(Staggered(8), 8));
    }

    [Fact]
    public void MomentsOfACrystalGiveBinderOneHalf()
    {
        var images = new[] { Columnar(8, false, 0), Columnar(8, true, 1), Columnar(8, false, 1), Columnar(8, true, 0) };
        var data = images.SelectMany(x => x).ToArray();
        var samples = new Rsmi.Data.SampleSet(4, [16, 16], data, new Rsmi.Data.SampleMetadata { Model = "dimer" });
        var m = DimerPhases.Moments(samples);
        Assert.Equal(1, m.SecondMoment.Value, 12);
        Assert.Equal(0.5, m.Binder.Value, 12);
    }

    [Fact]
    public void TheEffectiveExponentIsTheSlopeOfTheMomentOnALogScale()
    {
        var e = DimerPhases.EffectiveExponent(new Estimate(0.4, 0.004), new Estimate(0.4 * Math.Pow(2, -0.7), 0.003));
        Assert.Equal(0.7, e.Value, 12);
        Assert.Equal(Math.Sqrt(Math.Pow(0.01, 2) + Math.Pow(0.003 / (0.4 * Math.Pow(2, -0.7)), 2)) / Math.Log(2), e.Error, 12);
    }

    [Fact]
    public void TheCrossingOfOneQuarterIsInterpolatedBetweenTheTemperaturesThatBracketIt()
    {
        // α_eff(T) = 0.25 + 4 (T − 0.66): crosses 1/4 at 0.66
        double[] t = [0.55, 0.6, 0.65, 0.7, 0.75];
        var small = t.Select(_ => new Estimate(0.5, 0.0005)).ToArray();
        var large = t.Select(x => new Estimate(0.5 * Math.Pow(2, -(0.25 + 4 * (x - 0.66))), 0.0005)).ToArray();
        var tc = DimerPhases.CriticalTemperature(t, small, large);
        Assert.Equal(0.66, tc.Value, 10);
        Assert.True(tc.Error > 0 && tc.Error < 0.01, $"error {tc.Error}");
        // no crossing: NaN
        Assert.True(double.IsNaN(DimerPhases.CriticalTemperature(t, small, small).Value));
    }

    [Fact]
    public void APowerLawInTheColumnarCorrelationGivesItsExponent()
    {
        var a = Enumerable.Range(0, 32).Select(r => r == 0 ? Estimate.Undefined : new Estimate(0.1 * Math.Pow(r, -1.3), 0.001 * Math.Pow(r, -1.3))).ToArray();
        var alpha = DimerPhases.CorrelationExponent(a, 64);
        Assert.Equal(1.3, alpha.Value, 10);
    }
}
