using System.Diagnostics;
using Rsmi.Progress;

namespace Rsmi.Cli;

/// <summary>
/// Progress for the command line. On a terminal it redraws one status line per stage in place (with the
/// fraction done and an estimate of the time left); when standard error is redirected it writes plain
/// lines: one when a stage starts, one at every further 10%, one when it ends.
/// </summary>
public sealed class ConsoleProgress : IProgressReporter, IDisposable
{
    private readonly TextWriter _writer;
    private readonly bool _interactive;
    private readonly object _gate = new();
    private readonly Dictionary<string, StageState> _stages = new(StringComparer.Ordinal);
    private string? _lastLive;

    private sealed class StageState
    {
        public readonly Stopwatch Clock = Stopwatch.StartNew();
        public int LastDecile = -1;
        public bool Done;
    }

    /// <summary>
    /// The progress reporter for a command: the one of the enclosing <c>rsmi run</c> when there is one, otherwise a new
    /// console reporter on standard error. Dispose it when the command ends (disposing a borrowed one does nothing).
    /// </summary>
    public static ProgressScope ForCommand()
    {
        var ambient = CommandOutput.Get().Progress;
        return ambient is null ? new ProgressScope(new ConsoleProgress(), owned: true) : new ProgressScope(ambient, owned: false);
    }

    /// <summary>Progress to <paramref name="writer"/> (standard error by default); live redraw only when it is a terminal.</summary>
    public ConsoleProgress(TextWriter? writer = null, bool? interactive = null)
    {
        _writer = writer ?? CommandOutput.Get().Err;
        _interactive = interactive ?? (writer is null && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null);
    }

    /// <inheritdoc />
    public void Report(string stage, double fraction, string? detail = null)
    {
        fraction = double.IsFinite(fraction) ? Math.Clamp(fraction, 0, 1) : 0;
        lock (_gate)
        {
            if (!_stages.TryGetValue(stage, out var s)) { s = new StageState(); _stages[stage] = s; }
            if (s.Done) return;
            string eta = EstimateLeft(s.Clock.Elapsed, fraction);
            string text = $"{stage}: {fraction * 100,5:0.0}%{eta}{(detail is null ? "" : "  " + detail)}";
            if (_interactive)
            {
                string padded = text.Length < (_lastLive?.Length ?? 0) ? text.PadRight(_lastLive!.Length) : text;
                _writer.Write("\r" + padded);
                _lastLive = text;
                if (fraction >= 1) { _writer.WriteLine(); _lastLive = null; }
            }
            else
            {
                int decile = (int)Math.Floor(fraction * 10);
                if (decile != s.LastDecile && (decile == 0 || decile > s.LastDecile))
                {
                    s.LastDecile = decile;
                    _writer.WriteLine(fraction >= 1 ? $"{stage}: done in {Format(s.Clock.Elapsed)}{(detail is null ? "" : "  " + detail)}" : text);
                }
            }
            if (fraction >= 1) s.Done = true;
        }
    }

    private static string EstimateLeft(TimeSpan elapsed, double fraction)
    {
        if (fraction <= 0.02 || fraction >= 1 || elapsed.TotalSeconds < 1) return "";
        var left = TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - fraction) / fraction);
        return $"  (~{Format(left)} left)";
    }

    private static string Format(TimeSpan t) => t.TotalSeconds < 60 ? $"{t.TotalSeconds:0.0} s" : t.TotalMinutes < 60 ? $"{(int)t.TotalMinutes} min {t.Seconds:00} s" : $"{(int)t.TotalHours} h {t.Minutes:00} min";

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate) { if (_interactive && _lastLive is not null) { _writer.WriteLine(); _lastLive = null; } }
    }
}

/// <summary>A progress reporter that a command uses for its duration (see <see cref="ConsoleProgress.ForCommand"/>).</summary>
public sealed class ProgressScope(IProgressReporter inner, bool owned) : IProgressReporter, IDisposable
{
    /// <inheritdoc />
    public void Report(string stage, double fraction, string? detail = null) => inner.Report(stage, fraction, detail);

    /// <inheritdoc />
    public void Dispose()
    {
        if (owned && inner is IDisposable d) d.Dispose();
    }
}
