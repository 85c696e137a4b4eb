using Rsmi.Data;
using Rsmi.Dimers;
using Rsmi.IO;
using Rsmi.Progress;
using Rsmi.Sampling;

namespace Rsmi.Study.Stages;

/// <summary>What a sample stage draws (the settings of <c>rsmi sample</c>; the seed and the file are the stage's).</summary>
public abstract record SampleSettings
{
    /// <summary>Linear size L.</summary>
    public required int Size { get; init; }
    /// <summary>Number of configurations N.</summary>
    public required int Samples { get; init; }

    /// <summary>Throws <see cref="RsmiInputException"/> for settings the sampler refuses, before any work.</summary>
    public abstract void Validate();

    /// <summary>Draws the configurations, deterministically in <paramref name="seed"/>.</summary>
    public abstract SampleSet Draw(ulong seed, IProgressReporter progress, CancellationToken cancellation);
}

/// <summary>Ising configurations from <see cref="IsingSampling"/>, as <c>rsmi sample ising2d|ising1d</c> draws them.</summary>
public sealed record IsingSampleSettings : SampleSettings
{
    /// <summary>The model (<see cref="IsingSamplerFactory.Ising2D"/> or <see cref="IsingSamplerFactory.Ising1D"/>).</summary>
    public required string Model { get; init; }
    /// <summary>Temperature T.</summary>
    public required double Temperature { get; init; }
    /// <summary>Update algorithm.</summary>
    public required string Algorithm { get; init; }
    /// <summary>Independent chains (at most N are used).</summary>
    public int Chains { get; init; } = IsingSampling.DefaultChains;

    /// <inheritdoc />
    public override void Validate()
    {
        IsingSamplerFactory.Validate(Model, Algorithm, Size, Temperature);
        Require.Positive(Samples, "--samples");
    }

    /// <inheritdoc />
    public override SampleSet Draw(ulong seed, IProgressReporter progress, CancellationToken cancellation) =>
        IsingSampling.Sample(Model, Algorithm, Size, Temperature, Samples, seed, Math.Min(Chains, Samples), -1, progress, cancellation);
}

/// <summary>Dimer images with noise spins from <see cref="DimerSampling"/>, as <c>rsmi sample dimer</c> draws them (periodic, no interaction).</summary>
public sealed record DimerSampleSettings : SampleSettings
{
    /// <summary>Coupling K of the vertex–face noise pairs; null: no noise.</summary>
    public required double? NoiseCoupling { get; init; }
    /// <summary>Independent chains.</summary>
    public int Chains { get; init; } = DimerSampling.DefaultChains;

    private DimerSamplingOptions Options(ulong seed) => new(Size, Samples, NoiseCoupling, seed);

    /// <inheritdoc />
    public override void Validate() => Options(0).Validate();

    /// <inheritdoc />
    public override SampleSet Draw(ulong seed, IProgressReporter progress, CancellationToken cancellation) =>
        DimerSampling.Generate(Options(seed), Chains, -1, progress, cancellation);
}

/// <summary>A sample stage: draws the configurations and writes them to a sample file.</summary>
public static class SampleStage
{
    /// <summary>
    /// Draws <paramref name="settings"/>' configurations with <paramref name="seed"/> and writes them to
    /// <paramref name="output"/> (.h5, .hdf5 or .npy; written whole or not at all). Returns what was written.
    /// </summary>
    public static SampleSet Run(SampleSettings settings, ulong seed, string output, IProgressReporter progress, CancellationToken cancellation = default)
    {
        settings.Validate();
        var set = settings.Draw(seed, progress, cancellation);
        SampleFile.Write(output, set, cancellation);
        return set;
    }
}
