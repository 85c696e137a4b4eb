using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rsmi.Study;

/// <summary>
/// The directory of one study. Each stage, when it finishes, records a manifest <c>stages/NAME.json</c>
/// with a fingerprint of its settings and the SHA-256 of every file it wrote. A stage counts as complete
/// (and <c>rsmi run --resume</c> skips it) only if its manifest exists, its fingerprint matches the current
/// settings and every listed file is still there with the same contents.
/// </summary>
public sealed class RunDirectory
{
    /// <summary>Absolute path of the directory.</summary>
    public string Root { get; }

    /// <summary>Opens (and creates) the run directory.</summary>
    public RunDirectory(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Path.Combine(Root, "stages"));
    }

    /// <summary>Absolute path of a file inside the run directory (subdirectories are created).</summary>
    public string PathOf(string relative)
    {
        string full = Path.GetFullPath(Path.Combine(Root, relative));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return full;
    }

    private string ManifestPath(string stage) => Path.Combine(Root, "stages", stage + ".json");

    /// <summary>The lock file of <paramref name="stage"/> (<see cref="WorkLock"/>): <c>stages/NAME.lock</c>, there only while the stage is not complete.</summary>
    public string LockPath(string stage) => Path.Combine(Root, "stages", stage + ".lock");

    /// <summary>A fingerprint of the settings that determine a stage's outputs.</summary>
    public static string Fingerprint(params object?[] parts)
    {
        var sb = new StringBuilder();
        foreach (var p in parts) sb.Append(p is string s ? s : JsonSerializer.Serialize(p, RunConfig.JsonOptions)).Append('\u001f');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>SHA-256 of a file, lower-case hex.</summary>
    public static string Sha256(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(f));
    }

    /// <summary>Whether <paramref name="stage"/> completed with this <paramref name="fingerprint"/> and its files are intact.</summary>
    public bool IsComplete(string stage, string fingerprint)
    {
        string m = ManifestPath(stage);
        if (!File.Exists(m)) return false;
        try
        {
            var node = JsonNode.Parse(File.ReadAllText(m));
            if (node?["fingerprint"]?.GetValue<string>() != fingerprint) return false;
            foreach (var o in node["outputs"]?.AsArray() ?? [])
            {
                string rel = o!["path"]!.GetValue<string>();
                string full = Path.Combine(Root, rel);
                if (!File.Exists(full) || Sha256(full) != o["sha256"]!.GetValue<string>()) return false;
            }
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or IOException)
        {
            return false;
        }
    }

    /// <summary>Seconds the stage took when it completed, from its manifest (NaN if unknown).</summary>
    public double StageSeconds(string stage)
    {
        try { return JsonNode.Parse(File.ReadAllText(ManifestPath(stage)))?["seconds"]?.GetValue<double>() ?? double.NaN; }
        catch (Exception) { return double.NaN; }
    }

    /// <summary>Records that <paramref name="stage"/> completed, listing its output files (relative paths).</summary>
    public void MarkComplete(string stage, string fingerprint, IEnumerable<string> outputs, double seconds)
    {
        var arr = new JsonArray();
        foreach (var rel in outputs.Distinct(StringComparer.Ordinal))
            arr.Add(new JsonObject { ["path"] = rel, ["sha256"] = Sha256(Path.Combine(Root, rel)) });
        var node = new JsonObject
        {
            ["stage"] = stage,
            ["fingerprint"] = fingerprint,
            ["seconds"] = Math.Round(seconds, 3),
            ["outputs"] = arr,
        };
        IO.AtomicFile.WriteAllText(ManifestPath(stage), node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Forgets a stage (its manifest is deleted; its files are left to be overwritten).</summary>
    public void Invalidate(string stage)
    {
        if (File.Exists(ManifestPath(stage))) File.Delete(ManifestPath(stage));
    }
}
