namespace Rsmi.Filters;

/// <summary>
/// One filter set brought into the frame of a reference set: which hidden unit of the member sits at each
/// reference position, with which sign, and how well it matches.
/// </summary>
/// <param name="Permutation">π: <c>Permutation[j]</c> is the member's hidden unit (from 0) placed at reference position j.</param>
/// <param name="Signs">s_j ∈ {+1, −1}: the sign applied to the member's unit π(j) at position j.</param>
/// <param name="UnitCosines">|cos(λ_ref,j, λ_member,π(j))| for each reference unit j, in [0, 1] (0 when either filter is all zeros).</param>
/// <param name="Score">The mean of <paramref name="UnitCosines"/>, in [0, 1]; 1 when the member equals the reference up to
/// a permutation of its hidden units, their signs and a positive scale per unit.</param>
/// <param name="Aligned">The aligned filters: row j = s_j · λ_member,π(j), bias b_j = s_j · b_member,π(j).</param>
public sealed record FilterAlignmentResult(int[] Permutation, int[] Signs, double[] UnitCosines, double Score, FilterParameters Aligned);

/// <summary>
/// Aligns one set of coarse-graining filters to another up to the symmetries of the rule: relabelling the hidden
/// units (a permutation π) and flipping a unit (h_j → −h_j, which changes the sign of its weights and bias and
/// leaves P_Λ(h|V) = Π_j σ(2 h_j a_j) the same distribution up to that relabelling of h). Neither changes I_Λ(H:E),
/// so two learners that reach the same optimum may return filters that differ by them.
/// </summary>
/// <remarks>
/// The alignment maximises Σ_j |cos(λ_ref,j, λ_member,π(j))| over permutations π, each sign chosen so that the cosine
/// is non-negative, s_j = sign cos (+1 for a zero cosine). The maximisation is a linear assignment problem on the
/// N_h × N_h matrix of |cos|, solved exactly by the Hungarian method (Kuhn 1955; Munkres 1957) in O(N_h³) with
/// potentials (the shortest-augmenting-path form, e.g. Jonker &amp; Volgenant 1987). Weights are row-major as in
/// <see cref="FilterSet"/>: unit j's weights are <c>weights[j·|V| .. (j+1)·|V|)</c>.
/// </remarks>
public static class FilterAlignment
{
    /// <summary>Aligns <paramref name="member"/> to <paramref name="reference"/> (same block and number of hidden units).</summary>
    /// <exception cref="RsmiInputException">The two sets differ in block size or number of hidden units.</exception>
    public static FilterAlignmentResult Align(FilterSet reference, FilterSet member)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(member);
        Require.That(reference.Hidden == member.Hidden && reference.BlockSize == member.BlockSize,
            $"filters with {member.Hidden} hidden units on {member.BlockSize} sites cannot be aligned with filters with {reference.Hidden} hidden units on {reference.BlockSize} sites.");
        return Align(reference.Weights, member.Weights, member.Bias, reference.Hidden);
    }

    /// <summary>
    /// Aligns the member filters (<paramref name="memberWeights"/>, <paramref name="memberBias"/>) to
    /// <paramref name="referenceWeights"/>; both hold <paramref name="hidden"/> rows of the same length, row-major.
    /// </summary>
    /// <exception cref="RsmiInputException">The arrays' lengths do not match <paramref name="hidden"/> rows of one length.</exception>
    public static FilterAlignmentResult Align(ReadOnlySpan<double> referenceWeights, ReadOnlySpan<double> memberWeights, ReadOnlySpan<double> memberBias, int hidden)
    {
        Require.Positive(hidden, "the number of hidden units");
        Require.That(referenceWeights.Length == memberWeights.Length && referenceWeights.Length % hidden == 0 && referenceWeights.Length > 0,
            $"filters to align must hold {hidden} rows of one length each, got {referenceWeights.Length} and {memberWeights.Length} weights.");
        Require.That(memberBias.Length == hidden, $"the filters to align must have {hidden} biases (one per hidden unit), got {memberBias.Length}.");
        int n = referenceWeights.Length / hidden;

        var cosine = new double[hidden, hidden];
        var absCosine = new double[hidden, hidden];
        for (int j = 0; j < hidden; j++)
            for (int k = 0; k < hidden; k++)
            {
                cosine[j, k] = Cosine(referenceWeights.Slice(j * n, n), memberWeights.Slice(k * n, n));
                absCosine[j, k] = Math.Abs(cosine[j, k]);
            }

        int[] permutation = MaximumAssignment(absCosine);
        var signs = new int[hidden];
        var unitCosines = new double[hidden];
        var weights = new double[hidden * n];
        var bias = new double[hidden];
        double sum = 0;
        for (int j = 0; j < hidden; j++)
        {
            int k = permutation[j];
            signs[j] = cosine[j, k] < 0 ? -1 : 1;
            unitCosines[j] = absCosine[j, k];
            sum += unitCosines[j];
            var src = memberWeights.Slice(k * n, n);
            for (int i = 0; i < n; i++) weights[j * n + i] = signs[j] * src[i];
            bias[j] = signs[j] * memberBias[k];
        }
        return new FilterAlignmentResult(permutation, signs, unitCosines, Math.Clamp(sum / hidden, 0.0, 1.0), new FilterParameters(n, hidden, weights, bias));
    }

    /// <summary>cos(a, b) = a·b / (|a| |b|), clamped to [−1, 1]; 0 when either vector is all zeros.</summary>
    public static double Cosine(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("The vectors must have the same length.", nameof(b));
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        if (aa == 0 || bb == 0) return 0;
        return Math.Clamp(ab / (Math.Sqrt(aa) * Math.Sqrt(bb)), -1.0, 1.0);
    }

    /// <summary>
    /// The assignment row j → column <c>result[j]</c> of a square matrix that maximises Σ_j score[j, result[j]]
    /// (Hungarian method with potentials on the cost −score, O(n³)).
    /// </summary>
    internal static int[] MaximumAssignment(double[,] score)
    {
        int n = score.GetLength(0);
        if (score.GetLength(1) != n) throw new ArgumentException("The score matrix must be square.", nameof(score));
        // 1-based arrays: u, v row/column potentials, p[col] = row matched to col (0 = none), way[col] = previous column.
        var u = new double[n + 1];
        var v = new double[n + 1];
        var p = new int[n + 1];
        var way = new int[n + 1];
        var minv = new double[n + 1];
        var used = new bool[n + 1];
        for (int i = 1; i <= n; i++)
        {
            p[0] = i;
            int j0 = 0;
            Array.Fill(minv, double.PositiveInfinity);
            Array.Clear(used);
            do
            {
                used[j0] = true;
                int i0 = p[j0], j1 = 0;
                double delta = double.PositiveInfinity;
                for (int j = 1; j <= n; j++)
                {
                    if (used[j]) continue;
                    double cur = -score[i0 - 1, j - 1] - u[i0] - v[j];
                    if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
                    if (minv[j] < delta) { delta = minv[j]; j1 = j; }
                }
                for (int j = 0; j <= n; j++)
                {
                    if (used[j]) { u[p[j]] += delta; v[j] -= delta; }
                    else minv[j] -= delta;
                }
                j0 = j1;
            } while (p[j0] != 0);
            do
            {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        var result = new int[n];
        for (int j = 1; j <= n; j++) result[p[j] - 1] = j - 1;
        return result;
    }
}
