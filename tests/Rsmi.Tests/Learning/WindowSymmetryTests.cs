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
}
