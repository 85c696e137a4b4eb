using Rsmi.Data;
using Rsmi.Lattices;
using Rsmi.Statistics;

namespace Rsmi.Models.Ising;

/// <summary>One observable of a sample set: its mean with a binned error bar and its integrated autocorrelation time.</summary>
/// <param name="Name">Observable name (see <see cref="IsingSampleAnalysis"/>).</param>
/// <param name="Mean">Mean over the samples with the error from the binning plateau (jackknife for ξ₂).</param>
/// <param name="IntegratedTime">τ_int in units of the sample spacing (Sokal windowing; NaN for ξ₂).</param>
/// <param name="IntegratedTimeError">Statistical error of τ_int.</param>
/// <param name="ErrorConverged">False when the binning curve did not reach a plateau: the error bar is then too small.</param>
public sealed record ObservableEstimate(string Name, Estimate Mean, double IntegratedTime, double IntegratedTimeError, bool ErrorConverged);

/// <summary>Per-sample series of the Ising observables, in chain order.</summary>
public sealed class IsingSeries
{
    /// <summary>E/N of each sample.</summary>
    public required double[] EnergyPerSite { get; init; }
    /// <summary>m of each sample.</summary>
    public required double[] Magnetisation { get; init; }
    /// <summary>|m| of each sample.</summary>
    public required double[] AbsoluteMagnetisation { get; init; }
    /// <summary>m² of each sample.</summary>
    public required double[] MagnetisationSquared { get; init; }
    /// <summary>Nearest-neighbour correlation of each sample.</summary>
    public required double[] NearestNeighbour { get; init; }
    /// <summary>Diagonal correlation of each sample (null for chains and cubic lattices).</summary>
    public double[]? Diagonal { get; init; }
    /// <summary>S(0) of each sample.</summary>
    public required double[] StructureFactorZero { get; init; }
    /// <summary>S(k_min) of each sample.</summary>
    public required double[] StructureFactorMin { get; init; }
}

