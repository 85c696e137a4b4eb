namespace Rsmi;

/// <summary>
/// Bad input from the user: an invalid option value, a malformed or inconsistent file. The command-line
/// program prints the message (one sentence naming the file or option and what is wrong) and exits with
/// code 2. Everything else that escapes is an internal failure (exit code 1).
/// </summary>
public sealed class RsmiInputException(string message, Exception? inner = null) : Exception(message, inner);

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
