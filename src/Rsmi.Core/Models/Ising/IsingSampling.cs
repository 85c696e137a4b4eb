using Rsmi.Data;
using Rsmi.Models;
using Rsmi.Progress;

namespace Rsmi.Models.Ising;

/// <summary>
/// Equilibrium Ising samples in one call: <see cref="ModelSampling.Sample"/> for an Ising model of
/// <see cref="ModelCatalog.Default"/> at size L and temperature T.
/// </summary>
public static class IsingSampling
{
    /// <summary>
    /// <paramref name="samples"/> configurations of <paramref name="model"/> (the 2D model: L × L torus, the 1D model:
    /// chain of L sites) at temperature T from <paramref name="chains"/> independent chains.
    /// Valid inputs: see <see cref="IsingSamplerFactory.Validate"/>; samples and chains ≥ 1; threads −1 or ≥ 1.
    /// The result does not depend on <paramref name="threads"/>.
    /// </summary>
    public static SampleSet Sample(string model, string algorithm, int size, double temperature, int samples, ulong seed,
        int chains = 1, int threads = -1, IProgressReporter? progress = null, CancellationToken cancellation = default)
    {
        var ising = IsingSamplerFactory.Model(model);
        return ModelSampling.Sample(ising, ising.Arguments(size, temperature), algorithm, samples, seed, chains, threads, progress, cancellation);
    }
}
