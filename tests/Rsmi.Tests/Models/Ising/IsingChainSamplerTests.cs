using Rsmi.Exact;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Sampling;

namespace Rsmi.Tests.Models.Ising;

/// <summary>
/// 1D samplers on a 48-site chain against the exact chain formulas: energy per site and the correlation at
/// distance r = 4 (averaged over the chain), within 4 error bars (binning, see <see cref="IsingLargeLatticeTests.Analyse"/>).
/// The ring's finite-size terms t^{N−r} are included in the exact values.
/// </summary>
public class IsingChainSamplerTests
{
    private const int N = 48, R = 4;

    [Theory]
    [InlineData("exact", 0.8)]
    [InlineData("exact", 2.0)]
    [InlineData("metropolis", 0.8)]
    [InlineData("metropolis", 2.0)]
    [InlineData("wolff", 0.8)]
    [InlineData("wolff", 2.0)]
    public void EnergyAndCorrelationMatchTheExactChain(string algorithm, double temperature)
    {
        bool ring = IsingSamplerFactory.IsPeriodic("ising1d", algorithm);
        var sampler = IsingSamplerFactory.Create("ising1d", algorithm, N, temperature, seed: 48);
        int stepsPerMeasurement = algorithm == "wolff" ? 8 : 1;
        for (int i = 0; i < 2000; i++) sampler.Step();
        const int measurements = 8192;
        var u = new double[measurements];
        var c = new double[measurements];
        for (int m = 0; m < measurements; m++)
        {
            for (int i = 0; i < stepsPerMeasurement; i++) sampler.Step();
            u[m] = sampler.MonitorObservable();
            var s = sampler.Configuration;
            int pairs = ring ? N : N - R;
            long sum = 0;
            for (int i = 0; i < pairs; i++) sum += s[i] * s[(i + R) % N];
            c[m] = (double)sum / pairs;
        }
        var (energy, energyOk) = IsingLargeLatticeTests.Analyse(u);
        var (correlation, correlationOk) = IsingLargeLatticeTests.Analyse(c);
        Assert.True(energyOk && correlationOk, "series too short for its autocorrelation time");
        double exactU = ring ? IsingChain.RingEnergyPerSite(N, temperature) : IsingChain.OpenEnergyPerSite(N, temperature);
        double exactC = ring ? IsingChain.RingCorrelation(N, R, temperature) : IsingChain.OpenCorrelation(R, temperature);
        Assert.True(Math.Abs(energy.Value - exactU) < 4 * energy.Error, $"u = {energy.Value:F5} ± {energy.Error:F5}, exact {exactU:F5}");
        Assert.True(Math.Abs(correlation.Value - exactC) < 4 * correlation.Error, $"c({R}) = {correlation.Value:F5} ± {correlation.Error:F5}, exact {exactC:F5}");
    }
}
