using System.Collections.Concurrent;
using System.Globalization;
using Rsmi.Data;
using Rsmi.Progress;
using Rsmi.Renormalization;
using Rsmi.Statistics;
using Rsmi.States;

namespace Rsmi.Models.Ising;

/// <summary>
/// The thermometer of the 3D Ising model (docs/algorithm.md, "Monte Carlo thermometer"): no exact finite-size relation
/// between the temperature and a short-range correlation is known in three dimensions, so the bond agreement
/// A = (1 + ⟨s_i s_j⟩)/2 of the configurations read is inverted through a calibration curve A(T) measured with the
/// model's own Wolff sampler on the same L × L × L torus (<see cref="MonteCarloThermometer"/>), one curve per L,
/// measured when first needed and cached. Three readings come out, as for the Potts model: the curve itself (the
/// primary, <c>monte_carlo</c>) and the curve shifted by minus and plus one standard error of the calibration at every
/// point (<c>calibration_low</c>, <c>calibration_high</c>), so that half their range, the thermometry's spread, is the
/// calibration's error of T and enters the effective temperatures, T_c and ν of the flow as a systematic error.
/// <para>
/// The calibration temperatures T = u·T_c start at u = 1 and move outwards in steps h_k = (h_0/L)·g^k (h_0 =
/// <see cref="FirstStep"/>, g = <see cref="StepGrowth"/>), dense where A(T) is steep at T_c and sparse far from it,
/// down to u = <see cref="LowestRatio"/> and up to <see cref="HighestRatio"/>; readings outside give no temperature.
/// </para>
/// </summary>
public sealed class Ising3DThermometer : IThermometer
{
    /// <summary>Readings, in order: the calibration curve, and the curve shifted down and up by its error.</summary>
    public static IReadOnlyList<string> Readings { get; } = ["monte_carlo", "calibration_low", "calibration_high"];

    /// <summary>Default configurations per calibration temperature (on lattices up to <see cref="ReferenceSide"/>³).</summary>
    public const int DefaultSamples = 1000;
    /// <summary>The side up to which a calibration draws <see cref="Samples"/> configurations per temperature; larger
    /// lattices draw fewer (<see cref="SamplesOn(int)"/>).</summary>
    public const int ReferenceSide = 16;
    /// <summary>The fewest configurations per temperature a scaled-down calibration draws (two per jackknife block).</summary>
    public const int FewestScaledSamples = 40;
    /// <summary>h_0: the first calibration step away from T_c is h_0/L in units of T_c.</summary>
    public const double FirstStep = 0.25;
    /// <summary>g: each further step is g times the one before.</summary>
    public const double StepGrowth = 1.3;
    /// <summary>The lowest calibrated temperature, in units of T_c.</summary>
    public const double LowestRatio = 0.5;
    /// <summary>The highest calibrated temperature, in units of T_c.</summary>
    public const double HighestRatio = 2.0;

    private readonly Ising3DModel _model;
    /// <summary>One calibration per L, made once however many threads ask for it at the same time.</summary>
    private readonly ConcurrentDictionary<int, Lazy<MonteCarloThermometer[]>> _curves = new();

    /// <summary>A thermometer of <paramref name="model"/> that calibrates with <paramref name="samples"/> configurations per
    /// temperature from <paramref name="seed"/>, caching the curves in <paramref name="cacheDirectory"/> (null: in memory only).</summary>
    public Ising3DThermometer(Ising3DModel model, string? cacheDirectory = null, int samples = DefaultSamples, ulong seed = 1, IProgressReporter? progress = null)
    {
        Require.That(samples >= 20, $"a 3D Ising thermometer calibration needs at least 20 configurations per temperature, got {samples}.");
        _model = model; CacheDirectory = cacheDirectory; Samples = samples; Seed = seed; Progress = progress ?? NullProgress.Instance;
    }

    /// <summary>Where the calibrations are cached (null: nowhere).</summary>
    public string? CacheDirectory { get; }
    /// <summary>Configurations per calibration temperature on lattices up to <see cref="ReferenceSide"/>³.</summary>
    public int Samples { get; }

    /// <summary>
    /// Configurations per calibration temperature on the L × L × L torus: <see cref="Samples"/> up to L =
    /// <see cref="ReferenceSide"/>, and N·(16/L)³ rounded up beyond, but at least <see cref="FewestScaledSamples"/> (and
    /// never more than N). The bond agreement is a mean over the 3L³ bonds of a configuration, so its variance falls as
    /// 1/(N L³) away from T_c, and near T_c faster than 1/N only by the slow growth of the specific heat (α/ν ≈ 0.17):
    /// the same N·L³ keeps the calibration's error where it is at 16³, while the cost of a configuration grows as L³
    /// (docs/algorithm.md, "Monte Carlo thermometer").
    /// </summary>
    public int SamplesOn(int l) => SamplesOn(l, Samples);

