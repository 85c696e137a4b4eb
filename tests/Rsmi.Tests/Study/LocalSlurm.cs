using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Rsmi.Tests.Study;

/// <summary>
/// A Slurm cluster of this one machine for the tests: Debian's <c>munge</c> and <c>slurm-wlm</c> (installed by
/// <c>.ci/run</c>), started with a private configuration in a temporary directory (its own munge key and socket,
/// free ports, slurmctld and slurmd on localhost, process tracking without cgroups) and stopped, with every job it ran,
/// when the tests are done. Where a cluster answers already (<c>sinfo</c> works) it is used as it is. The daemons
/// need root; elsewhere <see cref="Start"/> says why they cannot run.
/// </summary>
public sealed class LocalSlurm : IDisposable
{
    private const string Sbin = "/usr/sbin";
    private readonly object _gate = new();
    private string? _dir;
    private string? _failure;
    private bool _ready;
    private string? _previousConf;

    /// <summary>Whether Slurm's programs are installed (or a cluster answers).</summary>
    public static bool Installed =>
        Which("sbatch") is not null && (Run("sinfo", "-h").Code == 0 || new[] { "slurmctld", "slurmd", "munged" }.All(p => File.Exists(Path.Combine(Sbin, p))));

    /// <summary>Why the tests that need Slurm cannot run here (null when they can).</summary>
    public static string? Unavailable =>
        Which("sbatch") is null ? "Slurm is not installed (Debian packages slurm-wlm and munge; .ci/run installs them)"
        : !Installed ? $"slurmctld, slurmd or munged is missing from {Sbin} (Debian packages slurm-wlm and munge)"
        : null;

    /// <summary>Starts the cluster once; returns null when jobs can be submitted, otherwise the reason they cannot.</summary>
    public string? Start()
    {
        lock (_gate)
        {
            if (_ready) return null;
            if (_failure is not null) return _failure;
            try { _failure = Launch(); }
            catch (Exception e) { _failure = "the local Slurm did not start: " + e.Message; }
            _ready = _failure is null;
            return _failure;
        }
    }

