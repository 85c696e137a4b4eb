namespace Rsmi.Models.Dimers;

/// <summary>Boundary conditions of the L×L square lattice that dimers live on.</summary>
public enum DimerBoundary
{
    /// <summary>An L×L torus: site (i, L−1) is bonded to (i, 0) and (L−1, j) to (0, j).</summary>
    Periodic,
    /// <summary>An open L×L grid: the boundary bonds of the torus do not exist.</summary>
    Open,
}

/// <summary>
/// The geometry of fully packed dimers on an L×L square lattice (L even, L ≥ 2). Site (i, j) — row i,
/// column j — has index <c>i·L + j</c>. A dimer is stored from both of its ends as a <em>direction</em>:
/// <see cref="Right"/> (0, towards (i, j+1)), <see cref="Down"/> (1, towards (i+1, j)), <see cref="Left"/> (2)
/// and <see cref="Up"/> (3); the opposite of direction d is <c>d ^ 2</c>. Bonds are named by their
/// left or upper end: horizontal bond (i, j) joins (i, j) and (i, j+1), vertical bond (i, j) joins (i, j) and
/// (i+1, j), with indices taken modulo L on the torus. On the 2×2 torus the two bonds between a pair of sites
/// are distinct bonds (horizontal bonds (i, 0) and (i, 1)), which directions keep apart.
/// </summary>
public sealed class DimerLattice
{
    /// <summary>Direction towards (i, j+1).</summary>
    public const int Right = 0;
    /// <summary>Direction towards (i+1, j).</summary>
    public const int Down = 1;
    /// <summary>Direction towards (i, j−1).</summary>
    public const int Left = 2;
    /// <summary>Direction towards (i−1, j).</summary>
    public const int Up = 3;

    /// <summary>Linear size L (even, ≥ 2).</summary>
    public int L { get; }
    /// <summary>Periodic (torus) or open grid.</summary>
    public DimerBoundary Boundary { get; }
    /// <summary>Number of sites L².</summary>
    public int Sites => L * L;

    /// <summary>Neighbour of site s in direction d at index <c>4s + d</c>, or −1 where the bond does not exist (open grid).</summary>
    internal int[] Neighbours { get; }
    /// <summary>Number of bonds at each site: 4 on the torus, 2–4 on the open grid.</summary>
    internal byte[] Degrees { get; }
    /// <summary>Staggered sign (−1)^{i+j} of each site.</summary>
    internal sbyte[] Stagger { get; }

    /// <summary>The lattice of side <paramref name="l"/> (even, at least 2) with the given boundary.</summary>
    /// <exception cref="RsmiInputException">L odd or smaller than 2.</exception>
    public DimerLattice(int l, DimerBoundary boundary = DimerBoundary.Periodic)
    {
        Validate(l);
        L = l; Boundary = boundary;
        int n = l * l;
        Neighbours = new int[4 * n];
        Degrees = new byte[n];
        Stagger = new sbyte[n];
        for (int i = 0; i < l; i++)
        for (int j = 0; j < l; j++)
        {
            int s = i * l + j;
            Stagger[s] = (sbyte)(((i + j) & 1) == 0 ? 1 : -1);
            bool open = boundary == DimerBoundary.Open;
            Neighbours[4 * s + Right] = open && j == l - 1 ? -1 : i * l + (j + 1) % l;
            Neighbours[4 * s + Down] = open && i == l - 1 ? -1 : (i + 1) % l * l + j;
            Neighbours[4 * s + Left] = open && j == 0 ? -1 : i * l + (j + l - 1) % l;
            Neighbours[4 * s + Up] = open && i == 0 ? -1 : (i + l - 1) % l * l + j;
            byte degree = 0;
            for (int d = 0; d < 4; d++) if (Neighbours[4 * s + d] >= 0) degree++;
            Degrees[s] = degree;
        }
    }

    /// <summary>Throws <see cref="RsmiInputException"/> unless <paramref name="l"/> is an even integer ≥ 2
    /// (an odd number of sites cannot be fully packed with dimers).</summary>
    public static void Validate(int l)
    {
        if (l < 2) throw new RsmiInputException($"the dimer lattice size L must be an even integer of at least 2, got {l}.");
        if ((l & 1) != 0) throw new RsmiInputException($"the dimer lattice size L must be even (an odd number of sites cannot be covered by dimers), got {l}.");
        if (l > 1 << 14) throw new RsmiInputException($"the dimer lattice size L must be at most {1 << 14}, got {l}.");
    }

    /// <summary>Index of site (i, j), 0 ≤ i, j &lt; L.</summary>
    public int Index(int i, int j) => i * L + j;

    /// <summary>The neighbour of site <paramref name="site"/> in direction <paramref name="direction"/>, or −1 if that bond does not exist.</summary>
    public int Neighbour(int site, int direction) => Neighbours[4 * site + direction];

    /// <summary>Whether horizontal bond (i, j)–(i, j+1) exists (always on the torus; j &lt; L−1 on the open grid).</summary>
    public bool HasHorizontalBond(int i, int j) => Boundary == DimerBoundary.Periodic || j < L - 1;

    /// <summary>Whether vertical bond (i, j)–(i+1, j) exists (always on the torus; i &lt; L−1 on the open grid).</summary>
    public bool HasVerticalBond(int i, int j) => Boundary == DimerBoundary.Periodic || i < L - 1;

    /// <summary>Number of bonds: 2L² on the torus, 2L(L−1) on the open grid.</summary>
    public int Bonds => Boundary == DimerBoundary.Periodic ? 2 * L * L : 2 * L * (L - 1);

    /// <summary>The columnar covering: horizontal dimers on bonds (i, 2k) — a valid starting state for any even L.</summary>
    public DimerCovering Columnar()
    {
        var direction = new byte[Sites];
        for (int s = 0; s < Sites; s++) direction[s] = (byte)((s % L & 1) == 0 ? Right : Left);
        return new DimerCovering(this, direction);
    }
}
