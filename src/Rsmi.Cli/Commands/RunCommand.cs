using System.CommandLine;
using Rsmi.Cli.Run;
using Rsmi.Study;
using Spectre.Console;

namespace Rsmi.Cli.Commands;

/// <summary>
/// <c>rsmi run [--config FILE | --preset default|paper|accuracy|potts|ising3d] [--out DIR] [--jobs N]</c> and <c>rsmi run --resume DIR</c>: the
/// whole study (sample, learn, coarse-grain, flow, report) in one command. A study also runs as independent tasks
/// (docs/contract.md, "Study plans"): <c>--plan DIR</c> writes them, <c>--task [I] DIR</c> runs one, <c>--merge DIR</c>
/// assembles the results, <c>--slurm DIR</c> submits the missing ones as a Slurm job array, and <c>--jobs N</c> runs
/// them in N local processes.
/// </summary>
internal sealed class RunCommandFactory : ICommandFactory
{
    public int Order => 0;

    public Command Create()
    {
        var config = new Option<string>("--config") { Description = "A study configuration (JSON; see docs/run-config.md). Default: the embedded default study." };
        var preset = new Option<string>("--preset") { Description = "A built-in study: default (about two minutes), paper (128x128, four RG steps), accuracy (the flow near T_c with two-lattice matching and every rule on the same samples) potts (the q = 3 and q = 4 Potts flows with a learned and the plurality rule) or ising3d (the 3D Ising flow on 64^3, three steps, with the InfoNCE rule and majority)." };
        var output = new Option<string>("--out") { Description = "Run directory (default: rsmi-run-YYYYMMDD-HHMMSS in the current directory)." };
        var resume = new Option<string>("--resume") { Description = "Continue the run in this directory, skipping the stages whose outputs are complete and valid." };
        var plan = new Option<string>("--plan") { Description = "Write the study's independent tasks to DIR/plan.json (with --config or --preset) and run nothing." };
        var task = new Option<string[]>("--task")
        {
            Description = "Run one task of a plan: --task I DIR (I defaults to SLURM_ARRAY_TASK_ID: --task DIR); --task - DIR runs the tasks whose indices arrive on standard input, one per line (the processes of --jobs).",
            Arity = new ArgumentArity(1, 2), AllowMultipleArgumentsPerToken = true,
        };
        var merge = new Option<string>("--merge") { Description = "Assemble flow.json, the estimates and report.html of a plan whose tasks are all done." };
        var slurm = new Option<string>("--slurm") { Description = "Submit the plan's missing tasks as a Slurm job array and the merge after them (the scripts stay in DIR)." };
        var partition = new Option<string>("--partition") { Description = "With --slurm: the Slurm partition." };
        var time = new Option<string>("--time") { Description = "With --slurm: the time limit of every task (Slurm's format, e.g. 2:00:00)." };
        var maxParallel = new Option<int?>("--max-parallel") { Description = "With --slurm: at most this many tasks at once (--array=...%M)." };
        var jobs = new Option<int?>("--jobs") { Description = "Run the study's tasks in N processes on this machine, then merge (the same files as one process)." };
        var command = new Command("run", "Run a whole study: sample, learn filters, follow the RG flow, and write report.html with the figures.");
        foreach (var o in new Option[] { config, preset, output, resume, plan, task, merge, slurm, partition, time, maxParallel, jobs }) command.Options.Add(o);
        command.SetAction(parse => Execute(new RunRequest(parse.GetValue(config), parse.GetValue(preset), parse.GetValue(output), parse.GetValue(resume),
            parse.GetValue(plan), parse.GetValue(task) is { Length: > 0 } t ? t : null, parse.GetValue(merge), parse.GetValue(slurm), parse.GetValue(partition), parse.GetValue(time),
            parse.GetValue(maxParallel), parse.GetValue(jobs))));
        return command;
    }

    private sealed record RunRequest(string? Config, string? Preset, string? Out, string? Resume, string? Plan, string[]? Task, string? Merge, string? Slurm,
        string? Partition, string? Time, int? MaxParallel, int? Jobs);

