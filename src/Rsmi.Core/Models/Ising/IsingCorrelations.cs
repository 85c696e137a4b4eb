using Rsmi.Data;
using Rsmi.Renormalization;

namespace Rsmi.Models.Ising;

/// <summary>
/// The per-configuration values the thermometers average (docs/algorithm.md, "Thermometers"), taken from
/// <see cref="IsingObservables"/>: nearest-neighbour and diagonal correlations per site, and the second-moment
/// quantities χ = M²/N and F = |M̃(k_min)|²/N (k_min = 2π/L along x and y, averaged), packed four per
/// configuration so that jackknife blocks are sums over contiguous rows.
/// </summary>
public static class IsingCorrelations
{
    /// <summary>Number of values per configuration.</summary>
    public const int Count = 4;

    /// <summary>Index of c1 = (1/2N) Σ_i s_i (s_{i+x} + s_{i+y}).</summary>
    public const int NearestNeighbour = 0;
    /// <summary>Index of c2 = (1/2N) Σ_i s_i (s_{i+x+y} + s_{i+x−y}).</summary>
    public const int Diagonal = 1;
    /// <summary>Index of χ = M²/N.</summary>
    public const int MagnetisationSquared = 2;
    /// <summary>Index of F = |M̃(k_min)|²/N.</summary>
    public const int LowestModeSquared = 3;

    /// <summary>All configurations of <paramref name="set"/> (2D): count × <see cref="Count"/> values.</summary>
    public static double[] MeasureAll(SampleSet set)
    {
        var observables = new IsingObservables(set.Lx, set.Ly);
        var values = new double[set.Count * Count];
        Parallel.For(0, set.Count, i =>
        {
            var m = observables.Measure(set.Configuration(i));
            var v = values.AsSpan(i * Count, Count);
            v[NearestNeighbour] = m.NearestNeighbour;
            v[Diagonal] = m.Diagonal;
            v[MagnetisationSquared] = m.StructureFactorZero;
            v[LowestModeSquared] = m.StructureFactorMin;
        });
        return values;
    }

    /// <summary>Second-moment correlation length from the averages χ and F (<see cref="IsingObservables.SecondMomentCorrelationLength"/>).</summary>
    public static double SecondMomentCorrelationLength(double chi, double f, int l) => IsingObservables.SecondMomentCorrelationLength(chi, f, l);
}
