using System.Runtime.CompilerServices;
using Rsmi.Random;

namespace Rsmi.Renormalization;

/// <summary>
/// A rule mapping the spins of one bx × by (× bz) block V (row-major over the block, ±1) to N_h coarse spins
/// h = ±1. Implemented by structs so that <see cref="CoarseGrainer"/> is specialised per rule by the JIT and its
/// hot loop makes no virtual calls. Stochastic rules draw from the random source passed to them; deterministic ones ignore it.
/// </summary>
public interface IBlockRule
{
    /// <summary>Coarse spins of one block: <paramref name="block"/> has bx·by(·bz) values, <paramref name="hidden"/> N_h.</summary>
    void Apply<TRandom>(ReadOnlySpan<sbyte> block, Span<sbyte> hidden, ref TRandom rng) where TRandom : struct, IRandomSource;
}

/// <summary>
/// Majority rule (Kadanoff block spin): h = sign(Σ_{i∈V} v_i), with a fair coin for ties (even blocks).
/// Niemeijer &amp; van Leeuwen; Swendsen, PRL 42, 859 (1979).
/// </summary>
public readonly struct MajorityBlockRule : IBlockRule
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply<TRandom>(ReadOnlySpan<sbyte> block, Span<sbyte> hidden, ref TRandom rng) where TRandom : struct, IRandomSource
    {
        int sum = 0;
        for (int i = 0; i < block.Length; i++) sum += block[i];
        hidden[0] = sum > 0 ? (sbyte)1 : sum < 0 ? (sbyte)-1 : (sbyte)((rng.NextUInt64() >> 63) == 0 ? 1 : -1);
    }
}

/// <summary>
/// Plurality rule, the majority rule of q-state labels (docs/algorithm.md, "Coarse-graining"): h = the label most
/// frequent in the block, a tie among k labels broken uniformly at random (one draw, k·u with u a 64-bit fraction).
/// For q = 2 it is the majority rule up to the labelling of the two states.
/// </summary>
public readonly struct PluralityBlockRule(int q) : IBlockRule
{
    /// <summary>Number of labels q (values 0 … q − 1).</summary>
    public int States { get; } = q;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply<TRandom>(ReadOnlySpan<sbyte> block, Span<sbyte> hidden, ref TRandom rng) where TRandom : struct, IRandomSource
    {
        Span<int> counts = stackalloc int[States];
        counts.Clear();
        for (int i = 0; i < block.Length; i++) counts[block[i]]++;
        int best = 0, ties = 0;
        for (int c = 0; c < counts.Length; c++)
        {
            if (counts[c] > best) { best = counts[c]; ties = 1; }
            else if (counts[c] == best) ties++;
        }
        int pick = ties == 1 ? 0 : (int)(((UInt128)rng.NextUInt64() * (ulong)ties) >> 64);
        for (int c = 0; c < counts.Length; c++)
            if (counts[c] == best && pick-- == 0) { hidden[0] = (sbyte)c; return; }
    }
}

/// <summary>Decimation: h = v of the block's top-left site (index 0 of the row-major block; in 3D the corner of smallest x, y and z).</summary>
public readonly struct DecimationBlockRule : IBlockRule
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply<TRandom>(ReadOnlySpan<sbyte> block, Span<sbyte> hidden, ref TRandom rng) where TRandom : struct, IRandomSource
        => hidden[0] = block[0];
}

/// <summary>
/// The RSMI rule of a learned filter set (Koch-Janusz &amp; Ringel 2018, eq. for P_Λ(H|V); docs/algorithm.md, "The coarse-graining rule"):
/// P_Λ(h|V) = Π_j exp(h_j a_j) / (2 cosh a_j), a_j = Σ_i λ_ij v_i + c_j, so P(h_j = +1 | V) = σ(2 a_j).
/// In <see cref="FilterMode.Sample"/> each h_j is drawn from that law; in <see cref="FilterMode.Sign"/> h_j = sign(a_j)
/// with a fair coin when a_j = 0.
/// </summary>
public readonly struct FilterBlockRule : IBlockRule
{
    private readonly double[] _weights; // N_h rows of |V|
    private readonly double[] _bias;
    private readonly int _visible;
    private readonly bool _sign;

    /// <summary>Weights λ as N_h rows of |V| values (row-major over the block), biases c (N_h).</summary>
    public FilterBlockRule(double[] weights, double[] bias, int visible, FilterMode mode)
    {
        _weights = weights; _bias = bias; _visible = visible; _sign = mode == FilterMode.Sign;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply<TRandom>(ReadOnlySpan<sbyte> block, Span<sbyte> hidden, ref TRandom rng) where TRandom : struct, IRandomSource
    {
        for (int j = 0; j < hidden.Length; j++)
        {
            var row = _weights.AsSpan(j * _visible, _visible);
            double a = _bias[j];
            for (int i = 0; i < row.Length; i++) a += row[i] * block[i];
            if (_sign)
            {
                hidden[j] = a > 0 ? (sbyte)1 : a < 0 ? (sbyte)-1 : (sbyte)((rng.NextUInt64() >> 63) == 0 ? 1 : -1);
            }
            else
            {
                // P(h = +1) = σ(2a) = 1 / (1 + e^{−2a}).
                double pUp = 1.0 / (1.0 + Math.Exp(-2.0 * a));
                hidden[j] = rng.NextDouble() < pUp ? (sbyte)1 : (sbyte)-1;
            }
        }
    }
}

/// <summary>How a learned filter set produces coarse spins.</summary>
public enum FilterMode
{
    /// <summary>Draw h from P_Λ(h|V) (the paper's stochastic coarse-graining).</summary>
    Sample,
    /// <summary>h = sign(a), ties broken by a fair coin.</summary>
    Sign,
}
