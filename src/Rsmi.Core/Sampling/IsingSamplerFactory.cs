using Rsmi.Random;

namespace Rsmi.Sampling;

/// <summary>
/// Builds Ising samplers by model and algorithm name (the names accepted by <c>rsmi sample --algorithm</c>).
/// Every chain takes its own random stream <c>RandomStreams.Create(seed, chainIndex, "model/algorithm")</c>,
/// so a chain's trajectory depends only on (seed, chain index), never on threads.
/// </summary>
public static class IsingSamplerFactory
{
    /// <summary>The 2D Ising model on an L × L torus.</summary>
    public const string Ising2D = "ising2d";
    /// <summary>The 1D Ising chain.</summary>
    public const string Ising1D = "ising1d";

    private static readonly Dictionary<string, string[]> AlgorithmsByModel = new(StringComparer.Ordinal)
    {
        [Ising2D] = ["wolff", "swendsen-wang", "metropolis", "heatbath"],
        [Ising1D] = ["exact", "metropolis", "wolff"],
    };

    /// <summary>The model names.</summary>
    public static IReadOnlyList<string> Models => [Ising2D, Ising1D];

    /// <summary>The algorithm names of <paramref name="model"/>, the default first.</summary>
    public static IReadOnlyList<string> Algorithms(string model)
    {
        Require.That(AlgorithmsByModel.ContainsKey(model), $"unknown model '{model}'; known models: {string.Join(", ", Models)}.");
        return AlgorithmsByModel[model];
    }

    /// <summary>The default algorithm: Wolff for ising2d, exact sampling of the open chain for ising1d.</summary>
    public static string DefaultAlgorithm(string model) => Algorithms(model)[0];

    /// <summary>Whether the 1D <paramref name="algorithm"/> samples a ring (true) or the open chain (false).</summary>
    public static bool IsPeriodic(string model, string algorithm) => !(model == Ising1D && algorithm == "exact");

    /// <summary>
    /// Checks a (model, algorithm, size, temperature) combination and throws <see cref="RsmiInputException"/>
    /// with a sentence naming the option when it is invalid: unknown names, size &lt; 2, odd size for the
    /// checkerboard updates, T not finite and positive.
    /// </summary>
    public static void Validate(string model, string algorithm, int size, double temperature)
    {
        var algorithms = Algorithms(model);
        bool multispin = model == Ising2D && Multispin.MultispinAlgorithms.IsMultispin(algorithm);
        bool lattice = model == Ising2D && Multispin.MultispinAlgorithms.IsLattice(algorithm);
        Require.That(algorithms.Contains(algorithm) || multispin || lattice,
            $"--algorithm: unknown algorithm '{algorithm}' for {model}; choose one of {string.Join(", ", model == Ising2D ? [.. algorithms, .. Multispin.MultispinAlgorithms.Names, .. Multispin.MultispinAlgorithms.LatticeNames] : algorithms)}.");
        if (lattice)
        {
            int multiple = Multispin.MultispinAlgorithms.LatticeSizeMultiple(algorithm);
            Require.That(size >= multiple && size % multiple == 0,
                $"--size must be a multiple of {multiple} for {algorithm} (each of its {multiple / 2} strips needs an even number of rows), got {size}.");
        }
        Require.That(size >= 2, $"--size must be at least 2, got {size}.");
        Require.That(!(model == Ising2D && algorithm is "metropolis" or "heatbath") || size % 2 == 0,
            $"--size must be even for the checkerboard {algorithm} update, got {size}.");
        Require.That(!multispin || (size >= 4 && size % 2 == 0),
            $"--size must be even and at least 4 for {algorithm}, got {size}.");
        Require.That(size <= (model == Ising2D ? 46340 : int.MaxValue / 2), $"--size {size} is too large.");
        Require.That(temperature > 0 && double.IsFinite(temperature), $"--temperature must be a finite positive number, got {temperature}.");
    }

    /// <summary>T_c = 2 / ln(1 + √2) of the 2D Ising model (Onsager).</summary>
    private const double CriticalTemperature2D = 2.269185314213022;

    /// <summary>
    /// A sampler of <paramref name="model"/> (<c>ising2d</c>: L × L torus; <c>ising1d</c>: chain of L sites) with
    /// <paramref name="algorithm"/> at temperature T, on stream (<paramref name="seed"/>, <paramref name="chainIndex"/>).
    /// 2D chains start from random spins at T ≥ T_c and from an ordered state of random sign below T_c (a random start
    /// there can coarsen into stripes that local updates take extremely long to remove). Valid inputs: see <see cref="Validate"/>.
    /// </summary>
    public static IsingSamplerBase<Xoshiro256StarStar> Create(string model, string algorithm, int size, double temperature, ulong seed, int chainIndex = 0)
    {
        Validate(model, algorithm, size, temperature);
        var rng = RandomStreams.Create(seed, (ulong)chainIndex, model + "/" + algorithm);
        IsingSamplerBase<Xoshiro256StarStar> sampler = (model, algorithm) switch
        {
            (Ising2D, "metropolis") => new Ising2DMetropolis<Xoshiro256StarStar>(size, temperature, rng),
            (Ising2D, "heatbath") => new Ising2DHeatBath<Xoshiro256StarStar>(size, temperature, rng),
            (Ising2D, "wolff") => new Ising2DWolff<Xoshiro256StarStar>(size, temperature, rng),
            (Ising2D, "swendsen-wang") => new Ising2DSwendsenWang<Xoshiro256StarStar>(size, temperature, rng),
            (Ising1D, "exact") => new Ising1DExact<Xoshiro256StarStar>(size, temperature, rng),
            (Ising1D, "metropolis") => new Ising1DMetropolis<Xoshiro256StarStar>(size, temperature, rng),
            (Ising1D, "wolff") => new Ising1DWolff<Xoshiro256StarStar>(size, temperature, rng),
            (Ising2D, _) when Multispin.MultispinAlgorithms.IsMultispin(algorithm) => throw new ArgumentException(
                $"{algorithm} runs many replicas at once: use Multispin.MultispinAlgorithms.Create and Multispin.MultispinSampling (IsingSampling.Sample routes there)."),
            _ => throw new RsmiInputException($"unknown algorithm '{algorithm}' for {model}.")
        };
        if (model == Ising2D && temperature < CriticalTemperature2D) sampler.SetOrdered();
        return sampler;
    }
}
