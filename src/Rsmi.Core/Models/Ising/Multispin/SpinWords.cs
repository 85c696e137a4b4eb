using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

#pragma warning disable CA1857 // the rotation count is a constant once inlined

namespace Rsmi.Models.Ising.Multispin;

/// <summary>
/// A machine word whose bits are the spins of independent replicas ("lanes") of one lattice site:
/// multispin coding (Jacobs &amp; Rebbi, J. Comput. Phys. 41, 203 (1981); Zorn, Herrmann &amp; Rebbi,
/// Comput. Phys. Commun. 23, 337 (1981)). Bit <c>ℓ</c> of the word belongs to replica <c>ℓ</c>; bit
/// <c>ℓ</c> lives in 64-bit element <c>ℓ / 64</c>, position <c>ℓ % 64</c>. Implemented by <c>struct</c>s
/// so that the generic update kernels are specialised by the JIT for each width, with no virtual calls.
/// </summary>
/// <typeparam name="TSelf">The implementing word type.</typeparam>
public interface ISpinWord<TSelf> where TSelf : unmanaged, ISpinWord<TSelf>
{
    /// <summary>Number of lanes (bits) per word: 64, 128, 256 or 512.</summary>
    static abstract int Lanes { get; }
    /// <summary>Number of 64-bit elements per word (<see cref="Lanes"/> / 64).</summary>
    static abstract int Elements { get; }
    /// <summary>Whether the operations run on hardware of this width (otherwise they are emulated, correct but slow).</summary>
    static abstract bool IsHardwareAccelerated { get; }
    /// <summary>All lanes clear.</summary>
    static abstract TSelf Zero { get; }
    /// <summary>All lanes set.</summary>
    static abstract TSelf AllOnes { get; }
    /// <summary>Every 64-bit element equal to <paramref name="value"/>.</summary>
    static abstract TSelf Broadcast(ulong value);
    /// <summary>Bitwise and.</summary>
    static abstract TSelf operator &(TSelf a, TSelf b);
    /// <summary>Bitwise or.</summary>
    static abstract TSelf operator |(TSelf a, TSelf b);
    /// <summary>Bitwise exclusive or.</summary>
    static abstract TSelf operator ^(TSelf a, TSelf b);
    /// <summary>Bitwise complement.</summary>
    static abstract TSelf operator ~(TSelf a);
    /// <summary><c>a &amp; ~b</c> (one instruction on x86).</summary>
    static abstract TSelf AndNot(TSelf a, TSelf b);
    /// <summary>Bitwise select: <c>(mask &amp; a) | (~mask &amp; b)</c>.</summary>
    static abstract TSelf Select(TSelf mask, TSelf a, TSelf b);
    /// <summary><c>acc | (a &amp; b)</c>.</summary>
    static abstract TSelf OrAnd(TSelf acc, TSelf a, TSelf b);
    /// <summary><c>a &amp; ~(b ^ c)</c>: lanes of <paramref name="a"/> where b and c agree.</summary>
    static abstract TSelf AndEqual(TSelf a, TSelf b, TSelf c);
    /// <summary><c>a ^ b ^ c</c>.</summary>
    static abstract TSelf Xor3(TSelf a, TSelf b, TSelf c);
    /// <summary>Per lane: <paramref name="b"/> where <paramref name="a"/> and <paramref name="b"/> differ, else
    /// <paramref name="c"/> (one step of a bit-serial comparison, least significant bit first).</summary>
    static abstract TSelf SelectWhereDiffer(TSelf a, TSelf b, TSelf c);
    /// <summary>Element-wise 64-bit wrapping addition (used by the word random generators).</summary>
    static abstract TSelf Add(TSelf a, TSelf b);
    /// <summary>Element-wise 64-bit left shift.</summary>
    static abstract TSelf ShiftLeft(TSelf a, [ConstantExpected] int count);
    /// <summary>Element-wise 64-bit left rotation by 1 ≤ count ≤ 63.</summary>
    static abstract TSelf RotateLeft(TSelf a, [ConstantExpected] int count);
    /// <summary>Whether every lane is clear.</summary>
    static abstract bool IsZero(TSelf a);
    /// <summary>64-bit element <paramref name="index"/> (lanes 64·index … 64·index + 63).</summary>
    static abstract ulong GetElement(TSelf a, int index);
    /// <summary>A copy of <paramref name="a"/> with element <paramref name="index"/> replaced.</summary>
    static abstract TSelf WithElement(TSelf a, int index, ulong value);
}

