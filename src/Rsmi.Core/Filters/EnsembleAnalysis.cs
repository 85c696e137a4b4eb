using System.Text.Json.Serialization;
using MathNet.Numerics.LinearAlgebra;

namespace Rsmi.Filters;

/// <summary>One independently trained member of an ensemble as the analysis sees it: its filters and its estimate of
/// I(H:E) in bits.</summary>
public sealed record RatedFilters(FilterParameters Filters, double MutualInformationBits);

/// <summary>
/// How far the members of an ensemble agree (the filters file's <c>ensemble_spread</c>, docs/filters-file.md):
/// the spread of their estimates and the alignment of each member with the chosen one.
/// </summary>
/// <param name="Members">The number of members M.</param>
/// <param name="ChosenMember">The member (from 0) every other one is aligned to.</param>
/// <param name="MutualInformationBitsMean">The mean of the members' estimates of I(H:E), bits.</param>
/// <param name="MutualInformationBitsStd">Their sample standard deviation (divisor M − 1), bits; null for one member.</param>
/// <param name="Alignment">Per member: the mean over hidden units of |cos| with the chosen filters after the best
/// permutation and signs (<see cref="FilterAlignmentResult.Score"/>), in [0, 1].</param>
/// <param name="UnitAlignment">Per member, per hidden unit of the chosen filters: that unit's |cos|.</param>
/// <param name="Permutation">Per member, per hidden unit j of the chosen filters: the member's unit (from 0) aligned with j.</param>
/// <param name="Signs">Per member, per hidden unit j: the sign (±1) applied to that member's unit.</param>
public sealed record EnsembleSpread(
    [property: JsonPropertyName("members")] int Members,
    [property: JsonPropertyName("chosen_member")] int ChosenMember,
    [property: JsonPropertyName("mutual_information_bits_mean")] double MutualInformationBitsMean,
    [property: JsonPropertyName("mutual_information_bits_std")] double? MutualInformationBitsStd,
    [property: JsonPropertyName("alignment")] double[] Alignment,
    [property: JsonPropertyName("unit_alignment")] double[][] UnitAlignment,
    [property: JsonPropertyName("permutation")] int[][] Permutation,
    [property: JsonPropertyName("signs")] int[][] Signs);

/// <summary>
/// Principal components of a set of vectors x_m (m = 1..M), here aligned filters scaled to unit length.
/// </summary>
/// <param name="Mean">x̄ = (1/M) Σ_m x_m, the pattern the members share.</param>
/// <param name="TotalVariance">tr C with C = (1/(M − 1)) Σ_m (x_m − x̄)(x_m − x̄)ᵀ (0 for one member). For unit vectors it
/// equals M (1 − |x̄|²)/(M − 1): 0 when all members agree.</param>
/// <param name="ExplainedVariance">The non-zero eigenvalues of C divided by tr C, largest first (at most M − 1 of them;
/// empty when the members agree).</param>
/// <param name="Components">The leading unit eigenvectors of C, in the order of <paramref name="ExplainedVariance"/>,
/// each with its largest entry positive.</param>
public sealed record PrincipalComponents(
    [property: JsonPropertyName("mean")] double[] Mean,
    [property: JsonPropertyName("total_variance")] double TotalVariance,
    [property: JsonPropertyName("explained_variance")] double[] ExplainedVariance,
    [property: JsonPropertyName("components")] double[][] Components);

/// <summary>
/// The symmetry analysis of an ensemble (the filters file's <c>ensemble_components</c>, docs/filters-file.md):
/// principal components of the members' filters after aligning each to the chosen member, per hidden unit and for
/// the whole set of filters, and the aligned mean filters.
/// </summary>
/// <param name="Block">[b_x, b_y], or [b_x, b_y, b_z] on cubic lattices: the shape of every |V|-long pattern below
/// (row-major, element (z·b_y + y)·b_x + x).</param>
/// <param name="Units">Per hidden unit j of the chosen filters: the components of the members' aligned unit-j filters,
/// each scaled to unit length (|V| numbers per pattern).</param>
/// <param name="Whole">The components of the concatenated aligned unit-length filters (N_h·|V| numbers per pattern,
/// unit by unit); its total variance is the sum of the units'.</param>
/// <param name="MeanWeights">The mean of the aligned members' weights as learned (not rescaled): N_h rows of |V|.</param>
/// <param name="MeanBias">The mean of the aligned members' biases.</param>
public sealed record EnsembleComponents(
    [property: JsonPropertyName("block")] int[] Block,
    [property: JsonPropertyName("units")] PrincipalComponents[] Units,
    [property: JsonPropertyName("whole")] PrincipalComponents Whole,
    [property: JsonPropertyName("mean_weights")] double[][] MeanWeights,
    [property: JsonPropertyName("mean_bias")] double[] MeanBias);

