using System.Globalization;

namespace Rsmi.Learning;

/// <summary>
/// The options given to one learner as key/value text, read one at a time with the value to take when an option is
/// not given; every value read is recorded in <see cref="Effective"/>.
/// </summary>
internal sealed class OptionValues(IReadOnlyDictionary<string, string> given, Func<string, string> naming)
{
    /// <summary>The word for a setting left to the data.</summary>
    public const string Auto = "auto";

    /// <summary>The effective value of every option read, by key.</summary>
    public SortedDictionary<string, object?> Effective { get; } = new(StringComparer.Ordinal);

    /// <summary>The option's name in messages.</summary>
    public string NameOf(string key) => naming(key);

    /// <summary>Records <paramref name="value"/> as the effective value of <paramref name="key"/> (a normalised spelling).</summary>
    public void Record(string key, object? value) => Effective[key] = value;

    /// <summary>An integer option.</summary>
    public int Integer(string key, int fallback)
    {
        int value = given.TryGetValue(key, out string? text)
            ? int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw new RsmiInputException($"{naming(key)}: '{text}' is not an integer.")
            : fallback;
        Effective[key] = value;
        return value;
    }

    /// <summary>A real-number option.</summary>
    public double Number(string key, double fallback)
    {
        double value = given.TryGetValue(key, out string? text)
            ? double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw new RsmiInputException($"{naming(key)}: '{text}' is not a number.")
            : fallback;
        Effective[key] = value;
        return value;
    }

    /// <summary>An on/off option (<c>true</c> or <c>false</c>).</summary>
    public bool Flag(string key, bool fallback)
    {
        bool value = given.TryGetValue(key, out string? text)
            ? bool.TryParse(text.Trim(), out bool v) ? v : throw new RsmiInputException($"{naming(key)}: '{text}' is not true or false.")
            : fallback;
        Effective[key] = value;
        return value;
    }

    /// <summary>A text option, as given (or <paramref name="fallback"/>).</summary>
    public string Text(string key, string fallback)
    {
        string value = given.TryGetValue(key, out string? text) ? text : fallback;
        Effective[key] = value;
        return value;
    }

    /// <summary>Whether <paramref name="text"/> says <c>auto</c> (any case).</summary>
    public static bool IsAuto(string text) => text.Trim().Equals(Auto, StringComparison.OrdinalIgnoreCase);

    /// <summary>An option that takes an integer or <c>auto</c> (null); <paramref name="fallback"/> null means auto.</summary>
    public int? IntegerOrAuto(string key, int? fallback)
    {
        string text = Text(key, fallback is int f ? f.ToString(CultureInfo.InvariantCulture) : Auto).Trim();
        if (IsAuto(text)) { Effective[key] = Auto; return null; }
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)) { Effective[key] = value; return value; }
        throw new RsmiInputException($"{naming(key)}: '{text}' is not auto or an integer.");
    }

    /// <summary>An option that takes a finite number or <c>auto</c> (null); <paramref name="fallback"/> null means auto.</summary>
    public double? NumberOrAuto(string key, double? fallback)
    {
        string text = Text(key, fallback is double f ? f.ToString("R", CultureInfo.InvariantCulture) : Auto).Trim();
        if (IsAuto(text)) { Effective[key] = Auto; return null; }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)) { Effective[key] = value; return value; }
        throw new RsmiInputException($"{naming(key)}: '{text}' is not auto or a number.");
    }
}
