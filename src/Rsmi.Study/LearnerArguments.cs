using System.Text.Json;
using Rsmi.Learning;
using Rsmi.Renormalization;

namespace Rsmi.Study;

/// <summary>
/// Learner options in the words of the command line, which a study config shares (docs/run-config.md: an estimator's
/// options are those of <c>rsmi learn</c> without the dashes): the option <c>KEY</c> is <c>--KEY</c> in messages, and an
/// option of another learner than the one chosen is refused with the same sentence wherever it is given.
/// </summary>
public static class LearnerArguments
{
    /// <summary>The command-line name of option <paramref name="key"/>: <c>--KEY</c>.</summary>
    public static string Flag(string key) => "--" + key;

    /// <summary>
    /// The sentence that refuses option <paramref name="key"/> under the estimator <paramref name="chosen"/> (a
    /// learner or a fixed rule of the flow), or null when it is not a learner option or belongs to
    /// <paramref name="chosen"/>.
    /// </summary>
    public static string? Foreign(string key, string chosen)
    {
        var owner = LearnerCatalog.OwnerOf(key);
        if (owner is null || owner.Name == chosen) return null;
        string why = RuleEstimators.IsFixed(chosen) ? $"--estimator {chosen} is a fixed rule and learns nothing" : $"it does not apply to --estimator {chosen}";
        return $"{Flag(key)} is an option of --estimator {owner.Name}; {why}.";
    }

    /// <summary>A config option's value as the text the learner catalog parses (numbers as written, true or false).</summary>
    public static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };
}
