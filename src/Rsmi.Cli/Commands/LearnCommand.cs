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

namespace Rsmi.Cli.Commands;

/// <summary>
/// A mutual-information estimator that <c>rsmi learn --estimator NAME</c> can use to learn filters. Each estimator
/// lives in its own file as a class with a public parameterless constructor implementing this interface; the
/// learn command finds them all by reflection. An estimator's own options should start with <c>--NAME-</c>
/// so that they never clash with another estimator's.
/// </summary>
public interface IFilterEstimatorFactory
{
    /// <summary>The value of <c>--estimator</c> (lower case, e.g. <c>rbm</c>, <c>kl-rbm</c>, <c>infonce</c>); also written to the filters file.</summary>
    string Name { get; }
    /// <summary>One line for <c>rsmi learn --help</c>.</summary>
    string Description { get; }
    /// <summary>The estimator's own options (created once per command; added to <c>rsmi learn</c>).</summary>
    IReadOnlyList<Option> Options { get; }
    /// <summary>The learner of one ensemble member, with the options parsed. Throw <see cref="RsmiInputException"/> for bad option values.</summary>
    IFilterLearner CreateLearner(FilterLearningRequest request, ParseResult parse);
    /// <summary>
    /// The rule estimator of <c>rsmi flow --estimator NAME</c> (N_h = 1 on b × b blocks with the given buffer and
    /// environment), configured by this estimator's options as <c>rsmi flow</c> parsed them: the options given
    /// override the flow's own defaults, which are those of the Core rule estimator (<paramref name="parse"/> null:
    /// none given). Its <c>Options</c> record the effective value of every option. Null when this estimator cannot
    /// drive the flow. Throw <see cref="RsmiInputException"/> for bad option values.
    /// </summary>
    Rsmi.Renormalization.IRuleEstimator? CreateRuleEstimator(ParseResult? parse, int block, int buffer, int environment) => null;
}

/// <summary>Everything the learn command has prepared for an estimator.</summary>
public sealed class FilterLearningRequest
{
    /// <summary>The configurations read from <c>--in</c>.</summary>
    public required SampleSet Samples { get; init; }
    /// <summary>The model name from the sample file (or <c>unknown</c>).</summary>
    public required string Model { get; init; }
    /// <summary>Block, buffer and environment.</summary>
    public required WindowGeometry Geometry { get; init; }
    /// <summary>Spacing of the block positions (<c>--stride</c>; 0: the block size).</summary>
    public required int Stride { get; init; }
    /// <summary>N_h.</summary>
    public required int Hidden { get; init; }
    /// <summary>The seed (<c>--seed</c>).</summary>
    public required ulong Seed { get; init; }
    /// <summary>Where to report progress.</summary>
    public required IProgressReporter Progress { get; init; }
}

/// <summary>
/// <c>rsmi learn --in FILE --block b --hidden Nh --buffer LB --environment LE [--estimator rbm] [--seed S] --out FILTERS.json</c>:
/// learns RSMI coarse-graining filters (Koch-Janusz &amp; Ringel 2018) and writes the contract's filters file plus one
/// heatmap per hidden unit next to it (<c>FILTERS.h1.png</c>, …).
/// </summary>
internal sealed class LearnCommandFactory : ICommandFactory
{
    public int Order => 20;

