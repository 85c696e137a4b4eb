using System.CommandLine;
using System.CommandLine.Parsing;

namespace Rsmi.Cli.Commands;

/// <summary>
/// The options of the filter learners, shared by <c>rsmi learn</c> and <c>rsmi flow</c>: which were given, and the
/// refusal of those that cannot apply to the estimator chosen.
/// </summary>
internal static class EstimatorOptions
{
    /// <summary>Whether <paramref name="option"/> was given on the command line (not merely defaulted).</summary>
    public static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>The option's name without the leading dashes, as in a study config and in flow.json.</summary>
    public static string Key(Option option) => option.Name.TrimStart('-');

    /// <summary>
    /// Throws <see cref="RsmiInputException"/> for the first option given that belongs to an estimator other than
    /// <paramref name="chosen"/>: an option of <c>--estimator rbm</c> does nothing under <c>--estimator infonce</c>
    /// (or under a fixed rule of <c>rsmi flow</c>, which learns nothing) and must not be dropped silently.
    /// </summary>
    public static void RefuseForeign(ParseResult parse, string chosen)
    {
        foreach (var given in parse.CommandResult.Children.OfType<OptionResult>().Where(r => !r.Implicit))
        {
            if (!Owners.Value.TryGetValue(given.Option.Name, out string? owner) || owner == chosen) continue;
            string why = Rsmi.Renormalization.RuleEstimators.All.TryGetValue(chosen, out var create) && create() is Rsmi.Renormalization.FixedRuleEstimator
                ? $"--estimator {chosen} is a fixed rule and learns nothing" : $"it does not apply to --estimator {chosen}";
            throw new RsmiInputException($"{given.Option.Name} is an option of --estimator {owner}; {why}.");
        }
    }

    /// <summary>The estimator each learner option belongs to, by option name (from the estimators themselves).</summary>
    private static readonly Lazy<Dictionary<string, string>> Owners = new(() =>
        LearnCommandFactory.Estimators().SelectMany(e => e.Options.Select(o => (o.Name, e.Name))).ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal));
}

/// <summary>
/// Reads one estimator's options and records the value each takes. For <c>rsmi learn</c> (<c>onlyGiven</c> false)
/// every value comes from the command line, defaults included; for <c>rsmi flow</c> (<c>onlyGiven</c> true) only the
/// options given do, and the others keep the flow's own defaults (the Core rule estimator's settings), passed as
/// the fallback; with no parse result at all, every option takes its fallback.
/// </summary>
internal sealed class OptionReader(ParseResult? parse, bool onlyGiven)
{
    /// <summary>The effective value of every option read, by <see cref="EstimatorOptions.Key"/>.</summary>
    public SortedDictionary<string, object?> Effective { get; } = new(StringComparer.Ordinal);

    /// <summary>The option's value, or <paramref name="fallback"/> when only given options count and it was not given.</summary>
    public T Get<T>(Option<T> option, T fallback)
    {
        T value = parse is not null && (!onlyGiven || EstimatorOptions.Given(parse, option)) ? parse.GetValue(option)! : fallback;
        Effective[EstimatorOptions.Key(option)] = value;
        return value;
    }
}

/// <summary>Help for the learner options of <c>rsmi flow</c>.</summary>
internal static class FlowOptionDefaults
{
    /// <summary>
    /// Makes <c>--help</c> show the flow's defaults for <paramref name="learner"/>'s options (those of its rule
    /// estimator when no option is given, which differ from <c>rsmi learn</c>'s) by setting each option's default to
    /// the value the flow uses; the options belong to the flow's own instance of the learner.
    /// </summary>
    public static void Apply(IFilterEstimatorFactory learner, int block, int buffer, int environment)
    {
        var defaults = learner.CreateRuleEstimator(null, block, buffer, environment)?.Options;
        if (defaults is null) return;
        foreach (var option in learner.Options)
        {
            if (!defaults.TryGetValue(EstimatorOptions.Key(option), out object? value)) continue;
            switch (option)
            {
                case Option<int> o when value is int v: o.DefaultValueFactory = _ => v; break;
                case Option<double> o when value is double v: o.DefaultValueFactory = _ => v; break;
                case Option<string> o when value is string v: o.DefaultValueFactory = _ => v; break;
                case Option<bool> o when value is true: o.DefaultValueFactory = _ => true; break;
            }
        }
    }
}
