using System.Diagnostics;
using System.Text.RegularExpressions;
using static Rsmi.Tests.Study.StudyFiles;

namespace Rsmi.Tests.Study;

/// <summary>
/// <c>rsmi run --slurm</c> on a real Slurm (<see cref="LocalSlurm"/>): a small study submitted as a job array
/// completes, merges and gives the files of the study run in one process; a task cancelled half-way (<c>scancel</c>)
/// leaves the merge naming it, and so does the same task killed half-way with SIGKILL when submitted again; submitting
/// once more runs that task alone, to the same files.
/// </summary>
[Trait("Category", "Slurm")]
public class SlurmTests(LocalSlurm slurm) : IClassFixture<LocalSlurm>
{
    /// <summary>A small study: Ising filters, and a flow from five temperatures over two steps on two sizes (16 and,
    /// matched to it, 8), with decimation compared on the same samples.</summary>
    private const string TinyConfig = """
        {
          "name": "slurm", "seed": 5,
          "ising_filters": {"size": 16, "samples": 80, "hidden": [1, 2],
                            "estimator": {"name": "rbm", "options": {"rbm-updates": 150, "rbm-machine-updates": 200, "rbm-max-windows": 2000, "ensemble": 2}}},
          "flow": {"size": 16, "samples": 60, "steps": 2, "rule": "majority", "temperatures": [2.0, 2.15, 2.269, 2.4, 2.6],
                   "two_lattice": true, "compare": ["decimation"]},
          "dimer": {"enabled": false},
          "output": {"svg": false}
        }
        """;

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    private static (string Tasks, string Merge) JobIds(string stdout)
    {
        var tasks = Regex.Match(stdout, @"tasks: job (\d+)");
        var merge = Regex.Match(stdout, @"merge: job (\d+)");
        Assert.True(tasks.Success && merge.Success, "no job ids in: " + stdout);
        return (tasks.Groups[1].Value, merge.Groups[1].Value);
    }