/// <summary>Helpers for every <see cref="ISpinWord{TSelf}"/>.</summary>
public static class SpinWord
{
    /// <summary>Bit <paramref name="lane"/> of <paramref name="word"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool GetLane<TWord>(TWord word, int lane) where TWord : unmanaged, ISpinWord<TWord>
        => ((TWord.GetElement(word, lane >> 6) >> (lane & 63)) & 1UL) != 0;

    /// <summary>
    /// The lanes rotated by one: <paramref name="by"/> = 1 moves lane ℓ to lane ℓ + 1 (the last lane to lane 0),
    /// −1 moves lane ℓ to lane ℓ − 1.
    /// </summary>
    public static TWord RotateLanes<TWord>(TWord word, int by) where TWord : unmanaged, ISpinWord<TWord>
    {
        if (typeof(TWord) == typeof(Word64))
        {
            ulong bits = Unsafe.As<TWord, Word64>(ref word).Bits;
            var rotated = new Word64(by > 0 ? System.Numerics.BitOperations.RotateLeft(bits, 1) : System.Numerics.BitOperations.RotateRight(bits, 1));
            return Unsafe.As<Word64, TWord>(ref rotated);
        }
        if (typeof(TWord) == typeof(Word512) && Avx512F.IsSupported)
        {
            Vector512<ulong> v = Unsafe.As<TWord, Word512>(ref word).Bits;
            // The bit carried out of each element comes from the element before (by > 0) or after (by < 0).
            var rotated = by > 0
                ? new Word512((v << 1) | Avx512F.PermuteVar8x64(v >>> 63, Vector512.Create(7UL, 0, 1, 2, 3, 4, 5, 6)))
                : new Word512((v >>> 1) | Avx512F.PermuteVar8x64(v << 63, Vector512.Create(1UL, 2, 3, 4, 5, 6, 7, 0)));
            return Unsafe.As<Word512, TWord>(ref rotated);
        }
        int n = TWord.Elements;
        TWord result = word;
        for (int e = 0; e < n; e++)
        {
            ulong w = TWord.GetElement(word, e);
            result = by > 0
                ? TWord.WithElement(result, e, (w << 1) | (TWord.GetElement(word, (e + n - 1) % n) >> 63))
                : TWord.WithElement(result, e, (w >> 1) | (TWord.GetElement(word, (e + 1) % n) << 63));
        }
        return result;
    }

    /// <summary>A copy of <paramref name="word"/> with bit <paramref name="lane"/> set to <paramref name="value"/>.</summary>
    public static TWord WithLane<TWord>(TWord word, int lane, bool value) where TWord : unmanaged, ISpinWord<TWord>
    {
        ulong e = TWord.GetElement(word, lane >> 6);
        ulong bit = 1UL << (lane & 63);
        return TWord.WithElement(word, lane >> 6, value ? e | bit : e & ~bit);
    }
}

