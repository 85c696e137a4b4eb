using Rsmi.Random;
using Rsmi.Sampling;

namespace Rsmi.Models.Potts;

/// <summary>
/// State shared by the 2D Potts samplers: labels 0 … q−1 of the q-state Potts model H = −J Σ_⟨ij⟩ δ(s_i, s_j)
/// (J = k_B = 1) on an L × L torus, stored as <see cref="sbyte"/> row-major (site (x, y) has index x + L·y), the
/// coupling K = J/T and the sampler's own random stream. The chain starts from independent uniform labels drawn
/// from that stream. The energy counts the 2N bonds (i, i + x̂), (i, i + ŷ); on a side of 2 the neighbours i + â and
/// i − â are the same site and the pair is joined by two bonds, as every sampler below has it.
/// </summary>
/// <typeparam name="TRandom">A struct random source, so that hot loops are specialised by the JIT.</typeparam>
public abstract class PottsSamplerBase<TRandom> : IMonteCarloSampler where TRandom : struct, IRandomSource
{
    /// <summary>The labels, row-major over [L, L]; each in 0 … q−1.</summary>
    protected readonly sbyte[] Labels;
    /// <summary>The sampler's random stream (mutable struct: always use it by <c>ref</c>).</summary>
    protected TRandom Rng;
    /// <summary>Cumulative work, see <see cref="IMonteCarloSampler.Work"/>.</summary>
    protected long WorkDone;
    /// <summary>Side L of the torus.</summary>
    protected readonly int L;
    private readonly int[] _counts;

    /// <summary>An L × L torus (L ≥ 2) of q-state labels (2 ≤ q ≤ 127) at temperature T &gt; 0, started from uniform labels drawn from <paramref name="rng"/>.</summary>
    protected PottsSamplerBase(int size, int q, double temperature, TRandom rng)
    {
        Require.That(size >= 2, $"the torus must have a side of at least 2, got {size}.");
        Require.That(q is >= 2 and <= Rsmi.States.PottsLabels.MaxStates, $"a Potts model needs 2 to {Rsmi.States.PottsLabels.MaxStates} states, got {q}.");
        Require.Positive(temperature, "temperature");
        L = size;
        States = q;
        Temperature = temperature;
        Rng = rng;
        Labels = new sbyte[size * size];
        _counts = new int[q];
        for (int i = 0; i < Labels.Length; i++) Labels[i] = (sbyte)Rng.NextInt(q);
    }

    /// <summary>Number of states q.</summary>
    public int States { get; }
    /// <summary>Temperature T &gt; 0.</summary>
    public double Temperature { get; }
    /// <summary>Coupling K = J/T = 1/T.</summary>
    public double Coupling => 1.0 / Temperature;
    /// <summary>Number of sites N = L².</summary>
    public int Sites => Labels.Length;

    /// <inheritdoc />
    public abstract string Algorithm { get; }
    /// <inheritdoc />
    public int[] Shape => [L, L];
    /// <inheritdoc />
    public long Work => WorkDone;

    /// <inheritdoc />
    public abstract void Step();

    /// <summary>Energy per site u = E/N with E = −Σ_⟨ij⟩ δ(s_i, s_j) over the 2N bonds.</summary>
    public double MonitorObservable() => -(double)PottsEnergy.EqualBonds(Labels, L, L) / Labels.Length;

    /// <inheritdoc />
    public void CopyConfiguration(Span<sbyte> destination) => Labels.AsSpan().CopyTo(destination);

    /// <summary>The Potts order parameter m = (q·max_a n_a / N − 1)/(q − 1) ∈ [0, 1] (<see cref="PottsOrder.Parameter"/>); <paramref name="scratch"/> is not used.</summary>
    public double AbsMagnetisation(Span<sbyte> scratch) => OrderParameter();

    /// <summary>The Potts order parameter m = (q·max_a n_a / N − 1)/(q − 1) of the current labels (docs/algorithm.md, "The Potts model").</summary>
    public double OrderParameter() => PottsOrder.Parameter(PottsOrder.LargestCount(Labels, _counts), Labels.Length, States);

    /// <summary>Read-only view of the current labels.</summary>
    public ReadOnlySpan<sbyte> Configuration => Labels;

    /// <summary>Replaces the current configuration (every label must lie in 0 … q−1; checked).</summary>
    public void SetConfiguration(ReadOnlySpan<sbyte> configuration)
    {
        Require.That(configuration.Length == Labels.Length, $"expected {Labels.Length} labels, got {configuration.Length}.");
        foreach (sbyte s in configuration) Require.That(s >= 0 && s < States, $"labels must lie in 0 to {States - 1}.");
        configuration.CopyTo(Labels);
    }

