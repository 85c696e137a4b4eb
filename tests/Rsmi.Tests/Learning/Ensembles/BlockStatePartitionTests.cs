using Rsmi.Data;
using Rsmi.Filters;
using Rsmi.Learning;
using Rsmi.Models.Ising;
using Rsmi.Progress;
using Rsmi.Learning.Ensembles;
using Rsmi.Random;
using Rsmi.Regions;
using Rsmi.Renormalization;

namespace Rsmi.Tests.Learning.Ensembles;

public class BlockStatePartitionTests
{
    /// <summary>Eight units, unit j the spin j (weight 1, bias 0): every block state its own class.</summary>
    private static FilterParameters OneSpinPerUnit(int sites)
    {
        var w = new double[sites * sites];
        for (int j = 0; j < sites; j++) w[j * sites + j] = 1;
        return new FilterParameters(sites, sites, w);
    }

    /// <summary>As <see cref="OneSpinPerUnit"/>, but units 0 and 1 are the AND and the OR of spins 0 and 1
    /// (weights 7 on both, bias ∓7): they keep v_0 + v_1 and lose which spin is up when the two differ.</summary>
    private static FilterParameters AndOrPair(int sites)
    {
        var f = OneSpinPerUnit(sites);
        f.Weights[0] = 7; f.Weights[1] = 7; f.Bias[0] = -7;
        f.Weights[sites] = 7; f.Weights[sites + 1] = 7; f.Bias[1] = 7;
        return f;
    }

    [Fact]
    public void OneSpinPerUnitIsInjectiveAndStrictlyRefinesTheAndOrPair()
    {
        var clean = BlockStatePartition.Of(OneSpinPerUnit(8), FilterMode.Sign)!;
        var andOr = BlockStatePartition.Of(AndOrPair(8), FilterMode.Sign)!;
        Assert.Equal(256, clean.States);
        Assert.Equal(256, clean.Classes);
        Assert.Equal(3 * 64, andOr.Classes); // (v0, v1) → three pair states, times the other six spins
        Assert.True(clean.StrictlyRefines(andOr));
        Assert.False(andOr.Refines(clean));
        Assert.True(andOr.Refines(andOr));
        Assert.False(andOr.StrictlyRefines(andOr));
    }

    [Fact]
    public void RulesThatAreNotAFunctionOfTheBlockOrTooLargeAreNotEnumerated()
    {
        // a = v0 + v1 is zero whenever the two differ: the rule tosses a coin there
        Assert.Null(BlockStatePartition.Of(new FilterParameters(2, 1, [1.0, 1.0]), FilterMode.Sign));
        Assert.Null(BlockStatePartition.Of(OneSpinPerUnit(4), FilterMode.Sample));
        Assert.Null(BlockStatePartition.Of(new FilterParameters(17, 1, new double[17]), FilterMode.Sign));
        Assert.NotNull(BlockStatePartition.Of(new FilterParameters(16, 1, Enumerable.Repeat(1.0, 16).ToArray(), [0.5]), FilterMode.Sign));
        // two of three categorical states tie on every block state
        Assert.Null(BlockStatePartition.Of(new FilterParameters(1, 1, 3, 3, new double[9]), FilterMode.Sign));
        Assert.Throws<ArgumentException>(() => BlockStatePartition.Of(OneSpinPerUnit(2), FilterMode.Sign)!.Refines(BlockStatePartition.Of(OneSpinPerUnit(3), FilterMode.Sign)!));
    }

    [Fact]
    public void LabelsArePartitionedByTheCategoricalUnitsArgmax()
    {
        // two sites of three labels (one-hot features), one three-state unit that copies the label of site 0
        var w = new double[3 * 2 * 3];
        for (int s = 0; s < 3; s++) w[(s * 2 + 0) * 3 + s] = 1;
        var copy = BlockStatePartition.Of(new FilterParameters(2, 1, 3, 3, w), FilterMode.Sign)!;
        Assert.Equal(9, copy.States);
        Assert.Equal(3, copy.Classes);
        for (int s = 0; s < 9; s++) Assert.Equal(copy.ClassOf[s % 3], copy.ClassOf[s]); // digit 0 is site 0's label
        // a binary unit on labels: is site 0 in state 2?
        var binary = new double[2 * 3];
        binary[2] = 1;
        var isTwo = BlockStatePartition.Of(new FilterParameters(2, 1, 3, 2, binary, [-0.5]), FilterMode.Sign)!;
        Assert.Equal(2, isTwo.Classes);
        Assert.True(copy.StrictlyRefines(isTwo));
    }