/// <summary>64 lanes in one <see cref="ulong"/>: the scalar path, available on every machine.</summary>
public readonly struct Word64 : ISpinWord<Word64>
{
    /// <summary>The bits.</summary>
    public readonly ulong Bits;
    /// <summary>A word with the given bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Word64(ulong bits) => Bits = bits;
    /// <inheritdoc />
    public static int Lanes => 64;
    /// <inheritdoc />
    public static int Elements => 1;
    /// <inheritdoc />
    public static bool IsHardwareAccelerated => true;
    /// <inheritdoc />
    public static Word64 Zero => new(0);
    /// <inheritdoc />
    public static Word64 AllOnes => new(ulong.MaxValue);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word64 Broadcast(ulong value) => new(value);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word64 operator &(Word64 a, Word64 b) => new(a.Bits & b.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word64 operator |(Word64 a, Word64 b) => new(a.Bits | b.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word64 operator ^(Word64 a, Word64 b) => new(a.Bits ^ b.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word64 operator ~(Word64 a) => new(~a.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word64 AndNot(Word64 a, Word64 b) => new(a.Bits & ~b.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word64 Select(Word64 mask, Word64 a, Word64 b) => new(b.Bits ^ (mask.Bits & (a.Bits ^ b.Bits)));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word64 OrAnd(Word64 acc, Word64 a, Word64 b) => new(acc.Bits | (a.Bits & b.Bits));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word64 AndEqual(Word64 a, Word64 b, Word64 c) => new(a.Bits & ~(b.Bits ^ c.Bits));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word64 Xor3(Word64 a, Word64 b, Word64 c) => new(a.Bits ^ b.Bits ^ c.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word64 SelectWhereDiffer(Word64 a, Word64 b, Word64 c) => new(c.Bits ^ ((a.Bits ^ b.Bits) & (b.Bits ^ c.Bits)));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word64 Add(Word64 a, Word64 b) => new(a.Bits + b.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word64 ShiftLeft(Word64 a, [ConstantExpected] int count) => new(a.Bits << count);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word64 RotateLeft(Word64 a, [ConstantExpected] int count) => new(System.Numerics.BitOperations.RotateLeft(a.Bits, count));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool IsZero(Word64 a) => a.Bits == 0;
    /// <inheritdoc />
    public static ulong GetElement(Word64 a, int index) => a.Bits;
    /// <inheritdoc />
    public static Word64 WithElement(Word64 a, int index, ulong value) => new(value);
}

/// <summary>256 lanes in a <see cref="Vector256{T}"/> of four 64-bit elements (AVX2).</summary>
public readonly struct Word256 : ISpinWord<Word256>
{
    /// <summary>The bits.</summary>
    public readonly Vector256<ulong> Bits;
    /// <summary>A word with the given bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Word256(Vector256<ulong> bits) => Bits = bits;
    /// <inheritdoc />
    public static int Lanes => 256;
    /// <inheritdoc />
    public static int Elements => 4;
    /// <inheritdoc />
    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;
    /// <inheritdoc />
    public static Word256 Zero => new(Vector256<ulong>.Zero);
    /// <inheritdoc />
    public static Word256 AllOnes => new(Vector256<ulong>.AllBitsSet);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word256 Broadcast(ulong value) => new(Vector256.Create(value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word256 operator &(Word256 a, Word256 b) => new(a.Bits & b.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word256 operator |(Word256 a, Word256 b) => new(a.Bits | b.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word256 operator ^(Word256 a, Word256 b) => new(a.Bits ^ b.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word256 operator ~(Word256 a) => new(~a.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word256 AndNot(Word256 a, Word256 b) => new(Vector256.AndNot(a.Bits, b.Bits));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Word256 Select(Word256 mask, Word256 a, Word256 b)
        => Avx512F.VL.IsSupported ? new(Avx512F.VL.TernaryLogic(mask.Bits, a.Bits, b.Bits, 0xCA)) : new(Vector256.ConditionalSelect(mask.Bits, a.Bits, b.Bits));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Word256 OrAnd(Word256 acc, Word256 a, Word256 b)
        => Avx512F.VL.IsSupported ? new(Avx512F.VL.TernaryLogic(acc.Bits, a.Bits, b.Bits, 0xF8)) : new(acc.Bits | (a.Bits & b.Bits));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Word256 AndEqual(Word256 a, Word256 b, Word256 c)
        => Avx512F.VL.IsSupported ? new(Avx512F.VL.TernaryLogic(a.Bits, b.Bits, c.Bits, 0x90)) : new(Vector256.AndNot(a.Bits, b.Bits ^ c.Bits));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Word256 Xor3(Word256 a, Word256 b, Word256 c)
        => Avx512F.VL.IsSupported ? new(Avx512F.VL.TernaryLogic(a.Bits, b.Bits, c.Bits, 0x96)) : new(a.Bits ^ b.Bits ^ c.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Word256 SelectWhereDiffer(Word256 a, Word256 b, Word256 c)
        => Avx512F.VL.IsSupported ? new(Avx512F.VL.TernaryLogic(a.Bits, b.Bits, c.Bits, 0x8E)) : new(Vector256.ConditionalSelect(a.Bits ^ b.Bits, b.Bits, c.Bits));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word256 Add(Word256 a, Word256 b) => new(a.Bits + b.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word256 ShiftLeft(Word256 a, [ConstantExpected] int count) => new(Vector256.ShiftLeft(a.Bits, count));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Word256 RotateLeft(Word256 a, [ConstantExpected] int count)
    {
        if (Avx512F.VL.IsSupported) return new(Avx512F.VL.RotateLeft(a.Bits, (byte)count));
        return new(Vector256.ShiftLeft(a.Bits, count) | Vector256.ShiftRightLogical(a.Bits, 64 - count));
    }
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool IsZero(Word256 a) => a.Bits == Vector256<ulong>.Zero;
    /// <inheritdoc />
    public static ulong GetElement(Word256 a, int index) => a.Bits.GetElement(index);
    /// <inheritdoc />
    public static Word256 WithElement(Word256 a, int index, ulong value) => new(a.Bits.WithElement(index, value));
}

/// <summary>128 lanes in a <see cref="Vector128{T}"/> of two 64-bit elements: the widest word of machines whose vectors are
/// 128 bits wide (ARM64 NEON, x64 without AVX2).</summary>
public readonly struct Word128 : ISpinWord<Word128>
{
    /// <summary>The bits.</summary>
    public readonly Vector128<ulong> Bits;
    /// <summary>A word with the given bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Word128(Vector128<ulong> bits) => Bits = bits;
    /// <inheritdoc />
    public static int Lanes => 128;
    /// <inheritdoc />
    public static int Elements => 2;
    /// <inheritdoc />
    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;
    /// <inheritdoc />
    public static Word128 Zero => new(Vector128<ulong>.Zero);
    /// <inheritdoc />
    public static Word128 AllOnes => new(Vector128<ulong>.AllBitsSet);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word128 Broadcast(ulong value) => new(Vector128.Create(value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word128 operator &(Word128 a, Word128 b) => new(a.Bits & b.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word128 operator |(Word128 a, Word128 b) => new(a.Bits | b.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word128 operator ^(Word128 a, Word128 b) => new(a.Bits ^ b.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word128 operator ~(Word128 a) => new(~a.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word128 AndNot(Word128 a, Word128 b) => new(Vector128.AndNot(a.Bits, b.Bits));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Word128 Select(Word128 mask, Word128 a, Word128 b)
        => Avx512F.VL.IsSupported ? new(Avx512F.VL.TernaryLogic(mask.Bits, a.Bits, b.Bits, 0xCA)) : new(Vector128.ConditionalSelect(mask.Bits, a.Bits, b.Bits));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Word128 OrAnd(Word128 acc, Word128 a, Word128 b)
        => Avx512F.VL.IsSupported ? new(Avx512F.VL.TernaryLogic(acc.Bits, a.Bits, b.Bits, 0xF8)) : new(acc.Bits | (a.Bits & b.Bits));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Word128 AndEqual(Word128 a, Word128 b, Word128 c)
        => Avx512F.VL.IsSupported ? new(Avx512F.VL.TernaryLogic(a.Bits, b.Bits, c.Bits, 0x90)) : new(Vector128.AndNot(a.Bits, b.Bits ^ c.Bits));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Word128 Xor3(Word128 a, Word128 b, Word128 c)
        => Avx512F.VL.IsSupported ? new(Avx512F.VL.TernaryLogic(a.Bits, b.Bits, c.Bits, 0x96)) : new(a.Bits ^ b.Bits ^ c.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Word128 SelectWhereDiffer(Word128 a, Word128 b, Word128 c)
        => Avx512F.VL.IsSupported ? new(Avx512F.VL.TernaryLogic(a.Bits, b.Bits, c.Bits, 0x8E)) : new(Vector128.ConditionalSelect(a.Bits ^ b.Bits, b.Bits, c.Bits));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word128 Add(Word128 a, Word128 b) => new(a.Bits + b.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word128 ShiftLeft(Word128 a, [ConstantExpected] int count) => new(Vector128.ShiftLeft(a.Bits, count));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Word128 RotateLeft(Word128 a, [ConstantExpected] int count)
    {
        if (Avx512F.VL.IsSupported) return new(Avx512F.VL.RotateLeft(a.Bits, (byte)count));
        return new(Vector128.ShiftLeft(a.Bits, count) | Vector128.ShiftRightLogical(a.Bits, 64 - count));
    }
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool IsZero(Word128 a) => a.Bits == Vector128<ulong>.Zero;
    /// <inheritdoc />
    public static ulong GetElement(Word128 a, int index) => a.Bits.GetElement(index);
    /// <inheritdoc />
    public static Word128 WithElement(Word128 a, int index, ulong value) => new(a.Bits.WithElement(index, value));
}

/// <summary>512 lanes in a <see cref="Vector512{T}"/> of eight 64-bit elements (AVX-512).</summary>
public readonly struct Word512 : ISpinWord<Word512>
{
    /// <summary>The bits.</summary>
    public readonly Vector512<ulong> Bits;
    /// <summary>A word with the given bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Word512(Vector512<ulong> bits) => Bits = bits;
    /// <inheritdoc />
    public static int Lanes => 512;
    /// <inheritdoc />
    public static int Elements => 8;
    /// <inheritdoc />
    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;
    /// <inheritdoc />
    public static Word512 Zero => new(Vector512<ulong>.Zero);
    /// <inheritdoc />
    public static Word512 AllOnes => new(Vector512<ulong>.AllBitsSet);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word512 Broadcast(ulong value) => new(Vector512.Create(value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word512 operator &(Word512 a, Word512 b) => new(a.Bits & b.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word512 operator |(Word512 a, Word512 b) => new(a.Bits | b.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word512 operator ^(Word512 a, Word512 b) => new(a.Bits ^ b.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word512 operator ~(Word512 a) => new(~a.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word512 AndNot(Word512 a, Word512 b) => new(Vector512.AndNot(a.Bits, b.Bits));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Word512 Select(Word512 mask, Word512 a, Word512 b)
        => Avx512F.IsSupported ? new(Avx512F.TernaryLogic(mask.Bits, a.Bits, b.Bits, 0xCA)) : new(Vector512.ConditionalSelect(mask.Bits, a.Bits, b.Bits));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Word512 OrAnd(Word512 acc, Word512 a, Word512 b)
        => Avx512F.IsSupported ? new(Avx512F.TernaryLogic(acc.Bits, a.Bits, b.Bits, 0xF8)) : new(acc.Bits | (a.Bits & b.Bits));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Word512 AndEqual(Word512 a, Word512 b, Word512 c)
        => Avx512F.IsSupported ? new(Avx512F.TernaryLogic(a.Bits, b.Bits, c.Bits, 0x90)) : new(Vector512.AndNot(a.Bits, b.Bits ^ c.Bits));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Word512 Xor3(Word512 a, Word512 b, Word512 c)
        => Avx512F.IsSupported ? new(Avx512F.TernaryLogic(a.Bits, b.Bits, c.Bits, 0x96)) : new(a.Bits ^ b.Bits ^ c.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Word512 SelectWhereDiffer(Word512 a, Word512 b, Word512 c)
        => Avx512F.IsSupported ? new(Avx512F.TernaryLogic(a.Bits, b.Bits, c.Bits, 0x8E)) : new(Vector512.ConditionalSelect(a.Bits ^ b.Bits, b.Bits, c.Bits));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word512 Add(Word512 a, Word512 b) => new(a.Bits + b.Bits);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Word512 ShiftLeft(Word512 a, [ConstantExpected] int count) => new(Vector512.ShiftLeft(a.Bits, count));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Word512 RotateLeft(Word512 a, [ConstantExpected] int count)
    {
        if (Avx512F.IsSupported) return new(Avx512F.RotateLeft(a.Bits, (byte)count));
        return new(Vector512.ShiftLeft(a.Bits, count) | Vector512.ShiftRightLogical(a.Bits, 64 - count));
    }
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool IsZero(Word512 a) => a.Bits == Vector512<ulong>.Zero;
    /// <inheritdoc />
    public static ulong GetElement(Word512 a, int index) => a.Bits.GetElement(index);
    /// <inheritdoc />
    public static Word512 WithElement(Word512 a, int index, ulong value) => new(a.Bits.WithElement(index, value));
}
