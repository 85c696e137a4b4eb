using System.CommandLine;
using System.Reflection;
using Rsmi.Models;

namespace Rsmi.Cli.Commands;

/// <summary>
/// A top-level rsmi command. Each command lives in its own file as a class with a public parameterless
/// constructor implementing this interface; the catalog finds them all, so adding a command touches no
/// shared file.
/// </summary>
public interface ICommandFactory
{
    /// <summary>Position in <c>rsmi --help</c> (smaller first).</summary>
    int Order { get; }
    /// <summary>Builds the command with its options and action.</summary>
    Command Create();
}

/// <summary>A model under <c>rsmi sample</c> (ising2d, ising1d, dimer…), discovered like <see cref="ICommandFactory"/>.</summary>
public interface ISampleModelFactory
{
    /// <summary>Position in <c>rsmi sample --help</c>.</summary>
    int Order { get; }
    /// <summary>Builds the <c>rsmi sample MODEL</c> subcommand.</summary>
    Command Create();
}

/// <summary>Every subcommand of rsmi, found by reflection over this assembly.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All(ModelCatalog models) =>
        Discover<ICommandFactory>().OrderBy(f => f.Order).Select(f => f is SampleCommandFactory sample ? sample.Create(models) : f.Create());

    public static IEnumerable<Command> SampleModels() => Discover<ISampleModelFactory>().OrderBy(f => f.Order).Select(f => f.Create());

    private static IEnumerable<T> Discover<T>() =>
        typeof(CommandCatalog).Assembly.GetTypes()
            .Where(t => typeof(T).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false } && t.GetConstructor(Type.EmptyTypes) != null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (T)Activator.CreateInstance(t)!);
}

/// <summary><c>rsmi sample MODEL …</c>: the models are <see cref="ISampleModelFactory"/> implementations.</summary>
internal sealed class SampleCommandFactory : ICommandFactory
{
    public int Order => 10;

    public Command Create() => Create(ModelCatalog.Default);

    public Command Create(ModelCatalog models)
    {
        var sample = new Command("sample", "Draw equilibrium configurations of a model and write them to a sample file (.h5 or .npy).");
        foreach (var model in CommandCatalog.SampleModels()) sample.Subcommands.Add(model);
        return sample;
    }
}
