using System.CommandLine;
using System.Globalization;
using Rsmi.Data;
using Rsmi.Filters;
using Rsmi.IO;
using Rsmi.Learning;
using Rsmi.Learning.Ensembles;
using Rsmi.Plots.Filters;
using Rsmi.Progress;
using Rsmi.Regions;
using Rsmi.Study.Stages;

namespace Rsmi.Cli.Commands;

/// <summary>
/// <c>rsmi learn --in FILE --block b --hidden Nh --buffer LB --environment LE [--estimator rbm] [--seed S] --out FILTERS.json</c>:
/// learns RSMI coarse-graining filters (Koch-Janusz &amp; Ringel 2018) and writes the contract's filters file plus one
/// heatmap per hidden unit next to it (<c>FILTERS.h1.png</c>, …). The command binds its options to a
/// <see cref="FilterLearningStage"/>, the stage a study runs, and prints what it produced.
/// </summary>
internal sealed class LearnCommandFactory : ICommandFactory
{
    public int Order => 20;

    public Command Create()
    {
        var estimators = LearnerCatalog.All;
        var learnerOptions = new LearnerOptions(estimators, LearnerUse.Filters);
        var input = new Option<string>("--in") { Description = "Sample file (.h5, .hdf5 or .npy) of chain, square- or cubic-lattice configurations.", Required = true };
        var block = new Option<int>("--block") { Description = "Block size b: the visible block V is b×b (b×b×b on a cubic lattice, b sites on a chain).", Required = true };
        var hidden = new Option<int>("--hidden") { Description = "Number of hidden (coarse) units N_h, 1 to 8.", Required = true };
        var hiddenStates = new Option<int?>("--hidden-states") { Description = "States q_h of each hidden unit: 2 for binary units h = ±1, more for categorical units whose state is a coarse Potts label (default: 2 for ±1 spins, q for Potts samples; infonce only, for anything but 2 on ±1 spins)." };
        var buffer = new Option<int>("--buffer") { Description = "Buffer thickness L_B ≥ 0 between V and E.", Required = true };
        var environment = new Option<int>("--environment") { Description = "Environment thickness L_E ≥ 1.", Required = true };
        var estimator = new Option<string>("--estimator")
        {
            Description = "Mutual-information estimator: " + string.Join("; ", estimators.Select(e => $"{e.Name} ({e.Description})")) + ".",
            // The neural estimator is the default: as accurate as the RBM network on the paper's cases and about six
            // times cheaper per ensemble member (BENCHMARKS.md), so the default ensemble stays fast.
            DefaultValueFactory = _ => "infonce",
        };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every random choice.", DefaultValueFactory = _ => 1UL };
        var output = new Option<string>("--out") { Description = "Filters file to write (JSON); heatmaps go next to it as NAME.h1.png, NAME.h2.png…", Required = true };
        var stride = new Option<int>("--stride") { Description = "Spacing of the block positions (default: the block size, i.e. every block of the tiling).", DefaultValueFactory = _ => 0 };
        var noPlot = new Option<bool>("--no-plot") { Description = "Do not write the heatmaps." };
        var ensemble = new Option<int>("--ensemble") { Description = $"Independent learner runs (members), each from its own seed; the one with the most information on held-out configurations is kept (default {FilterEnsembleOptions.DefaultMembers}).", DefaultValueFactory = _ => FilterEnsembleOptions.DefaultMembers };
        var threads = new Option<int>("--threads") { Description = "Threads (default: all cores); the result does not depend on it.", DefaultValueFactory = _ => -1 };
        var command = new Command("learn", "Learn RSMI coarse-graining filters from samples by maximising the mutual information between hidden units and the environment.");
        foreach (var o in new Option[] { input, block, hidden, hiddenStates, buffer, environment, estimator, seed, output, stride, noPlot, ensemble, threads }) command.Options.Add(o);
        foreach (var o in learnerOptions.All) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var err = CommandOutput.Get().Err;
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            string name = parse.GetValue(estimator)!.Trim().ToLowerInvariant();
            var chosen = LearnerCatalog.Find(name)
                ?? throw new RsmiInputException($"--estimator: unknown estimator '{name}'; choose one of {string.Join(", ", estimators.Select(e => e.Name))}.");
            LearnerOptions.RefuseForeign(parse, chosen.Name);
            var settings = new FilterLearningSettings
            {
                Block = parse.GetValue(block), Hidden = parse.GetValue(hidden), HiddenStates = parse.GetValue(hiddenStates), Buffer = parse.GetValue(buffer), Environment = parse.GetValue(environment),
                Stride = parse.GetValue(stride), Estimator = chosen.Name, Options = learnerOptions.GivenTo(parse, chosen),
                Members = parse.GetValue(ensemble), Threads = parse.GetValue(threads), Pictures = !parse.GetValue(noPlot),
            };
            settings.Validate();
            OptionChecks.OutputFile(outPath, sampleFile: false);
            using var progress = ConsoleProgress.ForCommand();
            var outcome = FilterLearningStage.Run(settings, inPath, outPath, parse.GetValue(seed), progress, line => err.WriteLine("rsmi learn: " + line));
            var (result, filters, spread) = (outcome.Result, outcome.Filters, outcome.Spread);
            var ci = CultureInfo.InvariantCulture;
            var stdout = CommandOutput.Get().Out;
            stdout.WriteLine($"filters: {outPath}");
            stdout.WriteLine(string.Create(ci, $"mutual information I(H:E) = {filters.MutualInformationBits:F4} ± {result.MutualInformation.Error:F4} bits on held-out configurations ({filters.Estimator}, filters applied as {(result.Options.Application == Rsmi.Renormalization.FilterMode.Sign ? "sign" : "samples")}); signal: {(result.Signal ? "yes" : "no")}"));
            var f = filters.Filters;
            string numbers(ReadOnlySpan<double> values) => string.Join(", ", values.ToArray().Select(w => w.ToString("F3", ci)));
            for (int j = 0; j < filters.Hidden; j++)
                if (f.HiddenStates == 2)
                    stdout.WriteLine(string.Create(ci, $"hidden unit {j + 1}: weights [{numbers(f.Row(j))}], bias {filters.Bias[j]:F3}"));
                else
                    for (int s = 0; s < f.HiddenStates; s++)
                        stdout.WriteLine(string.Create(ci, $"hidden unit {j + 1}, state {s}: weights [{numbers(f.Row(j, s))}], bias {f.UnitBias(j)[s]:F3}"));
            if (settings.Members > 1 && spread is not null)
                stdout.WriteLine(string.Create(ci, $"ensemble: information {spread.Spread.MutualInformationBitsMean:F4} ± {spread.Spread.MutualInformationBitsStd ?? 0:F4} bits over {settings.Members} members (mean ± sd); alignment with the kept filters {string.Join(", ", spread.Spread.Alignment.Select(a => a.ToString("F3", ci)))}"));
            foreach (string png in outcome.Heatmaps) stdout.WriteLine($"heatmap: {png}");
            if (outcome.EnsembleFigure is string figure) stdout.WriteLine($"ensemble figure: {figure}");
            return CliApp.Success;
        });
        return command;
    }
}
