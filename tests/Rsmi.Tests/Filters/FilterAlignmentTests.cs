using Rsmi.Filters;

namespace Rsmi.Tests.Filters;

public class FilterAlignmentTests
{
    public static TheoryData<int, int> SeedsAndHidden()
    {
        var data = new TheoryData<int, int>();
        for (int seed = 1; seed <= 5; seed++)
            for (int hidden = 1; hidden <= 6; hidden++) data.Add(seed, hidden);
        return data;
    }

    internal static double Gaussian(System.Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    internal static double[] GaussianVector(System.Random rng, int n) => Enumerable.Range(0, n).Select(_ => Gaussian(rng)).ToArray();

    internal static int[] RandomPermutation(System.Random rng, int n)
    {
        var p = Enumerable.Range(0, n).ToArray();
        rng.Shuffle(p);
        return p;
    }

    /// <summary>Member row σ(j) = t_j c_j · row j of the reference (biases alike): the reference relabelled, flipped and rescaled.</summary>
    internal static (double[] Weights, double[] Bias) Scramble(double[] weights, double[] bias, int[] sigma, int[] signs, double[] scales)
    {
        int hidden = bias.Length, n = weights.Length / hidden;
        var w = new double[weights.Length];
        var b = new double[hidden];
        for (int j = 0; j < hidden; j++)
        {
            for (int i = 0; i < n; i++) w[sigma[j] * n + i] = signs[j] * scales[j] * weights[j * n + i];
            b[sigma[j]] = signs[j] * scales[j] * bias[j];
        }
        return (w, b);
    }

    [Theory]
    [MemberData(nameof(SeedsAndHidden))]
    public void RecoversAKnownPermutationAndSignsExactly(int seed, int hidden)
    {
        var rng = new System.Random(seed);
        const int n = 9; // 3×3 block
        var reference = GaussianVector(rng, hidden * n);
        var refBias = GaussianVector(rng, hidden);
        var sigma = RandomPermutation(rng, hidden);
        var signs = Enumerable.Range(0, hidden).Select(_ => rng.Next(2) == 0 ? -1 : 1).ToArray();
        var scales = Enumerable.Range(0, hidden).Select(_ => 0.2 + 5 * rng.NextDouble()).ToArray();
        var (w, b) = Scramble(reference, refBias, sigma, signs, scales);

        var a = FilterAlignment.Align(reference, w, b, hidden);

        Assert.Equal(sigma, a.Permutation);
        Assert.Equal(signs, a.Signs);
        Assert.Equal(1.0, a.Score, 12);
        foreach (double c in a.UnitCosines) Assert.Equal(1.0, c, 12);
        for (int j = 0; j < hidden; j++)
        {
            for (int i = 0; i < n; i++) Assert.Equal(scales[j] * reference[j * n + i], a.Aligned.Weights[j * n + i], 12);
            Assert.Equal(scales[j] * refBias[j], a.Aligned.Bias[j], 12);
        }
    }

    [Theory]
    [MemberData(nameof(SeedsAndHidden))]
    public void RecoversThePermutationAndSignsOfANoisyCopy(int seed, int hidden)
    {
        var rng = new System.Random(100 + seed);
        const int n = 16;
        var reference = GaussianVector(rng, hidden * n);
        var sigma = RandomPermutation(rng, hidden);
        var signs = Enumerable.Range(0, hidden).Select(_ => rng.Next(2) == 0 ? -1 : 1).ToArray();
        var (w, b) = Scramble(reference, new double[hidden], sigma, signs, Enumerable.Repeat(1.0, hidden).ToArray());
        // 5% noise per weight: each matched cosine stays near 1, far above the cosines between different units.
        for (int i = 0; i < w.Length; i++) w[i] += 0.05 * Gaussian(rng);

        var a = FilterAlignment.Align(reference, w, b, hidden);

        Assert.Equal(sigma, a.Permutation);
        Assert.Equal(signs, a.Signs);
        Assert.InRange(a.Score, 0.99, 1.0);
        for (int j = 0; j < hidden; j++)
            Assert.Equal(FilterAlignment.Cosine(reference.AsSpan(j * n, n), w.AsSpan(sigma[j] * n, n)) * signs[j], a.UnitCosines[j], 14);
    }

    [Fact]
    public void TheAssignmentIsTheBestOfAllPermutations()
    {
        for (int seed = 1; seed <= 5; seed++)
            for (int size = 1; size <= 7; size++)
            {
                var rng = new System.Random(seed * 31 + size);
                var score = new double[size, size];
                for (int i = 0; i < size; i++) for (int j = 0; j < size; j++) score[i, j] = rng.NextDouble();
                var assignment = FilterAlignment.MaximumAssignment(score);
                Assert.Equal(Enumerable.Range(0, size), assignment.OrderBy(k => k));
                double best = Permutations(size).Max(p => Enumerable.Range(0, size).Sum(i => score[i, p[i]]));
                Assert.Equal(best, Enumerable.Range(0, size).Sum(i => score[i, assignment[i]]), 12);
            }
    }

    private static IEnumerable<int[]> Permutations(int n)
    {
        if (n == 0) { yield return []; yield break; }
        foreach (var p in Permutations(n - 1))
            for (int pos = 0; pos <= p.Length; pos++)
            {
                var q = new int[n];
                for (int i = 0, k = 0; i < n; i++) q[i] = i == pos ? n - 1 : p[k++];
                yield return q;
            }
    }

    [Fact]
    public void ScoresOrthogonalAndZeroFiltersAsZeroAndKeepTheirSign()
    {
        // Reference units e_x and e_z; member units 3 e_y (orthogonal to both) and −2 e_z (unit 2 flipped).
        var a = FilterAlignment.Align([1, 0, 0, 0, 0, 1], [0, 3, 0, 0, 0, -2], [0.5, -0.5], 2);
        Assert.Equal([0, 1], a.Permutation);
        Assert.Equal([1, -1], a.Signs);
        Assert.Equal(0.0, a.UnitCosines[0]);
        Assert.Equal(1.0, a.UnitCosines[1], 14);
        Assert.Equal(0.5, a.Score, 14);
        Assert.Equal([0, 3, 0, 0, 0, 2], a.Aligned.Weights);
        Assert.Equal([0.5, 0.5], a.Aligned.Bias);
        Assert.Equal(0.0, FilterAlignment.Cosine([1, 0, 0, 1], [0, 0, 0, 0]));
        Assert.Equal(-1.0, FilterAlignment.Cosine([1, 0, 0, 1], [-2, 0, 0, -2]), 14);
        var zero = FilterAlignment.Align([0, 0, 1, 1], [0, 0, 0, 0], [1, 2], 2);
        Assert.Equal(0.0, zero.Score);
    }

    [Fact]
    public void AlignsFilterSetsAndRejectsMismatchedOnes()
    {
        var reference = FiltersFileTests.Sample(hidden: 2, bx: 2, by: 2);
        var swapped = FiltersFileTests.Sample(hidden: 2, bx: 2, by: 2);
        Array.Copy(reference.Weights, 0, swapped.Weights, 4, 4);
        Array.Copy(reference.Weights, 4, swapped.Weights, 0, 4);
        var a = FilterAlignment.Align(reference, swapped);
        Assert.Equal([1, 0], a.Permutation);
        Assert.Equal(reference.Weights, a.Aligned.Weights);

        Assert.Throws<RsmiInputException>(() => FilterAlignment.Align(reference, FiltersFileTests.Sample(hidden: 3, bx: 2, by: 2)));
        Assert.Throws<RsmiInputException>(() => FilterAlignment.Align(reference, FiltersFileTests.Sample(hidden: 2, bx: 3, by: 2)));
        Assert.Throws<RsmiInputException>(() => FilterAlignment.Align([1, 2, 3], [1, 2, 3], [0], 2));
        Assert.Throws<RsmiInputException>(() => FilterAlignment.Align([1, 2], [1, 2], [0, 0], 1));
    }
}