    /// <summary>Sets every site to one label drawn uniformly from the sampler's stream (an ordered start, as below T_c).</summary>
    public void SetOrdered() => Labels.AsSpan().Fill((sbyte)Rng.NextInt(States));

    /// <summary>Lemire's multiplier for i / d = high 64 bits of i · ⌈2^64 / d⌉, exact for 0 ≤ i &lt; 2^32 and 2 ≤ d &lt; 2^32.</summary>
    protected static ulong Divider(int d) => ulong.MaxValue / (ulong)d + 1;

    /// <summary>i / d for 0 ≤ i &lt; 2^32 from <paramref name="divider"/> = <see cref="Divider"/>(d): the high 64 bits of the product (one <c>mulx</c> where BMI2 is present).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    protected static nint Quotient(nint i, ulong divider) =>
        System.Runtime.Intrinsics.X86.Bmi2.X64.IsSupported
            ? (nint)System.Runtime.Intrinsics.X86.Bmi2.X64.MultiplyNoFlags((ulong)i, divider)
            : (nint)Math.BigMul((ulong)i, divider, out _);
}

/// <summary>Energies of Potts configurations (J = 1).</summary>
public static class PottsEnergy
{
    /// <summary>Number of equal-label bonds Σ_i [δ(s_i, s_{i+x̂}) + δ(s_i, s_{i+ŷ})] over the 2N bonds of an Lx × Ly torus (labels row-major); E = −J times it.</summary>
    public static int EqualBonds(ReadOnlySpan<sbyte> labels, int lx, int ly)
    {
        int bonds = 0;
        for (int y = 0; y < ly; y++)
        {
            int row = y * lx, down = (y + 1 == ly ? 0 : y + 1) * lx;
            for (int x = 0; x < lx; x++)
            {
                int s = labels[row + x];
                bonds += (s == labels[row + (x + 1 == lx ? 0 : x + 1)] ? 1 : 0) + (s == labels[down + x] ? 1 : 0);
            }
        }
        return bonds;
    }
}

/// <summary>The Potts order parameter (docs/algorithm.md, "The Potts model").</summary>
public static class PottsOrder
{
    /// <summary>The largest number of sites max_a n_a that hold one label; <paramref name="counts"/> (q entries) is scratch.</summary>
    public static int LargestCount(ReadOnlySpan<sbyte> labels, Span<int> counts)
    {
        counts.Clear();
        foreach (sbyte s in labels) counts[s]++;
        int max = 0;
        foreach (int c in counts) max = Math.Max(max, c);
        return max;
    }

    /// <summary>
    /// m = (q·n_max / N − 1)/(q − 1): 0 when the N sites are spread evenly over the q labels, 1 when all hold one; for
    /// q = 2 it is |Σ s|/N of the Ising spins s = ±1.
    /// </summary>
    public static double Parameter(int largestCount, int sites, int q) => ((double)q * largestCount / sites - 1) / (q - 1);
}

/// <summary>
/// Wolff single-cluster algorithm (Wolff, PRL 62, 361 (1989)) for the q-state Potts model on an L × L torus: pick a
/// random seed site of label a and a new label b ≠ a uniformly among the other q − 1, add each neighbour of a cluster
/// site that holds a through each of its four bonds with probability p = 1 − e^{−K} (the Fortuin–Kasteleyn bond
/// probability of H = −J Σ δ), and relabel the cluster b. Sites are relabelled as they join, so the label b marks
/// membership (b ≠ a is never added again); the cluster grows from a preallocated stack (no allocation per step).
/// One <see cref="Step"/> is one cluster; <see cref="IMonteCarloSampler.Work"/> counts relabelled sites.
/// </summary>
public sealed class Potts2DWolff<TRandom> : PottsSamplerBase<TRandom> where TRandom : struct, IRandomSource
{
    private readonly int[] _stack;
    private readonly uint _addBond32;
    private readonly ulong _divideByL;

    /// <summary>An L × L torus (L ≥ 2) of q labels at temperature T &gt; 0, started from uniform labels drawn from <paramref name="rng"/>.</summary>
    public Potts2DWolff(int size, int q, double temperature, TRandom rng) : base(size, q, temperature, rng)
    {
        _stack = new int[Sites + 1]; // + 1: the branch-free push writes one slot above the top
        _divideByL = Divider(size);
        _addBond32 = (uint)Math.Min(uint.MaxValue, Math.Round(-double.ExpM1(-Coupling) * 4294967296.0));
    }

    /// <inheritdoc />
    public override string Algorithm => "wolff";

    /// <summary>Size of the last cluster relabelled.</summary>
    public int LastClusterSize { get; private set; }

