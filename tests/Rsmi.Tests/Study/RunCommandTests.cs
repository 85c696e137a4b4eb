using System.Diagnostics;
using System.Text.Json.Nodes;
using Rsmi.Cli;
using Rsmi.Filters;
using Rsmi.IO;

namespace Rsmi.Tests.Study;

/// <summary>End-to-end tests of <c>rsmi run</c> on a tiny study: every promised artefact, resume after a kill, bad configs.</summary>
[Trait("Category", "Statistical")]
public class RunCommandTests
{
    /// <summary>A study small enough for a test: every stage runs, with cheap learner settings.</summary>
    internal const string TinyConfig = """
        {
          "name": "tiny",
          "seed": 11,
          "ising_filters": {"size": 16, "samples": 60, "hidden": [1, 4],
                            "estimator": {"name": "rbm", "options": {"rbm-updates": 60, "rbm-machine-updates": 150, "rbm-max-windows": 2000}}},
          "flow": {"size": 16, "samples": 60, "steps": 2, "rule": "majority", "temperatures": [2.0, 2.269, 2.6]},
          "dimer": {"size": 8, "samples": 20, "hidden": [2], "buffer": 0, "environment": 2,
                    "estimator": {"name": "rbm", "options": {"rbm-updates": 30, "rbm-machine-updates": 100, "rbm-max-windows": 500, "rbm-inner": "monte-carlo", "rbm-inner-samples": 32}}}
        }
        """;

    private static (int Code, string Out, string Err) Rsmi(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static string NewDir(string name)
    {
        string d = Path.Combine(Path.GetTempPath(), "rsmi-run-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(d);
        return d;
    }

    private static string WriteConfig(string dir, string json)
    {
        string p = Path.Combine(dir, "study.json");
        File.WriteAllText(p, json);
        return p;
    }

    [Fact]
    public void TinyStudyWritesEveryPromisedArtefact()
    {
        string root = NewDir("full");
        string cfg = WriteConfig(root, TinyConfig);
        string run = Path.Combine(root, "run");
        var (code, stdout, stderr) = Rsmi("run", "--config", cfg, "--out", run);
        Assert.True(code == 0, stderr);
        Assert.Contains("report.html", stdout);

        // resolved config, run record
        var config = global::Rsmi.Study.RunConfig.Load(Path.Combine(run, "config.json"));
        Assert.Equal(11, config.Seed);
        var record = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run.json")))!;
        Assert.Equal(6, record["stages"]!.AsArray().Count);
        Assert.False(string.IsNullOrEmpty(record["machine"]!.GetValue<string>()));
        Assert.All(record["stages"]!.AsArray(), s => Assert.True(s!["seconds"]!.GetValue<double>() >= 0));

        // data files
        var ising = SampleFile.Read(Path.Combine(run, "data/ising2d.h5"));
        Assert.Equal(60, ising.Count);
        Assert.Equal("ising2d", ising.Metadata.Model);
        var dimer = SampleFile.Read(Path.Combine(run, "data/dimer.h5"));
        Assert.Equal("dimer", dimer.Metadata.Model);
        Assert.Equal(16, dimer.Lx);

        // filters files and their pictures
        foreach (var (file, nh) in new[] { ("filters/ising_nh1.json", 1), ("filters/ising_nh4.json", 4), ("filters/dimer_nh2.json", 2) })
        {
            FilterSet f = FiltersFile.Read(Path.Combine(run, file));
            Assert.Equal(nh, f.Hidden);
            Assert.True(double.IsFinite(f.MutualInformationBits));
            Assert.NotEmpty(f.History);
            for (int j = 1; j <= nh; j++) AssertPng(Path.Combine(run, file.Replace(".json", $".h{j}.png")));
        }

        // flow.json with the contract's keys
        var flow = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "flow/flow.json")))!;
        Assert.Equal(3, flow["flows"]!.AsArray().Count);
        foreach (var key in new[] { "tc", "nu_flow", "nu_collapse", "nu_mcrg", "nu_mcrg_majority" })
            Assert.NotNull(flow["estimates"]![key]!["value"]);
        foreach (var step in flow["flows"]![0]!["steps"]!.AsArray())
            foreach (var key in new[] { "step", "size", "effective_temperature", "effective_temperature_error", "nn_correlation", "diagonal_correlation", "correlation_length", "mutual_information_bits" })
                Assert.True(step!.AsObject().ContainsKey(key), key);

