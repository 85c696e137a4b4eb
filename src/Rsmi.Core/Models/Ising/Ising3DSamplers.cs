using System.Runtime.CompilerServices;
using Rsmi.Random;
using Rsmi.Sampling;

namespace Rsmi.Models.Ising;

/// <summary>
/// The periodic Lx × Ly × Lz box of the 3D Ising samplers: site (x, y, z) has index i = x + Lx·(y + Ly·z), row-major
/// over the array shape [Lz, Ly, Lx] of sample files, as in <see cref="Lattices.HypercubicLattice"/>. Each site has
/// six bonds, to its neighbours ±x̂, ±ŷ, ±ẑ; the energy E = −Σ_i Σ_{a = x, y, z} s_i s_{i+â} counts 3N bonds. On a side
/// of length 2 the neighbours i + â and i − â are the same site, so that pair is joined by two bonds (coupling 2J),
/// exactly as the neighbour table of <see cref="Lattices.HypercubicLattice"/> has it; every sampler below treats the
/// two bonds as two (docs/algorithm.md, "The 3D Ising model").
/// </summary>
internal static class CubicBox
{
    /// <summary>Checks that every side is at least 2 (and even when <paramref name="even"/>) and that the box fits in one array.</summary>
    public static int Sites(int lx, int ly, int lz, bool even)
    {
        Require.That(lx >= 2 && ly >= 2 && lz >= 2, $"the sides of the box must be at least 2, got {lx}x{ly}x{lz}.");
        Require.That(!even || (lx % 2 == 0 && ly % 2 == 0 && lz % 2 == 0), $"the checkerboard update needs even sides, got {lx}x{ly}x{lz}.");
        long sites = (long)lx * ly * lz;
        Require.That(sites < Array.MaxLength, $"a box of {lx}x{ly}x{lz} sites is too large.");
        return (int)sites;
    }

    /// <summary>Lemire's multiplier for i / d = high 64 bits of i · ⌈2^64 / d⌉, exact for 0 ≤ i &lt; 2^32 and 2 ≤ d &lt; 2^32.</summary>
    public static ulong Divider(int d) => ulong.MaxValue / (ulong)d + 1;

    /// <summary>i / d for 0 ≤ i &lt; 2^32 from <paramref name="divider"/> = <see cref="Divider"/>(d): the high 64 bits of the product (one <c>mulx</c> where BMI2 is present).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nint Quotient(nint i, ulong divider) =>
        System.Runtime.Intrinsics.X86.Bmi2.X64.IsSupported
            ? (nint)System.Runtime.Intrinsics.X86.Bmi2.X64.MultiplyNoFlags((ulong)i, divider)
            : (nint)Math.BigMul((ulong)i, divider, out _);
}

/// <summary>
/// Wolff single-cluster algorithm (Wolff, PRL 62, 361 (1989)) for the 3D Ising model on a periodic Lx × Ly × Lz box
/// (<see cref="CubicBox"/>): pick a random seed spin, add each aligned neighbour of a cluster spin through each of its
/// six bonds with probability p = 1 − e^{−2K} (each bond tested once), flip the cluster. As in the 2D sampler, spins
/// are flipped as they join, so the sign marks membership; the cluster grows from a preallocated stack (no allocation
/// per step). One <see cref="Step"/> is one cluster; <see cref="IMonteCarloSampler.Work"/> counts flipped spins.
/// </summary>
public sealed class Ising3DWolff<TRandom> : IsingSamplerBase<TRandom> where TRandom : struct, IRandomSource
{
    private readonly int _lx, _ly, _lz;
    private readonly int[] _stack;
    private readonly uint _addBond32;
    private readonly ulong _divideByLx, _divideByLy;

    /// <summary>An L × L × L torus (L ≥ 2) at temperature T &gt; 0, started from random spins drawn from <paramref name="rng"/>.</summary>
    public Ising3DWolff(int size, double temperature, TRandom rng) : this(size, size, size, temperature, rng) { }

