using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Rsmi.Models.Ising.Exact;
using Rsmi.Models.Ising.Multispin;
using V = System.Runtime.Intrinsics.Vector512<ulong>;

namespace Rsmi.Benchmarks;

/// <summary>
/// Design experiments behind the "≥ 30 flips/ns on one core" figure of BENCHMARKS.md: a stripped-down copy of the
/// 512-lane checkerboard Metropolis kernel (L = 128, T_c, one thread, no blocks or threads, raw AVX-512), timed
/// with three sources of random words (xoshiro256++, RomuTrio, and a ring of precomputed words that costs only a
/// load and is useless for sampling), and a variant that hands fresh random bytes only to the bytes of the word
/// that still hold undecided lanes (<c>vpexpandb</c>), after F full rounds. Prints flips/ns (median of the
/// repetitions) and the energy per site averaged over the 512 lanes at the end, a rough check that the exact
/// variants sample the same distribution. Needs AVX-512 with VBMI2. Run:
/// <c>dotnet run -c Release --project bench/Rsmi.Benchmarks -- kernel-experiments [repetitions]</c>.
/// </summary>
public static unsafe class KernelExperiments
{
    private const int L = 128;
    private const int Sweeps = 500;
    private const int FixedRounds = 12;   // log₂ 512 + 3, as in the library
    private const int Bits = 53;           // p as a 53-bit fixed-point number
    private const double Tc = Ising2D.CriticalTemperature;

    public static void Run(int repetitions)
    {
        if (!Avx512F.IsSupported || !Avx512BW.IsSupported || !Avx512Vbmi2.IsSupported || !Avx512DQ.IsSupported)
        {
            Console.WriteLine("kernel-experiments needs AVX-512 (F, BW, DQ, VBMI2); this machine lacks it.");
            return;
        }
        Console.WriteLine($"512-lane Metropolis kernel copies, L = {L}, T_c, one thread, {Sweeps} sweeps per repetition, medians of {repetitions}");
        Report("12 rounds, xoshiro256++ words", repetitions, seed => { var x = new Experiment(seed); var a = new XoshiroSource(seed, 0); var b = new XoshiroSource(seed, 1); return (() => x.Sweep(ref a, ref b), x.EnergyPerSite); });
        Report("12 rounds, RomuTrio words", repetitions, seed => { var x = new Experiment(seed); var a = new RomuSource(seed, 0); var b = new RomuSource(seed, 1); return (() => x.Sweep(ref a, ref b), x.EnergyPerSite); });
        Report("12 rounds, ring of precomputed words (timing only)", repetitions, seed => { var x = new Experiment(seed); var a = new RingSource(seed, 0); var b = new RingSource(seed, 1); return (() => x.Sweep(ref a, ref b), x.EnergyPerSite); });
        foreach (int full in new[] { 2, 3, 4 })
            Report($"{full} full rounds, then vpexpandb bytes", repetitions, seed => { var x = new Experiment(seed); return (() => x.SweepCompacted(full), x.EnergyPerSite); });
    }

