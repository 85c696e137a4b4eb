using Rsmi.Filters;
using System.Numerics;
using Rsmi.Exact;
using Rsmi.Models.Ising.Exact;
using Rsmi.Random;
using Rsmi.Regions;

namespace Rsmi.Learning;

/// <summary>A mutual information, stored in nats.</summary>
/// <param name="Nats">The value in nats (natural logarithm).</param>
public readonly record struct MutualInformation(double Nats)
{
    /// <summary>The value in bits (log base 2).</summary>
    public double Bits => Nats / Math.Log(2);
}

/// <summary>
/// The exact joint distribution P(V, E) of a block V and an environment E of a small system, obtained by summing the
/// Boltzmann weights of every configuration. Entry <c>Probabilities[e · 2^|V| + v]</c> is P(V = v, E = e), where bit i
/// of the index v (or e) set means spin i of V (or E) is +1.
/// </summary>
public sealed class VisibleEnvironmentDistribution
{
    /// <summary>|V|.</summary>
    public int VisibleSize { get; }
    /// <summary>|E|.</summary>
    public int EnvironmentSize { get; }
    /// <summary>2^|V| · 2^|E| probabilities, summing to one; index e·2^|V| + v.</summary>
    public double[] Probabilities { get; }

    /// <summary>Wraps a normalised table (not copied).</summary>
    public VisibleEnvironmentDistribution(int visibleSize, int environmentSize, double[] probabilities)
    {
        Require.That(visibleSize >= 1 && environmentSize >= 1 && visibleSize + environmentSize <= 26,
            $"|V| = {visibleSize} and |E| = {environmentSize} must be positive with |V| + |E| ≤ 26.");
        Require.That(probabilities.Length == 1 << (visibleSize + environmentSize), "the probability table has the wrong length.");
        VisibleSize = visibleSize; EnvironmentSize = environmentSize; Probabilities = probabilities;
    }

    /// <summary>2^|V|.</summary>
    public int VisibleStates => 1 << VisibleSize;
    /// <summary>2^|E|.</summary>
    public int EnvironmentStates => 1 << EnvironmentSize;

    /// <summary>Spin i (±1) of the configuration with index <paramref name="state"/>.</summary>
    public static double Spin(int state, int i) => ((state >> i) & 1) != 0 ? 1.0 : -1.0;

    /// <summary>The marginal P(V) (2^|V| values).</summary>
    public double[] VisibleMarginal()
    {
        var p = new double[VisibleStates];
        for (int e = 0; e < EnvironmentStates; e++)
            System.Numerics.Tensors.TensorPrimitives.Add(p, Probabilities.AsSpan(e * VisibleStates, VisibleStates), p);
        return p;
    }

    /// <summary>Draws <paramref name="count"/> independent (V, E) pairs from the table (seeded; inverse CDF).</summary>
    public Windows Sample(int count, ulong seed)
    {
        Require.Positive(count, "number of samples");
        var cdf = new double[Probabilities.Length];
        double acc = 0;
        for (int i = 0; i < cdf.Length; i++) { acc += Probabilities[i]; cdf[i] = acc; }
        var rng = RandomStreams.Create(seed, 0, "exact-mi-sample");
        var vis = new sbyte[count * VisibleSize];
        var env = new sbyte[count * EnvironmentSize];
        for (int n = 0; n < count; n++)
        {
            double u = rng.NextDouble() * acc;
            int k = Array.BinarySearch(cdf, u);
            if (k < 0) k = ~k;
            if (k >= cdf.Length) k = cdf.Length - 1;
            int v = k & (VisibleStates - 1), e = k >> VisibleSize;
            for (int i = 0; i < VisibleSize; i++) vis[n * VisibleSize + i] = (sbyte)Spin(v, i);
            for (int i = 0; i < EnvironmentSize; i++) env[n * EnvironmentSize + i] = (sbyte)Spin(e, i);
        }
        return new Windows { Count = count, VisibleSize = VisibleSize, EnvironmentSize = EnvironmentSize, Visible = vis, Environment = env };
    }
}

/// <summary>
/// Exact Boltzmann probabilities of every configuration of a small nearest-neighbour Ising system (J = 1, k_B = 1),
/// P(s) ∝ exp(K Σ_⟨ij⟩ s_i s_j), K = 1/T, from <see cref="IsingEnumeration"/>. Here bit i of the configuration index
/// set means s_i = +1 (the complement of <see cref="IsingEnumeration"/>'s convention, re-indexed here).
/// </summary>
public static class IsingConfigurationProbabilities
{
    /// <summary>All 2^N probabilities of a periodic ring of <paramref name="sites"/> sites (2 ≤ N ≤ 24) at temperature <paramref name="temperature"/> &gt; 0.</summary>
    public static double[] Ring(int sites, double temperature) => Reindex(IsingEnumeration.Ring(sites), temperature);

