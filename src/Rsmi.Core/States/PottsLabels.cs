using System.Numerics;

namespace Rsmi.States;

/// <summary>
/// q-state Potts labels 0 … q−1 (2 ≤ q ≤ 127, one <see cref="sbyte"/> per site): a learner sees a site as the one-hot
/// vector of its label, q features of which feature s is 1 and the others 0.
/// </summary>
public sealed class PottsLabels : IStateSpace
{
    /// <summary>Largest q: the labels 0 … q−1 fit in an int8.</summary>
    public const int MaxStates = 127;

    private static readonly PottsLabels?[] Cache = new PottsLabels?[MaxStates + 1];

    private PottsLabels(int q) => States = q;

    /// <summary>The state space of <paramref name="q"/> labels (2 ≤ q ≤ <see cref="MaxStates"/>; checked).</summary>
    public static PottsLabels Of(int q)
    {
        Require.That(q is >= 2 and <= MaxStates, $"a Potts model needs 2 to {MaxStates} states, got {q}.");
        return Cache[q] ??= new PottsLabels(q);
    }

    /// <summary>Number of states q.</summary>
    public int States { get; }

    /// <inheritdoc />
    public string Name => $"potts-labels-{States}";
    /// <inheritdoc />
    public string ValuesText => $"the labels 0 to {States - 1}";
    /// <inheritdoc />
    public bool IsValid(sbyte value) => (uint)value < (uint)States;
    /// <inheritdoc />
    public int IndexOfInvalid(ReadOnlySpan<sbyte> data) => data.IndexOfAnyExceptInRange((sbyte)0, (sbyte)(States - 1));
    /// <inheritdoc />
    public int FeaturesPerSite => States;
    /// <inheritdoc />
    public void Encode<T>(sbyte value, Span<T> features) where T : INumberBase<T>
    {
        features[..States].Fill(T.Zero);
        features[value] = T.One;
    }
}
