namespace Rsmi.Models;

/// <summary>Reads a parameter's value from its command-line text; false when the text is not a value.</summary>
public delegate bool ParameterParser<T>(string text, out T value);

/// <summary>
/// One parameter of a model (<c>--NAME</c> of <c>rsmi sample MODEL</c>): its name, type, default, help and check.
/// A parameter named like one of the sampling options every model shares (<see cref="SharedOptions"/>:
/// <c>algorithm</c>, <c>chains</c>) is not a model parameter: it replaces that option's help text and default.
/// </summary>
public abstract class ModelParameter
{
    /// <summary>The options of <c>rsmi sample</c> that every model has; a model parameter of one of these names gives it its own help and default.</summary>
    public static IReadOnlyList<string> SharedOptions { get; } = ["samples", "algorithm", "chains", "threads", "seed", "out"];

    private protected ModelParameter(string name, string help)
    {
        Require.That(!string.IsNullOrWhiteSpace(name) && !name.StartsWith('-'), $"a parameter needs a name without dashes, got '{name}'.");
        Name = name;
        Help = help;
    }

    /// <summary>The name, the option <c>--NAME</c>.</summary>
    public string Name { get; }
    /// <summary>One or two sentences for <c>--help</c>.</summary>
    public string Help { get; }
    /// <summary>Whether the option must be given (it then has no default).</summary>
    public bool Required { get; init; }
    /// <summary>Whether this is one of the <see cref="SharedOptions"/> (help and default only).</summary>
    public bool IsShared => SharedOptions.Contains(Name);
    /// <summary>The value's type.</summary>
    public abstract Type ValueType { get; }
    /// <summary>The default, boxed (unused when <see cref="Required"/>).</summary>
    public abstract object? DefaultValue { get; }
    /// <summary>Calls <paramref name="visitor"/> with the typed parameter (how the command line binds every type generically).</summary>
    public abstract TResult Accept<TResult>(IParameterVisitor<TResult> visitor);
    /// <summary>Runs the parameter's own check on its value in <paramref name="arguments"/>.</summary>
    internal abstract void Check(ModelArguments arguments);
}

/// <summary>Receives a <see cref="ModelParameter{T}"/> with its type.</summary>
public interface IParameterVisitor<out TResult>
{
    /// <summary>Handles <paramref name="parameter"/>.</summary>
    TResult Visit<T>(ModelParameter<T> parameter);
}

/// <summary>A parameter with values of type <typeparamref name="T"/> (int, long, double, string, bool: a flag).</summary>
public sealed class ModelParameter<T>(string name, string help) : ModelParameter(name, help)
{
    /// <summary>The value when the option is not given.</summary>
    public T Default { get; init; } = default!;
    /// <summary>Reads the value from its text, where the usual number syntax is not enough (e.g. "Infinity"); null for the usual one.</summary>
    public ParameterParser<T>? Parser { get; init; }
    /// <summary>The sentence for a text <see cref="Parser"/> refuses (settings named with <see cref="RsmiInputException.Option"/>).</summary>
    public Func<string, string>? ParseError { get; init; }
    /// <summary>The parameter's own check of a value (throws <see cref="RsmiInputException"/> naming the option); null when any value of the type is valid or the model checks it.</summary>
    public Action<T>? Validate { get; init; }

    /// <inheritdoc />
    public override Type ValueType => typeof(T);
    /// <inheritdoc />
    public override object? DefaultValue => Default;
    /// <inheritdoc />
    public override TResult Accept<TResult>(IParameterVisitor<TResult> visitor) => visitor.Visit(this);
    internal override void Check(ModelArguments arguments) => Validate?.Invoke(arguments.Get(this));
}
