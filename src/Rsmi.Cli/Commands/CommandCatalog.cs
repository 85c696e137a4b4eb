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

/// <summary>A command built from the models the command line runs with (<c>rsmi sample</c>: one subcommand per model).</summary>
public interface IModelCommandFactory : ICommandFactory
{
    /// <summary>Builds the command for the models of <paramref name="models"/>.</summary>
    Command Create(ModelCatalog models);
}

/// <summary>Every subcommand of rsmi, found by reflection over this assembly.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All(ModelCatalog models) =>
        Discover<ICommandFactory>().OrderBy(f => f.Order).Select(f => f is IModelCommandFactory m ? m.Create(models) : f.Create());

    private static IEnumerable<T> Discover<T>() =>
        typeof(CommandCatalog).Assembly.GetTypes()
            .Where(t => typeof(T).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false } && t.GetConstructor(Type.EmptyTypes) != null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (T)Activator.CreateInstance(t)!);
}
