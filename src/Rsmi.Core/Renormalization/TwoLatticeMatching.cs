using Rsmi.Statistics;

namespace Rsmi.Renormalization;

/// <summary>
/// T_c without a thermometer: Swendsen's two-lattice matching (Swendsen, PRL 42, 859 (1979); Pawley, Swendsen, Wallace
/// &amp; Wilson, PRB 29, 4030 (1984); docs/algorithm.md, "Two-lattice matching"), and the extrapolation of per-step
/// estimates in the step number.
/// <para>
/// Lattices of sides L and L/b, both started at T₀, are coarse-grained k and k − 1 times by the same rule, which
/// leaves both with side L/b^k. At T_c both flows approach the same fixed point, so the expectation values of the
/// even operators per site on the two final lattices agree up to irrelevant corrections that die as k grows:
/// <code>
///     g_α(T₀) = ⟨S_α^(k)⟩_L(T₀)/N_k − ⟨S_α^(k−1)⟩_{L/b}(T₀)/N_k = 0   at T₀ = T_c^(k),
/// </code>
/// N_k = (L/b^k)². Away from T_c the larger lattice has taken one step more, so its deviation from the fixed point
/// is b^{y_t} times larger and g_α changes sign at T_c. Finite-size effects cancel: both final lattices have the
/// same size. The root is found between the neighbouring starting temperatures where g changes sign, on the
/// parabola through them and the next nearest temperature (a straight line when there are only two). Errors: the
/// two lattices and all temperatures are independent samples, so the variance is the sum over those 2 × (number of
/// temperatures) data sets of a delete-one-block jackknife over that set's configurations.
/// </para>
/// </summary>
public static class TwoLatticeMatching
{
    /// <summary>
    /// T_c^(k) from operator <paramref name="alpha"/>: <paramref name="large"/>[i] holds count_i × <paramref name="operators"/>
    /// values of the even operators on the large lattice after k steps at temperature <paramref name="t0"/>[i] (increasing),
    /// <paramref name="small"/>[i] those of the small lattice after k − 1 steps; both lattices have <paramref name="sites"/>
    /// sites. Undefined when g does not change sign in the range.
    /// </summary>
    public static Estimate Match(IReadOnlyList<double> t0, IReadOnlyList<double[]> large, IReadOnlyList<double[]> small, int operators, int alpha,
        int sites, int jackknifeBlocks)
    {
        int n = t0.Count;
        var l = large.Select(v => BlockSums.Of(v, operators, alpha, sites, jackknifeBlocks)).ToArray();
        var s = small.Select(v => BlockSums.Of(v, operators, alpha, sites, jackknifeBlocks)).ToArray();
        var t = t0.ToArray();
        double[] G(int omitSet, int omitBlock)
        {
            var g = new double[n];
            for (int i = 0; i < n; i++)
                g[i] = l[i].Mean(omitSet == i ? omitBlock : -1) - s[i].Mean(omitSet == n + i ? omitBlock : -1);
            return g;
        }
        double value = Root(t, G(-1, -1));
        if (!double.IsFinite(value)) return Estimate.Undefined;
        double variance = 0;
        for (int set = 0; set < 2 * n; set++)
        {
            int blocks = set < n ? l[set].Blocks : s[set - n].Blocks;
            var reps = new double[blocks];
            for (int b = 0; b < blocks; b++) reps[b] = Root(t, G(set, b));
            variance += JackknifeVariance(reps);
        }
        return new Estimate(value, Math.Sqrt(variance));
    }

