using Rsmi.Statistics;
using MathNet.Numerics.LinearAlgebra;
using Rsmi.Data;
using Rsmi.Models.Ising;

namespace Rsmi.Renormalization;

/// <summary>The linearised RG between levels n and n+1 of one block rule.</summary>
/// <param name="Level">n (0: the unrenormalised lattice).</param>
/// <param name="FineSize">Linear size of level n.</param>
/// <param name="CoarseSize">Linear size of level n+1.</param>
/// <param name="LeadingEigenvalue">λ_max of T = A⁻¹B with all operators.</param>
/// <param name="Yt">y_t = ln λ_max / ln b with all operators.</param>
/// <param name="Nu">ν = 1/y_t.</param>
/// <param name="Operators">Number of operators used at this level (<see cref="EvenOperators.UsableOn"/> of the coarse size).</param>
/// <param name="YtByOperators">y_t with the first 1, 2, … operators (truncation check).</param>
public sealed record McrgLevel(int Level, int FineSize, int CoarseSize, int Operators, Estimate LeadingEigenvalue, Estimate Yt, Estimate Nu, Estimate[] YtByOperators)
{
    /// <summary>Number of odd operators used at this level (<see cref="Rsmi.Models.Ising.OddOperators.UsableOn"/> of the coarse size; 0 when the odd sector was not analysed).</summary>
    public int MagneticOperators { get; init; }
    /// <summary>λ_h: the leading eigenvalue of the odd-sector T = A⁻¹B with all odd operators.</summary>
    public Estimate MagneticEigenvalue { get; init; } = Estimate.Undefined;
    /// <summary>y_h = ln λ_h / ln b with all odd operators (2D Ising: 15/8).</summary>
    public Estimate Yh { get; init; } = Estimate.Undefined;
    /// <summary>y_h with the first 1, 2, … odd operators (truncation check).</summary>
    public Estimate[] YhByOperators { get; init; } = [];
}

/// <summary>MCRG analysis of one block rule on one set of samples, level by level.</summary>
/// <param name="Rule">Name of the block rule.</param>
/// <param name="Block">Linear block size b.</param>
/// <param name="Operators">Number of even operators available.</param>
/// <param name="Samples">Number of configurations analysed.</param>
/// <param name="Levels">Results per RG level.</param>
/// <param name="CombinedLevels">The levels averaged into <paramref name="Nu"/> (see <see cref="SwendsenMcrg.CombinedLevels"/>).</param>
/// <param name="Nu">ν averaged over <paramref name="CombinedLevels"/>, jackknife error including their correlation.</param>
public sealed record McrgResult(string Rule, int Block, int Operators, int Samples, IReadOnlyList<McrgLevel> Levels, int[] CombinedLevels, Estimate Nu)
{
    /// <summary>Number of odd operators available to the magnetic sector (0: not analysed).</summary>
    public int MagneticOperators { get; init; }
    /// <summary>y_h averaged over <see cref="CombinedLevels"/>, jackknife error including their correlation.</summary>
    public Estimate Yh { get; init; } = Estimate.Undefined;
    /// <summary>η = d + 2 − 2 y_h from the averaged y_h (2D Ising: 1/4; 3D Ising: 0.0363).</summary>
    public Estimate Eta { get; init; } = Estimate.Undefined;
    /// <summary>How the levels made <see cref="Nu"/> and <see cref="Yh"/> (<see cref="IRgOperators.LevelCombination"/>).</summary>
    public McrgLevelCombination LevelCombination { get; init; } = McrgLevelCombination.Average;
    /// <summary>The level systematic of <see cref="Nu"/> (<see cref="DeepestLevelCombination"/>), included in its error;
    /// 0 for an average over levels, NaN when the deepest level has no level before it.</summary>
    public double NuLevelSystematic { get; init; }
    /// <summary>The level systematic of <see cref="Yh"/>, likewise (η's error carries twice it).</summary>
    public double YhLevelSystematic { get; init; }

    /// <summary>
    /// The deepest level n whose coarse lattice is at least 8 × 8 (the size bound of <see cref="CombinedLevels"/>; the
    /// last level when none is): the linearised RG closest to the fixed point that finite size still allows.
    /// </summary>
    public int DeepestLevel => SwendsenMcrg.DeepestLevel(Levels.Select(l => l.CoarseSize).ToArray());

