using System.Diagnostics;
using System.Text.Json.Nodes;
using Rsmi.Study;
using static Rsmi.Tests.Study.StudyFiles;

namespace Rsmi.Tests.Study;

/// <summary>
/// A study run as independent tasks (<c>rsmi run --plan/--task/--merge/--jobs</c>) gives the files of the study run in
/// one process; a task killed half-way leaves no half-written file and is run again alone; no two processes run one
/// task or one stage side by side.
/// </summary>
public class StudyTaskTests(SmallStudyRun study) : IClassFixture<SmallStudyRun>
{
    [Fact]
    public void TasksRunApartInAnyOrderAndAsLocalJobsGiveTheFilesOfOneProcess()
    {
        string root = NewDir("equivalence");
        string cfg = WriteConfig(root, SmallConfig);
        string whole = study.Whole, tasks = Path.Combine(root, "tasks"), jobs = Path.Combine(root, "jobs");

        // The plan: one task per filters study and one per starting temperature, each stage with the seed it has in one process.
        var plan = RunRsmi("run", "--plan", tasks, "--config", cfg);
        Assert.True(plan.Code == 0, plan.Err);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(tasks, "plan.json")))!;
        Assert.Equal("rsmi-study-plan", manifest["format"]!.GetValue<string>());
        var keys = manifest["tasks"]!.AsArray().Select(t => t!["key"]!.GetValue<string>()).ToArray();
        Assert.Equal(new[] { "ising-filters", "flow-t0", "flow-t1", "flow-t2", "dimer-filters" }, keys);
        var record = JsonNode.Parse(File.ReadAllText(Path.Combine(whole, "run.json")))!["stages"]!.AsArray();
        ulong Seed(JsonNode stages, string name) => stages.AsArray().Single(s => s!["name"]?.GetValue<string>() == name || s!["stage"]?.GetValue<string>() == name)!["seed"]!.GetValue<ulong>();
        Assert.Equal(Seed(record, "ising-filters-nh2"), Seed(manifest["tasks"]![0]!["stages"]!, "ising-filters-nh2"));
        foreach (int t in new[] { 1, 2, 3 }) Assert.Equal(Seed(record, "flow"), manifest["tasks"]![t]!["stages"]![0]!["seed"]!.GetValue<ulong>());

        // Merging before the tasks are done names the missing ones.
        Assert.True(RunRsmi("run", "--task", "2", tasks).Code == 0);
        var early = RunRsmi("run", "--merge", tasks);
        Assert.Equal(2, early.Code);
        Assert.Contains("4 of 5 tasks are not done: 0 (ising-filters), 1 (flow-t0), 3 (flow-t2), 4 (dimer-filters)", early.Err);
        Assert.Single(early.Err.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(tasks, "report.html")));

        // The others in reverse order; a task run again is skipped.
        foreach (int i in new[] { 4, 3, 1, 0 })
        {
            var t = RunRsmi("run", "--task", i.ToString(), tasks);
            Assert.True(t.Code == 0, t.Err);
        }
        var again = RunRsmi("run", "--task", "1", tasks);
        Assert.Contains("task 1 (flow-t0): complete, skipped", again.Err);
        var merged = RunRsmi("run", "--merge", tasks);
        Assert.True(merged.Code == 0, merged.Err);
        AssertSameOutputs(whole, tasks);

        // The same tasks in two local processes.
        var local = RunRsmi("run", "--jobs", "2", "--config", cfg, "--out", jobs);
        Assert.True(local.Code == 0, local.Err);
        Assert.Contains("5 of 5 tasks to run in 2 processes", local.Err);
        AssertSameOutputs(whole, jobs);
        // Two processes ran the five tasks, one after another in each, every task logging to its own file.
        Assert.Equal(new[] { "jobs-0.log", "jobs-1.log" }, Directory.GetFiles(Path.Combine(jobs, "logs"), "jobs-*.log").Select(Path.GetFileName).Order().ToArray());
        for (int i = 0; i < 5; i++)
            Assert.Contains($"rsmi run: task {i} ({keys[i]}) done.", File.ReadAllText(Path.Combine(jobs, "logs", $"task-{i}.log")));
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void AJobsProcessRunsTheTasksItIsHandedAndReportsEachExitCode()
    {
        string root = NewDir("worker");
        string cfg = WriteConfig(root, SmallConfig);
        string tasks = Path.Combine(root, "tasks");
        Assert.Equal(0, RunRsmi("run", "--plan", tasks, "--config", cfg).Code);
        Assert.Equal(0, RunRsmi("run", "--task", "2", tasks).Code);

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "rsmi.dll"), "run", "--task", "-", tasks }) psi.ArgumentList.Add(a);
        psi.Environment["CI"] = "true";
        using var p = Process.Start(psi)!;
        p.StandardInput.WriteLine("1");
        p.StandardInput.Flush();
        Assert.Equal("task 1 0", p.StandardOutput.ReadLine());
        p.StandardInput.WriteLine("2");
        p.StandardInput.Flush();
        Assert.Equal("task 2 0", p.StandardOutput.ReadLine());
        p.StandardInput.Close();
        Assert.Null(p.StandardOutput.ReadLine());
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        Assert.Contains("rsmi run: task 1 (flow-t0) done.", File.ReadAllText(Path.Combine(tasks, "logs", "task-1.log")));
        Assert.Contains("task 2 (flow-t1): complete, skipped", File.ReadAllText(Path.Combine(tasks, "logs", "task-2.log")));

        // A task index the plan does not have: exit code 2 and one sentence, as for --task I DIR.
        psi.RedirectStandardInput = true;
        using var q = Process.Start(psi)!;
        q.StandardInput.WriteLine("17");
        q.StandardInput.Close();
        string err = q.StandardError.ReadToEnd();
        q.WaitForExit();
        Assert.Equal(2, q.ExitCode);
        Assert.Contains("rsmi: error: --task", err);
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void ATaskKilledHalfWayLeavesNoHalfWrittenFileAndIsRunAgainAlone()
    {
        string root = NewDir("kill");
        string cfg = WriteConfig(root, SmallConfig);
        string whole = study.Whole, tasks = Path.Combine(root, "tasks");
        Assert.Equal(0, RunRsmi("run", "--plan", tasks, "--config", cfg).Code);

        // Kill the Ising filters task with SIGKILL while it learns its second filters (its samples and first filters are complete).
        var seen = new List<string>();
        using (var p = Start("run", "--task", "0", tasks))
        {
            p.BeginOutputReadLine();
            int started = 0;
            string? line;
            while (started < 3 && (line = p.StandardError.ReadLine()) is not null)
            {
                seen.Add(line);
                if (line.EndsWith(": started", StringComparison.Ordinal)) started++;
            }
            Assert.True(started == 3, "the task ended before its third stage started:\n" + string.Join("\n", seen));
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        Assert.Contains("N_h = 2", seen[^1]);
        Assert.False(File.Exists(Path.Combine(tasks, "filters", "ising_nh2.json")), "the killed stage's filters file exists");
        Assert.True(File.Exists(Path.Combine(tasks, "tasks", "ising-filters.lock")), "the killed task's lock file is gone");

        var resumed = RunRsmi("run", "--jobs", "2", "--resume", tasks);
        Assert.True(resumed.Code == 0, resumed.Err);
        string log = File.ReadAllText(Path.Combine(tasks, "logs", "task-0.log"));
        Assert.Contains("Ising samples 16x16 at T = 2.2692: complete, skipped", log);
        Assert.Contains("Ising filters, N_h = 1 (rbm): complete, skipped", log);
        Assert.Contains("Ising filters, N_h = 2 (rbm): started", log);
        AssertSameOutputs(whole, tasks);
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void ASecondProcessWaitsForATaskThatRunsAndNeverRunsItBesideIt()
    {
        string root = NewDir("lock");
        string cfg = WriteConfig(root, SmallConfig);
        string tasks = Path.Combine(root, "tasks");
        Assert.Equal(0, RunRsmi("run", "--plan", tasks, "--config", cfg).Code);
        using var first = Start("run", "--task", "0", tasks);
        first.BeginOutputReadLine();
        var firstLines = new List<string>();
        string? line;
        while ((line = first.StandardError.ReadLine()) is not null)
        {
            firstLines.Add(line);
            if (line.EndsWith(": started", StringComparison.Ordinal)) break;
        }
        Assert.NotNull(line);
        var second = RunRsmi("run", "--task", "0", tasks);
        firstLines.AddRange(first.StandardError.ReadToEnd().Split('\n'));
        first.WaitForExit();
        Assert.Equal(0, first.ExitCode);
        Assert.True(second.Code == 0, second.Err);
        Assert.Contains("task 0 (ising-filters): another process is running this task; waiting for it", second.Err);
        Assert.Contains("task 0 (ising-filters): completed by another process, skipped", second.Err);
        Assert.DoesNotContain(": started", second.Err);
        Assert.Empty(Directory.EnumerateFiles(tasks, "*.lock", SearchOption.AllDirectories));
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task TwoResumesOfOneDirectoryRunEveryStageOnce()
    {
        string root = NewDir("resume2");
        string cfg = WriteConfig(root, SmallConfig);
        string whole = study.Whole, run = Path.Combine(root, "run");
        // One process starts the study; once it runs its first stage a second continues the same directory.
        using var first = Start("run", "--config", cfg, "--out", run);
        first.BeginOutputReadLine();
        var lines = new List<string>();
        string? line;
        while ((line = first.StandardError.ReadLine()) is not null)
        {
            lines.Add(line);
            if (line.EndsWith(": started", StringComparison.Ordinal)) break;
        }
        Assert.NotNull(line);
        using var second = Start("run", "--resume", run);
        second.BeginOutputReadLine();
        var rest = first.StandardError.ReadToEndAsync();
        string secondErr = await second.StandardError.ReadToEndAsync();
        lines.AddRange((await rest).Split('\n'));
        first.WaitForExit();
        second.WaitForExit();
        Assert.True(first.ExitCode == 0, string.Join("\n", lines));
        Assert.True(second.ExitCode == 0, secondErr);
        var started = lines.Concat(secondErr.Split('\n')).Where(l => l.EndsWith(": started", StringComparison.Ordinal)).Select(l => l[(l.IndexOf(']') + 2)..]).ToList();
        Assert.Equal(started.Distinct().Count(), started.Count);
        Assert.Equal(6, started.Count);
        Assert.Contains("skipped", secondErr);
        AssertSameOutputs(whole, run);
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void AWorkLockIsHeldByOneHolderAndItsFileGoesWhenTheWorkIsComplete()
    {
        string dir = NewDir("worklock");
        string path = Path.Combine(dir, "a.lock");
        using (var held = WorkLock.TryAcquire(path))
        {
            Assert.NotNull(held);
            Assert.Null(WorkLock.TryAcquire(path));
            held!.Release(complete: false);
            Assert.True(File.Exists(path));
        }
        var again = WorkLock.TryAcquire(path);
        Assert.NotNull(again);
        again!.Release(complete: true);
        Assert.False(File.Exists(path));
        Directory.Delete(dir, recursive: true);
    }

    [Theory]
    [InlineData(new[] { "run", "--task", "9", "DIR" }, "--task: task 9 does not exist; the plan in")]
    [InlineData(new[] { "run", "--task", "x", "DIR" }, "--task: the task index must be a non-negative integer, got 'x'.")]
    [InlineData(new[] { "run", "--merge", "DIR", "--config", "c.json" }, "--merge takes the run directory's own config")]
    [InlineData(new[] { "run", "--plan", "DIR", "--merge", "DIR" }, "--plan and --merge are alternatives")]
    [InlineData(new[] { "run", "--jobs", "0" }, "--jobs must be at least 1, got 0.")]
    [InlineData(new[] { "run", "--partition", "p" }, "--partition, --time and --max-parallel go with --slurm.")]
    [InlineData(new[] { "run", "--slurm", "DIR", "--max-parallel", "0" }, "--max-parallel must be at least 1, got 0.")]
    [InlineData(new[] { "run", "--slurm", "DIR", "--time", "1 day" }, "--time: '1 day' is not a Slurm time limit")]
    public void BadTaskOptionsFailWithExitCode2(string[] args, string message)
    {
        string root = NewDir("bad");
        string cfg = WriteConfig(root, SmallConfig);
        string tasks = Path.Combine(root, "tasks");
        Assert.Equal(0, RunRsmi("run", "--plan", tasks, "--config", cfg).Code);
        var (code, _, err) = RunRsmi(args.Select(a => a == "DIR" ? tasks : a).ToArray());
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.Single(err.Trim().Split('\n'));
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void TaskWithoutAnIndexReadsTheSlurmArrayIndexOrSaysItNeedsOne()
    {
        string root = NewDir("noindex");
        string tasks = Path.Combine(root, "tasks");
        Assert.Equal(0, RunRsmi("run", "--plan", tasks, "--config", WriteConfig(root, SmallConfig)).Code);
        string? before = Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID");
        try
        {
            Environment.SetEnvironmentVariable("SLURM_ARRAY_TASK_ID", null);
            var (code, _, err) = RunRsmi("run", "--task", tasks);
            Assert.Equal(2, code);
            Assert.Contains("give the task's index (--task I DIR), or run it as a Slurm array task, which sets SLURM_ARRAY_TASK_ID", err);
            Environment.SetEnvironmentVariable("SLURM_ARRAY_TASK_ID", "7");
            (code, _, err) = RunRsmi("run", "--task", tasks);
            Assert.Equal(2, code);
            Assert.Contains("task 7 does not exist; the plan in", err);
        }
        finally { Environment.SetEnvironmentVariable("SLURM_ARRAY_TASK_ID", before); }
        Directory.Delete(root, recursive: true);
    }
}

/// <summary><see cref="StudyFiles.SmallConfig"/> run once in one process, the reference of the tests that run it otherwise.</summary>
public sealed class SmallStudyRun : IDisposable
{
    private readonly Lazy<string> _whole = new(() =>
    {
        string root = NewDir("whole");
        string whole = Path.Combine(root, "whole");
        var run = RunRsmi("run", "--config", WriteConfig(root, SmallConfig), "--out", whole);
        Assert.True(run.Code == 0, run.Err);
        return whole;
    });

    /// <summary>The run directory.</summary>
    public string Whole => _whole.Value;

    public void Dispose()
    {
        if (_whole.IsValueCreated) Directory.Delete(Path.GetDirectoryName(_whole.Value)!, recursive: true);
    }
}