    private static int Execute(RunRequest r)
    {
        var modes = new (string Name, bool Given)[] { ("--resume", r.Resume is not null), ("--plan", r.Plan is not null), ("--task", r.Task is not null), ("--merge", r.Merge is not null), ("--slurm", r.Slurm is not null) }
            .Where(m => m.Given).Select(m => m.Name).ToList();
        Require.That(modes.Count <= 1, $"{string.Join(" and ", modes)} are alternatives; give one of them.");
        string? mode = modes.FirstOrDefault();
        Require.That(mode == "--slurm" || (r.Partition is null && r.Time is null && r.MaxParallel is null), "--partition, --time and --max-parallel go with --slurm.");
        Require.That(r.Jobs is null || mode is null or "--resume", "--jobs runs a study in local processes; combine it with --config, --preset, --out or --resume only.");
        Require.That(r.Jobs is null || r.Jobs >= 1, $"--jobs must be at least 1, got {r.Jobs}.");
        Require.That(mode is null or "--plan" or "--slurm" || (r.Config is null && r.Preset is null && r.Out is null),
            $"{mode} takes the run directory's own config; do not combine it with --config, --preset or --out.");
        Require.That(mode is not ("--plan" or "--slurm") || r.Out is null, $"{mode} names the run directory itself; do not combine it with --out.");
        switch (mode)
        {
            case "--plan": return PlanCommand(r.Plan!, r.Config, r.Preset);
            case "--task": return TaskCommand(r.Task!);
            case "--merge": return MergeCommand(r.Merge!);
            case "--slurm": return SlurmCommand(r);
        }
        if (r.Jobs is int n) return JobsCommand(r, n);
        if (r.Resume is not null && PlannedStudy.IsPlanned(r.Resume)) return ResumePlanned(r.Resume);
        return Execute(r.Config, r.Preset, r.Out, r.Resume);
    }

    /// <summary>The config of --config or --preset (the default preset when neither) and the directory its relative paths start from.</summary>
    private static (RunConfig Config, string? Directory) ConfigOf(string? configPath, string? preset)
    {
        Require.That(configPath is null || preset is null, "--config and --preset are alternatives; give one of them.");
        if (configPath is not null) return (RunConfig.Load(configPath), Path.GetDirectoryName(Path.GetFullPath(configPath)));
        return (RunPresets.Get(preset ?? "default"), null);
    }

    /// <summary>Writes the plan of --config/--preset into <paramref name="dir"/>; without either, a directory that holds a plan is planned again from its own config.json.</summary>
    private static PlannedStudy WritePlan(string dir, string? configPath, string? preset, string option)
    {
        if (configPath is null && preset is null && File.Exists(Path.Combine(dir, "config.json")))
            return PlannedStudy.Write(RunConfig.Load(Path.Combine(dir, "config.json")), Path.GetFullPath(dir), dir);
        var (config, configDirectory) = ConfigOf(configPath, preset);
        Require.That(!File.Exists(Path.Combine(dir, "config.json")) || PlannedStudy.IsPlanned(dir),
            $"{option}: '{dir}' already holds a run of one process; continue it with 'rsmi run --resume {dir}' or choose another directory.");
        return PlannedStudy.Write(config, configDirectory, dir);
    }

    private static int PlanCommand(string dir, string? configPath, string? preset)
    {
        var io = CommandOutput.Get();
        var study = WritePlan(dir, configPath, preset, "--plan");
        var missing = study.Missing();
        foreach (var t in study.Tasks)
            io.Err.WriteLine($"  task {t.Label}: {t.Title}{(missing.Contains(t) ? "" : " (complete)")}");
        io.Err.WriteLine($"rsmi run: {study.Tasks.Count} tasks, {missing.Count} to run; run one with 'rsmi run --task I {dir}', all with 'rsmi run --jobs N --resume {dir}' or 'rsmi run --slurm {dir}', then 'rsmi run --merge {dir}'.");
        io.Out.WriteLine(Path.Combine(study.Directory.Root, PlannedStudy.PlanFile));
        return CliApp.Success;
    }

