namespace Rsmi.Filters;

/// <summary>
/// The parameters Λ = (λ, c) of the RSMI coarse-graining rule (Koch-Janusz &amp; Ringel 2018; docs/algorithm.md, "The coarse-graining rule"):
/// P_Λ(h|V) = Π_j exp(h_j a_j) / (2 cosh a_j), a_j = Σ_i λ_ij v_i + c_j, so P(h_j = +1 | V) = σ(2 a_j).
/// Weights are stored as <see cref="Hidden"/> rows of <see cref="Visible"/> values (row j is filter j, row-major
/// over the block), the layout of the filters file.
/// </summary>
public sealed class FilterParameters
{
    /// <summary>Number of block spins |V| ≥ 1.</summary>
    public int Visible { get; }
    /// <summary>Number of hidden (coarse) units N_h ≥ 1.</summary>
    public int Hidden { get; }
    /// <summary>λ as N_h × |V|, row j = filter of hidden unit j: λ_ij = Weights[j·|V| + i].</summary>
    public double[] Weights { get; }
    /// <summary>Biases c_j (N_h values).</summary>
    public double[] Bias { get; }

    /// <summary>Zero filters for |V| = <paramref name="visible"/> and N_h = <paramref name="hidden"/> (both ≥ 1).</summary>
    public FilterParameters(int visible, int hidden)
    {
        Require.Positive(visible, "block size |V|");
        Require.Positive(hidden, "number of hidden units");
        Visible = visible; Hidden = hidden;
        Weights = new double[visible * hidden];
        Bias = new double[hidden];
    }

    /// <summary>Filters from explicit weights (N_h × |V| row-major) and biases (N_h; null means zero).</summary>
    public FilterParameters(int visible, int hidden, ReadOnlySpan<double> weights, ReadOnlySpan<double> bias = default)
        : this(visible, hidden)
    {
        Require.That(weights.Length == visible * hidden, $"expected {visible * hidden} filter weights, got {weights.Length}.");
        Require.That(bias.Length == 0 || bias.Length == hidden, $"expected {hidden} filter biases, got {bias.Length}.");
        weights.CopyTo(Weights);
        if (bias.Length > 0) bias.CopyTo(Bias);
    }

    /// <summary>Filters from N_h rows of |V| weights each and N_h biases (null means zero).</summary>
    public static FilterParameters FromRows(IReadOnlyList<double[]> rows, double[]? bias = null)
    {
        Require.That(rows.Count >= 1, "the filters must have at least one hidden unit.");
        int visible = rows[0].Length;
        foreach (var row in rows) Require.That(row.Length == visible, $"every filter row must have {visible} weights, got {row.Length}.");
        return new FilterParameters(visible, rows.Count, rows.SelectMany(r => r).ToArray(), bias ?? []);
    }

    /// <summary>The filter of hidden unit <paramref name="j"/> (|V| weights).</summary>
    public Span<double> Row(int j) => Weights.AsSpan(j * Visible, Visible);

    /// <summary>A deep copy.</summary>
    public FilterParameters Clone() => new(Visible, Hidden, Weights, Bias);

    /// <summary>
    /// The Z2 reporting convention: for a Z2-symmetric system Λ and −Λ carry the same information, so each
    /// hidden unit's (λ_j, c_j) is flipped in sign when needed to make Σ_i λ_ij ≥ 0 (ties broken by the first
    /// non-zero weight being positive). Changes the labelling of h_j only.
    /// </summary>
    public void ApplySignConvention()
    {
        for (int j = 0; j < Hidden; j++)
        {
            var row = Row(j);
            double sum = 0; foreach (double w in row) sum += w;
            bool flip = sum < -1e-12 * (1 + System.Numerics.Tensors.TensorPrimitives.SumOfMagnitudes<double>(row));
            if (Math.Abs(sum) <= 1e-12 * (1 + System.Numerics.Tensors.TensorPrimitives.SumOfMagnitudes<double>(row)))
            {
                foreach (double w in row) if (w != 0) { flip = w < 0; break; }
            }
            if (flip)
            {
                for (int i = 0; i < row.Length; i++) row[i] = -row[i];
                Bias[j] = -Bias[j];
            }
        }
    }

    /// <summary>a_j(v) = Σ_i λ_ij v_i + c_j for every hidden unit, for a block given as ±1 values.</summary>
    public void Activations(ReadOnlySpan<double> block, Span<double> activations)
    {
        for (int j = 0; j < Hidden; j++)
            activations[j] = System.Numerics.Tensors.TensorPrimitives.Dot<double>(Weights.AsSpan(j * Visible, Visible), block) + Bias[j];
    }
}