    private static void Report(string name, int repetitions, Func<ulong, (Action Sweep, Func<double> Energy)> make)
    {
        var (sweep, energy) = make(1);
        for (int i = 0; i < 1000; i++) sweep();   // warm-up: about a second, past the JIT's tiers
        var rates = new List<double>();
        for (int r = 0; r < repetitions; r++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < Sweeps; i++) sweep();
            rates.Add((double)Sweeps * L * L * 512 / clock.Elapsed.TotalNanoseconds);
        }
        rates.Sort();
        Console.WriteLine($"{name,-52} {rates[rates.Count / 2],7:F2} flips/ns   energy per site {energy():F5}   (runs: {string.Join(", ", rates.Select(x => x.ToString("F2")))})");
    }

    /// <summary>xoshiro256++ in each 64-bit element, as <see cref="XoshiroWords{TWord}"/>, with the state held as plain
    /// vectors (the JIT keeps them in registers in this kernel; the library's struct of words it kept in memory here).</summary>
    private struct XoshiroSource : IWordRandom<Word512>
    {
        private V _s0, _s1, _s2, _s3;
        public XoshiroSource(ulong seed, ulong stream)
        {
            var s = new XoshiroWords<Word512>(seed, 10 + stream);
            _s0 = s.NextWord().Bits; _s1 = s.NextWord().Bits; _s2 = s.NextWord().Bits; _s3 = s.NextWord().Bits;
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Word512 NextWord()
        {
            V s0 = _s0, s1 = _s1, s2 = _s2, s3 = _s3;
            V result = Avx512F.RotateLeft(s0 + s3, 23) + s0;
            V t = s1 << 17;
            _s2 = Avx512F.TernaryLogic(s2, s0, t, 0x96);
            _s1 = Avx512F.TernaryLogic(s1, _s2, s0, 0x96);
            _s0 = Avx512F.TernaryLogic(s0, s3, _s1, 0x96);
            _s3 = Avx512F.RotateLeft(s3 ^ _s1, 45);
            return new Word512(result);
        }
        public void Reserve(int words) { }
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public Word512 NextReservedWord() => NextWord();
    }

    /// <summary>RomuTrio (Overton, arXiv:2002.11331) in each 64-bit element. Its own copy, with plain vector fields: the
    /// Word512-field version of MultispinRandomCostBenchmarks stays in memory in this kernel (8.0 flips/ns against 23.0),
    /// as this one does in the library's.</summary>
    private struct RomuSource : IWordRandom<Word512>
    {
        private V _x, _y, _z;
        public RomuSource(ulong seed, ulong stream)
        {
            var s = new XoshiroWords<Word512>(seed, 20 + stream);
            _x = s.NextWord().Bits; _y = s.NextWord().Bits; _z = s.NextWord().Bits;
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Word512 NextWord()
        {
            V x = _x, y = _y, z = _z;
            _x = Avx512DQ.MultiplyLow(z, Vector512.Create(15241094284759029579UL));
            _y = Avx512F.RotateLeft(y - x, 12);
            _z = Avx512F.RotateLeft(z - y, 44);
            return new Word512(x);
        }
        public void Reserve(int words) { }
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public Word512 NextReservedWord() => NextWord();
    }

    private struct RingSource : IWordRandom<Word512>
    {
        private readonly V* _ring;
        private int _position;
        public RingSource(ulong seed, ulong stream)
        {
            _ring = (V*)NativeMemory.AlignedAlloc(1024 * 64, 64);
            var s = new XoshiroWords<Word512>(seed, 30 + stream);
            for (int i = 0; i < 1024; i++) _ring[i] = s.NextWord().Bits;
            _position = 0;
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Word512 NextWord() { V r = _ring[_position]; _position = (_position + 1) & 1023; return new Word512(r); }
        public void Reserve(int words) { }
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public Word512 NextReservedWord() => NextWord();
    }

    private sealed class Experiment
    {
        private const int StreamBytes = 1 << 16;
        private readonly V* _spins = (V*)NativeMemory.AlignedAlloc(L * L * 64, 64);
        private readonly ulong[] _p4 = new ulong[Bits], _p8 = new ulong[Bits];   // bit j of p (most significant first), as all-ones or zero
        private readonly byte*[] _streams = new byte*[Bits];
        private readonly int[] _used = new int[Bits];
        private XoshiroWords<Word512> _fill, _full;

        public Experiment(ulong seed)
        {
            for (int i = 0; i < L * L; i++) _spins[i] = V.AllBitsSet;
            ulong q4 = (ulong)(Math.Exp(-4 / Tc) * (1UL << Bits)), q8 = (ulong)(Math.Exp(-8 / Tc) * (1UL << Bits));
            for (int j = 0; j < Bits; j++)
            {
                _p4[j] = ((q4 >> (Bits - 1 - j)) & 1) != 0 ? ulong.MaxValue : 0;
                _p8[j] = ((q8 >> (Bits - 1 - j)) & 1) != 0 ? ulong.MaxValue : 0;
                _streams[j] = (byte*)NativeMemory.AlignedAlloc(StreamBytes, 64);
                _used[j] = StreamBytes;
            }
            _fill = new XoshiroWords<Word512>(seed, 3);
            _full = new XoshiroWords<Word512>(seed, 4);
        }

        public double EnergyPerSite()
        {
            long anti = 0;
            for (int y = 0; y < L; y++)
            for (int x = 0; x < L; x++)
            {
                V s = _spins[y * L + x];
                V d = (s ^ _spins[y * L + (x + 1) % L]), e = (s ^ _spins[(y + 1) % L * L + x]);
                for (int k = 0; k < 8; k++) anti += (long)(ulong.PopCount(d.GetElement(k)) + ulong.PopCount(e.GetElement(k)));
            }
            double n = (double)L * L * 512;
            return -2 + 2 * anti / n;
        }

        public void Sweep<TSource>(ref TSource a, ref TSource b) where TSource : struct, IWordRandom<Word512>
        {
            for (int colour = 0; colour < 2; colour++)
                for (int y = 0; y < L; y++) Row(ref a, ref b, y, colour);
        }

        public void SweepCompacted(int full)
        {
            for (int colour = 0; colour < 2; colour++)
                for (int y = 0; y < L; y++)
                {
                    for (int j = full; j < Bits; j++)   // at most 64 bytes per site and round: refill below one row's worth
                        if (_used[j] > StreamBytes - 64 * L / 2) Refill(j);
                    RowCompacted(y, colour, full);
                }
        }

        private void Refill(int j)
        {
            V* words = (V*)_streams[j];
            for (int i = 0; i < StreamBytes / 64; i++) words[i] = _fill.NextWord().Bits;
            _used[j] = 0;
        }

        /// <summary>The neighbour logic of the library kernel: flip = lanes with ≥ 2 anti-aligned neighbours (ΔE ≤ 0),
        /// one = exactly one (ΔE = 4); the rest (none, ΔE = 8) and <c>one</c> need a random decision.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (V S, V Flip, V One) Neighbours(V* row, V* up, V* down, int x)
        {
            int left = x == 0 ? L - 1 : x - 1, right = x == L - 1 ? 0 : x + 1;
            V s = row[x];
            V a = s ^ row[left], b = s ^ row[right], c = s ^ up[x], d = s ^ down[x];
            V s1 = a ^ b, c1 = a & b, s2 = c ^ d, c2 = c & d;
            V carry = c1 | c2;
            return (s, carry | (s1 & s2), Vector512.AndNot(s1 ^ s2, carry));
        }

        /// <summary>Library scheme: 12 rounds least significant bit first without branches, words from two generators in
        /// turn, then ties bit by bit.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Row<TSource>(ref TSource source, ref TSource source2, int y, int colour) where TSource : struct, IWordRandom<Word512>
        {
            TSource rng = source, rngB = source2;
            V* row = _spins + y * L, up = _spins + (y == 0 ? L - 1 : y - 1) * L, down = _spins + (y == L - 1 ? 0 : y + 1) * L;
            fixed (ulong* p4 = _p4, p8 = _p8)
            for (int x = (y + colour) & 1; x < L; x += 2)
            {
                var (s, flip, one) = Neighbours(row, up, down, x);
                V need = ~flip, less = V.Zero, equal = need;
                for (int j = FixedRounds - 1; j >= 1; j -= 2)
                {
                    V r0 = rng.NextWord().Bits, r1 = rngB.NextWord().Bits;
                    V p = Avx512F.TernaryLogic(one, Vector512.Create(p4[j]), Vector512.Create(p8[j]), 0xCA);
                    less = Avx512F.TernaryLogic(r0, p, less, 0x8E);
                    equal = Avx512F.TernaryLogic(equal, r0, p, 0x90);
                    p = Avx512F.TernaryLogic(one, Vector512.Create(p4[j - 1]), Vector512.Create(p8[j - 1]), 0xCA);
                    less = Avx512F.TernaryLogic(r1, p, less, 0x8E);
                    equal = Avx512F.TernaryLogic(equal, r1, p, 0x90);
                }
                flip |= need & less;
                for (int j = FixedRounds; j < Bits && equal != V.Zero; j++)
                {
                    V r = rng.NextWord().Bits;
                    V p = Avx512F.TernaryLogic(one, Vector512.Create(p4[j]), Vector512.Create(p8[j]), 0xCA);
                    flip = Avx512F.TernaryLogic(flip, equal, Vector512.AndNot(p, r), 0xF8);
                    equal = Avx512F.TernaryLogic(equal, r, p, 0x90);
                }
                row[x] = s ^ flip;
            }
            source = rng;
            source2 = rngB;
        }

        /// <summary>Most significant bit first: <paramref name="full"/> rounds on whole random words, then each round
        /// expands fresh bytes (its own stream) into the bytes that still hold an undecided lane.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RowCompacted(int y, int colour, int full)
        {
            var rng = _full;
            V* row = _spins + y * L, up = _spins + (y == 0 ? L - 1 : y - 1) * L, down = _spins + (y == L - 1 ? 0 : y + 1) * L;
            byte** next = stackalloc byte*[Bits];
            for (int j = full; j < Bits; j++) next[j] = _streams[j] + _used[j];
            fixed (ulong* p4 = _p4, p8 = _p8)
            for (int x = (y + colour) & 1; x < L; x += 2)
            {
                var (s, flip, one) = Neighbours(row, up, down, x);
                V undecided = ~flip;
                int j = 0;
                for (; j < full; j++) Compare(ref flip, ref undecided, one, rng.NextWord().Bits, p4[j], p8[j]);
                // Rounds up to 12 without branches, as the library; then ties until decided.
                for (; j < FixedRounds; j++) Compare(ref flip, ref undecided, one, Expand(undecided, ref next[j]), p4[j], p8[j]);
                for (; j < Bits && undecided != V.Zero; j++) Compare(ref flip, ref undecided, one, Expand(undecided, ref next[j]), p4[j], p8[j]);
                row[x] = s ^ flip;
            }
            for (int j = full; j < Bits; j++) _used[j] = (int)(next[j] - _streams[j]);
            _full = rng;
        }

        /// <summary>Fresh random bytes from <paramref name="stream"/>, placed only into the bytes of the word that hold an
        /// undecided lane (the other bytes are zero and never read); advances the stream by the bytes used.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static V Expand(V undecided, ref byte* stream)
        {
            Vector512<byte> mask = Avx512BW.CompareNotEqual(undecided.AsByte(), Vector512<byte>.Zero);
            V r = Avx512Vbmi2.ExpandLoad(stream, mask, Vector512<byte>.Zero).AsUInt64();
            stream += ulong.PopCount(mask.ExtractMostSignificantBits());
            return r;
        }

        /// <summary>One round, most significant bit first: where U's bit is 0 and p's is 1 the lane accepts (U &lt; p);
        /// where they differ otherwise it rejects; where they agree it stays undecided.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Compare(ref V flip, ref V undecided, V one, V r, ulong p4, ulong p8)
        {
            V p = Avx512F.TernaryLogic(one, Vector512.Create(p4), Vector512.Create(p8), 0xCA);
            flip = Avx512F.TernaryLogic(flip, undecided, Vector512.AndNot(p, r), 0xF8);
            undecided = Avx512F.TernaryLogic(undecided, r, p, 0x90);
        }
    }
}