    /// <summary>Every estimator in this assembly, by name.</summary>
    internal static IReadOnlyList<IFilterEstimatorFactory> Estimators() =>
        typeof(LearnCommandFactory).Assembly.GetTypes()
            .Where(t => typeof(IFilterEstimatorFactory).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false } && t.GetConstructor(Type.EmptyTypes) != null)
            .Select(t => (IFilterEstimatorFactory)Activator.CreateInstance(t)!)
            .OrderBy(e => e.Name == "rbm" ? "" : e.Name, StringComparer.Ordinal)
            .ToList();

    public Command Create()
    {
        var estimators = Estimators();
        var input = new Option<string>("--in") { Description = "Sample file (.h5, .hdf5 or .npy) of chain or square-lattice configurations.", Required = true };
        var block = new Option<int>("--block") { Description = "Block size b: the visible block V is b×b (b sites on a chain).", Required = true };
        var hidden = new Option<int>("--hidden") { Description = "Number of hidden (coarse) units N_h, 1 to 8.", Required = true };
        var buffer = new Option<int>("--buffer") { Description = "Buffer thickness L_B ≥ 0 between V and E.", Required = true };
        var environment = new Option<int>("--environment") { Description = "Environment thickness L_E ≥ 1.", Required = true };
        var estimator = new Option<string>("--estimator")
        {
            Description = "Mutual-information estimator: " + string.Join("; ", estimators.Select(e => $"{e.Name} ({e.Description})")) + ".",
            DefaultValueFactory = _ => "rbm",
        };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every random choice.", DefaultValueFactory = _ => 1UL };
        var output = new Option<string>("--out") { Description = "Filters file to write (JSON); heatmaps go next to it as NAME.h1.png, NAME.h2.png…", Required = true };
        var stride = new Option<int>("--stride") { Description = "Spacing of the block positions (default: the block size, i.e. every block of the tiling).", DefaultValueFactory = _ => 0 };
        var noPlot = new Option<bool>("--no-plot") { Description = "Do not write the heatmaps." };
        var ensemble = new Option<int>("--ensemble") { Description = $"Independent learner runs (members), each from its own seed; the one with the most information on held-out configurations is kept (default {FilterEnsembleOptions.DefaultMembers}).", DefaultValueFactory = _ => FilterEnsembleOptions.DefaultMembers };
        var threads = new Option<int>("--threads") { Description = "Threads (default: all cores); the result does not depend on it.", DefaultValueFactory = _ => -1 };
        var command = new Command("learn", "Learn RSMI coarse-graining filters from samples by maximising the mutual information between hidden units and the environment.");
        foreach (var o in new Option[] { input, block, hidden, buffer, environment, estimator, seed, output, stride, noPlot, ensemble, threads }) command.Options.Add(o);
        foreach (var e in estimators) foreach (var o in e.Options) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var err = CommandOutput.Get().Err;
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            string name = parse.GetValue(estimator)!.Trim().ToLowerInvariant();
            var chosen = estimators.FirstOrDefault(e => e.Name == name)
                ?? throw new RsmiInputException($"--estimator: unknown estimator '{name}'; choose one of {string.Join(", ", estimators.Select(e => e.Name))}.");
            EstimatorOptions.RefuseForeign(parse, chosen.Name);
            int b = parse.GetValue(block), nh = parse.GetValue(hidden), lb = parse.GetValue(buffer), le = parse.GetValue(environment), st = parse.GetValue(stride);
            Require.Positive(b, "--block");
            Require.That(nh is >= 1 and <= ExactMutualInformation.MaxHidden, $"--hidden must be between 1 and {ExactMutualInformation.MaxHidden}, got {nh}.");
            Require.NonNegative(lb, "--buffer");
            Require.Positive(le, "--environment");
            Require.NonNegative(st, "--stride");
            OptionChecks.OutputFile(outPath, sampleFile: false);
            Require.That(File.Exists(inPath), $"--in: sample file '{inPath}' does not exist.");
            var samples = SampleFile.Read(inPath);
            Require.That(samples.Count > 0, $"--in: '{inPath}' holds no configurations.");
            var geometry = samples.Rank == 1 ? WindowGeometry.Chain(b, lb, le) : WindowGeometry.Square(b, b, lb, le);
            try { geometry.ValidateFor(samples.Lx, samples.Ly); }
            catch (RsmiInputException e) { throw new RsmiInputException($"--block/--buffer/--environment do not fit '{inPath}': {e.Message}"); }
            Require.That(st == 0 || st <= Math.Min(samples.Lx, samples.Rank == 1 ? samples.Lx : samples.Ly), $"--stride {st} is larger than the lattice.");
            int members = parse.GetValue(ensemble), nThreads = parse.GetValue(threads);
            Require.Positive(members, "--ensemble");
            Require.That(nThreads == -1 || nThreads >= 1, $"--threads must be positive, got {nThreads}.");
            Require.That(samples.Count >= FilterEnsemble.MinimumConfigurations,
                $"--in: '{inPath}' holds {samples.Count} configurations; learning needs at least {FilterEnsemble.MinimumConfigurations} (10% choose among the ensemble, 10% report on the result).");
            ulong baseSeed = parse.GetValue(seed);
            using var progress = ConsoleProgress.ForCommand();
            var request = new FilterLearningRequest
            {
                Samples = samples, Model = samples.Metadata.Model ?? "unknown", Geometry = geometry, Stride = st,
                Hidden = nh, Seed = baseSeed, Progress = progress,
            };
            var learner = chosen.CreateLearner(request, parse);
            var options = new FilterEnsembleOptions { Members = members, Seed = baseSeed, Threads = nThreads };
            err.WriteLine($"rsmi learn: |V| = {geometry.VisibleSize}, |E| = {geometry.EnvironmentSize}; {samples.Count} configurations; estimator {chosen.Name}, ensemble of {members}.");
            var result = FilterEnsemble.Learn(samples, geometry, nh, learner, options, progress);
            var filters = EnsembleFilterSet.Create(result, request.Model, geometry, baseSeed);
            filters.Validate(outPath);
            FiltersFile.Write(outPath, filters);
            var ci = CultureInfo.InvariantCulture;
            err.WriteLine(string.Create(ci, $"rsmi learn: members' held-out information (bits): {string.Join(", ", result.Members.Select(m => $"{m.SelectionBits:F4}"))}; kept member {result.ChosenIndex + 1}; split {result.Split.Training}/{result.Split.Selection}/{result.Split.Report} configurations (train/select/report)."));
            if (result.NoSignalMessage is string none) err.WriteLine("rsmi learn: " + none);
            var stdout = CommandOutput.Get().Out;
            stdout.WriteLine($"filters: {outPath}");
            stdout.WriteLine(string.Create(ci, $"mutual information I(H:E) = {filters.MutualInformationBits:F4} ± {result.MutualInformationBitsError:F4} bits on held-out configurations ({filters.Estimator}, filters applied as {(result.Options.Application == Rsmi.Renormalization.FilterMode.Sign ? "sign" : "samples")}); signal: {(result.Signal ? "yes" : "no")}"));
            for (int j = 0; j < filters.Hidden; j++)
                stdout.WriteLine(string.Create(ci,
                    $"hidden unit {j + 1}: weights [{string.Join(", ", filters.Filter(j).ToArray().Select(w => w.ToString("F3", ci)))}], bias {filters.Bias[j]:F3}"));
            if (!parse.GetValue(noPlot))
                foreach (string png in FilterHeatmap.WriteAll(filters, outPath)) stdout.WriteLine($"heatmap: {png}");
            return CliApp.Success;
        });
        return command;
    }
}