    /// <summary>All 2^(Lx·Ly) probabilities of a periodic Lx × Ly torus (sides ≥ 2, Lx·Ly ≤ 24) at temperature <paramref name="temperature"/> &gt; 0.
    /// Site (x, y) has index y·Lx + x; on a side of length 2 the two bonds between the same pair both count.</summary>
    public static double[] Torus(int lx, int ly, double temperature) => Reindex(IsingEnumeration.Torus(lx, ly), temperature);

    private static double[] Reindex(IsingEnumeration enumeration, double temperature)
    {
        var q = enumeration.BoltzmannProbabilities(temperature);
        int full = q.Length - 1;
        var p = new double[q.Length];
        for (int c = 0; c < q.Length; c++) p[c] = q[c ^ full];
        return p;
    }
}

/// <summary>
/// Exact mutual information of small systems by enumeration — the ground truth for every estimator in rsmi.
/// I(V:E) = Σ P(v,e) log[P(v,e) / (P(v) P(e))]; for a coarse-graining filter Λ (docs/algorithm.md, "The coarse-graining rule"),
/// P_Λ(h, e) = Σ_v P(v, e) P_Λ(h|v) and I_Λ(H:E) = Σ P(h,e) log[P(h,e) / (P(h) P(e))]
/// (Koch-Janusz &amp; Ringel 2018, Eq. 2). Everything is computed on the marginal table P(V, E), so the cost after
/// marginalisation is 2^|V| · 2^|E| · 2^N_h.
/// </summary>
public static class ExactMutualInformation
{
    /// <summary>Largest number of hidden units handled by enumeration.</summary>
    public const int MaxHidden = 8;

    /// <summary>
    /// The exact P(V, E) for a window <paramref name="geometry"/> placed with its block at the origin of an Lx × Ly torus
    /// (2D geometry) or of a ring of Lx sites (chain geometry, <paramref name="ly"/> ignored), at temperature T.
    /// The window must fit without wrapping onto itself. Sites of V and E are in the geometry's order (row-major).
    /// </summary>
    public static VisibleEnvironmentDistribution ForWindow(WindowGeometry geometry, int lx, int ly, double temperature)
    {
        Require.That(geometry.Dimension <= 2, "the exact window distribution is enumerated on chains and square tori only.");
        if (geometry.Dimension == 1)
        {
            Require.That(geometry.ExtentX <= lx, $"the window spans {geometry.ExtentX} sites, more than the ring's {lx}.");
            var p = IsingConfigurationProbabilities.Ring(lx, temperature);
            return Marginalise(p, lx, geometry.VisibleOffsets.Select(o => Wrap(o.Dx, lx)).ToArray(),
                geometry.EnvironmentOffsets.Select(o => Wrap(o.Dx, lx)).ToArray());
        }
        Require.That(geometry.ExtentX <= lx && geometry.ExtentY <= ly, $"the window spans {geometry.ExtentX}x{geometry.ExtentY} sites, more than the {lx}x{ly} torus.");
        var q = IsingConfigurationProbabilities.Torus(lx, ly, temperature);
        return Marginalise(q, lx * ly, geometry.VisibleOffsets.Select(o => Wrap(o.Dx, lx) + Wrap(o.Dy, ly) * lx).ToArray(),
            geometry.EnvironmentOffsets.Select(o => Wrap(o.Dx, lx) + Wrap(o.Dy, ly) * lx).ToArray());
    }

    /// <summary>Exact P(V, E) on a ring of <paramref name="sites"/> sites for explicit site lists (disjoint, in range).</summary>
    public static VisibleEnvironmentDistribution Ring(int sites, double temperature, int[] visible, int[] environment)
        => Marginalise(IsingConfigurationProbabilities.Ring(sites, temperature), sites, visible, environment);

    /// <summary>Exact P(V, E) on an Lx × Ly torus for explicit site lists (index y·Lx + x; disjoint, in range).</summary>
    public static VisibleEnvironmentDistribution Torus(int lx, int ly, double temperature, int[] visible, int[] environment)
        => Marginalise(IsingConfigurationProbabilities.Torus(lx, ly, temperature), lx * ly, visible, environment);