    /// <summary>
    /// The classes are exactly the coarse states of the coarse-graining rule itself: two block states share a class
    /// if and only if <see cref="FilterBlockRule"/> (sign mode) maps them to the same H, for random filters.
    /// </summary>
    [Fact]
    public void ClassesAreTheCoarseGrainingRulesCoarseStates()
    {
        var rng = new Xoshiro256StarStar(20261204);
        for (int trial = 0; trial < 40; trial++)
        {
            int sites = 1 + trial % 8, hidden = 1 + trial % 4;
            var w = new double[sites * hidden];
            var c = new double[hidden];
            for (int k = 0; k < w.Length; k++) w[k] = Math.Round(4 * (rng.NextDouble() - 0.5), trial % 2 == 0 ? 0 : 3);
            for (int k = 0; k < c.Length; k++) c[k] = Math.Round(4 * (rng.NextDouble() - 0.5), 3) + 0.0001;
            var filters = new FilterParameters(sites, hidden, w, c);
            var partition = BlockStatePartition.Of(filters, FilterMode.Sign);
            if (partition is null) continue;
            var rule = new FilterBlockRule(w, c, sites, FilterMode.Sign);
            var codes = new string[partition.States];
            var block = new sbyte[sites];
            var h = new sbyte[hidden];
            for (int s = 0; s < partition.States; s++)
            {
                for (int i = 0; i < sites; i++) block[i] = (sbyte)(((s >> i) & 1) == 1 ? 1 : -1);
                rule.Apply(block, h, ref rng);
                codes[s] = string.Join(",", h.ToArray());
            }
            for (int s = 0; s < partition.States; s++)
                for (int t = 0; t < partition.States; t++)
                    Assert.Equal(codes[s] == codes[t], partition.ClassOf[s] == partition.ClassOf[t]);
            Assert.Equal(codes.Distinct().Count(), partition.Classes);
        }
    }

    /// <summary>
    /// The data-processing inequality the ensemble relies on, on the exact law of the 4 × 4 torus at T = 2.5 (2 × 2
    /// block, environment 1: the window is the whole torus): for every pair of sign rules (one to four units, random
    /// integer weights and biases, the one-spin-per-unit rule and the AND/OR pair) where one strictly refines the other, the finer rule's exact I(H:E) is at least the
    /// coarser one's, and an injective rule keeps I(V:E).
    /// </summary>
    [Fact]
    public void AFinerRuleNeverCarriesLessExactInformation()
    {
        var geometry = WindowGeometry.Square(2, 2, 0, 1);
        var p = ExactMutualInformation.ForWindow(geometry, 4, 4, 2.5);
        double full = ExactMutualInformation.VisibleEnvironment(p).Bits;
        var rng = new Xoshiro256StarStar(7);
        var rules = new List<(BlockStatePartition Partition, double Bits)>();
        foreach (var given in new[] { OneSpinPerUnit(4), AndOrPair(4) })
            rules.Add((BlockStatePartition.Of(given, FilterMode.Sign)!, FilterEnsembleTests.SignInformationBits(p, given)));
        while (rules.Count < 62)
        {
            int hidden = 1 + rules.Count % 4;
            var w = new double[4 * hidden];
            var c = new double[hidden];
            for (int k = 0; k < w.Length; k++) w[k] = Math.Floor(5 * rng.NextDouble()) - 2;
            for (int k = 0; k < c.Length; k++) c[k] = Math.Floor(7 * rng.NextDouble()) - 3 + 0.5;
            var filters = new FilterParameters(4, hidden, w, c);
            if (BlockStatePartition.Of(filters, FilterMode.Sign) is not { } partition) continue;
            rules.Add((partition, FilterEnsembleTests.SignInformationBits(p, filters)));
        }
        int pairs = 0;
        foreach (var a in rules)
        {
            if (a.Partition.Classes == 16) Assert.Equal(full, a.Bits, 9);
            foreach (var b in rules)
                if (a.Partition.StrictlyRefines(b.Partition))
                {
                    pairs++;
                    Assert.True(a.Bits >= b.Bits - 1e-12, $"a rule of {a.Partition.Classes} classes carries {a.Bits} bits, one it refines ({b.Partition.Classes}) {b.Bits}");
                }
        }
        Assert.True(pairs >= 20, $"only {pairs} pairs in strict refinement");
        Assert.Contains(rules, r => r.Partition.Classes == 16);
    }

