using System.Runtime.Intrinsics;

namespace Rsmi.Models.Ising.Multispin;

/// <summary>A multispin-coded 2D Ising engine of any word width (see <see cref="MultispinIsing2D{TWord, TRandom}"/>).</summary>
public interface IMultispinIsing2D
{
    /// <summary>Linear size L of the L×L torus.</summary>
    int Size { get; }
    /// <summary>Number of independent replicas (bits per word).</summary>
    int Lanes { get; }
    /// <summary>Temperature T (J = k_B = 1).</summary>
    double Temperature { get; }
    /// <summary>The update rule.</summary>
    MultispinRule Rule { get; }
    /// <summary>Sweeps done so far.</summary>
    long Sweeps { get; }
    /// <summary>Single-spin updates done so far, all lanes counted (sweeps · L² · lanes).</summary>
    long Work { get; }
    /// <summary>Advances every lane by <paramref name="sweeps"/> checkerboard sweeps on up to
    /// <paramref name="threads"/> threads; the result does not depend on the thread count.</summary>
    void Sweep(int sweeps = 1, int threads = 1);
    /// <summary>Per lane: numbers of anti-aligned horizontal bonds, anti-aligned vertical bonds and up spins
    /// (each span at least <see cref="Lanes"/> long).</summary>
    void CountLanes(Span<int> antiAlignedHorizontal, Span<int> antiAlignedVertical, Span<int> upSpins);
    /// <summary>Writes lane <paramref name="lane"/>'s configuration (±1, row-major L×L) to <paramref name="destination"/>.</summary>
    void CopyConfiguration(int lane, Span<sbyte> destination);
    /// <summary>Sets lane <paramref name="lane"/>'s configuration from ±1 values (row-major L×L).</summary>
    void SetConfiguration(int lane, ReadOnlySpan<sbyte> source);
}

/// <summary>Whole-lattice counts of an engine in the strip layout (see <see cref="MultispinLattice2D"/>).</summary>
internal interface IMultispinStrips
{
    /// <summary>Anti-aligned nearest-neighbour bonds and up spins of the whole lattice (every strip, every boundary);
    /// valid between sweeps.</summary>
    (long AntiAligned, long Up) CountLattice();
}

/// <summary>Creates multispin Ising engines and reports what the machine supports.</summary>
public static class MultispinIsing
{
    /// <summary>The word widths (lanes per word) this build supports: 64, 128, 256, 512.</summary>
    public static IReadOnlyList<int> Widths { get; } = [64, 128, 256, 512];

    /// <summary>The widest word width the hardware runs natively (512 with AVX-512, 256 with AVX2, 128 with 128-bit vectors
    /// such as ARM64 NEON, else 64).</summary>
    public static int WidestAccelerated =>
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 64;

    /// <summary>Whether <paramref name="width"/> runs natively here (64 always does).</summary>
    public static bool IsAccelerated(int width) => width switch
    {
        64 => true,
        128 => Vector128.IsHardwareAccelerated,
        256 => Vector256.IsHardwareAccelerated,
        512 => Vector512.IsHardwareAccelerated,
        _ => false,
    };

    /// <summary>
    /// An engine of <paramref name="width"/> lanes (64, 128, 256 or 512; 0 = <see cref="WidestAccelerated"/>) on an
    /// L×L torus, L = <paramref name="size"/> even ≥ 4, at <paramref name="temperature"/> &gt; 0, ordered start,
    /// with xoshiro256++ word generators seeded from <paramref name="seed"/>. Widths the hardware lacks still
    /// run (emulated, slowly).
    /// </summary>
    public static IMultispinIsing2D Create(int size, double temperature, MultispinRule rule, ulong seed, int width = 0)
        => Create(size, size, strips: false, temperature, rule, seed, width);

    /// <summary>An engine of <paramref name="size"/> × <paramref name="height"/> sites per lane, the lanes replicas or
    /// (<paramref name="strips"/>) the strips of one lattice; see <see cref="MultispinIsing2D{TWord, TRandom}"/>.</summary>
    internal static IMultispinIsing2D Create(int size, int height, bool strips, double temperature, MultispinRule rule, ulong seed, int width)
    {
        if (width == 0) width = WidestAccelerated;
        return width switch
        {
            64 when Vector512.IsHardwareAccelerated => new MultispinIsing2D<Word64, BufferedWords64<Word512, XoshiroWords<Word512>>>(size, height, strips, temperature, rule,
                b => new BufferedWords64<Word512, XoshiroWords<Word512>>(new XoshiroWords<Word512>(seed, (ulong)b))),
            64 when Vector256.IsHardwareAccelerated => new MultispinIsing2D<Word64, BufferedWords64<Word256, XoshiroWords<Word256>>>(size, height, strips, temperature, rule,
                b => new BufferedWords64<Word256, XoshiroWords<Word256>>(new XoshiroWords<Word256>(seed, (ulong)b))),
            // With 128-bit vectors only, the plain 64-bit generator is faster for 64 lanes than a buffered 128-bit one
            // (3.2 against 2.8 flips/ns measured with DOTNET_EnableAVX2=0, L = 120).
            64 => new MultispinIsing2D<Word64, XoshiroWords<Word64>>(size, height, strips, temperature, rule, b => new XoshiroWords<Word64>(seed, (ulong)b)),
            128 => new MultispinIsing2D<Word128, XoshiroWords<Word128>>(size, height, strips, temperature, rule, b => new XoshiroWords<Word128>(seed, (ulong)b)),
            256 => new MultispinIsing2D<Word256, XoshiroWords<Word256>>(size, height, strips, temperature, rule, b => new XoshiroWords<Word256>(seed, (ulong)b)),
            512 => new MultispinIsing2D<Word512, XoshiroWords<Word512>>(size, height, strips, temperature, rule, b => new XoshiroWords<Word512>(seed, (ulong)b)),
            _ => throw new RsmiInputException($"multispin word width must be 64, 128, 256 or 512, got {width}."),
        };
    }

    /// <summary>Energy per site of every lane, u = −(1/N) Σ⟨ij⟩ s_i s_j, into <paramref name="energies"/> (length ≥ lanes).</summary>
    public static void LaneEnergies(this IMultispinIsing2D engine, Span<double> energies)
    {
        int lanes = engine.Lanes;
        Span<int> h = new int[lanes], v = new int[lanes], m = new int[lanes];
        engine.CountLanes(h, v, m);
        double n = (double)engine.Size * engine.Size;
        for (int i = 0; i < lanes; i++) energies[i] = -2.0 + 2.0 * (h[i] + v[i]) / n;
    }
}
