using System.Text.Json;
using Rsmi.Cli;

namespace Rsmi.Tests.Models.Ising.Multispin;

public class BenchCommandTests
{
    [Fact]
    public void Json_output_is_one_object_with_every_field()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(["bench", "--json", "--sizes", "8", "--seconds", "0.02", "--threads", "2",
            "--algorithms", "wolff,multispin-metropolis-64,multispin-heatbath-256"], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        using var document = JsonDocument.Parse(stdout.ToString());   // throws unless stdout is exactly one JSON value
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("cpu").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("simd").GetString()));
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["wolff", "multispin-metropolis-64", "multispin-heatbath-256"], results.Select(r => r.GetProperty("algorithm").GetString()));
        foreach (var r in results)
        {
            Assert.Equal(8, r.GetProperty("size").GetInt32());
            Assert.Equal(2, r.GetProperty("threads").GetInt32());
            Assert.True(r.GetProperty("flips_per_ns").GetDouble() > 0);
            var tau = r.GetProperty("tau_int");
            var ips = r.GetProperty("independent_samples_per_second");
            // Either both measured (τ ≥ ½, rate > 0) or both null when the run was too short.
            Assert.Equal(tau.ValueKind, ips.ValueKind);
            if (tau.ValueKind == JsonValueKind.Number)
            {
                Assert.True(tau.GetDouble() >= 0.5);
                Assert.True(ips.GetDouble() > 0);
            }
        }
    }

    [Fact]
    public void Single_lattice_algorithms_are_measured_where_the_size_fits_and_skipped_elsewhere()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(["bench", "--json", "--sizes", "64,128", "--seconds", "0.02",
            "--algorithms", "multispin-lattice-metropolis-64"], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        using var document = JsonDocument.Parse(stdout.ToString());
        var results = document.RootElement.GetProperty("results").EnumerateArray().ToList();
        var only = Assert.Single(results);
        Assert.Equal("multispin-lattice-metropolis-64", only.GetProperty("algorithm").GetString());
        Assert.Equal(128, only.GetProperty("size").GetInt32());
        Assert.True(only.GetProperty("flips_per_ns").GetDouble() > 0);
        Assert.Contains("L = 64 skipped: L must be a multiple of 128", stderr.ToString());
    }

    [Theory]
    [InlineData("ising3d", new string[0], "wolff,metropolis")]
    [InlineData("potts2d", new[] { "--q", "4" }, "wolff,heatbath")]
    public void OtherModelsAreMeasuredThroughTheirChains(string model, string[] extra, string algorithms)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(["bench", "--json", "--model", model, .. extra, "--sizes", "8", "--seconds", "0.02", "--algorithms", algorithms], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        using var document = JsonDocument.Parse(stdout.ToString());
        var results = document.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(algorithms.Split(','), results.Select(r => r.GetProperty("algorithm").GetString()));
        Assert.All(results, r => Assert.True(r.GetProperty("flips_per_ns").GetDouble() > 0));
        Assert.Contains($"rsmi bench: {model} wolff, L = 8", stderr.ToString());
    }

    [Theory]
    [InlineData("--model", "potts3d")]
    [InlineData("--q", "3")]
    public void UnknownModelsAndStrayOptionsAreRefused(string option, string value)
    {
        var stderr = new StringWriter();
        Assert.Equal(2, CliApp.Run(["bench", option, value, "--sizes", "8", "--seconds", "0.02"], new StringWriter(), stderr));
        Assert.Contains(option, stderr.ToString());
    }

    [Theory]
    [InlineData("--sizes", "7")]
    [InlineData("--sizes", "abc")]
    [InlineData("--threads", "0")]
    [InlineData("--seconds", "-1")]
    [InlineData("--algorithms", "nonsense")]
    public void Bad_options_exit_with_code_2_naming_the_option(string option, string value)
    {
        var stderr = new StringWriter();
        int code = CliApp.Run(["bench", option, value], new StringWriter(), stderr);
        Assert.Equal(CliApp.BadInput, code);
        Assert.Contains(option, stderr.ToString());
    }
}
