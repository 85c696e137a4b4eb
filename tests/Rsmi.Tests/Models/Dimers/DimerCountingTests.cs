using Rsmi.Models.Dimers;


namespace Rsmi.Tests.Models.Dimers;

public class DimerCountingTests
{
    [Theory]
    [InlineData(2, 8)]
    [InlineData(4, 272)]
    [InlineData(6, 90_176)]
    [InlineData(8, 311_853_312)]
    public void TorusFormulaGivesTheKnownCounts(int l, long expected) =>
        Assert.Equal(expected, Math.Round(DimerCounting.TorusCoverings(l)));

    [Theory]
    [InlineData(2, 2, 2)]
    [InlineData(4, 4, 36)]
    [InlineData(6, 6, 6728)]
    [InlineData(2, 3, 3)]
    [InlineData(3, 4, 11)]
    [InlineData(8, 8, 12_988_816)]
    public void OpenGridFormulaGivesTheKnownCounts(int m, int n, long expected) =>
        Assert.Equal(expected, Math.Round(DimerCounting.OpenGridCoverings(m, n)));

    [Theory]
    [InlineData(2, DimerBoundary.Periodic)]
    [InlineData(4, DimerBoundary.Periodic)]
    [InlineData(6, DimerBoundary.Periodic)]
    [InlineData(2, DimerBoundary.Open)]
    [InlineData(4, DimerBoundary.Open)]
    [InlineData(6, DimerBoundary.Open)]
    public void EnumerationCountsAgreeWithTheFormulas(int l, DimerBoundary boundary)
    {
        var lattice = new DimerLattice(l, boundary);
        Assert.Equal(Math.Round(DimerCounting.Coverings(l, boundary)), DimerEnumeration.Count(lattice));
    }

    [Fact]
    public void EnumeratedCoveringsAreValidAndDistinct()
    {
        var lattice = new DimerLattice(4);
        var all = DimerEnumeration.All(lattice);
        Assert.Equal(272, all.Count);
        foreach (var c in all) Assert.Null(DimerCovering.FindProblem(lattice, c.Directions));
        Assert.Equal(272, all.Select(c => c.Key()).Distinct().Count());
    }

    [Fact]
    public void EntropyPerSiteApproachesCatalanOverPi()
    {
        // ln Z / L² → G/π with corrections O(1/L²) on the torus.
        double s = DimerCounting.LogTorusCoverings(256) / (256.0 * 256.0);
        Assert.Equal(DimerCounting.EntropyPerSite, s, 4);
        Assert.Equal(0.2915609040, DimerCounting.EntropyPerSite, 10);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    [InlineData(-4)]
    [InlineData(1)]
    public void BadSizesAreRejectedWithAReadableSentence(int l)
    {
        var e = Assert.Throws<RsmiInputException>(() => new DimerLattice(l));
        Assert.Contains("L must be", e.Message);
    }
}
