using Rsmi.Progress;
using Rsmi.Study;
using Spectre.Console;

namespace Rsmi.Cli.Run;

/// <summary>A live progress display (Spectre.Console) for <c>rsmi run</c> on a terminal: one bar per running stage with the
/// time left; finished bars disappear and their stage line stays above the display.</summary>
internal sealed class SpectreProgress(ProgressContext context) : IProgressReporter
{
    private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);

    public void Report(string stage, double fraction, string? detail = null)
    {
        fraction = double.IsFinite(fraction) ? Math.Clamp(fraction, 0, 1) : 0;
        lock (_tasks)
        {
            if (!_tasks.TryGetValue(stage, out var task))
            {
                task = context.AddTask(Markup.Escape(stage), maxValue: 1000);
                _tasks[stage] = task;
            }
            task.Description = Markup.Escape(detail is null ? stage : $"{stage}  {detail}");
            task.Value = Math.Max(task.Value, fraction * 1000);
            if (fraction >= 1) task.StopTask();
        }
    }

    /// <summary>Marks every bar but the study's own as finished (called when a stage completes: whatever it reported is done).</summary>
    public void FinishStage()
    {
        lock (_tasks)
        {
            foreach (var (name, task) in _tasks)
                if (name != StudyRunner.StudyStage && !task.IsFinished) { task.Value = task.MaxValue; task.StopTask(); }
        }
    }
}

/// <summary>Stage lines written above a live display (and to the run log).</summary>
internal sealed class ConsoleLineWriter(IAnsiConsole console, TextWriter? copy) : TextWriter
{
    private readonly System.Text.StringBuilder _line = new();
    public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_line)
        {
            if (value == '\n') { Flush(_line.ToString()); _line.Clear(); }
            else if (value != '\r') _line.Append(value);
        }
    }

    private void Flush(string text)
    {
        console.MarkupLine(Markup.Escape(text));
        copy?.WriteLine(text);
    }
}

/// <summary>Writes everything to two writers.</summary>
internal sealed class TeeWriter(TextWriter a, TextWriter b) : TextWriter
{
    public override System.Text.Encoding Encoding => a.Encoding;
    public override void Write(char value) { lock (this) { a.Write(value); b.Write(value); } }
    public override void Write(string? value) { lock (this) { a.Write(value); b.Write(value); } }
    public override void WriteLine(string? value) { lock (this) { a.WriteLine(value); b.WriteLine(value); } }
    public override void Flush() { a.Flush(); b.Flush(); }
}
