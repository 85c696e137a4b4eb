using System.Collections.Concurrent;
using Rsmi.Models.Ising.Multispin;
using Xunit;

namespace Rsmi.Tests.Models.Ising.Multispin;

public class SweepTeamTests
{
    // Other tests' engines may hold the process-wide team for a moment: retry until it is free.
    private static bool Run(int threads, Action<int> work)
        => SpinWait.SpinUntil(() => SweepTeam.TryRun(threads, work), TimeSpan.FromSeconds(60));

    [Fact]
    public void RunsEveryPartOnceWithTheCallerAsPartZero()
    {
        for (int round = 0; round < 50; round++)   // the same workers are reused round after round
        {
            var seen = new ConcurrentDictionary<int, int>();
            int caller = Environment.CurrentManagedThreadId;
            int partZeroThread = -1;
            Assert.True(Run(3, t =>
            {
                seen.AddOrUpdate(t, 1, (_, n) => n + 1);
                if (t == 0) partZeroThread = Environment.CurrentManagedThreadId;
            }));
            Assert.Equal([0, 1, 2], seen.Keys.Order());
            Assert.All(seen.Values, n => Assert.Equal(1, n));
            Assert.Equal(caller, partZeroThread);
        }
    }

    [Fact]
    public void PartsMeetAtTheBarrierEveryPhase()
    {
        const int threads = 2, phases = 2000;
        var barrier = new SpinBarrier(threads);
        var counts = new int[threads];
        int violations = 0;
        Assert.True(Run(threads, t =>
        {
            for (int p = 0; p < phases; p++)
            {
                counts[t] = p + 1;
                barrier.SignalAndWait();
                // Past the barrier of phase p, every part has finished phase p.
                for (int o = 0; o < threads; o++) if (Volatile.Read(ref counts[o]) < p + 1) Interlocked.Increment(ref violations);
                barrier.SignalAndWait();
            }
        }));
        Assert.Equal(0, violations);
        Assert.All(counts, c => Assert.Equal(phases, c));
    }

    [Fact]
    public void AFailingPartReleasesTheOthersAndItsExceptionReachesTheCaller()
    {
        var barrier = new SpinBarrier(2);
        var error = Assert.Throws<InvalidOperationException>(() => Run(2, t =>
        {
            try
            {
                if (t == 1) throw new ArithmeticException("boom");
                barrier.SignalAndWait();   // would wait forever for part 1 without the abort
            }
            catch (ArithmeticException)
            {
                barrier.Abort();
                throw;
            }
        }));
        Assert.IsType<ArithmeticException>(error.InnerException);
        // The team is usable afterwards.
        Assert.True(Run(2, _ => { }));
    }

    [Fact]
    public void ABusyTeamIsReportedNotShared()
    {
        bool? inner = null;
        Assert.True(Run(2, t => { if (t == 0) inner = SweepTeam.TryRun(2, _ => { }); }));
        Assert.False(inner);
    }

    [Fact]
    public void AnEngineSweepingInsideAnotherEnginesSweepGetsTheSameResult()
    {
        // Nested use: the inner engine finds the team busy and runs on its caller's thread alone.
        var reference = MultispinIsing.Create(16, 2.3, MultispinRule.Metropolis, 5, 64);
        reference.Sweep(3, 1);
        var outer = MultispinIsing.Create(16, 2.3, MultispinRule.Metropolis, 6, 64);
        var nested = MultispinIsing.Create(16, 2.3, MultispinRule.Metropolis, 5, 64);
        Assert.True(Run(2, t => { if (t == 0) nested.Sweep(3, 2); }));
        outer.Sweep(1, 2);
        var a = new sbyte[256];
        var b = new sbyte[256];
        for (int lane = 0; lane < 64; lane += 9)
        {
            reference.CopyConfiguration(lane, a);
            nested.CopyConfiguration(lane, b);
            Assert.Equal(a, b);
        }
    }
}
