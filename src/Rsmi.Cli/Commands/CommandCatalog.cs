using System.CommandLine;

namespace Rsmi.Cli.Commands;

/// <summary>Every subcommand of rsmi, in the order shown by <c>rsmi --help</c>. Each command lives in its own file.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield break;
    }
}