    /// <summary>
    /// The root of g(t), t increasing: among the neighbouring pairs where g changes sign the one
    /// nearest the middle of the range, refined on the parabola through the pair and the nearer of its outer
    /// neighbours (which passes through both, so it has exactly one root between them; found by bisection); a
    /// straight line when there are only two points. NaN without a sign change.
    /// </summary>
    public static double Root(IReadOnlyList<double> t, IReadOnlyList<double> g)
    {
        int n = t.Count, best = -1;
        double mid = 0.5 * (t[0] + t[n - 1]);
        for (int i = 0; i + 1 < n; i++)
        {
            // A change of sign, zero counting as positive: each crossing is seen by exactly one pair.
            if (!(double.IsFinite(g[i]) && double.IsFinite(g[i + 1])) || (g[i] < 0) == (g[i + 1] < 0)) continue;
            if (best < 0 || Math.Abs(0.5 * (t[i] + t[i + 1]) - mid) < Math.Abs(0.5 * (t[best] + t[best + 1]) - mid)) best = i;
        }
        if (best < 0) return double.NaN;
        int a = best, b = best + 1;
        if (g[a] == 0) return t[a];
        if (g[b] == 0) return t[b];
        int c = -1;
        double centre = 0.5 * (t[a] + t[b]);
        if (a - 1 >= 0 && double.IsFinite(g[a - 1])) c = a - 1;
        if (b + 1 < n && double.IsFinite(g[b + 1]) && (c < 0 || Math.Abs(t[b + 1] - centre) < Math.Abs(t[c] - centre))) c = b + 1;
        Func<double, double> curve = c < 0
            ? x => g[a] + (g[b] - g[a]) * (x - t[a]) / (t[b] - t[a])
            : x => g[a] * (x - t[b]) * (x - t[c]) / ((t[a] - t[b]) * (t[a] - t[c]))
                 + g[b] * (x - t[a]) * (x - t[c]) / ((t[b] - t[a]) * (t[b] - t[c]))
                 + g[c] * (x - t[a]) * (x - t[b]) / ((t[c] - t[a]) * (t[c] - t[b]));
        double lo = t[a], hi = t[b], flo = g[a];
        for (int it = 0; it < 200 && hi - lo > 1e-15 * Math.Abs(hi); it++)
        {
            double m = 0.5 * (lo + hi), fm = curve(m);
            if (fm == 0) return m;
            if ((fm < 0) == (flo < 0)) { lo = m; flo = fm; } else hi = m;
        }
        return 0.5 * (lo + hi);
    }

    /// <summary>
    /// The smallest side of the matched lattices whose T_c^(k) is reported as the estimate: on smaller ones the
    /// corrections to scaling of the last blocking steps no longer cancel between the two lattices (as for the MCRG
    /// levels combined into ν, <see cref="SwendsenMcrg.CombinedLevels"/>).
    /// </summary>
    public const int SmallestMatchedSize = 8;

    /// <summary>
    /// The step k* whose T_c^(k) is the estimate, for levels of sides <paramref name="sizes"/>[0 … K]: the last
    /// k ≥ 1 with sizes[k] ≥ <see cref="SmallestMatchedSize"/>, or K when there is none.
    /// </summary>
    public static int ChosenStep(IReadOnlyList<int> sizes)
    {
        for (int k = sizes.Count - 1; k >= 1; k--) if (sizes[k] >= SmallestMatchedSize) return k;
        return sizes.Count - 1;
    }

    /// <summary>Smallest and largest convergence ratio λ that <see cref="Extrapolate"/> considers.</summary>
    public const double SmallestRatio = 0.01, LargestRatio = 0.95;

