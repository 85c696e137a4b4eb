using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Rsmi.Study;

namespace Rsmi.Cli.Run;

/// <summary>
/// <c>rsmi run --jobs N</c>: the missing tasks of a plan in at most N processes at a time. Each process
/// (<c>rsmi run --task - DIR</c>) runs task after task as this one hands them out, so the runtime starts and compiles
/// its code N times rather than once per task; task I writes its output to <c>DIR/logs/task-I.log</c>, a process's own
/// messages go to <c>DIR/logs/jobs-K.log</c>.
/// </summary>
internal static class LocalJobs
{
    private sealed class Worker(int number, Process process, StreamWriter log)
    {
        public int Number { get; } = number;
        public Process Process { get; } = process;
        public StreamWriter Log { get; } = log;
        public StudyTask? Current { get; set; }
        public Stopwatch Clock { get; } = new();
        public bool Exited { get; set; }
    }

    /// <summary>Runs the missing tasks; returns 0 when every one succeeded, otherwise the exit code to give (the failures named on <paramref name="err"/>).</summary>
    public static int Run(PlannedStudy study, int jobs, TextWriter err, CancellationToken cancellation)
    {
        var queue = new Queue<StudyTask>(study.Missing());
        int total = queue.Count, finished = 0;
        string root = study.Directory.Root;
        int processes = Math.Min(jobs, Math.Max(total, 1));
        err.WriteLine($"rsmi run: study '{study.Config.Name}' in {root}: {total} of {study.Tasks.Count} tasks to run in {processes} process{(processes == 1 ? "" : "es")}");
        var workers = new List<Worker>();
        var events = new BlockingCollection<(Worker Worker, string? Line)>();
        var failed = new List<(StudyTask Task, int Code)>();
        var (program, prefix) = SelfInvocation.Get();
        Directory.CreateDirectory(Path.Combine(root, "logs"));

        Worker StartWorker()
        {
            var psi = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in prefix.Concat(["run", "--task", "-", root])) psi.ArgumentList.Add(a);
            int number = workers.Count;
            var log = new StreamWriter(Path.Combine(root, "logs", $"jobs-{number}.log"), append: true) { AutoFlush = true };
            var p = new Process { StartInfo = psi };
            var w = new Worker(number, p, log);
            p.OutputDataReceived += (_, e) => events.Add((w, e.Data));
            p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
            p.Start();
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            workers.Add(w);
            return w;
        }

        void Assign(Worker w)
        {
            if (queue.Count == 0 || cancellation.IsCancellationRequested)
            {
                w.Process.StandardInput.Close();
                return;
            }
            var task = queue.Dequeue();
            w.Current = task;
            w.Clock.Restart();
            err.WriteLine($"  task {task.Label}: started ({task.Title})");
            // A process that has died meanwhile cannot take it: its end (below) fails the task with its exit code.
            try
            {
                w.Process.StandardInput.WriteLine(task.Index.ToString(CultureInfo.InvariantCulture));
                w.Process.StandardInput.Flush();
            }
            catch (IOException) { }
        }

        void Finish(Worker w, int code, bool processEnded = false)
        {
            var task = w.Current!;
            w.Current = null;
            finished++;
            if (code == CliApp.Success) err.WriteLine($"  task {task.Label}: done in {w.Clock.Elapsed.TotalSeconds:0.0} s ({finished}/{total})");
            else
            {
                failed.Add((task, code));
                // A process that ended without reporting the task may not have reached its log: its own messages say why.
                string log = processEnded ? $"{Path.Combine(root, "logs", $"task-{task.Index}.log")} and {Path.Combine(root, "logs", $"jobs-{w.Number}.log")}"
                    : Path.Combine(root, "logs", $"task-{task.Index}.log");
                err.WriteLine($"  task {task.Label}: failed with exit code {code}; see {log}");
            }
        }

        try
        {
            for (int k = 0; k < Math.Min(jobs, total); k++) Assign(StartWorker());
            while (workers.Any(w => !w.Exited))
            {
                if (!events.TryTake(out var ev, 100))
                {
                    // Interrupted: hand out nothing more; the running tasks stop at their next safe point (Ctrl-C reaches every process).
                    if (cancellation.IsCancellationRequested)
                        foreach (var idle in workers.Where(w => !w.Exited && w.Current is null)) { try { idle.Process.StandardInput.Close(); } catch (IOException) { } }
                    continue;
                }
                var (worker, line) = ev;
                if (line is null)
                {
                    // The process ended: a task it still held failed with its exit code; another process takes the queue.
                    worker.Process.WaitForExit();
                    worker.Exited = true;
                    if (worker.Current is not null) Finish(worker, worker.Process.ExitCode is 0 ? CliApp.InternalError : worker.Process.ExitCode, processEnded: true);
                    if (queue.Count > 0 && !cancellation.IsCancellationRequested && workers.Count(w => !w.Exited) < jobs) Assign(StartWorker());
                    continue;
                }
                var parts = line.Split(' ');
                if (parts.Length == 3 && parts[0] == "task" && worker.Current is not null
                    && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index == worker.Current.Index
                    && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int code))
                {
                    Finish(worker, code);
                    if (code == CliApp.Interrupted) { try { worker.Process.StandardInput.Close(); } catch (IOException) { } }
                    else Assign(worker);
                }
                else lock (worker.Log) worker.Log.WriteLine(line);
            }
        }
        finally
        {
            foreach (var w in workers)
            {
                if (!w.Exited) { try { w.Process.StandardInput.Close(); } catch (IOException) { } }
                w.Process.WaitForExit();
                w.Process.Dispose();
                lock (w.Log) w.Log.Dispose();
            }
        }
        if (cancellation.IsCancellationRequested)
        {
            var failures = failed.Where(f => f.Code != CliApp.Interrupted).ToList();
            if (failures.Count > 0) err.WriteLine($"rsmi run: {failures.Count} task{(failures.Count == 1 ? "" : "s")} failed before the interruption: {string.Join(", ", failures.Select(f => f.Task.Label))}.");
            err.WriteLine($"rsmi run: interrupted; completed tasks are kept. Continue with: rsmi run --jobs {jobs} --resume {root}");
            return CliApp.Interrupted;
        }
        if (failed.Count == 0) return CliApp.Success;
        err.WriteLine($"rsmi run: {failed.Count} task{(failed.Count == 1 ? "" : "s")} failed: {string.Join(", ", failed.Select(f => f.Task.Label))}; the others are kept. Continue with: rsmi run --jobs {jobs} --resume {root}");
        return failed.Any(f => f.Code == CliApp.Interrupted) ? CliApp.Interrupted : failed.Any(f => f.Code == CliApp.BadInput) ? CliApp.BadInput : CliApp.InternalError;
    }
}