    [Fact]
    public void TheEnsembleNeverKeepsADominatedMember()
    {
        var clean = BlockStatePartition.Of(OneSpinPerUnit(8), FilterMode.Sign);
        var andOr = BlockStatePartition.Of(AndOrPair(8), FilterMode.Sign);
        // the AND/OR member has the largest (noisy) selection estimate, yet the member that refines it is kept
        var (chosen, by) = FilterEnsemble.Choose([0.2408, 0.2423, 0.2390, 0.2500], [clean, andOr, clean, null]);
        Assert.Equal(3, chosen); // unknown partitions are neither dominated nor dominating
        Assert.Equal([null, 0, null, null], by);
        (chosen, by) = FilterEnsemble.Choose([0.2408, 0.2423, 0.2390], [clean, andOr, clean]);
        Assert.Equal(0, chosen);
        Assert.Equal([null, 0, null], by);
        // without partitions the largest estimate wins, the first of equals
        (chosen, _) = FilterEnsemble.Choose([0.1, 0.3, 0.3], [null, null, null]);
        Assert.Equal(1, chosen);
    }

    /// <summary>Returns fixed filters: the AND/OR pair for the first two members' seeds, one spin per unit otherwise.</summary>
    private sealed class FixedLearner(FilterEnsembleOptions options) : IFilterLearner
    {
        public string Name => "fixed";

        public LearnedFilters Learn(SampleSet training, WindowGeometry geometry, int hidden, ulong seed, int threads, IProgressReporter? progress)
        {
            bool coarse = seed == options.MemberSeed(0) || seed == options.MemberSeed(1);
            var f = coarse ? AndOrPair(4) : OneSpinPerUnit(4);
            if (hidden > 4)
            {
                // further units copy the last one
                var rows = Enumerable.Range(0, hidden).Select(j => f.Row(Math.Min(j, 3)).ToArray()).ToArray();
                f = FilterParameters.FromRows(rows, Enumerable.Range(0, hidden).Select(j => f.Bias[Math.Min(j, 3)]).ToArray());
            }
            return new LearnedFilters { Filter = f, EstimatorBits = 0 };
        }
    }

    /// <summary>
    /// Through <see cref="FilterEnsemble.Learn"/> on critical 2D Ising samples (2 × 2 block, four units): the two AND/OR
    /// members are marked as dominated by the first clean member, a clean member is kept, and the filters file
    /// records each member's classes and dominating member.
    /// </summary>
    [Fact]
    public void TheEnsembleMarksAndSetsAsideTheCoarserMembers()
    {
        var samples = IsingSampling.Sample("ising2d", "wolff", 16, 2.269, 200, 11);
        var options = new FilterEnsembleOptions { Seed = 3, Threads = 2 };
        var geometry = WindowGeometry.Square(2, 2, 1, 1);
        var result = FilterEnsemble.Learn(samples, geometry, 4, new FixedLearner(options), options);
        Assert.Equal([12, 12, 16, 16], result.Members.Select(m => m.BlockStateClasses));
        Assert.Equal([2, 2, null, null], result.Members.Select(m => m.DominatedBy));
        Assert.Contains(result.ChosenIndex, new[] { 2, 3 });
        Assert.Equal(400, result.YardstickSteps);
        var file = result.ToFilterSet("ising2d", geometry, 3);
        var members = file.Extra["ensemble"]!.AsArray();
        Assert.Equal(12, (int)members[0]!["block_state_classes"]!);
        Assert.Equal(2, (int)members[1]!["dominated_by"]!);
        Assert.Null(members[3]!["dominated_by"]);
        Assert.Equal("set aside as provably not more informative (docs/learning.md, \"Exact dominance\"): member 1 (its rule merges block states that " +
            "member 3's keeps apart: 12 classes of the block's states against 16); member 2 (its rule merges block states that member 3's keeps apart: " +
            "12 classes of the block's states against 16).", result.DominanceMessage);
    }

    /// <summary>Filters of more than four units are judged by critics of <see cref="FilterEnsembleOptions.SpreadYardstickSteps"/>
    /// steps (a critic of 400 steps underestimates eight units by a fifth), and dominance still applies.</summary>
    [Fact]
    public void MoreThanFourUnitsGetTheLongerYardstick()
    {
        var samples = IsingSampling.Sample("ising2d", "wolff", 16, 2.269, 200, 11);
        var options = new FilterEnsembleOptions { Seed = 3, Threads = 2, Members = 3 };
        var result = FilterEnsemble.Learn(samples, WindowGeometry.Square(2, 2, 1, 1), 5, new FixedLearner(options), options);
        Assert.Equal(options.SpreadYardstickSteps, result.YardstickSteps);
        Assert.Equal(1600, (int)result.ToFilterSet("ising2d", WindowGeometry.Square(2, 2, 1, 1), 3).Extra["held_out"]!["yardstick"]!["steps"]!);
        Assert.Equal([2, 2, null], result.Members.Select(m => m.DominatedBy));
        Assert.Equal(2, result.ChosenIndex);
    }
}