        // figures: PNG and SVG
        foreach (var name in new[] { "ising_nh1", "ising_nh4", "dimer_nh2", "mi_histories" })
        {
            AssertPng(Path.Combine(run, $"figures/{name}.png"));
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(run, $"figures/{name}.svg"))[..200]);
        }
        AssertPng(Path.Combine(run, "flow/flow_temperature.png"));

        // the report: one self-contained page with embedded figures and the estimates
        string html = File.ReadAllText(Path.Combine(run, "report.html"));
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotContain("src=\"http", html);
        Assert.True(CountOf(html, "data:image/png;base64,") >= 6);
        foreach (var s in new[] { "Ising filters (Fig. 2)", "RG flow, T_c and ν (Fig. 5)", "Dimer filters with noise (Fig. 4)", "T_c", "1.0 ± 0.15",
                     "N_h = 1: I(H:E), held out", "N_h = 1: signal", "N_h = 1: ensemble of", "alignment with the kept filters", "best of an ensemble" })
            Assert.Contains(System.Net.WebUtility.HtmlEncode(s), html);

        // the page renders in headless Chromium (CI installs Debian's chromium; elsewhere the check is skipped with a note)
        RenderInChromium(Path.Combine(run, "report.html"), Path.Combine(root, "report.png"));

        // leftovers of atomic writes: none
        Assert.Empty(Directory.EnumerateFiles(run, "*.tmp*", SearchOption.AllDirectories));
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void AKilledRunResumesToTheSameResults()
    {
        string root = NewDir("resume");
        string cfg = WriteConfig(root, TinyConfig);
        string whole = Path.Combine(root, "whole");
        Assert.Equal(0, Rsmi("run", "--config", cfg, "--out", whole).Code);

        // Start the same study in a separate process and kill it in the middle of its third stage (the N_h = 4
        // filters): the kill follows the child's own "started" line, read synchronously from its standard error, so
        // it lands inside that stage's learning however busy the machine is, never after the run has finished.
        string killed = Path.Combine(root, "killed");
        string rsmiDll = Path.Combine(AppContext.BaseDirectory, "rsmi.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { rsmiDll, "run", "--config", cfg, "--out", killed }) psi.ArgumentList.Add(arg);
        var seen = new List<string>();
        using (var p = Process.Start(psi)!)
        {
            p.BeginOutputReadLine();
            int started = 0;
            string? line;
            while (started < 3 && (line = p.StandardError.ReadLine()) is not null)
            {
                seen.Add(line);
                if (line.EndsWith(": started", StringComparison.Ordinal)) started++;
            }
            Assert.True(started == 3, "the run ended before its third stage started:\n" + string.Join("\n", seen));
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        Assert.Contains("N_h = 4", seen[^1]);
        Assert.True(File.Exists(Path.Combine(killed, "stages", "ising-filters-nh1.json")), "the first filters stage should be complete");
        Assert.False(File.Exists(Path.Combine(killed, "report.html")), "the run finished before it was killed");

        var (code, _, err) = Rsmi("run", "--resume", killed);
        Assert.True(code == 0, err);
        Assert.Contains("complete, skipped", err);

        foreach (var f in new[] { "data/ising2d.h5", "data/dimer.h5", "filters/ising_nh1.json", "filters/ising_nh4.json", "filters/dimer_nh2.json" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(whole, f)), File.ReadAllBytes(Path.Combine(killed, f)));
        var a = JsonNode.Parse(File.ReadAllText(Path.Combine(whole, "flow/flow.json")))!;
        var b = JsonNode.Parse(File.ReadAllText(Path.Combine(killed, "flow/flow.json")))!;
        Assert.Equal(a["flows"]!.ToJsonString(), b["flows"]!.ToJsonString());
        Assert.Equal(a["estimates"]!.ToJsonString(), b["estimates"]!.ToJsonString());

        // resuming a complete run skips every stage and rewrites only the report
        var again = Rsmi("run", "--resume", whole);
        Assert.Equal(0, again.Code);
        Assert.DoesNotContain(": started", again.Err);
        Directory.Delete(root, recursive: true);
    }

    [Theory]
    [InlineData("""{"flow": {"sise": 32}}""", "flow.sise")]
    [InlineData("""{"flow": {"size": -32}}""", "flow.size")]
    [InlineData("""{"ising_filters": {"size": 30, "block": 4}}""", "ising_filters.block")]
    [InlineData("""{"dimer": {"input": "missing.h5"}}""", "missing.h5")]
    [InlineData("""{"ising_filters": {"estimator": {"name": "rbm", "options": {"rbm-no-such-option": 3}}}}""", "ising_filters.estimator")]
    [InlineData("""{"ising_filters": {"estimator": {"name": "infonce", "options": {"rbm-updates": 3}}}}""", "--rbm-updates is an option of --estimator rbm")]
    [InlineData("""{"flow": {"estimator": {"name": "infonce", "options": {"rbm-updates": 3}}}}""", "config key 'flow.estimator': --rbm-updates is an option of --estimator rbm")]
    [InlineData("""{"flow": {"estimator": {"name": "infonce", "options": {"infonce-steps": 0}}}}""", "--infonce-steps must be a positive integer")]
    [InlineData("""{"flow": {"rule": "rbm", "estimator": {"name": "rbm", "options": {"rbm-no-such-option": 3}}}}""", "flow.estimator")]
    [InlineData("""{"flow": {"rule": "majority", "buffer": 2}}""", "flow.buffer")]
    [InlineData("""{"ising_filters": {"estimator": {"name": "rbm", "options": {"rbm-updates": 0}}}}""", "config key 'ising_filters.estimator': --rbm-updates must be a positive integer, got 0.")]
    [InlineData("""{"ising_filters": {"estimator": {"name": "kl-rbm", "options": {"kl-rbm-l2": "x"}}}}""", "config key 'ising_filters.estimator': --kl-rbm-l2: 'x' is not a number.")]
    [InlineData("""{"dimer": {"estimator": {"name": "infonce", "options": {"ensemble": 0}}}}""", "config key 'dimer.estimator': --ensemble must be a positive integer, got 0.")]
    [InlineData("""{"dimer": {"estimator": {"name": "infonce", "options": {"no-plot": true}}}}""", "config key 'dimer.estimator': --no-plot is not an option of --estimator infonce.")]
    [InlineData("""{"flow": {"algorithm": "magic"}}""", "config key 'flow': ")]
    [InlineData("""{"ising_filters": {"algorithm": "magic"}}""", "config key 'ising_filters': ")]
    public void InvalidConfigsFailWithExitCode2BeforeAnyWork(string json, string named)
    {
        string root = NewDir("bad");
        string cfg = WriteConfig(root, json);
        string run = Path.Combine(root, "run");
        var (code, _, err) = Rsmi("run", "--config", cfg, "--out", run);
        Assert.Equal(2, code);
        Assert.Contains(named, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(Directory.Exists(run), "no work may start for an invalid config");
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void MissingConfigFileAndBadResumeDirectoryAreNamed()
    {
        var (code, _, err) = Rsmi("run", "--config", "/nonexistent/study.json");
        Assert.Equal(2, code);
        Assert.Contains("/nonexistent/study.json", err);
        (code, _, err) = Rsmi("run", "--resume", "/nonexistent/run");
        Assert.Equal(2, code);
        Assert.Contains("/nonexistent/run", err);
        (code, _, err) = Rsmi("run", "--preset", "huge");
        Assert.Equal(2, code);
        Assert.Contains("huge", err);
    }

    private static void RenderInChromium(string html, string png)
    {
        string? chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        if (chromium is null)
        {
            Assert.True(Environment.GetEnvironmentVariable("CI") is null, "CI must install Debian's chromium to check that report.html renders");
            Console.WriteLine("chromium not installed: the rendering check of report.html was skipped");
            return;
        }
        var psi = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--user-data-dir=" + Path.Combine(Path.GetDirectoryName(png)!, "chromium-profile"),
                     "--window-size=1200,2000", "--screenshot=" + png, new Uri(html).AbsoluteUri })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEndAsync();
        p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(120_000), "chromium did not finish rendering report.html in two minutes");
        AssertPng(png);
        // a rendered page is far from blank: its PNG is large (a blank page compresses to a few kB)
        Assert.True(new FileInfo(png).Length > 50_000, $"the screenshot of report.html is only {new FileInfo(png).Length} bytes");
    }

    private static int CountOf(string s, string sub)
    {
        int n = 0;
        for (int i = s.IndexOf(sub, StringComparison.Ordinal); i >= 0; i = s.IndexOf(sub, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }

    private static void AssertPng(string path)
    {
        Assert.True(File.Exists(path), path);
        var b = File.ReadAllBytes(path);
        Assert.True(b.Length > 1000, path);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, b[..4]);
    }
}
