using System.Collections.Concurrent;
using System.Globalization;
using Rsmi.Data;
using Rsmi.Models.Potts.Exact;
using Rsmi.Progress;
using Rsmi.Renormalization;
using Rsmi.Statistics;
using Rsmi.States;

namespace Rsmi.Models.Potts;

/// <summary>
/// The thermometer of the q-state Potts model (docs/algorithm.md, "Monte Carlo thermometer"): no exact finite-size
/// relation between the temperature and a short-range correlation is known, so the bond agreement A = ⟨δ(s_i, s_j)⟩
/// of the configurations read is inverted through a calibration curve A(T) measured with the model's own Wolff
/// sampler on the same L × L torus and q (<see cref="MonteCarloThermometer"/>), one curve per (q, L), measured when
/// first needed and cached. Three readings come out: the curve itself (the primary, <c>monte_carlo</c>) and the curve
/// shifted by minus and plus one standard error of the calibration at every point (<c>calibration_low</c>,
/// <c>calibration_high</c>), so that half their range, the thermometry's spread, is the calibration's error of T and
/// enters every estimate built from the readings as a systematic error.
/// <para>
/// The calibration temperatures T = u·T_c(q) start at u = 1 and move outwards in steps h_k = (h_0/L)·g^k (h_0 =
/// <see cref="FirstStep"/>, g = <see cref="StepGrowth"/>), dense where A(T) is steep at T_c, whose rounding width
/// shrinks with L, and sparse far from it, down to u = <see cref="LowestRatio"/> and up to
/// <see cref="HighestRatio"/>; readings outside give no temperature.
/// </para>
/// </summary>
public sealed class PottsThermometer : IThermometer
{
    /// <summary>Readings, in order: the calibration curve, and the curve shifted down and up by its error.</summary>
    public static IReadOnlyList<string> Readings { get; } = ["monte_carlo", "calibration_low", "calibration_high"];

    /// <summary>Default configurations per calibration temperature.</summary>
    public const int DefaultSamples = 1000;
    /// <summary>h_0: the first calibration step away from T_c is h_0/L in units of T_c.</summary>
    public const double FirstStep = 0.25;
    /// <summary>g: each further step is g times the one before.</summary>
    public const double StepGrowth = 1.3;
    /// <summary>The lowest calibrated temperature, in units of T_c.</summary>
    public const double LowestRatio = 0.4;
    /// <summary>The highest calibrated temperature, in units of T_c.</summary>
    public const double HighestRatio = 2.5;

    private readonly Potts2DModel _model;
    /// <summary>One calibration per (q, L), made once however many threads ask for it at the same time.</summary>
    private readonly ConcurrentDictionary<(int Q, int L), Lazy<MonteCarloThermometer[]>> _curves = new();

    /// <summary>A thermometer of <paramref name="model"/> that calibrates with <paramref name="samples"/> configurations per
    /// temperature from <paramref name="seed"/>, caching the curves in <paramref name="cacheDirectory"/> (null: in memory only).</summary>
    public PottsThermometer(Potts2DModel model, string? cacheDirectory = null, int samples = DefaultSamples, ulong seed = 1, IProgressReporter? progress = null)
    {
        Require.That(samples >= 20, $"a Potts thermometer calibration needs at least 20 configurations per temperature, got {samples}.");
        _model = model; CacheDirectory = cacheDirectory; Samples = samples; Seed = seed; Progress = progress ?? NullProgress.Instance;
    }

    /// <summary>Where the calibrations are cached (null: nowhere).</summary>
    public string? CacheDirectory { get; }
    /// <summary>Configurations per calibration temperature.</summary>
    public int Samples { get; }
    /// <summary>Seed of the calibration samples (each (q, L) and temperature derives its own stream).</summary>
    public ulong Seed { get; }
    /// <summary>Where calibration progress goes.</summary>
    public IProgressReporter Progress { get; }