    /// <summary>
    /// Markov chains that draw a calibration's <paramref name="samples"/> configurations at one temperature: the
    /// sampler's default four from 400 on, one below, where every chain's thermalisation would cost more than the
    /// configurations it saves (the temperatures of a calibration run side by side instead).
    /// </summary>
    public static int ChainsFor(int samples) => samples >= 400 ? ModelSampling.DefaultChains : 1;

    private static int SamplesOn(int l, int samples)
    {
        if (l <= ReferenceSide) return samples;
        long reference = (long)ReferenceSide * ReferenceSide * ReferenceSide, volume = (long)l * l * l;
        long scaled = (samples * reference + volume - 1) / volume;
        return (int)Math.Min(samples, Math.Max(FewestScaledSamples, scaled));
    }

    /// <summary>Seed of the calibration samples (each L and temperature derives its own stream).</summary>
    public ulong Seed { get; }
    /// <summary>Where calibration progress goes.</summary>
    public IProgressReporter Progress { get; }

    /// <inheritdoc />
    public IThermometer With(ThermometerSettings settings) =>
        new Ising3DThermometer(_model, settings.CacheDirectory, settings.CalibrationSamples ?? Samples, Seed, settings.Progress ?? Progress);

    /// <summary>The calibration temperatures on the L × L × L torus (increasing).</summary>
    public static double[] Grid(int l) =>
        MonteCarloThermometer.Grid(Exact.Ising3D.CriticalTemperature, l, FirstStep, StepGrowth, LowestRatio, HighestRatio);

    /// <inheritdoc />
    public void Validate(SampleSet samples, string what = "the samples")
    {
        string? model = samples.Metadata.Model;
        Require.That(model is null || model == _model.Name, $"the 3D Ising thermometer needs {_model.Name} configurations, but {what} hold '{model}' samples.");
        Require.That(samples.States() is IsingSpins, $"the 3D Ising thermometer needs ±1 spins, but {what} hold {samples.States().ValuesText}.");
        Require.That(samples.Rank == 3 && samples.Lx == samples.Ly && samples.Ly == samples.Lz,
            $"the 3D Ising thermometer needs cubic L×L×L configurations, but {what} have shape ({string.Join(", ", samples.SiteShape)}).");
        Require.That(samples.Lx >= 2, $"the 3D Ising thermometer needs lattices of side at least 2, but {what} have side {samples.Lx}.");
        Require.That(samples.Count >= 2, $"the 3D Ising thermometer needs at least two configurations, {what} hold {samples.Count}.");
    }

    /// <summary>The three thermometers (curve, curve − σ, curve + σ) on the L × L × L torus, calibrated when first asked for.</summary>
    public IReadOnlyList<MonteCarloThermometer> For(int l) =>
        _curves.GetOrAdd(l, key => new Lazy<MonteCarloThermometer[]>(() => Calibrate(key))).Value;

    private MonteCarloThermometer[] Calibrate(int l)
    {
        var grid = Grid(l);
        ulong seed = unchecked(Seed * 0x9E3779B97F4A7C15UL + 3UL * 1000003UL + (ulong)l);
        string name = string.Format(CultureInfo.InvariantCulture, "{0} {1}x{1}x{1}, wolff", _model.Name, l);
        var progress = new PrefixProgress(Progress, string.Format(CultureInfo.InvariantCulture, "L={0} ", l));
        var calibration = MonteCarloThermometer.Cached(CacheDirectory, name,
            (t, n, s) => ModelSampling.Sample(_model, _model.Arguments(l, t), "wolff", n, s, ChainsFor(n)),
            grid, SamplesOn(l), seed, 20, progress);
        return MonteCarloThermometer.WithCalibrationError(calibration);
    }

    /// <inheritdoc />
    public Thermometry Read(SampleSet samples, int jackknifeBlocks = 20)
    {
        Validate(samples);
        int l = samples.Lx;
        jackknifeBlocks = Math.Clamp(jackknifeBlocks, 2, samples.Count);
        var correlations = Correlations(samples);
        var agreement = new double[samples.Count];
        for (int c = 0; c < samples.Count; c++) agreement[c] = 0.5 * (1 + correlations[c * Values]);
        var curves = For(l);
        var temperatures = new Estimate[curves.Count];
        var replicates = new double[curves.Count][];
        for (int i = 0; i < curves.Count; i++)
        {
            var reading = curves[i].Read(agreement, jackknifeBlocks);
            replicates[i] = reading.Replicates;
            temperatures[i] = reading.InRange ? new Estimate(reading.Temperature.Value, Math.Sqrt(TwoLatticeMatching.JackknifeVariance(reading.Replicates))) : Estimate.Undefined;
        }
        var (c1, c2, xi) = Summarise(correlations, samples.Count, l, jackknifeBlocks);
        return new Thermometry
        {
            Size = l, NearestNeighbourCorrelation = c1, DiagonalCorrelation = c2, CorrelationLength = xi,
            Thermometers = Readings, Temperatures = temperatures, Replicates = replicates,
        };
    }