    /// <summary>An Lx × Ly × Lz box (every side ≥ 2) at temperature T &gt; 0, started from random spins drawn from <paramref name="rng"/>.</summary>
    public Ising3DWolff(int lx, int ly, int lz, double temperature, TRandom rng) : base(CubicBox.Sites(lx, ly, lz, even: false), temperature, rng)
    {
        _lx = lx; _ly = ly; _lz = lz;
        _stack = new int[Sites + 1]; // + 1: the branch-free push writes one slot above the top
        _divideByLx = CubicBox.Divider(lx);
        _divideByLy = CubicBox.Divider(ly);
        _addBond32 = (uint)Math.Min(uint.MaxValue, Math.Round(-double.ExpM1(-2.0 * Coupling) * 4294967296.0));
    }

    /// <inheritdoc />
    public override string Algorithm => "wolff";
    /// <inheritdoc />
    public override int[] Shape => [_lz, _ly, _lx];

    /// <summary>Size of the last cluster flipped.</summary>
    public int LastClusterSize { get; private set; }

    /// <summary>Grows and flips one cluster.</summary>
    /// <remarks>
    /// Branch-free growth: each of the six bonds of a popped site is tested with its own 32-bit uniform U (three 64-bit
    /// draws per site; p resolved to 2^−32) against a threshold looked up by the neighbour's spin: p·2^32 for the
    /// cluster's original sign, 0 for the other, so that one unsigned comparison decides both "aligned" and "bond
    /// active". The neighbour is written above the stack top, the top advances by the 0/1 outcome, and the spin is
    /// flipped by an XOR with outcome·0xFE (+1 ↔ −1). Coordinates come from two Lemire divisions; the periodic wrap
    /// is a predictable branch per direction. The generator's state is copied to a local for the step, so that the
    /// JIT keeps it in registers rather than in the object, and indices are native integers.
    /// </remarks>
    public override unsafe void Step()
    {
        nint lx = _lx, ly = _ly, lz = _lz, sy = lx, sz = lx * ly, n = sz * lz;
        nint wrapX = lx - 1, wrapY = (ly - 1) * sy, wrapZ = (lz - 1) * sz;
        TRandom rng = Rng;
        nint seed = rng.NextInt((int)n);
        ulong divideX = _divideByLx, divideY = _divideByLy;
        uint* threshold = stackalloc uint[3]; // indexed by spin + 1
        fixed (sbyte* s = Spins)
        fixed (int* stack = _stack)
        {
            int s0 = s[seed];
            threshold[1 + s0] = _addBond32;
            threshold[1 - s0] = 0;
            threshold[1] = 0;
            uint* t = threshold + 1;
            s[seed] = (sbyte)-s0;
            nint top = 1;
            int size = 0;
            stack[0] = (int)seed;
            do
            {
                nint i = stack[--top];
                size++;
                nint row = CubicBox.Quotient(i, divideX), x = i - row * lx;
                nint z = CubicBox.Quotient(row, divideY), y = row - z * ly;
                ulong r = rng.NextUInt64();
                nint j = x == lx - 1 ? i - wrapX : i + 1;
                int c = s[j], add = (uint)r < t[c] ? 1 : 0;
                s[j] = (sbyte)(c ^ (-add & 0xFE)); stack[top] = (int)j; top += add;
                j = x == 0 ? i + wrapX : i - 1;
                c = s[j]; add = (uint)(r >> 32) < t[c] ? 1 : 0;
                s[j] = (sbyte)(c ^ (-add & 0xFE)); stack[top] = (int)j; top += add;
                r = rng.NextUInt64();
                j = y == ly - 1 ? i - wrapY : i + sy;
                c = s[j]; add = (uint)r < t[c] ? 1 : 0;
                s[j] = (sbyte)(c ^ (-add & 0xFE)); stack[top] = (int)j; top += add;
                j = y == 0 ? i + wrapY : i - sy;
                c = s[j]; add = (uint)(r >> 32) < t[c] ? 1 : 0;
                s[j] = (sbyte)(c ^ (-add & 0xFE)); stack[top] = (int)j; top += add;
                r = rng.NextUInt64();
                j = z == lz - 1 ? i - wrapZ : i + sz;
                c = s[j]; add = (uint)r < t[c] ? 1 : 0;
                s[j] = (sbyte)(c ^ (-add & 0xFE)); stack[top] = (int)j; top += add;
                j = z == 0 ? i + wrapZ : i - sz;
                c = s[j]; add = (uint)(r >> 32) < t[c] ? 1 : 0;
                s[j] = (sbyte)(c ^ (-add & 0xFE)); stack[top] = (int)j; top += add;
            } while (top > 0);
            Rng = rng;
            LastClusterSize = size;
            WorkDone += size;
        }
    }

