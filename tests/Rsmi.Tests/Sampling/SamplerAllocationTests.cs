using Rsmi.Sampling;
using Rsmi.Sampling.Multispin;
using Xunit;

namespace Rsmi.Tests.Sampling;

/// <summary>The update steps allocate nothing: every buffer (cluster stack, union-find forest, random words) is
/// made once with the sampler. Measured with the calling thread's allocation counter after a warm-up (JIT).</summary>
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
        int size = model == "ising2d" ? 32 : 64;
        var sampler = IsingSamplerFactory.Create(model, algorithm, size, 2.3, 7);
        for (int i = 0; i < 200; i++) sampler.Step();   // warm-up: JIT, tiering
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++) sampler.Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
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
        long before = GC.GetAllocatedBytesForCurrentThread();
        engine.Sweep(200);
        for (int i = 0; i < 50; i++) engine.Sweep(1);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
