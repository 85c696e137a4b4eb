using Rsmi.Data;
using Rsmi.Learning;
using Rsmi.Models;
using Rsmi.Regions;

namespace Rsmi.Tests.Learning;

public class WindowSymmetryTests
{
    // The eight D4 maps about the window's centre, in the order the training sets are augmented (identity first).
    private static readonly Func<int, int, (int, int)>[] Square =
        [(x, y) => (x, y), (x, y) => (-y, x), (x, y) => (-x, -y), (x, y) => (y, -x),
         (x, y) => (-x, y), (x, y) => (x, -y), (x, y) => (y, x), (x, y) => (-y, -x)];
    private static readonly Func<int, int, (int, int)>[] Chain = [(x, y) => (x, y), (x, y) => (-x, y)];

    private static int[] Expected((int Dx, int Dy, int Dz)[] offsets, Func<int, int, (int, int)> g, int cx, int cy)
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

    private static SampleSet Samples(string? model, int[] shape, long? rgStep = null)
    {
        var metadata = new SampleMetadata { Model = model };
        if (rgStep is not null) metadata.Set("rg_step", rgStep.Value);
        return new SampleSet(1, shape, Enumerable.Repeat((sbyte)1, shape.Aggregate(1, (a, b) => a * b)).ToArray(), metadata);
    }

    /// <summary>The images are added only where the samples declare the symmetry: configurations of a model that says
    /// its distribution is point-group invariant (the Ising models, not the dimer image), not coarse-grained, on a
    /// square lattice with a square block (or a chain window on a chain).</summary>
    [Fact]
    public void TheSymmetryHoldsOnlyForSymmetricModelsOwnConfigurationsAndSquareWindows()
    {
        var square = WindowGeometry.Square(2, 2, 0, 4);
        Assert.True(ModelCatalog.Ising2D.PointGroupSymmetric);
        Assert.True(WindowSymmetry.Holds(Samples(ModelCatalog.Ising2D.Name, [16, 16]), square));
        Assert.True(WindowSymmetry.Holds(Samples(ModelCatalog.Ising2D.Name, [16, 16], rgStep: 0), square));
        Assert.True(WindowSymmetry.Holds(Samples(ModelCatalog.Ising1D.Name, [16]), WindowGeometry.Chain(2, 1, 2)));
        Assert.False(WindowSymmetry.Holds(Samples(ModelCatalog.Dimer.Name, [16, 16]), square));
        Assert.False(((IModel)new Rsmi.Tests.Models.AnisotropicIsingModel()).PointGroupSymmetric);
        Assert.False(WindowSymmetry.Holds(Samples(null, [16, 16]), square));
        Assert.False(WindowSymmetry.Holds(Samples("not-a-model", [16, 16]), square));
        Assert.False(WindowSymmetry.Holds(Samples(ModelCatalog.Ising2D.Name, [16, 16], rgStep: 1), square));
        Assert.False(WindowSymmetry.Holds(Samples(ModelCatalog.Ising2D.Name, [16, 16]), WindowGeometry.Square(2, 1, 0, 4)));
        Assert.False(WindowSymmetry.Holds(Samples(ModelCatalog.Ising2D.Name, [8, 16]), square));
        Assert.False(WindowSymmetry.Holds(Samples(ModelCatalog.Ising1D.Name, [16]), square));
        Assert.Equal(8, WindowSymmetry.Order(square));
        Assert.Equal(2, WindowSymmetry.Order(WindowGeometry.Chain(2, 1, 2)));
    }

    /// <summary>The 48 maps of the cubic group O_h about a cubic window's centre, written out independently: the axis
    /// permutations in lexicographic order, each with the sign patterns in binary order (x fastest).</summary>
    private static IEnumerable<Func<(int, int, int), (int, int, int)>> Cubic()
    {
        int[][] permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        foreach (var p in permutations)
            for (int signs = 0; signs < 8; signs++)
            {
                int sx = (signs & 1) == 0 ? 1 : -1, sy = (signs & 2) == 0 ? 1 : -1, sz = (signs & 4) == 0 ? 1 : -1;
                yield return r =>
                {
                    int[] v = [r.Item1, r.Item2, r.Item3];
                    return (sx * v[p[0]], sy * v[p[1]], sz * v[p[2]]);
                };
            }
    }

