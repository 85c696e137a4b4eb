using System.Runtime.CompilerServices;
using Rsmi.Random;

namespace Rsmi.Models.Ising.Multispin;

/// <summary>
/// A source of random words for multispin kernels: every bit of every word is an independent fair coin,
/// so that each lane (replica) draws its own random numbers. Implemented by mutable <c>struct</c>s, used by
/// <c>ref</c> inside kernels that are generic over the implementation.
/// </summary>
/// <typeparam name="TWord">The word type.</typeparam>
public interface IWordRandom<TWord> where TWord : unmanaged, ISpinWord<TWord>
{
    /// <summary>A word of independent uniformly distributed random bits.</summary>
    TWord NextWord();

    /// <summary>Prepares at least <paramref name="words"/> (≤ 64) words for <see cref="NextReservedWord"/>
    /// (buffered generators refill here, outside the kernels' inner loops; others do nothing).</summary>
    void Reserve(int words);

    /// <summary>The next word, one of those prepared by the last <see cref="Reserve"/> call.</summary>
    TWord NextReservedWord();
}

/// <summary>
/// xoshiro256++ (Blackman &amp; Vigna, ACM TOMS 47, 36 (2021)) run in every 64-bit element of the word at
/// once: element <c>e</c> is its own xoshiro256++ stream, seeded independently. On AVX-512 one step costs
/// about ten vector instructions for 512 random bits.
/// </summary>
/// <typeparam name="TWord">The word type.</typeparam>
public struct XoshiroWords<TWord> : IWordRandom<TWord> where TWord : unmanaged, ISpinWord<TWord>
{
    private TWord _s0, _s1, _s2, _s3;

    /// <summary>The generator for random stream <paramref name="stream"/> under <paramref name="seed"/>; element
    /// <c>e</c> takes its state from <see cref="RandomStreams.Create"/>(seed, stream·Elements + e, "multispin").</summary>
    public XoshiroWords(ulong seed, ulong stream)
    {
        TWord s0 = TWord.Zero, s1 = TWord.Zero, s2 = TWord.Zero, s3 = TWord.Zero;
        for (int e = 0; e < TWord.Elements; e++)
        {
            var source = RandomStreams.Create(seed, stream * (ulong)TWord.Elements + (ulong)e, "multispin");
            ulong a = source.NextUInt64(), b = source.NextUInt64(), c = source.NextUInt64(), d = source.NextUInt64();
            if ((a | b | c | d) == 0) a = 1;
            s0 = TWord.WithElement(s0, e, a);
            s1 = TWord.WithElement(s1, e, b);
            s2 = TWord.WithElement(s2, e, c);
            s3 = TWord.WithElement(s3, e, d);
        }
        _s0 = s0; _s1 = s1; _s2 = s2; _s3 = s3;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TWord NextWord()
    {
        TWord s0 = _s0, s1 = _s1, s2 = _s2, s3 = _s3;
        TWord result = TWord.Add(TWord.RotateLeft(TWord.Add(s0, s3), 23), s0);
        TWord t = TWord.ShiftLeft(s1, 17);
        // s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45), with three-way xors.
        _s2 = TWord.Xor3(s2, s0, t);
        _s1 = TWord.Xor3(s1, s2, s0);
        _s0 = TWord.Xor3(s0, s3, s1);
        _s3 = TWord.RotateLeft(s3 ^ s1, 45);
        return result;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Reserve(int words) { }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TWord NextReservedWord() => NextWord();
}

/// <summary>
/// Random words assembled element by element from any scalar <see cref="IRandomSource"/>: the generic path
/// that lets multispin kernels run on the project's own generators (one call per 64 lanes).
/// </summary>
/// <typeparam name="TWord">The word type.</typeparam>
/// <typeparam name="TRandom">The scalar generator.</typeparam>
public struct SourceWords<TWord, TRandom> : IWordRandom<TWord>
    where TWord : unmanaged, ISpinWord<TWord>
    where TRandom : struct, IRandomSource
{
    private TRandom _source;

    /// <summary>Wraps <paramref name="source"/>.</summary>
    public SourceWords(TRandom source) => _source = source;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TWord NextWord()
    {
        if (typeof(TWord) == typeof(Word64))
        {
            var w = new Word64(_source.NextUInt64());
            return Unsafe.As<Word64, TWord>(ref w);
        }
        TWord word = TWord.Zero;
        for (int e = 0; e < TWord.Elements; e++) word = TWord.WithElement(word, e, _source.NextUInt64());
        return word;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Reserve(int words) { }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TWord NextReservedWord() => NextWord();
}

/// <summary>
/// 64-lane random words served from a buffer that a wide generator refills 512 words at a time: the scalar
/// 64-bit kernel then pays one load per random word, while the generator runs vectorised (on AVX-512, one
/// xoshiro256++ step yields eight words). Each 64-bit element of the wide generator is its own stream, so the
/// words are as independent as the generator's. The generator lives in a heap object so that this struct stays
/// small enough (buffer, position, generator reference) for the JIT to keep in registers.
/// </summary>
/// <typeparam name="TWide">The word type of the generator.</typeparam>
/// <typeparam name="TSource">The wide generator.</typeparam>
public struct BufferedWords64<TWide, TSource> : IWordRandom<Word64>
    where TWide : unmanaged, ISpinWord<TWide>
    where TSource : struct, IWordRandom<TWide>
{
    private const int BufferWords = 1024;
    private readonly ulong[] _buffer;
    private readonly Generator _generator;
    private int _position;

    /// <summary>Serves words from <paramref name="source"/>.</summary>
    public BufferedWords64(TSource source)
    {
        _generator = new Generator(source);
        _buffer = new ulong[BufferWords];
        _position = BufferWords;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Word64 NextWord()
    {
        int position = _position;
        if (position == BufferWords)
        {
            _generator.Fill(_buffer);
            position = 0;
        }
        _position = position + 1;
        return new Word64(Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_buffer), position));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Reserve(int words)
    {
        // Unused words are dropped: they are independent of everything, so dropping them biases nothing.
        if (_position > BufferWords - words)
        {
            _generator.Fill(_buffer);
            _position = 0;
        }
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Word64 NextReservedWord()
        => new(Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_buffer), _position++));

    /// <summary>The wide generator itself, for kernels that consume whole wide words (eight sites of 64 lanes at a
    /// time) directly: they continue its stream, so words still in the buffer were generated earlier and are
    /// never used twice.</summary>
    public ref TSource Source => ref _generator.Source;

    private sealed class Generator(TSource source)
    {
        public TSource Source = source;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public void Fill(ulong[] buffer)
        {
            Span<TWide> wide = System.Runtime.InteropServices.MemoryMarshal.Cast<ulong, TWide>(buffer.AsSpan());
            TSource source = Source;
            for (int i = 0; i < wide.Length; i++) wide[i] = source.NextWord();
            Source = source;
        }
    }
}