    /// <summary>ν at <see cref="DeepestLevel"/>, with its jackknife error: where the MCRG of a slowly converging model
    /// (the q = 3 and q = 4 Potts models) is nearest its fixed point (docs/algorithm.md, "Potts operators").</summary>
    public Estimate NuDeepest => Levels.Count == 0 ? Estimate.Undefined : Levels[DeepestLevel].Nu;

    /// <summary>
    /// The drift of ν over the RG steps: ν at <see cref="DeepestLevel"/> minus ν of the level before it, the change
    /// the last step made (error: the two levels' errors in quadrature, their correlation ignored); undefined without a
    /// level before it. Where the linearised RG converges geometrically, ν_n = ν* + a λ^n, the deepest estimate still
    /// lies about drift·λ/(1 − λ) from ν*; a drift that does not shrink from step to step signals a marginal operator
    /// (docs/algorithm.md, "Potts operators").
    /// </summary>
    public Estimate NuDrift
    {
        get
        {
            int n = Levels.Count == 0 ? 0 : DeepestLevel;
            if (n < 1) return Estimate.Undefined;
            var (a, b) = (Levels[n].Nu, Levels[n - 1].Nu);
            return new Estimate(a.Value - b.Value, Math.Sqrt(a.Error * a.Error + b.Error * b.Error));
        }
    }
}

/// <summary>
/// Swendsen's linearised Monte Carlo renormalization group (Swendsen, PRL 42, 859 (1979); docs/algorithm.md, "Monte Carlo renormalization group").
/// With even operators S_α (<see cref="EvenOperators"/>) measured at levels n and n+1 of the same samples,
/// A_αβ = ⟨S_α^(n+1) S_β^(n+1)⟩_c = ∂⟨S_α^(n+1)⟩/∂K_β^(n+1) and B_αβ = ⟨S_α^(n+1) S_β^(n)⟩_c = ∂⟨S_α^(n+1)⟩/∂K_β^(n),
/// so by the chain rule T_γβ = ∂K_γ^(n+1)/∂K_β^(n) = (A⁻¹B)_γβ. Its leading eigenvalue λ_t = b^{y_t} gives the
/// thermal exponent y_t = ln λ_t / ln b and ν = 1/y_t. The odd sector is treated the same way: with the odd operators
/// O_α of <see cref="OddOperators"/> (magnetisation, three-spin and five-spin products), A_odd = ⟨O^(n+1) O^(n+1)⟩_c,
/// B_odd = ⟨O^(n+1) O^(n)⟩_c and T_odd = A_odd⁻¹B_odd, whose leading eigenvalue λ_h = b^{y_h} gives the magnetic
/// exponent y_h = ln λ_h / ln b and η = d + 2 − 2y_h (d = 2; exact 2D Ising: y_h = 15/8, η = 1/4). Errors by
/// delete-one-block jackknife over samples. Works with any block rule, stochastic ones included (h drawn once per
/// configuration).
/// </summary>
public static class SwendsenMcrg
{
    /// <summary>
    /// Applies <paramref name="rule"/> <paramref name="steps"/> times: element 0 is <paramref name="fine"/>,
    /// element k the k-times coarse-grained samples (step k uses stream <paramref name="seed"/> + k).
    /// </summary>
    public static IReadOnlyList<SampleSet> Chain(SampleSet fine, ICoarseGrainingRule rule, int steps, ulong seed)
    {
        var levels = new List<SampleSet> { fine };
        for (int k = 1; k <= steps; k++) levels.Add(rule.CoarseGrain(levels[^1], seed + (ulong)k));
        return levels;
    }