    /// <inheritdoc />
    public override double MonitorObservable() => IsingEnergy.PerSite3D(Spins, _lx, _ly, _lz);
}

/// <summary>
/// Swendsen–Wang multi-cluster algorithm (Swendsen &amp; Wang, PRL 58, 86 (1987)) for the 3D Ising model on a
/// periodic Lx × Ly × Lz box (<see cref="CubicBox"/>): activate each of the 3N bonds (i, i + x̂), (i, i + ŷ),
/// (i, i + ẑ) whose spins agree with probability p = 1 − e^{−2K}, find the clusters with union–find (path halving,
/// union by index, preallocated arrays), flip each cluster with probability ½. One <see cref="Step"/> is one full
/// update; <see cref="IMonteCarloSampler.Work"/> counts N per step.
/// </summary>
public sealed class Ising3DSwendsenWang<TRandom> : IsingSamplerBase<TRandom> where TRandom : struct, IRandomSource
{
    private readonly int _lx, _ly, _lz;
    private readonly int[] _parent;
    private readonly sbyte[] _clusterFlip; // 0 undecided, +1 keep, −1 flip; indexed by root
    private readonly ulong _addBond;

    /// <summary>An L × L × L torus (L ≥ 2) at temperature T &gt; 0, started from random spins drawn from <paramref name="rng"/>.</summary>
    public Ising3DSwendsenWang(int size, double temperature, TRandom rng) : this(size, size, size, temperature, rng) { }

    /// <summary>An Lx × Ly × Lz box (every side ≥ 2) at temperature T &gt; 0, started from random spins drawn from <paramref name="rng"/>.</summary>
    public Ising3DSwendsenWang(int lx, int ly, int lz, double temperature, TRandom rng) : base(CubicBox.Sites(lx, ly, lz, even: false), temperature, rng)
    {
        _lx = lx; _ly = ly; _lz = lz;
        _parent = new int[Sites];
        _clusterFlip = new sbyte[Sites];
        _addBond = Threshold53(-double.ExpM1(-2.0 * Coupling));
    }

    /// <inheritdoc />
    public override string Algorithm => "swendsen-wang";
    /// <inheritdoc />
    public override int[] Shape => [_lz, _ly, _lx];

    /// <summary>One Swendsen–Wang update of the whole box.</summary>
    public override unsafe void Step()
    {
        int lx = _lx, ly = _ly, lz = _lz, sz = lx * ly, n = sz * lz;
        ulong p = _addBond;
        fixed (sbyte* s = Spins)
        fixed (int* parent = _parent)
        fixed (sbyte* decision = _clusterFlip)
        {
            for (int i = 0; i < n; i++) parent[i] = i;
            new Span<sbyte>(decision, n).Clear();
            for (int z = 0; z < lz; z++)
            {
                int plane = z * sz, front = (z == lz - 1 ? 0 : z + 1) * sz;
                for (int y = 0; y < ly; y++)
                {
                    int row = plane + y * lx, down = plane + (y == ly - 1 ? 0 : y + 1) * lx, frontRow = front + y * lx;
                    for (int x = 0; x < lx; x++)
                    {
                        int i = row + x;
                        sbyte si = s[i];
                        int right = x == lx - 1 ? row : i + 1;
                        if (s[right] == si && (Rng.NextUInt64() >> 11) < p) Union(parent, i, right);
                        int below = down + x;
                        if (s[below] == si && (Rng.NextUInt64() >> 11) < p) Union(parent, i, below);
                        int ahead = frontRow + x;
                        if (s[ahead] == si && (Rng.NextUInt64() >> 11) < p) Union(parent, i, ahead);
                    }
                }
            }
            for (int i = 0; i < n; i++)
            {
                int r = Find(parent, i);
                sbyte d = decision[r];
                if (d == 0) decision[r] = d = (Rng.NextUInt64() >> 63) == 0 ? (sbyte)1 : (sbyte)-1;
                s[i] = (sbyte)(s[i] * d);
            }
        }
        WorkDone += (long)n;
    }

