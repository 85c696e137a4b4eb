namespace Rsmi.Regions;

/// <summary>
/// The RSMI geometry of one training window (Koch-Janusz &amp; Ringel 2018, Fig. 1a; docs/algorithm.md, "Windows: block, buffer and environment"):
/// a visible block V of bx × by sites (bx × by × bz on cubic lattices), a buffer B of all sites at Chebyshev distance
/// 1..L_B from V (ignored), and an environment E of the sites at Chebyshev distance L_B+1..L_B+L_E (an annulus in 2D,
/// a cubic shell in 3D). The Chebyshev distance of a site (dx, dy, dz) from the block is the largest of its distances
/// along the axes, max_a d_a with d_a = −r_a for r_a &lt; 0, r_a − b_a + 1 for r_a ≥ b_a and 0 inside, so a shell of
/// thickness L_E around a box of side n holds (n + 2L_E)^d − n^d sites.
/// For chains (<see cref="Dimension"/> = 1) the distance is along the chain and by = bz = 1; for square lattices bz = 1.
/// Offsets are relative to the block's first site; V and E are listed row-major (z, then y, then x).
/// </summary>
public sealed class WindowGeometry
{
    /// <summary>1 for chains, 2 for square lattices, 3 for cubic lattices.</summary>
    public int Dimension { get; }
    /// <summary>Block width bx ≥ 1.</summary>
    public int BlockX { get; }
    /// <summary>Block height by ≥ 1 (1 for chains).</summary>
    public int BlockY { get; }
    /// <summary>Block depth bz ≥ 1 (1 for chains and square lattices).</summary>
    public int BlockZ { get; }
    /// <summary>Buffer thickness L_B ≥ 0.</summary>
    public int Buffer { get; }
    /// <summary>Environment thickness L_E ≥ 1.</summary>
    public int Environment { get; }
    /// <summary>Offsets (dx, dy, dz) of the block sites, row-major (dy = 0 on chains, dz = 0 below three dimensions).</summary>
    public (int Dx, int Dy, int Dz)[] VisibleOffsets { get; }
    /// <summary>Offsets (dx, dy, dz) of the environment sites, row-major over the window.</summary>
    public (int Dx, int Dy, int Dz)[] EnvironmentOffsets { get; }
    /// <summary>Number of block sites |V|.</summary>
    public int VisibleSize => VisibleOffsets.Length;
    /// <summary>Number of environment sites |E|.</summary>
    public int EnvironmentSize => EnvironmentOffsets.Length;
    /// <summary>Linear extent of the whole window along x: bx + 2(L_B + L_E).</summary>
    public int ExtentX => BlockX + 2 * (Buffer + Environment);
    /// <summary>Linear extent along y (1 for chains).</summary>
    public int ExtentY => Dimension == 1 ? 1 : BlockY + 2 * (Buffer + Environment);
    /// <summary>Linear extent along z (1 below three dimensions).</summary>
    public int ExtentZ => Dimension < 3 ? 1 : BlockZ + 2 * (Buffer + Environment);

    /// <summary>A square-lattice window with a bx × by block.</summary>
    /// <param name="blockX">Block width, ≥ 1.</param>
    /// <param name="blockY">Block height, ≥ 1.</param>
    /// <param name="buffer">Buffer thickness L_B, ≥ 0.</param>
    /// <param name="environment">Environment thickness L_E, ≥ 1.</param>
    public static WindowGeometry Square(int blockX, int blockY, int buffer, int environment)
        => new(2, blockX, blockY, 1, buffer, environment);

    /// <summary>A cubic-lattice window with a bx × by × bz block, buffer and environment as cubic shells.</summary>
    /// <param name="blockX">Block width, ≥ 1.</param>
    /// <param name="blockY">Block height, ≥ 1.</param>
    /// <param name="blockZ">Block depth, ≥ 1.</param>
    /// <param name="buffer">Buffer thickness L_B, ≥ 0.</param>
    /// <param name="environment">Environment thickness L_E, ≥ 1.</param>
    public static WindowGeometry Cube(int blockX, int blockY, int blockZ, int buffer, int environment)
        => new(3, blockX, blockY, blockZ, buffer, environment);

