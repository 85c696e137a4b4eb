using System.Diagnostics;
using Rsmi.Study;

namespace Rsmi.Cli.Run;

/// <summary>
/// <c>rsmi run --jobs N</c>: the missing tasks of a plan, each in its own process (<c>rsmi run --task I DIR</c>), at
/// most N at a time; every task's output goes to <c>DIR/logs/task-I.log</c>.
/// </summary>
internal static class LocalJobs
{
    /// <summary>Runs the missing tasks; returns 0 when every one succeeded, otherwise the exit code to give (the failures named on <paramref name="err"/>).</summary>
    public static int Run(PlannedStudy study, int jobs, TextWriter err, CancellationToken cancellation)
    {
        var queue = new Queue<StudyTask>(study.Missing());
        int total = queue.Count, finished = 0;
        string root = study.Directory.Root;
        err.WriteLine($"rsmi run: study '{study.Config.Name}' in {root}: {total} of {study.Tasks.Count} tasks to run in {Math.Min(jobs, Math.Max(total, 1))} process{(jobs == 1 ? "" : "es")}");
        var running = new List<(StudyTask Task, Process Process, StreamWriter Log, Stopwatch Clock)>();
        var failed = new List<(StudyTask Task, int Code)>();
        var (program, prefix) = SelfInvocation.Get();
        Directory.CreateDirectory(Path.Combine(root, "logs"));
        try
        {
            while (queue.Count > 0 || running.Count > 0)
            {
                while (running.Count < jobs && queue.Count > 0 && !cancellation.IsCancellationRequested)
                {
                    var task = queue.Dequeue();
                    var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                    foreach (var a in prefix.Concat(["run", "--task", task.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), root])) psi.ArgumentList.Add(a);
                    var log = new StreamWriter(Path.Combine(root, "logs", $"task-{task.Index}.log"), append: true) { AutoFlush = true };
                    var p = new Process { StartInfo = psi };
                    p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
                    p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
                    p.Start();
                    p.BeginOutputReadLine();
                    p.BeginErrorReadLine();
                    running.Add((task, p, log, Stopwatch.StartNew()));
                    err.WriteLine($"  task {task.Label}: started ({task.Title})");
                }
                if (cancellation.IsCancellationRequested && running.Count == 0) break;
                foreach (var r in running.Where(r => r.Process.WaitForExit(0)).ToList())
                {
                    r.Process.WaitForExit();
                    int code = r.Process.ExitCode;
                    r.Process.Dispose();
                    lock (r.Log) r.Log.Dispose();
                    running.Remove(r);
                    finished++;
                    if (code == CliApp.Success) err.WriteLine($"  task {r.Task.Label}: done in {r.Clock.Elapsed.TotalSeconds:0.0} s ({finished}/{total})");
                    else
                    {
                        failed.Add((r.Task, code));
                        err.WriteLine($"  task {r.Task.Label}: failed with exit code {code}; see {Path.Combine(root, "logs", $"task-{r.Task.Index}.log")}");
                    }
                }
                if (running.Count > 0) Thread.Sleep(100);
            }
        }
        finally
        {
            foreach (var r in running)
            {
                r.Process.WaitForExit();
                r.Process.Dispose();
                lock (r.Log) r.Log.Dispose();
            }
        }
        if (cancellation.IsCancellationRequested)
        {
            err.WriteLine($"rsmi run: interrupted; completed tasks are kept. Continue with: rsmi run --jobs {jobs} --resume {root}");
            return CliApp.Interrupted;
        }
        if (failed.Count == 0) return CliApp.Success;
        err.WriteLine($"rsmi run: {failed.Count} task{(failed.Count == 1 ? "" : "s")} failed: {string.Join(", ", failed.Select(f => f.Task.Label))}; the others are kept. Continue with: rsmi run --jobs {jobs} --resume {root}");
        return failed.Any(f => f.Code == CliApp.Interrupted) ? CliApp.Interrupted : failed.Any(f => f.Code == CliApp.BadInput) ? CliApp.BadInput : CliApp.InternalError;
    }
}