/// <summary>The result of <see cref="EnsembleAnalysis.Analyse(IReadOnlyList{RatedFilters}, int, int, int, int, int)"/>.</summary>
/// <param name="Spread">The summary written as <c>ensemble_spread</c>.</param>
/// <param name="Components">The principal components written as <c>ensemble_components</c>.</param>
/// <param name="Alignments">Each member aligned to the chosen one (same order as the members).</param>
public sealed record EnsembleAnalysisResult(EnsembleSpread Spread, EnsembleComponents Components, FilterAlignmentResult[] Alignments)
{
    /// <summary>Number of hidden units N_h.</summary>
    public int Hidden => Components.Units.Length;
    /// <summary>Block width b_x.</summary>
    public int BlockX => Components.Block[0];
    /// <summary>Block height b_y.</summary>
    public int BlockY => Components.Block[1];
    /// <summary>Block depth b_z (1 below three dimensions).</summary>
    public int BlockZ => Components.Block.Length > 2 ? Components.Block[2] : 1;
}

/// <summary>
/// Symmetry analysis of an ensemble of independently learned filters: which patterns every member finds, and
/// along which directions they differ, modulo the symmetries that leave I_Λ(H:E) unchanged (relabelling and
/// flipping hidden units, <see cref="FilterAlignment"/>). This is the principal-component analysis of an ensemble of
/// learned filters used by Gökmen, Ringel, Huber &amp; Koch-Janusz, Phys. Rev. E 104, 064106 (2021).
/// </summary>
/// <remarks>
/// Steps: (1) align every member to the chosen member (the reference frame: permutation π_m and signs s_m);
/// (2) scale each aligned unit filter to unit length, x_{m,j} = λ̃_{m,j} / |λ̃_{m,j}| (a zero filter stays zero), so the
/// analysis sees patterns, not the scale each run reached; (3) principal components of {x_{m,j}}_m for each unit j,
/// and of the concatenations (x_{m,1}, …, x_{m,N_h}). The eigenproblem of the D × D covariance C = X_cᵀX_c/(M − 1)
/// (X_c: the centred M × D data, D = |V| or N_h·|V|) is solved through the M × M Gram matrix G = X_c X_cᵀ/(M − 1), which has the same
/// non-zero eigenvalues μ_k; the components are v_k = X_cᵀ u_k / |X_cᵀ u_k| for the eigenvectors u_k of G. The dense
/// symmetric eigensolver is MathNet.Numerics' (Householder tridiagonalisation and QL), so results are deterministic.
/// Components of a degenerate eigenvalue are any orthonormal basis of its eigenspace.
/// </remarks>
public static class EnsembleAnalysis
{
    /// <summary>Eigenvalues below this fraction of the total variance count as zero (rounding of the centred data).</summary>
    public const double RelativeEigenvalueFloor = 1e-12;
    /// <summary>A total variance at or below this (the data are unit vectors) means the members agree to rounding.</summary>
    public const double TotalVarianceFloor = 1e-24;

    /// <summary>Analyses an ensemble given as filter sets (same block and number of hidden units).</summary>
    /// <inheritdoc cref="Analyse(IReadOnlyList{RatedFilters}, int, int, int, int, int)"/>
    public static EnsembleAnalysisResult Analyse(IReadOnlyList<FilterSet> members, int chosen, int components = 2)
    {
        ArgumentNullException.ThrowIfNull(members);
        Require.That(members.Count >= 1, "an ensemble needs at least one member.");
        var first = members[0];
        foreach (var m in members)
            Require.That(m.Hidden == first.Hidden && m.Block.SequenceEqual(first.Block),
                $"every ensemble member must have {first.Hidden} hidden units on a {string.Join("×", first.Block)} block, got {m.Hidden} on {string.Join("×", m.Block)}.");
        return Analyse(members.Select(m => new RatedFilters(m.Filters, m.MutualInformationBits)).ToArray(),
            first.Hidden, first.Block, chosen, components);
    }