/// <summary>
/// Analysis of a set of Ising configurations (samples in chain order, as written by <c>rsmi sample</c>): each
/// observable's mean with its error bar from a binning analysis and its integrated autocorrelation time, and
/// the second-moment correlation length with a jackknife error. Observable names:
/// <c>energy_per_site</c>, <c>magnetisation</c>, <c>abs_magnetisation</c>, <c>magnetisation_squared</c>,
/// <c>nn_correlation</c>, <c>diagonal_correlation</c> (square lattices only), <c>xi_second_moment</c>
/// (chains and lattices with every side equal). Configurations of rank 1, 2 or 3: chains, square and cubic lattices.
/// </summary>
public static class IsingSampleAnalysis
{
    /// <summary>Measures every configuration of <paramref name="samples"/> (chains are rings unless <paramref name="periodicChain"/> is false).</summary>
    public static IsingSeries Measure(SampleSet samples, bool periodicChain = true)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Rank == 3) return MeasureCubic(samples);
        var obs = samples.Rank == 1 ? IsingObservables.ForChain(samples.Lx, periodicChain) : new IsingObservables(samples.Lx, samples.Ly);
        int n = samples.Count;
        var e = new double[n]; var m = new double[n]; var am = new double[n]; var m2 = new double[n];
        var nn = new double[n]; var s0 = new double[n]; var sk = new double[n];
        double[]? diag = samples.Rank == 2 ? new double[n] : null;
        for (int i = 0; i < n; i++)
        {
            var r = obs.Measure(samples.Configuration(i));
            e[i] = r.EnergyPerSite; m[i] = r.Magnetisation; am[i] = Math.Abs(r.Magnetisation); m2[i] = r.Magnetisation * r.Magnetisation;
            nn[i] = r.NearestNeighbour; s0[i] = r.StructureFactorZero; sk[i] = r.StructureFactorMin;
            if (diag is not null) diag[i] = r.Diagonal;
        }
        return new IsingSeries
        {
            EnergyPerSite = e, Magnetisation = m, AbsoluteMagnetisation = am, MagnetisationSquared = m2,
            NearestNeighbour = nn, Diagonal = diag, StructureFactorZero = s0, StructureFactorMin = sk,
        };
    }

    /// <summary>
    /// Means, binned errors and τ_int of all observables of <paramref name="samples"/> (at least 2 samples).
    /// </summary>
    public static IReadOnlyList<ObservableEstimate> Analyse(SampleSet samples, bool periodicChain = true)
    {
        Require.That(samples.Count >= 2, $"an error analysis needs at least 2 samples, got {samples.Count}.");
        var s = Measure(samples, periodicChain);
        var list = new List<ObservableEstimate>
        {
            Series("energy_per_site", s.EnergyPerSite),
            Series("magnetisation", s.Magnetisation),
            Series("abs_magnetisation", s.AbsoluteMagnetisation),
            Series("magnetisation_squared", s.MagnetisationSquared),
            Series("nn_correlation", s.NearestNeighbour),
        };
        if (s.Diagonal is not null) list.Add(Series("diagonal_correlation", s.Diagonal));
        if (samples.SiteShape.All(side => side == samples.Lx))
            list.Add(CorrelationLength(s, samples.Lx));
        return list;
    }

    /// <summary>
    /// The observables of cubic configurations on the periodic Lx × Ly × Lz lattice, from the neighbour table of
    /// <see cref="HypercubicLattice"/> (the Hamiltonian of the 3D samplers; on a side of 2 both bonds of a pair count):
    /// E/N = −(1/N) Σ_i Σ_a s_i s_{i+â}, m = Σ s_i / N, the nearest-neighbour correlation −E/(3N) over the 3N bonds,
    /// χ = S(0) = (Σ s_i)² / N and F = S(k_min) = |Σ_r s_r e^{i k·r}|² / N averaged over k = 2π/L_a along each of the
    /// three axes (the 3D form of <see cref="IsingMeasurement"/>; no diagonal correlation).
    /// </summary>
    private static IsingSeries MeasureCubic(SampleSet samples)
    {
        var lattice = new HypercubicLattice(samples.SiteShape);
        int n = samples.Count, sites = samples.Sites;
        int[] sides = [samples.Lx, samples.Ly, samples.Lz];
        var cos = sides.Select(l => Enumerable.Range(0, l).Select(j => Math.Cos(2 * Math.PI * j / l)).ToArray()).ToArray();
        var sin = sides.Select(l => Enumerable.Range(0, l).Select(j => Math.Sin(2 * Math.PI * j / l)).ToArray()).ToArray();
        var e = new double[n]; var m = new double[n]; var am = new double[n]; var m2 = new double[n];
        var nn = new double[n]; var s0 = new double[n]; var sk = new double[n];
        Span<int> r = stackalloc int[3];
        Span<double> re = stackalloc double[3], im = stackalloc double[3];
        for (int c = 0; c < n; c++)
        {
            ReadOnlySpan<sbyte> s = samples.Configuration(c);
            long sum = 0, bonds = 0;
            re.Clear(); im.Clear();
            for (int i = 0; i < sites; i++)
            {
                int v = s[i];
                sum += v;
                lattice.Coordinates(i, r);
                for (int axis = 0; axis < 3; axis++)
                {
                    bonds += v * s[lattice.Neighbour(i, axis, +1)];
                    re[axis] += v * cos[axis][r[axis]];
                    im[axis] += v * sin[axis][r[axis]];
                }
            }
            e[c] = -(double)bonds / sites;
            m[c] = (double)sum / sites;
            am[c] = Math.Abs(m[c]);
            m2[c] = m[c] * m[c];
            nn[c] = (double)bonds / (3.0 * sites);
            s0[c] = (double)sum * sum / sites;
            sk[c] = (re[0] * re[0] + im[0] * im[0] + re[1] * re[1] + im[1] * im[1] + re[2] * re[2] + im[2] * im[2]) / (3.0 * sites);
        }
        return new IsingSeries
        {
            EnergyPerSite = e, Magnetisation = m, AbsoluteMagnetisation = am, MagnetisationSquared = m2,
            NearestNeighbour = nn, Diagonal = null, StructureFactorZero = s0, StructureFactorMin = sk,
        };
    }

    /// <summary>The estimate named <paramref name="name"/> in <paramref name="analysis"/>.</summary>
    public static ObservableEstimate Get(this IReadOnlyList<ObservableEstimate> analysis, string name)
        => analysis.FirstOrDefault(o => o.Name == name) ?? throw new KeyNotFoundException($"no observable named '{name}'.");

    private static ObservableEstimate Series(string name, double[] values)
    {
        var b = Binning.AnalyseDetailed(values);
        var a = AutoCorrelation.IntegratedTime(values);
        return new ObservableEstimate(name, b.Mean, a.Tau, a.Error, b.Converged);
    }

    private static ObservableEstimate CorrelationLength(IsingSeries s, int l)
    {
        int n = s.StructureFactorZero.Length;
        // Blocks longer than the autocorrelation of χ (bin size at the binning plateau), at most 64 of them.
        var b = Binning.AnalyseDetailed(s.StructureFactorZero);
        int blockLength = b.Levels[b.PlateauLevel].BinSize;
        int blocks = Math.Clamp(n / blockLength, 2, 64);
        var e = Jackknife.Analyse(new[] { s.StructureFactorZero, s.StructureFactorMin },
            means => IsingObservables.SecondMomentCorrelationLength(means[0], means[1], l), blocks);
        return new ObservableEstimate("xi_second_moment", e, double.NaN, double.NaN, b.Converged);
    }
}
