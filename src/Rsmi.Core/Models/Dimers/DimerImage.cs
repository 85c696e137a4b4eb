using Rsmi.Data;

namespace Rsmi.Models.Dimers;

/// <summary>
/// The 2L×2L ±1 image of one dimer sample (docs/algorithm.md, "Dimers and noise spins"), row-major: pixel (2i, 2j) is the vertex noise
/// spin of site (i, j); (2i, 2j+1) is horizontal bond (i, j)–(i, j+1); (2i+1, 2j) is vertical bond
/// (i, j)–(i+1, j); (2i+1, 2j+1) is the face noise spin of face (i, j) (the plaquette whose upper-left corner
/// is site (i, j)). A bond pixel is +1 when the bond holds a dimer and −1 otherwise; on the open grid the
/// pixels of the missing bonds (j = L−1 horizontal, i = L−1 vertical) hold −1. Without noise
/// (<c>--no-noise</c>) every noise pixel holds +1: a constant that carries no information, keeping the
/// image shape and the meaning of every other pixel unchanged.
/// </summary>
public static class DimerImage
{
    /// <summary>The <c>encoding</c> attribute of sample files with noise spins.</summary>
    public const string Encoding =
        "dimer-image-v1: 2L x 2L grid of +-1, row-major; (2i,2j) vertex noise spin of site (i,j); " +
        "(2i,2j+1) horizontal bond (i,j)-(i,j+1); (2i+1,2j) vertical bond (i,j)-(i+1,j); " +
        "(2i+1,2j+1) face noise spin of face (i,j), paired with vertex (i,j); bond +1 = dimer, -1 = empty";

    /// <summary>The <c>encoding</c> attribute of sample files written with <c>--no-noise</c>.</summary>
    public const string EncodingWithoutNoise = Encoding + "; no noise: vertex and face pixels fixed at +1";

    /// <summary>Side of the image, 2L.</summary>
    public static int ImageSide(int l) => 2 * l;

    /// <summary>
    /// Writes the image of the covering given by <paramref name="direction"/> (one direction per site) and
    /// the noise spins (<paramref name="vertex"/>, <paramref name="face"/>: L² each, or both empty for
    /// +1 noise pixels) to <paramref name="image"/> (4L² values).
    /// </summary>
    public static void Encode(DimerLattice lattice, ReadOnlySpan<byte> direction, ReadOnlySpan<sbyte> vertex, ReadOnlySpan<sbyte> face, Span<sbyte> image)
    {
        int l = lattice.L, side = 2 * l;
        bool noise = !vertex.IsEmpty;
        for (int i = 0; i < l; i++)
        {
            Span<sbyte> even = image.Slice(2 * i * side, side);
            Span<sbyte> odd = image.Slice((2 * i + 1) * side, side);
            ReadOnlySpan<byte> row = direction.Slice(i * l, l);
            // Branch-free: a bond pixel is 2·[direction matches] − 1.
            for (int j = 0; j < row.Length; j++)
            {
                int d = row[j];
                even[2 * j + 1] = (sbyte)(2 * (d == DimerLattice.Right ? 1 : 0) - 1);
                odd[2 * j] = (sbyte)(2 * (d == DimerLattice.Down ? 1 : 0) - 1);
            }
            if (noise)
            {
                ReadOnlySpan<sbyte> v = vertex.Slice(i * l, l), f = face.Slice(i * l, l);
                for (int j = 0; j < v.Length; j++) { even[2 * j] = v[j]; odd[2 * j + 1] = f[j]; }
            }
            else
            {
                for (int j = 0; j < l; j++) { even[2 * j] = 1; odd[2 * j + 1] = 1; }
            }
        }
    }

    /// <summary>The image of a covering with noise spins (or, with null spins, +1 noise pixels).</summary>
    public static sbyte[] Encode(DimerCovering covering, sbyte[]? vertex = null, sbyte[]? face = null)
    {
        var image = new sbyte[4 * covering.Lattice.Sites];
        Encode(covering.Lattice, covering.Directions, vertex, face, image);
        return image;
    }