    /// <summary>
    /// Aligns every member to member <paramref name="chosen"/> and returns the spread of the ensemble and the principal
    /// components of its aligned, unit-length filters.
    /// </summary>
    /// <param name="members">The members (at least one), each with <paramref name="hidden"/> × b_x·b_y finite weights,
    /// <paramref name="hidden"/> biases and a finite estimate.</param>
    /// <param name="hidden">N_h.</param>
    /// <param name="blockX">b_x.</param>
    /// <param name="blockY">b_y (1 for chains).</param>
    /// <param name="chosen">The reference member (from 0).</param>
    /// <param name="components">How many leading components to keep per analysis (≥ 1; fewer when fewer are non-zero).</param>
    /// <exception cref="RsmiInputException">The ensemble is empty or inconsistent, or an index or count is out of range.</exception>
    public static EnsembleAnalysisResult Analyse(IReadOnlyList<RatedFilters> members, int hidden, int blockX, int blockY, int chosen, int components = 2)
    {
        Require.Positive(blockX, "the block width");
        Require.Positive(blockY, "the block height");
        return Analyse(members, hidden, [blockX, blockY], chosen, components);
    }

    /// <summary>
    /// As <see cref="Analyse(IReadOnlyList{RatedFilters}, int, int, int, int, int)"/> for a block given by its sides:
    /// [b_x, b_y], or [b_x, b_y, b_z] on cubic lattices.
    /// </summary>
    public static EnsembleAnalysisResult Analyse(IReadOnlyList<RatedFilters> members, int hidden, int[] block, int chosen, int components = 2)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(block);
        Require.Positive(hidden, "the number of hidden units");
        Require.That(block.Length is 2 or 3, $"a block has two or three sides, got {block.Length}.");
        Require.Positive(block[0], "the block width");
        Require.Positive(block[1], "the block height");
        if (block.Length == 3) Require.Positive(block[2], "the block depth");
        Require.Positive(components, "the number of principal components");
        int count = members.Count;
        Require.That(count >= 1, "an ensemble needs at least one member.");
        Require.That(chosen >= 0 && chosen < count, $"the chosen member must be between 0 and {count - 1}, got {chosen}.");
        int n = block.Aggregate(1, (a, b) => a * b);
        for (int m = 0; m < count; m++)
        {
            var member = members[m];
            if (member?.Filters is null) throw new RsmiInputException($"ensemble member {m} is missing its filters.");
            var f = member.Filters;
            Require.That(f.Hidden == hidden && f.Visible == n, $"ensemble member {m} must hold {hidden} rows of {n} weights, got {f.Hidden} rows of {f.Visible}.");
            Require.That(f.Weights.All(double.IsFinite) && f.Bias.All(double.IsFinite), $"ensemble member {m} holds a non-finite weight or bias.");
            Require.That(double.IsFinite(member.MutualInformationBits), $"ensemble member {m} has a non-finite mutual information ({member.MutualInformationBits}).");
        }

        var reference = members[chosen];
        var alignments = new FilterAlignmentResult[count];
        for (int m = 0; m < count; m++)
            alignments[m] = FilterAlignment.Align(reference.Filters.Weights, members[m].Filters.Weights, members[m].Filters.Bias, hidden);

        double miMean = members.Average(m => m.MutualInformationBits);
        double? miStd = null;
        if (count > 1)
        {
            double ss = 0;
            foreach (var m in members) ss += (m.MutualInformationBits - miMean) * (m.MutualInformationBits - miMean);
            miStd = Math.Sqrt(ss / (count - 1));
        }
        var spread = new EnsembleSpread(count, chosen, miMean, miStd,
            alignments.Select(a => a.Score).ToArray(),
            alignments.Select(a => a.UnitCosines).ToArray(),
            alignments.Select(a => a.Permutation).ToArray(),
            alignments.Select(a => a.Signs).ToArray());

