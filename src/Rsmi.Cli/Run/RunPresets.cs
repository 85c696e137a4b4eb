using Rsmi.Models.Ising.Exact;
using Rsmi.Study;

namespace Rsmi.Cli.Run;

/// <summary>The built-in studies: <c>default</c> (about two minutes on a 2-core laptop) and <c>paper</c> (the full-size study of the paper).</summary>
internal static class RunPresets
{
    public static readonly string[] Names = ["default", "paper"];

    public static RunConfig Get(string name) => name switch
    {
        "default" => new RunConfig { Name = "default" },
        "paper" => new RunConfig
        {
            Name = "paper",
            IsingFilters = new IsingFiltersConfig { Size = 64, Samples = 5000, Hidden = [1, 4] },
            Flow = new FlowConfig
            {
                Size = 128, Samples = 5000, Steps = 4,
                Temperatures = Enumerable.Range(0, 9).Select(i => Math.Round(Rsmi.Models.Ising.Exact.Ising2D.CriticalTemperature * (0.9 + 0.025 * i), 6)).ToArray(),
            },
            Dimer = new DimerConfig { Size = 32, Hidden = [2, 4] },
        },
        _ => throw new RsmiInputException($"--preset: unknown preset '{name}'; available: {string.Join(", ", Names)}."),
    };
}
