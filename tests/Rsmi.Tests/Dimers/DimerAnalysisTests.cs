using Rsmi.Dimers;

namespace Rsmi.Tests.Dimers;

public class DimerAnalysisTests
{
    /// <summary>Row i holds horizontal dimers on the bonds (i, j) with j ≡ i (mod 2): every dimer on an A-started bond.</summary>
    private static DimerCovering Staggered(int l)
    {
        var d = new byte[l * l];
        for (int i = 0; i < l; i++)
        for (int j = 0; j < l; j++)
            d[i * l + j] = (byte)(((j - i) & 1) == 0 ? DimerLattice.Right : DimerLattice.Left);
        return new DimerCovering(new DimerLattice(l), d);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public void StaggeredCoveringMaximisesTheFieldAndColumnarGivesZero(int l)
    {
        var staggered = Staggered(l);
        Assert.Equal((l * l / 2, 0), DimerAnalysis.ElectricField(staggered, 0, 0, l, l));
        Assert.Equal((l / 2, 0), DimerAnalysis.Winding(staggered));
        Assert.Equal((2, 0), DimerAnalysis.ElectricField(staggered, 1, 1, 2, 2));      // two dimers in a 2×2 block, both +
        Assert.Equal((2, 0), DimerAnalysis.ElectricField(staggered, l - 1, l - 1, 2, 2)); // wrapping region
        var columnar = new DimerLattice(l).Columnar();
        Assert.Equal((0, 0), DimerAnalysis.ElectricField(columnar, 0, 0, l, l));
        Assert.Equal((0, 0), DimerAnalysis.Winding(columnar));
        Assert.Equal((0, 0), DimerAnalysis.ElectricField(columnar, 0, 0, 2, 2));
        Assert.Equal((1, 0), DimerAnalysis.ElectricField(columnar, 0, 0, 1, 1));        // bond (0,0), A-started
        Assert.Equal((-1, 0), DimerAnalysis.ElectricField(columnar, 1, 0, 1, 1));       // bond (1,0), B-started
        Assert.Equal((0, 0), DimerAnalysis.ElectricField(columnar, 0, 0, 2, 1));
    }

    [Fact]
    public void WindingIsTheSameThroughEveryCutAndEqualsTheWholeLatticeFieldOverL()
    {
        var lattice = new DimerLattice(12);
        var sampler = DimerWormSampler.Create(lattice, 8, null);
        var seen = new HashSet<(int, int)>();
        for (int k = 0; k < 300; k++)
        {
            sampler.Run(5);
            var c = sampler.Covering;
            var (wx, wy) = DimerAnalysis.Winding(c);
            seen.Add((wx, wy));
            for (int cut = 0; cut < 12; cut++)
            {
                Assert.Equal(wx, DimerAnalysis.ElectricField(c, 0, cut, 12, 1).Ex);
                Assert.Equal(wy, DimerAnalysis.ElectricField(c, cut, 0, 1, 12).Ey);
            }
            Assert.Equal((12 * wx, 12 * wy), DimerAnalysis.ElectricField(c, 0, 0, 12, 12));
        }
        Assert.True(seen.Count >= 5, $"the worm visited only {seen.Count} winding sectors");
    }

    [Fact]
    public void HeightFieldIsSingleValuedLocallyAndWindsByFourTimesW()
    {
        int l = 10;
        var sampler = DimerWormSampler.Create(new DimerLattice(l), 4, null);
        for (int k = 0; k < 100; k++)
        {
            sampler.Run(3);
            var c = sampler.Covering;
            var h = DimerAnalysis.HeightField(c);
            var (wx, wy) = DimerAnalysis.Winding(c);
            for (int i = 0; i < l; i++)
            for (int j = 0; j < l; j++)
            {
                // the step across vertical bond (i, j+1) and across horizontal bond (i+1, j), both with wrap
                int jr = (j + 1) % l, id = (i + 1) % l;
                int right = (((i + jr) & 1) == 0 ? 1 : -1) * (4 * (c.Vertical(i, jr) ? 1 : 0) - 1);
                int down = -(((id + j) & 1) == 0 ? 1 : -1) * (4 * (c.Horizontal(id, j) ? 1 : 0) - 1);
                Assert.Equal(h[i * l + jr] + (jr == 0 ? 4 * wy : 0), h[i * l + j] + right);
                Assert.Equal(h[id * l + j] - (id == 0 ? 4 * wx : 0), h[i * l + j] + down);
            }
        }
    }

    [Fact]
    public void FlatAndTiltedHeightFields()
    {
        var flat = DimerAnalysis.HeightField(new DimerLattice(8).Columnar());
        Assert.InRange(flat.Max() - flat.Min(), 0, 4);
        var tilted = DimerAnalysis.HeightField(Staggered(8));
        Assert.Equal(-4 * 3, tilted[7 * 8] - tilted[1 * 8]);        // down column 0: −4 per two rows
    }

    [Fact]
    public void PairProductsHaveTheirExactShortDistanceValues()
    {
        var sampler = DimerWormSampler.Create(new DimerLattice(16), 9, null);
        var along = new double[9]; var across = new double[9];
        for (int k = 0; k < 50; k++)
        {
            sampler.Run(4);
            DimerAnalysis.PairProducts(sampler.Covering, along, across);
            Assert.Equal(0.25, along[0], 12);           // n² = n and L²/2 dimers on 2L² bonds
            Assert.Equal(0.25, across[0], 12);
            Assert.Equal(0.0, along[1], 12);            // two dimers cannot share a site
        }
    }
}
