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

/// <summary>
/// The rule of learned filters whose sites or coarse variables are not ±1 (docs/algorithm.md, "The coarse-graining rule"):
/// a block of q-state labels is read as its one-hot features (F = q, so λ·x is the sum over sites of the weight of
/// each site's label), a block of ±1 spins as the spins (F = 1); the coarse variable is a label. A binary unit
/// (P(h_j = +1) = σ(2 a_j)) gives label 1 for h_j = +1 and 0 for h_j = −1; a categorical unit of q_h states, with
/// P(h_j = s) = e^{a_js} / Σ_t e^{a_jt}, gives its state. <see cref="FilterMode.Sign"/> takes the most probable state
/// (sign(a_j), or argmax_s a_js), ties broken uniformly among the tied states (one draw, as the plurality rule);
/// <see cref="FilterMode.Sample"/> draws the state from its probabilities.
/// </summary>
public readonly struct LabelFilterBlockRule : IBlockRule
{
    private readonly double[] _weights, _bias;
    private readonly int _sites, _features, _states, _rows;
    private readonly bool _sign;

    /// <summary>The rule of <paramref name="filters"/> (kept by reference: the caller must not change them).</summary>
    public LabelFilterBlockRule(Rsmi.Filters.FilterParameters filters, FilterMode mode)
    {
        _weights = filters.Weights; _bias = filters.Bias; _sites = filters.Visible; _features = filters.FeaturesPerSite;
        _states = filters.HiddenStates; _rows = filters.StateRows; _sign = mode == FilterMode.Sign;
    }

    /// <summary>a = Σ_i λ_i x_i + c for weight row <paramref name="row"/>, x the features of the block's sites.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Activation(ReadOnlySpan<sbyte> block, int row)
    {
        int inputs = _sites * _features, offset = row * inputs;
        double a = _bias[row];
        if (_features == 1) for (int i = 0; i < block.Length; i++) a += _weights[offset + i] * block[i];
        else for (int i = 0; i < block.Length; i++) a += _weights[offset + i * _features + block[i]];
        return a;
    }

    /// <inheritdoc />
    public void Apply<TRandom>(ReadOnlySpan<sbyte> block, Span<sbyte> hidden, ref TRandom rng) where TRandom : struct, IRandomSource
    {
        Span<double> a = stackalloc double[_states];
        for (int j = 0; j < hidden.Length; j++)
        {
            if (_rows == 1)
            {
                double x = Activation(block, j);
                if (_sign) hidden[j] = x > 0 ? (sbyte)1 : x < 0 ? (sbyte)0 : (sbyte)((rng.NextUInt64() >> 63) == 0 ? 1 : 0);
                else hidden[j] = rng.NextDouble() < 1.0 / (1.0 + Math.Exp(-2.0 * x)) ? (sbyte)1 : (sbyte)0;
                continue;
            }
            double max = double.NegativeInfinity;
            for (int s = 0; s < _states; s++) { a[s] = Activation(block, j * _rows + s); max = Math.Max(max, a[s]); }
            if (_sign)
            {
                int ties = 0;
                for (int s = 0; s < _states; s++) if (a[s] == max) ties++;
                int pick = ties == 1 ? 0 : (int)(((UInt128)rng.NextUInt64() * (ulong)ties) >> 64);
                for (int s = 0; s < _states; s++)
                    if (a[s] == max && pick-- == 0) { hidden[j] = (sbyte)s; break; }
            }
            else
            {
                double sum = 0;
                for (int s = 0; s < _states; s++) { a[s] = Math.Exp(a[s] - max); sum += a[s]; }
                double u = rng.NextDouble() * sum;
                int state = _states - 1;
                for (int s = 0; s < _states - 1; s++) { u -= a[s]; if (u < 0) { state = s; break; } }
                hidden[j] = (sbyte)state;
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