    /// <summary>Grows and relabels one cluster.</summary>
    /// <remarks>
    /// Branch-free growth: each of the four bonds of a popped site is tested with its own 32-bit uniform U (two 64-bit
    /// draws per site; p resolved to 2^−32) against a threshold looked up by the neighbour's label c: p·2^32 for
    /// c = a, 0 for every other label, so that one unsigned comparison U &lt; threshold[c] decides both "holds a" and
    /// "bond active". The neighbour is written above the stack top, the top advances by the 0/1 outcome, and its label
    /// is XORed with outcome·(a ⊕ b) (it held a when the outcome is 1). The generator's state is copied to a local for
    /// the step, so that the JIT keeps it in registers rather than in the object, and indices are native integers.
    /// </remarks>
    public override unsafe void Step()
    {
        nint l = L, n = l * l, wrapX = l - 1, wrapY = (l - 1) * l;
        TRandom rng = Rng;
        nint seed = rng.NextInt((int)n);
        ulong divide = _divideByL;
        int q = States;
        uint* threshold = stackalloc uint[Rsmi.States.PottsLabels.MaxStates]; // one entry per label; q ≤ MaxStates
        new Span<uint>(threshold, q).Clear();
        fixed (sbyte* s = Labels)
        fixed (int* stack = _stack)
        {
            int a = s[seed];
            int b = rng.NextInt(q - 1);
            if (b >= a) b++;
            int flip = a ^ b;
            threshold[a] = _addBond32;
            s[seed] = (sbyte)b;
            nint top = 1;
            int size = 0;
            stack[0] = (int)seed;
            do
            {
                nint i = stack[--top];
                size++;
                nint y = Quotient(i, divide), x = i - y * l;
                ulong r = rng.NextUInt64();
                nint j = x == l - 1 ? i - wrapX : i + 1;
                int c = s[j], add = (uint)r < threshold[c] ? 1 : 0;
                s[j] = (sbyte)(c ^ (-add & flip)); stack[top] = (int)j; top += add;
                j = x == 0 ? i + wrapX : i - 1;
                c = s[j]; add = (uint)(r >> 32) < threshold[c] ? 1 : 0;
                s[j] = (sbyte)(c ^ (-add & flip)); stack[top] = (int)j; top += add;
                r = rng.NextUInt64();
                j = y == l - 1 ? i - wrapY : i + l;
                c = s[j]; add = (uint)r < threshold[c] ? 1 : 0;
                s[j] = (sbyte)(c ^ (-add & flip)); stack[top] = (int)j; top += add;
                j = y == 0 ? i + wrapY : i - l;
                c = s[j]; add = (uint)(r >> 32) < threshold[c] ? 1 : 0;
                s[j] = (sbyte)(c ^ (-add & flip)); stack[top] = (int)j; top += add;
            } while (top > 0);
            Rng = rng;
            LastClusterSize = size;
            WorkDone += size;
        }
    }
}

/// <summary>
/// Swendsen–Wang multi-cluster algorithm (Swendsen &amp; Wang, PRL 58, 86 (1987)) for the q-state Potts model on an
/// L × L torus: activate each of the 2N bonds (i, i + x̂), (i, i + ŷ) whose labels agree with probability
/// p = 1 − e^{−K}, find the clusters with union–find (path halving, union by index, preallocated arrays), give each
/// cluster a label drawn uniformly from all q. One <see cref="Step"/> is one full update;
/// <see cref="IMonteCarloSampler.Work"/> counts N per step.
/// </summary>
public sealed class Potts2DSwendsenWang<TRandom> : PottsSamplerBase<TRandom> where TRandom : struct, IRandomSource
{
    private readonly int[] _parent;
    private readonly sbyte[] _newLabel; // −1 undecided; indexed by root
    private readonly ulong _addBond;

    /// <summary>An L × L torus (L ≥ 2) of q labels at temperature T &gt; 0, started from uniform labels drawn from <paramref name="rng"/>.</summary>
    public Potts2DSwendsenWang(int size, int q, double temperature, TRandom rng) : base(size, q, temperature, rng)
    {
        _parent = new int[Sites];
        _newLabel = new sbyte[Sites];
        double p = -double.ExpM1(-Coupling);
        _addBond = p >= 1 ? 1UL << 53 : (ulong)Math.Round(p * (1UL << 53));
    }

    /// <inheritdoc />
    public override string Algorithm => "swendsen-wang";

    /// <summary>One Swendsen–Wang update of the whole torus.</summary>
    public override unsafe void Step()
    {
        int l = L, n = l * l, q = States;
        ulong p = _addBond;
        fixed (sbyte* s = Labels)
        fixed (int* parent = _parent)
        fixed (sbyte* label = _newLabel)
        {
            for (int i = 0; i < n; i++) parent[i] = i;
            new Span<sbyte>(label, n).Fill(-1);
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
                sbyte d = label[r];
                if (d < 0) label[r] = d = (sbyte)Rng.NextInt(q);
                s[i] = d;
            }
        }
        WorkDone += n;
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

