using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rsmi.IO;
using Rsmi.Progress;
using Rsmi.Renormalization;
using Rsmi.Study.Stages;

namespace Rsmi.Study;

/// <summary>One independent task of a study: stages that run in order in one process, apart from every other task.</summary>
public sealed class StudyTask
{
    /// <summary>Position in the plan (the Slurm array index).</summary>
    public required int Index { get; init; }
    /// <summary>A name that stays with the task's work (<c>ising-filters</c>, <c>flow-t3</c>, <c>dimer-filters</c>).</summary>
    public required string Key { get; init; }
    /// <summary>One line for messages.</summary>
    public required string Title { get; init; }
    /// <summary>The stages, in order.</summary>
    public required IReadOnlyList<Stage> Stages { get; init; }
    /// <summary>A fingerprint of the stages' fingerprints: it changes when a setting, an input file or rsmi's version does.</summary>
    public string Fingerprint => RunDirectory.Fingerprint(["task", Key, .. Stages.Select(s => s.Fingerprint)]);
    /// <summary>"3 (flow-t2)".</summary>
    public string Label => $"{Index} ({Key})";
}

/// <summary>What became of a task that was asked to run.</summary>
public enum TaskOutcome
{
    /// <summary>Its stages ran (those that were not complete).</summary>
    Ran,
    /// <summary>It was complete already.</summary>
    Skipped,
    /// <summary>Another process was running it; this one waited, and that one completed it.</summary>
    CompletedElsewhere,
}

/// <summary>
/// A study split into independent tasks in a run directory (docs/contract.md, "Study plans"): <c>plan.json</c> lists
/// the tasks (<see cref="StudyPlan.Tasks"/>) next to the study's <c>config.json</c>; any process, on any machine that
/// sees the directory, runs a task (<see cref="RunTask"/>), under a lock so that no two run it side by side; when every
/// task is complete, <see cref="Merge"/> assembles flow.json, the estimates, run.json and report.html. The files are
/// those of the study run in one process, number for number.
/// </summary>
public sealed class PlannedStudy
{
    /// <summary>The plan's file name in the run directory.</summary>
    public const string PlanFile = "plan.json";
    /// <summary>The plan's format name.</summary>
    public const string Format = "rsmi-study-plan";
    /// <summary>The plan's format version.</summary>
    public const int FormatVersion = 1;

    /// <summary>The run directory.</summary>
    public RunDirectory Directory { get; }
    /// <summary>The study (input paths absolute).</summary>
    public RunConfig Config { get; }
    /// <summary>The tasks, by index.</summary>
    public IReadOnlyList<StudyTask> Tasks { get; }

    private PlannedStudy(RunDirectory directory, RunConfig config, IReadOnlyList<StudyTask> tasks)
    {
        Directory = directory;
        Config = config;
        Tasks = tasks;
    }

    /// <summary>Whether <paramref name="directory"/> holds a plan.</summary>
    public static bool IsPlanned(string directory) => File.Exists(Path.Combine(directory, PlanFile));

