namespace Rsmi.Progress;

/// <summary>
/// Receives progress of long work (sampling, learning, flows). The command-line program shows it as a live
/// display on a terminal and as plain lines when output is redirected; the library never writes to the console.
/// Implementations must be thread-safe.
/// </summary>
public interface IProgressReporter
{
    /// <summary>Reports that <paramref name="stage"/> is <paramref name="fraction"/> (0..1) done, with an optional detail such as a current estimate.</summary>
    void Report(string stage, double fraction, string? detail = null);
}

/// <summary>A reporter that ignores everything.</summary>
public sealed class NullProgress : IProgressReporter
{
    /// <summary>The shared instance.</summary>
    public static NullProgress Instance { get; } = new();
    /// <inheritdoc />
    public void Report(string stage, double fraction, string? detail = null) { }
}
