using Rsmi.Models.Ising.Exact;
using Rsmi.Models;
using Rsmi.Study;

namespace Rsmi.Cli.Run;

/// <summary>
/// The built-in studies: <c>default</c> (about two minutes on a 2-core laptop), <c>paper</c> (the full-size study of
/// the paper) and <c>accuracy</c> (the flow alone, close to T_c, with two-lattice matching and every rule on the same
/// samples: T_c, ν, y_h and the effective Hamiltonian rule by rule) and <c>potts</c> (the RG flows of the q = 3 and
/// q = 4 Potts models with a learned rule and the plurality rule: T_c by the Monte Carlo thermometer, ν by MCRG level
/// by level) and <c>ising3d</c> (the RG flow of the 3D Ising model on 32³, two steps, with the InfoNCE rule and
/// majority: T_c by the Monte Carlo thermometer; ν and y_h by MCRG at T_c on a 128³ lattice of its own, four steps
/// down to 8³, with <see cref="Ising3DMcrgSamples"/> configurations; the table by step).
/// </summary>
internal static class RunPresets
{
    public static readonly string[] Names = ["default", "paper", "accuracy", "potts", Ising3DPreset];

    /// <summary>The 3D Ising preset, named after its model.</summary>
    private static string Ising3DPreset => ModelCatalog.Ising3D.Name;

    /// <summary>The ising3d preset's starting temperatures: T_c·(1 + x) for x = −5 %, −3.33 %, −1.67 %, 0, +1.67 %, +3.33 %, +5 %
    /// (T_c = 1/K_c of the simple cubic lattice, docs/references.md).</summary>
    internal static double[] Ising3DTemperatures => [.. Enumerable.Range(-3, 7).Select(i => Math.Round(Ising3D.CriticalTemperature * (1 + i / 60.0), 6))];

    /// <summary>The ising3d preset's configurations of its 128³ MCRG lattice: the jackknife error of ν at the deepest
    /// level is about 0.0038 with 4,000 and 0.0044 with 3,000, which keep the study within ten minutes on two cores
    /// (docs/algorithm.md, "3D Ising operators").</summary>
    internal const int Ising3DMcrgSamples = 3000;

    /// <summary>The ising3d preset's flow lattice: 32³, two steps down to 8³, for T_c.</summary>
    internal const int Ising3DFlowSize = 32;

    /// <summary>The ising3d preset's MCRG lattice of its own: 128³, four steps down to the flow's last lattice (8³). Three
    /// steps leave ν 1.6–1.8 % high, the fourth +0.3 % (docs/algorithm.md, "3D Ising operators").</summary>
    internal const int Ising3DMcrgSize = 128;

    /// <summary>The accuracy preset's starting temperatures: T_c·(1 + x) for x = −1.5 %, −0.75 %, 0, +0.75 %, +1.5 %.</summary>
    internal static double[] AccuracyTemperatures => [.. new[] { -0.015, -0.0075, 0, 0.0075, 0.015 }.Select(x => Math.Round(Ising2D.CriticalTemperature * (1 + x), 6))];

    /// <summary>
    /// The accuracy preset's configurations at T_c, where MCRG runs: ν's jackknife error falls as 1/√N, about 0.014 with
    /// 2,000 configurations of 256×256 and 0.0035 with 16,000 (docs/algorithm.md, "MCRG at a chosen temperature").
    /// </summary>
    internal const int AccuracyMcrgSamples = 16000;

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
        "accuracy" => new RunConfig
        {
            Name = "accuracy",
            IsingFilters = new IsingFiltersConfig { Enabled = false },
            Dimer = new DimerConfig { Enabled = false },
            Flow = new FlowConfig
            {
                Size = 256, Samples = 2000, Steps = 6, Temperatures = AccuracyTemperatures, Rule = "infonce",
                TwoLattice = true, Compare = ["rbm", "majority", "decimation"],
                McrgTemperature = AccuracyTemperatures[2], McrgSamples = AccuracyMcrgSamples,
            },
        },
        "potts" => new RunConfig
        {
            Name = "potts",
            IsingFilters = new IsingFiltersConfig { Enabled = false },
            Flow = new FlowConfig { Enabled = false },
            Dimer = new DimerConfig { Enabled = false },
            Potts = new PottsConfig { Q = [3, 4] },
        },
        _ when name == Ising3DPreset => new RunConfig
        {
            Name = Ising3DPreset,
            IsingFilters = new IsingFiltersConfig { Enabled = false },
            Dimer = new DimerConfig { Enabled = false },
            Flow = new FlowConfig
            {
                Model = Ising3DPreset, Size = Ising3DFlowSize, Samples = 1000, Steps = 2, Temperatures = Ising3DTemperatures, Rule = "infonce",
                McrgTemperature = Ising3DTemperatures[3], McrgSamples = Ising3DMcrgSamples, McrgSize = Ising3DMcrgSize,
            },
        },
        _ => throw new RsmiInputException($"--preset: unknown preset '{name}'; available: {string.Join(", ", Names)}."),
    };
}
