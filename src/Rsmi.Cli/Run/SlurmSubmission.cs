using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Rsmi.IO;
using Rsmi.Study;

namespace Rsmi.Cli.Run;

/// <summary>
/// <c>rsmi run --slurm DIR</c>: writes <c>DIR/rsmi-tasks.sbatch</c> (a job array over the plan's missing tasks, each
/// running <c>rsmi run --task DIR</c> with its index from <c>SLURM_ARRAY_TASK_ID</c>) and <c>DIR/rsmi-merge.sbatch</c>
/// (<c>rsmi run --merge DIR</c>), submits the array with <c>sbatch</c> and the merge after it
/// (<c>--dependency=afterany</c>, so that a merge after failed tasks names them), and prints both job ids. The scripts
/// stay in the directory, to be edited and submitted by hand.
/// </summary>
internal static partial class SlurmSubmission
{
    /// <summary>The task array's script.</summary>
    public const string TasksScript = "rsmi-tasks.sbatch";
    /// <summary>The merge's script.</summary>
    public const string MergeScript = "rsmi-merge.sbatch";

    [GeneratedRegex("^[A-Za-z0-9_.,:+-]+$")]
    private static partial Regex SlurmWord();

    public static int Submit(PlannedStudy study, string? partition, string? time, int? maxParallel, CommandOutput io)
    {
        Require.That(partition is null || SlurmWord().IsMatch(partition), $"--partition: '{partition}' is not a Slurm partition name.");
        Require.That(time is null || SlurmWord().IsMatch(time), $"--time: '{time}' is not a Slurm time limit (e.g. 30, 2:00:00 or 1-12:00:00).");
        Require.That(maxParallel is null || maxParallel >= 1, $"--max-parallel must be at least 1, got {maxParallel}.");
        string root = study.Directory.Root;
        Require.That(!root.Any(c => char.IsWhiteSpace(c) || c is '%' or '\'' or '"'),
            $"--slurm: the run directory '{root}' has a space, quote or '%' in its path, which #SBATCH lines cannot hold; choose another directory.");
        var missing = study.Missing();
        Directory.CreateDirectory(Path.Combine(root, "logs"));
        string array = ArraySpec(missing.Select(t => t.Index).ToList()) + (maxParallel is int m ? $"%{m}" : "");
        string tasksPath = Path.Combine(root, TasksScript), mergePath = Path.Combine(root, MergeScript);
        WriteScript(tasksPath, Script(study, partition, time, $"--array={array}", "task-%a.log", "--task", "tasks"));
        WriteScript(mergePath, Script(study, partition, time, null, "merge.log", "--merge", "merge"));

        string? sbatch = FindOnPath("sbatch");
        Require.That(sbatch is not null,
            $"--slurm: sbatch is not on the PATH, so Slurm cannot be reached from here; the scripts {tasksPath} and {mergePath} are written for submission by hand.");
        string? tasksJob = null;
        if (missing.Count > 0)
        {
            tasksJob = Sbatch(sbatch!, tasksPath, null);
            io.Out.WriteLine($"tasks: job {tasksJob} (array {array}: {missing.Count} of {study.Tasks.Count} tasks)");
        }
        else io.Err.WriteLine($"rsmi run: every task of '{root}' is complete; submitting the merge alone.");
        string mergeJob = Sbatch(sbatch!, mergePath, tasksJob);
        io.Out.WriteLine($"merge: job {mergeJob}{(tasksJob is null ? "" : $" (after job {tasksJob})")}");
        io.Err.WriteLine($"rsmi run: logs in {Path.Combine(root, "logs")}; the scripts are {tasksPath} and {mergePath}.");
        return CliApp.Success;
    }

    /// <summary>Indices as Slurm's array list: runs of consecutive indices as ranges ("0-3,5,7-9").</summary>
    internal static string ArraySpec(IReadOnlyList<int> indices)
    {
        var parts = new List<string>();
        for (int i = 0; i < indices.Count;)
        {
            int j = i;
            while (j + 1 < indices.Count && indices[j + 1] == indices[j] + 1) j++;
            parts.Add(j == i ? indices[i].ToString(CultureInfo.InvariantCulture) : $"{indices[i]}-{indices[j]}");
            i = j + 1;
        }
        return string.Join(',', parts);
    }

    private static string Script(PlannedStudy study, string? partition, string? time, string? array, string log, string mode, string what)
    {
        string root = study.Directory.Root;
        var (program, prefix) = SelfInvocation.Get();
        string name = Regex.Replace(study.Config.Name, "[^A-Za-z0-9_.-]", "_");
        var sb = new StringBuilder();
        sb.Append("#!/bin/bash\n");
        sb.Append(what == "tasks"
            ? $"# The tasks of the rsmi study '{study.Config.Name}' (plan.json in this directory) that were not complete when rsmi run --slurm wrote this script.\n" +
              $"# By hand: sbatch {TasksScript}, then sbatch --dependency=afterany:JOBID {MergeScript}. A task that is complete is skipped.\n"
            : $"# The merge of the rsmi study '{study.Config.Name}': flow.json, the estimates and report.html once every task is done (else it names the missing ones).\n");
        sb.Append($"#SBATCH --job-name=rsmi-{name}{(what == "merge" ? "-merge" : "")}\n");
        if (array is not null) sb.Append($"#SBATCH {array}\n");
        sb.Append($"#SBATCH --output={root}/logs/{log}\n");
        sb.Append("#SBATCH --open-mode=append\n");
        sb.Append("#SBATCH --nodes=1\n");
        sb.Append("#SBATCH --ntasks=1\n");
        if (partition is not null) sb.Append($"#SBATCH --partition={partition}\n");
        if (time is not null) sb.Append($"#SBATCH --time={time}\n");
        sb.Append("set -eu\n");
        sb.Append($"exec {string.Join(' ', new[] { program }.Concat(prefix).Select(Quote))} run {mode} {Quote(root)}\n");
        return sb.ToString();
    }

    private static void WriteScript(string path, string text)
    {
        AtomicFile.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    /// <summary>Submits <paramref name="script"/> (after job <paramref name="after"/> when given) and returns the job id.</summary>
    private static string Sbatch(string sbatch, string script, string? after)
    {
        var psi = new ProcessStartInfo(sbatch) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--parsable");
        if (after is not null) psi.ArgumentList.Add($"--dependency=afterany:{after}");
        psi.ArgumentList.Add(script);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        string reason = stderr.Result.Trim().Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? $"exit code {p.ExitCode}";
        Require.That(p.ExitCode == 0, $"--slurm: sbatch refused {Path.GetFileName(script)}: {reason}");
        string id = stdout.Trim().Split(';')[0];
        Require.That(id.Length > 0 && id.All(char.IsAsciiDigit), $"--slurm: sbatch answered '{stdout.Trim()}' for {Path.GetFileName(script)}, not a job id.");
        return id;
    }
}
