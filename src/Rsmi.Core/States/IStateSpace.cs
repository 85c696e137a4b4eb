using System.Numerics;

namespace Rsmi.States;

/// <summary>
/// What one site of a configuration holds: the values a sample file may store (one <see cref="sbyte"/> per site for
/// discrete state spaces such as ±1 spins or q-state labels 0 … q−1; a continuous state space will bring its own
/// storage), and how a learner sees a site: as <see cref="FeaturesPerSite"/> real numbers (±1 spins: one feature
/// equal to the value; q-state labels: q features, a one-hot vector).
/// </summary>
public interface IStateSpace
{
    /// <summary>Short name of the state space (e.g. <c>ising-spins</c>).</summary>
    string Name { get; }

    /// <summary>The values a site may hold, as a sample file's readers name them: "+1 and -1".</summary>
    string ValuesText { get; }

    /// <summary>Whether <paramref name="value"/> is a state of one site.</summary>
    bool IsValid(sbyte value);

    /// <summary>Index of the first value in <paramref name="data"/> that is not a state, or −1 when all are.</summary>
    int IndexOfInvalid(ReadOnlySpan<sbyte> data);

    /// <summary>Number of real features a learner sees per site (1 for ±1 spins, q for one-hot q-state labels).</summary>
    int FeaturesPerSite { get; }

    /// <summary>Writes the <see cref="FeaturesPerSite"/> features of one site holding <paramref name="value"/> (a valid state) to <paramref name="features"/>.</summary>
    void Encode<T>(sbyte value, Span<T> features) where T : INumberBase<T>;
}

/// <summary>How a learner sees a row of sites: each site as the <see cref="IStateSpace.FeaturesPerSite"/> features of <see cref="IStateSpace.Encode"/>.</summary>
public static class StateEncoding
{
    /// <summary>
    /// Writes the features of the sites <paramref name="values"/> (valid states) to <paramref name="features"/>, site by
    /// site, F = <see cref="IStateSpace.FeaturesPerSite"/> consecutive numbers each (|values|·F in all). With one feature
    /// per site the value itself is written (±1 spins), the copy every learner made before sites had features.
    /// </summary>
    public static void EncodeRow<T>(this IStateSpace states, ReadOnlySpan<sbyte> values, Span<T> features) where T : INumberBase<T>
    {
        int f = states.FeaturesPerSite;
        if (f == 1)
        {
            for (int i = 0; i < values.Length; i++) features[i] = T.CreateTruncating(values[i]);
            return;
        }
        for (int i = 0; i < values.Length; i++) states.Encode(values[i], features.Slice(i * f, f));
    }
}

/// <summary>Checks of stored values against a state space.</summary>
public static class StateSpaceChecks
{
    /// <summary>
    /// Throws <see cref="RsmiInputException"/> unless every value of <paramref name="data"/> (configurations of
    /// <paramref name="sites"/> sites) is a state of <paramref name="states"/>, naming the file, the first offending
    /// configuration, site and value, and how many such values there are.
    /// </summary>
    public static void CheckValues(this IStateSpace states, ReadOnlySpan<sbyte> data, int sites, string fileName)
    {
        int bad = states.IndexOfInvalid(data);
        if (bad < 0) return;
        int configuration = bad / sites, site = bad % sites;
        int others = 0;
        for (int i = bad; i < data.Length; i++) if (!states.IsValid(data[i])) others++;
        throw new RsmiInputException(
            $"'{fileName}' holds the value {data[bad]} (configuration {configuration}, site {site}; {others} such value{(others == 1 ? "" : "s")} in all), but sample files hold only {states.ValuesText}.");
    }
}