    /// <summary>Sums configuration probabilities (2^N, bit i = site i up) onto the (V, E) table.</summary>
    public static VisibleEnvironmentDistribution Marginalise(ReadOnlySpan<double> configurationProbabilities, int sites, int[] visible, int[] environment)
    {
        Require.That(configurationProbabilities.Length == 1 << sites, "the configuration table must hold 2^N probabilities.");
        Require.That(visible.Length > 0 && environment.Length > 0, "V and E must both be non-empty.");
        Require.That(visible.Concat(environment).All(s => s >= 0 && s < sites), "a site of V or E lies outside the system.");
        Require.That(visible.Concat(environment).Distinct().Count() == visible.Length + environment.Length, "V and E must be disjoint sets of distinct sites.");
        int nv = visible.Length;
        var table = new double[1 << (nv + environment.Length)];
        var order = visible.Concat(environment).ToArray();
        for (int c = 0; c < configurationProbabilities.Length; c++)
        {
            int index = 0;
            for (int k = 0; k < order.Length; k++) index |= ((c >> order[k]) & 1) << k;
            table[index] += configurationProbabilities[c];
        }
        return new VisibleEnvironmentDistribution(nv, environment.Length, table);
    }

    /// <summary>I(V:E) of the exact table.</summary>
    public static MutualInformation VisibleEnvironment(VisibleEnvironmentDistribution p)
    {
        int nvS = p.VisibleStates, neS = p.EnvironmentStates;
        var pv = p.VisibleMarginal();
        double i = 0;
        for (int e = 0; e < neS; e++)
        {
            var row = p.Probabilities.AsSpan(e * nvS, nvS);
            double pe = System.Numerics.Tensors.TensorPrimitives.Sum<double>(row);
            if (pe <= 0) continue;
            for (int v = 0; v < nvS; v++)
                if (row[v] > 0) i += row[v] * Math.Log(row[v] / (pv[v] * pe));
        }
        return new MutualInformation(i);
    }

    /// <summary>I_Λ(H:E) for the filter Λ (|V| must match; N_h ≤ <see cref="MaxHidden"/>).</summary>
    public static MutualInformation FilterEnvironment(VisibleEnvironmentDistribution p, FilterParameters filter)
        => FilterEnvironment(p, filter, default, default);

    /// <summary>
    /// I_Λ(H:E) and, when the spans are non-empty, its exact gradient with respect to λ (N_h × |V|, the filter
    /// layout) and c (N_h). Derivation: with P(e) independent of Λ and Σ dP(h,e) = 0,
    /// dI = Σ_{h,e} dP(h,e) log P(e|h); dP(h,e)/dλ_ij = Σ_v P(v,e) P_Λ(h|v) g_ij(v,h) with the score
    /// g_ij = ∂ log P_Λ(h|v)/∂λ_ij = v_i (h_j − tanh a_j(v)) (for c_j: h_j − tanh a_j). Hence
    /// ∂I/∂λ_ij = Σ_{v,h} P_Λ(h|v) g_ij(v,h) Q(v,h) with Q(v,h) = Σ_e P(v,e) log P(e|h).
    /// </summary>
    public static MutualInformation FilterEnvironment(VisibleEnvironmentDistribution p, FilterParameters filter,
        Span<double> weightGradient, Span<double> biasGradient)
    {
        Require.That(filter.Visible == p.VisibleSize, $"the filter has {filter.Visible} block weights but |V| = {p.VisibleSize}.");
        Require.That(filter.Hidden <= MaxHidden, $"exact mutual information handles at most {MaxHidden} hidden units, got {filter.Hidden}.");
        int nv = p.VisibleSize, nh = filter.Hidden;
        int nvS = p.VisibleStates, neS = p.EnvironmentStates, nhS = 1 << nh;
        // P(h|v) and tanh a_j(v)
        var ph = new double[nvS * nhS];
        var tanhA = new double[nvS * nh];
        Span<double> block = stackalloc double[nv];
        Span<double> a = stackalloc double[nh];
        for (int v = 0; v < nvS; v++)
        {
            for (int i = 0; i < nv; i++) block[i] = VisibleEnvironmentDistribution.Spin(v, i);
            filter.Activations(block, a);
            for (int j = 0; j < nh; j++) tanhA[v * nh + j] = Math.Tanh(a[j]);
            for (int h = 0; h < nhS; h++)
            {
                double prob = 1;
                for (int j = 0; j < nh; j++) prob *= Sigmoid(2 * VisibleEnvironmentDistribution.Spin(h, j) * a[j]);
                ph[v * nhS + h] = prob;
            }
        }
        // P(h, e)
        var phe = new double[neS * nhS];
        Parallel.For(0, (neS + 255) / 256, chunk =>
        {
            for (int e = chunk * 256, end = Math.Min(neS, e + 256); e < end; e++)
            {
                var row = p.Probabilities.AsSpan(e * nvS, nvS);
                var outRow = phe.AsSpan(e * nhS, nhS);
                for (int v = 0; v < nvS; v++)
                {
                    double pve = row[v];
                    if (pve == 0) continue;
                    for (int h = 0; h < nhS; h++) outRow[h] += pve * ph[v * nhS + h];
                }
            }
        });
        var pH = new double[nhS];
        for (int e = 0; e < neS; e++) for (int h = 0; h < nhS; h++) pH[h] += phe[e * nhS + h];
        double info = 0;
        var logCond = new double[neS * nhS]; // log P(e|h)
        for (int e = 0; e < neS; e++)
        {
            double pe = 0;
            for (int h = 0; h < nhS; h++) pe += phe[e * nhS + h];
            for (int h = 0; h < nhS; h++)
            {
                double x = phe[e * nhS + h];
                if (x <= 0) continue;
                logCond[e * nhS + h] = Math.Log(x / pH[h]);
                info += x * Math.Log(x / (pH[h] * pe));
            }
        }
        if (weightGradient.Length > 0 || biasGradient.Length > 0)
        {
            Require.That(weightGradient.Length == nv * nh && biasGradient.Length == nh, "gradient spans must hold N_h·|V| and N_h values.");
            // Q(v,h) = Σ_e P(v,e) log P(e|h)
            var q = new double[nvS * nhS];
            for (int e = 0; e < neS; e++)
            {
                var row = p.Probabilities.AsSpan(e * nvS, nvS);
                var lc = logCond.AsSpan(e * nhS, nhS);
                for (int v = 0; v < nvS; v++)
                {
                    double pve = row[v];
                    if (pve == 0) continue;
                    for (int h = 0; h < nhS; h++) q[v * nhS + h] += pve * lc[h];
                }
            }
            weightGradient.Clear(); biasGradient.Clear();
            for (int v = 0; v < nvS; v++)
                for (int h = 0; h < nhS; h++)
                {
                    double f = ph[v * nhS + h] * q[v * nhS + h];
                    if (f == 0) continue;
                    for (int j = 0; j < nh; j++)
                    {
                        double s = f * (VisibleEnvironmentDistribution.Spin(h, j) - tanhA[v * nh + j]);
                        biasGradient[j] += s;
                        for (int i = 0; i < nv; i++) weightGradient[j * nv + i] += s * VisibleEnvironmentDistribution.Spin(v, i);
                    }
                }
        }
        return new MutualInformation(info);
    }