    private static unsafe void Union(int* parent, int i, int j)
    {
        int a = Find(parent, i), b = Find(parent, j);
        if (a == b) return;
        if (a < b) parent[b] = a; else parent[a] = b;
    }
}

/// <summary>
/// Heat-bath (Gibbs) updates of single sites in random order for the q-state Potts model on an L × L torus: a site
/// drawn uniformly takes label a with probability P(a) = e^{K n_a} / Σ_b e^{K n_b}, n_a the number of its four bonds
/// to neighbours holding a. Each update leaves the Boltzmann distribution invariant, and so does a sweep of N of them
/// (random order: any L ≥ 2, odd sides included). The draw costs O(1) in q: with n_max the largest n_a,
/// P(a) ∝ w_a = e^{−K(n_max − n_a)}, which is w₀ = e^{−K n_max} for the labels no neighbour holds, so the total
/// W = q·w₀ + Σ_{a among the neighbours} (w_a − w₀) is a uniform part over all q labels plus an excess on at most four;
/// u uniform in [0, W) below q·w₀ picks label ⌊u/w₀⌋, above it the neighbour label whose excess it falls in. One
/// <see cref="Step"/> is one sweep of N updates; <see cref="IMonteCarloSampler.Work"/> counts the updates.
/// </summary>
public sealed class Potts2DHeatBath<TRandom> : PottsSamplerBase<TRandom> where TRandom : struct, IRandomSource
{
    private readonly double[] _weight = new double[5]; // e^{−K d}, d = 0 … 4
    private readonly ulong _divideByL;

    /// <summary>An L × L torus (L ≥ 2) of q labels at temperature T &gt; 0, started from uniform labels drawn from <paramref name="rng"/>.</summary>
    public Potts2DHeatBath(int size, int q, double temperature, TRandom rng) : base(size, q, temperature, rng)
    {
        for (int d = 0; d < _weight.Length; d++) _weight[d] = Math.Exp(-Coupling * d);
        _divideByL = Divider(size);
    }

    /// <inheritdoc />
    public override string Algorithm => "heatbath";

    /// <summary>N single-site heat-bath updates at uniformly drawn sites.</summary>
    public override unsafe void Step()
    {
        int l = L, n = l * l, q = States, wrapY = (l - 1) * l;
        ulong divide = _divideByL;
        Span<int> nb = stackalloc int[4];
        fixed (sbyte* s = Labels)
        fixed (double* w = _weight)
        {
            for (int t = 0; t < n; t++)
            {
                int i = Rng.NextInt(n);
                int y = (int)Math.BigMul((ulong)i, divide, out _), x = i - y * l;
                nb[0] = s[x == l - 1 ? i - (l - 1) : i + 1];
                nb[1] = s[x == 0 ? i + (l - 1) : i - 1];
                nb[2] = s[y == l - 1 ? i - wrapY : i + l];
                nb[3] = s[y == 0 ? i + wrapY : i - l];
                // n_a of each neighbour label (repeated labels counted at their first occurrence only).
                int c0 = 1 + (nb[1] == nb[0] ? 1 : 0) + (nb[2] == nb[0] ? 1 : 0) + (nb[3] == nb[0] ? 1 : 0);
                int c1 = nb[1] == nb[0] ? 0 : 1 + (nb[2] == nb[1] ? 1 : 0) + (nb[3] == nb[1] ? 1 : 0);
                int c2 = nb[2] == nb[0] || nb[2] == nb[1] ? 0 : 1 + (nb[3] == nb[2] ? 1 : 0);
                int c3 = nb[3] == nb[0] || nb[3] == nb[1] || nb[3] == nb[2] ? 0 : 1;
                int max = Math.Max(Math.Max(c0, c1), Math.Max(c2, c3));
                double w0 = w[max];
                // Excess of a first occurrence with count c > 0: e^{−K(max − c)} − w0; 0 for repeats (c = 0).
                double e0 = w[max - c0] - w0;
                double e1 = c1 == 0 ? 0 : w[max - c1] - w0;
                double e2 = c2 == 0 ? 0 : w[max - c2] - w0;
                double e3 = c3 == 0 ? 0 : w[max - c3] - w0;
                double uniform = q * w0;
                double u = Rng.NextDouble() * (uniform + e0 + e1 + e2 + e3);
                int label;
                if (u < uniform) label = Math.Min(q - 1, (int)(u / w0));
                else
                {
                    u -= uniform;
                    if (u < e0) label = nb[0];
                    else if ((u -= e0) < e1) label = nb[1];
                    else if ((u -= e1) < e2) label = nb[2];
                    else label = nb[3];
                }
                s[i] = (sbyte)label;
            }
        }
        WorkDone += n;
    }
}
