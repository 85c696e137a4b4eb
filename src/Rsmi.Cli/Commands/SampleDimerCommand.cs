using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Rsmi.Data;
using Rsmi.IO;
using Rsmi.Models;
using Rsmi.Models.Dimers;

namespace Rsmi.Cli.Commands;

/// <summary>
/// <c>rsmi sample dimer --size L --samples N [--noise-coupling K | --no-noise] [--interaction U]
/// [--boundary periodic|open] [--chains c] [--threads n] [--seed S] --out FILE</c>: uniform fully packed dimer coverings by the worm algorithm
/// (<see cref="DimerSampling"/>), with vertex/face noise pairs, as 2L×2L ±1 images
/// (<see cref="DimerImage"/>) written with <see cref="SampleFile.Write"/>. τ_int, spacing and timing go to
/// standard error; the path written to standard output.
/// </summary>
internal sealed class SampleDimerCommand : ISampleModelFactory
{
    /// <summary>Default noise coupling K_noise.</summary>
    public const double DefaultNoiseCoupling = 2.0;

    public int Order => 20;

    public Command Create()
    {
        var size = new Option<int>("--size") { Description = "Linear size L of the L x L lattice (even, at least 2); images are 2L x 2L.", Required = true };
        var samples = new Option<int>("--samples") { Description = "Number N of configurations to save (at least 1).", Required = true };
        var noise = new Option<double>("--noise-coupling")
        {
            Description = $"Ferromagnetic coupling K >= 0 of each vertex/face noise pair (default {DefaultNoiseCoupling}; 0 = independent spins, Infinity = face copies vertex).",
            DefaultValueFactory = _ => DefaultNoiseCoupling,
            CustomParser = result =>
            {
                string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (TryParseCoupling(text, out double k)) return k;
                result.AddError($"--noise-coupling must be a number >= 0 or Infinity, got '{text}'.");
                return default;
            },
        };
        var noNoise = new Option<bool>("--no-noise") { Description = "No noise spins: the vertex and face pixels hold +1." };
        var interaction = new Option<double>("--interaction") { Description = "Aligning interaction u = V/T: weight exp(u x number of plaquettes with two parallel dimers) (default 0: uniform coverings).", DefaultValueFactory = _ => 0.0 };
        var algorithm = new Option<string>("--algorithm") { Description = "Update algorithm: worm (directed loop; the only one for dimers).", DefaultValueFactory = _ => "worm" };
        var boundary = new Option<string>("--boundary") { Description = "periodic (torus, default) or open (open grid).", DefaultValueFactory = _ => "periodic" };
        var chains = new Option<int>("--chains") { Description = $"Independent Markov chains, each with its own random streams (default {DimerSampling.DefaultChains}, at most N).", DefaultValueFactory = _ => DimerSampling.DefaultChains };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores). Does not change the output.", DefaultValueFactory = _ => -1 };
        var seed = new Option<long>("--seed") { Description = "Random seed (default 1). The same seed and options give the same file.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output sample file: .h5/.hdf5 (with metadata) or .npy.", Required = true };

        var command = new Command(ModelCatalog.Dimer.Name, "Fully packed dimers on an L x L torus (uniform, worm algorithm) with noise spins, as 2L x 2L images.");
        foreach (var o in new Option[] { size, samples, noise, noNoise, interaction, algorithm, boundary, chains, threads, seed, output }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            bool noiseGiven = parse.GetResult(noise) is { Implicit: false };
            bool off = parse.GetValue(noNoise);
            Require.That(!(off && noiseGiven), "--no-noise and --noise-coupling cannot be used together.");
            string a = parse.GetValue(algorithm)!;
            Require.That(a == "worm", $"--algorithm must be worm for the dimer model, got '{a}'.");
            return Run(parse.GetValue(size), parse.GetValue(samples), off ? null : parse.GetValue(noise),
                parse.GetValue(interaction), parse.GetValue(boundary)!, parse.GetValue(chains), parse.GetValue(threads),
                parse.GetValue(seed), parse.GetValue(output)!);
        });
        return command;
    }

    /// <summary>A real number in invariant culture, or inf / infinity / ∞ (any case) for +∞.</summary>
    internal static bool TryParseCoupling(string text, out double value)
    {
        string t = text.Trim();
        if (t.Equals("inf", StringComparison.OrdinalIgnoreCase) || t.Equals("+inf", StringComparison.OrdinalIgnoreCase) ||
            t.Equals("infinity", StringComparison.OrdinalIgnoreCase) || t.Equals("+infinity", StringComparison.OrdinalIgnoreCase) || t == "∞")
        {
            value = double.PositiveInfinity;
            return true;
        }
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value);
    }

    private static int Run(int size, int samples, double? noiseCoupling, double interaction, string boundary, int chains, int threads, long seed, string output)
    {
        // Every check before any work.
        var b = boundary switch
        {
            "periodic" => DimerBoundary.Periodic,
            "open" => DimerBoundary.Open,
            _ => throw new RsmiInputException($"--boundary must be periodic or open, got '{boundary}'."),
        };
        var options = new DimerSamplingOptions(size, samples, noiseCoupling, unchecked((ulong)seed), b, interaction);
        options.Validate();
        OptionChecks.ChainsAndThreads(chains, threads);
        OptionChecks.OutputFile(output, sampleFile: true);

        var err = CommandOutput.Get().Err;
        using var cancel = Interruption.Listen();
        {
            var clock = Stopwatch.StartNew();
            SampleSet set;
            using (var progress = ConsoleProgress.ForCommand())
                set = DimerSampling.Generate(options, chains, threads, progress, cancel.Token);
            double seconds = clock.Elapsed.TotalSeconds;
            var m = set.Metadata;
            var inv = CultureInfo.InvariantCulture;
            err.WriteLine(string.Format(inv, "tau_int: winding number {0:F2} ± {1:F2} worms, |m| {2:F2} worms; thermalization {3} worms{4}; spacing {5} worms; {6} chains",
                m.GetDouble("tau_int_energy"), m.GetDouble("tau_int_energy_error"), m.GetDouble("tau_int_abs_magnetization"),
                m.GetLong("thermalization_steps"), m.GetLong("thermalization_converged") == 1 ? "" : " (tau_int did not settle within the pilot limit)",
                m.GetLong("spacing"), m.GetLong("chains")));
            if (m.GetDouble("tau_int_saved_energy") is double saved)
                err.WriteLine(string.Format(inv, "tau_int of the saved samples' winding number: {0:F2} samples (1/2 means independent)", saved));
            err.WriteLine(string.Format(inv, "sampled {0} configurations in {1:F2} s ({2:F1} samples/s)", samples, seconds, samples / Math.Max(seconds, 1e-9)));
            SampleFile.Write(output, set, cancel.Token);
            string noiseText = noiseCoupling is double k ? string.Format(inv, "K_noise = {0}", k) : "no noise";
            CommandOutput.Get().Out.WriteLine(string.Format(inv, "wrote {0} dimer configurations (L = {1}, {2}, {3}) to {4}", samples, size, boundary, noiseText, output));
            return CliApp.Success;
        }
    }
}
