using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rsmi.Filters;

/// <summary>
/// Learned RSMI coarse-graining filters (docs/contract.md, "Filters files"): for a visible block V of
/// <c>BlockX × BlockY</c> sites, <see cref="Hidden"/> hidden units H_j = Σ_i Λ_ji v_i + b_j with weights Λ
/// (<see cref="Weights"/>) and biases b (<see cref="Bias"/>), learned by maximising the real-space mutual
/// information I(H : E) between the hidden units and the environment E of width <see cref="Environment"/>
/// separated from V by a buffer of width <see cref="Buffer"/> (Koch-Janusz &amp; Ringel, Nat. Phys. 14, 578
/// (2018), Eq. (2)).
/// </summary>
/// <remarks>
/// Weights are stored flat, hidden unit by hidden unit, each row row-major over the block:
/// Λ_j(x, y) = <c>Weights[j * BlockSize + y * BlockX + x]</c>, 0 ≤ x &lt; BlockX, 0 ≤ y &lt; BlockY. Chains use
/// <c>BlockY = 1</c>. Filters of cubic lattices have a depth <see cref="BlockZ"/> and
/// Λ_j(x, y, z) = <c>Weights[j * BlockSize + (z * BlockY + y) * BlockX + x]</c>. In the JSON file the weights are
/// <see cref="Hidden"/> arrays of <see cref="BlockSize"/> numbers.
/// </remarks>
public sealed class FilterSet
{
    /// <summary>The keys the contract defines, in the order they are written.</summary>
    public static IReadOnlyList<string> ContractKeys { get; } =
    [
        "model", "block", "buffer", "environment", "hidden", "features_per_site", "hidden_states", "estimator", "weights", "bias",
        "mutual_information_bits", "history", "history_moving_average", "seed", "rsmi_version"
    ];

