using System.CommandLine;
using Rsmi.Cli.Run;
using Rsmi.Study;
using Spectre.Console;

namespace Rsmi.Cli.Commands;

/// <summary>
/// <c>rsmi run [--config FILE | --preset default|paper|accuracy] [--out DIR]</c> and <c>rsmi run --resume DIR</c>: the whole
/// study (sample, learn, coarse-grain, flow, report) in one command.
/// </summary>
internal sealed class RunCommandFactory : ICommandFactory
{
    public int Order => 0;

    public Command Create()
    {
        var config = new Option<string>("--config") { Description = "A study configuration (JSON; see docs/run-config.md). Default: the embedded default study." };
        var preset = new Option<string>("--preset") { Description = "A built-in study: default (about two minutes), paper (128x128, four RG steps) or accuracy (the flow near T_c with two-lattice matching and every rule on the same samples)." };
        var output = new Option<string>("--out") { Description = "Run directory (default: rsmi-run-YYYYMMDD-HHMMSS in the current directory)." };
        var resume = new Option<string>("--resume") { Description = "Continue the run in this directory, skipping the stages whose outputs are complete and valid." };
        var command = new Command("run", "Run a whole study: sample, learn filters, follow the RG flow, and write report.html with the figures.");
        foreach (var o in new Option[] { config, preset, output, resume }) command.Options.Add(o);
        command.SetAction(parse => Execute(parse.GetValue(config), parse.GetValue(preset), parse.GetValue(output), parse.GetValue(resume)));
        return command;
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
