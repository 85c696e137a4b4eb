using System.CommandLine;
using Rsmi.Cli.Commands;
using Rsmi.Models;

namespace Rsmi.Cli;

/// <summary>
/// The rsmi command line. Exit codes (docs/contract.md, "Exit codes"): 0 success, 2 bad usage or bad input (one sentence on
/// stderr naming the option or file), 1 internal failure, 130 interrupted.
/// </summary>
public static class CliApp
{
    /// <summary>Exit code for success.</summary>
    public const int Success = 0;
    /// <summary>Exit code for an internal failure.</summary>
    public const int InternalError = 1;
    /// <summary>Exit code for bad usage or bad input.</summary>
    public const int BadInput = 2;
    /// <summary>Exit code after Ctrl-C.</summary>
    public const int Interrupted = 130;

    /// <summary>Builds the root command with every subcommand, <c>rsmi sample</c> with the models of <paramref name="models"/> (default <see cref="ModelCatalog.Default"/>).</summary>
    public static RootCommand BuildRoot(ModelCatalog? models = null)
    {
        var root = new RootCommand("rsmi: real-space mutual information renormalization group (Koch-Janusz & Ringel, Nat. Phys. 14, 578 (2018)).");
        foreach (var command in CommandCatalog.All(models ?? ModelCatalog.Default)) root.Subcommands.Add(command);
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>, writing to the given writers (console by default), with the models of
    /// <paramref name="models"/> (default <see cref="ModelCatalog.Default"/>; a catalog with further models makes them
    /// available to every command).
    /// </summary>
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null, CancellationToken cancellation = default,
        Rsmi.Progress.IProgressReporter? progress = null, ModelCatalog? models = null)
    {
        models ??= ModelCatalog.Default;
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var root = BuildRoot(models);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) stderr.WriteLine($"rsmi: error: {error.Message}");
            stderr.WriteLine("Run 'rsmi --help' (or 'rsmi <command> --help') for usage.");
            return BadInput;
        }
        var previous = CommandOutput.Current;
        var output = new CommandOutput(stdout, stderr) { Cancellation = cancellation, Progress = progress, Models = models };
        CommandOutput.Current = output;
        try
        {
            var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = stdout, Error = stderr };
            return parse.Invoke(config);
        }
        catch (Exception e)
        {
            return Report(e, stderr);
        }
        finally
        {
            CommandOutput.Current = previous;
        }
    }

    /// <summary>Says what ended a command with <paramref name="e"/> on <paramref name="stderr"/> (one sentence; the stack
    /// with RSMI_DEBUG=1 for an internal error) and returns its exit code: 2 for bad input, 130 when interrupted, 1 otherwise.</summary>
    internal static int Report(Exception e, TextWriter stderr)
    {
        switch (Unwrap(e))
        {
            case RsmiInputException input:
                stderr.WriteLine($"rsmi: error: {input.Render(name => "--" + name)}");
                return BadInput;
            case OperationCanceledException:
                stderr.WriteLine("rsmi: interrupted; no partial output was left behind.");
                return Interrupted;
            default:
                stderr.WriteLine($"rsmi: internal error: {Unwrap(e).Message}");
                if (Environment.GetEnvironmentVariable("RSMI_DEBUG") == "1") stderr.WriteLine(e);
                return InternalError;
        }
    }

    /// <summary>The exception to report: the one inside an aggregate (also when parallel work items all failed with the
    /// same input error, as every member of an ensemble does on input it cannot take) or a reflection wrapper.</summary>
    internal static Exception Unwrap(Exception e)
    {
        while (e is AggregateException a)
        {
            var inner = a.Flatten().InnerExceptions;
            if (inner.Count == 1 || inner.All(x => x is RsmiInputException && x.Message == inner[0].Message)) e = inner[0];
            else break;
        }
        while (e is System.Reflection.TargetInvocationException { InnerException: { } inner }) e = inner;
        return e;
    }
}

/// <summary>Where a command writes: standard output for results, standard error for progress and errors.</summary>
public sealed class CommandOutput(TextWriter stdout, TextWriter stderr)
{
    [ThreadStatic] private static CommandOutput? _current;
    /// <summary>The writers of the command being run on this thread (console when none).</summary>
    public static CommandOutput? Current { get => _current; set => _current = value; }
    /// <summary>The writers in force.</summary>
    public static CommandOutput Get() => _current ?? new CommandOutput(Console.Out, Console.Error);
    /// <summary>Results.</summary>
    public TextWriter Out { get; } = stdout;
    /// <summary>Progress and diagnostics.</summary>
    public TextWriter Err { get; } = stderr;
    /// <summary>Signalled when the user asks to stop (Ctrl-C); long work should check it and stop cleanly.</summary>
    public CancellationToken Cancellation { get; init; }
    /// <summary>Where a command run inside another (by <c>rsmi run</c>) reports progress; null means the command makes its own.</summary>
    public Rsmi.Progress.IProgressReporter? Progress { get; init; }
    /// <summary>The models the command line runs with.</summary>
    public ModelCatalog Models { get; init; } = ModelCatalog.Default;
}
