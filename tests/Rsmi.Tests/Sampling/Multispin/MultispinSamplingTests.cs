using Rsmi.Cli;
using Rsmi.Exact;
using Rsmi.IO;
using Rsmi.Sampling;
using Rsmi.Statistics;

namespace Rsmi.Tests.Sampling.Multispin;

public class MultispinSamplingTests
{
    [Theory]
    [InlineData("multispin-metropolis-64", 2.5)]
    [InlineData("multispin-heatbath-512", 2.269185314213022)]
    public void Samples_have_the_exact_energy_and_do_not_depend_on_threads(string algorithm, double temperature)
    {
        const int l = 8, n = 3072;
        var one = IsingSampling.Sample(IsingSamplerFactory.Ising2D, algorithm, l, temperature, n, seed: 3, threads: 1);
        var two = IsingSampling.Sample(IsingSamplerFactory.Ising2D, algorithm, l, temperature, n, seed: 3, threads: 2);
        Assert.Equal(one.Data, two.Data);
        Assert.Equal(algorithm, one.Metadata.Algorithm);
        Assert.Equal(1L, one.Metadata.GetLong("thermalization_converged"));

        var energies = new double[n];
        for (int i = 0; i < n; i++) energies[i] = IsingEnergy.PerSite2D(one.Configuration(i), l, l);
        var u = Binning.Analyse(energies);
        double exact = Kaufman.EnergyPerSite(l, temperature);
        Assert.True(Math.Abs(u.Value - exact) < 4 * u.Error, $"u = {u.Value:F5} ± {u.Error:F5}, Kaufman {exact:F5}");
    }

    [Fact]
    public void Rsmi_sample_ising2d_accepts_multispin_algorithms()
    {
        string path = Path.Combine(Path.GetTempPath(), $"rsmi-multispin-{Guid.NewGuid():N}.h5");
        try
        {
            var stderr = new StringWriter();
            int code = CliApp.Run(["sample", "ising2d", "--algorithm", "multispin-metropolis", "--size", "8", "--temperature", "3",
                "--samples", "700", "--seed", "5", "--out", path], new StringWriter(), stderr);
            Assert.True(code == 0, stderr.ToString());
            var set = SampleFile.Read(path);
            Assert.Equal(700, set.Count);
            Assert.Equal([8, 8], set.SiteShape);
            Assert.Equal("multispin-metropolis", set.Metadata.Algorithm);
            Assert.Equal(-1, set.FirstInvalidValue());

            code = CliApp.Run(["sample", "ising2d", "--algorithm", "multispin-metropolis", "--size", "6", "--temperature", "3",
                "--samples", "10", "--out", path + ".x.h5"], new StringWriter(), stderr = new StringWriter());
            Assert.Equal(0, code);
            code = CliApp.Run(["sample", "ising2d", "--algorithm", "multispin-metropolis", "--size", "7", "--temperature", "3",
                "--samples", "10", "--out", path], new StringWriter(), stderr = new StringWriter());
            Assert.Equal(CliApp.BadInput, code);
            Assert.Contains("--size", stderr.ToString());
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".x.h5");
        }
    }
}