    /// <summary>
    /// The linearised RG between each consecutive pair of <paramref name="levels"/> (level k = k block steps of
    /// factor b from level 0; square lattices; same configurations in the same order at every level).
    /// <paramref name="operators"/>: 1..<see cref="EvenOperators.Count"/>; <paramref name="jackknifeBlocks"/> ≥ 2 and ≤ samples;
    /// <paramref name="oddOperators"/>: 0 (no magnetic sector) .. <see cref="OddOperators.Count"/>.
    /// </summary>
    public static McrgResult Analyse(IReadOnlyList<SampleSet> levels, string rule, int operators = EvenOperators.Count, int jackknifeBlocks = 20,
        int oddOperators = OddOperators.Count, IRgOperators? set = null)
    {
        set ??= IsingSquareOperators.Instance;
        Require.That(levels.Count >= 2, "MCRG needs at least two RG levels.");
        Require.That(operators >= 1 && operators <= set.EvenNames.Count, $"the number of MCRG operators must be between 1 and {set.EvenNames.Count}, got {operators}.");
        Require.That(oddOperators >= 0 && oddOperators <= set.OddNames.Count, $"the number of odd MCRG operators must be between 0 and {set.OddNames.Count}, got {oddOperators}.");
        int count = levels[0].Count;
        foreach (var l in levels)
        {
            Require.That(l.Rank == 2 && l.Lx == l.Ly, "MCRG needs square L×L lattices at every level.");
            if (set is not IsingSquareOperators) set.Validate(l, "every MCRG level");
            Require.That(l.Count == count, "every MCRG level must hold the same configurations.");
        }
        Require.That(jackknifeBlocks >= 2 && jackknifeBlocks <= count, $"the jackknife needs between 2 and {count} blocks, got {jackknifeBlocks}.");
        int b = levels[0].Lx / levels[1].Lx;
        Require.That(b >= 2 && levels[0].Lx == b * levels[1].Lx, "the levels must differ by an integer block factor of at least 2.");
        return Analyse(levels.Select(l => set.MeasureEven(l, operators)).ToArray(), levels.Select(l => l.Lx).ToArray(), count, rule, operators, jackknifeBlocks,
            oddOperators > 0 ? levels.Select(l => set.MeasureOdd(l, oddOperators)).ToArray() : null, oddOperators, set, set.OddComponents(levels[0]));
    }

    /// <summary>
    /// As <see cref="Analyse(IReadOnlyList{SampleSet}, string, int, int, int, IRgOperators)"/> from operator values already measured:
    /// <paramref name="s"/>[k] holds count × <paramref name="operators"/> values of <see cref="EvenOperators.Measure"/>
    /// at level k, whose linear size is <paramref name="sizes"/>[k]; likewise <paramref name="odd"/>[k] holds count ×
    /// <paramref name="oddOperators"/> values of <see cref="OddOperators.Measure"/> (null: no magnetic sector). With an
    /// operator set <paramref name="set"/> other than the Ising one (default), the values are its
    /// <see cref="IRgOperators.MeasureEven"/> and <see cref="IRgOperators.MeasureOdd"/>, the odd ones with
    /// <paramref name="oddComponents"/> rows per configuration, whose moments are summed (docs/algorithm.md, "Potts
    /// operators"). Inputs are trusted.
    /// </summary>
    public static McrgResult Analyse(double[][] s, int[] sizes, int count, string rule, int operators, int jackknifeBlocks,
        double[][]? odd = null, int oddOperators = 0, IRgOperators? set = null, int oddComponents = 1, int dimension = 2)
    {
        set ??= IsingSquareOperators.Instance;
        int b = sizes[0] / sizes[1];
        int pairs = s.Length - 1;
        var (blockMoments, totals, usable, lnB) = LevelMoments(s, sizes, count, operators, jackknifeBlocks, set.UsableEven, 1);
        var combination = set.LevelCombination;
        var combined = combination is DeepestLevelCombination ? [DeepestLevel(sizes[1..])] : CombinedLevels(sizes);
        // Outputs per level: [λ_max(all), y_t(all), ν(all), y_t(1), …, y_t(usable)]; last: ν averaged over the combined levels.
        var offsets = new int[pairs + 1];
        for (int n = 0; n < pairs; n++) offsets[n + 1] = offsets[n] + 3 + usable[n];
        double[] Estimator(int omit)
        {
            var output = new double[offsets[pairs] + 1];
            for (int n = 0; n < pairs; n++)
            {
                var m = omit < 0 ? totals[n] : totals[n].Minus(blockMoments[n][omit]);
                for (int k = 1; k <= usable[n]; k++)
                {
                    double lambda = LeadingEigenvalue(m, k);
                    double yt = Math.Log(lambda) / lnB[n];
                    output[offsets[n] + 2 + k] = yt;
                    if (k == usable[n]) { output[offsets[n]] = lambda; output[offsets[n] + 1] = yt; output[offsets[n] + 2] = 1 / yt; }
                }
            }
            output[^1] = combined.Length == 0 ? double.NaN : combined.Average(n => output[offsets[n] + 2]);
            return output;
        }
        var est = Jackknife.Estimate(jackknifeBlocks, Estimator);
        var result = new List<McrgLevel>();
        for (int n = 0; n < pairs; n++)
        {
            int o = offsets[n];
            result.Add(new McrgLevel(n, sizes[n], sizes[n + 1], usable[n], est[o], est[o + 1], est[o + 2], est[(o + 3)..(o + 3 + usable[n])]));
        }
        var even = new McrgResult(rule, b, operators, count, result, combined, est[^1]) { LevelCombination = combination };
        if (combination is DeepestLevelCombination deepest)
        {
            double systematic = LevelSystematic(result.Select(l => l.Nu.Value).ToArray(), combined[0], deepest.TailFactor(b));
            even = even with { Nu = WithSystematic(even.Nu, systematic), NuLevelSystematic = systematic };
        }
        return odd is null || oddOperators < 1 ? even : WithMagneticSector(even, odd, sizes, count, oddOperators, jackknifeBlocks, set, oddComponents, dimension);
    }

