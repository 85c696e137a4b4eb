using Rsmi.Data;
using Rsmi.Renormalization;

namespace Rsmi.Models;

/// <summary>
/// Reads the temperature of configurations (bare or coarse-grained) off measured correlations, by inverting a
/// model's exact results (the 2D Ising model) or a calibration measured with its own samplers (the Potts model); the
/// RG flow follows a model through it (docs/algorithm.md, "Thermometers").
/// </summary>
public interface IThermometer
{
    /// <summary>Checks that <paramref name="samples"/> can be read (throws <see cref="RsmiInputException"/> naming <paramref name="what"/>).</summary>
    void Validate(SampleSet samples, string what = "the samples");
    /// <summary>The readings, with jackknife errors over <paramref name="jackknifeBlocks"/> blocks of configurations.</summary>
    Thermometry Read(SampleSet samples, int jackknifeBlocks = 20);
    /// <summary>
    /// The same thermometer measuring what it reads against (a Monte Carlo thermometer's calibrations) as
    /// <paramref name="settings"/> say; a thermometer that measures nothing (an exact one) returns itself.
    /// </summary>
    IThermometer With(ThermometerSettings settings) => this;
}

/// <summary>How a thermometer that measures what it reads against (a Monte Carlo thermometer's calibrations) does so; null: its default.</summary>
public sealed record ThermometerSettings
{
    /// <summary>Where it keeps what it measured, to be reused by later runs (null: in memory only).</summary>
    public string? CacheDirectory { get; init; }
    /// <summary>Configurations per calibration temperature.</summary>
    public int? CalibrationSamples { get; init; }
    /// <summary>Where its work is reported.</summary>
    public Rsmi.Progress.IProgressReporter? Progress { get; init; }
}
