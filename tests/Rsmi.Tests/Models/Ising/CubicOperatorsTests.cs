using Rsmi.Models.Ising;

namespace Rsmi.Tests.Models.Ising;

/// <summary>The 3D MCRG operator sets: values on uniform and flipped configurations, two operators recomputed by hand,
/// invariance under the symmetries of the cube and under translations, and the usable prefix on small lattices.</summary>
public class CubicOperatorsTests
{
    private static sbyte[] Random(int l, int seed)
    {
        var rng = new System.Random(seed);
        return Enumerable.Range(0, l * l * l).Select(_ => (sbyte)(rng.Next(2) == 0 ? 1 : -1)).ToArray();
    }

    private static double[] All(CubicOperatorSet set, sbyte[] s, int l)
    {
        var v = new double[set.Count];
        set.Measure(s, l, v);
        return v;
    }

    private static int At(sbyte[] s, int l, int x, int y, int z) => s[((((z % l) + l) % l) * l + (((y % l) + l) % l)) * l + (((x % l) + l) % l)];

    [Fact]
    public void UniformConfigurationsCountTheTermsAndAFlipActsBySymmetry()
    {
        const int l = 5;
        int n = l * l * l;
        var up = Enumerable.Repeat((sbyte)1, n).ToArray();
        Assert.Equal(new double[] { 3, 6, 4, 3, 3, 12 }.Select(t => t * n), All(CubicOperators.Even, up, l));
        Assert.Equal(new double[] { 1, 12, 3, 1 }.Select(t => t * n), All(CubicOperators.Odd, up, l));
        var s = Random(l, 3);
        var flipped = s.Select(v => (sbyte)-v).ToArray();
        Assert.Equal(All(CubicOperators.Even, s, l), All(CubicOperators.Even, flipped, l));
        Assert.Equal(All(CubicOperators.Odd, s, l).Select(v => -v), All(CubicOperators.Odd, flipped, l));
    }

    [Fact]
    public void NearestNeighbourAndCrossAgreeWithADirectCount()
    {
        const int l = 6;
        var s = Random(l, 11);
        long nn = 0, cross = 0, body = 0;
        for (int z = 0; z < l; z++) for (int y = 0; y < l; y++) for (int x = 0; x < l; x++)
        {
            int c = At(s, l, x, y, z);
            nn += c * (At(s, l, x + 1, y, z) + At(s, l, x, y + 1, z) + At(s, l, x, y, z + 1));
            cross += c * At(s, l, x + 1, y, z) * At(s, l, x - 1, y, z) * At(s, l, x, y + 1, z) * At(s, l, x, y - 1, z) * At(s, l, x, y, z + 1) * At(s, l, x, y, z - 1);
            for (int sy = -1; sy <= 1; sy += 2) for (int sz = -1; sz <= 1; sz += 2) body += c * At(s, l, x + 1, y + sy, z + sz);
        }
        var even = All(CubicOperators.Even, s, l);
        Assert.Equal(nn, even[0]);
        Assert.Equal(body, even[2]);
        Assert.Equal(cross, All(CubicOperators.Odd, s, l)[3]);
    }

    [Fact]
    public void EveryOperatorIsInvariantUnderTheCubeAndTranslations()
    {
        const int l = 6;
        var s = Random(l, 5);
        // (x, y, z) → (z, x, y) (a rotation by 120° about the body diagonal), x → −x (a reflection), and a shift by (2, 1, 3).
        var rotated = new sbyte[s.Length]; var reflected = new sbyte[s.Length]; var shifted = new sbyte[s.Length];
        for (int z = 0; z < l; z++) for (int y = 0; y < l; y++) for (int x = 0; x < l; x++)
        {
            sbyte v = s[(z * l + y) * l + x];
            rotated[(y * l + x) * l + z] = v;
            reflected[(z * l + y) * l + (l - 1 - x)] = v;
            shifted[(((z + 3) % l) * l + (y + 1) % l) * l + (x + 2) % l] = v;
        }
        foreach (var set in new[] { CubicOperators.Even, CubicOperators.Odd })
        {
            var reference = All(set, s, l);
            Assert.Equal(reference, All(set, rotated, l));
            Assert.Equal(reference, All(set, reflected, l));
            Assert.Equal(reference, All(set, shifted, l));
        }
    }

    /// <summary>
    /// The row-at-a-time sums (L ≤ 64) equal the site-by-site ones for every operator of both sets, on random
    /// configurations of several spin densities and on sides that fill a word partly (2, 3, 5, 17, 63) or wholly (64).
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(17)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(192)]
    public void RowsReadAsWordsGiveTheSiteBySiteSums(int l)
    {
        var rng = new System.Random(100 + l);
        foreach (double down in new[] { 0.1, 0.5, 0.8 })
        {
            var s = Enumerable.Range(0, l * l * l).Select(_ => (sbyte)(rng.NextDouble() < down ? -1 : 1)).ToArray();
            foreach (var set in new[] { CubicOperators.Even, CubicOperators.Odd })
            {
                var packed = new double[set.Count]; var bySite = new double[set.Count];
                if (l <= 64) set.MeasurePacked(s, l, packed); else set.MeasurePackedWide(s, l, packed);
                set.MeasureBySite(s, l, bySite);
                Assert.Equal(bySite, packed);
                var viaMeasure = new double[set.Count];
                set.Measure(s, l, viaMeasure);
                Assert.Equal(bySite, viaMeasure);
            }
        }
    }

    [Fact]
    public void OnlyOperatorsThatDoNotWrapAreUsed()
    {
        Assert.Equal(3, CubicOperators.Even.UsableOn(4, 6));
        Assert.Equal(6, CubicOperators.Even.UsableOn(6, 6));
        Assert.Equal(1, CubicOperators.Even.UsableOn(2, 6));
        Assert.Equal(2, CubicOperators.Odd.UsableOn(4, 4));
        Assert.Equal(4, CubicOperators.Odd.UsableOn(8, 4));
    }
}
