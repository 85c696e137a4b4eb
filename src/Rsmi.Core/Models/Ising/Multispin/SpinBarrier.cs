namespace Rsmi.Models.Ising.Multispin;

/// <summary>
/// A barrier for a fixed set of threads that meet often (twice per sweep) and arrive within microseconds of each
/// other: waiting threads spin (yielding the CPU now and then, never sleeping a whole millisecond) instead of
/// blocking in the kernel, whose wake-up takes tens of microseconds, a large share of a half-sweep. If one
/// participant fails it calls <see cref="Abort"/>, and every waiting or later-arriving participant throws
/// <see cref="OperationCanceledException"/> instead of waiting for it forever.
/// </summary>
internal sealed class SpinBarrier
{
    private const int YieldAfter = 20_000;   // a few hundred microseconds of pauses
    private readonly int _participants;
    private int _remaining;
    private volatile int _phase;
    private volatile bool _aborted;

    /// <summary>A barrier for <paramref name="participants"/> ≥ 1 threads.</summary>
    public SpinBarrier(int participants)
    {
        _participants = participants;
        _remaining = participants;
    }

    /// <summary>Waits until all participants have arrived at this phase.</summary>
    public void SignalAndWait()
    {
        int phase = _phase;
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _remaining = _participants;   // published by the volatile write below
            _phase = phase + 1;
            return;
        }
        // Busy-wait with short pauses; after a while (another process holding our core), yield the CPU each time.
        for (int spins = 0; _phase == phase; spins++)
        {
            if (_aborted) throw new OperationCanceledException("another participant of the sweep failed");
            if (spins < YieldAfter) Thread.SpinWait(8);
            else Thread.Yield();
        }
    }

    /// <summary>Releases every participant: they throw instead of waiting.</summary>
    public void Abort() => _aborted = true;
}