    /// <summary>A chain window with a block of <paramref name="block"/> consecutive sites.</summary>
    public static WindowGeometry Chain(int block, int buffer, int environment)
        => new(1, block, 1, 1, buffer, environment);

    /// <summary>The window with a block of side <paramref name="block"/> along each axis for configurations of rank
    /// <paramref name="rank"/> (1: chain, 2: square, 3: cube).</summary>
    public static WindowGeometry ForRank(int rank, int block, int buffer, int environment) => rank switch
    {
        1 => Chain(block, buffer, environment),
        2 => Square(block, block, buffer, environment),
        _ => Cube(block, block, block, buffer, environment),
    };

    private WindowGeometry(int dimension, int bx, int by, int bz, int buffer, int environment)
    {
        Require.Positive(bx, "block size");
        Require.Positive(by, "block size");
        Require.Positive(bz, "block size");
        Require.NonNegative(buffer, "buffer");
        Require.Positive(environment, "environment");
        Dimension = dimension; BlockX = bx; BlockY = by; BlockZ = bz; Buffer = buffer; Environment = environment;
        var v = new List<(int, int, int)>();
        for (int dz = 0; dz < bz; dz++)
            for (int dy = 0; dy < by; dy++)
                for (int dx = 0; dx < bx; dx++)
                    v.Add((dx, dy, dz));
        VisibleOffsets = v.ToArray();
        var e = new List<(int, int, int)>();
        int r = buffer + environment;
        int yMin = dimension == 1 ? 0 : -r, yMax = dimension == 1 ? 0 : by - 1 + r;
        int zMin = dimension < 3 ? 0 : -r, zMax = dimension < 3 ? 0 : bz - 1 + r;
        for (int dz = zMin; dz <= zMax; dz++)
            for (int dy = yMin; dy <= yMax; dy++)
                for (int dx = -r; dx <= bx - 1 + r; dx++)
                {
                    int d = Math.Max(Math.Max(Distance(dx, bx), dimension == 1 ? 0 : Distance(dy, by)), dimension < 3 ? 0 : Distance(dz, bz));
                    if (d > buffer && d <= r) e.Add((dx, dy, dz));
                }
        EnvironmentOffsets = e.ToArray();
    }

    /// <summary>Chebyshev distance along one axis from coordinate <paramref name="d"/> to the interval [0, b).</summary>
    private static int Distance(int d, int b) => d < 0 ? -d : d >= b ? d - b + 1 : 0;

    /// <summary>
    /// Checks that the window fits on an Lx × Ly (× Lz) lattice without wrapping onto itself
    /// (extent ≤ side) and that the block tiles the lattice; throws <see cref="RsmiInputException"/> otherwise.
    /// </summary>
    public void ValidateFor(int lx, int ly, int lz = 1)
    {
        Require.That(lx % BlockX == 0, $"block size {BlockX} does not divide the lattice size {lx}.");
        if (Dimension >= 2) Require.That(ly % BlockY == 0, $"block size {BlockY} does not divide the lattice size {ly}.");
        if (Dimension == 3) Require.That(lz % BlockZ == 0, $"block size {BlockZ} does not divide the lattice size {lz}.");
        Require.That(ExtentX <= lx && (Dimension == 1 || ExtentY <= ly) && (Dimension < 3 || ExtentZ <= lz),
            $"the window (block {BlockX}, buffer {Buffer}, environment {Environment}) spans {ExtentX} sites, more than the lattice size {(Dimension == 3 ? Math.Min(lz, Math.Min(lx, ly)) : Dimension == 2 ? Math.Min(lx, ly) : lx)}.");
    }
}