    /// <summary>The deepest level n whose coarse lattice <paramref name="coarseSizes"/>[n] is at least 8 on a side (the last level when none is).</summary>
    internal static int DeepestLevel(int[] coarseSizes)
    {
        for (int n = coarseSizes.Length - 1; n >= 0; n--) if (coarseSizes[n] >= 8) return n;
        return coarseSizes.Length - 1;
    }

    /// <summary>|X_n − X_{n−1}|·<paramref name="tailFactor"/> at level n = <paramref name="level"/> (<see cref="DeepestLevelCombination"/>); NaN for n = 0 or an undefined estimate.</summary>
    internal static double LevelSystematic(double[] byLevel, int level, double tailFactor) =>
        level < 1 ? double.NaN : Math.Abs(byLevel[level] - byLevel[level - 1]) * tailFactor;

    /// <summary><paramref name="e"/> with <paramref name="systematic"/> added in quadrature to its error (an undefined systematic leaves no error).</summary>
    private static Estimate WithSystematic(Estimate e, double systematic) =>
        new(e.Value, double.IsFinite(systematic) ? Math.Sqrt(e.Error * e.Error + systematic * systematic) : double.NaN);

    /// <summary>
    /// The connected moments between levels n + 1 and n of one sector's operator values <paramref name="values"/>, per
    /// jackknife block and in total, with the number of operators usable on each coarse level (by
    /// <paramref name="usableOn"/>(coarse size, operators)) and ln b of each level; configuration n holds the
    /// <paramref name="rows"/> rows n·rows … (n + 1)·rows − 1 of <paramref name="values"/> (its components), which stay
    /// in the same jackknife block.
    /// </summary>
    private static (Moments[][] Blocks, Moments[] Totals, int[] Usable, double[] LnB) LevelMoments(double[][] values, int[] sizes, int count,
        int operators, int jackknifeBlocks, Func<int, int, int> usableOn, int rows)
    {
        int pairs = values.Length - 1;
        var blockMoments = new Moments[pairs][];
        var totals = new Moments[pairs];
        var usable = new int[pairs];
        var lnB = new double[pairs];
        for (int n = 0; n < pairs; n++)
        {
            blockMoments[n] = new Moments[jackknifeBlocks];
            for (int blk = 0; blk < jackknifeBlocks; blk++)
            {
                var (start, end) = Jackknife.Range(count, jackknifeBlocks, blk);
                blockMoments[n][blk] = Moments.Of(values[n + 1], values[n], operators, start * rows, end * rows);
            }
            totals[n] = Moments.Sum(blockMoments[n], operators);
            lnB[n] = Math.Log(sizes[n] / (double)sizes[n + 1]);
            usable[n] = usableOn(sizes[n + 1], operators);
        }
        return (blockMoments, totals, usable, lnB);
    }

