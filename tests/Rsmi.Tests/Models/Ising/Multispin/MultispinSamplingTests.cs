using Rsmi.Cli;
using Rsmi.Exact;
using Rsmi.IO;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Sampling;
using Rsmi.Statistics;

namespace Rsmi.Tests.Models.Ising.Multispin;

public class MultispinSamplingTests
{
    [Theory]
    [InlineData("multispin-metropolis-64", 2.5)]
    [InlineData("multispin-heatbath-512", 2.269185314213022)]
    public void Samples_have_the_exact_energy_and_do_not_depend_on_threads(string algorithm, double temperature)
    {
        const int l = 8, n = 3072;
        var one = IsingSampling.Sample("ising2d", algorithm, l, temperature, n, seed: 3, threads: 1);
        var two = IsingSampling.Sample("ising2d", algorithm, l, temperature, n, seed: 3, threads: 2);
        Assert.Equal(one.Data, two.Data);
        Assert.Equal(algorithm, one.Metadata.Algorithm);
        Assert.Equal(1L, one.Metadata.GetLong("thermalization_converged"));

        AssertKaufmanEnergy(one, l, temperature);
    }

    /// <summary>The samples' mean energy agrees with Kaufman's within 4 binned error bars.</summary>
    private static void AssertKaufmanEnergy(Rsmi.Data.SampleSet set, int l, double temperature)
    {
        var energies = new double[set.Count];
        for (int i = 0; i < set.Count; i++) energies[i] = IsingEnergy.PerSite2D(set.Configuration(i), l, l);
        var u = Binning.Analyse(energies);
        double exact = Kaufman.EnergyPerSite(l, temperature);
        Assert.True(Math.Abs(u.Value - exact) < 4 * u.Error, $"u = {u.Value:F5} ± {u.Error:F5}, Kaufman {exact:F5}");
    }

    /// <summary>Runs <c>rsmi sample ising2d</c> to <paramref name="path"/> and checks the file's count, shape and algorithm.</summary>
    private static void SampleViaCli(string algorithm, int size, string temperature, int samples, string path)
    {
        var stderr = new StringWriter();
        int code = CliApp.Run(["sample", "ising2d", "--algorithm", algorithm, "--size", $"{size}", "--temperature", temperature,
            "--samples", $"{samples}", "--seed", "5", "--out", path], new StringWriter(), stderr);
        Assert.True(code == 0, stderr.ToString());
        var set = SampleFile.Read(path);
        Assert.Equal(samples, set.Count);
        Assert.Equal([size, size], set.SiteShape);
        Assert.Equal(algorithm, set.Metadata.Algorithm);
        Assert.Equal(-1, set.FirstInvalidValue());
    }

    [Fact]
    public void Rsmi_sample_ising2d_accepts_multispin_algorithms()
    {
        string path = Path.Combine(Path.GetTempPath(), $"rsmi-multispin-{Guid.NewGuid():N}.h5");
        try
        {
            SampleViaCli("multispin-metropolis", 8, "3", 700, path);
            var stderr = new StringWriter();
            int code = CliApp.Run(["sample", "ising2d", "--algorithm", "multispin-metropolis", "--size", "6", "--temperature", "3",
                "--samples", "10", "--out", path + ".x.h5"], new StringWriter(), stderr);
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

    [Fact]
    public void One_large_lattice_is_sampled_with_its_own_tau_and_the_exact_energy()
    {
        // L = 128 in 64 strips, T = 3: τ of a few sweeps; each sample is the whole lattice (16 384 spins), so the
        // sample mean of the energy has a small error.
        const int l = 128, n = 200;
        const double temperature = 3.0;
        var one = IsingSampling.Sample("ising2d", "multispin-lattice-metropolis-64", l, temperature, n, seed: 8, threads: 1);
        var two = IsingSampling.Sample("ising2d", "multispin-lattice-metropolis-64", l, temperature, n, seed: 8, threads: 2);
        Assert.Equal(one.Data, two.Data);
        Assert.Equal([l, l], one.SiteShape);
        Assert.Equal(1L, one.Metadata.GetLong("chains"));
        Assert.Equal(64L, one.Metadata.GetLong("lanes"));
        Assert.Equal(1L, one.Metadata.GetLong("thermalization_converged"));
        AssertKaufmanEnergy(one, l, temperature);
    }

    [Fact]
    public void Rsmi_sample_ising2d_accepts_single_lattice_algorithms_and_checks_their_size()
    {
        string path = Path.Combine(Path.GetTempPath(), $"rsmi-multispin-lattice-{Guid.NewGuid():N}.h5");
        try
        {
            SampleViaCli("multispin-lattice-heatbath-64", 256, "3.5", 3, path);
            var stderr = new StringWriter();
            int code = CliApp.Run(["sample", "ising2d", "--algorithm", "multispin-lattice-metropolis-64", "--size", "192", "--temperature", "3",
                "--samples", "3", "--out", path + ".x.h5"], new StringWriter(), stderr);
            Assert.Equal(CliApp.BadInput, code);
            Assert.Contains("--size must be a multiple of 128", stderr.ToString());
            Assert.False(File.Exists(path + ".x.h5"));
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".x.h5");
        }
    }
}
