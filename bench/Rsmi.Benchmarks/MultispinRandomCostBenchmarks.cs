using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;
using Rsmi.Models.Ising.Exact;
using Rsmi.Models.Ising.Multispin;

namespace Rsmi.Benchmarks;

/// <summary>
/// What the random words cost the 512-lane Metropolis kernel: one sweep at L = 128, T_c, of the library's engine
/// (<see cref="MultispinIsing2D{TWord, TRandom}"/>, the same code as <c>multispin-metropolis-512</c>) with three word
/// sources: the production xoshiro256++, RomuTrio (a cheaper published generator: one multiply, two subtractions,
/// two rotations per word), and a ring of 1024 precomputed words read in turn, which costs only a load. The last two
/// are for timing only and are never used for sampling (the ring repeats, so its samples are meaningless).
/// Flips per ns = 128² · 512 / (mean time per sweep). Needs AVX-512 for the kernel to run as measured.
/// Run: <c>dotnet run -c Release --project bench/Rsmi.Benchmarks -- --filter '*MultispinRandomCost*'</c>.
/// </summary>
public class MultispinRandomCostBenchmarks
{
    private const int Size = 128;
    private const double CriticalTemperature = Ising2D.CriticalTemperature;
    private IMultispinIsing2D _engine = null!;

    /// <summary>The word source.</summary>
    [Params("xoshiro256++", "romu-trio", "ring")]
    public string Source { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _engine = Source switch
        {
            "xoshiro256++" => new MultispinIsing2D<Word512, XoshiroWords<Word512>>(Size, CriticalTemperature, MultispinRule.Metropolis, b => new XoshiroWords<Word512>(1, (ulong)b)),
            "romu-trio" => new MultispinIsing2D<Word512, RomuTrioWords>(Size, CriticalTemperature, MultispinRule.Metropolis, b => new RomuTrioWords((ulong)b)),
            "ring" => new MultispinIsing2D<Word512, RingWords>(Size, CriticalTemperature, MultispinRule.Metropolis, b => new RingWords(b)),
            _ => throw new ArgumentException($"unknown source {Source}"),
        };
        _engine.Sweep(100);
    }

    /// <summary>One sweep of all 512 lanes on one thread.</summary>
    [Benchmark]
    public void Sweep() => _engine.Sweep(1);

    /// <summary>Timing stand-in: 1024 precomputed xoshiro256++ words read in a cycle, one load per word.</summary>
    private struct RingWords : IWordRandom<Word512>
    {
        private static readonly Word512[] Ring = MakeRing();
        private readonly Word512[] _ring;
        private int _position;

        public RingWords(int start)
        {
            _ring = Ring;
            _position = (start * 37) & (Ring.Length - 1);
        }

        private static Word512[] MakeRing()
        {
            var source = new XoshiroWords<Word512>(99, 0);
            var ring = new Word512[1024];
            for (int i = 0; i < ring.Length; i++) ring[i] = source.NextWord();
            return ring;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Word512 NextWord()
        {
            int p = _position;
            _position = (p + 1) & (Ring.Length - 1);
            return Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_ring), p);
        }

        public void Reserve(int words) { }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Word512 NextReservedWord() => NextWord();
    }

    /// <summary>RomuTrio (M. A. Overton, "Romu: fast nonlinear pseudo-random number generators providing high quality",
    /// arXiv:2002.11331) in each 64-bit element: x ← 15241094284759029579·z, y ← rotl(y − x, 12), z ← rotl(z − y, 44),
    /// output the old x. Timing only.</summary>
    private struct RomuTrioWords : IWordRandom<Word512>
    {
        private Word512 _x, _y, _z;

        public RomuTrioWords(ulong stream)
        {
            var seed = new XoshiroWords<Word512>(7, stream);
            _x = seed.NextWord(); _y = seed.NextWord(); _z = seed.NextWord();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Word512 NextWord()
        {
            Word512 x = _x, y = _y, z = _z;
            _x = new Word512(Avx512DQ.IsSupported ? Avx512DQ.MultiplyLow(z.Bits, Vector512.Create(15241094284759029579UL)) : z.Bits * Vector512.Create(15241094284759029579UL));
            _y = Word512.RotateLeft(new Word512(y.Bits - x.Bits), 12);
            _z = Word512.RotateLeft(new Word512(z.Bits - y.Bits), 44);
            return x;
        }

        public void Reserve(int words) { }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Word512 NextReservedWord() => NextWord();
    }
}
