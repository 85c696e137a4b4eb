namespace Rsmi.Lattices;

/// <summary>
/// A periodic hypercubic lattice in d = 1, 2 or 3 dimensions: a ring of Lx sites, an Lx × Ly torus or an
/// Lx × Ly × Lz torus. Axis 0 is x (the fastest-varying index), axis 1 is y, axis 2 is z, and site (x, y, z) has
/// index <c>x + Lx·(y + Ly·z)</c>: row-major over the array shape [Lz, Ly, Lx] (slowest axis first), the layout of
/// sample files. The neighbour table is built once; hot kernels may keep their own index arithmetic, which gives
/// the same neighbours.
/// </summary>
public sealed class HypercubicLattice
{
    private readonly int[] _extent;     // by axis: Lx, Ly, Lz
    private readonly int[] _neighbours; // Coordination per site: +x, −x, +y, −y, +z, −z

    /// <summary>The lattice of a configuration of array shape <paramref name="shape"/> ([L], [Ly, Lx] or [Lz, Ly, Lx]); every side at least 1 (a side of 1 makes a site its own neighbour along that axis).</summary>
    public HypercubicLattice(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Require.That(shape.Length is >= 1 and <= 3, $"a hypercubic lattice has 1, 2 or 3 dimensions, got {shape.Length}.");
        foreach (int side in shape)
            Require.That(side >= 1, $"lattice sides must be at least 1, got {string.Join("x", shape.Reverse())}.");
        Require.That(shape.Aggregate(1L, (a, b) => a * b) * 2 * shape.Length <= Array.MaxLength,
            $"a lattice of shape ({string.Join(", ", shape)}) is too large.");
        _extent = shape.Reverse().ToArray();
        Shape = [.. shape];
        Sites = shape.Aggregate(1, (a, b) => a * b);
        _neighbours = new int[Sites * Coordination];
        Span<int> r = stackalloc int[3];
        for (int i = 0; i < Sites; i++)
        {
            Coordinates(i, r);
            for (int axis = 0; axis < Dimension; axis++)
            {
                int c = r[axis];
                r[axis] = c + 1; _neighbours[i * Coordination + 2 * axis] = Index(r);
                r[axis] = c - 1; _neighbours[i * Coordination + 2 * axis + 1] = Index(r);
                r[axis] = c;
            }
        }
        PointGroup = PointGroupElement.Group(Dimension).Where(g => g.Preserves(_extent)).ToArray();
    }

    /// <summary>The lattice with side <paramref name="l"/> along every one of <paramref name="dimension"/> axes.</summary>
    public static HypercubicLattice Cubic(int dimension, int l) => new(Enumerable.Repeat(l, dimension).ToArray());

    /// <summary>Number of dimensions d.</summary>
    public int Dimension => _extent.Length;
    /// <summary>Array shape of one configuration, slowest axis first: [L], [Ly, Lx] or [Lz, Ly, Lx].</summary>
    public IReadOnlyList<int> Shape { get; }
    /// <summary>Number of sites N.</summary>
    public int Sites { get; }
    /// <summary>Number of nearest neighbours of a site, 2d.</summary>
    public int Coordination => 2 * Dimension;
    /// <summary>Side along <paramref name="axis"/> (0 = x, 1 = y, 2 = z).</summary>
    public int Extent(int axis) => _extent[axis];

    /// <summary>Index of the site at coordinates (x, y, z) (as many as <see cref="Dimension"/>), each wrapped periodically.</summary>
    public int Index(ReadOnlySpan<int> coordinates)
    {
        int index = 0;
        for (int axis = Dimension - 1; axis >= 0; axis--)
        {
            int l = _extent[axis], c = coordinates[axis] % l;
            if (c < 0) c += l;
            index = index * l + c;
        }
        return index;
    }

