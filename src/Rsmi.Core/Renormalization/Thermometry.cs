using Rsmi.Statistics;

namespace Rsmi.Renormalization;

/// <summary>
/// What a model's thermometer (<see cref="Rsmi.Models.IThermometer"/>) reads on one set of (possibly coarse-grained)
/// L × L configurations: correlations, the correlation length and the temperature by one or more thermometers, the
/// primary one first (docs/algorithm.md, "Thermometers"). Every temperature comes with its delete-one-block jackknife
/// replicates so that estimates built from several steps and temperatures can propagate errors with their
/// correlations; the other readings give a systematic error, half their range (<see cref="Spread"/>).
/// </summary>
public sealed class Thermometry
{
    /// <summary>The readings of the 2D Ising thermometer, in order: Kaufman (primary), Onsager, McCoy–Wu.</summary>
    public static IReadOnlyList<string> IsingReadings { get; } = ["kaufman", "onsager", "mccoy_wu"];

    /// <summary>Linear size L of the lattice read.</summary>
    public required int Size { get; init; }
    /// <summary>c1, the nearest-neighbour correlation of the order parameter (Ising: ⟨s_0 s_1⟩; Potts: (q⟨δ(s_0, s_1)⟩ − 1)/(q − 1)), with its jackknife error.</summary>
    public required Estimate NearestNeighbourCorrelation { get; init; }
    /// <summary>c2, the same at the diagonal neighbour (Ising: ⟨s_00 s_11⟩).</summary>
    public required Estimate DiagonalCorrelation { get; init; }
    /// <summary>Second-moment correlation length (lattice units of this level).</summary>
    public required Estimate CorrelationLength { get; init; }
    /// <summary>Names of the readings (flow.json writes reading i ≥ 1 as <c>effective_temperature_NAME</c>); default: <see cref="IsingReadings"/>.</summary>
    public IReadOnlyList<string> Thermometers { get; init; } = IsingReadings;
    /// <summary>The temperature by each reading, statistical error only; the first is the primary thermometer.</summary>
    public required Estimate[] Temperatures { get; init; }
    /// <summary>The primary reading: the thermometer of the flow, statistical error only.</summary>
    public Estimate PrimaryTemperature => Temperatures[0];
    /// <summary>Half the range of the readings (Ising: a systematic error of reading T off a non-nearest-neighbour
    /// Hamiltonian; Monte Carlo thermometer: of the calibration).</summary>
    public double Spread
    {
        get
        {
            double max = Temperatures[0].Value, min = Temperatures[0].Value;
            // A reading outside its range (NaN) has nothing to say about the spread: the others' range is used.
            for (int i = 1; i < Temperatures.Length; i++)
            {
                if (!double.IsFinite(Temperatures[i].Value)) continue;
                max = Math.Max(max, Temperatures[i].Value); min = Math.Min(min, Temperatures[i].Value);
            }
            return 0.5 * (max - min);
        }
    }
    /// <summary>The effective temperature: the primary reading with error² = jackknife² + spread².</summary>
    public Estimate EffectiveTemperature => new(PrimaryTemperature.Value, Math.Sqrt(PrimaryTemperature.Error * PrimaryTemperature.Error + Spread * Spread));
    /// <summary>Jackknife replicates (one per omitted block) of every reading, in the order of <see cref="Thermometers"/>.</summary>
    public required double[][] Replicates { get; init; }

    /// <summary>T from c1 by the exact L × L torus relation (Kaufman): the 2D Ising thermometer's primary reading.</summary>
    public Estimate KaufmanTemperature => Temperatures[0];
    /// <summary>T from c1 by the infinite-lattice relation (Onsager), the 2D Ising thermometer's second reading.</summary>
    public Estimate OnsagerTemperature => Temperatures[1];
    /// <summary>T from c2 by the infinite-lattice relation (McCoy–Wu), the 2D Ising thermometer's third reading.</summary>
    public Estimate McCoyWuTemperature => Temperatures[2];
}
