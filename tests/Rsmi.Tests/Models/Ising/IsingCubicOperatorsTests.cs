using Rsmi.Data;
using Rsmi.Models;
using Rsmi.Models.Ising;

namespace Rsmi.Tests.Models.Ising;

/// <summary>
/// The 3D Ising model's MCRG operators as the RG flow sees them (<see cref="IsingCubicOperators"/>): the values of a
/// configuration worked out by hand, the spin flip (even operators unchanged, odd ones negated), one component, the
/// usable prefix on small lattices, and the samples they refuse.
/// </summary>
public class IsingCubicOperatorsTests
{
    private static SampleSet Set(int l, params sbyte[][] configurations) =>
        new(configurations.Length, [l, l, l], configurations.SelectMany(c => c).ToArray(), new SampleMetadata { Model = ModelCatalog.Ising3D.Name });

    /// <summary>
    /// Planes of alternating sign along z on a 4³ torus (N = 64): per site, nearest neighbours 1 + 1 − 1 = 1; face
    /// diagonals 2 within the plane − 4 across = −2; body diagonals all cross: −4; second neighbours along the axes all
    /// agree: 3; every plaquette holds two pairs of equal spins: 3; knight moves (2, ±1, 0)-like: the four in the plane
    /// and the four two planes away agree, the four one plane away do not: 4. The shift by one plane flips every spin,
    /// so every odd operator is zero.
    /// </summary>
    [Fact]
    public void AConfigurationOfAlternatingPlanesHasTheValuesWorkedOutByHand()
    {
        const int l = 4, n = l * l * l;
        var planes = Enumerable.Range(0, n).Select(i => (sbyte)(i / (l * l) % 2 == 0 ? 1 : -1)).ToArray();
        var up = Enumerable.Repeat((sbyte)1, n).ToArray();
        var ops = IsingCubicOperators.Instance;
        var set = Set(l, planes, up);
        var even = ops.MeasureEven(set, 6);
        Assert.Equal(new double[] { n, -2 * n, -4 * n, 3 * n, 3 * n, 4 * n, 3 * n, 6 * n, 4 * n, 3 * n, 3 * n, 12 * n }, even);
        var odd = ops.MeasureOdd(set, 4);
        Assert.Equal(new double[] { 0, 0, 0, 0, n, 12 * n, 3 * n, n }, odd);
        Assert.Equal(["nn", "face_diagonal", "body_diagonal", "second_axis", "plaquette", "knight"], ops.EvenNames);
        Assert.Equal(["magnetisation", "corner_triple", "straight_triple", "cross"], ops.OddNames);
        Assert.Equal(1, ops.OddComponents(set));
    }

    [Fact]
    public void FlippingEverySpinKeepsTheEvenOperatorsAndNegatesTheOddOnes()
    {
        const int l = 6;
        var rng = new System.Random(17);
        var s = Enumerable.Range(0, l * l * l).Select(_ => (sbyte)(rng.Next(3) == 0 ? -1 : 1)).ToArray();
        var flipped = s.Select(v => (sbyte)-v).ToArray();
        var ops = IsingCubicOperators.Instance;
        var even = ops.MeasureEven(Set(l, s, flipped), 6);
        var odd = ops.MeasureOdd(Set(l, s, flipped), 4);
        Assert.Equal(even[..6], even[6..]);
        Assert.Equal(odd[..4].Select(v => -v), odd[4..]);
        Assert.NotEqual(0, odd[0]);
    }

    [Fact]
    public void OnlyOperatorsShorterThanHalfTheLatticeAreUsed()
    {
        var ops = IsingCubicOperators.Instance;
        Assert.Equal(6, ops.UsableEven(8, 6));
        Assert.Equal(3, ops.UsableEven(4, 6));   // the (2, 0, 0) operator wraps on a 4³ torus, and the prefix stops there
        Assert.Equal(1, ops.UsableEven(2, 6));
        Assert.Equal(4, ops.UsableOdd(8, 4));
        Assert.Equal(2, ops.UsableOdd(4, 4));
    }

    [Fact]
    public void SamplesThatAreNotCubicIsingSpinsAreRefusedInOneSentence()
    {
        var ops = IsingCubicOperators.Instance;
        var square = new SampleSet(1, [4, 4], Enumerable.Repeat((sbyte)1, 16).ToArray());
        var e = Assert.Throws<RsmiInputException>(() => ops.Validate(square, "the samples"));
        Assert.Equal("the 3D Ising operators need cubic L×L×L configurations, but the samples have shape (4, 4).", e.Message);
        var labels = new SampleMetadata();
        ModelCatalog.Potts2D.DescribeLabels(labels, 3);
        var potts = new SampleSet(1, [2, 2, 2], new sbyte[8], labels);
        e = Assert.Throws<RsmiInputException>(() => ops.Validate(potts, "the samples"));
        Assert.StartsWith("the 3D Ising operators need ±1 spins, but the samples hold", e.Message);
    }
}
