namespace Rsmi.Cli;

/// <summary>
/// Ctrl-C for the duration of a command: the first press cancels <see cref="Token"/> (so long work stops at the next
/// safe point and writes nothing half-done); a second press ends the process at once. The token is also cancelled
/// when an enclosing command (<c>rsmi run</c>) is interrupted.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly ConsoleCancelEventHandler _handler;

    private Interruption(Action? onFirstPress)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(CommandOutput.Get().Cancellation);
        _handler = (_, e) =>
        {
            if (_source.IsCancellationRequested) return; // a second press ends the process
            e.Cancel = true;
            onFirstPress?.Invoke();
            _source.Cancel();
        };
        Console.CancelKeyPress += _handler;
    }

    /// <summary>Starts listening; <paramref name="onFirstPress"/> runs when Ctrl-C is first pressed.</summary>
    public static Interruption Listen(Action? onFirstPress = null) => new(onFirstPress);

    /// <summary>Cancelled on the first Ctrl-C.</summary>
    public CancellationToken Token => _source.Token;

    /// <inheritdoc />
    public void Dispose()
    {
        Console.CancelKeyPress -= _handler;
        _source.Dispose();
    }
}