    /// <summary>Index of site (x, y) of a 2D lattice (x of a ring), each coordinate wrapped periodically.</summary>
    public int Index(int x, int y = 0) => Index([x, y, 0]);

    /// <summary>Writes the coordinates (x, y, z) of <paramref name="site"/> to the first <see cref="Dimension"/> entries of <paramref name="coordinates"/>.</summary>
    public void Coordinates(int site, Span<int> coordinates)
    {
        for (int axis = 0; axis < Dimension; axis++)
        {
            coordinates[axis] = site % _extent[axis];
            site /= _extent[axis];
        }
    }

    /// <summary>The <see cref="Coordination"/> neighbours of <paramref name="site"/>: +x, −x, +y, −y, +z, −z.</summary>
    public ReadOnlySpan<int> Neighbours(int site) => _neighbours.AsSpan(site * Coordination, Coordination);

    /// <summary>The neighbour of <paramref name="site"/> one step along <paramref name="axis"/>, forward (+1) or backward (−1).</summary>
    public int Neighbour(int site, int axis, int direction) => _neighbours[site * Coordination + 2 * axis + (direction > 0 ? 0 : 1)];

    /// <summary>Whether the sites split into two colours with every bond joining different colours (every side even).</summary>
    public bool IsBipartite => _extent.All(l => l % 2 == 0);

    /// <summary>Checkerboard colour (x + y + z) mod 2 of <paramref name="site"/>; a proper colouring when <see cref="IsBipartite"/>.</summary>
    public int Colour(int site)
    {
        int sum = 0;
        for (int axis = 0; axis < Dimension; axis++) { sum += site % _extent[axis]; site /= _extent[axis]; }
        return sum & 1;
    }

    /// <summary>
    /// The point-group elements that map the lattice onto itself (signed permutations of the axes that exchange
    /// only axes of equal side), identity first; the whole hyperoctahedral group (2, 8 or 48 elements) when every
    /// side is the same. The order is that of <see cref="PointGroupElement.Group"/>.
    /// </summary>
    public IReadOnlyList<PointGroupElement> PointGroup { get; }

    /// <summary>The tiling of the lattice by blocks of side <paramref name="block"/> along every axis (it must divide every side).</summary>
    public BlockTiling Tile(int block) => new(this, block);
}

/// <summary>
/// A point-group element of the hypercubic lattice, a signed permutation of the axes: the image r′ of a vector r
/// has r′[i] = <see cref="Signs"/>[i] · r[<see cref="Sources"/>[i]].
/// </summary>
public sealed class PointGroupElement
{
    private static readonly PointGroupElement[][] Groups = [[], Build(1), Build(2), Build(3)];

    private PointGroupElement(int[] sources, int[] signs) { Sources = sources; Signs = signs; }

    /// <summary>For each axis i of the image, the axis of the original it comes from.</summary>
    public IReadOnlyList<int> Sources { get; }
    /// <summary>For each axis i of the image, the sign (±1) applied.</summary>
    public IReadOnlyList<int> Signs { get; }
    /// <summary>Number of axes acted on.</summary>
    public int Dimension => Sources.Count;

    /// <summary>Writes the image of <paramref name="r"/> to <paramref name="image"/>; entries beyond <see cref="Dimension"/> are copied unchanged.</summary>
    public void Apply(ReadOnlySpan<int> r, Span<int> image)
    {
        Span<int> copy = stackalloc int[r.Length];
        r.CopyTo(copy);
        for (int i = 0; i < r.Length; i++) image[i] = i < Dimension ? Signs[i] * copy[Sources[i]] : copy[i];
    }

    /// <summary>Whether the element maps a box of sides <paramref name="extent"/> (by axis) onto itself.</summary>
    internal bool Preserves(IReadOnlyList<int> extent)
    {
        for (int i = 0; i < Dimension; i++) if (extent[i] != extent[Sources[i]]) return false;
        return true;
    }

