using Rsmi.Learning;
using Rsmi.Random;

namespace Rsmi.Tests.Learning;

/// <summary>The RSMI learner's seeded subset of windows: the sparse draw gives the indices of the dense partial
/// Fisher–Yates draw it replaced, so every learned filter stays as it was.</summary>
public class WindowSubsetTests
{
    /// <summary>The dense reference: every index in an array, the first <paramref name="max"/> swapped into place.</summary>
    private static int[] Dense(int count, int max, ulong seed)
    {
        var idx = new int[count];
        for (int k = 0; k < count; k++) idx[k] = k;
        var rng = RandomStreams.Create(seed, 0, "rsmi-subset");
        for (int k = 0; k < max; k++) { int s = k + rng.NextInt(count - k); (idx[k], idx[s]) = (idx[s], idx[k]); }
        Array.Sort(idx, 0, max);
        return idx[..max];
    }

    [Theory]
    [InlineData(10, 1, 1UL)]
    [InlineData(10, 9, 2UL)]
    [InlineData(1000, 999, 3UL)]
    [InlineData(100_000, 20_000, 4UL)]
    [InlineData(3_000_000, 50_000, 5UL)]
    public void TheSparseDrawGivesTheDenseDrawsIndices(int count, int max, ulong seed)
    {
        var sparse = RsmiLearner.SubsetIndices(count, max, seed);
        Assert.Equal(Dense(count, max, seed), sparse);
        Assert.Equal(max, sparse.Distinct().Count());
        Assert.All(sparse, i => Assert.InRange(i, 0, count - 1));
    }
}
