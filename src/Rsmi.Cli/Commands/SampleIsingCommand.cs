using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Rsmi.Data;
using Rsmi.IO;
using Rsmi.Models;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Models.Ising.Multispin;
using Rsmi.Sampling;

namespace Rsmi.Cli.Commands;

/// <summary>
/// <c>rsmi sample ising2d|ising1d --size L --temperature T --samples N [--algorithm A] [--chains c] [--threads n]
/// [--seed S] --out FILE</c>: equilibrium samples from <see cref="IsingSampling"/>, thermalised and spaced by the
/// measured integrated autocorrelation time, written with <see cref="SampleFile.Write"/>. τ_int, thermalisation,
/// spacing and timing go to standard error; the path written goes to standard output.
/// </summary>
internal static class SampleIsingCommand
{
    /// <summary>Default number of chains (fixed, so that the output does not depend on the machine).</summary>
    public const int DefaultChains = 4;

    public static Command Create(string model, string description)
    {
        var algorithms = IsingSamplerFactory.Algorithms(model);
        string sizeText = model == ModelCatalog.Ising2D.Name ? "Linear size L of the L x L torus (at least 2; even for metropolis and heatbath)." : "Number of sites L of the chain (at least 2).";
        var size = new Option<int>("--size") { Description = sizeText, Required = true };
        var temperature = new Option<double>("--temperature") { Description = "Temperature T > 0 (J = k_B = 1; T_c = 2.269185 for ising2d).", Required = true };
        var samples = new Option<int>("--samples") { Description = "Number N of configurations to save (at least 1).", Required = true };
        var algorithm = new Option<string>("--algorithm")
        {
            Description = $"Update algorithm: {string.Join(", ", algorithms)} (default {algorithms[0]})"
                + (model == ModelCatalog.Ising2D.Name ? $"; multispin-coded replicas: {string.Join(", ", Rsmi.Models.Ising.Multispin.MultispinAlgorithms.Names)}; one lattice cut into a strip per lane: {string.Join(", ", Rsmi.Models.Ising.Multispin.MultispinAlgorithms.LatticeNames)}." : "."),
            DefaultValueFactory = _ => algorithms[0],
        };
        var chains = new Option<int>("--chains") { Description = $"Independent Markov chains, each with its own random stream (default {DefaultChains}, at most N).", DefaultValueFactory = _ => DefaultChains };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores). Does not change the output.", DefaultValueFactory = _ => -1 };
        var seed = new Option<long>("--seed") { Description = "Random seed (default 1). The same seed and options give the same file.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output sample file: .h5/.hdf5 (with metadata) or .npy.", Required = true };

        var command = new Command(model, description);
        foreach (var o in new Option[] { size, temperature, samples, algorithm, chains, threads, seed, output }) command.Options.Add(o);
        command.SetAction(parse => Run(model,
            parse.GetValue(size), parse.GetValue(temperature), parse.GetValue(samples), parse.GetValue(algorithm)!,
            parse.GetValue(chains), parse.GetValue(threads), parse.GetValue(seed), parse.GetValue(output)!));
        return command;
    }

    private static int Run(string model, int size, double temperature, int samples, string algorithm, int chains, int threads, long seed, string output)
    {
        // Every check before any work: bad input must not cost a long run.
        IsingSamplerFactory.Validate(model, algorithm, size, temperature);
        Require.That(samples >= 1, $"--samples must be at least 1, got {samples}.");
        OptionChecks.ChainsAndThreads(chains, threads);
        OptionChecks.OutputFile(output, sampleFile: true);
        long sites = model == ModelCatalog.Ising2D.Name ? (long)size * size : size;
        Require.That(samples * sites <= Array.MaxLength, $"--samples {samples} of {sites} sites each do not fit in memory at once; ask for fewer.");

        var err = CommandOutput.Get().Err;
        using var cancel = Interruption.Listen();
        {
            var clock = Stopwatch.StartNew();
            SampleSet set;
            using (var progress = ConsoleProgress.ForCommand())
                set = IsingSampling.Sample(model, algorithm, size, temperature, samples, unchecked((ulong)seed),
                    Math.Min(chains, samples), threads, progress, cancel.Token);
            double seconds = clock.Elapsed.TotalSeconds;
            var m = set.Metadata;
            var inv = CultureInfo.InvariantCulture;
            string unit = algorithm == "wolff" ? "clusters" : algorithm == "exact" ? "draws" : "sweeps";
            err.WriteLine(string.Format(inv, "tau_int: energy {0:F2} ± {1:F2}, |m| {2:F2} ± {3:F2} {4}; thermalization {5} {4}{6}; spacing {7} {4}; {8} chains",
                m.GetDouble("tau_int_energy"), m.GetDouble("tau_int_energy_error"),
                m.GetDouble("tau_int_abs_magnetization"), m.GetDouble("tau_int_abs_magnetization_error"), unit,
                m.GetLong("thermalization_steps"), m.GetLong("thermalization_converged") == 1 ? "" : " (tau_int did not settle within the pilot limit)",
                m.GetLong("spacing"), m.GetLong("chains")));
            if (m.GetDouble("tau_int_saved_energy") is double saved)
                err.WriteLine(string.Format(inv, "tau_int of the saved samples' energy: {0:F2} samples (1/2 means independent)", saved));
            err.WriteLine(string.Format(inv, "sampled {0} configurations in {1:F2} s ({2:F1} samples/s)", samples, seconds, samples / Math.Max(seconds, 1e-9)));
            SampleFile.Write(output, set, cancel.Token);
            CommandOutput.Get().Out.WriteLine(string.Format(inv, "wrote {0} {1} configurations (L = {2}, T = {3}, {4}) to {5}", samples, model, size, temperature, algorithm, output));
            return CliApp.Success;
        }
    }
}

/// <summary><c>rsmi sample ising2d</c>.</summary>
internal sealed class SampleIsing2DCommand : ISampleModelFactory
{
    public int Order => 0;
    public Command Create() => SampleIsingCommand.Create(ModelCatalog.Ising2D.Name,
        "2D Ising model on an L x L torus: Wolff (default), Swendsen-Wang, checkerboard Metropolis or heat-bath.");
}
