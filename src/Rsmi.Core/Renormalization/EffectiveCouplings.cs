using Rsmi.Statistics;
using System.Runtime.InteropServices;
using Rsmi.Data;

using Rsmi.Models.Ising;

namespace Rsmi.Renormalization;

/// <summary>The effective couplings of one set of configurations.</summary>
/// <param name="Lx">Lattice width.</param>
/// <param name="Ly">Lattice height.</param>
/// <param name="Samples">Number of configurations.</param>
/// <param name="Blocks">Jackknife blocks.</param>
/// <param name="Operators">Indices of the fitted operators in <see cref="EvenOperators"/>.</param>
/// <param name="Names">Their names.</param>
/// <param name="Couplings">K_α of H = −Σ_α K_α S_α, in the order of <paramref name="Operators"/>, with jackknife errors
/// (NaN when the pseudo-likelihood has no finite maximum, e.g. on perfectly ordered configurations).</param>
/// <param name="Range">R = Σ_{α ≠ nn} |K_α| / |K_nn| (NaN when the nearest-neighbour coupling is not fitted).</param>
public sealed record EffectiveCouplingResult(int Lx, int Ly, int Samples, int Blocks, int[] Operators, string[] Names, Estimate[] Couplings, Estimate Range)
{
    /// <summary>The coupling of operator <paramref name="name"/> (an entry of <see cref="EvenOperators.Names"/>).</summary>
    public Estimate this[string name] => Couplings[Array.IndexOf(Names, name) is var i and >= 0 ? i : throw new KeyNotFoundException($"operator {name} was not fitted.")];
}

/// <summary>
/// Effective couplings of ±1 configurations on an Lx × Ly torus: the K_α of H = −Σ_α K_α S_α, P(s) ∝ e^{−H}, with S_α
/// the even operators of <see cref="EvenOperators"/> (nearest neighbour, diagonal, third neighbour, plaquette, …),
/// estimated by maximum pseudo-likelihood (Besag, The Statistician 24, 179 (1975); docs/algorithm.md, "Effective
/// couplings"). For an Ising system the conditional law of one spin given all others is
/// <code>
///     P(s_i | rest) = e^{s_i h_i} / (2 cosh h_i),    h_i = Σ_α K_α g_α(i),    g_α(i) = ∂S_α/∂s_i,
/// </code>
/// (<see cref="OperatorStencil"/>), and the log pseudo-likelihood of configurations s^(n) with weights w_n is
/// <code>
///     ℓ(K) = Σ_n w_n Σ_i [ s_i h_i − ln 2cosh h_i ],
///     ∂ℓ/∂K_α = Σ_n w_n Σ_i g_α(i) (s_i − tanh h_i),
///     ∂²ℓ/∂K_α∂K_β = −Σ_n w_n Σ_i g_α(i) g_β(i) sech² h_i,
/// </code>
/// concave in K. It depends on the data only through the counts of the distinct vectors u_i = s_i g(i) (s_i h_i =
/// K·u_i and ln cosh is even), so the configurations are first reduced to a histogram of u, per jackknife block; the
/// maximum is then found by Newton's method with a backtracking (Armijo) line search from K = 0, which converges for a
/// concave objective. Errors: delete-one-block jackknife over configurations (<see cref="Jackknife"/>), each
/// replicate maximised from the full-sample couplings. The range measure R = Σ_{α ≠ nn} |K_α| / |K_nn| weighs
/// everything beyond the nearest-neighbour coupling against it.
/// <para>
/// Why pseudo-likelihood rather than Swendsen's method (Swendsen, PRL 52, 1165 (1984)): with single-spin
/// conditional expectations, Swendsen's equations ⟨Σ_i g_α(i) s_i⟩ = ⟨Σ_i g_α(i) tanh h_i⟩ are exactly the stationarity
/// conditions ∂ℓ/∂K = 0 above, and his Newton matrix is the Hessian. Writing them as the maximum of a concave function
/// adds what the equations alone do not give: a unique solution, a line search that makes Newton's method converge
/// from K = 0 however far the couplings are, a test of existence (no finite maximum: Newton runs away and the result
/// is NaN), and a consistent estimator whose population version (exact Boltzmann weights as sample weights) returns
/// the true couplings exactly, which the tests check on an enumerated torus.
/// </para>
/// </summary>
public static class EffectiveCouplings
{
    /// <summary>Default number of operators: nearest, diagonal, third neighbour and plaquette.</summary>
    public const int DefaultOperators = 4;

