using Rsmi.Cli;
using Rsmi.IO;

namespace Rsmi.Tests.Sampling;

public sealed class SampleCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rsmi-sample-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Theory]
    [InlineData("ising2d", "wolff", "8")]
    [InlineData("ising2d", "swendsen-wang", "6")]
    [InlineData("ising1d", "exact", "12")]
    [InlineData("ising1d", "wolff", "12")]
    public void SamplesRoundTripBitExactlyAndTheSameSeedGivesTheSameFile(string model, string algorithm, string size)
    {
        string h5 = Path.Combine(_dir, "a.h5"), h5Again = Path.Combine(_dir, "b.h5"), npy = Path.Combine(_dir, "a.npy");
        string[] common = ["sample", model, "--size", size, "--temperature", "2.5", "--samples", "20", "--algorithm", algorithm, "--seed", "42", "--chains", "3"];
        var first = Run([.. common, "--out", h5]);
        Assert.True(first.Code == 0, first.Err);
        Assert.Contains("tau_int", first.Err);
        Assert.Contains(h5, first.Out);
        Assert.Equal(0, Run([.. common, "--threads", "1", "--out", h5Again]).Code);
        Assert.Equal(0, Run([.. common, "--out", npy]).Code);

        var a = SampleFile.Read(h5);
        var b = SampleFile.Read(h5Again);
        var n = SampleFile.Read(npy);
        Assert.Equal(20, a.Count);
        Assert.Equal(a.Data, b.Data);
        Assert.Equal(a.Data, n.Data);
        Assert.Equal(a.SiteShape, n.SiteShape);
        Assert.Equal(File.ReadAllBytes(h5), File.ReadAllBytes(h5Again));
        Assert.Equal(model, a.Metadata.Model);
        Assert.Equal(algorithm, a.Metadata.Algorithm);
        Assert.Equal(2.5, a.Metadata.Temperature);
        Assert.Equal(42, a.Metadata.Seed);
        Assert.NotNull(a.Metadata.GetDouble("tau_int"));
        Assert.NotNull(a.Metadata.GetLong("spacing"));
        Assert.NotNull(a.Metadata.GetLong("thermalization_steps"));
        Assert.Equal(3, a.Metadata.GetLong("chains"));
    }

    [Theory]
    [InlineData("--size", "1", "--size")]
    [InlineData("--size", "7", "even")]
    [InlineData("--temperature", "0", "--temperature")]
    [InlineData("--temperature", "-1", "--temperature")]
    [InlineData("--temperature", "NaN", "--temperature")]
    [InlineData("--samples", "0", "--samples")]
    [InlineData("--chains", "0", "--chains")]
    [InlineData("--algorithm", "glauber", "glauber")]
    [InlineData("--out", "x.txt", ".txt")]
    public void BadInputExitsWithCodeTwoAndASentence(string option, string value, string mentioned)
    {
        var args = new Dictionary<string, string>
        {
            ["--size"] = "8", ["--temperature"] = "2", ["--samples"] = "5", ["--algorithm"] = "metropolis",
            ["--chains"] = "1", ["--out"] = Path.Combine(_dir, "x.h5"),
        };
        args[option] = option == "--out" ? Path.Combine(_dir, value) : value;
        var (code, _, err) = Run(["sample", "ising2d", .. args.SelectMany(kv => new[] { kv.Key, kv.Value })]);
        Assert.Equal(2, code);
        Assert.Contains("rsmi: error:", err);
        Assert.Contains(mentioned, err);
        Assert.DoesNotContain("   at ", err);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void UnknownOneDimensionalAlgorithmListsTheKnownOnes()
    {
        var (code, _, err) = Run("sample", "ising1d", "--size", "8", "--temperature", "1", "--samples", "3", "--algorithm", "swendsen-wang", "--out", Path.Combine(_dir, "c.npy"));
        Assert.Equal(2, code);
        Assert.Contains("exact, metropolis, wolff", err);
    }
}