    /// <summary>
    /// The best filter found by direct numerical maximisation of the exact I_Λ(H:E): Adam ascent on the exact gradient
    /// from <paramref name="restarts"/> seeded random starts, <paramref name="iterations"/> steps each; the
    /// filter with the largest I_Λ is returned (sign convention applied). The optimum is often deterministic
    /// (|λ| → ∞), which the ascent approaches from below.
    /// </summary>
    public static (FilterParameters Filter, MutualInformation Information) MaximiseFilter(
        VisibleEnvironmentDistribution p, int hidden, ulong seed, int restarts = 6, int iterations = 1500, double learningRate = 0.1)
    {
        Require.Positive(restarts, "restarts");
        Require.Positive(iterations, "iterations");
        FilterParameters? best = null; double bestI = double.NegativeInfinity;
        int nv = p.VisibleSize;
        for (int r = 0; r < restarts; r++)
        {
            var rng = RandomStreams.Create(seed, (ulong)r, "exact-mi-maximise");
            var f = new FilterParameters(nv, hidden);
            for (int k = 0; k < f.Weights.Length; k++) f.Weights[k] = rng.NextGaussian();
            for (int k = 0; k < hidden; k++) f.Bias[k] = 0.1 * rng.NextGaussian();
            var adam = new AdamState(f.Weights.Length + hidden);
            var grad = new double[f.Weights.Length + hidden];
            var theta = new double[f.Weights.Length + hidden];
            for (int t = 0; t < iterations; t++)
            {
                FilterEnvironment(p, f, grad.AsSpan(0, f.Weights.Length), grad.AsSpan(f.Weights.Length));
                f.Weights.CopyTo(theta, 0); f.Bias.CopyTo(theta, f.Weights.Length);
                adam.Ascend(theta, grad, learningRate);
                theta.AsSpan(0, f.Weights.Length).CopyTo(f.Weights); theta.AsSpan(f.Weights.Length).CopyTo(f.Bias);
            }
            double i = FilterEnvironment(p, f).Nats;
            if (i > bestI) { bestI = i; best = f; }
        }
        best!.ApplySignConvention();
        return (best, new MutualInformation(bestI));
    }

    internal static double Sigmoid(double x) => x >= 0 ? 1.0 / (1.0 + Math.Exp(-x)) : Math.Exp(x) / (1.0 + Math.Exp(x));

    private static int Wrap(int i, int l) { i %= l; return i < 0 ? i + l : i; }
}