    /// <summary>Values per configuration of <see cref="Correlations"/>.</summary>
    internal const int Values = 4;

    /// <summary>
    /// Per configuration of an L × L × L torus: c1 = (1/3N) Σ_r Σ_a s_r s_{r+e_a} (nearest neighbours), c2 =
    /// (1/6N) Σ_r s_r (s_{r+x+y} + s_{r+x−y} + s_{r+x+z} + s_{r+x−z} + s_{r+y+z} + s_{r+y−z}) (face diagonals),
    /// χ = M²/N and F = (1/3) Σ_a |M̃(2π/L e_a)|²/N, the lowest Fourier mode along each axis averaged.
    /// </summary>
    internal static double[] Correlations(SampleSet samples)
    {
        int l = samples.Lx, n = samples.Sites;
        var values = new double[samples.Count * Values];
        var cos = new double[l];
        var sin = new double[l];
        for (int x = 0; x < l; x++) { cos[x] = Math.Cos(2 * Math.PI * x / l); sin[x] = Math.Sin(2 * Math.PI * x / l); }
        Parallel.For(0, samples.Count, c =>
        {
            ReadOnlySpan<sbyte> s = samples.Configuration(c);
            long nn = 0, diag = 0, m = 0;
            double rx = 0, ix = 0, ry = 0, iy = 0, rz = 0, iz = 0;
            for (int z = 0; z < l; z++)
            {
                int z1 = (z + 1) % l, zm = (z + l - 1) % l;
                long planeSum = 0;
                for (int y = 0; y < l; y++)
                {
                    int y1 = (y + 1) % l, ym = (y + l - 1) % l;
                    int row = (z * l + y) * l, rowY1 = (z * l + y1) * l, rowYm = (z * l + ym) * l;
                    int rowZ1 = (z1 * l + y) * l, rowZm = (zm * l + y) * l, rowZ1Y1 = (z1 * l + y1) * l, rowZmY1 = (zm * l + y1) * l;
                    long rowSum = 0;
                    for (int x = 0; x < l; x++)
                    {
                        int x1 = x + 1 == l ? 0 : x + 1;
                        int v = s[row + x];
                        nn += v * (s[row + x1] + s[rowY1 + x] + s[rowZ1 + x]);
                        diag += v * (s[rowY1 + x1] + s[rowYm + x1] + s[rowZ1 + x1] + s[rowZm + x1] + s[rowZ1Y1 + x] + s[rowZmY1 + x]);
                        rowSum += v;
                        rx += v * cos[x]; ix += v * sin[x];
                    }
                    ry += rowSum * cos[y]; iy += rowSum * sin[y];
                    planeSum += rowSum;
                }
                rz += planeSum * cos[z]; iz += planeSum * sin[z];
                m += planeSum;
            }
            var row0 = values.AsSpan(c * Values, Values);
            row0[0] = nn / (3.0 * n);
            row0[1] = diag / (6.0 * n);
            row0[2] = m * (double)m / n;
            row0[3] = (rx * rx + ix * ix + ry * ry + iy * iy + rz * rz + iz * iz) / (3.0 * n);
        });
        return values;
    }

    /// <summary>c1, c2 and the second-moment correlation length ξ = √(χ/F − 1) / (2 sin(π/L)) of <see cref="Correlations"/>'s
    /// values, jackknifed over <paramref name="blocks"/> blocks of configurations.</summary>
    internal static (Estimate C1, Estimate C2, Estimate Xi) Summarise(double[] values, int count, int l, int blocks)
    {
        const int p = Values;
        var sums = new double[blocks * p];
        var counts = new int[blocks];
        for (int b = 0; b < blocks; b++)
        {
            var (start, end) = Jackknife.Range(count, blocks, b);
            counts[b] = end - start;
            for (int c = start; c < end; c++) for (int j = 0; j < p; j++) sums[b * p + j] += values[c * p + j];
        }
        var total = new double[p];
        for (int b = 0; b < blocks; b++) for (int j = 0; j < p; j++) total[j] += sums[b * p + j];
        var est = Jackknife.Estimate(blocks, omit =>
        {
            double n = count;
            var mean = (double[])total.Clone();
            if (omit >= 0) { n -= counts[omit]; for (int j = 0; j < p; j++) mean[j] -= sums[omit * p + j]; }
            for (int j = 0; j < p; j++) mean[j] /= n;
            return [mean[0], mean[1], IsingCorrelations.SecondMomentCorrelationLength(mean[2], mean[3], l)];
        });
        return (est[0], est[1], est[2]);
    }

    private sealed class PrefixProgress(IProgressReporter inner, string prefix) : IProgressReporter
    {
        public void Report(string stage, double fraction, string? detail = null) => inner.Report(prefix + stage, fraction, detail);
    }
}