    /// <summary>The model the filters were learned on (<c>ising1d</c>, <c>ising2d</c>, <c>dimer</c>…).</summary>
    public required string Model { get; init; }
    /// <summary>Block width b_x (≥ 1).</summary>
    public required int BlockX { get; init; }
    /// <summary>Block height b_y (≥ 1; 1 for chains).</summary>
    public required int BlockY { get; init; }
    /// <summary>Block depth b_z (≥ 1) of filters learned on cubic lattices, the third entry of <c>block</c>; null for
    /// chains and square lattices, whose <c>block</c> has two entries.</summary>
    public int? BlockZ { get; init; }
    /// <summary>Buffer width L_B (≥ 0) between block and environment.</summary>
    public required int Buffer { get; init; }
    /// <summary>Environment width L_E (≥ 1).</summary>
    public required int Environment { get; init; }
    /// <summary>The filters Λ and biases c themselves (N_h rows of |V| = <see cref="BlockSize"/> weights; the one
    /// representation of learned filters, <see cref="FilterParameters"/>).</summary>
    public required FilterParameters Filters { get; init; }
    /// <summary>Number of hidden units N_h (≥ 1).</summary>
    public int Hidden => Filters.Hidden;
    /// <summary>The mutual-information estimator that trained the filters (<c>rbm</c>, <c>infonce</c>, <c>exact</c>…).</summary>
    public required string Estimator { get; init; }
    /// <summary><see cref="Hidden"/> × <see cref="BlockSize"/> weights, row-major (see the remarks): <see cref="Filters"/>' weights.</summary>
    public double[] Weights => Filters.Weights;
    /// <summary><see cref="Hidden"/> biases of the hidden units: <see cref="Filters"/>' biases.</summary>
    public double[] Bias => Filters.Bias;
    /// <summary>The final estimate of I(H : E) in bits.</summary>
    public required double MutualInformationBits { get; init; }
    /// <summary>The mutual-information estimate (bits) after each epoch or iteration.</summary>
    public double[] History { get; init; } = [];
    /// <summary>Optional moving average of <see cref="History"/>.</summary>
    public double[]? HistoryMovingAverage { get; init; }
    /// <summary>The seed of the training run.</summary>
    public required long Seed { get; init; }
    /// <summary>The rsmi version that produced the filters.</summary>
    public string RsmiVersion { get; init; } = Rsmi.RsmiVersion.Current;
    /// <summary>
    /// Further top-level fields (geometry kind, training settings…), written after the contract's keys in key
    /// order and read back as they are. Keys must not clash with <see cref="ContractKeys"/>.
    /// </summary>
    public SortedDictionary<string, JsonNode?> Extra { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Sites per block, b_x · b_y (· b_z).</summary>
    public int BlockSize => BlockX * BlockY * (BlockZ ?? 1);

    /// <summary>The block as written to the file: [b_x, b_y], or [b_x, b_y, b_z] for cubic lattices.</summary>
    public int[] Block => BlockZ is int bz ? [BlockX, BlockY, bz] : [BlockX, BlockY];

    /// <summary>The weights of hidden unit <paramref name="hidden"/>, row-major over the block.</summary>
    public ReadOnlySpan<double> Filter(int hidden) => Weights.AsSpan(hidden * BlockSize, BlockSize);

    /// <summary>Λ_j(x, y).</summary>
    public double Weight(int hidden, int x, int y) => Weights[hidden * BlockSize + y * BlockX + x];

    /// <summary>Λ_j(x, y, z) (z = 0 for chains and square lattices).</summary>
    public double Weight(int hidden, int x, int y, int z) => Weights[hidden * BlockSize + (z * BlockY + y) * BlockX + x];

    /// <summary>Adds or replaces an extra field, serialising <paramref name="value"/> with System.Text.Json.</summary>
    public void SetExtra(string key, object? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (ContractKeys.Contains(key)) throw new ArgumentException($"'{key}' is a contract key, not an extra field.", nameof(key));
        Extra[key] = value is null ? null : JsonSerializer.SerializeToNode(value);
    }

    /// <summary>
    /// Checks that the filter set is consistent: positive sizes, non-empty names, <see cref="Weights"/> of
    /// <see cref="Hidden"/> × <see cref="BlockSize"/> finite numbers, <see cref="Bias"/> of <see cref="Hidden"/>
    /// finite numbers, a finite mutual information and history, and no extra key that clashes with the contract.
    /// </summary>
    /// <param name="source">Names the file (or the output) in the messages.</param>
    /// <exception cref="RsmiInputException">The first problem found, in one sentence.</exception>
    public void Validate(string source)
    {
        Require.That(!string.IsNullOrWhiteSpace(Model), $"{source}: 'model' must be a non-empty string.");
        Require.That(BlockX >= 1 && BlockY >= 1, $"{source}: 'block' must be two positive integers [bx, by], got [{BlockX}, {BlockY}].");
        Require.That(BlockZ is null or >= 1, $"{source}: 'block' must be three positive integers [bx, by, bz] for a cubic lattice, got [{BlockX}, {BlockY}, {BlockZ}].");
        Require.That(Buffer >= 0, $"{source}: 'buffer' must be zero or a positive integer, got {Buffer}.");
        Require.That(Environment >= 1, $"{source}: 'environment' must be a positive integer, got {Environment}.");
        Require.That(Hidden >= 1, $"{source}: 'hidden' must be a positive integer, got {Hidden}.");
        Require.That(!string.IsNullOrWhiteSpace(Estimator), $"{source}: 'estimator' must be a non-empty string.");
        Require.That(!string.IsNullOrWhiteSpace(RsmiVersion), $"{source}: 'rsmi_version' must be a non-empty string.");
        ArgumentNullException.ThrowIfNull(Filters);
        ArgumentNullException.ThrowIfNull(History);
        Require.That(Filters.Visible == BlockSize,
            Filters.IsSpinFilter
                ? $"{source}: 'weights' must hold {Hidden} rows of {BlockSize} numbers (hidden × {(BlockZ is null ? "bx·by" : "bx·by·bz")}), got {Weights.LongLength} numbers."
                : $"{source}: the filters are for a block of {Filters.Visible} sites, but 'block' has {BlockSize}.");
        CheckFinite(Weights, "weights", source);
        CheckFinite(Bias, "bias", source);
        Require.That(double.IsFinite(MutualInformationBits), $"{source}: 'mutual_information_bits' must be a finite number, got {MutualInformationBits}.");
        CheckFinite(History, "history", source);
        if (HistoryMovingAverage is not null) CheckFinite(HistoryMovingAverage, "history_moving_average", source);
        foreach (string key in Extra.Keys)
            Require.That(!ContractKeys.Contains(key), $"{source}: the extra field '{key}' clashes with a contract key.");
    }

    private static void CheckFinite(double[] values, string key, string source)
    {
        for (int i = 0; i < values.Length; i++)
            Require.That(double.IsFinite(values[i]), $"{source}: '{key}' holds a non-finite number ({values[i]}) at position {i}.");
    }
}
