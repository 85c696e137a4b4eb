using Rsmi.Data;
using Rsmi.Progress;
using Rsmi.Statistics;

namespace Rsmi.Dimers;

/// <summary>What to sample: <c>rsmi sample dimer</c>'s options.</summary>
/// <param name="L">Linear size, even, ≥ 2.</param>
/// <param name="Samples">Number of configurations N ≥ 1.</param>
/// <param name="NoiseCoupling">K_noise ≥ 0 (+∞ allowed), or null for no noise (noise pixels fixed at +1).</param>
/// <param name="Seed">The user's seed.</param>
/// <param name="Boundary">Torus (default) or open grid.</param>
public sealed record DimerSamplingOptions(int L, int Samples, double? NoiseCoupling, ulong Seed, DimerBoundary Boundary = DimerBoundary.Periodic)
{
    /// <summary>Throws <see cref="RsmiInputException"/> naming the option for any invalid value.</summary>
    public void Validate()
    {
        if (L < 2 || (L & 1) != 0)
            throw new RsmiInputException($"--size must be an even integer of at least 2 (dimers cover an L x L lattice only for even L), got {L}.");
        DimerLattice.Validate(L);
        if (Samples < 1) throw new RsmiInputException($"--samples must be a positive integer, got {Samples}.");
        Require.That((long)Samples * 4 * L * L <= Array.MaxLength, $"--samples {Samples} of {2 * L}x{2 * L} images do not fit in memory; ask for fewer samples.");
        if (NoiseCoupling is double k) NoiseSpins.ValidateCoupling(k);
    }
}

/// <summary>
/// Draws dimer samples with the worm sampler and packs them as 2L×2L images with metadata. A single chain,
/// so the result depends only on the options (whatever the thread count). Procedure: start from the
/// columnar covering; thermalise for <see cref="MinimumThermalisationWorms"/> worms (the worm reaches every
/// winding sector within a few worms at L ≤ 128); measure τ_int (Sokal windowing,
/// <see cref="AutoCorrelation"/>) of the slowest cheap observables — the winding numbers W_x, W_y and W² —
/// over a pilot run that is extended until it is at least 100 τ_int long (it also serves as further
/// thermalisation); then take one configuration every ⌈2 τ_int⌉ worms, which makes successive samples
/// nearly independent (the autocorrelation of the saved series at lag 1 is about e^{−2}).
/// </summary>
public static class DimerSampling
{
    /// <summary>Worms run before anything is measured.</summary>
    public const int MinimumThermalisationWorms = 1000;
    /// <summary>Length of the first pilot run, in worms.</summary>
    public const int PilotWorms = 4000;
    /// <summary>Longest pilot run, in worms.</summary>
    public const int MaximumPilotWorms = 1 << 22;

    /// <summary>The result of a pilot run: τ_int of the slowest observable, in worms, and the spacing chosen.</summary>
    public readonly record struct Pilot(double TauInt, double TauError, int Spacing, long PilotWorms, double MeanWormLength);

    /// <summary>Draws the samples (see the class remarks); metadata: model, encoding, noise_coupling, algorithm, seed, boundary, tau_int, sample_spacing.</summary>
    public static SampleSet Generate(DimerSamplingOptions options, IProgressReporter? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        progress ??= NullProgress.Instance;
        var lattice = new DimerLattice(options.L, options.Boundary);
        var sampler = DimerWormSampler.Create(lattice, options.Seed, options.NoiseCoupling);
        progress.Report("thermalising", 0);
        sampler.Run(MinimumThermalisationWorms);
        progress.Report("thermalising", 0.5);
        var pilot = MeasureSpacing(sampler, cancellationToken);
        progress.Report("thermalising", 1, $"tau_int = {pilot.TauInt:F2} worms, spacing {pilot.Spacing} worms");

        int pixels = 4 * options.L * options.L;
        var data = new sbyte[(long)options.Samples * pixels];
        for (int n = 0; n < options.Samples; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sampler.Run(pilot.Spacing);
            sampler.CopyConfiguration(data.AsSpan(n * pixels, pixels));
            if ((n & 63) == 63 || n == options.Samples - 1) progress.Report("sampling", (n + 1.0) / options.Samples);
        }
        var metadata = new SampleMetadata
        {
            Model = "dimer",
            Algorithm = "worm",
            Seed = (long)options.Seed,
        };
        metadata.Set("encoding", options.NoiseCoupling.HasValue ? DimerImage.Encoding : DimerImage.EncodingWithoutNoise);
        metadata.Set("noise_coupling", options.NoiseCoupling.HasValue ? options.NoiseCoupling.Value : "none");
        metadata.Set("boundary", options.Boundary == DimerBoundary.Periodic ? "periodic" : "open");
        metadata.Set("size", options.L);
        metadata.Set("tau_int", pilot.TauInt);
        metadata.Set("tau_int_observable", "winding numbers W_x, W_y, W^2 (max), in worms");
        metadata.Set("sample_spacing", pilot.Spacing);
        metadata.Set("thermalisation", MinimumThermalisationWorms + pilot.PilotWorms);
        return new SampleSet(options.Samples, [2 * options.L, 2 * options.L], data, metadata);
    }

    /// <summary>
    /// Runs pilot worms on <paramref name="sampler"/> (already thermalised) and returns τ_int of the slowest of
    /// W_x, W_y, W_x² + W_y² (on the open grid: the whole-lattice staggered sums E_x/L, E_y/L) and the spacing
    /// ⌈2 τ_int⌉. The pilot doubles in length until it is ≥ 100 τ_int (or reaches <see cref="MaximumPilotWorms"/>).
    /// </summary>
    public static Pilot MeasureSpacing<TRandom>(DimerWormSampler<TRandom> sampler, CancellationToken cancellationToken = default)
        where TRandom : struct, Rsmi.Random.IRandomSource
    {
        int length = PilotWorms;
        long total = 0;
        long work0 = sampler.Work;
        double l = sampler.Lattice.L;
        while (true)
        {
            var wx = new double[length]; var wy = new double[length]; var w2 = new double[length];
            for (int k = 0; k < length; k++)
            {
                if ((k & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
                sampler.Step();
                wx[k] = sampler.ElectricFieldX / l; wy[k] = sampler.ElectricFieldY / l;
                w2[k] = wx[k] * wx[k] + wy[k] * wy[k];
            }
            total += length;
            var slowest = new[] { AutoCorrelation.IntegratedTime(wx), AutoCorrelation.IntegratedTime(wy), AutoCorrelation.IntegratedTime(w2) }
                .MaxBy(t => t.Tau);
            if (length >= 100 * slowest.Tau || length >= MaximumPilotWorms)
            {
                int spacing = Math.Max(1, (int)Math.Ceiling(2 * slowest.Tau));
                return new Pilot(slowest.Tau, slowest.Error, spacing, total, (sampler.Work - work0) / (double)total);
            }
            length *= 2;
        }
    }
}
