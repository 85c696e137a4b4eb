using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Rsmi.Data;
using Rsmi.IO;
using Rsmi.Models;

namespace Rsmi.Cli.Commands;

/// <summary>
/// <c>rsmi sample MODEL [model options] --samples N [--algorithm A] [--chains c] [--threads n] [--seed S] --out FILE</c>:
/// one subcommand per model of the catalog the command line runs with, its options bound from the model's
/// parameters (<see cref="IModel.Parameters"/>), then the options every model shares. Equilibrium samples from
/// <see cref="ModelSampling"/>, thermalised and spaced by the measured integrated autocorrelation time, written with
/// <see cref="SampleFile.Write"/>. τ_int, thermalisation, spacing and timing go to standard error; the path written
/// goes to standard output.
/// </summary>
internal sealed class SampleCommandFactory : IModelCommandFactory
{
    /// <summary>Default number of chains (fixed, so that the output does not depend on the machine).</summary>
    public const int DefaultChains = ModelSampling.DefaultChains;

    public int Order => 10;

    public Command Create() => Create(ModelCatalog.Default);

    public Command Create(ModelCatalog models)
    {
        var sample = new Command("sample", "Draw equilibrium configurations of a model and write them to a sample file (.h5 or .npy).");
        foreach (var model in models.Models) sample.Subcommands.Add(Create(model));
        return sample;
    }

    /// <summary>The <c>rsmi sample MODEL</c> subcommand of <paramref name="model"/>.</summary>
    public static Command Create(IModel model)
    {
        var shared = model.Parameters.Where(p => p.IsShared).ToDictionary(p => p.Name);
        var own = model.Parameters.Where(p => !p.IsShared).Select(p => p.Accept(new OptionBinder())).ToList();
        var samples = new Option<int>("--samples") { Description = "Number N of configurations to save (at least 1).", Required = true };
        var algorithm = new Option<string>("--algorithm")
        {
            Description = shared.GetValueOrDefault("algorithm")?.Help
                ?? $"Update algorithm: {string.Join(", ", model.Algorithms)} (default {model.Algorithms[0]}).",
            DefaultValueFactory = _ => Default(shared, "algorithm", model.Algorithms[0]),
        };
        int defaultChains = Default(shared, "chains", DefaultChains);
        var chains = new Option<int>("--chains")
        {
            Description = shared.GetValueOrDefault("chains")?.Help ?? $"Independent Markov chains, each with its own random stream (default {defaultChains}, at most N).",
            DefaultValueFactory = _ => defaultChains,
        };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores). Does not change the output.", DefaultValueFactory = _ => -1 };
        var seed = new Option<long>("--seed") { Description = "Random seed (default 1). The same seed and options give the same file.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output sample file: .h5/.hdf5 (with metadata) or .npy.", Required = true };

        var command = new Command(model.Name, model.Summary);
        foreach (var (option, _) in own) command.Options.Add(option);
        foreach (var o in new Option[] { samples, algorithm, chains, threads, seed, output }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var arguments = ModelArguments.Defaults(model);
            foreach (var (_, bind) in own) bind(parse, arguments);
            return Run(model, arguments, parse.GetValue(algorithm)!, parse.GetValue(samples), parse.GetValue(chains), parse.GetValue(threads),
                parse.GetValue(seed), parse.GetValue(output)!);
        });
        return command;
    }

    private static T Default<T>(Dictionary<string, ModelParameter> shared, string name, T fallback) => shared.GetValueOrDefault(name) switch
    {
        null => fallback,
        ModelParameter<T> p => p.Default,
        var p => throw new InvalidOperationException($"the parameter '{name}' must have values of type {typeof(T).Name}, not {p.ValueType.Name}."),
    };

    /// <summary>An option for a model parameter of any type, and how to copy its value into the arguments.</summary>
    private sealed class OptionBinder : IParameterVisitor<(Option Option, Action<ParseResult, ModelArguments> Bind)>
    {
        public (Option Option, Action<ParseResult, ModelArguments> Bind) Visit<T>(ModelParameter<T> parameter)
        {
            var option = new Option<T>("--" + parameter.Name) { Description = parameter.Help, Required = parameter.Required };
            if (!parameter.Required && typeof(T) != typeof(bool)) option.DefaultValueFactory = _ => parameter.Default;
            if (parameter.Parser is { } parser)
            {
                option.CustomParser = result =>
                {
                    string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                    if (parser(text, out T value)) return value;
                    result.AddError(parameter.ParseError is { } error ? new RsmiInputException(error(text)).Render(name => "--" + name) : $"--{parameter.Name}: '{text}' is not a valid value.");
                    return default!;
                };
            }
            return (option, (parse, arguments) => arguments.Set(parameter, parse.GetValue(option)!, given: parse.GetResult(option) is { Implicit: false }));
        }
    }

    private static int Run(IModel model, ModelArguments arguments, string algorithm, int samples, int chains, int threads, long seed, string output)
    {
        // Every check before any work: bad input must not cost a long run.
        ModelSampling.Validate(model, arguments, algorithm, samples);
        OptionChecks.ChainsAndThreads(chains, threads);
        OptionChecks.OutputFile(output, sampleFile: true);

        var err = CommandOutput.Get().Err;
        using var cancel = Interruption.Listen();
        var clock = Stopwatch.StartNew();
        SampleSet set;
        using (var progress = ConsoleProgress.ForCommand())
            set = ModelSampling.Sample(model, arguments, algorithm, samples, unchecked((ulong)seed), Math.Min(chains, samples), threads, progress, cancel.Token);
        double seconds = clock.Elapsed.TotalSeconds;
        var m = set.Metadata;
        var inv = CultureInfo.InvariantCulture;
        string unit = model.StepUnit(algorithm), monitor = model.MonitorObservableFor(arguments), second = model.SecondObservableFor(arguments);
        err.WriteLine(string.Format(inv, "tau_int: {9} {0:F2} ± {1:F2}, {10} {2:F2} ± {3:F2} {4}; thermalization {5} {4}{6}; spacing {7} {4}; {8} chains",
            m.GetDouble("tau_int_energy"), m.GetDouble("tau_int_energy_error"),
            m.GetDouble("tau_int_abs_magnetization"), m.GetDouble("tau_int_abs_magnetization_error"), unit,
            m.GetLong("thermalization_steps"), m.GetLong("thermalization_converged") == 1 ? "" : " (tau_int did not settle within the pilot limit)",
            m.GetLong("spacing"), m.GetLong("chains"), monitor, second));
        if (m.GetDouble("tau_int_saved_energy") is double saved)
            err.WriteLine(string.Format(inv, "tau_int of the saved samples' {1}: {0:F2} samples (1/2 means independent)", saved, monitor));
        err.WriteLine(string.Format(inv, "sampled {0} configurations in {1:F2} s ({2:F1} samples/s)", samples, seconds, samples / Math.Max(seconds, 1e-9)));
        SampleFile.Write(output, set, cancel.Token);
        CommandOutput.Get().Out.WriteLine(string.Format(inv, "wrote {0} {1} configurations ({2}) to {3}", samples, model.Name, model.Summarise(arguments, algorithm), output));
        return CliApp.Success;
    }
}
