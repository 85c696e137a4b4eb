using Rsmi.Data;
using Rsmi.Filters;
using Rsmi.Models;
using Rsmi.Models.Ising;
using Rsmi.Models.Potts;
using Rsmi.Models.Potts.Exact;
using Rsmi.Random;
using Rsmi.Renormalization;

namespace Rsmi.Tests.Models.Potts;

/// <summary>
/// The Potts operators of MCRG by hand and by symmetry (docs/algorithm.md, "Potts operators"): counts on small
/// configurations, the Ising operators recovered for q = 2, invariance of the even sector under relabelling,
/// translation and rotation, the odd components permuting with the labels and summing to zero; the alignment of
/// coarse labels and the projection of learned rules onto the permutation-symmetric ones.
/// </summary>
public class PottsOperatorTests
{
    private static SampleSet Labels(int q, int l, params sbyte[][] configurations)
    {
        var data = configurations.SelectMany(c => c).ToArray();
        var metadata = new SampleMetadata();
        ModelCatalog.Potts2D.DescribeLabels(metadata, q);
        return new SampleSet(configurations.Length, [l, l], data, metadata);
    }

    private static sbyte[] Random(int q, int l, ulong seed)
    {
        var rng = RandomStreams.Create(seed, 0, "potts-operator-test");
        return Enumerable.Range(0, l * l).Select(_ => (sbyte)(rng.NextUInt64() % (ulong)q)).ToArray();
    }

    private static double[] Even(sbyte[] s, int l) { var v = new double[PottsOperators.EvenCount]; PottsOperators.MeasureEven(s, l, l, v); return v; }
    private static double[] Odd(sbyte[] s, int l, int q) { var v = new double[q * PottsOperators.OddCount]; PottsOperators.MeasureOdd(s, l, l, q, v); return v; }

    [Fact]
    public void EvenOperatorsCountAgreeingSitesByHand()
    {
        const int l = 6, n = l * l;
        var uniform = Enumerable.Repeat((sbyte)2, n).ToArray();
        // Every pair agrees: two terms per site for the pair operators, four for the knight; one plaquette and four "T"s per site.
        Assert.Equal(new double[] { 2 * n, 2 * n, 2 * n, n, 4 * n, 2 * n, 2 * n, 4 * n }, Even(uniform, l));
        // Stripes of period 2 along x (label x mod 2): only the vertical pairs agree along the axes, none of the
        // diagonals; (2, 0) and (0, 2) both agree; the knight (2, ±1) agrees, (1, ±2) does not; (2, ±2) agree; (3, 0)
        // does not, (0, 3) does; no plaquette and no "T" has four equal sites.
        var stripes = Enumerable.Range(0, n).Select(i => (sbyte)(i % l % 2)).ToArray();
        Assert.Equal(new double[] { n, 0, 2 * n, 0, 2 * n, 2 * n, n, 0 }, Even(stripes, l));
    }

    [Fact]
    public void ForTwoStatesThePairOperatorsAreTheIsingOnesShiftedAndHalved()
    {
        // δ(s, s′) = (1 + σσ′)/2 with σ = 1 − 2s: each pair operator is (terms + Ising operator)/2.
        const int l = 8;
        var s = Random(2, l, 3);
        var sigma = s.Select(v => (sbyte)(1 - 2 * v)).ToArray();
        var potts = Even(s, l);
        var ising = new double[EvenOperators.Count];
        EvenOperators.Measure(sigma, l, l, ising);
        int[] terms = [2, 2, 2, 0, 4, 2, 2, 0];
        foreach (int a in new[] { 0, 1, 2, 4, 5, 6 }) Assert.Equal((terms[a] * l * l + ising[a]) / 2, potts[a]);
        // Odd: M_0 = n_0 − N/2 = Σσ/2.
        var odd = Odd(s, l, 2);
        Assert.Equal(sigma.Sum(x => (double)x) / 2, odd[0]);
        Assert.Equal(-odd[0], odd[PottsOperators.OddCount]);
    }

    [Fact]
    public void EvenOperatorsAreInvariantAndOddComponentsPermuteUnderRelabelling()
    {
        const int q = 4, l = 8;
        var s = Random(q, l, 5);
        int[] sigma = [2, 0, 3, 1];
        var relabelled = s.Select(v => (sbyte)sigma[v]).ToArray();
        Assert.Equal(Even(s, l), Even(relabelled, l));
        var odd = Odd(s, l, q);
        var moved = Odd(relabelled, l, q);
        for (int a = 0; a < q; a++)
            for (int op = 0; op < PottsOperators.OddCount; op++)
                Assert.Equal(odd[a * PottsOperators.OddCount + op], moved[sigma[a] * PottsOperators.OddCount + op], 9);
        // Σ_a φ_a = 0: every odd operator's components sum to zero.
        for (int op = 0; op < PottsOperators.OddCount; op++)
            Assert.Equal(0, Enumerable.Range(0, q).Sum(a => odd[a * PottsOperators.OddCount + op]), 9);
    }