    private const int MaxIterations = 100;
    private const double RunawayCoupling = 1e3;

    /// <summary>
    /// K_α of the first <paramref name="operators"/> even operators (1..<see cref="EvenOperators.Count"/>) from
    /// <paramref name="samples"/> (2D, every term of every operator fitting on the lattice), with delete-one-block
    /// jackknife errors from <paramref name="jackknifeBlocks"/> (2..samples) contiguous blocks.
    /// </summary>
    public static EffectiveCouplingResult Estimate(SampleSet samples, int operators = DefaultOperators, int jackknifeBlocks = 20)
    {
        Require.That(operators is >= 1 and <= EvenOperators.Count, $"the number of coupling operators must be between 1 and {EvenOperators.Count}, got {operators}.");
        return Estimate(samples, Enumerable.Range(0, operators).ToArray(), jackknifeBlocks);
    }

    /// <summary>As <see cref="Estimate(SampleSet, int, int)"/> for a chosen set of even operators (distinct indices into <see cref="EvenOperators"/>).</summary>
    public static EffectiveCouplingResult Estimate(SampleSet samples, IReadOnlyList<int> operators, int jackknifeBlocks = 20)
    {
        var stencil = Validate(samples, operators);
        Require.That(jackknifeBlocks >= 2 && jackknifeBlocks <= samples.Count, $"the jackknife needs between 2 and {samples.Count} blocks, got {jackknifeBlocks}.");
        var histogram = PatternHistogram.Build(samples, stencil, jackknifeBlocks, default);
        int p = operators.Count;
        int nn = IndexOfNearest(operators);
        double[]? full = null;
        var estimates = Jackknife.Estimate(jackknifeBlocks, omit =>
        {
            var k = Maximise(histogram.Patterns, histogram.Weights(omit), p, omit < 0 ? null : full);
            if (omit < 0) full = k;
            return [.. k, Range(k, nn)];
        });
        return new EffectiveCouplingResult(samples.Lx, samples.Ly, samples.Count, jackknifeBlocks, [.. operators],
            operators.Select(a => EvenOperators.Names[a]).ToArray(), estimates[..p], estimates[p]);
    }

    /// <summary>
    /// The maximum-pseudo-likelihood couplings of <paramref name="operators"/> with configuration n weighted by
    /// <paramref name="weights"/>[n] (non-negative, not all zero; empty: equal weights). With the exact Boltzmann
    /// probabilities of all configurations of a small lattice as weights this is the population estimator, which
    /// returns the true couplings. No error bar.
    /// </summary>
    public static double[] Fit(SampleSet samples, IReadOnlyList<int> operators, ReadOnlySpan<double> weights = default)
    {
        var stencil = Validate(samples, operators);
        if (!weights.IsEmpty)
        {
            Require.That(weights.Length == samples.Count, $"expected one weight per configuration ({samples.Count}), got {weights.Length}.");
            double sum = 0;
            foreach (double w in weights)
            {
                Require.That(w >= 0 && double.IsFinite(w), "configuration weights must be finite and non-negative.");
                sum += w;
            }
            Require.That(sum > 0, "at least one configuration weight must be positive.");
        }
        var histogram = PatternHistogram.Build(samples, stencil, 1, weights);
        return Maximise(histogram.Patterns, histogram.Weights(-1), operators.Count, null);
    }

    /// <summary>R = Σ_{α ≠ nn} |K_α| / |K_nn| for couplings of <paramref name="operators"/> (NaN without the nearest-neighbour operator 0).</summary>
    public static double Range(IReadOnlyList<int> operators, ReadOnlySpan<double> couplings) => Range(couplings, IndexOfNearest(operators));

    private static int IndexOfNearest(IReadOnlyList<int> operators)
    {
        for (int i = 0; i < operators.Count; i++) if (operators[i] == 0) return i;
        return -1;
    }

    private static double Range(ReadOnlySpan<double> k, int nn)
    {
        if (nn < 0) return double.NaN;
        double beyond = 0;
        for (int a = 0; a < k.Length; a++) if (a != nn) beyond += Math.Abs(k[a]);
        return beyond / Math.Abs(k[nn]);
    }

