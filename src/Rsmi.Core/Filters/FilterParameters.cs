namespace Rsmi.Filters;

/// <summary>
/// The parameters Λ = (λ, c) of the RSMI coarse-graining rule (Koch-Janusz &amp; Ringel 2018; docs/algorithm.md, "The coarse-graining rule").
/// A block site is seen as <see cref="FeaturesPerSite"/> numbers x (±1 spins: one, the spin; q-state labels: q, the
/// one-hot vector of the label), so a block is |V|·F inputs. Hidden units are binary (<see cref="HiddenStates"/> = 2,
/// h = ±1) or categorical with q_h ≥ 3 states:
/// <list type="bullet">
/// <item>binary: a_j = Σ_i λ_ji x_i + c_j, P_Λ(h|V) = Π_j exp(h_j a_j) / (2 cosh a_j), so P(h_j = +1 | V) = σ(2 a_j);</item>
/// <item>categorical: a_js = Σ_i λ_jsi x_i + c_js for each state s, P(h_j = s | V) = e^{a_js} / Σ_t e^{a_jt}.</item>
/// </list>
/// Weights are stored unit by unit (<see cref="Row(int)"/>), within a unit state by state (<see cref="StateRows"/> rows: one
/// for a binary unit, q_h for a categorical one), each row over the block's sites in row-major order with a site's F
/// features consecutive: λ_jsif = Weights[((j·R + s)·|V| + i)·F + f]. For ±1 spins and binary units this is N_h rows of
/// |V| values, the layout of the filters file.
/// </summary>
public sealed class FilterParameters
{
    /// <summary>Number of block sites |V| ≥ 1.</summary>
    public int Visible { get; }
    /// <summary>Number of hidden (coarse) units N_h ≥ 1.</summary>
    public int Hidden { get; }
    /// <summary>Features a site is seen as, F ≥ 1 (1 for ±1 spins, q for one-hot q-state labels).</summary>
    public int FeaturesPerSite { get; }
    /// <summary>States of each hidden unit q_h ≥ 2 (2: binary units h = ±1; more: categorical units h ∈ {0, …, q_h − 1}).</summary>
    public int HiddenStates { get; }
    /// <summary>Weight rows (and biases) per hidden unit: 1 for binary units, q_h for categorical ones.</summary>
    public int StateRows => HiddenStates == 2 ? 1 : HiddenStates;
    /// <summary>Length of one weight row, |V|·F.</summary>
    public int Inputs => Visible * FeaturesPerSite;
    /// <summary>Whether these are filters of ±1 spins with binary units (F = 1, q_h = 2), the rule of the paper.</summary>
    public bool IsSpinFilter => FeaturesPerSite == 1 && HiddenStates == 2;
    /// <summary>λ, N_h · R rows of |V|·F (see the class summary); for spin filters N_h × |V| with λ_ij = Weights[j·|V| + i].</summary>
    public double[] Weights { get; }
    /// <summary>Biases: c_j (N_h values) for binary units, c_js (N_h · q_h values, unit by unit) for categorical ones.</summary>
    public double[] Bias { get; }

    /// <summary>Zero filters for |V| = <paramref name="visible"/> and N_h = <paramref name="hidden"/> (both ≥ 1), F =
    /// <paramref name="featuresPerSite"/> and q_h = <paramref name="hiddenStates"/>.</summary>
    public FilterParameters(int visible, int hidden, int featuresPerSite = 1, int hiddenStates = 2)
    {
        Require.Positive(visible, "block size |V|");
        Require.Positive(hidden, "number of hidden units");
        Require.Positive(featuresPerSite, "features per site");
        Require.That(hiddenStates >= 2, $"hidden units need at least 2 states, got {hiddenStates}.");
        Visible = visible; Hidden = hidden; FeaturesPerSite = featuresPerSite; HiddenStates = hiddenStates;
        Weights = new double[(long)visible * featuresPerSite * hidden * StateRows];
        Bias = new double[hidden * StateRows];
    }

    /// <summary>Spin filters from explicit weights (N_h × |V| row-major) and biases (N_h; null means zero).</summary>
    public FilterParameters(int visible, int hidden, ReadOnlySpan<double> weights, ReadOnlySpan<double> bias = default)
        : this(visible, hidden, 1, 2, weights, bias) { }

    /// <summary>Filters from explicit weights (layout of the class summary) and biases (N_h · R; empty means zero).</summary>
    public FilterParameters(int visible, int hidden, int featuresPerSite, int hiddenStates, ReadOnlySpan<double> weights, ReadOnlySpan<double> bias = default)
        : this(visible, hidden, featuresPerSite, hiddenStates)
    {
        Require.That(weights.Length == Weights.Length, $"expected {Weights.Length} filter weights, got {weights.Length}.");
        Require.That(bias.Length == 0 || bias.Length == Bias.Length, $"expected {Bias.Length} filter biases, got {bias.Length}.");
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

    /// <summary>The weights of hidden unit <paramref name="j"/>: |V| for a spin filter, R·|V|·F in general (state by state).</summary>
    public Span<double> Row(int j) => Weights.AsSpan(j * StateRows * Inputs, StateRows * Inputs);

    /// <summary>The |V|·F weights of state <paramref name="s"/> of categorical unit <paramref name="j"/> (the one row of a binary unit for s = 0).</summary>
    public Span<double> Row(int j, int s) => Weights.AsSpan((j * StateRows + s) * Inputs, Inputs);

    /// <summary>The weights of unit <paramref name="j"/> as the filters file writes them: |V|·F numbers for a binary unit,
    /// q_h arrays of |V|·F numbers (one per state) for a categorical unit.</summary>
    public object UnitWeights(int j) => HiddenStates == 2
        ? Row(j).ToArray()
        : Enumerable.Range(0, HiddenStates).Select(s => Row(j, s).ToArray()).ToArray();

    /// <summary>The biases as the filters file writes them: N_h numbers for binary units, N_h arrays of q_h numbers for categorical ones.</summary>
    public object BiasForFile() => HiddenStates == 2 ? Bias : Enumerable.Range(0, Hidden).Select(j => UnitBias(j).ToArray()).ToArray();

    /// <summary>The biases of unit <paramref name="j"/>: c_j, or the q_h biases c_js of a categorical unit.</summary>
    public ReadOnlySpan<double> UnitBias(int j) => Bias.AsSpan(j * StateRows, StateRows);

    /// <summary>A deep copy.</summary>
    public FilterParameters Clone() => new(Visible, Hidden, FeaturesPerSite, HiddenStates, Weights, Bias);

    /// <summary>
    /// The Z2 reporting convention: for a Z2-symmetric system Λ and −Λ carry the same information, so each
    /// hidden unit's (λ_j, c_j) is flipped in sign when needed to make Σ_i λ_ij ≥ 0 (ties broken by the first
    /// non-zero weight being positive). Changes the labelling of h_j only. Categorical units have no such convention
    /// (their states are labels) and are left as they are.
    /// </summary>
    public void ApplySignConvention()
    {
        if (HiddenStates != 2) return;
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

    /// <summary>a_j(x) = Σ_i λ_ji x_i + c_j for every weight row (N_h · R of them), for a block given as its |V|·F features
    /// (±1 values for spins).</summary>
    public void Activations(ReadOnlySpan<double> block, Span<double> activations)
    {
        for (int j = 0; j < Hidden * StateRows; j++)
            activations[j] = System.Numerics.Tensors.TensorPrimitives.Dot<double>(Weights.AsSpan(j * Inputs, Inputs), block) + Bias[j];
    }
}
