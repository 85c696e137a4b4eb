using System.Diagnostics;

namespace Rsmi.Models.Ising.Multispin;

/// <summary>
/// Background threads kept alive between sweeps, so that a multi-threaded sweep does not pay for creating threads
/// (about 0.1 ms, as long as a whole sweep of a 128² lattice). One team serves the process; a caller that finds it
/// busy gets <c>false</c> from <see cref="TryRun"/> and runs the work itself (the engines' results do not depend on
/// the thread count, so this changes nothing but speed). Idle workers spin for a short while, then block.
/// </summary>
internal static class SweepTeam
{
    // Not a lock: a lock would let the thread that holds it in again (a sweep nested in a sweep's part 0) and
    // hand a busy worker a second job.
    private static int _busy;
    private static readonly List<Worker> Workers = [];

    /// <summary>
    /// Runs <paramref name="work"/>(t) for t = 0 … <paramref name="threads"/> − 1 at the same time, t = 0 on the
    /// calling thread, and returns when all are done; false (nothing run) when another caller holds the team.
    /// The first exception of any part is rethrown; the parts must not wait on each other once one has failed
    /// (see <see cref="SpinBarrier.Abort"/>).
    /// </summary>
    public static bool TryRun(int threads, Action<int> work)
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
        try
        {
            while (Workers.Count < threads - 1) Workers.Add(new Worker());
            var job = new Job(work, threads - 1);
            for (int t = 1; t < threads; t++) Workers[t - 1].Start(job, t);
            try
            {
                work(0);
            }
            catch (Exception e)
            {
                job.Fail(e);
            }
            job.WaitForWorkers();
            if (job.Failure != null) throw new InvalidOperationException("a multispin sweep thread failed", job.Failure);
            return true;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private sealed class Job(Action<int> work, int workers)
    {
        private int _pending = workers;
        private Exception? _failure;
        public Action<int> Work => work;
        public Exception? Failure => Volatile.Read(ref _failure);
        // The cause wins over the cancellations it triggers in the other parts (see SpinBarrier.Abort).
        public void Fail(Exception e)
        {
            while (true)
            {
                Exception? current = Volatile.Read(ref _failure);
                if (current != null && (current is not OperationCanceledException || e is OperationCanceledException)) return;
                if (Interlocked.CompareExchange(ref _failure, e, current) == current) return;
            }
        }
        public void Done() => Interlocked.Decrement(ref _pending);

        public void WaitForWorkers()
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _pending) != 0) spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    private sealed class Worker
    {
        // Spin this long for the next job before blocking: consecutive sweeps follow within microseconds.
        private static readonly long SpinTicks = Stopwatch.Frequency / 2000;   // 0.5 ms
        private readonly SemaphoreSlim _ready = new(0);
        private Job? _job;
        private int _index;

        public Worker()
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = "rsmi-sweep" };
            thread.Start();
        }

        public void Start(Job job, int index)
        {
            _job = job;
            _index = index;
            _ready.Release();   // publishes the fields above
        }

        private void Loop()
        {
            while (true)
            {
                long start = Stopwatch.GetTimestamp();
                var spin = new SpinWait();
                while (!_ready.Wait(0))
                {
                    if (Stopwatch.GetTimestamp() - start > SpinTicks)
                    {
                        _ready.Wait();
                        break;
                    }
                    spin.SpinOnce(sleep1Threshold: -1);
                }
                Job job = _job!;
                try
                {
                    job.Work(_index);
                }
                catch (Exception e)
                {
                    job.Fail(e);
                }
                finally
                {
                    job.Done();
                }
            }
        }
    }
}
