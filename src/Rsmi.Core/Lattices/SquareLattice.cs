namespace Rsmi.Lattices;

/// <summary>
/// A periodic Lx × Ly square lattice (a torus). Site (x, y) has index <c>y·Lx + x</c>, i.e. row-major over
/// an array of shape (Ly, Lx), the layout of sample files. Neighbour tables are precomputed.
/// </summary>
public sealed class SquareLattice
{
    /// <summary>Width (number of columns), ≥ 1.</summary>
    public int Lx { get; }
    /// <summary>Height (number of rows), ≥ 1.</summary>
    public int Ly { get; }
    /// <summary>Number of sites Lx·Ly.</summary>
    public int Sites => Lx * Ly;
    /// <summary>Index of the right neighbour (x+1, y) of each site.</summary>
    public int[] Right { get; }
    /// <summary>Index of the left neighbour (x−1, y) of each site.</summary>
    public int[] Left { get; }
    /// <summary>Index of the neighbour below (x, y+1) of each site.</summary>
    public int[] Down { get; }
    /// <summary>Index of the neighbour above (x, y−1) of each site.</summary>
    public int[] Up { get; }

    /// <summary>An L × L torus, L ≥ 2.</summary>
    public SquareLattice(int l) : this(l, l) { }

    /// <summary>An Lx × Ly torus; both sides at least 2.</summary>
    public SquareLattice(int lx, int ly)
    {
        Require.That(lx >= 2 && ly >= 2, $"lattice sides must be at least 2, got {lx}x{ly}.");
        Lx = lx; Ly = ly;
        int n = lx * ly;
        Right = new int[n]; Left = new int[n]; Down = new int[n]; Up = new int[n];
        for (int y = 0; y < ly; y++)
        for (int x = 0; x < lx; x++)
        {
            int i = Index(x, y);
            Right[i] = Index(x + 1, y);
            Left[i] = Index(x - 1, y);
            Down[i] = Index(x, y + 1);
            Up[i] = Index(x, y - 1);
        }
    }

    /// <summary>Index of site (x, y), with periodic wrapping of both coordinates.</summary>
    public int Index(int x, int y)
    {
        x %= Lx; if (x < 0) x += Lx;
        y %= Ly; if (y < 0) y += Ly;
        return y * Lx + x;
    }

    /// <summary>Checkerboard colour (x + y) mod 2 of a site.</summary>
    public int Parity(int index) => ((index % Lx) + (index / Lx)) & 1;
}

/// <summary>A ring (periodic chain) of N sites, or an open chain when <see cref="Periodic"/> is false.</summary>
public sealed class Chain
{
    /// <summary>Number of sites, ≥ 2.</summary>
    public int Length { get; }
    /// <summary>Whether site N−1 is bonded to site 0.</summary>
    public bool Periodic { get; }
    /// <summary>Number of bonds: N on a ring, N−1 on an open chain.</summary>
    public int Bonds => Periodic ? Length : Length - 1;

    /// <summary>A chain of <paramref name="length"/> ≥ 2 sites.</summary>
    public Chain(int length, bool periodic = true)
    {
        Require.That(length >= 2, $"chain length must be at least 2, got {length}.");
        Length = length; Periodic = periodic;
    }

    /// <summary>Index of site i with periodic wrapping.</summary>
    public int Index(int i) { i %= Length; return i < 0 ? i + Length : i; }
}
