using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Rsmi.Random;

namespace Rsmi.Sampling.Multispin;

/// <summary>The local update rule of a multispin Ising engine.</summary>
public enum MultispinRule
{
    /// <summary>Metropolis: flip with probability min(1, e^{−ΔE/T}).</summary>
    Metropolis,
    /// <summary>Heat bath (Glauber): set the spin up with probability 1/(1 + e^{−2h/T}), h the local field.</summary>
    HeatBath,
}

/// <summary>
/// Many independent replicas of the 2D Ising model on an L×L torus (J = 1, H = −Σ⟨ij⟩ s_i s_j), bit-sliced:
/// site i holds one word whose bit ℓ is the spin of replica ("lane") ℓ (bit set = spin +1). One sweep updates
/// the two checkerboard sublattices in turn; every site update acts on all lanes with bitwise logic.
/// <para>
/// Each lane draws its own acceptance decision: a lane's uniform U ∈ [0,1) is read bit by bit, most
/// significant first, from successive random words, and compared with the binary expansion of the lane's
/// acceptance probability p; a lane is decided at the first bit where U and p differ (U &lt; p there means
/// accept), and the loop stops when every lane is decided (on average log₂(lanes) + 1.3 words). The
/// comparison runs to the last set bit of p, so the acceptance probability is exactly the double nearest to
/// e^{−ΔE/T}: truncation error zero, rounding error ≤ 2^{−53}·p. Lanes never share a decision.
/// </para>
/// <para>
/// Parallelism: the rows are cut into fixed blocks of two, each with its own random stream (stream index =
/// block index), and threads take contiguous ranges of blocks for each sublattice. Sites of one colour depend
/// only on the other colour, so the result is bit-identical for any thread count at the same seed.
/// </para>
/// </summary>
/// <typeparam name="TWord">The word type (64, 256 or 512 lanes).</typeparam>
/// <typeparam name="TRandom">The random word generator.</typeparam>
public sealed class MultispinIsing2D<TWord, TRandom> : IMultispinIsing2D
    where TWord : unmanaged, ISpinWord<TWord>
    where TRandom : struct, IWordRandom<TWord>
{
    private const int RowsPerBlock = 2;
    private readonly int _l;
    private readonly TWord[] _spins;
    private readonly TRandom[] _random;
    private readonly int _blocks;
    // Threshold masks: for bit j (most significant first) and acceptance class k, all-ones when bit j of
    // class k's probability is set. Metropolis classes: {one anti-aligned neighbour, none}; heat bath: n up
    // neighbours, n = 0..4.
    private readonly TWord[] _thresholdMasks;
    private readonly int _thresholdBits;
    private readonly int _classes;
    // Metropolis: bits of U compared with p without branches.
    private readonly int _fixedRounds;
    private long _sweeps;

    /// <summary>
    /// A lattice of <paramref name="size"/>² sites (even, ≥ 4) at <paramref name="temperature"/> (&gt; 0), every lane
    /// started with all spins up; block b's updates use <paramref name="randomForBlock"/>(b) (the random
    /// streams carry the seed).
    /// </summary>
    public MultispinIsing2D(int size, double temperature, MultispinRule rule, Func<int, TRandom> randomForBlock)
    {
        Require.That(size >= 4 && size % 2 == 0, $"multispin lattice size must be even and at least 4, got {size}.");
        Require.That(temperature > 0 && double.IsFinite(temperature), $"temperature must be positive, got {temperature}.");
        _l = size;
        Temperature = temperature;
        Rule = rule;
        _spins = new TWord[size * size];
        _blocks = size / RowsPerBlock;
        _random = new TRandom[_blocks];
        for (int b = 0; b < _blocks; b++) _random[b] = randomForBlock(b);

        // Ordered start, every lane all up. A random start is unsafe for checkerboard Metropolis: a lane can
        // begin inside a closed class of states whose updates are all deterministic (ΔE ≤ 0 at every site, e.g.
        // the width-one stripe states, which alternate vertical ↔ horizontal forever), and a quench below T_c
        // from disorder leaves long-lived stripe domains. The lanes decorrelate through their own random bits.
        Array.Fill(_spins, TWord.AllOnes);

        double k = 1.0 / temperature;
        double[] probabilities = rule == MultispinRule.Metropolis
            ? [Math.Exp(-4 * k), Math.Exp(-8 * k)]
            : [.. Enumerable.Range(0, 5).Select(n => 1.0 / (1.0 + Math.Exp(-2 * k * (2 * n - 4))))];
        _classes = probabilities.Length;
        ulong[] fixedPoint = probabilities.Select(ToFixedPoint).ToArray();
        // Bits beyond the last set bit of every threshold can only reject: stop there.
        int lastBit = 0;
        foreach (ulong t in fixedPoint) if (t != 0) lastBit = Math.Max(lastBit, 63 - System.Numerics.BitOperations.TrailingZeroCount(t));
        _thresholdBits = lastBit + 1;
        _thresholdMasks = new TWord[_thresholdBits * _classes];
        for (int j = 0; j < _thresholdBits; j++)
        for (int c = 0; c < _classes; c++)
            _thresholdMasks[j * _classes + c] = ((fixedPoint[c] >> (63 - j)) & 1) != 0 ? TWord.AllOnes : TWord.Zero;
        if (rule == MultispinRule.Metropolis)
        {
            // About log₂(lanes) + 1.3 bits decide every lane on average; D = log₂(lanes) + 3 leaves ties (the
            // branch into the slow path) at a few per cent of the sites.
            _fixedRounds = Math.Min(_thresholdBits, System.Numerics.BitOperations.Log2((uint)TWord.Lanes) + 3);
        }
    }

    /// <summary>p ∈ [0, 1) as a 0.64 fixed-point number; exact for a double (53-bit mantissa); p ≥ 1 saturates.</summary>
    private static ulong ToFixedPoint(double p) => p >= 1 ? ulong.MaxValue : (ulong)(p * 18446744073709551616.0);

    /// <inheritdoc />
    public int Size => _l;
    /// <inheritdoc />
    public int Lanes => TWord.Lanes;
    /// <inheritdoc />
    public double Temperature { get; }
    /// <inheritdoc />
    public MultispinRule Rule { get; }
    /// <inheritdoc />
    public long Sweeps => _sweeps;
    /// <inheritdoc />
    public long Work => _sweeps * _l * _l * TWord.Lanes;
    /// <summary>Number of row blocks (the most threads that can share one sweep).</summary>
    public int Blocks => _blocks;
    /// <summary>The spin words, row-major (site y·L + x); for tests and diagnostics.</summary>
    public ReadOnlySpan<TWord> Spins => _spins;

    /// <inheritdoc />
    public void Sweep(int sweeps = 1, int threads = 1)
    {
        threads = Math.Clamp(threads, 1, _blocks);
        if (threads == 1)
        {
            for (int s = 0; s < sweeps; s++)
            {
                for (int colour = 0; colour < 2; colour++) UpdateBlocks(0, _blocks, colour);
                _sweeps++;
            }
            return;
        }
        if (sweeps == 1)
        {
            for (int colour = 0; colour < 2; colour++)
            {
                int c = colour;
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads },
                    t => UpdateBlocks(t * _blocks / threads, (t + 1) * _blocks / threads, c));
            }
            _sweeps++;
            return;
        }
        using var barrier = new Barrier(threads);
        Exception? failure = null;
        void Work(int t)
        {
            int b0 = t * _blocks / threads, b1 = (t + 1) * _blocks / threads;
            try
            {
                for (int s = 0; s < sweeps; s++)
                for (int colour = 0; colour < 2; colour++)
                {
                    UpdateBlocks(b0, b1, colour);
                    barrier.SignalAndWait();
                }
            }
            catch (Exception e)
            {
                failure ??= e;
                barrier.RemoveParticipant();
            }
        }
        var workers = new Thread[threads - 1];
        for (int t = 1; t < threads; t++)
        {
            int index = t;
            workers[t - 1] = new Thread(() => Work(index)) { IsBackground = true, Name = "rsmi-multispin" };
            workers[t - 1].Start();
        }
        Work(0);
        foreach (var w in workers) w.Join();
        if (failure != null) throw new InvalidOperationException("multispin sweep failed", failure);
        _sweeps += sweeps;
    }

    private void UpdateBlocks(int blockStart, int blockEnd, int colour)
    {
        for (int b = blockStart; b < blockEnd; b++)
        {
            TRandom rng = _random[b];
            for (int y = b * RowsPerBlock; y < (b + 1) * RowsPerBlock; y++)
            {
                if (Rule == MultispinRule.Metropolis) MetropolisRow(ref rng, y, colour);
                else HeatBathRow(ref rng, y, colour);
            }
            _random[b] = rng;
        }
    }

    /// <summary>
    /// Metropolis on the sites of one colour in row y. With a, b, c, d the words "neighbour anti-aligned",
    /// m = a + b + c + d is the number of anti-aligned neighbours and ΔE = 8 − 4m: flip always for m ≥ 2, with
    /// probability e^{−4/T} for m = 1 and e^{−8/T} for m = 0. m is classified by a bitwise adder.
    /// <para>
    /// Each lane needing a decision (m ≤ 1) compares its own uniform U with its class's p, U's bits taken from
    /// successive random words. The first <c>D</c> = <see cref="_fixedRounds"/> bits are compared without branches,
    /// least significant first: lt ← (U_j ≠ p_j) ? p_j : lt gives "U &lt; p on the first D bits", and eq tracks the
    /// lanes whose D-bit prefixes agree. Only those (about lanes·2^{−D} per site) need more bits; they continue
    /// most significant first until decided or past p's last set bit (then U ≥ p: reject). The decision is thus
    /// exactly U &lt; p: no truncation, and the only error is p's rounding to a double (≤ 2^{−53}·p).
    /// </para>
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MetropolisRow(ref TRandom random, int y, int colour)
    {
        TRandom rng = random;   // a local copy stays in registers
        int l = _l;
        ref TWord spins = ref MemoryMarshal.GetArrayDataReference(_spins);
        ref TWord masks = ref MemoryMarshal.GetArrayDataReference(_thresholdMasks);
        int bits = _thresholdBits, rounds = _fixedRounds;
        int row = y * l;
        int up = (y == 0 ? l - 1 : y - 1) * l;
        int down = (y == l - 1 ? 0 : y + 1) * l;
        for (int x = (y + colour) & 1; x < l; x += 2)
        {
            int left = x == 0 ? l - 1 : x - 1;
            int right = x == l - 1 ? 0 : x + 1;
            ref TWord site = ref Unsafe.Add(ref spins, row + x);
            TWord s = site;
            TWord a = s ^ Unsafe.Add(ref spins, row + left);
            TWord b = s ^ Unsafe.Add(ref spins, row + right);
            TWord c = s ^ Unsafe.Add(ref spins, up + x);
            TWord d = s ^ Unsafe.Add(ref spins, down + x);
            TWord s1 = a ^ b, c1 = a & b, s2 = c ^ d, c2 = c & d;
            TWord carry = c1 | c2;
            TWord flip = carry | (s1 & s2);                 // m ≥ 2
            TWord need = ~flip;                              // m ≤ 1: need a random decision
            if (!TWord.IsZero(need))
            {
                TWord one = TWord.AndNot(s1 ^ s2, carry);    // m = 1 (the other undecided lanes have m = 0)
                rng.Reserve(rounds);
                TWord less = TWord.Zero, equal = need;
                for (int j = rounds - 1; j >= 0; j--)
                {
                    TWord r = rng.NextReservedWord();
                    // p's bit j for each lane: class "one" or else class "none" (decided lanes do not care).
                    TWord p = TWord.Select(one, Unsafe.Add(ref masks, 2 * j), Unsafe.Add(ref masks, 2 * j + 1));
                    less = TWord.SelectWhereDiffer(r, p, less);
                    equal = TWord.AndEqual(equal, r, p);
                }
                flip = TWord.OrAnd(flip, need, less);
                // Rare: lanes whose first D bits tie with p compare further bits, most significant first, until
                // each is decided or p has no set bit left. (Inline: passing rng by reference would keep it in memory.)
                if (!TWord.IsZero(equal))
                {
                    for (int j = rounds; j < bits; j++)
                    {
                        rng.Reserve(1);
                        TWord r = rng.NextReservedWord();
                        TWord p = TWord.Select(one, Unsafe.Add(ref masks, 2 * j), Unsafe.Add(ref masks, 2 * j + 1));
                        flip = TWord.OrAnd(flip, equal, TWord.AndNot(p, r));   // first differing bit: U bit 0, p bit 1 → U < p
                        equal = TWord.AndEqual(equal, r, p);
                        if (TWord.IsZero(equal)) break;
                    }
                }
            }
            site = s ^ flip;
        }
        random = rng;
    }

    /// <summary>
    /// Heat bath on the sites of one colour in row y: with n = 0..4 up neighbours (local field h = 2n − 4), the
    /// spin is set up with probability q_n = 1/(1 + e^{−2h/T}), each lane comparing its own uniform with q_n.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void HeatBathRow(ref TRandom random, int y, int colour)
    {
        TRandom rng = random;   // a local copy stays in registers
        int l = _l;
        ref TWord spins = ref MemoryMarshal.GetArrayDataReference(_spins);
        ref TWord masks = ref MemoryMarshal.GetArrayDataReference(_thresholdMasks);
        int bits = _thresholdBits;
        int row = y * l;
        int up = (y == 0 ? l - 1 : y - 1) * l;
        int down = (y == l - 1 ? 0 : y + 1) * l;
        for (int x = (y + colour) & 1; x < l; x += 2)
        {
            int left = x == 0 ? l - 1 : x - 1;
            int right = x == l - 1 ? 0 : x + 1;
            TWord a = Unsafe.Add(ref spins, row + left);
            TWord b = Unsafe.Add(ref spins, row + right);
            TWord c = Unsafe.Add(ref spins, up + x);
            TWord d = Unsafe.Add(ref spins, down + x);
            TWord s1 = a ^ b, c1 = a & b, s2 = c ^ d, c2 = c & d;
            TWord low = s1 ^ s2, t = s1 & s2;
            TWord eq4 = c1 & c2;
            TWord eq3 = low & (c1 ^ c2);
            TWord eq1 = TWord.AndNot(low, c1 | c2);
            TWord eq2 = TWord.AndNot(t | (c1 ^ c2), low);
            TWord eq0 = ~(a | b | c | d);
            TWord upSpin = TWord.Zero;
            TWord undecided = TWord.AllOnes;
            rng.Reserve(bits);
            for (int j = 0; ; )
            {
                TWord r = rng.NextReservedWord();
                ref TWord m = ref Unsafe.Add(ref masks, 5 * j);
                TWord p = (eq0 & m) | (eq1 & Unsafe.Add(ref m, 1)) | (eq2 & Unsafe.Add(ref m, 2))
                        | (eq3 & Unsafe.Add(ref m, 3)) | (eq4 & Unsafe.Add(ref m, 4));
                upSpin = TWord.OrAnd(upSpin, undecided, TWord.AndNot(p, r));
                undecided = TWord.AndEqual(undecided, r, p);
                if (TWord.IsZero(undecided) || ++j == bits) break;
            }
            Unsafe.Add(ref spins, row + x) = upSpin;
        }
        random = rng;
    }

    /// <inheritdoc />
    public void CountLanes(Span<int> antiAlignedHorizontal, Span<int> antiAlignedVertical, Span<int> upSpins)
    {
        int n = _l * _l;
        int planes = 1;
        while ((1 << planes) <= n) planes++;
        var h = new TWord[planes];
        var v = new TWord[planes];
        var m = new TWord[planes];
        for (int y = 0; y < _l; y++)
        {
            int row = y * _l, down = (y == _l - 1 ? 0 : y + 1) * _l;
            for (int x = 0; x < _l; x++)
            {
                TWord s = _spins[row + x];
                AddToCounter(h, s ^ _spins[row + (x == _l - 1 ? 0 : x + 1)]);
                AddToCounter(v, s ^ _spins[down + x]);
                AddToCounter(m, s);
            }
        }
        for (int lane = 0; lane < TWord.Lanes; lane++)
        {
            antiAlignedHorizontal[lane] = ReadCounter(h, lane);
            antiAlignedVertical[lane] = ReadCounter(v, lane);
            upSpins[lane] = ReadCounter(m, lane);
        }
    }

    /// <summary>Adds one to the bit-sliced counter of every lane set in <paramref name="word"/> (ripple carry).</summary>
    private static void AddToCounter(TWord[] planes, TWord word)
    {
        TWord carry = word;
        for (int k = 0; k < planes.Length && !TWord.IsZero(carry); k++)
        {
            TWord next = planes[k] & carry;
            planes[k] ^= carry;
            carry = next;
        }
    }

    private static int ReadCounter(TWord[] planes, int lane)
    {
        // The words as 64-bit elements: lane ℓ is bit ℓ % 64 of element ℓ / 64 of each plane.
        ReadOnlySpan<ulong> bits = MemoryMarshal.Cast<TWord, ulong>(planes);
        int elements = TWord.Elements, element = lane >> 6, shift = lane & 63;
        int value = 0;
        for (int k = 0; k < planes.Length; k++) value |= (int)((bits[k * elements + element] >> shift) & 1) << k;
        return value;
    }

    /// <inheritdoc />
    public void CopyConfiguration(int lane, Span<sbyte> destination)
    {
        ReadOnlySpan<ulong> bits = MemoryMarshal.Cast<TWord, ulong>(_spins);
        int elements = TWord.Elements, element = lane >> 6, shift = lane & 63;
        for (int i = 0; i < _spins.Length; i++) destination[i] = (sbyte)((int)((bits[i * elements + element] >> shift) & 1) * 2 - 1);
    }

    /// <inheritdoc />
    public void SetConfiguration(int lane, ReadOnlySpan<sbyte> source)
    {
        for (int i = 0; i < _spins.Length; i++) _spins[i] = SpinWord.WithLane(_spins[i], lane, source[i] > 0);
    }
}
