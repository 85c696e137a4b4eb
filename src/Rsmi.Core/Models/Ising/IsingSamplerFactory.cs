using Rsmi.Models;
using Rsmi.Models.Ising;
using Rsmi.Random;

namespace Rsmi.Models.Ising;

/// <summary>
/// Ising samplers by model and algorithm name (the names accepted by <c>rsmi sample MODEL --algorithm</c>), for
/// the Ising models of <see cref="ModelCatalog.Default"/> (<see cref="IsingModel"/>: its chains, checks and
/// random streams).
/// </summary>
public static class IsingSamplerFactory
{
    /// <summary>The names of the Ising models.</summary>
    public static IReadOnlyList<string> Models => ModelCatalog.Default.Models.OfType<IsingModel>().Select(m => m.Name).ToArray();

    /// <summary>The Ising model named <paramref name="model"/>; throws <see cref="RsmiInputException"/> for any other name.</summary>
    public static IsingModel Model(string model) => ModelCatalog.Default.Find(model) as IsingModel
        ?? throw new RsmiInputException($"unknown model '{model}'; known models: {string.Join(", ", Models)}.");

    /// <summary>The one-chain algorithm names of <paramref name="model"/>, the default first.</summary>
    public static IReadOnlyList<string> Algorithms(string model) => Model(model).ScalarAlgorithms;

    /// <summary>The default algorithm: Wolff for the 2D model, exact sampling of the open chain for the 1D one.</summary>
    public static string DefaultAlgorithm(string model) => Algorithms(model)[0];

    /// <summary>Whether the 1D <paramref name="algorithm"/> samples a ring (true) or the open chain (false).</summary>
    public static bool IsPeriodic(string model, string algorithm) => Model(model).Dimension != 1 || Ising1DModel.IsPeriodic(algorithm);

    /// <summary>Checks a (model, algorithm, size, temperature) combination (see <see cref="IsingModel.Validate(string, int, double)"/>).</summary>
    public static void Validate(string model, string algorithm, int size, double temperature) => Model(model).Validate(algorithm, size, temperature);

    /// <summary>A sampler of one chain of <paramref name="model"/> (see <see cref="IsingModel.CreateSampler"/>).</summary>
    public static IsingSamplerBase<Xoshiro256StarStar> Create(string model, string algorithm, int size, double temperature, ulong seed, int chainIndex = 0)
        => Model(model).CreateSampler(algorithm, size, temperature, seed, chainIndex);
}