    private static int TaskCommand(string[] values)
    {
        var io = CommandOutput.Get();
        string dir = values[^1];
        if (values.Length == 2 && values[0] == "-") return WorkerCommand(dir);
        int index;
        string text = values.Length == 2 ? values[0] : Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID")
            ?? throw new RsmiInputException("--task: give the task's index (--task I DIR), or run it as a Slurm array task, which sets SLURM_ARRAY_TASK_ID.");
        Require.That(int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index),
            $"--task: the task index must be a non-negative integer, got '{text}'.");
        var study = PlannedStudy.Open(dir, "--task");
        study.Task(index, "--task");
        using var cts = Interruption.Listen(() => io.Err.WriteLine("rsmi: stopping at the next safe point (press Ctrl-C again to abort at once)…"));
        return RunOneTask(study, index, dir, io.Err, cts.Token);
    }

    /// <summary>
    /// Runs task <paramref name="index"/> with its progress and outcome on <paramref name="log"/>: 0 when it is done (or
    /// was complete), <see cref="CliApp.Interrupted"/> when it was interrupted (its completed stages are kept).
    /// </summary>
    private static int RunOneTask(PlannedStudy study, int index, string dir, TextWriter log, CancellationToken cancellation)
    {
        try
        {
            using var progress = new ConsoleProgress(log, interactive: false);
            var outcome = study.RunTask(index, progress, log, log, cancellation);
            log.WriteLine($"rsmi run: task {study.Tasks[index].Label} {outcome switch { TaskOutcome.Ran => "done", TaskOutcome.Skipped => "was complete", _ => "was completed by another process" }}.");
            return CliApp.Success;
        }
        catch (Exception e) when (CliApp.Unwrap(e) is OperationCanceledException)
        {
            log.WriteLine($"rsmi run: task {study.Tasks[index].Label} interrupted; its completed stages are kept. Run it again with: rsmi run --task {index} {dir}");
            return CliApp.Interrupted;
        }
    }

    /// <summary>
    /// <c>rsmi run --task - DIR</c>: one process that runs task after task, as their indices arrive on standard input (one
    /// per line), so that <c>--jobs N</c> starts N processes rather than one per task. Task I writes its progress to
    /// <c>DIR/logs/task-I.log</c>; when it ends, the line <c>task I CODE</c> (CODE the exit code <c>--task I DIR</c> would
    /// give) goes to standard output, which carries nothing else (whatever a task writes to the console goes to its log).
    /// The process ends at the end of its input (exit code 0), or after a task that was interrupted (exit code 130).
    /// </summary>
    private static int WorkerCommand(string dir)
    {
        var io = CommandOutput.Get();
        var study = PlannedStudy.Open(dir, "--task -");
        Directory.CreateDirectory(Path.Combine(study.Directory.Root, "logs"));
        using var cts = Interruption.Listen(() => io.Err.WriteLine("rsmi: stopping at the next safe point (press Ctrl-C again to abort at once)…"));
        var protocol = io.Out;
        var console = Console.Out;
        string? line;
        while ((line = Console.In.ReadLine()) is not null)
        {
            if (line.Trim().Length == 0) continue;
            Require.That(int.TryParse(line.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index),
                $"--task -: the task index must be a non-negative integer, got '{line.Trim()}'.");
            study.Task(index, "--task -");
            int code;
            using (var log = new StreamWriter(Path.Combine(study.Directory.Root, "logs", $"task-{index}.log"), append: true) { AutoFlush = true })
            {
                Console.SetOut(log);
                try { code = RunOneTask(study, index, dir, log, cts.Token); }
                catch (Exception e) { code = CliApp.Report(e, log); }
                finally { Console.SetOut(console); }
            }
            protocol.WriteLine($"task {index} {code}");
            protocol.Flush();
            if (code == CliApp.Interrupted) return CliApp.Interrupted;
        }
        return CliApp.Success;
    }

    private static int MergeCommand(string dir)
    {
        var io = CommandOutput.Get();
        var study = PlannedStudy.Open(dir, "--merge");
        var written = study.Merge(io.Err, io.Cancellation);
        io.Out.WriteLine($"Report: {Path.Combine(study.Directory.Root, "report.html")}");
        io.Err.WriteLine($"rsmi run: merged {study.Tasks.Count} tasks; {written.Count} report files written.");
        return CliApp.Success;
    }

    private static int SlurmCommand(RunRequest r)
    {
        string dir = r.Slurm!;
        var study = r.Config is not null || r.Preset is not null || !PlannedStudy.IsPlanned(dir)
            ? WritePlan(dir, r.Config, r.Preset, "--slurm")
            : PlannedStudy.Open(dir, "--slurm");
        return SlurmSubmission.Submit(study, r.Partition, r.Time, r.MaxParallel, CommandOutput.Get());
    }

    private static int JobsCommand(RunRequest r, int jobs)
    {
        var io = CommandOutput.Get();
        PlannedStudy study;
        if (r.Resume is not null)
        {
            Require.That(Directory.Exists(r.Resume), $"--resume: the directory '{r.Resume}' does not exist.");
            Require.That(PlannedStudy.IsPlanned(r.Resume), $"--jobs: '{r.Resume}' holds a run of one process, not a plan; continue it with 'rsmi run --resume {r.Resume}'.");
            study = PlannedStudy.Open(r.Resume, "--resume");
        }
        else
        {
            string dir = r.Out ?? $"rsmi-run-{DateTime.Now:yyyyMMdd-HHmmss}";
            Require.That(!Directory.Exists(Path.Combine(dir, "stages")) || !Directory.EnumerateFiles(Path.Combine(dir, "stages")).Any(),
                $"--out: '{dir}' already holds a run; continue it with 'rsmi run --jobs {jobs} --resume {dir}' or choose another directory.");
            study = WritePlan(dir, r.Config, r.Preset, "--out");
        }
        using var cts = Interruption.Listen(() => io.Err.WriteLine("rsmi: stopping the tasks at their next safe point…"));
        int code = LocalJobs.Run(study, jobs, io.Err, cts.Token);
        if (code != CliApp.Success) return code;
        return MergeCommand(study.Directory.Root);
    }

    /// <summary><c>--resume</c> of a planned directory: its missing tasks one after another in this process, then the merge.</summary>
    private static int ResumePlanned(string dir)
    {
        var io = CommandOutput.Get();
        var study = PlannedStudy.Open(dir, "--resume");
        using var cts = Interruption.Listen(() => io.Err.WriteLine("rsmi: stopping at the next safe point (press Ctrl-C again to abort at once)…"));
        try
        {
            using var progress = new ConsoleProgress(io.Err, interactive: false);
            foreach (var t in study.Tasks) study.RunTask(t.Index, progress, io.Err, io.Err, cts.Token);
        }
        catch (OperationCanceledException)
        {
            io.Err.WriteLine($"rsmi run: interrupted; completed stages are kept. Continue with: rsmi run --resume {dir}");
            return CliApp.Interrupted;
        }
        return MergeCommand(dir);
    }

    private static int Execute(string? configPath, string? preset, string? outDir, string? resumeDir)
    {
        var io = CommandOutput.Get();
        RunConfig config;
        string? configDirectory = null;
        string dir;
        bool resume = resumeDir is not null;
        if (resume)
        {
            Require.That(configPath is null && preset is null && outDir is null, "--resume takes the run directory's own config; do not combine it with --config, --preset or --out.");
            string stored = Path.Combine(resumeDir!, "config.json");
            Require.That(Directory.Exists(resumeDir!), $"--resume: the directory '{resumeDir}' does not exist.");
            Require.That(File.Exists(stored), $"--resume: '{resumeDir}' holds no config.json, so it is not an rsmi run directory.");
            config = RunConfig.Load(stored);
            dir = resumeDir!;
        }
        else
        {
            Require.That(configPath is null || preset is null, "--config and --preset are alternatives; give one of them.");
            if (configPath is not null)
            {
                config = RunConfig.Load(configPath);
                configDirectory = Path.GetDirectoryName(Path.GetFullPath(configPath));
            }
            else config = RunPresets.Get(preset ?? "default");
            dir = outDir ?? $"rsmi-run-{DateTime.Now:yyyyMMdd-HHmmss}";
            Require.That(!Directory.Exists(Path.Combine(dir, "stages")) || !Directory.EnumerateFiles(Path.Combine(dir, "stages")).Any(),
                $"--out: '{dir}' already holds a run; continue it with 'rsmi run --resume {dir}' or choose another directory.");
        }

        // Everything is checked before any long work starts.
        var stages = StudyPlan.Build(config, configDirectory);

        using var cts = Interruption.Listen(() => io.Err.WriteLine("rsmi: stopping at the next safe point (press Ctrl-C again to abort at once)…"));
        try
        {
            var directory = new RunDirectory(dir);
            using var runLog = new StreamWriter(directory.PathOf("run.log"), append: true) { AutoFlush = true };
            runLog.WriteLine($"# rsmi {RsmiVersion.Current} run {(resume ? "--resume" : "")} at {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}");
            string header = $"rsmi run: study '{config.Name}' in {directory.Root} ({stages.Count} stages{(resume ? ", resuming" : "")})";
            bool live = ReferenceEquals(io.Err, Console.Error) && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null;
            if (live)
            {
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
                console.MarkupLine(Markup.Escape(header));
                runLog.WriteLine(header);
                console.Progress()
                    .HideCompleted(true)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .Start(ctx =>
                    {
                        var display = new SpectreProgress(ctx);
                        new StudyRunner(config, directory, display, new ConsoleLineWriter(console, runLog), runLog, display.FinishStage).Run(stages, resume, cts.Token);
                    });
            }
            else
            {
                var log = new TeeWriter(io.Err, runLog);
                log.WriteLine(header);
                using var progress = new ConsoleProgress(log, interactive: false);
                new StudyRunner(config, directory, progress, log, log).Run(stages, resume, cts.Token);
            }
            var written = StudyReport.Write(directory, config, stages);
            io.Out.WriteLine($"Report: {Path.Combine(directory.Root, "report.html")}");
            io.Err.WriteLine($"rsmi run: done; {written.Count} report files written.");
            return CliApp.Success;
        }
        catch (OperationCanceledException)
        {
            io.Err.WriteLine($"rsmi run: interrupted; completed stages are kept. Continue with: rsmi run --resume {dir}");
            return CliApp.Interrupted;
        }
    }
}
