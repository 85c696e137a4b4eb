using System.Globalization;
using Rsmi.Models;
using Rsmi.Models.Ising.Exact;
using Rsmi.Study;

namespace Rsmi.Cli.Run;

/// <summary>
/// Turns a <see cref="RunConfig"/> into the stages of a study. Every stage is an rsmi command run in-process
/// with the arguments a user would type, so a study is exactly the composition of <c>rsmi sample</c>,
/// <c>rsmi learn</c> and <c>rsmi flow</c>; the stage's fingerprint is its argument list plus the contents of
/// its inputs.
/// </summary>
internal static class StudyPlan
{
    public const string IsingSamples = "data/ising2d.h5";
    public const string DimerSamples = "data/dimer.h5";
    public const string FlowDirectory = "flow";

    public static string IsingFilters(int hidden) => $"filters/ising_nh{hidden}.json";
    public static string DimerFilters(int hidden) => $"filters/dimer_nh{hidden}.json";

    public static IReadOnlyList<Stage> Build(RunConfig config, string? configDirectory)
    {
        var stages = new List<Stage>();
        string ext = config.Output.SampleFormat == "npy" ? ".npy" : ".h5";
        if (config.IsingFilters.Enabled)
        {
            var c = config.IsingFilters;
            double t = c.Temperature ?? Rsmi.Models.Ising.Exact.Ising2D.CriticalTemperature;
            AddFilterStudy(stages, "ising", "ising_filters", c.Input, configDirectory, Path.ChangeExtension(IsingSamples, ext),
                ["sample", ModelCatalog.Ising2D.Name, "--size", I(c.Size), "--temperature", D(t), "--samples", I(c.Samples), "--algorithm", c.Algorithm],
                $"Ising samples {c.Size}x{c.Size} at T = {t:0.####}", "Ising", IsingFilters, c.Block, c.Buffer, c.Environment, c.Hidden, c.Estimator);
        }
        if (config.Flow.Enabled)
        {
            var c = config.Flow;
            var args = new List<string> { "flow", "--model", ModelCatalog.Ising2D.Name, "--size", I(c.Size), "--samples", I(c.Samples), "--steps", I(c.Steps),
                "--block", I(c.Block), "--estimator", c.Rule, "--algorithm", c.Algorithm };
            // The learning window and the learner's options reach the flow; a fixed rule takes none (RunConfig refuses them).
            if (c.Learned)
            {
                args.AddRange(["--buffer", I(c.Buffer), "--environment", I(c.Environment)]);
                if (c.Estimator is not null) args.AddRange(c.Estimator.ToArguments());
            }
            string inputsFingerprint = "";
            if (c.Inputs is not null)
            {
                var files = c.Inputs.Select(f => RunConfig.Resolve(f, configDirectory)).ToArray();
                args.Add("--in"); args.AddRange(files);
                inputsFingerprint = string.Join(",", files.Select(Rsmi.Study.RunDirectory.Sha256));
                args.Add("--temperatures"); args.Add(string.Join(",", files.Select(f => D(Rsmi.IO.SampleFile.Read(f).Metadata.Temperature
                    ?? throw new RsmiInputException($"config key 'flow.inputs' names '{f}', which has no temperature attribute.")))));
            }
            else
            {
                args.Add("--temperatures"); args.Add(string.Join(",", c.ResolvedTemperatures().Select(D)));
            }
            stages.Add(new Stage
            {
                Name = "flow",
                Arguments = [.. args],
                ConfigKey = c.Learned ? "flow.estimator" : "flow",
                Title = $"RG flow {c.Size}x{c.Size}, {c.Steps} steps ({c.Rule}{(c.Learned ? $", buffer {c.Buffer}, environment {c.Environment}" : "")})",
                Fingerprint = Rsmi.Study.RunDirectory.Fingerprint("flow", args, inputsFingerprint, RsmiVersion.Current),
                Execute = ctx =>
                {
                    string dir = ctx.Directory.PathOf(FlowDirectory + "/flow.json");
                    dir = Path.GetDirectoryName(dir)!;
                    InProcess.Run(ctx, [.. args, "--seed", ctx.Seed.ToString(CultureInfo.InvariantCulture), "--out", dir]);
                    return System.IO.Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
                        .Where(f => !Path.GetFileName(f).StartsWith('.'))
                        .Select(f => Path.GetRelativePath(ctx.Directory.Root, f)).Order(StringComparer.Ordinal).ToList();
                },
            });
        }
        if (config.Dimer.Enabled)
        {
            var c = config.Dimer;
            AddFilterStudy(stages, "dimer", "dimer", c.Input, configDirectory, Path.ChangeExtension(DimerSamples, ext),
                ["sample", ModelCatalog.Dimer.Name, "--size", I(c.Size), "--samples", I(c.Samples), "--noise-coupling", D(c.NoiseCoupling)],
                $"Dimer samples {c.Size}x{c.Size} with noise K = {c.NoiseCoupling:0.###}", "Dimer", DimerFilters, c.Window, c.Buffer, c.Environment, c.Hidden, c.Estimator);
        }
        return stages;
    }