    /// <summary>
    /// Adds the odd sector to <paramref name="even"/>: per level λ_h, y_h and y_h with the first 1, 2, … odd operators
    /// (those with 2·extent below the coarse size), and y_h averaged over the same combined levels as ν, with
    /// η = d + 2 − 2y_h in <paramref name="dimension"/> d.
    /// </summary>
    private static McrgResult WithMagneticSector(McrgResult even, double[][] odd, int[] sizes, int count, int operators, int jackknifeBlocks,
        IRgOperators set, int components, int dimension)
    {
        int pairs = odd.Length - 1;
        var (blockMoments, totals, usable, lnB) = LevelMoments(odd, sizes, count, operators, jackknifeBlocks, set.UsableOdd, components);
        var combined = even.CombinedLevels;
        // Outputs per level: [λ_h(all), y_h(all), y_h(1), …, y_h(usable)]; then y_h averaged over the combined levels and η.
        var offsets = new int[pairs + 1];
        for (int n = 0; n < pairs; n++) offsets[n + 1] = offsets[n] + 2 + usable[n];
        double[] Estimator(int omit)
        {
            var output = new double[offsets[pairs] + 2];
            for (int n = 0; n < pairs; n++)
            {
                var m = omit < 0 ? totals[n] : totals[n].Minus(blockMoments[n][omit]);
                for (int k = 1; k <= usable[n]; k++)
                {
                    double lambda = LeadingEigenvalue(m, k);
                    double yh = Math.Log(lambda) / lnB[n];
                    output[offsets[n] + 1 + k] = yh;
                    if (k == usable[n]) { output[offsets[n]] = lambda; output[offsets[n] + 1] = yh; }
                }
            }
            double average = combined.Length == 0 ? double.NaN : combined.Average(n => output[offsets[n] + 1]);
            output[^2] = average;
            output[^1] = dimension + 2 - 2 * average;
            return output;
        }
        var est = Jackknife.Estimate(jackknifeBlocks, Estimator);
        var levels = new List<McrgLevel>();
        for (int n = 0; n < pairs; n++)
        {
            int o = offsets[n];
            levels.Add(even.Levels[n] with
            {
                MagneticOperators = usable[n], MagneticEigenvalue = est[o], Yh = est[o + 1], YhByOperators = est[(o + 2)..(o + 2 + usable[n])],
            });
        }
        if (even.LevelCombination is DeepestLevelCombination deepest)
        {
            double systematic = LevelSystematic(levels.Select(l => l.Yh.Value).ToArray(), combined[0], deepest.TailFactor(even.Block));
            var yh = WithSystematic(est[^2], systematic);
            return even with
            {
                Levels = levels, MagneticOperators = operators, Yh = yh, YhLevelSystematic = systematic, Eta = new Estimate(est[^1].Value, 2 * yh.Error),
            };
        }
        return even with { Levels = levels, MagneticOperators = operators, Yh = est[^2], Eta = est[^1] };
    }

    /// <summary>
    /// The levels n whose ν enter the combined estimate: n ≥ 1 (the first step starts from the bare
    /// nearest-neighbour Hamiltonian, furthest from the fixed point, and carries the largest irrelevant-operator
    /// bias) with a coarse lattice of at least 8 × 8 (smaller ones suffer from finite-size effects). Falls back to
    /// level 0 alone when no other level qualifies.
    /// </summary>
    public static int[] CombinedLevels(int[] sizes)
    {
        var chosen = Enumerable.Range(1, Math.Max(0, sizes.Length - 2)).Where(n => sizes[n + 1] >= 8).ToArray();
        return chosen.Length > 0 ? chosen : sizes.Length >= 2 ? [0] : [];
    }

    /// <summary>λ_max of T = A⁻¹B restricted to the first <paramref name="k"/> operators (largest real part among the eigenvalues).</summary>
    private static double LeadingEigenvalue(Moments m, int k)
    {
        var a = new double[k * k];
        var bm = new double[k * k];
        double inv = 1.0 / m.Count;
        for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
        {
            a[i * k + j] = m.CoarseCoarse[i * m.Operators + j] * inv - m.Coarse[i] * inv * m.Coarse[j] * inv;
            bm[i * k + j] = m.CoarseFine[i * m.Operators + j] * inv - m.Coarse[i] * inv * m.Fine[j] * inv;
        }
        return LeadingEigenvalue(a, bm, k);
    }