    /// <summary>
    /// The hyperoctahedral group in d = 1, 2 or 3 dimensions, identity first. d = 1: identity, reflection x → −x.
    /// d = 2 (D4): the rotations (x, y) → (x, y), (−y, x), (−x, −y), (y, −x), then the reflections (−x, y), (x, −y),
    /// (y, x), (−y, −x). d = 3 (O_h, 48 elements): the axis permutations in lexicographic order, each with the sign
    /// patterns in binary order (+ before −, x fastest).
    /// </summary>
    public static IReadOnlyList<PointGroupElement> Group(int dimension)
    {
        Require.That(dimension is >= 1 and <= 3, $"the point group is defined for 1, 2 or 3 dimensions, got {dimension}.");
        return Groups[dimension];
    }

    private static PointGroupElement[] Build(int d)
    {
        PointGroupElement E(int[] sources, int[] signs) => new(sources, signs);
        switch (d)
        {
            case 1: return [E([0], [1]), E([0], [-1])];
            case 2:
                return
                [
                    E([0, 1], [1, 1]), E([1, 0], [-1, 1]), E([0, 1], [-1, -1]), E([1, 0], [1, -1]),
                    E([0, 1], [-1, 1]), E([0, 1], [1, -1]), E([1, 0], [1, 1]), E([1, 0], [-1, -1]),
                ];
            default:
                int[][] permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
                return permutations.SelectMany(p => Enumerable.Range(0, 8).Select(s =>
                    E(p, [(s & 1) == 0 ? 1 : -1, (s & 2) == 0 ? 1 : -1, (s & 4) == 0 ? 1 : -1]))).ToArray();
        }
    }
}

/// <summary>
/// The tiling of a <see cref="HypercubicLattice"/> by non-overlapping blocks of side b along every axis, the blocks
/// of one real-space RG step. Blocks are numbered like the sites of the coarse lattice (x fastest), and the sites
/// of a block are listed row-major within the block (slowest axis first), the order of a block's spins in the
/// learners and the coarse-graining rules.
/// </summary>
public sealed class BlockTiling
{
    internal BlockTiling(HypercubicLattice lattice, int block)
    {
        Require.That(block >= 1, $"the block size must be at least 1, got {block}.");
        for (int axis = 0; axis < lattice.Dimension; axis++)
            Require.That(lattice.Extent(axis) % block == 0,
                $"the block size {block} does not divide the lattice size {lattice.Extent(axis)}.");
        Lattice = lattice;
        Block = block;
        Count = lattice.Sites / SitesPerBlockOf(lattice.Dimension, block);
        SitesPerBlock = SitesPerBlockOf(lattice.Dimension, block);
    }

    private static int SitesPerBlockOf(int dimension, int block) => (int)Math.Pow(block, dimension);

    /// <summary>The fine lattice.</summary>
    public HypercubicLattice Lattice { get; }
    /// <summary>Block side b.</summary>
    public int Block { get; }
    /// <summary>Number of blocks, N / b^d.</summary>
    public int Count { get; }
    /// <summary>Sites per block, b^d.</summary>
    public int SitesPerBlock { get; }

    /// <summary>Writes the fine-lattice indices of the sites of block <paramref name="block"/> to <paramref name="sites"/> (length b^d).</summary>
    public void Sites(int block, Span<int> sites)
    {
        int d = Lattice.Dimension, b = Block;
        Span<int> origin = stackalloc int[3];
        for (int axis = 0; axis < d; axis++)
        {
            int blocks = Lattice.Extent(axis) / b;
            origin[axis] = block % blocks * b;
            block /= blocks;
        }
        Span<int> r = stackalloc int[3];
        for (int k = 0; k < SitesPerBlock; k++)
        {
            int rest = k;
            for (int axis = 0; axis < d; axis++) { r[axis] = origin[axis] + rest % b; rest /= b; }
            sites[k] = Lattice.Index(r);
        }
    }
}