    /// <summary>
    /// Decodes one image (4L² values) into its covering and noise spins.
    /// </summary>
    /// <exception cref="RsmiInputException">The bond pixels do not form a fully packed covering, or a pixel is not ±1.</exception>
    public static DimerSample Decode(DimerLattice lattice, ReadOnlySpan<sbyte> image)
    {
        int l = lattice.L, side = 2 * l;
        Require.That(image.Length == side * side, $"a dimer image of an {l}x{l} lattice has {side * side} pixels, got {image.Length}.");
        var direction = new byte[lattice.Sites];
        var count = new byte[lattice.Sites];
        var vertex = new sbyte[lattice.Sites];
        var face = new sbyte[lattice.Sites];
        for (int i = 0; i < l; i++)
        for (int j = 0; j < l; j++)
        {
            int s = i * l + j;
            vertex[s] = Pixel(image, 2 * i, 2 * j, side);
            face[s] = Pixel(image, 2 * i + 1, 2 * j + 1, side);
            if (Pixel(image, 2 * i, 2 * j + 1, side) == 1)
            {
                int t = lattice.Neighbour(s, DimerLattice.Right);
                Require.That(t >= 0, $"the dimer image holds a dimer on horizontal bond ({i}, {j}), which the open {l}x{l} grid does not have.");
                direction[s] = DimerLattice.Right; direction[t] = DimerLattice.Left;
                count[s]++; count[t]++;
            }
            if (Pixel(image, 2 * i + 1, 2 * j, side) == 1)
            {
                int t = lattice.Neighbour(s, DimerLattice.Down);
                Require.That(t >= 0, $"the dimer image holds a dimer on vertical bond ({i}, {j}), which the open {l}x{l} grid does not have.");
                direction[s] = DimerLattice.Down; direction[t] = DimerLattice.Up;
                count[s]++; count[t]++;
            }
        }
        for (int s = 0; s < count.Length; s++)
            Require.That(count[s] == 1, $"the dimer image is not a fully packed covering: site ({s / l}, {s % l}) touches {count[s]} dimers.");
        return new DimerSample(new DimerCovering(lattice, direction), vertex, face);
    }

    /// <summary>Decodes configuration <paramref name="index"/> of a dimer sample set (shape 2L×2L; boundary from the <c>boundary</c> attribute, periodic when absent).</summary>
    public static DimerSample Decode(SampleSet samples, int index) => Decode(LatticeOf(samples), samples.Configuration(index));

    /// <summary>The lattice of a dimer sample set: L from the 2L×2L shape, the boundary from its <c>boundary</c> attribute.</summary>
    /// <exception cref="RsmiInputException">The set is not a square image of even side 2L with L even.</exception>
    public static DimerLattice LatticeOf(SampleSet samples)
    {
        Require.That(samples.Rank == 2 && samples.Lx == samples.Ly && samples.Lx % 2 == 0,
            $"dimer samples must be 2L x 2L images, got shape ({string.Join(", ", samples.SiteShape)}).");
        string? boundary = samples.Metadata.GetString("boundary");
        var b = boundary switch
        {
            null or "periodic" => DimerBoundary.Periodic,
            "open" => DimerBoundary.Open,
            _ => throw new RsmiInputException($"unknown dimer boundary '{boundary}' in the sample file (expected periodic or open)."),
        };
        return new DimerLattice(samples.Lx / 2, b);
    }

    private static sbyte Pixel(ReadOnlySpan<sbyte> image, int row, int column, int side)
    {
        sbyte v = image[row * side + column];
        if (v != 1 && v != -1) throw new RsmiInputException($"dimer image pixel ({row}, {column}) is {v}, not +1 or -1.");
        return v;
    }
}

/// <summary>One decoded dimer sample: the covering and the vertex and face noise spins (L² each, row-major; all +1 without noise).</summary>
public sealed record DimerSample(DimerCovering Covering, sbyte[] VertexSpins, sbyte[] FaceSpins);