    [Fact]
    public void EveryOperatorIsInvariantUnderTranslationRotationAndReflection()
    {
        const int q = 3, l = 9;
        var s = Random(q, l, 7);
        sbyte At(int x, int y) => s[((y % l + l) % l) * l + (x % l + l) % l];
        var shifted = new sbyte[l * l];
        var rotated = new sbyte[l * l];
        var reflected = new sbyte[l * l];
        for (int y = 0; y < l; y++)
            for (int x = 0; x < l; x++)
            {
                shifted[y * l + x] = At(x + 2, y - 3);
                rotated[y * l + x] = At(y, l - 1 - x);
                reflected[y * l + x] = At(l - 1 - x, y);
            }
        foreach (var t in new[] { shifted, rotated, reflected })
        {
            Assert.Equal(Even(s, l), Even(t, l));
            var a = Odd(s, l, q); var b = Odd(t, l, q);
            for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], 9);
        }
    }

    [Fact]
    public void OnlyOperatorsShorterThanHalfTheLatticeAreUsed()
    {
        var ops = PottsOperators.Instance;
        Assert.Equal(8, ops.UsableEven(8, 8));
        Assert.Equal(6, ops.UsableEven(6, 8));   // the (3, 0) operator wraps on a 6×6 torus, and the prefix stops there
        Assert.Equal(2, ops.UsableEven(4, 8));   // the (2, 0) operator wraps on a 4×4 torus
        Assert.Equal(1, ops.UsableEven(4, 1));
        Assert.Equal(1, ops.UsableEven(2, 8));
        Assert.Equal(5, ops.UsableOdd(8, 5));
        Assert.Equal(2, ops.UsableOdd(4, 5));
        var set = Labels(3, 4, Random(3, 4, 1), Random(3, 4, 2));
        Assert.Equal(3, ops.OddComponents(set));
        Assert.Equal(2 * 3 * 2, ops.MeasureOdd(set, 2).Length);
        Assert.Equal(2 * 4, ops.MeasureEven(set, 4).Length);
        var ising = new SampleSet(1, [4, 4], Enumerable.Repeat((sbyte)1, 16).ToArray());
        Assert.Throws<RsmiInputException>(() => ops.Validate(ising, "the samples"));
    }

    [Fact]
    public void CoarseLabelsAreRelabelledToAgreeWithTheirBlocks()
    {
        const int q = 3, l = 8;
        var fine = Labels(q, l, Random(q, l, 11), Random(q, l, 12));
        var coarse = new MajorityRule(2).CoarseGrain(fine, 5);
        Assert.Same(coarse, LabelAlignment.Align(fine, coarse, 2, 2));
        int[] sigma = [1, 2, 0];
        var permuted = new SampleSet(coarse.Count, coarse.SiteShape, coarse.Data.Select(v => (sbyte)sigma[v]).ToArray(), coarse.Metadata.Clone());
        var back = LabelAlignment.Align(fine, permuted, 2, 2);
        Assert.Equal(coarse.Data, back.Data);
    }

    [Fact]
    public void TheProjectionOfALearnedBinaryRuleOnTwoLabelsCommutesWithTheirExchange()
    {
        const int sites = 4;
        // One binary unit on one-hot features of q = 2 labels: an odd part (the vote) plus an even part and a bias,
        // which act as a field on h and favour one coarse label whatever the block.
        double[] odd = [0.9, 0.6, 0.4, 0.25], even = [0.5, 0.3, -0.2, 0.4];
        var weights = new double[sites * 2];
        for (int i = 0; i < sites; i++) { weights[i * 2] = even[i] + odd[i]; weights[i * 2 + 1] = even[i] - odd[i]; }
        var learned = new FilterParameters(sites, 1, 2, 2, weights, [0.7]);
        var projected = LearnedRuleEstimator.ExchangeSymmetric(learned);
        Assert.Equal(0, projected.Bias[0]);
        var w = projected.Row(0).ToArray();
        for (int i = 0; i < sites; i++)
        {
            Assert.Equal(odd[i], w[i * 2], 12);
            Assert.Equal(-odd[i], w[i * 2 + 1], 12);
        }
        // Every 2 × 2 block and its copy with the labels exchanged map to exchanged coarse labels (no sum of ±odd is 0,
        // so no ties); the learned rule itself does not.
        var blocks = Enumerable.Range(0, 16).Select(k => new[] { (sbyte)(k & 1), (sbyte)(k >> 1 & 1), (sbyte)(k >> 2 & 1), (sbyte)(k >> 3 & 1) }).ToArray();
        var fine = Labels(2, 2, blocks);
        var swapped = Labels(2, 2, blocks.Select(b => b.Select(v => (sbyte)(1 - v)).ToArray()).ToArray());
        var rule = new LearnedFilterRule(projected, 2, 2, FilterMode.Sign, "infonce");
        var h = rule.CoarseGrain(fine, 1).Data;
        var hs = rule.CoarseGrain(swapped, 1).Data;
        for (int k = 0; k < blocks.Length; k++) Assert.Equal(1 - h[k], hs[k]);
        var raw = new LearnedFilterRule(learned, 2, 2, FilterMode.Sign, "infonce");
        var r = raw.CoarseGrain(fine, 1).Data;
        var rs = raw.CoarseGrain(swapped, 1).Data;
        Assert.Contains(Enumerable.Range(0, blocks.Length), k => rs[k] != 1 - r[k]);
    }

    [Fact]
    public void TheProjectionOfALearnedRuleCommutesWithEveryRelabelling()
    {
        const int q = 3, sites = 4;
        // A noisy plurality-like unit whose state s votes for label (s + 1) mod q, with site weights and label-dependent noise.
        var rng = RandomStreams.Create(3, 0, "projection-test");
        var weights = new double[q * sites * q];
        for (int s = 0; s < q; s++)
            for (int i = 0; i < sites; i++)
                for (int a = 0; a < q; a++)
                    weights[(s * sites + i) * q + a] = (a == (s + 1) % q ? 1.5 + 0.1 * i : -0.7) + 0.2 * (rng.NextDouble() - 0.5);
        var learned = new FilterParameters(sites, 1, q, q, weights, [0.3, -0.2, 0.1]);
        var projected = LearnedRuleEstimator.PermutationSymmetric(learned);
        Assert.All(projected.Bias, b => Assert.Equal(0, b));
        // State s now votes for label s with one weight per site, increasing with the site as the learned ones do.
        var rule = new LearnedFilterRule(projected, 2, 2, FilterMode.Sign, "infonce");
        var w = projected.Row(0, 0).ToArray();
        for (int i = 0; i < sites; i++) Assert.True(w[i * q] > 1.9 && w[i * q] < 2.5, $"site {i}: {w[i * q]}");
        for (int i = 1; i < sites; i++) Assert.True(w[i * q] > w[(i - 1) * q]);
        // Every 2 × 2 block and its relabelled copy map to relabelled coarse labels (the site weights differ, so no ties).
        int[] perm = [2, 0, 1];
        var blocks = Enumerable.Range(0, 81).Select(k => new[] { (sbyte)(k % 3), (sbyte)(k / 3 % 3), (sbyte)(k / 9 % 3), (sbyte)(k / 27 % 3) }).ToArray();
        var fine = Labels(q, 2, blocks);
        var moved = Labels(q, 2, blocks.Select(b => b.Select(v => (sbyte)perm[v]).ToArray()).ToArray());
        var h = rule.CoarseGrain(fine, 1).Data;
        var hm = rule.CoarseGrain(moved, 1).Data;
        for (int k = 0; k < blocks.Length; k++) Assert.Equal(perm[h[k]], hm[k]);
        // A block with a unique most frequent label maps to it.
        for (int k = 0; k < blocks.Length; k++)
        {
            var counts = Enumerable.Range(0, q).Select(a => blocks[k].Count(v => v == a)).ToArray();
            if (counts.Count(c => c == counts.Max()) == 1) Assert.Equal(Array.IndexOf(counts, counts.Max()), h[k]);
        }
    }

    [Fact]
    public void TheModelGivesItsExactCriticalValuesForItsNumberOfStates()
    {
        var metadata = new SampleMetadata();
        ModelCatalog.Potts2D.DescribeLabels(metadata, 3);
        var c = ModelCatalog.Potts2D.Critical(metadata)!;
        Assert.Equal(Potts2D.CriticalTemperature(3), c.Temperature);
        Assert.Equal(5.0 / 6, c.Nu);
        Assert.Equal(28.0 / 15, c.Yh);
        Assert.Equal(4.0 / 15, c.Eta, 12);
        ModelCatalog.Potts2D.DescribeLabels(metadata, 5);
        Assert.True(double.IsNaN(ModelCatalog.Potts2D.Critical(metadata)!.Nu));
        Assert.Null(ModelCatalog.Potts2D.Critical(new SampleMetadata()));
    }
}
