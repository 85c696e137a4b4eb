using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Rsmi.Random;

namespace Rsmi.Models.Ising.Multispin;

using EightSiteRandom = BufferedWords64<Word512, XoshiroWords<Word512>>;

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
/// Each lane draws its own acceptance decision: a lane's uniform U ∈ [0,1) is read bit by bit from successive
/// random words (bit ℓ of each word belongs to lane ℓ) and compared with the binary expansion of the lane's
/// acceptance probability p. The first D = log₂(lanes) + 3 bits are compared for all lanes without branches; the
/// few lanes whose D-bit prefix ties with p (about lanes·2^{−D} per site) continue bit by bit until decided. The
/// comparison runs to the last set bit of p, so the acceptance probability is exactly the double nearest to
/// e^{−ΔE/T}: truncation error zero, rounding error ≤ 2^{−53}·p. Lanes never share a decision. The heat bath uses
/// the same decision with q₄ and q₃ (follow the neighbours' majority or not; a tie takes one random bit).
/// With 64-lane words on AVX-512 (L a multiple of 16), eight sites are updated per 512-bit instruction.
/// </para>
/// <para>
/// Parallelism: the rows are cut into fixed blocks of two, each with its own random stream (stream index =
/// block index), and threads take contiguous ranges of blocks for each sublattice. Sites of one colour depend
/// only on the other colour, so the result is bit-identical for any thread count at the same seed.
/// </para>
/// </summary>
/// <typeparam name="TWord">The word type (64, 128, 256 or 512 lanes).</typeparam>
/// <typeparam name="TRandom">The random word generator.</typeparam>
public sealed class MultispinIsing2D<TWord, TRandom> : IMultispinIsing2D, IMultispinStrips
    where TWord : unmanaged, ISpinWord<TWord>
    where TRandom : struct, IWordRandom<TWord>
{
    private const int RowsPerBlock = 2;

    private readonly int _l;        // width (x); for the replica torus also the height
    private readonly int _h;        // height (y)
    // Strip layout (one large lattice, see MultispinLattice2D): the rows above row 0 and below row H − 1, i.e. the
    // neighbouring strip's boundary rows, held with their lanes rotated by one; null for the replica torus.
    private readonly TWord[]? _ghostAbove, _ghostBelow;
    private readonly TWord[] _spins;
    private readonly TRandom[] _random;
    // A second generator per block: the vector Metropolis kernels alternate between the two, so that consecutive
    // random words do not wait on one generator's dependency chain.
    private readonly TRandom[] _random2;
    private readonly int _blocks;
    // Threshold masks: for bit j (most significant first) and acceptance class k, all-ones when bit j of
    // class k's probability is set. Metropolis classes: {one anti-aligned neighbour, none}; heat bath: {all four
    // neighbours agree, three do}.
    private readonly TWord[] _thresholdMasks;
    private readonly int _thresholdBits;
    private readonly int _classes;
    // Bits of U compared with p without branches.
    private readonly int _fixedRounds;
    // 64-lane words on AVX-512 with a buffered wide generator and L a multiple of 16: eight sites (one 512-bit
    // vector of eight 64-lane words) per instruction, with their own bit count and 512-bit threshold masks.
    private readonly bool _eightSites;
    private readonly int _eightSiteRounds;
    private readonly Word512[] _masks512 = [];
    private long _sweeps;

    /// <summary>
    /// A lattice of <paramref name="size"/>² sites (even, ≥ 4) at <paramref name="temperature"/> (&gt; 0), every lane
    /// started with all spins up; block b's updates use <paramref name="randomForBlock"/>(b) and, interleaved by the
    /// Metropolis kernels, <paramref name="randomForBlock"/>(blocks + b), blocks = size / 2 (the random
    /// streams carry the seed).
    /// </summary>
    public MultispinIsing2D(int size, double temperature, MultispinRule rule, Func<int, TRandom> randomForBlock)
        : this(size, size, strips: false, temperature, rule, randomForBlock)
    {
    }

    /// <summary>
    /// A <paramref name="width"/> × <paramref name="height"/> lattice per lane. With <paramref name="strips"/> the lanes
    /// are not replicas but the horizontal strips of one lattice of width × (lanes·height) sites: lane k holds rows
    /// k·height … (k + 1)·height − 1, so that the row above a lane's row 0 is the previous lane's last row (lanes
    /// cyclic, a torus); height must then be even (the checkerboard colours of all strips agree) and ≥ 2.
    /// </summary>
    internal MultispinIsing2D(int width, int height, bool strips, double temperature, MultispinRule rule, Func<int, TRandom> randomForBlock)
    {
        Require.That(width >= 4 && width % 2 == 0, $"multispin lattice size must be even and at least 4, got {width}.");
        Require.That(height % 2 == 0 && height >= (strips ? 2 : 4), $"multispin lattice height must be even and at least {(strips ? 2 : 4)}, got {height}.");
        Require.That(temperature > 0 && double.IsFinite(temperature), $"temperature must be positive, got {temperature}.");
        _l = width;
        _h = height;
        Temperature = temperature;
        Rule = rule;
        _spins = new TWord[width * height];
        _blocks = height / RowsPerBlock;
        if (strips)
        {
            _ghostAbove = new TWord[width];
            _ghostBelow = new TWord[width];
        }
        _random = new TRandom[_blocks];
        for (int b = 0; b < _blocks; b++) _random[b] = randomForBlock(b);
        _random2 = new TRandom[_blocks];
        for (int b = 0; b < _blocks; b++) _random2[b] = randomForBlock(_blocks + b);

        // Ordered start, every lane all up. A random start is unsafe for checkerboard Metropolis: a lane can
        // begin inside a closed class of states whose updates are all deterministic (ΔE ≤ 0 at every site, e.g.
        // the width-one stripe states, which alternate vertical ↔ horizontal forever), and a quench below T_c
        // from disorder leaves long-lived stripe domains. The lanes decorrelate through their own random bits.
        Array.Fill(_spins, TWord.AllOnes);
        RefreshGhostRows(0);
        RefreshGhostRows(1);

        double k = 1.0 / temperature;
        // Two acceptance classes for either rule, selected per lane by the word "one" of the row kernels.
        // Metropolis: flip with e^{−4/T} (one anti-aligned neighbour) or e^{−8/T} (none). Heat bath: follow the
        // majority of the neighbours with q₄ = 1/(1 + e^{−8/T}) (all four agree) or q₃ = 1/(1 + e^{−4/T}) (three do).
        double[] probabilities = rule == MultispinRule.Metropolis
            ? [Math.Exp(-4 * k), Math.Exp(-8 * k)]
            : [1.0 / (1.0 + Math.Exp(-8 * k)), 1.0 / (1.0 + Math.Exp(-4 * k))];
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
        // About log₂(lanes) + 1.3 bits decide every lane on average; D = log₂(lanes) + 3 leaves ties (the branch into
        // the slow path) at a few per cent of the sites.
        _fixedRounds = Math.Min(_thresholdBits, System.Numerics.BitOperations.Log2((uint)TWord.Lanes) + 3);
        _eightSites = typeof(TWord) == typeof(Word64) && typeof(TRandom) == typeof(EightSiteRandom)
            && Avx512F.IsSupported && width % 16 == 0;
        if (_eightSites)
        {
            _eightSiteRounds = Math.Min(_thresholdBits, 12);
            _masks512 = new Word512[_thresholdBits * 2];
            for (int j = 0; j < _thresholdBits * 2; j++)
                _masks512[j] = TWord.IsZero(_thresholdMasks[j]) ? Word512.Zero : Word512.AllOnes;
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
    public long Work => _sweeps * _l * _h * TWord.Lanes;
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
        SweepOnThreads(sweeps, threads);
        _sweeps += sweeps;
    }

    /// <summary>The multi-threaded sweep (apart, so that the one-thread path allocates nothing).</summary>
    private void SweepOnThreads(int sweeps, int threads)
    {
        // The threads meet at a spinning barrier after each half-sweep (a half-sweep at L = 128 takes about 0.1 ms
        // per thread, so a kernel-blocking barrier's wake-up would cost a large share of it).
        var barrier = new SpinBarrier(threads);
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
            catch
            {
                barrier.Abort();
                throw;
            }
        }
        if (!SweepTeam.TryRun(threads, Work))
        {
            // The team is busy with another engine's sweep: do the work here (same result, one thread).
            for (int s = 0; s < sweeps; s++)
            for (int colour = 0; colour < 2; colour++) UpdateBlocks(0, _blocks, colour);
        }
    }

    private void UpdateBlocks(int blockStart, int blockEnd, int colour)
    {
        for (int b = blockStart; b < blockEnd; b++)
        {
            TRandom rng = _random[b], rng2 = _random2[b];
            for (int y = b * RowsPerBlock; y < (b + 1) * RowsPerBlock; y++)
            {
                if (_eightSites) RowEightSites(ref Unsafe.As<TRandom, EightSiteRandom>(ref rng), ref Unsafe.As<TRandom, EightSiteRandom>(ref rng2), y, colour);
                else if (Rule == MultispinRule.Metropolis) MetropolisRow(ref rng, ref rng2, y, colour);
                else HeatBathRow(ref rng, ref rng2, y, colour);
            }
            _random[b] = rng;
            _random2[b] = rng2;
            // Strips: the neighbouring strips read this colour's sites of rows 0 and H − 1 in the next half-sweep, from
            // the ghost rows; their owners copy them now (readers of this half-sweep only read the other colour).
            if (_ghostAbove != null)
            {
                if (b == 0) RefreshGhostRow(_ghostBelow!, 0, colour, above: false);
                if (b == _blocks - 1) RefreshGhostRow(_ghostAbove, _h - 1, colour, above: true);
            }
        }
    }

    /// <summary>The row above row y (wrapping; for strips, row −1 is the ghost row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref TWord RowAbove(int y)
    {
        if (y > 0) return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_spins), (y - 1) * _l);
        if (_ghostAbove != null) return ref MemoryMarshal.GetArrayDataReference(_ghostAbove);
        return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_spins), (_h - 1) * _l);
    }

    /// <summary>The row below row y (wrapping; for strips, row H is the ghost row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref TWord RowBelow(int y)
    {
        if (y < _h - 1) return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_spins), (y + 1) * _l);
        if (_ghostBelow != null) return ref MemoryMarshal.GetArrayDataReference(_ghostBelow);
        return ref MemoryMarshal.GetArrayDataReference(_spins);
    }

    /// <summary>Both ghost rows at the sites of <paramref name="colour"/> (no-op for the replica torus).</summary>
    private void RefreshGhostRows(int colour)
    {
        if (_ghostAbove == null) return;
        RefreshGhostRow(_ghostBelow!, 0, colour, above: false);
        RefreshGhostRow(_ghostAbove, _h - 1, colour, above: true);
    }

    /// <summary>
    /// Copies the sites of <paramref name="colour"/> in row <paramref name="y"/> to <paramref name="ghost"/>, lanes
    /// rotated: the ghost above row 0 of lane k is row H − 1 of lane k − 1, the ghost below row H − 1 of lane k is
    /// row 0 of lane k + 1.
    /// </summary>
    private void RefreshGhostRow(TWord[] ghost, int y, int colour, bool above)
    {
        for (int x = (y + colour) & 1; x < _l; x += 2)
            ghost[x] = SpinWord.RotateLanes(_spins[y * _l + x], above ? 1 : -1);
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
    private void MetropolisRow(ref TRandom random, ref TRandom random2, int y, int colour)
    {
        TRandom rng = random, rngB = random2;   // local copies stay in registers
        int l = _l;
        ref TWord spins = ref MemoryMarshal.GetArrayDataReference(_spins);
        ref TWord masks = ref MemoryMarshal.GetArrayDataReference(_thresholdMasks);
        int bits = _thresholdBits, rounds = _fixedRounds;
        int row = y * l;
        ref TWord upRow = ref RowAbove(y), downRow = ref RowBelow(y);
        for (int x = (y + colour) & 1; x < l; x += 2)
        {
            int left = x == 0 ? l - 1 : x - 1;
            int right = x == l - 1 ? 0 : x + 1;
            ref TWord site = ref Unsafe.Add(ref spins, row + x);
            TWord s = site;
            TWord a = s ^ Unsafe.Add(ref spins, row + left);
            TWord b = s ^ Unsafe.Add(ref spins, row + right);
            TWord c = s ^ Unsafe.Add(ref upRow, x);
            TWord d = s ^ Unsafe.Add(ref downRow, x);
            TWord s1 = a ^ b, c1 = a & b, s2 = c ^ d, c2 = c & d;
            TWord carry = c1 | c2;
            TWord flip = carry | (s1 & s2);                 // m ≥ 2
            TWord need = ~flip;                              // m ≤ 1: need a random decision
            if (!TWord.IsZero(need))
            {
                TWord one = TWord.AndNot(s1 ^ s2, carry);    // m = 1 (the other undecided lanes have m = 0)
                flip = Decide(flip, need, one, ref masks, rounds, bits, ref rng, ref rngB);
            }
            site = s ^ flip;
        }
        random = rng;
        random2 = rngB;
    }

    /// <summary>
    /// The decision of both rules (see <see cref="MetropolisRow"/>): each lane of <paramref name="need"/> compares its own
    /// uniform U with p of its class (class 0 where <paramref name="one"/> is set, else class 1) and is added to
    /// <paramref name="flip"/> where U &lt; p. Scalar words compare most significant bit first, vector words least
    /// significant first (<see cref="DecideWide"/>); both on D = <see cref="_fixedRounds"/> bits without branches, then
    /// the rare ties bit by bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TWord Decide(TWord flip, TWord need, TWord one, ref TWord masks, int rounds, int bits, ref TRandom rng, ref TRandom rngB)
    {
        if (TWord.Lanes != 64) return DecideWide(flip, need, one, ref masks, rounds, bits, ref rng, ref rngB);
        // Scalar words: most significant bit first (shorter dependency chains than the three-input select the vector
        // units do in one instruction), same fixed count.
        rng.Reserve(rounds);
        TWord equal = need;
        ref TWord m = ref masks;
        int j = rounds;
        for (; j >= 3; j -= 3)   // unrolled by three: the loop overhead is a third of the work otherwise
        {
            TWord r0 = rng.NextReservedWord(), r1 = rng.NextReservedWord(), r2 = rng.NextReservedWord();
            TWord p = TWord.Select(one, m, Unsafe.Add(ref m, 1));
            flip = TWord.OrAnd(flip, equal, TWord.AndNot(p, r0));
            equal = TWord.AndEqual(equal, r0, p);
            p = TWord.Select(one, Unsafe.Add(ref m, 2), Unsafe.Add(ref m, 3));
            flip = TWord.OrAnd(flip, equal, TWord.AndNot(p, r1));
            equal = TWord.AndEqual(equal, r1, p);
            p = TWord.Select(one, Unsafe.Add(ref m, 4), Unsafe.Add(ref m, 5));
            flip = TWord.OrAnd(flip, equal, TWord.AndNot(p, r2));
            equal = TWord.AndEqual(equal, r2, p);
            m = ref Unsafe.Add(ref m, 6);
        }
        for (; j > 0; j--)
        {
            TWord r = rng.NextReservedWord();
            TWord p = TWord.Select(one, m, Unsafe.Add(ref m, 1));
            flip = TWord.OrAnd(flip, equal, TWord.AndNot(p, r));   // first differing bit: U bit 0, p bit 1 → U < p
            equal = TWord.AndEqual(equal, r, p);
            m = ref Unsafe.Add(ref m, 2);
        }
        // Rare: lanes whose first D bits tie with p compare further bits. The helpers are inlined, so the generators
        // stay in registers.
        return BreakTies(flip, equal, one, ref masks, rounds, bits, ref rng);
    }

    /// <summary>
    /// <see cref="MetropolisRow"/> or <see cref="HeatBathRow"/> for 64-lane words, eight sites at a time: the row is read in
    /// windows of 16 words, the eight sites of the colour and their neighbours gathered into 512-bit vectors (element
    /// e = site x₀ + 2e of the window, all 64 lanes), decided exactly as in the 512-lane kernel (each lane of each site
    /// with its own bits) and written back. Same lanes, same chains; only the order in which random words are used differs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RowEightSites(ref EightSiteRandom random, ref EightSiteRandom random2, int y, int colour)
    {
        bool heatBath = Rule == MultispinRule.HeatBath;
        XoshiroWords<Word512> rng = random.Source, rngB = random2.Source;   // local copies stay in registers
        int l = _l;
        ref ulong spins = ref Unsafe.As<TWord, ulong>(ref MemoryMarshal.GetArrayDataReference(_spins));
        ref Word512 masks = ref MemoryMarshal.GetArrayDataReference(_masks512);
        int bits = _thresholdBits, rounds = _eightSiteRounds;
        ref ulong row = ref Unsafe.Add(ref spins, y * l);
        ref ulong upRow = ref Unsafe.As<TWord, ulong>(ref RowAbove(y));
        ref ulong downRow = ref Unsafe.As<TWord, ulong>(ref RowBelow(y));
        int x0 = (y + colour) & 1;
        var even = Vector512.Create(0UL, 2, 4, 6, 8, 10, 12, 14);
        var centreIndex = x0 == 0 ? even : even + Vector512<ulong>.One;
        var otherIndex = x0 == 0 ? even + Vector512<ulong>.One : even;
        // element i ← other[i − 1] (element 0 ← the word before the window), or other[i + 1] (element 7 ← the word after).
        var shiftUp = Vector512.Create(8UL, 0, 1, 2, 3, 4, 5, 6);
        var shiftDown = Vector512.Create(1UL, 2, 3, 4, 5, 6, 7, 8);
        // Write-back: window element k is site k/2 of the result where k ≡ x₀ (mod 2), else unchanged (index 8 + k).
        Vector512<ulong> storeLow = default, storeHigh = default;
        for (int k = 0; k < 8; k++)
        {
            storeLow = storeLow.WithElement(k, (k & 1) == x0 ? (ulong)(k >> 1) : (ulong)(8 + k));
            storeHigh = storeHigh.WithElement(k, (k & 1) == x0 ? (ulong)(4 + (k >> 1)) : (ulong)(8 + k));
        }
        for (int w = 0; w < l; w += 16)
        {
            Vector512<ulong> e = Vector512.LoadUnsafe(ref row, (nuint)w), f = Vector512.LoadUnsafe(ref row, (nuint)(w + 8));
            var s = new Word512(Avx512F.PermuteVar8x64x2(e, centreIndex, f));
            Vector512<ulong> other = Avx512F.PermuteVar8x64x2(e, otherIndex, f), left, right;
            if (x0 == 0)
            {
                right = other;
                left = Avx512F.PermuteVar8x64x2(other, shiftUp, Vector512.Create(Unsafe.Add(ref row, w == 0 ? l - 1 : w - 1)));
            }
            else
            {
                left = other;
                right = Avx512F.PermuteVar8x64x2(other, shiftDown, Vector512.Create(Unsafe.Add(ref row, w + 16 == l ? 0 : w + 16)));
            }
            var up = Avx512F.PermuteVar8x64x2(Vector512.LoadUnsafe(ref upRow, (nuint)w), centreIndex, Vector512.LoadUnsafe(ref upRow, (nuint)(w + 8)));
            var down = Avx512F.PermuteVar8x64x2(Vector512.LoadUnsafe(ref downRow, (nuint)w), centreIndex, Vector512.LoadUnsafe(ref downRow, (nuint)(w + 8)));
            Vector512<ulong> updated;
            if (heatBath)
            {
                // As HeatBathRow, on the neighbours' spins themselves (written out in both: a shared generic helper
                // made the JIT keep HeatBathRow's vector words in memory, 3× slower for 128 and 512 lanes).
                Word512 a = new(left), b = new(right), c = new(up), d = new(down);
                Word512 s1 = a ^ b, c1 = a & b, s2 = c ^ d, c2 = c & d;
                Word512 allFour = (c1 & c2) | ~(a | b | c | d);
                Word512 majorityUp = (c1 & c2) | ((s1 ^ s2) & (c1 | c2));
                Word512 need = (s1 ^ s2) | allFour;
                Word512 follow = DecideWide(Word512.Zero, need, allFour, ref masks, rounds, bits, ref rng, ref rngB);
                updated = Word512.Select(need, ~(majorityUp ^ follow), rng.NextWord()).Bits;
            }
            else
            {
                Word512 a = s ^ new Word512(left), b = s ^ new Word512(right), c = s ^ new Word512(up), d = s ^ new Word512(down);
                Word512 s1 = a ^ b, c1 = a & b, s2 = c ^ d, c2 = c & d;
                Word512 carry = c1 | c2;
                Word512 flip = carry | (s1 & s2);                 // m ≥ 2
                Word512 need = ~flip;
                if (!Word512.IsZero(need))
                {
                    Word512 one = Word512.AndNot(s1 ^ s2, carry);
                    flip = DecideWide(flip, need, one, ref masks, rounds, bits, ref rng, ref rngB);
                }
                updated = (s ^ flip).Bits;
            }
            Avx512F.PermuteVar8x64x2(updated, storeLow, e).StoreUnsafe(ref row, (nuint)w);
            Avx512F.PermuteVar8x64x2(updated, storeHigh, f).StoreUnsafe(ref row, (nuint)(w + 8));
        }
        random.Source = rng;
        random2.Source = rngB;
    }

    /// <summary>
    /// The vector kernels' decision (see <see cref="MetropolisRow"/>): each lane of <paramref name="need"/> compares its
    /// own uniform U with p (class <paramref name="one"/> or not) on the first <paramref name="rounds"/> bits, least
    /// significant first, with words from both generators in turn; lanes still tied continue bit by bit, most
    /// significant first, up to p's last set bit. Returns <paramref name="flip"/> with the accepted lanes added.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TW DecideWide<TW, TR>(TW flip, TW need, TW one, ref TW masks, int rounds, int bits, ref TR rng, ref TR rngB)
        where TW : unmanaged, ISpinWord<TW>
        where TR : struct, IWordRandom<TW>
    {
        TW less = TW.Zero, equal = need;
        ref TW m = ref Unsafe.Add(ref masks, 2 * (rounds - 1));
        rng.Reserve(rounds);
        rngB.Reserve(rounds);
        int j = rounds;
        for (; j >= 2; j -= 2)   // unrolled by two, one word from each generator
        {
            TW r0 = rng.NextReservedWord(), r1 = rngB.NextReservedWord();
            TW p = TW.Select(one, m, Unsafe.Add(ref m, 1));
            less = TW.SelectWhereDiffer(r0, p, less);
            equal = TW.AndEqual(equal, r0, p);
            p = TW.Select(one, Unsafe.Subtract(ref m, 2), Unsafe.Subtract(ref m, 1));
            less = TW.SelectWhereDiffer(r1, p, less);
            equal = TW.AndEqual(equal, r1, p);
            m = ref Unsafe.Subtract(ref m, 4);
        }
        if (j > 0)
        {
            TW r = rng.NextReservedWord();
            TW p = TW.Select(one, m, Unsafe.Add(ref m, 1));
            less = TW.SelectWhereDiffer(r, p, less);
            equal = TW.AndEqual(equal, r, p);
        }
        return BreakTies(TW.OrAnd(flip, need, less), equal, one, ref masks, rounds, bits, ref rng);
    }

    /// <summary>Lanes of <paramref name="equal"/>, whose first <paramref name="rounds"/> bits of U tie with p's, compare
    /// further bits, most significant first, until each is decided or p has no set bit left (then U ≥ p: reject);
    /// returns <paramref name="flip"/> with the accepted lanes added.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TW BreakTies<TW, TR>(TW flip, TW equal, TW one, ref TW masks, int rounds, int bits, ref TR rng)
        where TW : unmanaged, ISpinWord<TW>
        where TR : struct, IWordRandom<TW>
    {
        if (TW.IsZero(equal)) return flip;
        for (int j = rounds; j < bits; j++)
        {
            rng.Reserve(1);
            TW r = rng.NextReservedWord();
            TW p = TW.Select(one, Unsafe.Add(ref masks, 2 * j), Unsafe.Add(ref masks, 2 * j + 1));
            flip = TW.OrAnd(flip, equal, TW.AndNot(p, r));   // first differing bit: U bit 0, p bit 1 → U < p
            equal = TW.AndEqual(equal, r, p);
            if (TW.IsZero(equal)) break;
        }
        return flip;
    }

    /// <summary>
    /// Heat bath on the sites of one colour in row y: with n = 0..4 up neighbours (local field h = 2n − 4), the spin is
    /// set up with probability q_n = 1/(1 + e^{−2h/T}). Since q_{4−n} = 1 − q_n, a lane with n ≠ 2 follows the majority
    /// of its neighbours (up for n ≥ 3, down for n ≤ 1) where its own U &lt; q_{max(n, 4−n)}, and takes the other value
    /// otherwise: the same two-class decision as Metropolis (class 0: q₄, all four neighbours agree; class 1: q₃), exact
    /// in the same way. A lane with n = 2 (q₂ = 1/2) takes one fresh random bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void HeatBathRow(ref TRandom random, ref TRandom random2, int y, int colour)
    {
        TRandom rng = random, rngB = random2;   // local copies stay in registers
        int l = _l;
        ref TWord spins = ref MemoryMarshal.GetArrayDataReference(_spins);
        ref TWord masks = ref MemoryMarshal.GetArrayDataReference(_thresholdMasks);
        int bits = _thresholdBits, rounds = _fixedRounds;
        int row = y * l;
        ref TWord upRow = ref RowAbove(y), downRow = ref RowBelow(y);
        for (int x = (y + colour) & 1; x < l; x += 2)
        {
            int left = x == 0 ? l - 1 : x - 1;
            int right = x == l - 1 ? 0 : x + 1;
            TWord a = Unsafe.Add(ref spins, row + left);
            TWord b = Unsafe.Add(ref spins, row + right);
            TWord c = Unsafe.Add(ref upRow, x);
            TWord d = Unsafe.Add(ref downRow, x);
            TWord s1 = a ^ b, c1 = a & b, s2 = c ^ d, c2 = c & d;
            TWord odd = s1 ^ s2;                               // n = 1 or 3
            TWord allFour = (c1 & c2) | ~(a | b | c | d);     // n = 4 or 0: class 0
            TWord majorityUp = (c1 & c2) | (odd & (c1 | c2));  // n = 4 or 3
            TWord need = odd | allFour;                        // n ≠ 2
            TWord follow = Decide(TWord.Zero, need, allFour, ref masks, rounds, bits, ref rng, ref rngB);
            rng.Reserve(1);
            TWord coin = rng.NextReservedWord();                // n = 2
            Unsafe.Add(ref spins, row + x) = TWord.Select(need, ~(majorityUp ^ follow), coin);
        }
        random = rng;
        random2 = rngB;
    }

    /// <inheritdoc />
    public void CountLanes(Span<int> antiAlignedHorizontal, Span<int> antiAlignedVertical, Span<int> upSpins)
    {
        int n = _l * _h;
        int planes = 1;
        while ((1 << planes) <= n) planes++;
        var h = new TWord[planes];
        var v = new TWord[planes];
        var m = new TWord[planes];
        for (int y = 0; y < _h; y++)
        {
            int row = y * _l, down = (y == _h - 1 ? 0 : y + 1) * _l;
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
    public (long AntiAligned, long Up) CountLattice()
    {
        if (_ghostBelow == null) throw new InvalidOperationException("CountLattice is for the strip layout; use CountLanes for replicas.");
        long anti = 0, up = 0;
        ReadOnlySpan<ulong> bits = MemoryMarshal.Cast<TWord, ulong>(_spins);
        ReadOnlySpan<ulong> below = MemoryMarshal.Cast<TWord, ulong>(_ghostBelow);
        int e = TWord.Elements, rowElements = _l * e;
        for (int y = 0; y < _h; y++)
        {
            ReadOnlySpan<ulong> row = bits.Slice(y * rowElements, rowElements);
            ReadOnlySpan<ulong> next = y < _h - 1 ? bits.Slice((y + 1) * rowElements, rowElements) : below;
            for (int i = 0; i < rowElements; i++)
            {
                ulong s = row[i];
                ulong right = row[(i + e) % rowElements];   // the same element of the next site (wrapping)
                anti += System.Numerics.BitOperations.PopCount(s ^ right) + System.Numerics.BitOperations.PopCount(s ^ next[i]);
                up += System.Numerics.BitOperations.PopCount(s);
            }
        }
        return (anti, up);
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
        RefreshGhostRows(0);
        RefreshGhostRows(1);
    }
}
