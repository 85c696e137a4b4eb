using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rsmi.IO;
using Rsmi.Progress;

namespace Rsmi.Study;

/// <summary>One stage of a study: a name, its typed settings, a fingerprint of everything that determines its outputs, and the work.</summary>
public sealed class Stage
{
    /// <summary>The stage's name (its seed derives from it unless <see cref="SeedName"/> is set).</summary>
    public required string Name { get; init; }
    /// <summary>
    /// The name the stage's seed derives from when it is not <see cref="Name"/>: a stage that does part of another
    /// stage's work keeps that stage's seed (the flow from one starting temperature keeps the flow's).
    /// </summary>
    public string? SeedName { get; init; }
    /// <summary>One line for the progress display and the log.</summary>
    public required string Title { get; init; }
    /// <summary>A fingerprint of the settings and inputs: a resumed run skips the stage when it is unchanged.</summary>
    public required string Fingerprint { get; init; }
    /// <summary>The typed settings the stage runs with (<see cref="Stages.SampleSettings"/>, <see cref="Stages.FilterLearningSettings"/>, <see cref="Stages.FlowSettings"/>).</summary>
    public required object Settings { get; init; }
    /// <summary>The config key the stage's settings come from, for messages.</summary>
    public string ConfigKey { get; init; } = "";
    /// <summary>Does the work and returns the files it wrote (relative to the run directory).</summary>
    public required Func<StageContext, IReadOnlyList<string>> Execute { get; init; }
}

/// <summary>What a stage gets to work with.</summary>
public sealed class StageContext
{
    /// <summary>The run directory.</summary>
    public required RunDirectory Directory { get; init; }
    /// <summary>The study's configuration.</summary>
    public required RunConfig Config { get; init; }
    /// <summary>Where the stage reports progress.</summary>
    public required IProgressReporter Progress { get; init; }
    /// <summary>Signalled when the study is interrupted; long work stops at the next safe point.</summary>
    public required CancellationToken Cancellation { get; init; }
    /// <summary>The study's log of stage lines.</summary>
    public required TextWriter Log { get; init; }
    /// <summary>Where a stage writes its own messages (the run log, and the console when it is not live).</summary>
    public required TextWriter Detail { get; init; }
    /// <summary>The stage's own seed, derived from the master seed and the stage name (so a resumed run draws the same numbers).</summary>
    public required ulong Seed { get; init; }
}

/// <summary>
/// Runs the stages of a study in order into a run directory, skipping (with <c>--resume</c>) those whose
/// outputs are complete and valid, and records timings, seeds and versions in <c>run.json</c>.
/// <paramref name="stageFinished"/> is called after every stage that ran (a live display closes its bars).
/// </summary>
public sealed class StudyRunner(RunConfig config, RunDirectory directory, IProgressReporter progress, TextWriter log, TextWriter detail, Action? stageFinished = null)
{
    private readonly List<(string Name, string Status, double Seconds, ulong Seed)> _record = [];

    /// <summary>The progress stage that counts the study's stages.</summary>
    public const string StudyStage = "study";

    /// <summary>The seed of stage <paramref name="name"/> under master seed <paramref name="master"/>.</summary>
    public static ulong StageSeed(long master, string name)
    {
        var r = Rsmi.Random.RandomStreams.Create(unchecked((ulong)master), 0, "stage:" + name);
        return r.NextUInt64() >> 1;
    }