    [SlurmFact]
    public void AStudySubmittedAsAJobArrayMergesToTheFilesOfOneProcessAndACancelledTaskIsSubmittedAgainAlone()
    {
        Assert.True(slurm.Start() is null, slurm.Start());
        string root = NewDir("slurm");
        string cfg = WriteConfig(root, TinyConfig);
        string whole = Path.Combine(root, "whole"), cluster = Path.Combine(root, "cluster");
        var plain = RunRsmi("run", "--config", cfg, "--out", whole);
        Assert.True(plain.Code == 0, plain.Err);

        // The whole study as a job array, two tasks at a time, and the merge after it.
        var submit = RunRsmi("run", "--slurm", cluster, "--config", cfg, "--max-parallel", "2");
        Assert.True(submit.Code == 0, submit.Err);
        Assert.Contains("(array 0-5%2: 6 of 6 tasks)", submit.Out);
        var (tasks, merge) = JobIds(submit.Out);
        string script = File.ReadAllText(Path.Combine(cluster, "rsmi-tasks.sbatch"));
        Assert.Contains("#SBATCH --array=0-5%2", script);
        Assert.Contains("run --task", script);
        LocalSlurm.WaitFor(Limit, tasks, merge);
        string mergeLog = File.ReadAllText(Path.Combine(cluster, "logs", "merge.log"));
        Assert.True(mergeLog.Contains("merged 6 tasks", StringComparison.Ordinal), mergeLog);
        AssertSameOutputs(whole, cluster);

        // Again from a fresh plan, one task at a time: the Ising filters task is cancelled while it learns.
        string faulty = Path.Combine(root, "faulty");
        submit = RunRsmi("run", "--slurm", faulty, "--config", cfg, "--max-parallel", "1");
        Assert.True(submit.Code == 0, submit.Err);
        (tasks, merge) = JobIds(submit.Out);
        string log0 = Path.Combine(faulty, "logs", "task-0.log");
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(log0) && File.ReadAllText(log0).Contains("N_h = 2 (rbm): started", StringComparison.Ordinal)))
        {
            Assert.True(clock.Elapsed < Limit, "task 0 never started its second filters: " + (File.Exists(log0) ? File.ReadAllText(log0) : "no log"));
            Thread.Sleep(50);
        }
        var cancel = LocalSlurm.Run("scancel", $"{tasks}_0");
        Assert.True(cancel.Code == 0, cancel.Err);
        LocalSlurm.WaitFor(Limit, tasks, merge);
        Assert.DoesNotContain("task 0 (ising-filters) done", File.ReadAllText(log0));
        Assert.False(File.Exists(Path.Combine(faulty, "filters", "ising_nh2.json")), "the cancelled stage's filters file exists");
        mergeLog = File.ReadAllText(Path.Combine(faulty, "logs", "merge.log"));
        Assert.True(mergeLog.Contains("1 of 6 tasks are not done: 0 (ising-filters)", StringComparison.Ordinal), mergeLog);
        Assert.False(File.Exists(Path.Combine(faulty, "report.html")));

        // Submitted again, the task is killed with SIGKILL while it learns the same filters: no time to clean up.
        int startedBefore = Occurrences(File.ReadAllText(log0), "N_h = 2 (rbm): started");
        var again = RunRsmi("run", "--slurm", faulty);
        Assert.True(again.Code == 0, again.Err);
        Assert.Contains("(array 0: 1 of 6 tasks)", again.Out);
        (tasks, merge) = JobIds(again.Out);
        clock.Restart();
        while (Occurrences(File.ReadAllText(log0), "N_h = 2 (rbm): started") == startedBefore)
        {
            Assert.True(clock.Elapsed < Limit, "the resubmitted task 0 never started its second filters: " + File.ReadAllText(log0));
            Thread.Sleep(50);
        }
        int pid = TaskProcess(faulty);
        Assert.Equal(0, LocalSlurm.Run("kill", "-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)).Code);
        LocalSlurm.WaitFor(Limit, tasks, merge);
        Assert.Equal(startedBefore + 1, Occurrences(File.ReadAllText(log0), "N_h = 2 (rbm): started"));
        Assert.False(File.Exists(Path.Combine(faulty, "filters", "ising_nh2.json")), "the killed stage's filters file exists");
        Assert.Empty(Directory.EnumerateFiles(faulty, "*.tmp*", SearchOption.AllDirectories));
        mergeLog = File.ReadAllText(Path.Combine(faulty, "logs", "merge.log"));
        Assert.True(Occurrences(mergeLog, "1 of 6 tasks are not done: 0 (ising-filters)") == 2, mergeLog);

        var last = RunRsmi("run", "--slurm", faulty);
        Assert.True(last.Code == 0, last.Err);
        Assert.Contains("(array 0: 1 of 6 tasks)", last.Out);
        (tasks, merge) = JobIds(last.Out);
        LocalSlurm.WaitFor(Limit, tasks, merge);
        AssertSameOutputs(whole, faulty);
        Directory.Delete(root, recursive: true);
    }

    private static int Occurrences(string text, string what) => Regex.Matches(text, Regex.Escape(what)).Count;

    /// <summary>The process of the study task that runs in <paramref name="root"/> (the array script execs <c>rsmi run --task ROOT</c>).</summary>
    private static int TaskProcess(string root)
    {
        string full = Path.GetFullPath(root);
        var found = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            string[] args;
            try { args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0'); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (args.Contains("--task") && args.Contains(full)) found.Add(pid);
        }
        Assert.True(found.Count == 1, $"expected one process running a task of {full}, found {found.Count}");
        return found[0];
    }

    [Fact]
    public void WithoutSbatchTheScriptsAreWrittenAndOneSentenceSaysSo()
    {
        string root = NewDir("nosbatch");
        string cfg = WriteConfig(root, TinyConfig);
        string dir = Path.Combine(root, "run");
        string? path = Environment.GetEnvironmentVariable("PATH");
        try
        {
            Environment.SetEnvironmentVariable("PATH", Path.Combine(root, "empty"));
            var (code, _, err) = RunRsmi("run", "--slurm", dir, "--config", cfg, "--partition", "short", "--time", "0:30:00", "--max-parallel", "4");
            Assert.Equal(2, code);
            Assert.Single(err.Trim().Split('\n'));
            Assert.Contains("sbatch is not on the PATH, so Slurm cannot be reached from here", err);
        }
        finally { Environment.SetEnvironmentVariable("PATH", path); }
        string script = File.ReadAllText(Path.Combine(dir, "rsmi-tasks.sbatch"));
        foreach (var line in new[] { "#SBATCH --array=0-5%4", "#SBATCH --partition=short", "#SBATCH --time=0:30:00", $"#SBATCH --output={Path.GetFullPath(dir)}/logs/task-%a.log" })
            Assert.Contains(line, script);
        Assert.Contains($"run --merge '{Path.GetFullPath(dir)}'", File.ReadAllText(Path.Combine(dir, "rsmi-merge.sbatch")));
        Directory.Delete(root, recursive: true);
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2, 3 }, "0-3")]
    [InlineData(new[] { 1, 3, 4, 5, 9 }, "1,3-5,9")]
    [InlineData(new[] { 7 }, "7")]
    public void MissingTasksBecomeASlurmArrayList(int[] indices, string expected) =>
        Assert.Equal(expected, global::Rsmi.Cli.Run.SlurmSubmission.ArraySpec(indices));
}
