using System.Text.Json.Nodes;
using Rsmi.Cli;
using Rsmi.IO;
using Rsmi.Models.Ising;
using Rsmi.Tests.IO;

namespace Rsmi.Tests.Scanning;

public class ScanCommandTests
{
    /// <summary>40 Wolff samples of a 16×16 torus at temperature <paramref name="t"/>.</summary>
    private static string WriteSamples(TempDirectory dir, double t, string name)
    {
        string path = dir.File(name);
        SampleFile.Write(path, IsingSampling.Sample("ising2d", "wolff", 16, t, 40, 12));
        return path;
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static readonly string[] Quick = ["--ensemble", "1", "--infonce-steps", "60", "--evaluation-windows", "4096", "--seed", "3"];

    [Fact]
    public void ScanWritesScanJsonInTheContractsShapeWithFigures()
    {
        using var dir = new TempDirectory();
        string hot = WriteSamples(dir, 3.2, "hot.h5"), warm = WriteSamples(dir, 2.6, "warm.h5");
        string output = dir.File("scan");
        var (code, stdout, stderr) = Run([.. new[] { "scan", "--in", hot, warm, "--block", "2", "--buffers", "0,2", "--hidden", "1,2", "--out", output }, .. Quick]);
        Assert.True(code == 0, stderr);
        Assert.Contains("scan: ", stdout);
        Assert.Contains("exact xi = ", stdout);
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "scan.json")))!.AsObject();
        var scans = root["scans"]!.AsArray();
        Assert.Equal(4, scans.Count);               // two files × two hidden-unit counts
        foreach (var node in scans)
        {
            var s = node!.AsObject();
            foreach (string key in new[] { "file", "temperature", "buffers", "mutual_information_bits", "mutual_information_bits_error", "correlation_length" })
                Assert.True(s.ContainsKey(key), $"missing {key}");
            Assert.Equal([0, 2], s["buffers"]!.AsArray().Select(b => b!.GetValue<int>()));
            Assert.Equal(2, s["mutual_information_bits"]!.AsArray().Count);
            Assert.Equal(2, s["mutual_information_bits_error"]!.AsArray().Count);
            var xi = s["correlation_length"]!.AsObject();
            Assert.True(xi.ContainsKey("value") && xi.ContainsKey("error"));
            Assert.Equal(2, s["points"]!.AsArray().Count);
        }
        Assert.Equal(3.2, scans[0]!["temperature"]!.GetValue<double>(), 12);
        Assert.Equal(hot, scans[0]!["file"]!.GetValue<string>());
        Assert.Equal(1, scans[0]!["hidden"]!.GetValue<int>());
        Assert.Equal(2, scans[1]!["hidden"]!.GetValue<int>());
        Assert.Equal(2, scans[1]!["points"]![0]!["weights"]!.AsArray().Count);
        // the information at L_B = 0 is a clear signal at both temperatures, and the warmer file holds more of it
        double hot0 = scans[0]!["mutual_information_bits"]![0]!.GetValue<double>(), warm0 = scans[2]!["mutual_information_bits"]![0]!.GetValue<double>();
        Assert.True(hot0 > 0.05 && warm0 > hot0, $"I(L_B = 0): {hot0} at T = 3.2, {warm0} at T = 2.6");
        foreach (string stem in new[] { "scan_information_buffer", "scan_information_parameter", "scan_correlation_length" })
        {
            Assert.True(File.Exists(Path.Combine(output, stem + ".png")), stem);
            Assert.True(File.Exists(Path.Combine(output, stem + ".svg")), stem);
        }
        var entries = ScanFile.Read(Path.Combine(output, "scan.json"));
        Assert.Equal(4, entries.Count);
        Assert.Equal(hot0, entries[0].Bits[0], 12);
    }

    [Fact]
    public void TheSameSeedGivesTheSameScanWhateverTheThreadCount()
    {
        using var dir = new TempDirectory();
        string input = WriteSamples(dir, 2.8, "s.h5");
        string[] Args(string output, string threads) => [.. new[] { "scan", "--in", input, "--block", "2", "--buffers", "1,2", "--out", output, "--no-plot", "--threads", threads }, .. Quick];
        Assert.Equal(0, Run(Args(dir.File("a"), "2")).Code);
        Assert.Equal(0, Run(Args(dir.File("b"), "1")).Code);
        Assert.Equal(File.ReadAllText(Path.Combine(dir.File("a"), "scan.json")), File.ReadAllText(Path.Combine(dir.File("b"), "scan.json")));
        Assert.False(File.Exists(Path.Combine(dir.File("a"), "scan_information_buffer.png")));
    }

    [Theory]
    [InlineData("--buffers", "0,2,1", "--buffers must be distinct and increasing")]
    [InlineData("--buffers", "0,x", "--buffers must be a comma-separated list of integers")]
    [InlineData("--block", "3", "--block 3 does not tile")]
    [InlineData("--buffers", "0,7", "--buffers 7 does not fit")]
    [InlineData("--hidden", "0", "--hidden must be between 1 and")]
    [InlineData("--parameter", "pressure", "--parameter: ")]
    [InlineData("--fit-sigmas", "0", "--fit-sigmas must be a positive number")]
    [InlineData("--critic", "best", "best")]
    public void BadInputStopsBeforeAnyWorkWithExitCodeTwo(string option, string value, string message)
    {
        using var dir = new TempDirectory();
        string input = WriteSamples(dir, 3.0, "s.h5");
        var args = new List<string> { "scan", "--in", input, "--block", "2", "--buffers", "0,1", "--out", dir.File("out") };
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value; else { args.Add(option); args.Add(value); }
        var (code, _, stderr) = Run([.. args, .. Quick]);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
        Assert.False(File.Exists(Path.Combine(dir.File("out"), "scan.json")));
    }

    [Fact]
    public void AMissingSampleFileIsNamed()
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = Run([.. new[] { "scan", "--in", dir.File("nowhere.h5"), "--block", "2", "--buffers", "0", "--out", dir.File("out") }, .. Quick]);
        Assert.Equal(2, code);
        Assert.Contains("nowhere.h5", stderr);
    }
}
