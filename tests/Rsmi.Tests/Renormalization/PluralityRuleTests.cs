using Rsmi.Data;
using Rsmi.Models;
using Rsmi.Random;
using Rsmi.Renormalization;

namespace Rsmi.Tests.Renormalization;

/// <summary>The plurality rule of q-state labels (the majority rule of Potts samples): the most frequent label, ties
/// uniformly among the tied labels.</summary>
public class PluralityRuleTests
{
    private static sbyte Apply(PluralityBlockRule rule, sbyte[] block, ref Xoshiro256StarStar rng)
    {
        Span<sbyte> h = stackalloc sbyte[1];
        rule.Apply(block, h, ref rng);
        return h[0];
    }

    [Fact]
    public void AUniquePluralityWins()
    {
        var rng = RandomStreams.Create(1, 0, "test");
        var rule = new PluralityBlockRule(3);
        Assert.Equal(2, Apply(rule, [2, 2, 0, 1], ref rng));
        Assert.Equal(0, Apply(rule, [0, 1, 0, 2], ref rng));
        Assert.Equal(1, Apply(rule, [1, 1, 1, 1], ref rng));
        Assert.Equal(3, Apply(new PluralityBlockRule(4), [3, 3, 3, 0, 1, 2, 0, 1], ref rng));
    }

    [Fact]
    public void TiesAreBrokenUniformlyAmongTheTiedLabels()
    {
        // Block 0 0 2 2 with q = 3: labels 0 and 2 tie, label 1 never appears; 20,000 draws, χ² with one degree of
        // freedom below 15.1 (p = 1e-4), and label 1 never chosen.
        var rng = RandomStreams.Create(7, 0, "test");
        var rule = new PluralityBlockRule(3);
        var counts = new int[3];
        const int n = 20000;
        for (int i = 0; i < n; i++) counts[Apply(rule, [0, 0, 2, 2], ref rng)]++;
        Assert.Equal(0, counts[1]);
        double chi2 = Math.Pow(counts[0] - n / 2.0, 2) / (n / 2.0) + Math.Pow(counts[2] - n / 2.0, 2) / (n / 2.0);
        Assert.True(chi2 < 15.1, $"counts {counts[0]}, {counts[2]}: chi2 {chi2:F2}");
        // A four-way tie: the block 0 1 2 3 with q = 4 gives each label with probability 1/4.
        var four = new int[4];
        for (int i = 0; i < n; i++) four[Apply(new PluralityBlockRule(4), [0, 1, 2, 3], ref rng)]++;
        double chi4 = four.Sum(c => Math.Pow(c - n / 4.0, 2) / (n / 4.0));
        Assert.True(chi4 < 21.1, $"counts {string.Join(", ", four)}: chi2 {chi4:F2} (3 dof, p = 1e-4)");
    }

    [Fact]
    public void TheMajorityRuleIsThePluralityRuleOnPottsSamples()
    {
        // Two 4 × 4 q = 3 configurations; 2 × 2 blocks with unique pluralities.
        sbyte[] data =
        [
            0, 0, 1, 1,   0, 2, 1, 2,   2, 2, 0, 1,   2, 1, 0, 0,
            1, 1, 1, 1,   1, 1, 1, 1,   2, 2, 2, 0,   2, 0, 0, 0,
        ];
        var meta = new SampleMetadata { Model = ModelCatalog.Potts2DName };
        meta.Set("q", 3L);
        var coarse = new MajorityRule().CoarseGrain(new SampleSet(2, [4, 4], data, meta), 5);
        Assert.Equal(new sbyte[] { 0, 1, 2, 0, 1, 1, 2, 0 }, coarse.Data);
        Assert.Equal("plurality", coarse.Metadata.GetString("rg_rule"));
        Assert.Equal(ModelCatalog.Potts2DName, coarse.Metadata.Model);
        Assert.Equal(3L, coarse.Metadata.GetLong("q"));
    }
}
