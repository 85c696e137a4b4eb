using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Rsmi.Data;
using Rsmi.Dimers;
using Rsmi.IO;

namespace Rsmi.Cli.Commands;

/// <summary>
/// <c>rsmi sample dimer --size L --samples N [--noise-coupling K | --no-noise] [--boundary periodic|open]
/// [--seed S] --out FILE</c>: uniform fully packed dimer coverings by the worm algorithm
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
        var boundary = new Option<string>("--boundary") { Description = "periodic (torus, default) or open (open grid).", DefaultValueFactory = _ => "periodic" };
        var seed = new Option<long>("--seed") { Description = "Random seed (default 1). The same seed and options give the same file.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output sample file: .h5/.hdf5 (with metadata) or .npy.", Required = true };

        var command = new Command("dimer", "Fully packed dimers on an L x L torus (uniform, worm algorithm) with noise spins, as 2L x 2L images.");
        foreach (var o in new Option[] { size, samples, noise, noNoise, boundary, seed, output }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            bool noiseGiven = parse.GetResult(noise) is { Implicit: false };
            bool off = parse.GetValue(noNoise);
            Require.That(!(off && noiseGiven), "--no-noise and --noise-coupling cannot be used together.");
            return Run(parse.GetValue(size), parse.GetValue(samples), off ? null : parse.GetValue(noise),
                parse.GetValue(boundary)!, parse.GetValue(seed), parse.GetValue(output)!);
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

    private static int Run(int size, int samples, double? noiseCoupling, string boundary, long seed, string output)
    {
        // Every check before any work.
        var b = boundary switch
        {
            "periodic" => DimerBoundary.Periodic,
            "open" => DimerBoundary.Open,
            _ => throw new RsmiInputException($"--boundary must be periodic or open, got '{boundary}'."),
        };
        var options = new DimerSamplingOptions(size, samples, noiseCoupling, unchecked((ulong)seed), b);
        options.Validate();
        Require.That(!string.IsNullOrWhiteSpace(output), "--out must name a file.");
        SampleFile.FormatOf(output);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(output));
        Require.That(directory is null || Directory.Exists(directory), $"--out: the directory '{directory}' does not exist.");

        var err = CommandOutput.Get().Err;
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            var clock = Stopwatch.StartNew();
            SampleSet set;
            using (var progress = new ConsoleProgress())
                set = DimerSampling.Generate(options, progress, cancel.Token);
            double seconds = clock.Elapsed.TotalSeconds;
            var m = set.Metadata;
            var inv = CultureInfo.InvariantCulture;
            err.WriteLine(string.Format(inv, "tau_int of the winding numbers: {0:F2} worms; thermalization {1} worms; spacing {2} worms",
                m.GetDouble("tau_int"), m.GetLong("thermalisation"), m.GetLong("sample_spacing")));
            err.WriteLine(string.Format(inv, "sampled {0} configurations in {1:F2} s ({2:F1} samples/s)", samples, seconds, samples / Math.Max(seconds, 1e-9)));
            SampleFile.Write(output, set, cancel.Token);
            string noiseText = noiseCoupling is double k ? string.Format(inv, "K_noise = {0}", k) : "no noise";
            CommandOutput.Get().Out.WriteLine(string.Format(inv, "wrote {0} dimer configurations (L = {1}, {2}, {3}) to {4}", samples, size, boundary, noiseText, output));
            return CliApp.Success;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