        // Unit-length aligned filters, x[m][j·n + i].
        var unitLength = new double[count][];
        for (int m = 0; m < count; m++)
        {
            var x = new double[hidden * n];
            var w = alignments[m].Aligned.Weights;
            for (int j = 0; j < hidden; j++)
            {
                double norm = 0;
                for (int i = 0; i < n; i++) norm += w[j * n + i] * w[j * n + i];
                norm = Math.Sqrt(norm);
                if (norm > 0)
                    for (int i = 0; i < n; i++) x[j * n + i] = w[j * n + i] / norm;
            }
            unitLength[m] = x;
        }

        var units = new PrincipalComponents[hidden];
        for (int j = 0; j < hidden; j++)
        {
            int offset = j * n;
            units[j] = Principal(unitLength.Select(x => x.AsSpan(offset, n).ToArray()).ToArray(), components);
        }
        var whole = Principal(unitLength, components);

        var meanWeights = new double[hidden][];
        var meanBias = new double[hidden];
        for (int j = 0; j < hidden; j++)
        {
            meanWeights[j] = new double[n];
            for (int m = 0; m < count; m++)
            {
                for (int i = 0; i < n; i++) meanWeights[j][i] += alignments[m].Aligned.Weights[j * n + i];
                meanBias[j] += alignments[m].Aligned.Bias[j];
            }
            for (int i = 0; i < n; i++) meanWeights[j][i] /= count;
            meanBias[j] /= count;
        }

        return new EnsembleAnalysisResult(spread, new EnsembleComponents([.. block], units, whole, meanWeights, meanBias), alignments);
    }

    /// <summary>
    /// Principal components of the rows of <paramref name="rows"/> (M vectors of one length D), keeping at most
    /// <paramref name="keep"/> components; see the class remarks for the method.
    /// </summary>
    internal static PrincipalComponents Principal(double[][] rows, int keep)
    {
        int count = rows.Length, dim = rows[0].Length;
        var mean = new double[dim];
        foreach (var r in rows)
            for (int i = 0; i < dim; i++) mean[i] += r[i];
        for (int i = 0; i < dim; i++) mean[i] /= count;
        if (count < 2) return new PrincipalComponents(mean, 0, [], []);

        var centred = new double[count][];
        for (int m = 0; m < count; m++)
        {
            centred[m] = new double[dim];
            for (int i = 0; i < dim; i++) centred[m][i] = rows[m][i] - mean[i];
        }
        var gram = Matrix<double>.Build.Dense(count, count);
        for (int a = 0; a < count; a++)
            for (int b = 0; b <= a; b++)
            {
                double s = 0;
                for (int i = 0; i < dim; i++) s += centred[a][i] * centred[b][i];
                s /= count - 1;
                gram[a, b] = s;
                gram[b, a] = s;
            }
        double total = gram.Trace();
        if (!(total > TotalVarianceFloor)) return new PrincipalComponents(mean, Math.Max(total, 0), [], []);

        var evd = gram.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, count).OrderByDescending(k => evd.EigenValues[k].Real).ThenBy(k => k).ToArray();
        var fractions = new List<double>();
        var comps = new List<double[]>();
        foreach (int k in order)
        {
            double mu = evd.EigenValues[k].Real;
            if (!(mu > RelativeEigenvalueFloor * total)) break;
            fractions.Add(mu / total);
            if (comps.Count >= keep) continue;
            var v = new double[dim];
            for (int m = 0; m < count; m++)
            {
                double u = evd.EigenVectors[m, k];
                for (int i = 0; i < dim; i++) v[i] += u * centred[m][i];
            }
            double norm = Math.Sqrt(v.Sum(t => t * t));
            for (int i = 0; i < dim; i++) v[i] /= norm;
            FixSign(v);
            comps.Add(v);
        }
        return new PrincipalComponents(mean, total, fractions.ToArray(), comps.ToArray());
    }

    /// <summary>Makes the largest entry of <paramref name="v"/> positive (the first of entries equal in size to within 10⁻⁹ relative).</summary>
    internal static void FixSign(double[] v)
    {
        double max = v.Max(Math.Abs);
        if (max == 0) return;
        int lead = Array.FindIndex(v, t => Math.Abs(t) >= max * (1 - 1e-9));
        if (v[lead] < 0)
            for (int i = 0; i < v.Length; i++) v[i] = -v[i];
    }
}