    private static OperatorStencil Validate(SampleSet samples, IReadOnlyList<int> operators)
    {
        Require.That(samples.Rank == 2, $"effective couplings need square-lattice configurations of shape (N, Ly, Lx), got configurations of rank {samples.Rank}.");
        Require.That(operators.Count >= 1, "at least one coupling operator is needed.");
        foreach (int a in operators)
            Require.That(a >= 0 && a < EvenOperators.Count, $"coupling operators are numbered 0 to {EvenOperators.Count - 1}, got {a}.");
        Require.That(operators.Distinct().Count() == operators.Count, "each coupling operator may be named once.");
        return new OperatorStencil(operators.Select(a => EvenOperators.Terms[a]).ToArray(), samples.Lx, samples.Ly);
    }

    /// <summary>
    /// Maximises ℓ(K) = Σ_P w_P [K·u_P − ln 2cosh(K·u_P)] over the distinct patterns u_P (rows of <paramref name="u"/>,
    /// <paramref name="p"/> values each) by Newton's method with a backtracking line search. NaN couplings when the
    /// Hessian is singular (an operator constant or two operators proportional on the data) or when no finite
    /// maximum exists (Newton runs away or does not settle within 100 iterations).
    /// </summary>
    internal static double[] Maximise(double[] u, double[] w, int p, double[]? start)
    {
        int patterns = w.Length;
        double total = 0;
        foreach (double x in w) total += x;
        var k = start is not null && start.All(double.IsFinite) ? (double[])start.Clone() : new double[p];
        var grad = new double[p];
        var hess = new double[p * p];
        var step = new double[p];
        var trial = new double[p];
        double f = Objective(u, w, k, p, total);
        for (int it = 0; it < MaxIterations; it++)
        {
            Array.Clear(grad);
            Array.Clear(hess);
            for (int q = 0; q < patterns; q++)
            {
                if (w[q] == 0) continue;
                var row = u.AsSpan(q * p, p);
                double x = 0;
                for (int a = 0; a < p; a++) x += k[a] * row[a];
                double t = Math.Tanh(x);
                double gw = w[q] * (1 - t), hw = w[q] * (1 - t * t);
                for (int a = 0; a < p; a++)
                {
                    grad[a] += gw * row[a];
                    for (int b = 0; b <= a; b++) hess[a * p + b] += hw * row[a] * row[b];
                }
            }
            for (int a = 0; a < p; a++)
            {
                grad[a] /= total;
                for (int b = 0; b <= a; b++) hess[b * p + a] = hess[a * p + b] /= total;
            }
            if (!CholeskySolve(hess, grad, step, p)) return Fill(p, double.NaN);
            double decrement = 0;
            for (int a = 0; a < p; a++) decrement += grad[a] * step[a];
            double scale = 1;
            // Near the maximum the gain (≈ decrement / 2) is below the rounding of ℓ: take the full Newton step.
            if (decrement > 1e-20)
            {
                while (true)
                {
                    for (int a = 0; a < p; a++) trial[a] = k[a] + scale * step[a];
                    double ft = Objective(u, w, trial, p, total);
                    if (ft >= f + 1e-4 * scale * decrement) { f = ft; break; }
                    scale *= 0.5;
                    if (scale < 1e-12) return k;
                }
            }
            double largest = 0, size = 0;
            for (int a = 0; a < p; a++)
            {
                k[a] += scale * step[a];
                largest = Math.Max(largest, Math.Abs(scale * step[a]));
                size = Math.Max(size, Math.Abs(k[a]));
            }
            if (size > RunawayCoupling || !double.IsFinite(size)) return Fill(p, double.NaN);
            if (decrement <= 1e-20) f = Objective(u, w, k, p, total);
            if (largest <= 1e-13 * (1 + size)) return k;
        }
        return Fill(p, double.NaN);
    }

    private static double[] Fill(int p, double value) => Enumerable.Repeat(value, p).ToArray();

    /// <summary>ℓ(K) / Σw, with ln 2cosh x = |x| + ln(1 + e^{−2|x|}).</summary>
    private static double Objective(double[] u, double[] w, double[] k, int p, double total)
    {
        double f = 0;
        for (int q = 0; q < w.Length; q++)
        {
            if (w[q] == 0) continue;
            double x = 0;
            for (int a = 0; a < p; a++) x += k[a] * u[q * p + a];
            double ax = Math.Abs(x);
            f += w[q] * (x - ax - Math.Log(1 + Math.Exp(-2 * ax)));
        }
        return f / total;
    }

