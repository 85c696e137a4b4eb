namespace Rsmi.Models.Dimers;

/// <summary>
/// Exact enumeration of every fully packed dimer covering of a small lattice, by depth-first search: the
/// first uncovered site (row-major) is paired through each of its bonds in turn. Each covering is produced
/// exactly once, since two branches differ in the bond that covers that site. Used to test samplers (χ²
/// against the uniform distribution) and the counting formulas.
/// </summary>
public static class DimerEnumeration
{
    /// <summary>Largest number of coverings <see cref="All"/> returns (the 6×6 torus has 90,176).</summary>
    public const int MaxCoverings = 2_000_000;

    /// <summary>Every covering of <paramref name="lattice"/>, in depth-first order.</summary>
    /// <exception cref="RsmiInputException">More than <see cref="MaxCoverings"/> coverings.</exception>
    public static List<DimerCovering> All(DimerLattice lattice)
    {
        var result = new List<DimerCovering>();
        Visit(lattice, d =>
        {
            if (result.Count >= MaxCoverings)
                throw new RsmiInputException($"the {lattice.L}x{lattice.L} lattice has more than {MaxCoverings} dimer coverings; enumeration is meant for small lattices.");
            result.Add(new DimerCovering(lattice, d, trusted: true));
        });
        return result;
    }

    /// <summary>Number of coverings, by enumeration.</summary>
    public static long Count(DimerLattice lattice)
    {
        long count = 0;
        Visit(lattice, _ => count++);
        return count;
    }

    /// <summary>Calls <paramref name="visit"/> with the direction array of every covering (valid only during the call).</summary>
    public static void Visit(DimerLattice lattice, Action<byte[]> visit)
    {
        var direction = new byte[lattice.Sites];
        var covered = new bool[lattice.Sites];
        Recurse(lattice, direction, covered, 0, visit);
    }

    private static void Recurse(DimerLattice lattice, byte[] direction, bool[] covered, int from, Action<byte[]> visit)
    {
        int s = from;
        while (s < covered.Length && covered[s]) s++;
        if (s == covered.Length) { visit(direction); return; }
        covered[s] = true;
        for (int d = 0; d < 4; d++)
        {
            int partner = lattice.Neighbour(s, d);
            if (partner < 0 || covered[partner]) continue;
            covered[partner] = true;
            direction[s] = (byte)d;
            direction[partner] = (byte)(d ^ 2);
            Recurse(lattice, direction, covered, s + 1, visit);
            covered[partner] = false;
        }
        covered[s] = false;
    }
}