    [Theory]
    [InlineData(2, 1, 1)]
    [InlineData(2, 0, 2)]
    [InlineData(3, 1, 1)]
    public void CubicPermutationsAreThe48ImagesOfTheCubicGroup(int block, int buffer, int environment)
    {
        var geometry = WindowGeometry.Cube(block, block, block, buffer, environment);
        var perms = WindowSymmetry.Permutations(geometry);
        var elements = Cubic().ToArray();
        Assert.Equal(48, perms.Length);
        Assert.Equal(48, WindowSymmetry.Order(geometry));
        int c = block - 1;
        int[] Expect((int Dx, int Dy, int Dz)[] offsets, Func<(int, int, int), (int, int, int)> g)
        {
            var at = offsets.Select((o, k) => (Key: (2 * o.Dx - c, 2 * o.Dy - c, 2 * o.Dz - c), k)).ToDictionary(p => p.Key, p => p.k);
            return offsets.Select(o => at[g((2 * o.Dx - c, 2 * o.Dy - c, 2 * o.Dz - c))]).ToArray();
        }
        for (int g = 0; g < 48; g++)
        {
            Assert.Equal(Expect(geometry.VisibleOffsets, elements[g]), perms[g].Visible);
            Assert.Equal(Expect(geometry.EnvironmentOffsets, elements[g]), perms[g].Environment);
        }
        // 48 different maps of the environment shell, the identity first
        Assert.Equal(Enumerable.Range(0, geometry.EnvironmentSize), perms[0].Environment);
        Assert.Equal(48, perms.Select(p => string.Join(",", p.Environment)).Distinct().Count());
    }

    [Fact]
    public void TheCubicSymmetryHoldsForIsing3DCubesWithCubicBlocks()
    {
        var cube = WindowGeometry.Cube(2, 2, 2, 1, 1);
        Assert.True(WindowSymmetry.Holds(Samples(ModelCatalog.Ising3D.Name, [8, 8, 8]), cube));
        Assert.False(WindowSymmetry.Holds(Samples(ModelCatalog.Ising3D.Name, [8, 8, 8], rgStep: 1), cube));
        Assert.False(WindowSymmetry.Holds(Samples(ModelCatalog.Ising3D.Name, [8, 8, 16]), cube));
        Assert.False(WindowSymmetry.Holds(Samples(ModelCatalog.Ising3D.Name, [8, 8, 8]), WindowGeometry.Cube(2, 2, 1, 1, 1)));
        Assert.False(WindowSymmetry.Holds(Samples(ModelCatalog.Ising2D.Name, [8, 8]), cube));
        var e = Assert.Throws<RsmiInputException>(() => WindowSymmetry.Permutations(WindowGeometry.Cube(2, 2, 1, 1, 1)));
        Assert.Contains("cubic block", e.Message);
    }

    /// <summary>Each image of a cubic window is the window of the correspondingly rotated configuration: rotating a
    /// configuration of the 8³ torus by an element g about the centre of the block at the origin and cutting the
    /// window there gives the image of the original window under g.</summary>
    [Fact]
    public void CubicImagesAreTheWindowsOfRotatedConfigurations()
    {
        int l = 8;
        var geometry = WindowGeometry.Cube(2, 2, 2, 1, 1);
        var rng = new System.Random(5);
        var data = Enumerable.Range(0, l * l * l).Select(_ => (sbyte)(rng.Next(2) * 2 - 1)).ToArray();
        var windows = WindowCutter.Cut(new SampleSet(1, [l, l, l], data), geometry);
        var augmented = WindowSymmetry.Augment(new Windows
        {
            Count = 1, VisibleSize = windows.VisibleSize, EnvironmentSize = windows.EnvironmentSize,
            Visible = windows.VisibleRow(0).ToArray(), Environment = windows.EnvironmentRow(0).ToArray(),
        }, geometry);
        var elements = Cubic().ToArray();
        int Mod(int a) => ((a % l) + l) % l;
        for (int g = 0; g < 48; g++)
        {
            // rotated[r] = original[g⁻¹ r] about the block centre (1/2, 1/2, 1/2): doubled coordinates 2r − 1
            var rotated = new sbyte[data.Length];
            for (int z = 0; z < l; z++)
                for (int y = 0; y < l; y++)
                    for (int x = 0; x < l; x++)
                    {
                        var (ix, iy, iz) = elements[g]((2 * x - 1, 2 * y - 1, 2 * z - 1));
                        int sx = Mod((ix + 1) / 2), sy = Mod((iy + 1) / 2), sz = Mod((iz + 1) / 2);
                        rotated[sx + l * (sy + l * sz)] = data[x + l * (y + l * z)];
                    }
            var w = WindowCutter.Cut(new SampleSet(1, [l, l, l], rotated), geometry);
            // the image of window 0 under g (row g of the augmented set) is what the rotated lattice shows
            // after the inverse map; both sets of images agree as sets of windows
            var imageRows = Enumerable.Range(0, 48).Select(h => string.Join(",", augmented.VisibleRow(h).ToArray()) + "|" + string.Join(",", augmented.EnvironmentRow(h).ToArray())).ToHashSet();
            Assert.Contains(string.Join(",", w.VisibleRow(0).ToArray()) + "|" + string.Join(",", w.EnvironmentRow(0).ToArray()), imageRows);
        }
    }
}
