using Rsmi.Statistics;
using Rsmi.Models.Ising.Exact;

namespace Rsmi.Renormalization;

/// <summary>
/// What the thermometers read on one set of (possibly coarse-grained) L × L Ising configurations. Every
/// temperature-like quantity comes with its delete-one-block jackknife replicates so that estimates built from
/// several steps and temperatures can propagate errors with their correlations.
/// </summary>
public sealed class Thermometry
{
    /// <summary>Linear size L of the lattice read.</summary>
    public required int Size { get; init; }
    /// <summary>c1 = ⟨s_0 s_1⟩ with its jackknife error.</summary>
    public required Estimate NearestNeighbourCorrelation { get; init; }
    /// <summary>c2 = ⟨s_00 s_11⟩.</summary>
    public required Estimate DiagonalCorrelation { get; init; }
    /// <summary>Second-moment correlation length (lattice units of this level).</summary>
    public required Estimate CorrelationLength { get; init; }
    /// <summary>T from c1 by the exact L × L torus relation (Kaufman): the primary thermometer, statistical error only.</summary>
    public required Estimate KaufmanTemperature { get; init; }
    /// <summary>T from c1 by the infinite-lattice relation (Onsager).</summary>
    public required Estimate OnsagerTemperature { get; init; }
    /// <summary>T from c2 by the infinite-lattice relation (McCoy–Wu).</summary>
    public required Estimate McCoyWuTemperature { get; init; }
    /// <summary>Half the range of the three thermometers (a systematic error of reading T off a non-nearest-neighbour Hamiltonian).</summary>
    public double Spread => 0.5 * (Math.Max(KaufmanTemperature.Value, Math.Max(OnsagerTemperature.Value, McCoyWuTemperature.Value))
                                   - Math.Min(KaufmanTemperature.Value, Math.Min(OnsagerTemperature.Value, McCoyWuTemperature.Value)));
    /// <summary>The effective temperature: Kaufman's value with error² = jackknife² + spread².</summary>
    public Estimate EffectiveTemperature => new(KaufmanTemperature.Value, Math.Sqrt(KaufmanTemperature.Error * KaufmanTemperature.Error + Spread * Spread));
    /// <summary>Jackknife replicates (one per omitted block) of the Kaufman, Onsager and McCoy–Wu temperatures.</summary>
    public required double[][] Replicates { get; init; }
}
