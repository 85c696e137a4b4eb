using System.Numerics;

namespace Rsmi.States;

/// <summary>±1 spins (Ising spins, and the ±1 pixels of the dimer images): a learner sees one feature equal to the value.</summary>
public sealed class IsingSpins : IStateSpace
{
    /// <summary>The one instance.</summary>
    public static IsingSpins Instance { get; } = new();

    private IsingSpins() { }

    /// <inheritdoc />
    public string Name => "ising-spins";
    /// <inheritdoc />
    public string ValuesText => "+1 and -1";
    /// <inheritdoc />
    public bool IsValid(sbyte value) => value is 1 or -1;
    /// <inheritdoc />
    public int IndexOfInvalid(ReadOnlySpan<sbyte> data) => data.IndexOfAnyExcept((sbyte)1, (sbyte)-1);
    /// <inheritdoc />
    public int FeaturesPerSite => 1;
    /// <inheritdoc />
    public void Encode<T>(sbyte value, Span<T> features) where T : INumberBase<T> => features[0] = T.CreateTruncating(value);
}
