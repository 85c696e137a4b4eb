using Rsmi.Data;
using Rsmi.IO;
using Rsmi.Models;
using Rsmi.Models.Dimers;
using Rsmi.Models.Ising;
using Rsmi.Progress;

namespace Rsmi.Study.Stages;

/// <summary>
/// What a sample stage draws (the settings of <c>rsmi sample MODEL</c>; the seed and the file are the stage's): a
/// model of the <see cref="ModelCatalog"/>, its arguments, the algorithm and the number of configurations.
/// </summary>
public abstract record SampleSettings
{
    /// <summary>Number of configurations N.</summary>
    public required int Samples { get; init; }
    /// <summary>Update algorithm (null: the model's default).</summary>
    public string? Algorithm { get; init; }
    /// <summary>Independent chains (at most N are used), as <c>rsmi sample --chains</c>.</summary>
    public int Chains { get; init; } = ModelSampling.DefaultChains;

    /// <summary>The model.</summary>
    public abstract IModel ModelOf();

    /// <summary>The model's arguments.</summary>
    public abstract ModelArguments ArgumentsOf();

    /// <summary>The algorithm that runs.</summary>
    public string AlgorithmOf() => Algorithm ?? ModelOf().Algorithms[0];

    /// <summary>Throws <see cref="RsmiInputException"/> for settings the model refuses, before any work.</summary>
    public void Validate() => ModelSampling.Validate(ModelOf(), ArgumentsOf(), AlgorithmOf(), Samples);

    /// <summary>Draws the configurations, deterministically in <paramref name="seed"/>, as <c>rsmi sample</c> does.</summary>
    public SampleSet Draw(ulong seed, IProgressReporter progress, CancellationToken cancellation) =>
        ModelSampling.Sample(ModelOf(), ArgumentsOf(), AlgorithmOf(), Samples, seed, Math.Min(Chains, Samples), -1, progress, cancellation);
}

/// <summary>Ising configurations at size L and temperature T.</summary>
public sealed record IsingSampleSettings : SampleSettings
{
    /// <summary>The Ising model's name in the catalog.</summary>
    public string Model { get; init; } = ModelCatalog.Ising2D.Name;
    /// <summary>Linear size L.</summary>
    public required int Size { get; init; }
    /// <summary>Temperature T.</summary>
    public required double Temperature { get; init; }

    /// <inheritdoc />
    public override IModel ModelOf() => IsingSamplerFactory.Model(Model);

    /// <inheritdoc />
    public override ModelArguments ArgumentsOf() => IsingSamplerFactory.Model(Model).Arguments(Size, Temperature);
}

/// <summary>Dimer images with noise spins on an L × L torus (no interaction).</summary>
public sealed record DimerSampleSettings : SampleSettings
{
    /// <summary>Linear size L of the dimer lattice.</summary>
    public required int Size { get; init; }
    /// <summary>Coupling K of the vertex–face noise pairs; null: no noise.</summary>
    public required double? NoiseCoupling { get; init; }

    /// <inheritdoc />
    public override IModel ModelOf() => ModelCatalog.Dimer;

    /// <inheritdoc />
    public override ModelArguments ArgumentsOf() => ModelCatalog.Dimer.Arguments(new DimerSamplingOptions(Size, Samples, NoiseCoupling, 0));
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
