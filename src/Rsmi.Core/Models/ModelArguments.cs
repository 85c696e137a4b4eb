namespace Rsmi.Models;

/// <summary>The values of a model's parameters for one run, with which of them were given explicitly.</summary>
public sealed class ModelArguments
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _given = new(StringComparer.Ordinal);

    /// <summary>Every non-shared parameter of <paramref name="model"/> at its default, none given.</summary>
    public static ModelArguments Defaults(IModel model)
    {
        var arguments = new ModelArguments();
        foreach (var p in model.Parameters.Where(p => !p.IsShared)) arguments._values[p.Name] = p.DefaultValue;
        return arguments;
    }

    /// <summary>Sets <paramref name="parameter"/> to <paramref name="value"/>, marked as given unless <paramref name="given"/> is false; returns this.</summary>
    public ModelArguments Set<T>(ModelParameter<T> parameter, T value, bool given = true)
    {
        _values[parameter.Name] = value;
        if (given) _given.Add(parameter.Name); else _given.Remove(parameter.Name);
        return this;
    }

    /// <summary>The value of <paramref name="parameter"/> (its default when it was never set).</summary>
    public T Get<T>(ModelParameter<T> parameter) => _values.TryGetValue(parameter.Name, out var v) ? (T)v! : parameter.Default;

    /// <summary>Whether <paramref name="parameter"/> was given explicitly (on the command line).</summary>
    public bool IsGiven(ModelParameter parameter) => _given.Contains(parameter.Name);
}
