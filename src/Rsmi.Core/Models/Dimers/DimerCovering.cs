namespace Rsmi.Models.Dimers;

/// <summary>
/// One fully packed dimer covering of a <see cref="DimerLattice"/>: every site belongs to exactly one dimer.
/// Stored as the direction (<see cref="DimerLattice.Right"/>, <see cref="DimerLattice.Down"/>,
/// <see cref="DimerLattice.Left"/>, <see cref="DimerLattice.Up"/>) from each site to its partner.
/// </summary>
public sealed class DimerCovering
{
    private readonly byte[] _direction;

    /// <summary>The lattice.</summary>
    public DimerLattice Lattice { get; }
    /// <summary>Linear size L.</summary>
    public int L => Lattice.L;
    /// <summary>Direction from each site to its partner (row-major over sites). Not copied: do not modify.</summary>
    public ReadOnlySpan<byte> Directions => _direction;

    /// <summary>Wraps <paramref name="direction"/> (one entry per site, not copied) after checking that it is a fully packed covering.</summary>
    /// <exception cref="RsmiInputException">Not a valid covering (wrong length, a bond that does not exist, or two ends that disagree).</exception>
    public DimerCovering(DimerLattice lattice, byte[] direction)
    {
        Lattice = lattice;
        _direction = direction;
        string? problem = FindProblem(lattice, direction);
        if (problem != null) throw new RsmiInputException($"not a fully packed dimer covering: {problem}");
    }

    /// <summary>A copy of <paramref name="direction"/> trusted to be a valid covering (internal use by samplers and enumeration).</summary>
    internal DimerCovering(DimerLattice lattice, ReadOnlySpan<byte> direction, bool trusted)
    {
        _ = trusted;
        Lattice = lattice;
        _direction = direction.ToArray();
    }

    /// <summary>Null when <paramref name="direction"/> is a valid covering of <paramref name="lattice"/>, otherwise a description of the first problem.</summary>
    public static string? FindProblem(DimerLattice lattice, ReadOnlySpan<byte> direction)
    {
        if (direction.Length != lattice.Sites) return $"expected {lattice.Sites} sites, got {direction.Length}.";
        for (int s = 0; s < direction.Length; s++)
        {
            int d = direction[s];
            if (d > 3) return $"site {s} has an invalid direction {d}.";
            int partner = lattice.Neighbour(s, d);
            if (partner < 0) return $"site ({s / lattice.L}, {s % lattice.L}) points to a bond outside the open grid.";
            if (direction[partner] != (d ^ 2)) return $"the dimer at site ({s / lattice.L}, {s % lattice.L}) is not matched by its partner.";
        }
        return null;
    }

    /// <summary>Whether horizontal bond (i, j)–(i, j+1) holds a dimer.</summary>
    public bool Horizontal(int i, int j) => _direction[i * L + j] == DimerLattice.Right;

    /// <summary>Whether vertical bond (i, j)–(i+1, j) holds a dimer.</summary>
    public bool Vertical(int i, int j) => _direction[i * L + j] == DimerLattice.Down;

    /// <summary>The partner of site <paramref name="site"/>.</summary>
    public int Partner(int site) => Lattice.Neighbour(site, _direction[site]);

    /// <summary>
    /// A bit string identifying the covering: bit <c>2s</c> is set when the horizontal bond of site s holds a
    /// dimer, bit <c>2s+1</c> when its vertical bond does. Unique for L ≤ 4 (2L² ≤ 64 bits); used to tally
    /// small coverings.
    /// </summary>
    public ulong Key()
    {
        if (2 * Lattice.Sites > 64) throw new InvalidOperationException("keys exist only for L ≤ 4.");
        ulong key = 0;
        for (int s = 0; s < _direction.Length; s++)
        {
            if (_direction[s] == DimerLattice.Right) key |= 1UL << (2 * s);
            else if (_direction[s] == DimerLattice.Down) key |= 1UL << (2 * s + 1);
        }
        return key;
    }
}