    /// <summary>
    /// λ_max (largest real part) of T = A⁻¹B for k × k connected-correlation matrices given row-major; NaN when A is
    /// singular or the eigen-solver fails.
    /// </summary>
    public static double LeadingEigenvalue(double[] connectedA, double[] connectedB, int k)
    {
        var a = Matrix<double>.Build.Dense(k, k, (i, j) => connectedA[i * k + j]);
        var bm = Matrix<double>.Build.Dense(k, k, (i, j) => connectedB[i * k + j]);
        Matrix<double> t;
        System.Numerics.Complex[] eig;
        try
        {
            t = a.Solve(bm);
            if (!t.Enumerate().All(double.IsFinite)) return double.NaN;
            eig = t.Evd().EigenValues.ToArray();
        }
        catch (Exception e) when (e is MathNet.Numerics.NonConvergenceException or ArgumentException or InvalidOperationException) { return double.NaN; }
        double best = double.NaN;
        foreach (var z in eig)
            if (double.IsNaN(best) || z.Real > best) best = z.Real;
        return best;
    }

    /// <summary>S_α of every configuration of <paramref name="set"/>: count × operators values.</summary>
    internal static double[] MeasureAll(SampleSet set, int operators)
    {
        var values = new double[set.Count * operators];
        Parallel.For(0, set.Count, n => EvenOperators.Measure(set.Configuration(n), set.Lx, set.Ly, values.AsSpan(n * operators, operators)));
        return values;
    }

    /// <summary>O_α of every configuration of <paramref name="set"/>: count × operators values (<see cref="OddOperators.Measure"/>).</summary>
    internal static double[] MeasureAllOdd(SampleSet set, int operators)
    {
        var values = new double[set.Count * operators];
        Parallel.For(0, set.Count, n => OddOperators.Measure(set.Configuration(n), set.Lx, set.Ly, values.AsSpan(n * operators, operators)));
        return values;
    }

    /// <summary>Sums over a range of configurations of S^(n+1), S^(n), S^(n+1)S^(n+1)ᵀ, S^(n+1)S^(n)ᵀ (centred on the first configuration for accuracy).</summary>
    private sealed class Moments
    {
        public int Operators;
        public double Count;
        public double[] Coarse = [], Fine = [], CoarseCoarse = [], CoarseFine = [];

        public static Moments Of(double[] coarse, double[] fine, int p, int start, int end)
        {
            var m = new Moments { Operators = p, Count = end - start, Coarse = new double[p], Fine = new double[p], CoarseCoarse = new double[p * p], CoarseFine = new double[p * p] };
            for (int n = start; n < end; n++)
            {
                var c = coarse.AsSpan(n * p, p); var f = fine.AsSpan(n * p, p);
                for (int i = 0; i < p; i++)
                {
                    m.Coarse[i] += c[i]; m.Fine[i] += f[i];
                    for (int j = 0; j < p; j++) { m.CoarseCoarse[i * p + j] += c[i] * c[j]; m.CoarseFine[i * p + j] += c[i] * f[j]; }
                }
            }
            return m;
        }

        public static Moments Sum(IEnumerable<Moments> parts, int p)
        {
            var m = new Moments { Operators = p, Coarse = new double[p], Fine = new double[p], CoarseCoarse = new double[p * p], CoarseFine = new double[p * p] };
            foreach (var x in parts) m.Add(x, 1);
            return m;
        }

        public Moments Minus(Moments other)
        {
            var m = new Moments { Operators = Operators, Coarse = (double[])Coarse.Clone(), Fine = (double[])Fine.Clone(), CoarseCoarse = (double[])CoarseCoarse.Clone(), CoarseFine = (double[])CoarseFine.Clone(), Count = Count };
            m.Add(other, -1);
            return m;
        }

        private void Add(Moments x, double sign)
        {
            Count += sign * x.Count;
            for (int i = 0; i < Coarse.Length; i++) { Coarse[i] += sign * x.Coarse[i]; Fine[i] += sign * x.Fine[i]; }
            for (int i = 0; i < CoarseCoarse.Length; i++) { CoarseCoarse[i] += sign * x.CoarseCoarse[i]; CoarseFine[i] += sign * x.CoarseFine[i]; }
        }
    }
}
