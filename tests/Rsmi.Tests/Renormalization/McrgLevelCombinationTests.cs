using Rsmi.Models;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Renormalization;

namespace Rsmi.Tests.Renormalization;

/// <summary>
/// How the MCRG levels make one estimate (docs/algorithm.md, "3D Ising operators"): the square lattice's models
/// average the levels n ≥ 1; the 3D Ising model takes the deepest level with a coarse lattice of at least 8³ and adds
/// to its jackknife error the level systematic |X_n − X_{n−1}|·r/(1 − r), r = 2^{−ω}; without a level before it the
/// error is undefined.
/// </summary>
public class McrgLevelCombinationTests
{
    /// <summary>MCRG of the majority rule on 100 critical Wolff samples of the L³ torus, <paramref name="steps"/> steps.</summary>
    private static McrgResult CubicMajority(int l, int steps, ulong seed)
    {
        var ops = IsingCubicOperators.Instance;
        var fine = ModelSampling.Sample(ModelCatalog.Ising3D, ModelCatalog.Ising3D.Arguments(l, Ising3D.CriticalTemperature), "wolff", 100, seed, 4);
        var levels = SwendsenMcrg.Chain(fine, new MajorityRule(2), steps, seed + 10);
        return SwendsenMcrg.Analyse(levels.Select(x => ops.MeasureEven(x, 6)).ToArray(), levels.Select(x => x.Lx).ToArray(), 100, "majority", 6, 10,
            levels.Select(x => ops.MeasureOdd(x, 4)).ToArray(), 4, ops, 1, 3);
    }

    [Fact]
    public void TheCubicEstimateIsTheDeepestLevelsWithTheLastStepsChangeAsItsSystematic()
    {
        var r = CubicMajority(32, 3, 3);
        Assert.Equal("deepest-level", r.LevelCombination.Name);
        // 32 → 16 → 8 → 4: the deepest level with a coarse lattice of at least 8 is level 1 (16 → 8).
        Assert.Equal(new[] { 1 }, r.CombinedLevels);
        double rate = Math.Pow(2, -Ising3D.CorrectionExponent), tail = rate / (1 - rate);
        Assert.Equal(tail, ((DeepestLevelCombination)r.LevelCombination).TailFactor(2), 14);
        Assert.InRange(tail, 1.2, 1.35);
        var (deep, before) = (r.Levels[1], r.Levels[0]);
        double nuSystematic = Math.Abs(deep.Nu.Value - before.Nu.Value) * tail;
        Assert.Equal(nuSystematic, r.NuLevelSystematic, 12);
        Assert.Equal(deep.Nu.Value, r.Nu.Value);
        Assert.Equal(Math.Sqrt(deep.Nu.Error * deep.Nu.Error + nuSystematic * nuSystematic), r.Nu.Error, 12);
        double yhSystematic = Math.Abs(deep.Yh.Value - before.Yh.Value) * tail;
        Assert.Equal(yhSystematic, r.YhLevelSystematic, 12);
        Assert.Equal(deep.Yh.Value, r.Yh.Value);
        Assert.Equal(Math.Sqrt(deep.Yh.Error * deep.Yh.Error + yhSystematic * yhSystematic), r.Yh.Error, 12);
        Assert.Equal(5 - 2 * r.Yh.Value, r.Eta.Value, 12);
        Assert.Equal(2 * r.Yh.Error, r.Eta.Error, 12);
        Assert.True(r.NuLevelSystematic > 0 && r.YhLevelSystematic > 0);
    }

    [Fact]
    public void WithoutALevelBeforeTheDeepestTheErrorIsUndefined()
    {
        // 16 → 8 → 4: the deepest level with a coarse lattice of at least 8 is the first, with no level before it.
        var r = CubicMajority(16, 2, 5);
        Assert.Equal(new[] { 0 }, r.CombinedLevels);
        Assert.Equal(r.Levels[0].Nu.Value, r.Nu.Value);
        Assert.True(double.IsNaN(r.NuLevelSystematic) && double.IsNaN(r.Nu.Error));
        Assert.True(double.IsNaN(r.YhLevelSystematic) && double.IsNaN(r.Yh.Error));
    }

    [Fact]
    public void TheSquareLatticeAveragesItsLevelsWithoutASystematic()
    {
        var fine = ModelSampling.Sample(ModelCatalog.Ising2D, ModelCatalog.Ising2D.Arguments(32, Ising2D.CriticalTemperature), "wolff", 200, 7, 4);
        var r = SwendsenMcrg.Analyse(SwendsenMcrg.Chain(fine, new MajorityRule(2), 3, 17), "majority", jackknifeBlocks: 10);
        Assert.Same(McrgLevelCombination.Average, r.LevelCombination);
        Assert.Equal(new[] { 1 }, r.CombinedLevels);
        Assert.Equal(0, r.NuLevelSystematic);
        Assert.Equal(r.Levels[1].Nu, r.Nu);
    }
}
