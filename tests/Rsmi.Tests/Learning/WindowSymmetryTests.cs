using Rsmi.Learning;
using Rsmi.Regions;

namespace Rsmi.Tests.Learning;

public class WindowSymmetryTests
{
    // The eight D4 maps about the window's centre, in the order the training sets are augmented (identity first).
    private static readonly Func<int, int, (int, int)>[] Square =
        [(x, y) => (x, y), (x, y) => (-y, x), (x, y) => (-x, -y), (x, y) => (y, -x),
         (x, y) => (-x, y), (x, y) => (x, -y), (x, y) => (y, x), (x, y) => (-y, -x)];
    private static readonly Func<int, int, (int, int)>[] Chain = [(x, y) => (x, y), (x, y) => (-x, y)];

    private static int[] Expected((int Dx, int Dy)[] offsets, Func<int, int, (int, int)> g, int cx, int cy)
    {
        var at = offsets.Select((o, k) => (Key: (2 * o.Dx - cx, 2 * o.Dy - cy), k)).ToDictionary(p => p.Key, p => p.k);
        return offsets.Select(o => at[g(2 * o.Dx - cx, 2 * o.Dy - cy)]).ToArray();
    }

    [Theory]
    [InlineData(2, 1, 1, false)]
    [InlineData(3, 0, 2, false)]
    [InlineData(2, 1, 2, true)]
    [InlineData(3, 1, 1, true)]
    public void PermutationsAreThePointGroupImagesInTheirFixedOrder(int block, int buffer, int environment, bool chain)
    {
        var geometry = chain ? WindowGeometry.Chain(block, buffer, environment) : WindowGeometry.Square(block, block, buffer, environment);
        var elements = chain ? Chain : Square;
        var perms = WindowSymmetry.Permutations(geometry);
        Assert.Equal(elements.Length, perms.Length);
        for (int g = 0; g < elements.Length; g++)
        {
            Assert.Equal(Expected(geometry.VisibleOffsets, elements[g], block - 1, chain ? 0 : block - 1), perms[g].Visible);
            Assert.Equal(Expected(geometry.EnvironmentOffsets, elements[g], block - 1, chain ? 0 : block - 1), perms[g].Environment);
        }
    }
}
