using Rsmi.Models.Dimers;


namespace Rsmi.Tests.Models.Dimers;

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

public class DimerSampleSetAnalysisTests
{
    [Fact]
    public void MasksOnTheImageGiveTheRegionFields()
    {
        int l = 8;
        var sampler = DimerWormSampler.Create(new DimerLattice(l), 3, 2.0);
        var image = new sbyte[4 * l * l];
        for (int k = 0; k < 30; k++)
        {
            sampler.Run(5);
            sampler.CopyConfiguration(image);
            var covering = sampler.Covering;
            foreach (var (i0, j0, h, w) in new[] { (0, 0, 8, 8), (2, 4, 4, 4), (1, 3, 3, 2), (5, 0, 2, 3) })
            {
                var (mx, my) = DimerAnalysis.ElectricFieldMasks(2 * i0, 2 * j0, 2 * h, 2 * w);
                double ex = 0, ey = 0;
                for (int dr = 0; dr < 2 * h; dr++)
                for (int dc = 0; dc < 2 * w; dc++)
                {
                    double n = (image[(2 * i0 + dr) * 2 * l + 2 * j0 + dc] + 1) / 2.0;
                    ex += mx[dr * 2 * w + dc] * n; ey += my[dr * 2 * w + dc] * n;
                }
                Assert.Equal(DimerAnalysis.ElectricField(covering, i0, j0, h, w), ((int)ex, (int)ey));
            }
        }
        var (x, y) = DimerAnalysis.ElectricFieldMasks(0, 0, 2, 2);
        Assert.Equal([0, 1, 0, 0], x);      // pixel (0,1): horizontal bond (0,0)
        Assert.Equal([0, 0, 1, 0], y);      // pixel (1,0): vertical bond (0,0)
    }

    [Fact]
    public void CorrelationsOfASampleSetMatchThePairProducts()
    {
        var set = DimerSampling.Generate(new DimerSamplingOptions(16, 400, null, 5));
        var (along, across) = DimerAnalysis.Correlations(set);
        Assert.Equal(9, along.Length);
        Assert.Equal(0.25 - 1.0 / 16, along[0].Value, 12);
        Assert.Equal(-1.0 / 16, along[1].Value, 12);              // two dimers cannot share a site
        Assert.True(along[2].Value > 4 * along[2].Error);          // (−1)^r sign of the longitudinal correlation
        Assert.True(along[3].Value < -4 * along[3].Error);
        Assert.True(across[1].Value > 4 * across[1].Error);
    }
}
