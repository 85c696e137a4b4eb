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
        int k = Array.IndexOf(g.EnvironmentOffsets, (2, 2, 0));
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

    [Theory]
    [InlineData(2, 0, 1)]
    [InlineData(2, 1, 1)]
    [InlineData(2, 1, 2)]
    [InlineData(3, 2, 1)]
    public void CubicShellSizesAreCubeDifferences(int b, int lb, int le)
    {
        var g = WindowGeometry.Cube(b, b, b, lb, le);
        Assert.Equal(3, g.Dimension);
        Assert.Equal(b * b * b, g.VisibleSize);
        int outer = b + 2 * (lb + le), inner = b + 2 * lb;
        Assert.Equal(outer * outer * outer - inner * inner * inner, g.EnvironmentSize);
        Assert.Equal((outer, outer, outer), (g.ExtentX, g.ExtentY, g.ExtentZ));
        Assert.Empty(g.EnvironmentOffsets.Intersect(g.VisibleOffsets));
        Assert.Equal(g.EnvironmentSize, g.EnvironmentOffsets.Distinct().Count());
        // every environment site lies at Chebyshev distance L_B+1 .. L_B+L_E from the block, every site of the shell is listed
        int Distance(int d) => d < 0 ? -d : d >= b ? d - b + 1 : 0;
        int Chebyshev((int Dx, int Dy, int Dz) o) => Math.Max(Distance(o.Dx), Math.Max(Distance(o.Dy), Distance(o.Dz)));
        Assert.All(g.EnvironmentOffsets, o => Assert.InRange(Chebyshev(o), lb + 1, lb + le));
        // row-major order: z slowest, then y, then x
        Assert.Equal(g.EnvironmentOffsets.OrderBy(o => o.Dz).ThenBy(o => o.Dy).ThenBy(o => o.Dx), g.EnvironmentOffsets);
        Assert.Equal(g.VisibleOffsets.OrderBy(o => o.Dz).ThenBy(o => o.Dy).ThenBy(o => o.Dx), g.VisibleOffsets);
        Assert.Equal((0, 0, 0), g.VisibleOffsets[0]);
        Assert.Equal((1, 0, 0), g.VisibleOffsets[1]);
        Assert.Equal((0, 1, 0), g.VisibleOffsets[b]);
        Assert.Equal((0, 0, 1), g.VisibleOffsets[b * b]);
    }

    [Fact]
    public void TheSmallestCubicWindowListsItsShellExplicitly()
    {
        // 2×2×2 block, buffer 0, environment 1: the 4³ − 2³ = 56 sites around the block, the first ones the z = −1 layer
        var g = WindowGeometry.Cube(2, 2, 2, 0, 1);
        Assert.Equal(56, g.EnvironmentSize);
        Assert.Equal((-1, -1, -1), g.EnvironmentOffsets[0]);
        Assert.Equal((2, 2, 2), g.EnvironmentOffsets[^1]);
        Assert.Equal(16, g.EnvironmentOffsets.Count(o => o.Dz == -1));
        Assert.Equal(12, g.EnvironmentOffsets.Count(o => o.Dz == 0));
    }

    [Fact]
    public void CubicCutterReadsTheRightSitesWithPeriodicWrap()
    {
        // a single down spin at (x, y, z) = (0, 0, 0) on a 6×6×6 torus, 2×2×2 blocks, buffer 0, environment 1
        int l = 6;
        var data = Enumerable.Repeat((sbyte)1, l * l * l).ToArray();
        data[0] = -1;
        var set = new SampleSet(1, [l, l, l], data);
        var g = WindowGeometry.Cube(2, 2, 2, 0, 1);
        var w = WindowCutter.Cut(set, g);
        Assert.Equal(27, w.Count);
        // window 0 has its block at the origin: the down spin is visible site 0
        Assert.Equal(-1, w.VisibleRow(0)[0]);
        Assert.Equal(1, w.EnvironmentRow(0).ToArray().Min());
        // windows are ordered z, then y, then x: the block at (4, 4, 4) is window 26 and sees the origin at offset (2, 2, 2)
        int k = Array.IndexOf(g.EnvironmentOffsets, (2, 2, 2));
        Assert.Equal(-1, w.EnvironmentRow(26)[k]);
        // the block at (0, 0, 4) (window 18) sees it at (0, 0, 2), through the wrap along z only
        Assert.Equal(-1, w.EnvironmentRow(18)[Array.IndexOf(g.EnvironmentOffsets, (0, 0, 2))]);
        // the origin lies in the shell of the 7 blocks whose corners are at 0 or 4 along each axis, other than the origin's own
        Assert.Equal(7, w.Environment.Count(v => v == -1));
        Assert.Equal(1, w.Visible.Count(v => v == -1));
        // each axis is read at its own stride: a down spin at (1, 2, 3) is visible site (1, 0, 1) of the block at (0, 2, 2)
        data[0] = 1; data[1 + l * (2 + l * 3)] = -1;
        var w2 = WindowCutter.Cut(set, g);
        int window = 1 * 9 + 1 * 3 + 0; // block z = 2, y = 2, x = 0
        Assert.Equal(-1, w2.VisibleRow(window)[(1 * 2 + 0) * 2 + 1]);
        Assert.Equal(1, w2.Visible.Count(v => v == -1));
    }

    [Fact]
    public void RandomCubicWindowsAreTilingWindows()
    {
        // every randomly drawn window equals the tiling window at the same position
        int l = 8;
        var rng = new System.Random(3);
        var data = Enumerable.Range(0, 3 * l * l * l).Select(_ => (sbyte)(rng.Next(2) * 2 - 1)).ToArray();
        var set = new SampleSet(3, [l, l, l], data);
        var g = WindowGeometry.Cube(2, 2, 2, 1, 1);
        var all = WindowCutter.Cut(set, g);
        var rows = Enumerable.Range(0, all.Count).Select(i => string.Join(",", all.VisibleRow(i).ToArray()) + "|" + string.Join(",", all.EnvironmentRow(i).ToArray())).ToHashSet();
        var random = WindowCutter.CutRandom(set, g, 0, 3, 200, 7, "test");
        for (int i = 0; i < random.Count; i++)
            Assert.Contains(string.Join(",", random.VisibleRow(i).ToArray()) + "|" + string.Join(",", random.EnvironmentRow(i).ToArray()), rows);
    }

    [Fact]
    public void CubicWindowLargerThanLatticeOrMismatchedRankIsRejected()
    {
        var g = WindowGeometry.Cube(2, 2, 2, 2, 2);
        var cube = new SampleSet(1, [8, 8, 8], Enumerable.Repeat((sbyte)1, 512).ToArray());
        Assert.Contains("window", Assert.Throws<RsmiInputException>(() => WindowCutter.Cut(cube, g)).Message);
        var square = new SampleSet(1, [8, 8], Enumerable.Repeat((sbyte)1, 64).ToArray());
        Assert.Contains("3D configurations", Assert.Throws<RsmiInputException>(() => WindowCutter.Cut(square, WindowGeometry.Cube(2, 2, 2, 0, 1))).Message);
        Assert.Contains("2D configurations", Assert.Throws<RsmiInputException>(() => WindowCutter.Cut(cube, WindowGeometry.Square(2, 2, 0, 1))).Message);
    }
}
