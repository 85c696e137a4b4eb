using Rsmi.Data;
using Rsmi.Models;
using Rsmi.Progress;
using Rsmi.Sampling;

namespace Rsmi.Models.Dimers;

/// <summary>What to sample: <c>rsmi sample dimer</c>'s options.</summary>
/// <param name="L">Linear size, even, ≥ 2.</param>
/// <param name="Samples">Number of configurations N ≥ 1.</param>
/// <param name="NoiseCoupling">K_noise ≥ 0 (+∞ allowed), or null for no noise (noise pixels fixed at +1).</param>
/// <param name="Seed">The user's seed.</param>
/// <param name="Boundary">Torus (default) or open grid.</param>
/// <param name="Interaction">Aligning interaction u = V/T (finite; 0 = uniform coverings): weight exp(u N_∥).</param>
/// <param name="Monitor">The observables whose τ_int sets thermalisation and spacing: both the winding number and the squared
/// columnar order parameter |C|² (default, the larger τ_int decides), or one of them.</param>
/// <param name="SymmetryMoves">Whether each saved configuration is first mapped by a uniformly random symmetry of the lattice
/// (<see cref="DimerSymmetry"/>; default on), an exact move that carries the chain between the symmetry-related columnar states.</param>
public sealed record DimerSamplingOptions(int L, int Samples, double? NoiseCoupling, ulong Seed, DimerBoundary Boundary = DimerBoundary.Periodic, double Interaction = 0.0,
    DimerMonitor Monitor = DimerMonitor.Both, bool SymmetryMoves = true)
{
    /// <summary>Throws <see cref="RsmiInputException"/> naming the option for any invalid value.</summary>
    public void Validate()
    {
        if (L < 2 || (L & 1) != 0)
            throw new RsmiInputException($"{RsmiInputException.Option("size")} must be an even integer of at least 2 (dimers cover an L x L lattice only for even L), got {L}.");
        if (L > 1 << 14) throw new RsmiInputException($"{RsmiInputException.Option("size")} must be at most {1 << 14}, got {L}.");
        if (Samples < 1) throw new RsmiInputException($"{RsmiInputException.Option("samples")} must be a positive integer, got {Samples}.");
        Require.That((long)Samples * 4 * L * L <= Array.MaxLength, $"{RsmiInputException.Option("samples")} {Samples} of {2 * L}x{2 * L} images do not fit in memory; ask for fewer samples.");
        if (NoiseCoupling is double k) NoiseSpins.ValidateCoupling(k);
        Require.That(double.IsFinite(Interaction), $"{RsmiInputException.Option("interaction")} must be a finite number, got {Interaction}.");
        Require.That(Enum.IsDefined(Monitor), $"{RsmiInputException.Option("monitor")} must be both, winding or columnar, got {Monitor}.");
    }
}

/// <summary>
/// Draws dimer samples with the worm sampler (<see cref="Models.Dimers.DimerModel"/>), driven by <see cref="SampleCollector"/> (thermalisation and
/// spacing from the larger measured integrated autocorrelation time of <see cref="DimerWormSampler{TRandom}.MonitorObservable"/>
/// and <see cref="DimerWormSampler{TRandom}.AbsMagnetisation"/>: by default the winding number W_x = E_x/L and the squared
/// columnar order parameter |C|², the slow observables of the worm dynamics; with the symmetry move before each saved
/// configuration unless switched off; independent chains, each with its own random streams, so that the output does not
/// depend on the thread count), and adds the dimer metadata.
/// </summary>
public static class DimerSampling
{
    /// <summary>Default number of chains (fixed, so that the output does not depend on the machine).</summary>
    public const int DefaultChains = 4;

    /// <summary>
    /// Draws the samples. Metadata: <c>model = dimer</c>, <c>algorithm = worm</c>, <c>encoding</c>,
    /// <c>noise_coupling</c> (K, or "none" without noise), <c>boundary</c>, <c>size</c>, <c>interaction</c>,
    /// <c>symmetry_moves</c>, <c>tau_int_observable</c>, <c>seed</c>, <c>rsmi_version</c>, plus the collector's (<c>tau_int</c>, <c>spacing</c>,
    /// <c>thermalization_steps</c>, <c>chains</c>…; sampler steps are worms).
    /// </summary>
    /// <param name="options">What to sample (validated here).</param>
    /// <param name="chains">Independent chains ≥ 1 (at most N are used).</param>
    /// <param name="threads">Worker threads, −1 for the runtime's choice; does not change the output.</param>
    /// <param name="progress">Progress sink.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public static SampleSet Generate(DimerSamplingOptions options, int chains = DefaultChains, int threads = -1,
        IProgressReporter? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        Require.Positive(chains, RsmiInputException.Option("chains"));
        Require.That(threads == -1 || threads >= 1, $"{RsmiInputException.Option("threads")} must be at least 1, got {threads}.");
        var model = ModelCatalog.Dimer;
        return ModelSampling.Sample(model, model.Arguments(options), "worm", options.Samples, options.Seed,
            Math.Min(chains, options.Samples), threads, progress, cancellationToken);
    }
}