    /// <inheritdoc />
    public IThermometer With(ThermometerSettings settings) =>
        new PottsThermometer(_model, settings.CacheDirectory, settings.CalibrationSamples ?? Samples, Seed, settings.Progress ?? Progress);

    /// <summary>The calibration temperatures for q states on the L × L torus (increasing).</summary>
    public static double[] Grid(int q, int l) =>
        MonteCarloThermometer.Grid(Potts2D.CriticalTemperature(q), l, FirstStep, StepGrowth, LowestRatio, HighestRatio);

    /// <inheritdoc />
    public void Validate(SampleSet samples, string what = "the samples")
    {
        Require.That(samples.Metadata.Model == _model.Name && samples.States() is PottsLabels,
            $"the Potts thermometer needs {_model.Name} configurations with their 'q' attribute, but {what} hold '{samples.Metadata.Model}' samples.");
        Require.That(samples.Rank == 2 && samples.Lx == samples.Ly, $"the Potts thermometer needs square L×L configurations, but {what} have shape ({string.Join(", ", samples.SiteShape)}).");
        Require.That(samples.Lx >= 2, $"the Potts thermometer needs lattices of side at least 2, but {what} have side {samples.Lx}.");
        Require.That(samples.Count >= 2, $"the Potts thermometer needs at least two configurations, {what} hold {samples.Count}.");
    }

    /// <summary>The three thermometers (curve, curve − σ, curve + σ) for q states on the L × L torus, calibrated when first asked for.</summary>
    public IReadOnlyList<MonteCarloThermometer> For(int q, int l) =>
        _curves.GetOrAdd((q, l), key => new Lazy<MonteCarloThermometer[]>(() => Calibrate(key.Q, key.L))).Value;

    private MonteCarloThermometer[] Calibrate(int q, int l)
    {
        var grid = Grid(q, l);
        ulong seed = unchecked(Seed * 0x9E3779B97F4A7C15UL + (ulong)q * 1000003UL + (ulong)l);
        string name = string.Format(CultureInfo.InvariantCulture, "{0} q = {1}, {2}x{2}, wolff", _model.Name, q, l);
        var progress = new PrefixProgress(Progress, string.Format(CultureInfo.InvariantCulture, "q={0} L={1} ", q, l));
        var calibration = MonteCarloThermometer.Cached(CacheDirectory, name,
            (t, n, s) => ModelSampling.Sample(_model, _model.Arguments(q, l, t), "wolff", n, s, ModelSampling.DefaultChains),
            grid, Samples, seed, 20, progress);
        return MonteCarloThermometer.WithCalibrationError(calibration);
    }

    /// <inheritdoc />
    public Thermometry Read(SampleSet samples, int jackknifeBlocks = 20)
    {
        Validate(samples);
        int q = ((PottsLabels)samples.States()).States, l = samples.Lx;
        jackknifeBlocks = Math.Clamp(jackknifeBlocks, 2, samples.Count);
        var agreement = BondAgreement.PerConfiguration(samples);
        var curves = For(q, l);
        var temperatures = new Estimate[curves.Count];
        var replicates = new double[curves.Count][];
        for (int i = 0; i < curves.Count; i++)
        {
            var reading = curves[i].Read(agreement, jackknifeBlocks);
            replicates[i] = reading.Replicates;
            temperatures[i] = reading.InRange ? new Estimate(reading.Temperature.Value, Math.Sqrt(TwoLatticeMatching.JackknifeVariance(reading.Replicates))) : Estimate.Undefined;
        }
        var (c1, c2, xi) = Correlations(samples, q, jackknifeBlocks);
        return new Thermometry
        {
            Size = l, NearestNeighbourCorrelation = c1, DiagonalCorrelation = c2, CorrelationLength = xi,
            Thermometers = Readings, Temperatures = temperatures, Replicates = replicates,
        };
    }

