namespace Rsmi.Random;

/// <summary>
/// A source of uniformly distributed random bits. Implemented by <c>struct</c>s so that hot loops,
/// written as generic methods over <c>TRandom : struct, IRandomSource</c>, are specialised by the JIT
/// and contain no virtual calls.
/// </summary>
public interface IRandomSource
{
    /// <summary>64 uniformly distributed random bits.</summary>
    ulong NextUInt64();
}

/// <summary>Helpers shared by every <see cref="IRandomSource"/>.</summary>
public static class RandomSourceExtensions
{
    private const double InvTwo53 = 1.0 / (1UL << 53);

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double NextDouble<TRandom>(ref this TRandom rng) where TRandom : struct, IRandomSource
        => (rng.NextUInt64() >> 11) * InvTwo53;

    /// <summary>Uniform integer in [0, n), n &gt; 0, without modulo bias (Lemire's method).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int NextInt<TRandom>(ref this TRandom rng, int n) where TRandom : struct, IRandomSource
    {
        ulong bound = (ulong)n;
        ulong x = rng.NextUInt64() >> 32;
        ulong m = x * bound;
        ulong low = m & 0xFFFFFFFFUL;
        if (low < bound)
        {
            ulong threshold = (0x1_0000_0000UL - bound) % bound;
            while (low < threshold)
            {
                x = rng.NextUInt64() >> 32;
                m = x * bound;
                low = m & 0xFFFFFFFFUL;
            }
        }
        return (int)(m >> 32);
    }

    /// <summary>A standard normal variate (Box–Muller, one of the pair).</summary>
    public static double NextGaussian<TRandom>(ref this TRandom rng) where TRandom : struct, IRandomSource
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
