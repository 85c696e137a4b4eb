using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Rsmi.Cli;
using Rsmi.Tests.Baselines;

namespace Rsmi.Tests.Study;

/// <summary>What the tests of studies run as tasks share: a small study, running rsmi in and out of process, and the comparison of run directories.</summary>
internal static class StudyFiles
{
    /// <summary>
    /// A small study with every kind of task: Ising filters (samples and two numbers of hidden units), a flow from three
    /// starting temperatures with a learned rule over two steps, and dimer filters.
    /// </summary>
    public const string SmallConfig = """
        {
          "name": "small", "seed": 23,
          "ising_filters": {"size": 16, "samples": 60, "hidden": [1, 2],
                            "estimator": {"name": "rbm", "options": {"rbm-updates": 30, "rbm-machine-updates": 60, "rbm-max-windows": 1000, "ensemble": 2}}},
          "flow": {"size": 16, "samples": 60, "steps": 2, "rule": "rbm", "temperatures": [2.6, 2.0, 2.269], "two_lattice": true, "compare": ["majority", "decimation"],
                   "estimator": {"name": "rbm", "options": {"rbm-updates": 20, "rbm-machine-updates": 40, "rbm-max-windows": 800}}},
          "dimer": {"size": 4, "samples": 40, "window": 2, "buffer": 0, "environment": 2, "hidden": [1],
                    "estimator": {"name": "rbm", "options": {"rbm-updates": 20, "rbm-machine-updates": 40, "rbm-max-windows": 500, "ensemble": 1}}},
          "output": {"svg": false}
        }
        """;

    public static (int Code, string Out, string Err) RunRsmi(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    public static string NewDir(string name)
    {
        string d = Path.Combine(Path.GetTempPath(), "rsmi-task-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(d);
        return d;
    }

    public static string WriteConfig(string dir, string json)
    {
        string p = Path.Combine(dir, "study.json");
        File.WriteAllText(p, json);
        return p;
    }

    /// <summary>rsmi in a process of its own (the built rsmi.dll next to the tests), its standard error read line by line.</summary>
    public static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rsmi.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["CI"] = "true";
        return Process.Start(psi)!;
    }

    /// <summary>
    /// The outputs of a run directory of one process, each as a digest with the baselines' normalisation (times,
    /// paths, versions and fingerprints removed): sample files by shape, data and attributes, JSON files by their
    /// normalised content, pictures by their bytes. run.json, run.log, the stage records and report.html (times) are
    /// left out.
    /// </summary>
    public static SortedDictionary<string, string> Digests(string root)
    {
        var digests = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                     .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')))
        {
            if (file is "run.json" or "run.log" or "report.html" or "plan.json" || file.StartsWith("stages/", StringComparison.Ordinal)
                || file.StartsWith("parts/", StringComparison.Ordinal) || file.StartsWith("logs/", StringComparison.Ordinal) || file.EndsWith(".sbatch", StringComparison.Ordinal))
                continue;
            string full = Path.Combine(root, file);
            digests[file] = file.EndsWith(".h5", StringComparison.Ordinal) ? BaselineTests.SampleDigest(full)
                : file.EndsWith(".json", StringComparison.Ordinal) ? BaselineTests.JsonDigest(full)
                : file.EndsWith(".svg", StringComparison.Ordinal) ? SvgDigest(full)
                : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(full)));
        }
        return digests;
    }

    /// <summary>
    /// An SVG figure's digest with its clip-path ids numbered in order of appearance: the drawing library numbers them
    /// from a counter of the process, so the same figure has other ids after other figures were drawn.
    /// </summary>
    private static string SvgDigest(string path)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        string text = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(path), "cl_[0-9a-f]+",
            m => ids.TryGetValue(m.Value, out var id) ? id : ids[m.Value] = $"clip{ids.Count}");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Asserts that <paramref name="actual"/> holds every output of <paramref name="expected"/> (a run of one process), each the same.</summary>
    public static void AssertSameOutputs(string expected, string actual)
    {
        var a = Digests(expected);
        var b = Digests(actual);
        Assert.True(a.Count >= 10, $"the run of one process wrote only {a.Count} outputs");
        var names = new StringBuilder();
        foreach (var (file, digest) in a)
        {
            Assert.True(b.ContainsKey(file), $"{actual} lacks {file}");
            Assert.True(digest == b[file], $"{file} differs between {expected} and {actual}:\n{digest}\n---\n{b[file]}");
        }
        Assert.Equal(a.Keys, b.Keys);
        Assert.Empty(Directory.EnumerateFiles(actual, "*.lock", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(actual, "*.tmp*", SearchOption.AllDirectories));
    }
}
