using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;
using Rsmi.Models.Ising.Multispin;

namespace Rsmi.Benchmarks;

/// <summary>
/// The machine's rate for the 512-bit instructions the multispin kernels are made of, as a ceiling for them:
/// each benchmark runs <see cref="Iterations"/> loop iterations of independent instruction chains (no loads or
/// stores). 512-bit instructions per ns = instructions per iteration × Iterations / mean time:
/// <see cref="XoshiroWords"/> 2 × 9 (two xoshiro256++ generators, as the kernels interleave them) + 2 (xor into a
/// sink), <see cref="TernaryLogic"/> 8, <see cref="RotateAndShift"/> 6. Needs AVX-512 (returns at once otherwise).
/// Run: <c>dotnet run -c Release --project bench/Rsmi.Benchmarks -- --filter '*VectorThroughput*'</c>.
/// </summary>
public class VectorThroughputBenchmarks
{
    /// <summary>Loop iterations per benchmark call.</summary>
    public const int Iterations = 1_000_000;

    private XoshiroWords<Word512> _a = new(1, 0), _b = new(1, 1);

    /// <summary>Two interleaved 512-bit xoshiro256++ generators, as in the kernels: 20 instructions per iteration.</summary>
    [Benchmark]
    public Vector512<ulong> XoshiroWords()
    {
        var a = _a; var b = _b;
        var sink = Vector512<ulong>.Zero;
        for (int i = 0; i < Iterations; i++) sink ^= a.NextWord().Bits ^ b.NextWord().Bits;
        _a = a; _b = b;
        return sink;
    }

    /// <summary>Eight independent chains of three-input logic and plain logic: 8 instructions per iteration.</summary>
    [Benchmark]
    public Vector512<ulong> TernaryLogic()
    {
        if (!Avx512F.IsSupported) return default;
        var a = Vector512.Create(1UL); var b = a + a; var c = b + a; var d = c + a; var e = d + a; var f = e + a; var g = f + a; var h = g + a;
        for (int i = 0; i < Iterations; i++)
        {
            a = Avx512F.TernaryLogic(a, b, c, 0x96); d = Avx512F.TernaryLogic(d, e, f, 0xCA);
            g = Avx512F.TernaryLogic(g, h, b, 0x8E); h = Avx512F.TernaryLogic(h, c, e, 0x90);
            b ^= f; e &= c; c |= h; f = Vector512.AndNot(f, g);
        }
        return a ^ b ^ c ^ d ^ e ^ f ^ g ^ h;
    }

    /// <summary>Six independent chains of rotates and shifts: 6 instructions per iteration.</summary>
    [Benchmark]
    public Vector512<ulong> RotateAndShift()
    {
        if (!Avx512F.IsSupported) return default;
        var a = Vector512.Create(1UL); var b = a + a; var c = b + a; var d = c + a; var e = d + a; var f = e + a;
        for (int i = 0; i < Iterations; i++)
        {
            a = Avx512F.RotateLeft(a, 3); b = Avx512F.RotateLeft(b, 5); c = Vector512.ShiftLeft(c, 7);
            d = Avx512F.RotateLeft(d, 9); e = Avx512F.RotateLeft(e, 11); f = Vector512.ShiftLeft(f, 13);
        }
        return a ^ b ^ c ^ d ^ e ^ f;
    }
}
