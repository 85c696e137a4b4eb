using Rsmi.Learning.Ensembles;
using Rsmi.Regions;
using Rsmi.States;

namespace Rsmi.Learning;

/// <summary>What a learner option takes.</summary>
public enum LearnerOptionKind
{
    /// <summary>An integer.</summary>
    Integer,
    /// <summary>A real number.</summary>
    Number,
    /// <summary>On or off (true or false).</summary>
    Flag,
    /// <summary>A word or list that the learner reads itself: a choice among names, <c>auto</c> or a value, widths.</summary>
    Text,
}

/// <summary>One option of a learner.</summary>
/// <param name="Key">Its name, starting with the learner's name (e.g. <c>rbm-updates</c>), so that no two learners share one.</param>
/// <param name="Kind">What it takes.</param>
/// <param name="Description">One sentence for help texts.</param>
public sealed record LearnerOption(string Key, LearnerOptionKind Kind, string Description);

/// <summary>
/// What the learner's settings are for. The defaults differ: learning filters from a sample file (<c>rsmi learn</c>
/// and a study's filters stages) and learning the rule of every step of the RG flow (<c>rsmi flow</c> and a study's
/// flow stage), which learns one filter per step and per temperature and so takes a smaller budget.
/// </summary>
public enum LearnerUse
{
    /// <summary>Filters from a sample file.</summary>
    Filters,
    /// <summary>The rule of each RG step.</summary>
    FlowRule,
}

/// <summary>
/// What learner options are checked against: the learning window and the model the samples hold. A null
/// <see cref="Model"/> means the samples are not known yet (a study checks its settings before any sample exists);
/// the checks that need the model are then left to the parse made when the samples are there.
/// </summary>
/// <param name="Geometry">Block, buffer and environment.</param>
/// <param name="Model">The model name of the samples (<c>unknown</c> for files without one), or null when not known yet.</param>
/// <param name="States">What a site of the samples holds (null: not known yet, or ±1 spins).</param>
/// <param name="HiddenStates">States q_h of each hidden unit (2: binary units h = ±1; more: categorical units).</param>
public sealed record LearnerContext(WindowGeometry Geometry, string? Model, IStateSpace? States = null, int HiddenStates = 2);

/// <summary>
/// One learner of RSMI filters as the <see cref="LearnerCatalog"/> holds it: its name, its options, their defaults
/// for each <see cref="LearnerUse"/>, and how parsed settings become an <see cref="IFilterLearner"/>. Options arrive
/// as key/value pairs of text (from a command line, or a study config), are checked once here, and come out as the
/// learner's typed options (<see cref="LearnerSettings"/>).
/// </summary>
public abstract class LearnerEntry
{
    /// <summary>The learner's name (<c>rbm</c>, <c>infonce</c>, <c>kl-rbm</c>), as written to filters files.</summary>
    public abstract string Name { get; }

    /// <summary>One line for help texts.</summary>
    public abstract string Description { get; }

    /// <summary>Its options, in the order help texts list them.</summary>
    public abstract IReadOnlyList<LearnerOption> Options { get; }

    /// <summary>Whether it can learn the rule of each step of the RG flow (one filter on b × b blocks of a 2D lattice).</summary>
    public virtual bool LearnsFlowRules => false;

    /// <summary>
    /// Null when the learner learns from samples of <paramref name="states"/> with hidden units of
    /// <paramref name="hiddenStates"/> states, otherwise one sentence saying why it does not. By default a learner
    /// takes ±1 spins and binary units only (the networks of the paper have ±1 visible and hidden units).
    /// </summary>
    public virtual string? Declines(IStateSpace states, int hiddenStates) =>
        states.FeaturesPerSite == 1 && hiddenStates == 2 ? null
            : $"the {Name} estimator learns binary hidden units from ±1 spins only, but these samples hold {states.ValuesText} and the units would have {hiddenStates} states; use {RsmiInputException.Option("estimator")} infonce.";

    /// <summary>Whether <paramref name="key"/> is one of its options.</summary>
    public bool HasOption(string key) => Options.Any(o => o.Key == key);

