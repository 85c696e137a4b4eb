using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rsmi.Cli;
using Rsmi.IO;

namespace Rsmi.Tests.Baselines;

/// <summary>
/// Baseline outputs: every model and algorithm's sample file, filters files of every learner, a coarse-grained file,
/// flow.json of fixed and learned rules and a small study, each from a fixed seed, reduced to a text digest after
/// removing the fields that legitimately change between builds and runs (versions, times, paths, machine), and compared
/// with the digests checked in under <c>Baselines/expected/</c>. A change that moves code without changing what rsmi
/// computes leaves every digest as it was.
/// <para>
/// Sampling is integer arithmetic and reproduces on every machine. Learned filters are floating-point sums whose order
/// follows the machine's vector width, so their digests are kept per instruction-set signature
/// (<see cref="Signature"/>); on a machine with another signature the learner cases check that two runs from the same
/// seed agree digit for digit instead. <c>RSMI_UPDATE_BASELINES=1</c> rewrites the expected files (only when a change
/// of results is intended, and said so in the commit).
/// </para>
/// </summary>
public sealed class BaselineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rsmi-baseline-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Vector width and the instruction sets that change floating-point results (FMA contraction, widths).</summary>
    public static string Signature =>
        $"v{System.Numerics.Vector<byte>.Count * 8}{(Fma.IsSupported ? "-fma" : "")}{(Avx512F.IsSupported ? "-avx512" : "")}";

    /// <summary>Metadata and JSON fields that differ between builds or runs of the same computation.</summary>
    private static readonly HashSet<string> Volatile = new(StringComparer.Ordinal)
    {
        "rsmi_version", "version", "dotnet_version", "created", "started", "finished", "seconds", "elapsed_seconds",
        "wall_seconds", "time", "times", "timings", "duration_seconds", "machine", "cpu", "simd", "processors", "threads",
        "command", "command_line", "path", "paths", "input", "inputs", "in", "out", "file", "files", "parent", "directory", "sha256", "fingerprint",
    };

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Rsmi.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Rsmi.slnx) not found above the test assembly");
    }

    private static string ExpectedPath(string name, bool floating) =>
        Path.Combine(Root(), "tests", "Rsmi.Tests", "Baselines", "expected", floating ? $"{name}.{Signature}.txt" : $"{name}.txt");

    private static void Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        Assert.True(code == 0, $"rsmi {string.Join(' ', args)} exited with {code}: {e}");
    }

    // ---- digests -------------------------------------------------------------------------------------------------

    /// <summary>Shape, SHA-256 of the values and every non-volatile attribute (doubles to 12 significant digits: τ_int is a
    /// vectorised sum whose last bits follow the machine's vector width).</summary>
    internal static string SampleDigest(string path)
    {
        var set = SampleFile.Read(path);
        var sb = new StringBuilder();
        sb.Append("count ").Append(set.Count).Append('\n');
        sb.Append("shape ").Append(string.Join('x', set.SiteShape)).Append('\n');
        sb.Append("data ").Append(Convert.ToHexString(SHA256.HashData((byte[])(Array)set.Data))).Append('\n');
        foreach (var (k, v) in set.Metadata.Attributes)
        {
            if (Volatile.Contains(k)) continue;
            sb.Append(k).Append(" = ").Append(v is double d ? d.ToString("G12", System.Globalization.CultureInfo.InvariantCulture) : v.ToString()).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The JSON with volatile fields removed, properties sorted, numbers kept as written.</summary>
    internal static string JsonDigest(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path));
        return Normalise(node)?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static JsonNode? Normalise(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(p => !Volatile.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Normalise(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Normalise).ToArray()),
        null => null,
        _ => JsonNode.Parse(node.ToJsonString()),
    };

    private static void Check(string name, string actual, bool floating)
    {
        string expected = ExpectedPath(name, floating);
        if (Environment.GetEnvironmentVariable("RSMI_UPDATE_BASELINES") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(expected)!);
            File.WriteAllText(expected, actual);
            return;
        }
        Assert.True(File.Exists(expected), $"no baseline {expected}; record it with RSMI_UPDATE_BASELINES=1 on the build whose results it should keep.");
        Assert.Equal(File.ReadAllText(expected), actual);
    }

    /// <summary>Whether floating-point baselines exist for this machine's signature.</summary>
    private static bool HasFloatingBaselines() =>
        Environment.GetEnvironmentVariable("RSMI_UPDATE_BASELINES") == "1"
        || File.Exists(ExpectedPath("learn-infonce", floating: true));

    /// <summary>Compares with the baseline when this signature has one; otherwise a second run must agree exactly.</summary>
    private void CheckFloating(string name, Func<string, string> produce)
    {
        string first = produce(Path.Combine(_dir, name + "-a"));
        if (HasFloatingBaselines()) { Check(name, first, floating: true); return; }
        Assert.Equal(first, produce(Path.Combine(_dir, name + "-b")));
    }

    // ---- cases ---------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("ising2d", "wolff", 8)]
    [InlineData("ising2d", "swendsen-wang", 8)]
    [InlineData("ising2d", "metropolis", 8)]
    [InlineData("ising2d", "heatbath", 8)]
    [InlineData("ising2d", "multispin-metropolis-64", 8)]
    [InlineData("ising2d", "multispin-heatbath-64", 8)]
    [InlineData("ising2d", "multispin-lattice-metropolis-64", 128)]
    [InlineData("ising2d", "multispin-lattice-heatbath-64", 128)]
    [InlineData("ising1d", "exact", 12)]
    [InlineData("ising1d", "metropolis", 12)]
    [InlineData("ising1d", "wolff", 12)]
    public void IsingSampleFilesAreUnchanged(string model, string algorithm, int size)
    {
        string path = Path.Combine(_dir, "s.h5");
        Run("sample", model, "--size", size.ToString(), "--temperature", "2.4", "--samples", "40", "--algorithm", algorithm,
            "--seed", "20261203", "--chains", "2", "--out", path);
        Check($"sample-{model}-{algorithm}", SampleDigest(path), floating: false);
    }

    [Theory]
    [InlineData("wolff", 4)]
    [InlineData("swendsen-wang", 4)]
    [InlineData("metropolis", 4)]
    [InlineData("heatbath", 4)]
    public void Ising3DSampleFilesAreUnchanged(string algorithm, int size)
    {
        string path = Path.Combine(_dir, "s3.h5");
        Run("sample", "ising3d", "--size", size.ToString(), "--temperature", "4.5", "--samples", "40", "--algorithm", algorithm,
            "--seed", "20261203", "--chains", "2", "--out", path);
        Check($"sample-ising3d-{algorithm}", SampleDigest(path), floating: false);
    }

    [Theory]
    [InlineData("wolff", 3, 5)]
    [InlineData("swendsen-wang", 3, 5)]
    [InlineData("heatbath", 3, 5)]
    [InlineData("wolff", 4, 6)]
    public void PottsSampleFilesAreUnchanged(string algorithm, int q, int size)
    {
        string path = Path.Combine(_dir, "p.h5");
        Run("sample", "potts2d", "--q", q.ToString(), "--size", size.ToString(), "--temperature", "1.0", "--samples", "40", "--algorithm", algorithm,
            "--seed", "20261203", "--chains", "2", "--out", path);
        Check($"sample-potts2d-q{q}-{algorithm}", SampleDigest(path), floating: false);
    }

    [Theory]
    [InlineData("periodic", "2", "0")]
    [InlineData("open", "0.5", "0.7")]
    public void DimerSampleFilesAreUnchanged(string boundary, string noise, string interaction)
    {
        string path = Path.Combine(_dir, "d.h5");
        Run("sample", "dimer", "--size", "4", "--samples", "40", "--noise-coupling", noise, "--interaction", interaction,
            "--boundary", boundary, "--seed", "20261203", "--out", path);
        Check($"sample-dimer-{boundary}", SampleDigest(path), floating: false);
    }

    [Fact]
    public void NpySampleFilesAreUnchanged()
    {
        string path = Path.Combine(_dir, "s.npy");
        Run("sample", "ising2d", "--size", "8", "--temperature", "2.2", "--samples", "30", "--seed", "5", "--out", path);
        Check("sample-ising2d-npy", SampleDigest(path), floating: false);
    }

    private string IsingInput()
    {
        string path = Path.Combine(_dir, "input.h5");
        if (!File.Exists(path))
            Run("sample", "ising2d", "--size", "16", "--temperature", "2.269", "--samples", "300", "--seed", "11", "--out", path);
        return path;
    }

    [Theory]
    [InlineData("infonce", new[] { "--infonce-steps", "120", "--infonce-batch", "64", "--infonce-windows", "4000" })]
    [InlineData("rbm", new[] { "--rbm-updates", "40", "--rbm-machine-updates", "80", "--rbm-max-windows", "3000" })]
    [InlineData("kl-rbm", new[] { "--kl-rbm-updates", "200" })]
    public void FiltersFilesAreUnchanged(string estimator, string[] options)
    {
        string input = IsingInput();
        CheckFloating($"learn-{estimator}", prefix =>
        {
            string output = prefix + ".json";
            Run(["learn", "--in", input, "--block", "2", "--hidden", "2", "--buffer", "1", "--environment", "2",
                "--estimator", estimator, "--seed", "3", "--ensemble", "2", "--no-plot", "--out", output, .. options]);
            string coarse = prefix + ".coarse.h5";
            Run("coarse-grain", "--in", input, "--filters", output, "--seed", "4", "--out", coarse);
            return JsonDigest(output) + SampleDigest(coarse);
        });
    }

    [Theory]
    [InlineData("majority", new string[0])]
    [InlineData("decimation", new string[0])]
    [InlineData("rbm", new[] { "--rbm-updates", "30", "--rbm-machine-updates", "60", "--rbm-max-windows", "2000" })]
    [InlineData("infonce", new[] { "--infonce-steps", "80", "--infonce-batch", "64", "--infonce-windows", "3000" })]
    public void FlowFilesAreUnchanged(string rule, string[] options)
    {
        bool learned = rule is "rbm" or "infonce";
        Func<string, string> produce = prefix =>
        {
            Run(["flow", "--size", "16", "--samples", "120", "--steps", "2", "--temperatures", "2.1,2.45", "--estimator", rule,
                "--seed", "9", "--jackknife-blocks", "10", "--out", prefix, .. options]);
            return JsonDigest(Path.Combine(prefix, "flow.json"));
        };
        if (learned) CheckFloating($"flow-{rule}", produce);
        else Check($"flow-{rule}", produce(Path.Combine(_dir, "flow")), floating: false);
    }

    [Fact]
    public void StudyOutputsAreUnchanged()
    {
        string config = Path.Combine(_dir, "study.json");
        File.WriteAllText(config, """
        {
          "name": "baseline", "seed": 77,
          "ising_filters": { "size": 16, "samples": 300, "hidden": [1], "block": 2, "buffer": 0, "environment": 2,
            "estimator": { "name": "infonce", "options": { "infonce-steps": 100, "infonce-batch": 64, "infonce-windows": 3000, "ensemble": 2 } } },
          "flow": { "size": 16, "samples": 100, "steps": 1, "temperatures": [2.15, 2.4], "rule": "majority" },
          "dimer": { "size": 8, "samples": 200, "window": 4, "buffer": 1, "environment": 2, "hidden": [2],
            "estimator": { "name": "infonce", "options": { "infonce-steps": 60, "infonce-batch": 64, "infonce-windows": 2000, "ensemble": 2 } } },
          "output": { "svg": false }
        }
        """);
        CheckFloating("study", prefix =>
        {
            Run("run", "--config", config, "--out", prefix);
            // Every output's name; the digests of the data, filters and flow files (run.json and the stage records
            // hold times, machine and fingerprints, the report and figures are drawn from the digested files).
            var sb = new StringBuilder();
            foreach (string file in Directory.EnumerateFiles(prefix, "*", SearchOption.AllDirectories)
                         .Select(f => Path.GetRelativePath(prefix, f).Replace('\\', '/')).Order(StringComparer.Ordinal))
            {
                string full = Path.Combine(prefix, file);
                if (file.EndsWith(".h5", StringComparison.Ordinal)) sb.Append("## ").Append(file).Append('\n').Append(SampleDigest(full));
                else if (file.EndsWith(".json", StringComparison.Ordinal) && file is not "run.json" && !file.StartsWith("stages/", StringComparison.Ordinal))
                    sb.Append("## ").Append(file).Append('\n').Append(JsonDigest(full));
                else sb.Append("## ").Append(file).Append('\n');
            }
            return sb.ToString();
        });
    }
}