    private static unsafe int Find(int* parent, int i)
    {
        while (parent[i] != i)
        {
            int grand = parent[parent[i]];
            parent[i] = grand;
            i = grand;
        }
        return i;
    }

    private static unsafe void Union(int* parent, int a, int b)
    {
        int ra = Find(parent, a), rb = Find(parent, b);
        if (ra == rb) return;
        // Attach the larger index under the smaller: roots are then minimal site indices.
        if (ra < rb) parent[rb] = ra; else parent[ra] = rb;
    }

    /// <inheritdoc />
    public override double MonitorObservable() => IsingEnergy.PerSite3D(Spins, _lx, _ly, _lz);
}

/// <summary>
/// Single-spin-flip Metropolis for the 3D Ising model on a periodic Lx × Ly × Lz box with even sides, swept in
/// checkerboard order (all sites with x + y + z even, then the odd ones). A flip of s_i with local field
/// h_i = Σ of its six neighbours changes the energy by ΔE = 2 s_i h_i ∈ {−12, −8, …, 12} and is accepted with
/// min(1, e^{−K ΔE}) (Metropolis et al. 1953); the three non-trivial probabilities are precomputed as 53-bit
/// thresholds. One <see cref="Step"/> is one sweep (N attempted flips).
/// </summary>
public sealed class Ising3DMetropolis<TRandom> : IsingSamplerBase<TRandom> where TRandom : struct, IRandomSource
{
    private readonly int _lx, _ly, _lz;
    // Acceptance thresholds indexed by s_i·h_i + 6 ∈ {0, 2, …, 12}.
    private readonly ulong[] _accept = new ulong[13];

    /// <summary>An L × L × L torus (L ≥ 2, even) at temperature T &gt; 0, started from random spins drawn from <paramref name="rng"/>.</summary>
    public Ising3DMetropolis(int size, double temperature, TRandom rng) : this(size, size, size, temperature, rng) { }

    /// <summary>An Lx × Ly × Lz box (every side even, ≥ 2) at temperature T &gt; 0, started from random spins drawn from <paramref name="rng"/>.</summary>
    public Ising3DMetropolis(int lx, int ly, int lz, double temperature, TRandom rng) : base(CubicBox.Sites(lx, ly, lz, even: true), temperature, rng)
    {
        _lx = lx; _ly = ly; _lz = lz;
        for (int k = -6; k <= 6; k += 2) _accept[k + 6] = Threshold53(Math.Exp(-2.0 * Coupling * k));
    }

    /// <inheritdoc />
    public override string Algorithm => "metropolis";
    /// <inheritdoc />
    public override int[] Shape => [_lz, _ly, _lx];

    /// <summary>One checkerboard sweep.</summary>
    public override unsafe void Step()
    {
        fixed (sbyte* s = Spins)
        fixed (ulong* acc = _accept)
        {
            var rule = new MetropolisRule(acc);
            CheckerboardSweep3D.Run(s, _lx, _ly, _lz, ref rule, ref Rng);
        }
        WorkDone += (long)Sites;
    }

    /// <summary>Flip with probability min(1, e^{−2K s h}) (always when s·h ≤ 0).</summary>
    private readonly unsafe struct MetropolisRule(ulong* accept) : ICheckerboardRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public sbyte NewSpin<TRng>(sbyte spin, int field, ref TRng rng) where TRng : struct, IRandomSource
        {
            int k = spin * field;
            return k <= 0 || (rng.NextUInt64() >> 11) < accept[k + 6] ? (sbyte)-spin : spin;
        }
    }

    /// <inheritdoc />
    public override double MonitorObservable() => IsingEnergy.PerSite3D(Spins, _lx, _ly, _lz);
}

/// <summary>
/// Heat-bath (Glauber / Gibbs) updates for the 3D Ising model on a periodic Lx × Ly × Lz box with even sides, in
/// checkerboard order: each spin is redrawn from P(s_i = +1 | h_i) = 1 / (1 + e^{−2K h_i}), h_i = Σ of its six
/// neighbours, tabulated for h_i ∈ {−6, −4, …, 6}. One <see cref="Step"/> is one sweep.
/// </summary>
public sealed class Ising3DHeatBath<TRandom> : IsingSamplerBase<TRandom> where TRandom : struct, IRandomSource
{
    private readonly int _lx, _ly, _lz;
    // P(s = +1) thresholds indexed by h + 6.
    private readonly ulong[] _up = new ulong[13];