    /// <summary>Solves M x = b for a symmetric positive definite p × p matrix M (row-major); false when M is not (numerically) positive definite.</summary>
    private static bool CholeskySolve(double[] m, double[] b, double[] x, int p)
    {
        var l = new double[p * p];
        double largest = 0;
        for (int i = 0; i < p; i++) largest = Math.Max(largest, m[i * p + i]);
        for (int i = 0; i < p; i++)
        for (int j = 0; j <= i; j++)
        {
            double sum = m[i * p + j];
            for (int c = 0; c < j; c++) sum -= l[i * p + c] * l[j * p + c];
            if (i == j)
            {
                if (!(sum > 1e-12 * largest)) return false;
                l[i * p + i] = Math.Sqrt(sum);
            }
            else l[i * p + j] = sum / l[j * p + j];
        }
        var y = new double[p];
        for (int i = 0; i < p; i++)
        {
            double sum = b[i];
            for (int c = 0; c < i; c++) sum -= l[i * p + c] * y[c];
            y[i] = sum / l[i * p + i];
        }
        for (int i = p - 1; i >= 0; i--)
        {
            double sum = y[i];
            for (int c = i + 1; c < p; c++) sum -= l[c * p + i] * x[c];
            x[i] = sum / l[i * p + i];
        }
        return true;
    }

    /// <summary>
    /// The configurations reduced to the distinct vectors u = s_i g(i) (keys sorted, so the result does not depend on
    /// threads) with their total weight in each jackknife block.
    /// </summary>
    private sealed class PatternHistogram
    {
        public double[] Patterns = [];   // P × p values of u
        public double[][] BlockWeights = []; // per block, P weights

        /// <summary>Pattern weights without block <paramref name="omit"/> (all blocks when omit &lt; 0), summed in block order.</summary>
        public double[] Weights(int omit)
        {
            var w = new double[BlockWeights[0].Length];
            for (int b = 0; b < BlockWeights.Length; b++)
            {
                if (b == omit) continue;
                var bw = BlockWeights[b];
                for (int q = 0; q < w.Length; q++) w[q] += bw[q];
            }
            return w;
        }

        public static PatternHistogram Build(SampleSet samples, OperatorStencil stencil, int blocks, ReadOnlySpan<double> weights)
        {
            int p = stencil.Operators;
            var bits = new int[p];
            var bias = new int[p];
            int used = 0;
            for (int a = 0; a < p; a++)
            {
                bias[a] = stencil.MaxField(a);
                bits[a] = 64 - (int)ulong.LeadingZeroCount((ulong)(2 * bias[a]));
                used += bits[a];
            }
            Require.That(used <= 64, "too many coupling operators for one pattern key.");
            double[]? w = weights.IsEmpty ? null : weights.ToArray();
            int count = samples.Count, sites = samples.Sites;
            var tables = new Dictionary<ulong, double>[blocks];
            Parallel.For(0, blocks, b =>
            {
                var table = new Dictionary<ulong, double>();
                var fields = new int[p];
                var (start, end) = Jackknife.Range(count, blocks, b);
                for (int n = start; n < end; n++)
                {
                    double weight = w?[n] ?? 1.0;
                    if (weight == 0) continue;
                    ReadOnlySpan<sbyte> s = samples.Configuration(n);
                    for (int i = 0; i < sites; i++)
                    {
                        stencil.LocalFields(s, i, fields);
                        ulong key = 0;
                        int shift = 0;
                        for (int a = 0; a < p; a++)
                        {
                            key |= (ulong)(s[i] * fields[a] + bias[a]) << shift;
                            shift += bits[a];
                        }
                        CollectionsMarshal.GetValueRefOrAddDefault(table, key, out _) += weight;
                    }
                }
                tables[b] = table;
            });
            var keys = tables.SelectMany(t => t.Keys).Distinct().Order().ToArray();
            var index = new Dictionary<ulong, int>(keys.Length);
            for (int q = 0; q < keys.Length; q++) index[keys[q]] = q;
            var patterns = new double[keys.Length * p];
            for (int q = 0; q < keys.Length; q++)
            {
                int shift = 0;
                for (int a = 0; a < p; a++)
                {
                    patterns[q * p + a] = (long)((keys[q] >> shift) & ((1UL << bits[a]) - 1)) - bias[a];
                    shift += bits[a];
                }
            }
            var blockWeights = new double[blocks][];
            for (int b = 0; b < blocks; b++)
            {
                blockWeights[b] = new double[keys.Length];
                foreach (var (key, value) in tables[b]) blockWeights[b][index[key]] = value;
            }
            return new PatternHistogram { Patterns = patterns, BlockWeights = blockWeights };
        }
    }
}
