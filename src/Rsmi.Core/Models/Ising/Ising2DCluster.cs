using Rsmi.Random;
using Rsmi.Sampling;

namespace Rsmi.Models.Ising;

/// <summary>
/// Wolff single-cluster algorithm (Wolff, PRL 62, 361 (1989)) for the 2D Ising model on an L × L torus: pick a
/// random seed spin, add each aligned neighbour of a cluster spin with probability p = 1 − e^{−2K} (each bond
/// tested once), flip the cluster. Spins are flipped as they join, so the sign marks membership and no visited
/// array is needed; the cluster grows from a preallocated stack (no allocation per step). One <see cref="Step"/>
/// is one cluster; <see cref="IMonteCarloSampler.Work"/> counts flipped spins.
/// </summary>
public sealed class Ising2DWolff<TRandom> : IsingSamplerBase<TRandom> where TRandom : struct, IRandomSource
{
    private readonly int _l;
    private readonly int[] _stack;
    private readonly uint _addBond32;
    // Lemire's fast division by L: i / L = high 64 bits of i · ⌈2^64 / L⌉ for 0 ≤ i < 2^32.
    private readonly ulong _divideByL;

    /// <summary>An L × L torus (L ≥ 2) at temperature T &gt; 0, started from random spins drawn from <paramref name="rng"/>.</summary>
    public Ising2DWolff(int size, double temperature, TRandom rng) : base(size * size, temperature, rng)
    {
        Require.That(size >= 2, $"the lattice size must be at least 2, got {size}.");
        _l = size;
        _stack = new int[size * size + 1]; // + 1: the branch-free push writes one slot above the top
        _divideByL = ulong.MaxValue / (ulong)size + 1;
        _addBond32 = (uint)Math.Min(uint.MaxValue, Math.Round(-double.ExpM1(-2.0 * Coupling) * 4294967296.0));
    }

    /// <inheritdoc />
    public override string Algorithm => "wolff";
    /// <inheritdoc />
    public override int[] Shape => [_l, _l];

    /// <summary>Size of the last cluster flipped.</summary>
    public int LastClusterSize { get; private set; }

    /// <summary>Grows and flips one cluster.</summary>
    /// <remarks>
    /// Branch-free growth: every neighbour of a popped site is tested with its own 32-bit uniform (two per 64-bit
    /// draw; p is then resolved to 2^−32, a coupling shift below 10^−9), it is pushed by writing it above the stack
    /// top and advancing the top by the 0/1 outcome, and flipped by an XOR with 0xFE (+1 ↔ −1). The unpredictable
    /// accept/reject then costs no branch mispredictions.
    /// </remarks>
    public override unsafe void Step()
    {
        int l = _l, n = l * l;
        int seed = Rng.NextInt(n);
        uint p = _addBond32;
        ulong divide = _divideByL;
        fixed (sbyte* s = Spins)
        fixed (int* stack = _stack)
        {
            int s0 = s[seed];
            s[seed] = (sbyte)-s0;
            int top = 0, size = 1;
            stack[top++] = seed;
            while (top > 0)
            {
                int i = stack[--top];
                int y = (int)Math.BigMul((ulong)i, divide, out _), x = i - y * l, row = i - x;
                ulong r = Rng.NextUInt64();
                int j = x == l - 1 ? row : i + 1;
                int add = (s[j] == s0 ? 1 : 0) & ((uint)r < p ? 1 : 0);
                s[j] ^= (sbyte)(-add & 0xFE); stack[top] = j; top += add; size += add;
                j = x == 0 ? i + l - 1 : i - 1;
                add = (s[j] == s0 ? 1 : 0) & ((uint)(r >> 32) < p ? 1 : 0);
                s[j] ^= (sbyte)(-add & 0xFE); stack[top] = j; top += add; size += add;
                r = Rng.NextUInt64();
                j = y == l - 1 ? x : i + l;
                add = (s[j] == s0 ? 1 : 0) & ((uint)r < p ? 1 : 0);
                s[j] ^= (sbyte)(-add & 0xFE); stack[top] = j; top += add; size += add;
                j = y == 0 ? n - l + x : i - l;
                add = (s[j] == s0 ? 1 : 0) & ((uint)(r >> 32) < p ? 1 : 0);
                s[j] ^= (sbyte)(-add & 0xFE); stack[top] = j; top += add; size += add;
            }
            LastClusterSize = size;
            WorkDone += size;
        }
    }

    /// <inheritdoc />
    public override double MonitorObservable() => IsingEnergy.PerSite2D(Spins, _l, _l);
}

/// <summary>
/// Swendsen–Wang multi-cluster algorithm (Swendsen &amp; Wang, PRL 58, 86 (1987)) for the 2D Ising model on an
/// L × L torus: activate each satisfied bond with probability p = 1 − e^{−2K}, find the clusters with union–find
/// (path halving, union by index, preallocated arrays), flip each cluster with probability ½. One
/// <see cref="Step"/> is one full update; <see cref="IMonteCarloSampler.Work"/> counts L² per step.
/// </summary>
public sealed class Ising2DSwendsenWang<TRandom> : IsingSamplerBase<TRandom> where TRandom : struct, IRandomSource
{
    private readonly int _l;
    private readonly int[] _parent;
    private readonly sbyte[] _clusterFlip; // 0 undecided, +1 keep, −1 flip; indexed by root
    private readonly ulong _addBond;

    /// <summary>An L × L torus (L ≥ 2) at temperature T &gt; 0, started from random spins drawn from <paramref name="rng"/>.</summary>
    public Ising2DSwendsenWang(int size, double temperature, TRandom rng) : base(size * size, temperature, rng)
    {
        Require.That(size >= 2, $"the lattice size must be at least 2, got {size}.");
        _l = size;
        _parent = new int[size * size];
        _clusterFlip = new sbyte[size * size];
        _addBond = Threshold53(-double.ExpM1(-2.0 * Coupling));
    }

    /// <inheritdoc />
    public override string Algorithm => "swendsen-wang";
    /// <inheritdoc />
    public override int[] Shape => [_l, _l];

    /// <summary>One Swendsen–Wang update of the whole lattice.</summary>
    public override unsafe void Step()
    {
        int l = _l, n = l * l;
        ulong p = _addBond;
        fixed (sbyte* s = Spins)
        fixed (int* parent = _parent)
        fixed (sbyte* decision = _clusterFlip)
        {
            for (int i = 0; i < n; i++) parent[i] = i;
            new Span<sbyte>(decision, n).Clear();
            for (int y = 0; y < l; y++)
            {
                int row = y * l, down = (y == l - 1 ? 0 : y + 1) * l;
                for (int x = 0; x < l; x++)
                {
                    int i = row + x;
                    sbyte si = s[i];
                    int right = x == l - 1 ? row : i + 1;
                    if (s[right] == si && (Rng.NextUInt64() >> 11) < p) Union(parent, i, right);
                    int below = down + x;
                    if (s[below] == si && (Rng.NextUInt64() >> 11) < p) Union(parent, i, below);
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
    public override double MonitorObservable() => IsingEnergy.PerSite2D(Spins, _l, _l);
}
