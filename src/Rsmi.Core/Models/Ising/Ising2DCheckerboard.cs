using System.Runtime.CompilerServices;
using Rsmi.Random;

namespace Rsmi.Models.Ising;

/// <summary>
/// Single-spin-flip Metropolis for the 2D Ising model on an L × L torus (L even), swept in checkerboard
/// order: all sites with (x + y) even, then all odd ones. A flip of s_i with local field h_i = Σ_nn s_j changes
/// the energy by ΔE = 2 s_i h_i ∈ {−8, −4, 0, 4, 8} and is accepted with min(1, e^{−K ΔE}) (Metropolis et al.
/// 1953); the two non-trivial probabilities are precomputed as 53-bit thresholds. One <see cref="Step"/> is one
/// sweep (L² attempted flips).
/// </summary>
public sealed class Ising2DMetropolis<TRandom> : IsingSamplerBase<TRandom> where TRandom : struct, IRandomSource
{
    private readonly int _l;
    // Acceptance thresholds indexed by s_i·h_i + 4 ∈ {0, 2, 4, 6, 8}.
    private readonly ulong[] _accept = new ulong[9];

    /// <summary>An L × L torus (L ≥ 2, even) at temperature T &gt; 0, started from random spins drawn from <paramref name="rng"/>.</summary>
    public Ising2DMetropolis(int size, double temperature, TRandom rng) : base(size * size, temperature, rng)
    {
        Require.That(size >= 2 && size % 2 == 0, $"the checkerboard update needs an even lattice size of at least 2, got {size}.");
        _l = size;
        for (int k = -4; k <= 4; k += 2) _accept[k + 4] = Threshold53(Math.Exp(-2.0 * Coupling * k));
    }

    /// <inheritdoc />
    public override string Algorithm => "metropolis";
    /// <inheritdoc />
    public override int[] Shape => [_l, _l];

    /// <summary>One checkerboard sweep.</summary>
    public override unsafe void Step()
    {
        fixed (sbyte* s = Spins)
        fixed (ulong* acc = _accept)
        {
            var rule = new MetropolisRule(acc);
            CheckerboardSweep.Run(s, _l, ref rule, ref Rng);
        }
        WorkDone += (long)_l * _l;
    }

    /// <summary>Flip with probability min(1, e^{−2K s h}) (always when s·h ≤ 0).</summary>
    private readonly unsafe struct MetropolisRule(ulong* accept) : ICheckerboardRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public sbyte NewSpin<TRng>(sbyte spin, int field, ref TRng rng) where TRng : struct, IRandomSource
        {
            int k = spin * field;
            return k <= 0 || (rng.NextUInt64() >> 11) < accept[k + 4] ? (sbyte)-spin : spin;
        }
    }

    /// <inheritdoc />
    public override double MonitorObservable() => IsingEnergy.PerSite2D(Spins, _l, _l);
}

/// <summary>
/// Heat-bath (Glauber / Gibbs) updates for the 2D Ising model on an L × L torus (L even), in checkerboard order:
/// each spin is redrawn from its conditional distribution P(s_i = +1 | h_i) = 1 / (1 + e^{−2K h_i}), h_i = Σ_nn s_j,
/// tabulated for h_i ∈ {−4, −2, 0, 2, 4}. One <see cref="Step"/> is one sweep.
/// </summary>
public sealed class Ising2DHeatBath<TRandom> : IsingSamplerBase<TRandom> where TRandom : struct, IRandomSource
{
    private readonly int _l;
    // P(s = +1) thresholds indexed by h + 4.
    private readonly ulong[] _up = new ulong[9];

    /// <summary>An L × L torus (L ≥ 2, even) at temperature T &gt; 0, started from random spins drawn from <paramref name="rng"/>.</summary>
    public Ising2DHeatBath(int size, double temperature, TRandom rng) : base(size * size, temperature, rng)
    {
        Require.That(size >= 2 && size % 2 == 0, $"the checkerboard update needs an even lattice size of at least 2, got {size}.");
        _l = size;
        for (int h = -4; h <= 4; h += 2) _up[h + 4] = Threshold53(1.0 / (1.0 + Math.Exp(-2.0 * Coupling * h)));
    }

    /// <inheritdoc />
    public override string Algorithm => "heatbath";
    /// <inheritdoc />
    public override int[] Shape => [_l, _l];

    /// <summary>One checkerboard sweep.</summary>
    public override unsafe void Step()
    {
        fixed (sbyte* s = Spins)
        fixed (ulong* up4 = _up)
        {
            var rule = new HeatBathRule(up4);
            CheckerboardSweep.Run(s, _l, ref rule, ref Rng);
        }
        WorkDone += (long)_l * _l;
    }

    /// <summary>Redraw the spin from P(s = +1 | h) = 1 / (1 + e^{−2K h}).</summary>
    private readonly unsafe struct HeatBathRule(ulong* upThreshold) : ICheckerboardRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public sbyte NewSpin<TRng>(sbyte spin, int field, ref TRng rng) where TRng : struct, IRandomSource
            => (rng.NextUInt64() >> 11) < upThreshold[field + 4] ? (sbyte)1 : (sbyte)-1;
    }

    /// <inheritdoc />
    public override double MonitorObservable() => IsingEnergy.PerSite2D(Spins, _l, _l);
}

/// <summary>A single-spin update rule for <see cref="CheckerboardSweep"/>: the new value of a spin given its current
/// value and its local field h = Σ_nn s_j (∈ {−4, …, 4} on the square lattice, {−6, …, 6} on the cubic one). Implemented by structs so the sweep is specialised per rule.</summary>
internal interface ICheckerboardRule
{
    /// <summary>The spin's new value.</summary>
    sbyte NewSpin<TRng>(sbyte spin, int field, ref TRng rng) where TRng : struct, IRandomSource;
}

/// <summary>One sweep of an L × L torus (L even) in checkerboard order: all sites with (x + y) even, then all odd
/// ones, each updated by the rule from its four neighbours (periodic wrap at the row ends handled outside the inner loop).</summary>
internal static class CheckerboardSweep
{
    public static unsafe void Run<TRule, TRng>(sbyte* s, int l, ref TRule rule, ref TRng rng)
        where TRule : struct, ICheckerboardRule where TRng : struct, IRandomSource
    {
        for (int parity = 0; parity < 2; parity++)
        for (int y = 0; y < l; y++)
        {
            sbyte* row = s + y * l;
            sbyte* up = s + (y == 0 ? l - 1 : y - 1) * l;
            sbyte* down = s + (y == l - 1 ? 0 : y + 1) * l;
            int x = (y + parity) & 1;
            if (x == 0)
            {
                // x = 0: the left neighbour wraps to L − 1.
                row[0] = rule.NewSpin(row[0], row[l - 1] + row[1] + up[0] + down[0], ref rng);
                x = 2;
            }
            for (; x < l - 1; x += 2)
                row[x] = rule.NewSpin(row[x], row[x - 1] + row[x + 1] + up[x] + down[x], ref rng);
            if (x == l - 1)
                row[x] = rule.NewSpin(row[x], row[x - 1] + row[0] + up[x] + down[x], ref rng);
        }
    }
}