    /// <summary>
    /// Checks <paramref name="config"/> (input files relative to <paramref name="configDirectory"/>) and writes its
    /// plan into <paramref name="directory"/>: config.json (with absolute input paths, so that tasks may run from
    /// any working directory) and plan.json. Tasks already complete with the same settings and inputs stay complete.
    /// </summary>
    public static PlannedStudy Write(RunConfig config, string? configDirectory, string directory)
    {
        var tasks = StudyPlan.Tasks(config, configDirectory);
        var resolved = Absolute(config, configDirectory);
        var dir = new RunDirectory(directory);
        AtomicFile.WriteAllText(dir.PathOf("config.json"), resolved.ToJson() + "\n");
        var list = new JsonArray();
        foreach (var t in tasks)
        {
            var stages = new JsonArray();
            foreach (var s in t.Stages)
                stages.Add(new JsonObject
                {
                    ["name"] = s.Name, ["title"] = s.Title, ["seed"] = StudyRunner.StageSeed(config.Seed, s.SeedName ?? s.Name), ["fingerprint"] = s.Fingerprint,
                });
            list.Add(new JsonObject { ["index"] = t.Index, ["key"] = t.Key, ["title"] = t.Title, ["fingerprint"] = t.Fingerprint, ["stages"] = stages });
        }
        var node = new JsonObject
        {
            ["format"] = Format,
            ["format_version"] = FormatVersion,
            ["study"] = config.Name,
            ["seed"] = config.Seed,
            ["rsmi_version"] = RsmiVersion.Current,
            ["config"] = "config.json",
            ["created_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["task_count"] = tasks.Count,
            ["tasks"] = list,
            ["merge"] = new JsonObject { ["writes"] = new JsonArray("flow/flow.json", "run.json", "report.html") },
        };
        AtomicFile.WriteAllText(dir.PathOf(PlanFile), node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return new PlannedStudy(dir, resolved, tasks);
    }

    /// <summary>
    /// Opens the plan in <paramref name="directory"/> and checks it against its config: a plan whose tasks no longer
    /// match (the config, an input file or rsmi's version changed) is refused, naming the command that writes it again.
    /// </summary>
    public static PlannedStudy Open(string directory, string option)
    {
        Require.That(System.IO.Directory.Exists(directory), $"{option}: the directory '{directory}' does not exist.");
        string planPath = Path.Combine(directory, PlanFile);
        Require.That(File.Exists(planPath), $"{option}: '{directory}' holds no {PlanFile}; write the plan with 'rsmi run --plan {directory}' first.");
        JsonNode plan;
        try { plan = JsonNode.Parse(File.ReadAllText(planPath)) ?? throw new JsonException(); }
        catch (JsonException) { throw new RsmiInputException($"{option}: '{planPath}' is not valid JSON."); }
        Require.That(plan["format"]?.GetValue<string>() == Format && plan["format_version"]?.GetValue<int>() == FormatVersion,
            $"{option}: '{planPath}' is not an rsmi study plan of format {FormatVersion}.");
        var config = RunConfig.Load(Path.Combine(directory, "config.json"));
        var tasks = StudyPlan.Tasks(config, Path.GetFullPath(directory));
        var recorded = plan["tasks"]?.AsArray() ?? [];
        bool same = recorded.Count == tasks.Count && tasks.All(t =>
            recorded[t.Index]?["key"]?.GetValue<string>() == t.Key && recorded[t.Index]?["fingerprint"]?.GetValue<string>() == t.Fingerprint);
        Require.That(same,
            $"{option}: the plan in '{directory}' no longer matches its config.json, its input files or this rsmi version; write it again with 'rsmi run --plan {directory}' (complete tasks whose settings are unchanged are kept).");
        return new PlannedStudy(new RunDirectory(directory), config, tasks);
    }

    /// <summary>A config whose input files are absolute paths.</summary>
    private static RunConfig Absolute(RunConfig config, string? configDirectory)
    {
        var copy = RunConfig.Parse(config.ToJson(), "the study's config", configDirectory);
        if (copy.IsingFilters.Input is string a) copy.IsingFilters.Input = Path.GetFullPath(RunConfig.Resolve(a, configDirectory));
        if (copy.Dimer.Input is string b) copy.Dimer.Input = Path.GetFullPath(RunConfig.Resolve(b, configDirectory));
        if (copy.Flow.Inputs is string[] c) copy.Flow.Inputs = c.Select(f => Path.GetFullPath(RunConfig.Resolve(f, configDirectory))).ToArray();
        return copy;
    }

    /// <summary>Whether every stage of <paramref name="task"/> is complete with its current settings and inputs.</summary>
    public bool IsDone(StudyTask task) => task.Stages.All(s => Directory.IsComplete(s.Name, s.Fingerprint));

    /// <summary>The tasks that are not complete, by index.</summary>
    public IReadOnlyList<StudyTask> Missing() => Tasks.Where(t => !IsDone(t)).ToList();

    /// <summary>The task of index <paramref name="index"/>, or an error naming the valid range.</summary>
    public StudyTask Task(int index, string option)
    {
        Require.That(index >= 0 && index < Tasks.Count, $"{option}: task {index} does not exist; the plan in '{Directory.Root}' has tasks 0 to {Tasks.Count - 1}.");
        return Tasks[index];
    }

    /// <summary>The lock file of a task.</summary>
    private string TaskLock(StudyTask task) => Path.Combine(Directory.Root, "tasks", task.Key + ".lock");

    /// <summary>
    /// Runs task <paramref name="index"/>: skipped when complete; while another process runs it, waits (the log says
    /// so) and then skips it; otherwise runs its stages that are not complete (each written atomically and recorded).
    /// </summary>
    public TaskOutcome RunTask(int index, IProgressReporter progress, TextWriter log, TextWriter detail, CancellationToken cancellation)
    {
        var task = Task(index, "--task");
        if (IsDone(task))
        {
            log.WriteLine($"task {task.Label}: complete, skipped");
            return TaskOutcome.Skipped;
        }
        using var held = WorkLock.Acquire(TaskLock(task), () => log.WriteLine($"task {task.Label}: another process is running this task; waiting for it"), cancellation);
        if (IsDone(task))
        {
            held.Release(complete: true);
            log.WriteLine($"task {task.Label}: {(held.Waited ? "completed by another process" : "complete")}, skipped");
            return held.Waited ? TaskOutcome.CompletedElsewhere : TaskOutcome.Skipped;
        }
        log.WriteLine($"task {task.Label}: {task.Title}, {task.Stages.Count} stage{(task.Stages.Count == 1 ? "" : "s")}");
        new StudyRunner(Config, Directory, progress, log, detail).RunStages(task.Stages, resume: true, cancellation);
        held.Release(complete: IsDone(task));
        return TaskOutcome.Ran;
    }

    /// <summary>
    /// When every task is complete: assembles the flow (flow.json, its estimates and figures) from the flow parts,
    /// writes run.json and report.html and returns the report's files; otherwise throws <see cref="RsmiInputException"/>
    /// naming the tasks that are not done.
    /// </summary>
    public IReadOnlyList<string> Merge(TextWriter log, CancellationToken cancellation)
    {
        var missing = Missing();
        if (missing.Count > 0)
            throw new RsmiInputException($"--merge: {missing.Count} of {Tasks.Count} tasks are not done: {string.Join(", ", missing.Select(t => t.Label))}; " +
                                         $"run them with 'rsmi run --task I {Directory.Root}', 'rsmi run --slurm {Directory.Root}' or 'rsmi run --resume {Directory.Root}'.");
        using var held = WorkLock.Acquire(Path.Combine(Directory.Root, "tasks", "merge.lock"), () => log.WriteLine("another process is merging this study; waiting for it"), cancellation);
        var clock = Stopwatch.StartNew();
        var stages = StudyPlan.Build(Config, Directory.Root);
        if (Config.Flow.Enabled)
        {
            var (settings, inputsFingerprint, _, _) = StudyPlan.FlowOf(Config.Flow, Directory.Root);
            int count = settings.Temperatures.Count;
            var flows = Enumerable.Range(0, count).Select(r => TemperatureFlowFile.Read(Directory.PathOf(StudyPlan.FlowPart(r)))).ToList();
            ulong seed = StudyRunner.StageSeed(Config.Seed, "flow");
            var lattice = settings.McrgSize is null ? null : TemperatureFlowFile.ReadLattice(Directory.PathOf(StudyPlan.FlowMcrgPart));
            var result = RgFlow.Assemble(flows, settings.CreateRule(), settings.Options(seed), lattice);
            double seconds = Enumerable.Range(0, count).Sum(r => Directory.StageSeconds(StudyPlan.FlowPartStage(r)))
                + (lattice is null ? 0 : Directory.StageSeconds(StudyPlan.FlowMcrgStage));
            string flowDir = Path.GetDirectoryName(Directory.PathOf(StudyPlan.FlowDirectory + "/flow.json"))!;
            var outcome = FlowStage.Write(settings, result, seconds, flowDir, StudyPlan.CommandLine, Config.Output.Svg);
            var outputs = new[] { outcome.FlowJson }.Concat(outcome.Figures).Select(f => Path.GetRelativePath(Directory.Root, f).Replace('\\', '/'));
            Directory.MarkComplete("flow", StudyPlan.FlowFingerprint(settings, inputsFingerprint), outputs, seconds);
            log.WriteLine($"merge: flow.json from {count} flows, T_c = {result.Estimates.CriticalTemperature.Format("G6", "G2")}");
        }
        // The hidden temporary files that a task killed while writing left behind (every task is complete, so none is being written).
        foreach (var stale in System.IO.Directory.EnumerateFiles(Directory.Root, ".*.tmp*", SearchOption.AllDirectories).ToList())
            File.Delete(stale);
        var record = Tasks.SelectMany(t => t.Stages).Select(s => (s.Name, $"task {Tasks.First(t => t.Stages.Contains(s)).Label}", Directory.StageSeconds(s.Name),
            StudyRunner.StageSeed(Config.Seed, s.SeedName ?? s.Name)));
        StudyRunner.WriteRunRecord(Directory, Config, record, clock.Elapsed.TotalSeconds);
        var written = StudyReport.Write(Directory, Config, stages);
        held.Release(complete: true);
        return written;
    }
}
