using Rsmi.Lattices;

namespace Rsmi.Tests.Lattices;

public class HypercubicLatticeTests
{
    [Theory]
    [InlineData(new[] { 5 })]
    [InlineData(new[] { 3, 4 })]
    [InlineData(new[] { 2, 3, 4 })]
    public void NeighboursAreTheUnitStepsWithPeriodicWrap(int[] shape)
    {
        var lattice = new HypercubicLattice(shape);
        Assert.Equal(shape.Length, lattice.Dimension);
        Assert.Equal(shape.Aggregate(1, (a, b) => a * b), lattice.Sites);
        Span<int> r = stackalloc int[3];
        Span<int> step = stackalloc int[3];
        for (int i = 0; i < lattice.Sites; i++)
        {
            lattice.Coordinates(i, r);
            Assert.Equal(i, lattice.Index(r));
            for (int axis = 0; axis < lattice.Dimension; axis++)
            foreach (int direction in new[] { 1, -1 })
            {
                r.CopyTo(step);
                step[axis] += direction;
                int j = lattice.Neighbour(i, axis, direction);
                Assert.Equal(lattice.Index(step), j);
                Assert.Equal(j, lattice.Neighbours(i)[2 * axis + (direction > 0 ? 0 : 1)]);
                Assert.Equal(i, lattice.Neighbour(j, axis, -direction));
            }
        }
    }

    [Fact]
    public void SitesAreRowMajorOverTheSampleFileShape()
    {
        var square = new HypercubicLattice(3, 4); // Ly = 3, Lx = 4
        Assert.Equal(4, square.Extent(0));
        Assert.Equal(3, square.Extent(1));
        Assert.Equal(2 * 4 + 1, square.Index(1, 2));
        Assert.Equal(0, square.Index(4, 3));
        Assert.Equal(square.Index(3, 2), square.Index(-1, -1));
        var cube = new HypercubicLattice(2, 3, 4);
        Assert.Equal(1 + 4 * (2 + 3 * 1), cube.Index([1, 2, 1]));
    }

    [Fact]
    public void TheCheckerboardColouringIsProperOnEvenSides()
    {
        var lattice = new HypercubicLattice(4, 6, 2);
        Assert.True(lattice.IsBipartite);
        for (int i = 0; i < lattice.Sites; i++)
            foreach (int j in lattice.Neighbours(i)) Assert.NotEqual(lattice.Colour(i), lattice.Colour(j));
        Assert.False(new HypercubicLattice(3, 4).IsBipartite);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 8)]
    [InlineData(3, 48)]
    public void ThePointGroupIsTheHyperoctahedralGroup(int dimension, int order)
    {
        var group = PointGroupElement.Group(dimension);
        Assert.Equal(order, group.Count);
        Span<int> r = stackalloc int[3];
        // Distinct images of a generic vector, identity first, closed under composition.
        int[] v = [1, 2, 4];
        var images = group.Select(g => { var im = new int[3]; g.Apply(v, im); return string.Join(",", im.Take(dimension)); }).ToList();
        Assert.Equal(order, images.Distinct().Count());
        Assert.Equal(string.Join(",", v.Take(dimension)), images[0]);
        foreach (var g in group)
        foreach (var h in group)
        {
            var gh = new int[3];
            h.Apply(v, gh);
            g.Apply(gh, gh);
            Assert.Contains(string.Join(",", gh.Take(dimension)), images);
        }
        Assert.Equal(order, HypercubicLattice.Cubic(dimension, 4).PointGroup.Count);
    }

    [Fact]
    public void TheSquarePointGroupListsRotationsThenReflections()
    {
        string[] expected = ["1,2", "-2,1", "-1,-2", "2,-1", "-1,2", "1,-2", "2,1", "-2,-1"];
        var images = PointGroupElement.Group(2).Select(g => { var im = new int[2]; g.Apply([1, 2], im); return $"{im[0]},{im[1]}"; });
        Assert.Equal(expected, images);
    }

    [Fact]
    public void ARectangleKeepsOnlyTheElementsThatDoNotExchangeItsSides()
    {
        var group = new HypercubicLattice(4, 6).PointGroup;
        Assert.Equal(4, group.Count);
        Assert.All(group, g => Assert.Equal([0, 1], g.Sources));
    }

    [Fact]
    public void BlocksTileTheLatticeRowMajorWithinEachBlock()
    {
        var lattice = new HypercubicLattice(4, 6);
        var tiling = lattice.Tile(2);
        Assert.Equal(6, tiling.Count);
        Assert.Equal(4, tiling.SitesPerBlock);
        var seen = new HashSet<int>();
        var sites = new int[4];
        for (int b = 0; b < tiling.Count; b++)
        {
            tiling.Sites(b, sites);
            foreach (int s in sites) Assert.True(seen.Add(s));
        }
        Assert.Equal(lattice.Sites, seen.Count);
        tiling.Sites(4, sites); // block (X, Y) = (1, 1): x = 2, 3 and y = 2, 3
        Assert.Equal([2 * 6 + 2, 2 * 6 + 3, 3 * 6 + 2, 3 * 6 + 3], sites);
        Assert.Throws<RsmiInputException>(() => lattice.Tile(4));
        Assert.Equal(27, new HypercubicLattice(6, 6, 6).Tile(2).Count);
    }

    [Fact]
    public void EmptySidesAndFourDimensionsAreRefused()
    {
        Assert.Throws<RsmiInputException>(() => new HypercubicLattice(0, 4));
        Assert.Equal(2, new HypercubicLattice(1, 4).Neighbour(2, 1, +1)); // a side of 1: the site itself
        Assert.Throws<RsmiInputException>(() => new HypercubicLattice(2, 2, 2, 2));
    }
}