    /// <summary>An L × L × L torus (L ≥ 2, even) at temperature T &gt; 0, started from random spins drawn from <paramref name="rng"/>.</summary>
    public Ising3DHeatBath(int size, double temperature, TRandom rng) : this(size, size, size, temperature, rng) { }

    /// <summary>An Lx × Ly × Lz box (every side even, ≥ 2) at temperature T &gt; 0, started from random spins drawn from <paramref name="rng"/>.</summary>
    public Ising3DHeatBath(int lx, int ly, int lz, double temperature, TRandom rng) : base(CubicBox.Sites(lx, ly, lz, even: true), temperature, rng)
    {
        _lx = lx; _ly = ly; _lz = lz;
        for (int h = -6; h <= 6; h += 2) _up[h + 6] = Threshold53(1.0 / (1.0 + Math.Exp(-2.0 * Coupling * h)));
    }

    /// <inheritdoc />
    public override string Algorithm => "heatbath";
    /// <inheritdoc />
    public override int[] Shape => [_lz, _ly, _lx];

    /// <summary>One checkerboard sweep.</summary>
    public override unsafe void Step()
    {
        fixed (sbyte* s = Spins)
        fixed (ulong* up = _up)
        {
            var rule = new HeatBathRule(up);
            CheckerboardSweep3D.Run(s, _lx, _ly, _lz, ref rule, ref Rng);
        }
        WorkDone += (long)Sites;
    }

    /// <summary>Redraw the spin from P(s = +1 | h) = 1 / (1 + e^{−2K h}).</summary>
    private readonly unsafe struct HeatBathRule(ulong* upThreshold) : ICheckerboardRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public sbyte NewSpin<TRng>(sbyte spin, int field, ref TRng rng) where TRng : struct, IRandomSource
            => (rng.NextUInt64() >> 11) < upThreshold[field + 6] ? (sbyte)1 : (sbyte)-1;
    }

    /// <inheritdoc />
    public override double MonitorObservable() => IsingEnergy.PerSite3D(Spins, _lx, _ly, _lz);
}

/// <summary>One sweep of a periodic Lx × Ly × Lz box (every side even) in checkerboard order: all sites with
/// x + y + z even, then all odd ones, each updated by the rule from its six neighbours (the wrap at the row ends
/// handled outside the inner loop, the wrap in y and z by the choice of neighbouring rows).</summary>
internal static class CheckerboardSweep3D
{
    public static unsafe void Run<TRule, TRng>(sbyte* s, int lx, int ly, int lz, ref TRule rule, ref TRng rng)
        where TRule : struct, ICheckerboardRule where TRng : struct, IRandomSource
    {
        int plane = lx * ly;
        for (int parity = 0; parity < 2; parity++)
        for (int z = 0; z < lz; z++)
        {
            sbyte* layer = s + z * plane;
            sbyte* back = s + (z == 0 ? lz - 1 : z - 1) * plane;
            sbyte* front = s + (z == lz - 1 ? 0 : z + 1) * plane;
            for (int y = 0; y < ly; y++)
            {
                int offset = y * lx;
                sbyte* row = layer + offset;
                sbyte* up = layer + (y == 0 ? ly - 1 : y - 1) * lx;
                sbyte* down = layer + (y == ly - 1 ? 0 : y + 1) * lx;
                sbyte* behind = back + offset;
                sbyte* ahead = front + offset;
                int x = (y + z + parity) & 1;
                if (x == 0)
                {
                    // x = 0: the left neighbour wraps to Lx − 1.
                    row[0] = rule.NewSpin(row[0], row[lx - 1] + row[1] + up[0] + down[0] + behind[0] + ahead[0], ref rng);
                    x = 2;
                }
                for (; x < lx - 1; x += 2)
                    row[x] = rule.NewSpin(row[x], row[x - 1] + row[x + 1] + up[x] + down[x] + behind[x] + ahead[x], ref rng);
                if (x == lx - 1)
                    row[x] = rule.NewSpin(row[x], row[x - 1] + row[0] + up[x] + down[x] + behind[x] + ahead[x], ref rng);
            }
        }
    }
}