    /// <summary>
    /// The Potts correlations G(r) = (q⟨δ(s_0, s_r)⟩ − 1)/(q − 1) at the nearest and diagonal neighbours (G = ⟨s_0 s_r⟩
    /// for q = 2 with s = 2δ(s, 0) − 1) and the second-moment correlation length of the order parameter φ_a(s) =
    /// δ(s, a) − 1/q, ξ = √(χ/F − 1) / (2 sin(π/L)) with χ = Σ_a |Σ_r φ_a(s_r)|²/N and F the same at the smallest
    /// wave vector (2π/L along x and along y, averaged), jackknifed over blocks of configurations.
    /// </summary>
    internal static (Estimate C1, Estimate C2, Estimate Xi) Correlations(SampleSet samples, int q, int blocks)
    {
        const int p = 4;
        int lx = samples.Lx, ly = samples.Ly, n = samples.Sites;
        var values = new double[samples.Count * p];
        Parallel.For(0, samples.Count, c =>
        {
            ReadOnlySpan<sbyte> s = samples.Configuration(c);
            Span<double> re = stackalloc double[2 * q], im = stackalloc double[2 * q];
            Span<long> counts = stackalloc long[q];
            re.Clear(); im.Clear(); counts.Clear();
            long nn = 0, diag = 0;
            for (int y = 0; y < ly; y++)
            {
                int y1 = (y + 1) % ly, ym1 = (y + ly - 1) % ly;
                double cy = Math.Cos(2 * Math.PI * y / ly), sy = Math.Sin(2 * Math.PI * y / ly);
                for (int x = 0; x < lx; x++)
                {
                    int x1 = (x + 1) % lx, v = s[y * lx + x];
                    if (v == s[y * lx + x1]) nn++;
                    if (v == s[y1 * lx + x]) nn++;
                    if (v == s[y1 * lx + x1]) diag++;
                    if (v == s[ym1 * lx + x1]) diag++;
                    counts[v]++;
                    re[v] += Math.Cos(2 * Math.PI * x / lx); im[v] += Math.Sin(2 * Math.PI * x / lx);
                    re[q + v] += cy; im[q + v] += sy;
                }
            }
            double chi = 0, f = 0;
            for (int a = 0; a < q; a++)
            {
                double m = counts[a] - n / (double)q;
                chi += m * m;
                // Σ_r e^{ik·r} = 0 for k ≠ 0, so the constant −1/q of φ_a drops out of the Fourier modes.
                f += 0.5 * (re[a] * re[a] + im[a] * im[a] + re[q + a] * re[q + a] + im[q + a] * im[q + a]);
            }
            var row = values.AsSpan(c * p, p);
            row[0] = nn / (2.0 * n); row[1] = diag / (2.0 * n); row[2] = chi / n; row[3] = f / n;
        });
        var sums = new double[blocks * p];
        var counts = new int[blocks];
        for (int b = 0; b < blocks; b++)
        {
            var (start, end) = Jackknife.Range(samples.Count, blocks, b);
            counts[b] = end - start;
            for (int c = start; c < end; c++) for (int j = 0; j < p; j++) sums[b * p + j] += values[c * p + j];
        }
        var total = new double[p];
        for (int b = 0; b < blocks; b++) for (int j = 0; j < p; j++) total[j] += sums[b * p + j];
        double G(double agreement) => (q * agreement - 1) / (q - 1);
        var est = Jackknife.Estimate(blocks, omit =>
        {
            double count = samples.Count;
            var mean = (double[])total.Clone();
            if (omit >= 0) { count -= counts[omit]; for (int j = 0; j < p; j++) mean[j] -= sums[omit * p + j]; }
            for (int j = 0; j < p; j++) mean[j] /= count;
            return [G(mean[0]), G(mean[1]), Ising.IsingCorrelations.SecondMomentCorrelationLength(mean[2], mean[3], lx)];
        });
        return (est[0], est[1], est[2]);
    }

    private sealed class PrefixProgress(IProgressReporter inner, string prefix) : IProgressReporter
    {
        public void Report(string stage, double fraction, string? detail = null) => inner.Report(prefix + stage, fraction, detail);
    }
}