    /// <summary>
    /// The limit T_∞ of a sequence T_k approaching it geometrically, T_k = T_∞ + a λ^k (0 &lt; λ &lt; 1: the leading
    /// irrelevant correction shrinks by λ = b^{−ω} per RG step), by least squares over the finite points: for each λ
    /// the model is linear in (T_∞, a); λ is scanned on [<see cref="SmallestRatio"/>, <see cref="LargestRatio"/>] and
    /// refined by golden-section search. Three points are fitted exactly (Aitken's Δ²). NaN with fewer than three
    /// finite points, or when the best λ is the largest allowed (no convergence in sight).
    /// </summary>
    public static double Extrapolate(IReadOnlyList<double> k, IReadOnlyList<double> values)
    {
        var xs = new List<double>(); var ys = new List<double>();
        for (int i = 0; i < k.Count; i++) if (double.IsFinite(values[i])) { xs.Add(k[i]); ys.Add(values[i]); }
        if (xs.Count < 3) return double.NaN;
        (double Limit, double Residual) Fit(double lambda)
        {
            // Least squares in the basis (1, λ^k).
            double s1 = xs.Count, sp = 0, spp = 0, sy = 0, spy = 0;
            for (int i = 0; i < xs.Count; i++)
            {
                double p = Math.Pow(lambda, xs[i]);
                sp += p; spp += p * p; sy += ys[i]; spy += p * ys[i];
            }
            double det = s1 * spp - sp * sp;
            if (!(Math.Abs(det) > 1e-300)) return (double.NaN, double.PositiveInfinity);
            double limit = (spp * sy - sp * spy) / det, amp = (s1 * spy - sp * sy) / det, r = 0;
            for (int i = 0; i < xs.Count; i++) { double d = ys[i] - limit - amp * Math.Pow(lambda, xs[i]); r += d * d; }
            return (limit, r);
        }
        const int grid = 95;
        double h = (LargestRatio - SmallestRatio) / (grid - 1);
        int best = 0; double bestR = double.PositiveInfinity;
        for (int g = 0; g < grid; g++)
        {
            double r = Fit(SmallestRatio + g * h).Residual;
            if (r < bestR) { bestR = r; best = g; }
        }
        if (best == grid - 1) return double.NaN;
        double lo = SmallestRatio + Math.Max(0, best - 1) * h, hi = SmallestRatio + Math.Min(grid - 1, best + 1) * h;
        double phi = (Math.Sqrt(5) - 1) / 2;
        double x1 = hi - phi * (hi - lo), x2 = lo + phi * (hi - lo), f1 = Fit(x1).Residual, f2 = Fit(x2).Residual;
        for (int it = 0; it < 100 && hi - lo > 1e-13; it++)
        {
            if (f1 < f2) { hi = x2; x2 = x1; f2 = f1; x1 = hi - phi * (hi - lo); f1 = Fit(x1).Residual; }
            else { lo = x1; x1 = x2; f1 = f2; x2 = lo + phi * (hi - lo); f2 = Fit(x2).Residual; }
        }
        double lambdaBest = 0.5 * (lo + hi);
        return lambdaBest >= LargestRatio - 1e-9 ? double.NaN : Fit(lambdaBest).Limit;
    }

    internal static double JackknifeVariance(double[] replicates)
    {
        var good = replicates.Where(double.IsFinite).ToArray();
        if (good.Length < 2) return 0;
        double mean = good.Average();
        return (good.Length - 1.0) / good.Length * good.Sum(v => (v - mean) * (v - mean));
    }

    /// <summary>Sums of one operator per site over contiguous jackknife blocks of configurations.</summary>
    private sealed class BlockSums
    {
        private double[] _sums = [];
        private int[] _counts = [];
        private double _total;
        private int _count;
        public int Blocks => _sums.Length;

        public static BlockSums Of(double[] values, int operators, int alpha, int sites, int blocks)
        {
            int count = values.Length / operators;
            blocks = Math.Min(blocks, count);
            var r = new BlockSums { _sums = new double[blocks], _counts = new int[blocks], _count = count };
            for (int b = 0; b < blocks; b++)
            {
                var (start, end) = Jackknife.Range(count, blocks, b);
                double sum = 0;
                for (int c = start; c < end; c++) sum += values[c * operators + alpha] / sites;
                r._sums[b] = sum; r._counts[b] = end - start; r._total += sum;
            }
            return r;
        }

        public double Mean(int omit) => omit < 0 ? _total / _count : (_total - _sums[omit]) / (_count - _counts[omit]);
    }
}
