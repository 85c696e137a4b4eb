using System.Runtime.CompilerServices;

namespace Rsmi.Random;

/// <summary>
/// xoshiro256** (Blackman &amp; Vigna 2018): 256-bit state, period 2^256 − 1, passes BigCrush.
/// Mutable struct: pass it by <c>ref</c>. Create instances through <see cref="RandomStreams"/> so that
/// every chain, replica or worker has its own stream derived from the user's seed.
/// </summary>
public struct Xoshiro256StarStar : IRandomSource
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Seeds the state by SplitMix64 from <paramref name="seed"/> (any value is valid).</summary>
    public Xoshiro256StarStar(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64.Next(ref x);
        _s1 = SplitMix64.Next(ref x);
        _s2 = SplitMix64.Next(ref x);
        _s3 = SplitMix64.Next(ref x);
        if ((_s0 | _s1 | _s2 | _s3) == 0) _s0 = 1;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    private static class BitOperations
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong RotateLeft(ulong x, int k) => System.Numerics.BitOperations.RotateLeft(x, k);
    }
}

/// <summary>SplitMix64 (Steele, Lea &amp; Flood 2014), used to seed and to derive independent streams.</summary>
public static class SplitMix64
{
    /// <summary>Advances <paramref name="state"/> and returns the next output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A stateless 64-bit mix of <paramref name="x"/> (the SplitMix64 finaliser).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}

/// <summary>
/// Derives reproducible, statistically independent random streams from one user seed. Stream
/// <c>(seed, purpose, index)</c> is the same whatever the number of threads, so work split across
/// cores gives bit-identical results when each unit of work (chain, replica, block row…) takes the
/// stream of its own index.
/// </summary>
public static class RandomStreams
{
    /// <summary>The stream with the given <paramref name="index"/> for <paramref name="purpose"/> under <paramref name="seed"/>.</summary>
    public static Xoshiro256StarStar Create(ulong seed, ulong index = 0, string purpose = "")
    {
        ulong h = SplitMix64.Mix(seed ^ 0x5851F42D4C957F2DUL);
        foreach (char c in purpose) h = SplitMix64.Mix(h ^ c);
        h = SplitMix64.Mix(h ^ SplitMix64.Mix(index + 0x9E3779B97F4A7C15UL));
        return new Xoshiro256StarStar(h);
    }
}
