using Rsmi.Cli;
using Rsmi.IO;
using Rsmi.Study;
using Rsmi.Tests.IO;

namespace Rsmi.Tests.Scanning;

/// <summary>The scan section of a study (<c>rsmi run</c> with a <c>scan</c> key): its samples, scan.json, figures and report section.</summary>
public class ScanStudyTests
{
    private const string ScanOnly = """
        {
          "name": "scan",
          "seed": 5,
          "ising_filters": {"enabled": false},
          "flow": {"enabled": false},
          "dimer": {"enabled": false},
          "scan": {"size": 16, "temperatures": [2.6, 3.2], "samples": 40, "buffers": [0, 2], "ensemble": 1,
                   "estimator": {"name": "infonce", "options": {"infonce-steps": 60}}}
        }
        """;

    private static (int Code, string Out, string Err) Rsmi(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void AStudyWithAScanWritesItsSamplesScanJsonFiguresAndReportSection()
    {
        using var dir = new TempDirectory();
        string cfg = dir.File("study.json"), run = dir.File("run");
        File.WriteAllText(cfg, ScanOnly);
        var (code, _, stderr) = Rsmi("run", "--config", cfg, "--out", run);
        Assert.True(code == 0, stderr);
        foreach (string f in new[] { "data/scan_t0.h5", "data/scan_t1.h5", "scan/scan.json", "scan/scan_information_buffer.png", "scan/scan_correlation_length.svg", "report.html" })
            Assert.True(File.Exists(Path.Combine(run, f)), f);
        var entries = ScanFile.Read(Path.Combine(run, "scan", "scan.json"));
        Assert.Equal([2.6, 3.2], entries.Select(e => e.Temperature));
        Assert.All(entries, e => Assert.Equal([0, 2], e.Buffers));
        string html = File.ReadAllText(Path.Combine(run, "report.html"));
        Assert.Contains("Mutual-information scan", html);
        Assert.Contains("exact ξ", html);
        // the default study has no scan key, so its resolved config is unchanged
        Assert.DoesNotContain("\"scan\"", new RunConfig().ToJson());
    }

    [Theory]
    [InlineData("\"buffers\": [2, 1]", "scan.buffers")]
    [InlineData("\"critic\": \"best\"", "scan.critic")]
    [InlineData("\"buffers\": [0, 9]", "scan.buffers")]
    [InlineData("\"fit_sigmas\": 0", "fit_sigmas")]
    public void BadScanSettingsNameTheirKey(string setting, string named)
    {
        using var dir = new TempDirectory();
        string cfg = dir.File("study.json");
        File.WriteAllText(cfg, ScanOnly.Replace("\"buffers\": [0, 2]", setting.StartsWith("\"buffers\"") ? setting : "\"buffers\": [0, 2], " + setting));
        var (code, _, stderr) = Rsmi("run", "--config", cfg, "--out", dir.File("run"));
        Assert.Equal(2, code);
        Assert.Contains(named, stderr);
    }
}
