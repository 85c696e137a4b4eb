using Rsmi.Data;
using Rsmi.Regions;

namespace Rsmi.Tests.Regions;

public class WindowGeometryTests
{
    [Theory]
    [InlineData(2, 0, 1, 4)]
    [InlineData(2, 1, 1, 4)]
    [InlineData(2, 2, 4, 4)]
    [InlineData(3, 0, 2, 9)]
    public void AnnulusSizesAreSquareDifferences(int b, int lb, int le, int nv)
    {
        var g = WindowGeometry.Square(b, b, lb, le);
        Assert.Equal(nv, g.VisibleSize);
        int outer = b + 2 * (lb + le), inner = b + 2 * lb;
        Assert.Equal(outer * outer - inner * inner, g.EnvironmentSize);
        Assert.Equal(outer, g.ExtentX);
        // no environment site is in the block, and no site is listed twice
        Assert.Empty(g.EnvironmentOffsets.Intersect(g.VisibleOffsets));
        Assert.Equal(g.EnvironmentSize, g.EnvironmentOffsets.Distinct().Count());
    }

    [Fact]
    public void ChainWindowHasEnvironmentOnBothSides()
    {
        var g = WindowGeometry.Chain(2, 1, 3);
        Assert.Equal(2, g.VisibleSize);
        Assert.Equal(6, g.EnvironmentSize);
        Assert.Equal(new[] { -4, -3, -2, 3, 4, 5 }, g.EnvironmentOffsets.Select(o => o.Dx).ToArray());
    }

    [Fact]
    public void CutterReadsTheRightSitesWithPeriodicWrap()
    {
        // configuration with a single down spin at (x=0, y=0) on a 6x6 torus
        int l = 6;
        var data = Enumerable.Repeat((sbyte)1, l * l).ToArray();
        data[0] = -1;
        var set = new SampleSet(1, [l, l], data);
        var g = WindowGeometry.Square(2, 2, 0, 1);
        var w = WindowCutter.Cut(set, g);
        Assert.Equal(9, w.Count);
        // window 0 has the block at (0,0): the down spin is visible site 0
        Assert.Equal(-1, w.VisibleRow(0)[0]);
        Assert.Equal(1, w.EnvironmentRow(0).ToArray().Min());
        // window with block at (4,4) sees (0,0) as its environment corner (dx=2, dy=2) through the wrap
        int window = 2 * 3 + 2;
        int k = Array.IndexOf(g.EnvironmentOffsets, (2, 2));
        Assert.Equal(-1, w.EnvironmentRow(window)[k]);
        Assert.Equal(1, w.VisibleRow(window).ToArray().Min());
        // (0,0) lies in the annulus of the blocks at (4,0), (0,4) and (4,4) (offsets 2 or 0 after the wrap)
        Assert.Equal(3, w.Environment.Count(v => v == -1));
    }

    [Fact]
    public void WindowLargerThanLatticeIsRejected()
    {
        var g = WindowGeometry.Square(2, 2, 2, 2);
        var set = new SampleSet(1, [8, 8], Enumerable.Repeat((sbyte)1, 64).ToArray());
        var e = Assert.Throws<RsmiInputException>(() => WindowCutter.Cut(set, g));
        Assert.Contains("window", e.Message);
    }
}
