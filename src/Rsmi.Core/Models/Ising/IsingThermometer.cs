using Rsmi.Statistics;
using Rsmi.Data;
using Rsmi.Exact;
using Rsmi.Models;
using Rsmi.Models.Ising.Exact;
using Rsmi.Renormalization;

namespace Rsmi.Models.Ising;

/// <summary>
/// Effective temperature of Ising configurations (docs/algorithm.md, "Thermometers"): invert the exact nearest-neighbour correlation of
/// the L × L torus (Kaufman 1949; finite-size exact, so the primary reading on small coarse lattices), cross-checked
/// by the infinite-lattice Onsager relation c1 = −u/2 and the McCoy–Wu diagonal correlation; plus the second-moment
/// correlation length. Errors by delete-one-block jackknife over configurations.
/// </summary>
public sealed class IsingThermometer : IThermometer
{
    /// <summary>The thermometer as an <see cref="IThermometer"/> (its readings are also the static methods below).</summary>
    public static IsingThermometer Instance { get; } = new();

    private IsingThermometer() { }

    /// <summary>Index of the Kaufman reading in <see cref="Thermometry.Replicates"/>.</summary>
    public const int Kaufman = 0;
    /// <summary>Index of the Onsager reading.</summary>
    public const int Onsager = 1;
    /// <summary>Index of the McCoy–Wu reading.</summary>
    public const int McCoyWu = 2;

    /// <summary>Checks that <paramref name="samples"/> are 2D Ising configurations on a square torus (throws <see cref="RsmiInputException"/>).</summary>
    public static void Validate(SampleSet samples, string what = "the samples")
    {
        string? model = samples.Metadata.Model;
        Require.That(model is null || model == ModelCatalog.Ising2D.Name, $"the Ising thermometer needs 2D Ising configurations, but {what} hold '{model}' samples.");
        Require.That(samples.Rank == 2 && samples.Lx == samples.Ly, $"the Ising thermometer needs square L×L configurations, but {what} have shape ({string.Join(", ", samples.SiteShape)}).");
        Require.That(samples.Count >= 2, $"the Ising thermometer needs at least two configurations, {what} hold {samples.Count}.");
    }

    void IThermometer.Validate(SampleSet samples, string what) => Validate(samples, what);

    Thermometry IThermometer.Read(SampleSet samples, int jackknifeBlocks) => Read(samples, jackknifeBlocks);

    /// <summary>Reads <paramref name="samples"/> (validated by <see cref="Validate"/>) with <paramref name="jackknifeBlocks"/> (2..N) blocks.</summary>
    public static Thermometry Read(SampleSet samples, int jackknifeBlocks = 20)
    {
        Validate(samples);
        return Read(IsingCorrelations.MeasureAll(samples), samples.Count, samples.Lx, jackknifeBlocks);
    }

    /// <summary>Reads per-configuration values from <see cref="IsingCorrelations.MeasureAll"/> of <paramref name="count"/> L × L configurations.</summary>
    public static Thermometry Read(double[] correlations, int count, int l, int jackknifeBlocks)
    {
        jackknifeBlocks = Math.Clamp(jackknifeBlocks, 2, count);
        const int p = IsingCorrelations.Count;
        var blockSums = new double[jackknifeBlocks * p];
        var blockCounts = new int[jackknifeBlocks];
        for (int b = 0; b < jackknifeBlocks; b++)
        {
            var (start, end) = Jackknife.Range(count, jackknifeBlocks, b);
            blockCounts[b] = end - start;
            for (int n = start; n < end; n++)
                for (int j = 0; j < p; j++) blockSums[b * p + j] += correlations[n * p + j];
        }
        var total = new double[p];
        for (int b = 0; b < jackknifeBlocks; b++) for (int j = 0; j < p; j++) total[j] += blockSums[b * p + j];

        // Outputs: c1, c2, ξ, T_Kaufman, T_Onsager, T_McCoyWu.
        double[] Estimator(int omit)
        {
            double c = count;
            var mean = (double[])total.Clone();
            if (omit >= 0) { c -= blockCounts[omit]; for (int j = 0; j < p; j++) mean[j] -= blockSums[omit * p + j]; }
            for (int j = 0; j < p; j++) mean[j] /= c;
            double c1 = mean[IsingCorrelations.NearestNeighbour], c2 = mean[IsingCorrelations.Diagonal];
            return
            [
                c1, c2,
                IsingCorrelations.SecondMomentCorrelationLength(mean[IsingCorrelations.MagnetisationSquared], mean[IsingCorrelations.LowestModeSquared], l),
                EffectiveTemperature.FromNearestNeighbour(c1, l),
                EffectiveTemperature.FromNearestNeighbour(c1, 0),
                EffectiveTemperature.FromDiagonal(c2),
            ];
        }
        var replicates = new double[jackknifeBlocks][];
        var est = Jackknife.Estimate(jackknifeBlocks, b => b < 0 ? Estimator(b) : replicates[b] = Estimator(b));
        return new Thermometry
        {
            Size = l,
            NearestNeighbourCorrelation = est[0], DiagonalCorrelation = est[1], CorrelationLength = est[2],
            Temperatures = [est[3], est[4], est[5]],
            Replicates = [replicates.Select(r => r[3]).ToArray(), replicates.Select(r => r[4]).ToArray(), replicates.Select(r => r[5]).ToArray()],
        };
    }
}
