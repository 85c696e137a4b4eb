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
    /// The same thermometer keeping what it measures to read (a Monte Carlo thermometer's calibrations) under
    /// <paramref name="directory"/>, reporting that work to <paramref name="progress"/>; a thermometer that measures
    /// nothing (an exact one) returns itself.
    /// </summary>
    IThermometer CachedIn(string? directory, Rsmi.Progress.IProgressReporter? progress = null) => this;
}