    /// <summary>Runs <paramref name="stages"/> (skipping the complete ones when <paramref name="resume"/>) and writes run.json.</summary>
    public void Run(IReadOnlyList<Stage> stages, bool resume, CancellationToken cancellation)
    {
        AtomicFile.WriteAllText(directory.PathOf("config.json"), config.ToJson() + "\n");
        var total = Stopwatch.StartNew();
        RunStages(stages, resume, cancellation);
        progress.Report(StudyStage, 1.0, $"{stages.Count} stages");
        WriteRunRecord(total.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Runs <paramref name="stages"/> in order, skipping the complete ones when <paramref name="resume"/>. Every stage
    /// runs under its lock (<see cref="WorkLock"/>, <c>stages/NAME.lock</c>): a stage that another process is running
    /// is waited for (the log says so) and then skipped when that process completed it, so that no two processes
    /// run one stage side by side.
    /// </summary>
    public void RunStages(IReadOnlyList<Stage> stages, bool resume, CancellationToken cancellation)
    {
        for (int i = 0; i < stages.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var stage = stages[i];
            ulong seed = StageSeed(config.Seed, stage.SeedName ?? stage.Name);
            string prefix = $"[{i + 1}/{stages.Count}] {stage.Title}";
            progress.Report(StudyStage, (double)i / stages.Count, $"stage {i + 1} of {stages.Count}");
            if (resume && directory.IsComplete(stage.Name, stage.Fingerprint))
            {
                Skipped(stage, prefix, seed, "complete, skipped");
                continue;
            }
            using var held = WorkLock.Acquire(directory.LockPath(stage.Name),
                () => log.WriteLine($"{prefix}: another process is running this stage; waiting for it"), cancellation);
            if ((resume || held.Waited) && directory.IsComplete(stage.Name, stage.Fingerprint))
            {
                Skipped(stage, prefix, seed, held.Waited ? "completed by another process, skipped" : "complete, skipped");
                held.Release(complete: true);
                continue;
            }
            directory.Invalidate(stage.Name);
            log.WriteLine($"{prefix}: started");
            var clock = Stopwatch.StartNew();
            var outputs = stage.Execute(new StageContext
            {
                Directory = directory, Config = config, Progress = progress, Cancellation = cancellation, Log = log, Detail = detail, Seed = seed,
            });
            cancellation.ThrowIfCancellationRequested();
            stageFinished?.Invoke();
            double seconds = clock.Elapsed.TotalSeconds;
            directory.MarkComplete(stage.Name, stage.Fingerprint, outputs, seconds);
            held.Release(complete: true);
            log.WriteLine($"{prefix}: done in {seconds:0.0} s");
            _record.Add((stage.Name, "ran", seconds, seed));
        }
    }

    private void Skipped(Stage stage, string prefix, ulong seed, string status)
    {
        log.WriteLine($"{prefix}: {status}");
        _record.Add((stage.Name, "skipped (complete)", directory.StageSeconds(stage.Name), seed));
    }

    private void WriteRunRecord(double seconds) => WriteRunRecord(directory, config, _record, seconds);

    /// <summary>Writes run.json: the study, the seed, versions, the machine, the wall time and every stage with its status, time and seed.</summary>
    internal static void WriteRunRecord(RunDirectory directory, RunConfig config, IEnumerable<(string Name, string Status, double Seconds, ulong Seed)> record, double seconds)
    {
        var stages = new JsonArray();
        foreach (var (name, status, secs, seed) in record)
            stages.Add(new JsonObject { ["stage"] = name, ["status"] = status, ["seconds"] = double.IsFinite(secs) ? Math.Round(secs, 3) : null, ["seed"] = seed });
        var node = new JsonObject
        {
            ["name"] = config.Name,
            ["seed"] = config.Seed,
            ["rsmi_version"] = RsmiVersion.Current,
            ["dotnet"] = Environment.Version.ToString(),
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["machine"] = MachineInfo.CpuModel(),
            ["cores"] = Environment.ProcessorCount,
            ["simd"] = MachineInfo.SimdDescription(),
            ["finished_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["wall_seconds_this_invocation"] = Math.Round(seconds, 3),
            ["stages"] = stages,
        };
        AtomicFile.WriteAllText(directory.PathOf("run.json"), node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}

/// <summary>Facts about the machine for run records and benchmarks.</summary>
public static class MachineInfo
{
    /// <summary>The CPU's model name (the architecture when unknown).</summary>
    public static string CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>The vector widths the runtime accelerates.</summary>
    public static string SimdDescription()
    {
        var parts = new List<string>();
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) parts.Add("Vector512");
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated) parts.Add("Vector256");
        if (System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated) parts.Add("Vector128");
        return parts.Count == 0 ? "scalar" : string.Join(", ", parts);
    }
}
