using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Multispin;
using Rsmi.Sampling;
using Xunit;

namespace Rsmi.Tests.Models.Ising;

/// <summary>The update steps allocate nothing: every buffer (cluster stack, union-find forest, random words) is
/// made once with the sampler. Measured with the calling thread's allocation counter after a warm-up (JIT): over
/// thousands of steps the counter may move by what the runtime itself allocates now and then (tiered compilation,
/// on-stack replacement), but an allocation in the step, even of one small object, would cost at least 24 bytes per
/// step, so the bound is less than one byte per step in the best of three rounds.</summary>
public class SamplerAllocationTests
{
    public static TheoryData<string, string> Algorithms()
    {
        var data = new TheoryData<string, string>();
        foreach (string model in IsingSamplerFactory.Models)
        foreach (string algorithm in IsingSamplerFactory.Algorithms(model))
            data.Add(model, algorithm);
        return data;
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void StepsAllocateNothing(string model, string algorithm)
    {
        int size = model switch { "ising2d" => 32, "ising3d" => 10, _ => 64 };
        var sampler = IsingSamplerFactory.Create(model, algorithm, size, 2.3, 7);
        for (int i = 0; i < 200; i++) sampler.Step();   // warm-up: JIT, tiering
        // The fewest bytes of three rounds: the runtime's own one-off allocations (a tier-up, on-stack replacement, seen
        // once at 7 KB while other tests loaded the machine) land in one round, an allocation in the step in all three.
        const int steps = 2000;
        var rounds = new long[3];
        for (int r = 0; r < rounds.Length; r++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < steps; i++) sampler.Step();
            rounds[r] = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.True(rounds.Min() < steps, $"{string.Join(", ", rounds)} bytes allocated in three rounds of {steps} steps");
    }

    [Theory]
    [InlineData(64, MultispinRule.Metropolis)]
    [InlineData(256, MultispinRule.Metropolis)]
    [InlineData(512, MultispinRule.Metropolis)]
    [InlineData(512, MultispinRule.HeatBath)]
    public void SingleThreadedMultispinSweepsAllocateNothing(int width, MultispinRule rule)
    {
        var engine = MultispinIsing.Create(32, 2.3, rule, 3, width);
        engine.Sweep(20);
        const int calls = 51, smallestObject = 24;
        long before = GC.GetAllocatedBytesForCurrentThread();
        engine.Sweep(200);
        for (int i = 0; i < calls - 1; i++) engine.Sweep(1);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // one object per call, let alone per sweep, would reach calls × 24 bytes
        Assert.True(allocated < calls * smallestObject, $"{allocated} bytes allocated in {calls} calls (250 sweeps)");
    }
}