    private string? Launch()
    {
        if (Unavailable is string why) return why;
        if (Run("sinfo", "-h").Code == 0) return null;
        if (OperatingSystem.IsWindows()) return "Slurm runs on Linux";
        if (Environment.UserName != "root") return "the local Slurm's daemons need root (slurmd starts jobs as their users), and the tests do not run as root";
        _dir = Directory.CreateTempSubdirectory("rsmi-slurm-").FullName;
        string d = _dir;
        File.SetUnixFileMode(d, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        string munge = Path.Combine(d, "munge");
        Directory.CreateDirectory(munge);
        File.SetUnixFileMode(munge, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        string key = Path.Combine(munge, "munge.key");
        File.WriteAllBytes(key, System.Security.Cryptography.RandomNumberGenerator.GetBytes(1024));
        File.SetUnixFileMode(key, UnixFileMode.UserRead);
        string socket = Path.Combine(munge, "munge.sock");
        var m = Daemon(Path.Combine(d, "munged.out"), Path.Combine(Sbin, "munged"), "--force", $"--socket={socket}", $"--key-file={key}", $"--pid-file={Path.Combine(munge, "munged.pid")}",
            $"--log-file={Path.Combine(munge, "munged.log")}", $"--seed-file={Path.Combine(munge, "munged.seed")}");
        if (m.Code != 0) return $"munged did not start: {m.Err.Trim()}";

        string host = Environment.MachineName;
        int cpus = Environment.ProcessorCount;
        Directory.CreateDirectory(Path.Combine(d, "state"));
        Directory.CreateDirectory(Path.Combine(d, "spool"));
        string conf = Path.Combine(d, "slurm.conf");
        File.WriteAllText(conf, $"""
            ClusterName=rsmitest
            SlurmctldHost={host}(127.0.0.1)
            SlurmctldPort={FreePort()}
            SlurmdPort={FreePort()}
            SlurmUser=root
            SlurmdUser=root
            AuthType=auth/munge
            AuthInfo=socket={socket}
            StateSaveLocation={d}/state
            SlurmdSpoolDir={d}/spool
            SlurmctldPidFile={d}/slurmctld.pid
            SlurmdPidFile={d}/slurmd.pid
            SlurmctldLogFile={d}/slurmctld.log
            SlurmdLogFile={d}/slurmd.log
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_CPU
            SchedulerType=sched/backfill
            ReturnToService=2
            MpiDefault=none
            JobCompType=jobcomp/none
            AccountingStorageType=accounting_storage/none
            JobAcctGatherType=jobacct_gather/none
            KillWait=5
            MinJobAge=300
            NodeName={host} NodeAddr=127.0.0.1 CPUs={cpus} State=UNKNOWN
            PartitionName=debug Nodes={host} Default=YES MaxTime=INFINITE State=UP

            """);
        _previousConf = Environment.GetEnvironmentVariable("SLURM_CONF");
        Environment.SetEnvironmentVariable("SLURM_CONF", conf);
        var c = Daemon(Path.Combine(d, "slurmctld.out"), Path.Combine(Sbin, "slurmctld"), "-f", conf);
        if (c.Code != 0) return $"slurmctld did not start: {c.Err.Trim()}";
        var n = Daemon(Path.Combine(d, "slurmd.out"), Path.Combine(Sbin, "slurmd"), "-f", conf);
        if (n.Code != 0) return $"slurmd did not start: {n.Err.Trim()}";
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var s = Run("sinfo", "-h", "-o", "%T");
            if (s.Code == 0 && s.Out.Trim() == "idle") return null;
            Thread.Sleep(500);
        }
        return $"the local Slurm's node did not become idle within a minute (see {d}/slurmctld.log and {d}/slurmd.log)";
    }

    /// <summary>Waits until none of <paramref name="jobs"/> is queued or running (at most <paramref name="limit"/>).</summary>
    public static void WaitFor(TimeSpan limit, params string[] jobs)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var q = Run("squeue", "-h", "-j", string.Join(',', jobs), "-o", "%i %T");
            if (q.Code == 0 && q.Out.Trim().Length == 0) return;
            if (q.Code != 0 && q.Err.Contains("Invalid job id", StringComparison.Ordinal)) return;
            Thread.Sleep(1000);
        }
        throw new TimeoutException($"Slurm jobs {string.Join(", ", jobs)} did not finish within {limit.TotalSeconds:0} s: {Run("squeue").Out}");
    }

    /// <summary>The lines of squeue for <paramref name="job"/> (empty when it is gone).</summary>
    public static string Queue(string job) => Run("squeue", "-h", "-j", job, "-o", "%i %T").Out;

    public void Dispose()
    {
        if (_dir is null) return;
        Run("scancel", "--full", "--quiet", "--partition=debug");
        Thread.Sleep(2000);
        foreach (var pid in new[] { "slurmd.pid", "slurmctld.pid", "munge/munged.pid" })
        {
            string f = Path.Combine(_dir, pid);
            if (File.Exists(f) && int.TryParse(File.ReadAllText(f).Trim(), out int id))
            {
                try
                {
                    using var p = Process.GetProcessById(id);
                    p.Kill();
                    p.WaitForExit(10_000);
                }
                catch (ArgumentException) { }
                catch (InvalidOperationException) { }
            }
        }
        Environment.SetEnvironmentVariable("SLURM_CONF", _previousConf);
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    /// <summary>Starts a daemon (it forks and returns) with its standard streams on a file, so that it holds no pipe of this process.</summary>
    private static (int Code, string Out, string Err) Daemon(string output, string program, params string[] args)
    {
        string line = string.Join(' ', new[] { program }.Concat(args).Select(a => "'" + a.Replace("'", "'\\''") + "'"));
        var r = Run("/bin/sh", "-c", $"{line} </dev/null >'{output}' 2>&1");
        return r.Code == 0 ? r : (r.Code, r.Out, File.Exists(output) ? File.ReadAllText(output) : r.Err);
    }

    /// <summary>Runs a program to its end, with its output.</summary>
    public static (int Code, string Out, string Err) Run(string program, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            p.StandardInput.Close();
            var err = p.StandardError.ReadToEndAsync();
            string o = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(60_000)) { p.Kill(); return (-1, o, "timed out"); }
            return (p.ExitCode, o, err.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", e.Message);
        }
    }
}

/// <summary>
/// A fact that needs Slurm: it runs where Slurm is installed; elsewhere it is skipped with the reason, except under CI
/// (<c>CI</c> set), where a missing Slurm is the test's failure.
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") is null && LocalSlurm.Unavailable is string why)
            Skip = why + "; under CI (CI=true) this test fails instead.";
    }
}
