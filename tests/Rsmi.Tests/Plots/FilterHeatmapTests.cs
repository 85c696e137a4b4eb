using Rsmi.Filters;
using Rsmi.Plots.Filters;
using Rsmi.Tests.IO;

namespace Rsmi.Tests.Plots;

public class FilterHeatmapTests
{
    private static FilterSet Sample(int bx, int by, int hidden) => new()
    {
        Model = "ising2d", BlockX = bx, BlockY = by, Buffer = 1, Environment = 1, Estimator = "rbm",
        Filters = new FilterParameters(bx * by, hidden, Enumerable.Range(0, bx * by * hidden).Select(i => i % 3 == 0 ? -1.0 * i : 0.5 * i).ToArray()),
        MutualInformationBits = 0.5, Seed = 1,
    };

    [Fact]
    public void GridIsRowMajorOverTheBlockWithTheTopRowFirst()
    {
        var f = Sample(3, 2, 2);
        var grid = FilterHeatmap.Grid(f, 1);
        Assert.Equal(2, grid.GetLength(0));
        Assert.Equal(3, grid.GetLength(1));
        for (int y = 0; y < 2; y++) for (int x = 0; x < 3; x++) Assert.Equal(f.Weights[6 + y * 3 + x], grid[y, x]);
    }

    [Fact]
    public void CubicFiltersAreDrawnAsTheirZSlicesSideBySide()
    {
        var f = new FilterSet
        {
            Model = "ising3d", BlockX = 2, BlockY = 3, BlockZ = 2, Buffer = 1, Environment = 1, Estimator = "rbm",
            Filters = new FilterParameters(12, 1, Enumerable.Range(0, 12).Select(i => 1.0 + i).ToArray()),
            MutualInformationBits = 0.5, Seed = 1,
        };
        var grid = FilterHeatmap.Grid(f, 0);
        Assert.Equal(3, grid.GetLength(0));
        Assert.Equal(5, grid.GetLength(1)); // two slices of 2 columns and a blank column between them
        for (int z = 0; z < 2; z++)
            for (int y = 0; y < 3; y++)
                for (int x = 0; x < 2; x++)
                    Assert.Equal(f.Weight(0, x, y, z), grid[y, z * 3 + x]);
        for (int y = 0; y < 3; y++) Assert.True(double.IsNaN(grid[y, 2]));
        using var dir = new TempDirectory();
        var paths = FilterHeatmap.WriteAll(f, dir.File("cube.json"));
        Assert.True(new FileInfo(Assert.Single(paths)).Length > 1000);
    }

    [Fact]
    public void PanelsOfACategoricalFilterAreStatesByLabelsEachTheBlock()
    {
        // 3×2 block, q = 3 labels, 2 units of 4 states
        var p = new FilterParameters(6, 2, featuresPerSite: 3, hiddenStates: 4);
        for (int i = 0; i < p.Weights.Length; i++) p.Weights[i] = i;
        var f = new FilterSet
        {
            Model = "potts2d", BlockX = 3, BlockY = 2, Buffer = 1, Environment = 1, Estimator = "infonce", Filters = p, MutualInformationBits = 0.5, Seed = 1,
        };
        var grid = FilterHeatmap.PanelGrid(f, 1);
        Assert.Equal((4 * 3 - 1, 3 * 4 - 1), (grid.GetLength(0), grid.GetLength(1)));
        for (int s = 0; s < 4; s++)
            for (int k = 0; k < 3; k++)
                for (int y = 0; y < 2; y++)
                    for (int x = 0; x < 3; x++)
                        Assert.Equal(p.Row(1, s)[(y * 3 + x) * 3 + k], grid[s * 3 + y, k * 4 + x]);
        Assert.True(double.IsNaN(grid[2, 0]) && double.IsNaN(grid[0, 3]));
        using var dir = new TempDirectory();
        var paths = FilterHeatmap.WriteAll(f, dir.File("potts.json"));
        Assert.Equal(2, paths.Count);
        Assert.All(paths, path => Assert.True(new FileInfo(path).Length > 1000));
    }

    [Fact]
    public void ColourLimitsAreSymmetricAboutZero()
    {
        Assert.Equal(3.5, FilterHeatmap.SymmetricLimit([1.0, -3.5, 2.0]));
        Assert.True(FilterHeatmap.SymmetricLimit([0.0, 0.0]) > 0);
    }

    [Fact]
    public void WritesOnePngPerHiddenUnitNextToTheFiltersFile()
    {
        using var dir = new TempDirectory();
        var f = Sample(2, 2, 3);
        var paths = FilterHeatmap.WriteAll(f, dir.File("run.json"));
        Assert.Equal(new[] { dir.File("run.h1.png"), dir.File("run.h2.png"), dir.File("run.h3.png") }, paths);
        foreach (string p in paths)
        {
            var bytes = File.ReadAllBytes(p);
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
        }
        // only the pictures: no temporary files left behind
        Assert.Equal(new[] { "run.h1.png", "run.h2.png", "run.h3.png" }, dir.Entries());
        // a large block (8×8 dimer window) renders too
        FilterHeatmap.WritePng(Sample(8, 8, 1), 0, dir.File("big.png"));
        Assert.True(new FileInfo(dir.File("big.png")).Length > 1000);
    }
}