    /// <summary>
    /// The settings for <paramref name="use"/>: every option in <paramref name="given"/> (key → value as text; an
    /// option absent keeps the default of that use), checked against <paramref name="context"/>. Messages name an
    /// option as <paramref name="naming"/> writes its key (the command line writes <c>--KEY</c>; default: the key).
    /// Throws <see cref="RsmiInputException"/> for an option that is not this learner's and for every bad value.
    /// </summary>
    public LearnerSettings Parse(IReadOnlyDictionary<string, string> given, LearnerUse use, LearnerContext context, Func<string, string>? naming = null)
    {
        naming ??= key => key;
        foreach (string key in given.Keys)
            Require.That(HasOption(key), $"{naming(key)} is not an option of the {Name} learner.");
        if (Declines(context.States ?? IsingSpins.Instance, context.HiddenStates) is string why) throw new RsmiInputException(why);
        var values = new OptionValues(given, naming);
        object options = Read(values, use, context);
        return new LearnerSettings(this, use, options, values.Effective);
    }

    /// <summary>The value of every option when none is given, for <paramref name="use"/> (by key; <c>auto</c> where the data decide).</summary>
    public IReadOnlyDictionary<string, object?> DefaultValues(LearnerUse use) =>
        // No option is given, so nothing is checked against the window: any window will do.
        Parse(new Dictionary<string, string>(), use, new LearnerContext(WindowGeometry.Square(2, 2, 1, 1), null)).Effective;

    /// <summary>Reads the options over the defaults of <paramref name="use"/>.</summary>
    private protected abstract object Read(OptionValues values, LearnerUse use, LearnerContext context);

    /// <summary>The learner of one ensemble member with <paramref name="settings"/>' options, on block positions <paramref name="stride"/> apart (0: the tiling).</summary>
    internal abstract IFilterLearner CreateLearner(LearnerSettings settings, int stride);
}

/// <summary>A <see cref="LearnerEntry"/> whose options are a <typeparamref name="TOptions"/>.</summary>
public abstract class LearnerEntry<TOptions> : LearnerEntry where TOptions : class
{
    /// <summary>The options when none is given, for <paramref name="use"/>: each learner defines both sets here, once.</summary>
    public abstract TOptions Defaults(LearnerUse use);

    /// <summary>Reads every option over <paramref name="baseline"/>, checks the values and records each one's effective value.</summary>
    private protected abstract TOptions Read(OptionValues values, TOptions baseline, LearnerContext context);

    /// <summary>The learner of one ensemble member.</summary>
    private protected abstract IFilterLearner Create(TOptions options, int stride);

    private protected sealed override object Read(OptionValues values, LearnerUse use, LearnerContext context) => Read(values, Defaults(use), context);

    internal sealed override IFilterLearner CreateLearner(LearnerSettings settings, int stride) => Create((TOptions)settings.Options, stride);
}

/// <summary>A learner's checked settings: its typed options and the effective value of every option.</summary>
public sealed class LearnerSettings
{
    internal LearnerSettings(LearnerEntry learner, LearnerUse use, object options, IReadOnlyDictionary<string, object?> effective)
    {
        Learner = learner; Use = use; Options = options; Effective = effective;
    }

    /// <summary>The learner.</summary>
    public LearnerEntry Learner { get; }
    /// <summary>The use whose defaults the options not given took.</summary>
    public LearnerUse Use { get; }
    /// <summary>The typed options (<see cref="RsmiTrainingOptions"/>, <see cref="InfoNce.InfoNceOptions"/>, <see cref="KlRbmOptions"/>).</summary>
    public object Options { get; }
    /// <summary>The value of every option by key, defaults included (<c>auto</c> where the data decide), for the record (flow.json <c>estimator_options</c>).</summary>
    public IReadOnlyDictionary<string, object?> Effective { get; }

    /// <summary>The learner of one ensemble member, on block positions <paramref name="stride"/> apart (0: the block size, the tiling).</summary>
    public IFilterLearner CreateLearner(int stride = 0) => Learner.CreateLearner(this, stride);
}
