using Rsmi.IO;
using Rsmi.Plots.Scan;
using Rsmi.Tests.IO;

namespace Rsmi.Tests.Plots;

/// <summary>The scan's overlap figure and the crossover it marks.</summary>
public class ScanFiguresTests
{
    [Fact]
    public void CrossingsAreInterpolatedWhereTheDifferenceChangesSign()
    {
        // d = a − b: −0.8, −0.2, +0.6 → zero between x = 1 and 2 at 1 + 0.2/0.8
        Assert.Equal([1.25], ScanFigures.Crossings([0, 1, 2], [0.1, 0.4, 0.8], [0.9, 0.6, 0.2]));
        Assert.Empty(ScanFigures.Crossings([0, 1, 2], [0.9, 0.8, 0.7], [0.1, 0.2, 0.3]));
        // a point where the curves meet is one crossing, back and forth two
        Assert.Equal([1.0], ScanFigures.Crossings([0, 1, 2], [0.2, 0.5, 0.8], [0.8, 0.5, 0.2]));
        Assert.Equal([0.5, 1.5], ScanFigures.Crossings([0, 1, 2], [0, 1, 0], [1, 0, 1]));
    }

    [Fact]
    public void TheOverlapFigureIsWrittenForFilesWithPatternSets()
    {
        using var dir = new TempDirectory();
        ScanEntry Entry(double u, double fields, double columnar) =>
            new($"u{u}.h5", double.NaN, "interaction", u, 2, [4], [0.5], [0.01], double.NaN, double.NaN, [], double.NaN)
            {
                Model = "dimer",
                Overlaps = new Dictionary<string, double[]> { ["columnar"] = [columnar], ["electric_field"] = [fields] },
            };
        var written = ScanFigures.WriteAll([Entry(0, 0.99, 0.0), Entry(0.5, 0.0, 0.98), Entry(1, 0.0, 0.99)], dir.Path, svg: false);
        Assert.Contains(written, p => Path.GetFileName(p) == "scan_filter_overlaps.png");
        Assert.True(new FileInfo(Path.Combine(dir.Path, "scan_filter_overlaps.png")).Length > 0);
    }
}
