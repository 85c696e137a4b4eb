using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Rsmi.Learning;
using Rsmi.Study;

namespace Rsmi.Cli.Commands;

/// <summary>
/// The options of the learners in the <see cref="LearnerCatalog"/> on one command (<c>rsmi learn</c>, <c>rsmi flow</c>):
/// one command-line option <c>--KEY</c> per learner option, whose help shows the default of the command's
/// <see cref="LearnerUse"/>; what was given, as the key/value text the catalog parses; and the refusal of options that
/// belong to another learner than the one chosen.
/// </summary>
internal sealed class LearnerOptions
{
    private readonly List<(LearnerEntry Learner, LearnerOption Spec, Option Option)> _options = [];

    /// <summary>The options of <paramref name="learners"/>, in catalog order, with the defaults of <paramref name="use"/>.</summary>
    public LearnerOptions(IEnumerable<LearnerEntry> learners, LearnerUse use)
    {
        foreach (var learner in learners)
        {
            var defaults = learner.DefaultValues(use);
            foreach (var spec in learner.Options)
                _options.Add((learner, spec, Create(spec, defaults[spec.Key])));
        }
    }

    /// <summary>The command-line options, to add to the command.</summary>
    public IEnumerable<Option> All => _options.Select(o => o.Option);

    /// <summary>The command-line name of a learner option: <c>--KEY</c>.</summary>
    public static string Flag(string key) => LearnerArguments.Flag(key);

    /// <summary>Whether <paramref name="option"/> was given on the command line (not merely defaulted).</summary>
    public static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>The options of <paramref name="learner"/> given on the command line, as key → value text.</summary>
    public Dictionary<string, string> GivenTo(ParseResult parse, LearnerEntry learner)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (owner, spec, option) in _options)
        {
            if (owner != learner || !Given(parse, option)) continue;
            given[spec.Key] = option switch
            {
                Option<int> o => parse.GetValue(o).ToString(CultureInfo.InvariantCulture),
                Option<double> o => parse.GetValue(o).ToString("R", CultureInfo.InvariantCulture),
                Option<bool> o => parse.GetValue(o) ? "true" : "false",
                Option<string> o => parse.GetValue(o)!,
                _ => throw new InvalidOperationException($"option {option.Name} has no known type."),
            };
        }
        return given;
    }

    /// <summary>
    /// Throws <see cref="RsmiInputException"/> for the first option given that belongs to another learner than
    /// <paramref name="chosen"/>: an option of <c>--estimator rbm</c> does nothing under <c>--estimator infonce</c> (or
    /// under a fixed rule of <c>rsmi flow</c>, which learns nothing) and must not be dropped silently.
    /// </summary>
    public static void RefuseForeign(ParseResult parse, string chosen)
    {
        foreach (var given in parse.CommandResult.Children.OfType<OptionResult>().Where(r => !r.Implicit))
            if (LearnerArguments.Foreign(given.Option.Name.TrimStart('-'), chosen) is string message) throw new RsmiInputException(message);
    }

    private static Option Create(LearnerOption spec, object? fallback)
    {
        string name = Flag(spec.Key);
        return spec.Kind switch
        {
            LearnerOptionKind.Integer => new Option<int>(name) { Description = spec.Description, DefaultValueFactory = _ => (int)fallback! },
            LearnerOptionKind.Number => new Option<double>(name) { Description = spec.Description, DefaultValueFactory = _ => (double)fallback! },
            // an option that is off by default shows no default
            LearnerOptionKind.Flag => fallback is true
                ? new Option<bool>(name) { Description = spec.Description, DefaultValueFactory = _ => true }
                : new Option<bool>(name) { Description = spec.Description },
            _ => new Option<string>(name) { Description = spec.Description, DefaultValueFactory = _ => FormattableString.Invariant($"{fallback}") },
        };
    }
}
