using Rsmi.Filters;
using Rsmi.Data;
using Rsmi.Random;
using Rsmi.Renormalization;

namespace Rsmi.Tests.Renormalization;

public class CoarseGrainingTests
{
    private static SampleSet RandomSpins(int count, int ly, int lx, ulong seed)
    {
        var rng = RandomStreams.Create(seed, 0, "test-spins");
        var data = new sbyte[count * lx * ly];
        for (int i = 0; i < data.Length; i++) data[i] = (rng.NextUInt64() >> 63) == 0 ? (sbyte)1 : (sbyte)-1;
        var meta = new SampleMetadata { Model = "ising2d", Temperature = 2.5 };
        return new SampleSet(count, [ly, lx], data, meta);
    }

    [Fact]
    public void MajorityRuleTakesTheSignOfTheBlockSumAndFlipsAFairCoinOnTies()
    {
        var s = RandomSpins(2000, 4, 6, 11);
        var coarse = new MajorityRule(2).CoarseGrain(s, 5);
        Assert.Equal(new[] { 2, 3 }, coarse.SiteShape);
        Assert.Equal(1L, coarse.Metadata.GetLong("rg_step"));
        long ties = 0, tiesUp = 0;
        for (int n = 0; n < s.Count; n++)
        {
            var f = s.Configuration(n); var c = coarse.Configuration(n);
            for (int y = 0; y < 2; y++)
            for (int x = 0; x < 3; x++)
            {
                int sum = f[(2 * y) * 6 + 2 * x] + f[(2 * y) * 6 + 2 * x + 1] + f[(2 * y + 1) * 6 + 2 * x] + f[(2 * y + 1) * 6 + 2 * x + 1];
                sbyte h = c[y * 3 + x];
                if (sum != 0) Assert.Equal(Math.Sign(sum), h);
                else { ties++; if (h == 1) tiesUp++; }
            }
        }
        // Ties are 6/16 of random blocks; the tie-break is Binomial(ties, 1/2): 4σ.
        Assert.InRange(ties, 4000, 8000);
        Assert.True(Math.Abs(tiesUp - ties / 2.0) < 4 * Math.Sqrt(ties / 4.0), $"{tiesUp} of {ties} ties went up");
    }

    [Fact]
    public void DecimationKeepsTheTopLeftSpinOfEachBlock()
    {
        var s = RandomSpins(50, 6, 6, 3);
        var coarse = new DecimationRule(3).CoarseGrain(s, 1);
        Assert.Equal(new[] { 2, 2 }, coarse.SiteShape);
        for (int n = 0; n < s.Count; n++)
            for (int y = 0; y < 2; y++)
            for (int x = 0; x < 2; x++)
                Assert.Equal(s.Configuration(n)[3 * y * 6 + 3 * x], coarse.Configuration(n)[y * 2 + x]);
    }

    [Fact]
    public void LearnedFiltersDrawCoarseSpinsWithProbabilitySigmoidOfTwiceTheActivation()
    {
        double[] w = [0.4, -0.2, 0.3, 0.1];
        const double c = 0.15;
        var rule = new LearnedFilterRule(FilterParameters.FromRows([w], [c]), 2, 2, FilterMode.Sample, "rbm");
        var s = RandomSpins(4000, 8, 8, 21);
        var coarse = rule.CoarseGrain(s, 99);
        var up = new long[16]; var total = new long[16];
        for (int n = 0; n < s.Count; n++)
        {
            var f = s.Configuration(n); var h = coarse.Configuration(n);
            for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
            {
                int pattern = 0;
                sbyte[] v = [f[2 * y * 8 + 2 * x], f[2 * y * 8 + 2 * x + 1], f[(2 * y + 1) * 8 + 2 * x], f[(2 * y + 1) * 8 + 2 * x + 1]];
                for (int i = 0; i < 4; i++) if (v[i] == 1) pattern |= 1 << i;
                total[pattern]++;
                if (h[y * 4 + x] == 1) up[pattern]++;
            }
        }
        // One binomial test per block pattern; 16 tests at |z| < 4 (Bonferroni-safe).
        for (int p = 0; p < 16; p++)
        {
            double a = c;
            for (int i = 0; i < 4; i++) a += w[i] * (((p >> i) & 1) == 1 ? 1 : -1);
            double prob = 1 / (1 + Math.Exp(-2 * a));
            double z = (up[p] - total[p] * prob) / Math.Sqrt(total[p] * prob * (1 - prob));
            Assert.True(Math.Abs(z) < 4, $"pattern {p}: {up[p]}/{total[p]} against p = {prob:F4} (z = {z:F2})");
        }
    }

    [Fact]
    public void SignModeTakesTheSignOfTheActivation()
    {
        var rule = new LearnedFilterRule(FilterParameters.FromRows([[1.0, 0.5, -0.25, 0.1]], [0.05]), 2, 2, FilterMode.Sign);
        var s = RandomSpins(100, 4, 4, 8);
        var coarse = rule.CoarseGrain(s, 1);
        for (int n = 0; n < s.Count; n++)
        {
            var f = s.Configuration(n);
            for (int y = 0; y < 2; y++)
            for (int x = 0; x < 2; x++)
            {
                double a = 0.05 + 1.0 * f[2 * y * 4 + 2 * x] + 0.5 * f[2 * y * 4 + 2 * x + 1] - 0.25 * f[(2 * y + 1) * 4 + 2 * x] + 0.1 * f[(2 * y + 1) * 4 + 2 * x + 1];
                Assert.Equal(Math.Sign(a), coarse.Configuration(n)[y * 2 + x]);
            }
        }
    }

    [Fact]
    public void SeveralHiddenUnitsAreLaidOutAsChannelsAlongTheRow()
    {
        var rule = new LearnedFilterRule(FilterParameters.FromRows([[1.0, 1, 1, 1], [-1.0, -1, -1, -1]], [0.01, 0.01]), 2, 2, FilterMode.Sign);
        var s = RandomSpins(10, 4, 4, 2);
        var coarse = rule.CoarseGrain(s, 1);
        Assert.Equal(new[] { 2, 4 }, coarse.SiteShape);
    }

    [Fact]
    public void ResultsDoNotDependOnTheNumberOfThreads()
    {
        var s = RandomSpins(64, 8, 8, 4);
        var rule = new LearnedFilterRule(FilterParameters.FromRows([[0.3, 0.3, 0.3, 0.3]], [0.0]), 2, 2);
        Assert.Equal(rule.CoarseGrain(s, 7, 1).Data, rule.CoarseGrain(s, 7, 4).Data);
        Assert.Equal(new MajorityRule().CoarseGrain(s, 7, 1).Data, new MajorityRule().CoarseGrain(s, 7, 3).Data);
        Assert.NotEqual(rule.CoarseGrain(s, 7).Data, rule.CoarseGrain(s, 8).Data);
    }

    [Fact]
    public void ABlockThatDoesNotDivideTheLatticeIsRejected()
    {
        var s = RandomSpins(2, 6, 6, 1);
        var e = Assert.Throws<RsmiInputException>(() => new MajorityRule(4).CoarseGrain(s, 1));
        Assert.Contains("does not divide", e.Message);
    }
}
