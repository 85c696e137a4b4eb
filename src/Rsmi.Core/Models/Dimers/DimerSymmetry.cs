using Rsmi.Random;

namespace Rsmi.Models.Dimers;

/// <summary>
/// One symmetry of a <see cref="DimerLattice"/> that leaves the dimer model's Boltzmann weights unchanged
/// (docs/algorithm.md, "Dimers and noise spins", the symmetry move): site (i, j) is first transposed to (j, i) when
/// <see cref="Transpose"/>, then reflected to row L−1−i when <see cref="FlipRows"/> and to column L−1−j when
/// <see cref="FlipColumns"/>, then translated by (<see cref="ShiftRows"/>, <see cref="ShiftColumns"/>) modulo L.
/// The three flags give the 8 elements of the square's point group D4; with the L² translations of the torus they
/// give its 8L² symmetries. On the open grid only the 8 point-group elements (no translation) map the box to itself.
/// A dimer on bond (s, t) goes to the bond (g(s), g(t)): nearest neighbours stay nearest neighbours, the occupied
/// bonds of a covering go to a covering, and plaquettes go to plaquettes with parallel dimers kept parallel, so both
/// the number of coverings and N_∥ (the aligning interaction) are invariant.
/// </summary>
/// <param name="ShiftRows">Translation along i (rows), 0 ≤ a &lt; L; 0 on the open grid.</param>
/// <param name="ShiftColumns">Translation along j (columns), 0 ≤ b &lt; L; 0 on the open grid.</param>
/// <param name="Transpose">Reflection in the diagonal, (i, j) → (j, i) (horizontal bonds become vertical ones).</param>
/// <param name="FlipRows">Reflection i → L−1−i.</param>
/// <param name="FlipColumns">Reflection j → L−1−j.</param>
public readonly record struct DimerSymmetry(int ShiftRows, int ShiftColumns, bool Transpose, bool FlipRows, bool FlipColumns)
{
    /// <summary>Number of symmetries of <paramref name="lattice"/> this type describes: 8L² on the torus, 8 on the open grid.</summary>
    public static long GroupOrder(DimerLattice lattice) =>
        lattice.Boundary == DimerBoundary.Periodic ? 8L * lattice.L * lattice.L : 8;

    /// <summary>
    /// A uniformly random symmetry of <paramref name="lattice"/>: one draw of the point-group element (8 values) and, on
    /// the torus, one draw for each translation (L values each).
    /// </summary>
    public static DimerSymmetry Random<TRandom>(ref TRandom random, DimerLattice lattice) where TRandom : struct, IRandomSource
    {
        int point = random.NextInt(8);
        int a = 0, b = 0;
        if (lattice.Boundary == DimerBoundary.Periodic)
        {
            a = random.NextInt(lattice.L);
            b = random.NextInt(lattice.L);
        }
        return new DimerSymmetry(a, b, (point & 1) != 0, (point & 2) != 0, (point & 4) != 0);
    }

    /// <summary>Throws <see cref="RsmiInputException"/> unless this is a symmetry of <paramref name="lattice"/>.</summary>
    public void Check(DimerLattice lattice)
    {
        int l = lattice.L;
        Require.That(ShiftRows >= 0 && ShiftRows < l && ShiftColumns >= 0 && ShiftColumns < l,
            $"a translation of the {l}x{l} lattice is between 0 and {l - 1} in each direction, got ({ShiftRows}, {ShiftColumns}).");
        Require.That(lattice.Boundary == DimerBoundary.Periodic || (ShiftRows == 0 && ShiftColumns == 0),
            "the open grid has no translation symmetry; only its 8 reflections and rotations are symmetries.");
    }

    /// <summary>The image (row, column) of site (<paramref name="i"/>, <paramref name="j"/>) on a lattice of side <paramref name="l"/>.</summary>
    public (int I, int J) Map(int i, int j, int l)
    {
        if (Transpose) (i, j) = (j, i);
        if (FlipRows) i = l - 1 - i;
        if (FlipColumns) j = l - 1 - j;
        return ((i + ShiftRows) % l, (j + ShiftColumns) % l);
    }

    /// <summary>The image of a direction (<see cref="DimerLattice.Right"/> … <see cref="DimerLattice.Up"/>): the translation
    /// leaves it, the transpose exchanges Right ↔ Down and Left ↔ Up, the flips reverse Down ↔ Up and Right ↔ Left.</summary>
    public int Map(int direction)
    {
        int d = direction;
        if (Transpose) d ^= 1;                                                    // Right 0 ↔ Down 1, Left 2 ↔ Up 3
        if (FlipRows && (d & 1) == 1) d ^= 2;                                     // Down ↔ Up
        if (FlipColumns && (d & 1) == 0) d ^= 2;                                  // Right ↔ Left
        return d;
    }

    /// <summary>
    /// Writes the image of the covering <paramref name="direction"/> (one direction per site) to
    /// <paramref name="image"/> (same length, not the same array): the site g(s) points in direction g(d(s)).
    /// </summary>
    public void Apply(DimerLattice lattice, ReadOnlySpan<byte> direction, Span<byte> image)
    {
        Check(lattice);
        int l = lattice.L;
        Require.That(direction.Length == lattice.Sites && image.Length == lattice.Sites,
            $"a covering of the {l}x{l} lattice has {lattice.Sites} sites, got {direction.Length} and {image.Length}.");
        Span<byte> directions = stackalloc byte[4];
        for (int d = 0; d < 4; d++) directions[d] = (byte)Map(d);
        for (int i = 0; i < l; i++)
        for (int j = 0; j < l; j++)
        {
            var (ti, tj) = Map(i, j, l);
            image[ti * l + tj] = directions[direction[i * l + j]];
        }
    }

    /// <summary>The image of <paramref name="covering"/> under this symmetry.</summary>
    public DimerCovering Apply(DimerCovering covering)
    {
        var image = new byte[covering.Lattice.Sites];
        Apply(covering.Lattice, covering.Directions, image);
        return new DimerCovering(covering.Lattice, image);
    }
}
