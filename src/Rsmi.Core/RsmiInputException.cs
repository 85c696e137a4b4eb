namespace Rsmi;

/// <summary>
/// Bad input from the user: an invalid option value, a malformed or inconsistent file. The command-line
/// program prints the message (one sentence naming the file or option and what is wrong) and exits with
/// code 2. Everything else that escapes is an internal failure (exit code 1).
/// <para>
/// The library names a setting by its plain name, marked with <see cref="Option"/>, and leaves the spelling to
/// whoever presents the message: <see cref="Exception.Message"/> writes the plain name ("size must be at least 2"),
/// the command line writes its option (<c>Render(name =&gt; "--" + name)</c>). <see cref="Template"/> keeps the
/// marks, for a caller that wraps the message in a sentence of its own.
/// </para>
/// </summary>
public sealed class RsmiInputException(string message, Exception? inner = null) : Exception(message, inner)
{
    private const char Open = '\u27E8', Close = '\u27E9';

    /// <summary>The name of a setting inside a message, to be spelled by the presenter (see <see cref="Render"/>).</summary>
    public static string Option(string name) => $"{Open}{name}{Close}";

    /// <summary>The message with its settings still marked.</summary>
    public string Template => base.Message;

    /// <summary>The message with every setting by its plain name.</summary>
    public override string Message => Render(name => name);

    /// <summary>The message with every marked setting spelled by <paramref name="spell"/>.</summary>
    public string Render(Func<string, string> spell)
    {
        string t = Template;
        if (t.IndexOf(Open) < 0) return t;
        var sb = new System.Text.StringBuilder(t.Length + 16);
        for (int i = 0; i < t.Length; i++)
        {
            int close;
            if (t[i] == Open && (close = t.IndexOf(Close, i + 1)) > i) { sb.Append(spell(t[(i + 1)..close])); i = close; }
            else sb.Append(t[i]);
        }
        return sb.ToString();
    }
}

/// <summary>Guards for the public boundary: they throw <see cref="RsmiInputException"/> with a readable sentence.</summary>
public static class Require
{
    /// <summary>Throws unless <paramref name="condition"/> holds.</summary>
    public static void That(bool condition, string message)
    {
        if (!condition) throw new RsmiInputException(message);
    }

    /// <summary>Throws unless <paramref name="value"/> is positive.</summary>
    public static void Positive(int value, string name)
    {
        if (value <= 0) throw new RsmiInputException($"{name} must be a positive integer, got {value}.");
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and positive.</summary>
    public static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value)) throw new RsmiInputException($"{name} must be a finite positive number, got {value}.");
    }

    /// <summary>Throws unless <paramref name="value"/> is non-negative.</summary>
    public static void NonNegative(int value, string name)
    {
        if (value < 0) throw new RsmiInputException($"{name} must be zero or a positive integer, got {value}.");
    }
}

/// <summary>The library's version string, written into every file it produces.</summary>
public static class RsmiVersion
{
    /// <summary>Informational version of the core assembly (e.g. "0.1.0").</summary>
    public static string Current { get; } =
        (typeof(RsmiVersion).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .FirstOrDefault() as System.Reflection.AssemblyInformationalVersionAttribute)?.InformationalVersion?.Split('+')[0]
        ?? typeof(RsmiVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