    /// <summary>
    /// The stages of a filters study: the samples (a <c>rsmi sample</c> stage, or the user's file) and one
    /// <c>rsmi learn</c> stage per number of hidden units.
    /// </summary>
    private static void AddFilterStudy(List<Stage> stages, string prefix, string configKey, string? input, string? configDirectory,
        string samplesFile, string[] sampleArgs, string sampleTitle, string label, Func<int, string> filtersFile,
        int block, int buffer, int environment, int[] hidden, EstimatorConfig estimator)
    {
        string samples, samplesFingerprint;
        if (input is not null)
        {
            samples = RunConfig.Resolve(input, configDirectory);
            samplesFingerprint = Rsmi.Study.RunDirectory.Sha256(samples);
        }
        else
        {
            samples = samplesFile;
            stages.Add(CommandStage($"{prefix}-samples", sampleTitle, sampleArgs, samples, [samples], configKey));
            samplesFingerprint = stages[^1].Fingerprint;
        }
        foreach (int nh in hidden.Distinct())
        {
            string output = filtersFile(nh);
            var args = new List<string> { "learn", "--in", samples, "--block", I(block), "--hidden", I(nh), "--buffer", I(buffer),
                "--environment", I(environment), "--estimator", estimator.Name };
            args.AddRange(estimator.ToArguments());
            stages.Add(CommandStage($"{prefix}-filters-nh{nh}", $"{label} filters, N_h = {nh} ({estimator.Name})", args.ToArray(), output,
                [output, .. Heatmaps(output, nh)], $"{configKey}.estimator", samplesFingerprint));
        }
    }

    /// <summary>
    /// Parses every stage's command line without running it, so that a bad estimator option in the config is
    /// reported (with its key) before any long work starts: unknown options, options of another estimator, and
    /// for the flow every value its learner checks.
    /// </summary>
    public static void CheckArguments(RunConfig config, IReadOnlyList<Stage> stages)
    {
        var root = CliApp.BuildRoot();
        foreach (var stage in stages)
        {
            if (stage.Arguments is null) continue;
            string[] args = [.. stage.Arguments, "--seed", "1", "--out", "x"];
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
                throw new RsmiInputException($"config key '{stage.ConfigKey}': {parse.Errors[0].Message}");
            try
            {
                if (args[0] == "flow") Commands.FlowCommandFactory.RuleFor(args[1..]);
                else if (args[0] == "learn") Commands.EstimatorOptions.RefuseForeign(parse, parse.GetValue<string>("--estimator")!.Trim().ToLowerInvariant());
            }
            catch (RsmiInputException e)
            {
                throw new RsmiInputException($"config key '{stage.ConfigKey}': {e.Message}");
            }
        }
    }

    private static IEnumerable<string> Heatmaps(string filtersPath, int hidden) =>
        Enumerable.Range(0, hidden).Select(j => Path.GetDirectoryName(filtersPath) + "/" + Path.GetFileName(Rsmi.Plots.Filters.FilterHeatmap.PathFor(filtersPath, j)));

    /// <summary>A stage that runs one rsmi command with <c>--seed</c> and <c>--out</c> appended; relative paths
    /// in the arguments that name run-directory files are resolved against the run directory.</summary>
    private static Stage CommandStage(string name, string title, string[] args, string output, string[] outputs, string configKey, string inputFingerprint = "") => new()
    {
        Name = name,
        Arguments = args,
        ConfigKey = configKey,
        Title = title,
        Fingerprint = Rsmi.Study.RunDirectory.Fingerprint(name, args, output, inputFingerprint, RsmiVersion.Current),
        Execute = ctx =>
        {
            var resolved = args.Select(a => IsRunFile(a) ? ctx.Directory.PathOf(a) : a).ToList();
            resolved.AddRange(["--seed", ctx.Seed.ToString(CultureInfo.InvariantCulture), "--out", ctx.Directory.PathOf(output)]);
            InProcess.Run(ctx, resolved.ToArray());
            return outputs;
        },
    };

    private static bool IsRunFile(string a) => a.StartsWith("data/", StringComparison.Ordinal) || a.StartsWith("filters/", StringComparison.Ordinal);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    private static string D(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>Runs an rsmi command in-process for a stage; a non-zero exit code stops the study with the command's message.</summary>
internal static class InProcess
{
    public static void Run(StageContext ctx, string[] args)
    {
        ctx.Cancellation.ThrowIfCancellationRequested();
        var err = new StringWriter();
        var tee = new TeeWriter(ctx.Detail, err);
        int code = CliApp.Run(args, TextWriter.Null, tee, ctx.Cancellation, ctx.Progress);
        if (code == CliApp.Interrupted) throw new OperationCanceledException(ctx.Cancellation);
        if (code != CliApp.Success)
        {
            string message = err.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith("rsmi:", StringComparison.Ordinal))
                ?? $"'rsmi {string.Join(' ', args)}' failed with exit code {code}.";
            message = message.Replace("rsmi: error: ", "").Replace("rsmi: internal error: ", "");
            if (code == CliApp.BadInput) throw new RsmiInputException(message);
            throw new InvalidOperationException(message);
        }
    }
}
