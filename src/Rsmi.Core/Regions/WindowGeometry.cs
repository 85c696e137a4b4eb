namespace Rsmi.Regions;

/// <summary>
/// The RSMI geometry of one training window (Koch-Janusz &amp; Ringel 2018, Fig. 1a; docs/algorithm.md, "Windows: block, buffer and environment"):
/// a visible block V of bx × by sites, a buffer B of all sites at Chebyshev distance 1..L_B from V
/// (ignored), and an environment E of the sites at Chebyshev distance L_B+1..L_B+L_E (an annulus).
/// For chains (<see cref="Dimension"/> = 1) the distance is along the chain and by = 1.
/// Offsets are relative to the block's first site; V and E are listed row-major (y, then x).
/// </summary>
public sealed class WindowGeometry
{
    /// <summary>1 for chains, 2 for square lattices.</summary>
    public int Dimension { get; }
    /// <summary>Block width bx ≥ 1.</summary>
    public int BlockX { get; }
    /// <summary>Block height by ≥ 1 (1 for chains).</summary>
    public int BlockY { get; }
    /// <summary>Buffer thickness L_B ≥ 0.</summary>
    public int Buffer { get; }
    /// <summary>Environment thickness L_E ≥ 1.</summary>
    public int Environment { get; }
    /// <summary>Offsets (dx, dy) of the block sites, row-major.</summary>
    public (int Dx, int Dy)[] VisibleOffsets { get; }
    /// <summary>Offsets (dx, dy) of the environment sites, row-major over the window.</summary>
    public (int Dx, int Dy)[] EnvironmentOffsets { get; }
    /// <summary>Number of block sites |V|.</summary>
    public int VisibleSize => VisibleOffsets.Length;
    /// <summary>Number of environment sites |E|.</summary>
    public int EnvironmentSize => EnvironmentOffsets.Length;
    /// <summary>Linear extent of the whole window along x: bx + 2(L_B + L_E).</summary>
    public int ExtentX => BlockX + 2 * (Buffer + Environment);
    /// <summary>Linear extent along y (1 + 0 for chains).</summary>
    public int ExtentY => Dimension == 1 ? 1 : BlockY + 2 * (Buffer + Environment);

    /// <summary>A square-lattice window with a bx × by block.</summary>
    /// <param name="blockX">Block width, ≥ 1.</param>
    /// <param name="blockY">Block height, ≥ 1.</param>
    /// <param name="buffer">Buffer thickness L_B, ≥ 0.</param>
    /// <param name="environment">Environment thickness L_E, ≥ 1.</param>
    public static WindowGeometry Square(int blockX, int blockY, int buffer, int environment)
        => new(2, blockX, blockY, buffer, environment);

    /// <summary>A chain window with a block of <paramref name="block"/> consecutive sites.</summary>
    public static WindowGeometry Chain(int block, int buffer, int environment)
        => new(1, block, 1, buffer, environment);

    private WindowGeometry(int dimension, int bx, int by, int buffer, int environment)
    {
        Require.Positive(bx, "block size");
        Require.Positive(by, "block size");
        Require.NonNegative(buffer, "buffer");
        Require.Positive(environment, "environment");
        Dimension = dimension; BlockX = bx; BlockY = by; Buffer = buffer; Environment = environment;
        var v = new List<(int, int)>();
        for (int dy = 0; dy < by; dy++)
            for (int dx = 0; dx < bx; dx++)
                v.Add((dx, dy));
        VisibleOffsets = v.ToArray();
        var e = new List<(int, int)>();
        int r = buffer + environment;
        int yMin = dimension == 1 ? 0 : -r, yMax = dimension == 1 ? 0 : by - 1 + r;
        for (int dy = yMin; dy <= yMax; dy++)
            for (int dx = -r; dx <= bx - 1 + r; dx++)
            {
                int d = Math.Max(Distance(dx, bx), dimension == 1 ? 0 : Distance(dy, by));
                if (d > buffer && d <= r) e.Add((dx, dy));
            }
        EnvironmentOffsets = e.ToArray();
    }

    /// <summary>Chebyshev distance along one axis from coordinate <paramref name="d"/> to the interval [0, b).</summary>
    private static int Distance(int d, int b) => d < 0 ? -d : d >= b ? d - b + 1 : 0;

    /// <summary>
    /// Checks that the window fits on an Lx × Ly lattice without wrapping onto itself
    /// (extent ≤ side) and that the block tiles the lattice; throws <see cref="RsmiInputException"/> otherwise.
    /// </summary>
    public void ValidateFor(int lx, int ly)
    {
        Require.That(lx % BlockX == 0, $"block size {BlockX} does not divide the lattice size {lx}.");
        if (Dimension == 2) Require.That(ly % BlockY == 0, $"block size {BlockY} does not divide the lattice size {ly}.");
        Require.That(ExtentX <= lx && (Dimension == 1 || ExtentY <= ly),
            $"the window (block {BlockX}, buffer {Buffer}, environment {Environment}) spans {ExtentX} sites, more than the lattice size {Math.Min(lx, ly)}.");
    }
}
