using System.CommandLine;
using System.Globalization;
using Rsmi.Learning;
using Rsmi.Learning.Ensembles;
using Rsmi.Scanning;
using Rsmi.Study.Stages;

namespace Rsmi.Cli.Commands;

/// <summary>
/// <c>rsmi scan --in FILE… --block b --buffers 0,1,2,4,8 [--hidden 1,2] [--environment LE] [--estimator infonce]
/// [--ensemble n] [--critic both|network|regression|linear] [--fit-from L] [--fit-sigmas z] [--parameter NAME] [--seed S] --out DIR</c>:
/// the held-out I(H:E) of learned filters for every file, buffer and N_h, and the correlation length from its decay
/// with the buffer (docs/scan.md), written to DIR/scan.json with figures. The command binds its options to a
/// <see cref="ScanStage"/> and prints one line per file and N_h.
/// </summary>
internal sealed class ScanCommandFactory : ICommandFactory
{
    public int Order => 35;

    public Command Create()
    {
        var estimators = LearnerCatalog.All;
        var learnerOptions = new LearnerOptions(estimators, LearnerUse.Filters);
        var input = new Option<string[]>("--in") { Description = "Sample files (.h5, .hdf5 or .npy), one per temperature or other parameter.", Required = true, AllowMultipleArgumentsPerToken = true };
        var block = new Option<int>("--block") { Description = "Block size b: the visible block V is b×b (b sites on a chain).", Required = true };
        var buffers = new Option<string>("--buffers") { Description = "Comma-separated buffers L_B ≥ 0, increasing (e.g. 0,1,2,4,8).", Required = true };
        var hidden = new Option<string>("--hidden") { Description = "Comma-separated hidden-unit counts N_h (default 1).", DefaultValueFactory = _ => "1" };
        var environment = new Option<int>("--environment") { Description = $"Environment thickness L_E ≥ 1 (default {ScanSettings.DefaultEnvironment}).", DefaultValueFactory = _ => ScanSettings.DefaultEnvironment };
        var estimator = new Option<string>("--estimator")
        {
            Description = "Learner of the filters: " + string.Join("; ", estimators.Select(e => $"{e.Name} ({e.Description})")) + ".",
            DefaultValueFactory = _ => "infonce",
        };
        var ensemble = new Option<int>("--ensemble") { Description = $"Learner runs per point; the one with the most held-out information is kept (default {FilterEnsembleOptions.DefaultMembers}).", DefaultValueFactory = _ => FilterEnsembleOptions.DefaultMembers };
        var critic = new Option<string>("--critic") { Description = "Critic of the held-out information: both (the network and the regression critic, the better on the selection configurations reported; default), network, regression or linear.", DefaultValueFactory = _ => "both" };
        critic.AcceptOnlyFromAmong("both", "network", "regression", "linear");
        var noCarry = new Option<bool>("--no-carry") { Description = "Do not let the filter of the previous buffer compete at the next one." };
        var fitFrom = new Option<int>("--fit-from") { Description = $"Smallest buffer of the correlation-length fit (default {FitWindow.DefaultFrom}).", DefaultValueFactory = _ => FitWindow.DefaultFrom };
        var fitSigmas = new Option<double>("--fit-sigmas") { Description = $"Standard errors above zero a point needs to enter the fit (default {FitWindow.DefaultSigmas}).", DefaultValueFactory = _ => FitWindow.DefaultSigmas };
        var parameter = new Option<string>("--parameter") { Description = "Metadata attribute that labels each file (default: temperature)." };
        var reportFraction = new Option<double>("--report-fraction") { Description = "Fraction of each file's configurations the information is reported on (default 0.3).", DefaultValueFactory = _ => 0.3 };
        var windows = new Option<int>("--evaluation-windows") { Description = $"Held-out windows per estimate (default {ScanSettings.DefaultEvaluationWindows}).", DefaultValueFactory = _ => ScanSettings.DefaultEvaluationWindows };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every random choice.", DefaultValueFactory = _ => 1UL };
        var threads = new Option<int>("--threads") { Description = "Threads (default: all cores); the result does not depend on it.", DefaultValueFactory = _ => -1 };
        var noPlot = new Option<bool>("--no-plot") { Description = "Do not write the figures." };
        var output = new Option<string>("--out") { Description = "Directory for scan.json and the figures (created if missing).", Required = true };
        var command = new Command("scan", "Mutual information against the buffer for several sample files: phases and correlation lengths.");
        foreach (var o in new Option[] { input, block, buffers, hidden, environment, estimator, ensemble, critic, noCarry, fitFrom, fitSigmas, parameter, reportFraction, windows, seed, threads, noPlot, output })
            command.Options.Add(o);
        foreach (var o in learnerOptions.All) command.Options.Add(o);
        command.SetAction(parse =>
        {
            string name = parse.GetValue(estimator)!.Trim().ToLowerInvariant();
            var chosen = LearnerCatalog.Find(name)
                ?? throw new RsmiInputException($"--estimator: unknown estimator '{name}'; choose one of {string.Join(", ", estimators.Select(e => e.Name))}.");
            LearnerOptions.RefuseForeign(parse, chosen.Name);
            string[] files = (parse.GetValue(input) ?? []).SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
            string outDir = parse.GetValue(output)!;
            Require.That(!string.IsNullOrWhiteSpace(outDir), "--out must name a directory.");
            string? parent = Path.GetDirectoryName(Path.GetFullPath(outDir));
            Require.That(parent is null || Directory.Exists(parent), $"--out: the directory '{parent}' does not exist.");
            var settings = new ScanSettings
            {
                Block = parse.GetValue(block), Buffers = Integers(parse.GetValue(buffers)!, "--buffers"), Hidden = Integers(parse.GetValue(hidden)!, "--hidden"),
                Environment = parse.GetValue(environment), Members = parse.GetValue(ensemble),
                Critic = parse.GetValue(critic) switch { "network" => ScanCritic.Network, "linear" => ScanCritic.Linear, "regression" => ScanCritic.Regression, _ => ScanCritic.Both },
                CarryFilters = !parse.GetValue(noCarry), Fit = new FitWindow(parse.GetValue(fitFrom), parse.GetValue(fitSigmas)),
                Parameter = parse.GetValue(parameter), ReportFraction = parse.GetValue(reportFraction), EvaluationWindows = parse.GetValue(windows),
                Seed = parse.GetValue(seed), Threads = parse.GetValue(threads),
            };
            settings.Validate();
            using var progress = ConsoleProgress.ForCommand();
            var outcome = ScanStage.Run(files, settings, chosen.Name, learnerOptions.GivenTo(parse, chosen), outDir, !parse.GetValue(noPlot), progress);
            var stdout = CommandOutput.Get().Out;
            var ci = CultureInfo.InvariantCulture;
            stdout.WriteLine($"scan: {outcome.ScanFile}");
            for (int i = 0; i < outcome.Result.Scans.Count; i++)
            {
                var s = outcome.Result.Scans[i];
                string label = double.IsFinite(s.ParameterValue) ? string.Create(ci, $"{s.ParameterName} {s.ParameterValue:G6}") : "no " + s.ParameterName;
                string points = string.Join(", ", s.Points.Select(p => string.Create(ci, $"L_B={p.Buffer}: {p.Bits:F4}±{p.Error:F4}")));
                var xi = s.CorrelationLength;
                string fit = xi.HasValue
                    ? string.Create(ci, $"xi = {xi.Value:F3} ± {xi.Error:F3} (fit over L_B = {string.Join(",", xi.Buffers)}, chi2/dof = {xi.ChiSquare:F2}/{xi.DegreesOfFreedom})")
                    : $"no xi: {xi.Reason}";
                string exact = double.IsFinite(outcome.ExactCorrelationLengths[i]) ? string.Create(ci, $"; exact xi = {outcome.ExactCorrelationLengths[i]:F3}") : "";
                stdout.WriteLine($"{Path.GetFileName(s.File)} ({label}, N_h = {s.Hidden}): I(H:E) bits {points}; {fit}{exact}");
            }
            foreach (string figure in outcome.Figures.Where(f => f.EndsWith(".png", StringComparison.Ordinal))) stdout.WriteLine($"figure: {figure}");
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>A comma-separated list of integers, or an <see cref="RsmiInputException"/> naming <paramref name="option"/>.</summary>
    internal static int[] Integers(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            Require.That(int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]),
                $"{option} must be a comma-separated list of integers, got '{text}'.");
        return values;
    }
}
