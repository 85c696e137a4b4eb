using Rsmi.Data;
using Rsmi.Renormalization;

namespace Rsmi.Models;

/// <summary>
/// Reads the temperature of configurations (bare or coarse-grained) off measured correlations, inverting a
/// model's exact results; the RG flow follows a model through it.
/// </summary>
public interface IThermometer
{
    /// <summary>Checks that <paramref name="samples"/> can be read (throws <see cref="RsmiInputException"/> naming <paramref name="what"/>).</summary>
    void Validate(SampleSet samples, string what = "the samples");
    /// <summary>The readings, with jackknife errors over <paramref name="jackknifeBlocks"/> blocks of configurations.</summary>
    Thermometry Read(SampleSet samples, int jackknifeBlocks = 20);
}
