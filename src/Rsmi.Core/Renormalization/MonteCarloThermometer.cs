using System.Text.Json;
using System.Text.Json.Nodes;
using Rsmi.Data;
using Rsmi.Progress;
using Rsmi.Statistics;

namespace Rsmi.Renormalization;

/// <summary>
/// The bond agreement of a configuration (docs/algorithm.md, "Monte Carlo thermometer"): the fraction of
/// nearest-neighbour pairs of the periodic hypercubic lattice (each site with its +1 neighbour along every axis) whose
/// two sites hold the same value. For ±1 spins it is (1 + ⟨s_i s_j⟩)/2, for Potts labels ⟨δ(s_i, s_j)⟩: the
/// nearest-neighbour energy of either model up to a linear map, so it decreases with the temperature.
/// </summary>
public static class BondAgreement
{
    /// <summary>The bond agreement of every configuration of <paramref name="samples"/> (rank 1, 2 or 3).</summary>
    public static double[] PerConfiguration(SampleSet samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        Require.That(samples.Rank is >= 1 and <= 3, $"the bond agreement needs configurations of rank 1, 2 or 3, got rank {samples.Rank}.");
        int lx = samples.Lx, ly = samples.Ly, lz = samples.Lz, n = samples.Sites;
        int bonds = samples.Rank * n;
        var result = new double[samples.Count];
        Parallel.For(0, samples.Count, c =>
        {
            ReadOnlySpan<sbyte> s = samples.Configuration(c);
            long same = 0;
            for (int z = 0; z < lz; z++)
            {
                int zUp = (z + 1) % lz;
                for (int y = 0; y < ly; y++)
                {
                    int yUp = (y + 1) % ly, row = (z * ly + y) * lx;
                    for (int x = 0; x < lx; x++)
                    {
                        sbyte v = s[row + x];
                        if (v == s[row + (x + 1) % lx]) same++;
                        if (samples.Rank >= 2 && v == s[(z * ly + yUp) * lx + x]) same++;
                        if (samples.Rank == 3 && v == s[(zUp * ly + y) * lx + x]) same++;
                    }
                }
            }
            result[c] = same / (double)bonds;
        });
        return result;
    }
}

/// <summary>
/// A calibration curve of the <see cref="BondAgreement"/> against the temperature, measured on a model's own samples
/// at one lattice size (docs/algorithm.md, "Monte Carlo thermometer"). <see cref="Key"/> names what was calibrated
/// (model, parameters, size, algorithm, samples, seed, version), so that a cached curve is reused only for the same
/// question.
/// </summary>
public sealed class ThermometerCalibration
{
    /// <summary>What was calibrated, in words; a cached calibration is reused only when the key is the same.</summary>
    public required string Key { get; init; }
    /// <summary>The calibration temperatures, increasing.</summary>
    public required double[] Temperatures { get; init; }
    /// <summary>The mean bond agreement at each temperature with its standard error (blocking over the configurations).</summary>
    public required Estimate[] Agreement { get; init; }
    /// <summary>Configurations per temperature.</summary>
    public required int Samples { get; init; }

    /// <summary>The calibration as JSON (the cache file's content).</summary>
    public string ToJson()
    {
        var o = new JsonObject
        {
            ["key"] = Key,
            ["samples"] = Samples,
            ["temperatures"] = new JsonArray(Temperatures.Select(t => (JsonNode)t).ToArray()),
            ["agreement"] = new JsonArray(Agreement.Select(a => (JsonNode)a.Value).ToArray()),
            ["agreement_error"] = new JsonArray(Agreement.Select(a => (JsonNode)a.Error).ToArray()),
        };
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Reads <see cref="ToJson"/>'s output; null when the text is not a calibration (a damaged cache file is recomputed).</summary>
    public static ThermometerCalibration? FromJson(string json)
    {
        try
        {
            var o = JsonNode.Parse(json)!.AsObject();
            var t = o["temperatures"]!.AsArray().Select(x => x!.GetValue<double>()).ToArray();
            var a = o["agreement"]!.AsArray().Select(x => x!.GetValue<double>()).ToArray();
            var e = o["agreement_error"]!.AsArray().Select(x => x!.GetValue<double>()).ToArray();
            if (t.Length < 2 || a.Length != t.Length || e.Length != t.Length) return null;
            return new ThermometerCalibration
            {
                Key = o["key"]!.GetValue<string>(), Samples = o["samples"]!.GetValue<int>(), Temperatures = t,
                Agreement = a.Zip(e, (v, s) => new Estimate(v, s)).ToArray(),
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>One reading of a <see cref="MonteCarloThermometer"/>.</summary>
/// <param name="Temperature">The effective temperature with its error (statistical error of the reading and of the
/// calibration, propagated through the slope of the curve); NaN when the reading lies outside the calibrated range.</param>
/// <param name="Agreement">The measured bond agreement with its jackknife error.</param>
/// <param name="Replicates">The delete-one-block jackknife replicates of the temperature (calibration held fixed).</param>
/// <param name="InRange">Whether the reading lies inside the calibrated range (no extrapolation is made).</param>
public sealed record ThermometerReading(Estimate Temperature, Estimate Agreement, double[] Replicates, bool InRange);

/// <summary>
/// A thermometer for models without an exact finite-size relation (Potts, the 3D Ising model): the bond agreement of
/// configurations is compared with a calibration curve measured by the model's own samplers at the same lattice size
/// (docs/algorithm.md, "Monte Carlo thermometer"). The curve is made monotone (decreasing in T) by weighted isotonic
/// regression, interpolated by the monotone piecewise-cubic Hermite scheme of Fritsch &amp; Carlson (SIAM J. Numer.
/// Anal. 17, 238 (1980)) and inverted; the error of T is √(σ_read² + σ_cal(T)²) / |dA/dT|, with σ_cal interpolated
/// linearly between the calibration temperatures.
/// </summary>
public sealed class MonteCarloThermometer
{
    private readonly double[] _t;
    private readonly double[] _a;
    private readonly double[] _s;
    private readonly double[] _d;

    /// <summary>The calibration the thermometer reads against.</summary>
    public ThermometerCalibration Calibration { get; }

    /// <summary>A thermometer on <paramref name="calibration"/> (at least two temperatures, increasing).</summary>
    public MonteCarloThermometer(ThermometerCalibration calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        var t = calibration.Temperatures;
        Require.That(t.Length >= 2 && calibration.Agreement.Length == t.Length, "a thermometer calibration needs at least two temperatures, each with its agreement.");
        for (int k = 1; k < t.Length; k++) Require.That(t[k] > t[k - 1], "the calibration temperatures must increase.");
        Calibration = calibration;
        _t = (double[])t.Clone();
        (_a, _s) = Isotonic(calibration.Agreement);
        _d = FritschCarlsonSlopes(_t, _a);
    }

    /// <summary>The lowest and highest calibrated temperatures.</summary>
    public (double Low, double High) Range => (_t[0], _t[^1]);

    /// <summary>
    /// Measures the calibration: <paramref name="samples"/> configurations at each of <paramref name="temperatures"/>
    /// (at least two, increasing), drawn by <paramref name="sampleAt"/>(T, samples, seed of that temperature) with seeds
    /// derived from <paramref name="seed"/>; the error of each mean from <paramref name="blocks"/> blocks.
    /// </summary>
    public static ThermometerCalibration Calibrate(string key, Func<double, int, ulong, SampleSet> sampleAt, IReadOnlyList<double> temperatures,
        int samples, ulong seed, int blocks = 20, IProgressReporter? progress = null)
    {
        ArgumentNullException.ThrowIfNull(sampleAt);
        Require.That(temperatures.Count >= 2, "a thermometer calibration needs at least two temperatures.");
        for (int k = 1; k < temperatures.Count; k++) Require.That(temperatures[k] > temperatures[k - 1], "the calibration temperatures must increase.");
        Require.That(samples >= Math.Max(2, blocks), $"a calibration needs at least {Math.Max(2, blocks)} configurations per temperature, got {samples}.");
        var agreement = new Estimate[temperatures.Count];
        // The temperatures are independent (each its own seed), so they run side by side: a temperature whose sampler
        // runs one chain would otherwise leave the other cores idle. The result does not depend on the order.
        int done = 0;
        Parallel.For(0, temperatures.Count, k =>
        {
            ulong s = unchecked(seed ^ (0xC2B2AE3D27D4EB4FUL * (ulong)(k + 1)));
            var values = BondAgreement.PerConfiguration(sampleAt(temperatures[k], samples, s));
            agreement[k] = Jackknife.Analyse([values], m => m[0], blocks);
            int finished = Interlocked.Increment(ref done);
            progress?.Report("thermometer calibration", finished / (double)temperatures.Count, $"T = {temperatures[k]:G6} done");
        });
        progress?.Report("thermometer calibration", 1.0);
        return new ThermometerCalibration { Key = key, Temperatures = temperatures.ToArray(), Agreement = agreement, Samples = samples };
    }

    /// <summary>The calibration cached in <paramref name="cacheDirectory"/> under <paramref name="key"/>, or a new one
    /// (<see cref="Calibrate"/>) written there atomically; no cache when the directory is null.</summary>
    public static ThermometerCalibration Cached(string? cacheDirectory, string key, Func<double, int, ulong, SampleSet> sampleAt,
        IReadOnlyList<double> temperatures, int samples, ulong seed, int blocks = 20, IProgressReporter? progress = null)
    {
        string fullKey = FormattableString.Invariant($"{key}; T = [{string.Join(", ", temperatures.Select(t => t.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}]; N = {samples}; seed = {seed}; blocks = {blocks}; rsmi {RsmiVersion.Current}");
        string? path = cacheDirectory is null ? null
            : Path.Combine(cacheDirectory, "thermometer-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(fullKey)))[..16].ToLowerInvariant() + ".json");
        if (path is not null && File.Exists(path) && ThermometerCalibration.FromJson(File.ReadAllText(path)) is { } cached && cached.Key == fullKey)
            return cached;
        var calibration = Calibrate(fullKey, sampleAt, temperatures, samples, seed, blocks, progress);
        if (path is not null)
        {
            Directory.CreateDirectory(cacheDirectory!);
            Rsmi.IO.AtomicFile.WriteAllText(path, calibration.ToJson() + "\n");
        }
        return calibration;
    }

    /// <summary>The calibrated agreement A(T) (monotone interpolation), for T inside <see cref="Range"/>.</summary>
    public double AgreementAt(double temperature)
    {
        int k = Interval(temperature);
        return Hermite(k, temperature).Value;
    }

    /// <summary>Reads the effective temperature of <paramref name="samples"/> (the calibration's lattice size), with
    /// jackknife errors over <paramref name="blocks"/> blocks of configurations.</summary>
    public ThermometerReading Read(SampleSet samples, int blocks = 20) => Read(BondAgreement.PerConfiguration(samples), blocks);

    /// <summary>Reads the effective temperature of configurations whose bond agreements are <paramref name="values"/>
    /// (<see cref="BondAgreement.PerConfiguration"/>), with jackknife errors over <paramref name="blocks"/> blocks.</summary>
    public ThermometerReading Read(double[] values, int blocks = 20)
    {
        Require.That(values.Length >= Math.Max(2, blocks), $"a reading needs at least {Math.Max(2, blocks)} configurations, got {values.Length}.");
        var agreement = Jackknife.Analyse([values], m => m[0], blocks);
        int used = values.Length / blocks * blocks, length = used / blocks;
        double total = 0;
        for (int i = 0; i < used; i++) total += values[i];
        var replicates = new double[blocks];
        for (int b = 0; b < blocks; b++)
        {
            double block = 0;
            for (int i = b * length; i < (b + 1) * length; i++) block += values[i];
            replicates[b] = Invert((total - block) / (used - length));
        }
        double t = Invert(agreement.Value);
        if (double.IsNaN(t)) return new ThermometerReading(Estimate.Undefined, agreement, replicates, false);
        int k = Interval(t);
        var (_, slope) = Hermite(k, t);
        double w = (t - _t[k]) / (_t[k + 1] - _t[k]);
        double calibration = (1 - w) * _s[k] + w * _s[k + 1];
        double error = Math.Sqrt(agreement.Error * agreement.Error + calibration * calibration) / Math.Abs(slope);
        return new ThermometerReading(new Estimate(t, error), agreement, replicates, true);
    }

    /// <summary>The temperature at which the calibrated curve takes the value <paramref name="agreement"/>; NaN outside the range.</summary>
    public double Invert(double agreement)
    {
        // A decreases with T: A(T_0) is the largest value.
        if (!(agreement <= _a[0] && agreement >= _a[^1])) return double.NaN;
        int k = 0;
        while (k < _t.Length - 2 && agreement < _a[k + 1]) k++;
        if (_a[k] == _a[k + 1]) return 0.5 * (_t[k] + _t[k + 1]);
        double lo = _t[k], hi = _t[k + 1];
        for (int it = 0; it < 100 && hi - lo > 1e-14 * hi; it++)
        {
            double mid = 0.5 * (lo + hi);
            if (Hermite(k, mid).Value > agreement) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    private int Interval(double t)
    {
        int k = 0;
        while (k < _t.Length - 2 && t > _t[k + 1]) k++;
        return k;
    }

    /// <summary>The cubic Hermite interpolant on [T_k, T_k+1] and its derivative.</summary>
    private (double Value, double Slope) Hermite(int k, double t)
    {
        double h = _t[k + 1] - _t[k], u = (t - _t[k]) / h;
        double h00 = (1 + 2 * u) * (1 - u) * (1 - u), h10 = u * (1 - u) * (1 - u), h01 = u * u * (3 - 2 * u), h11 = u * u * (u - 1);
        double value = h00 * _a[k] + h10 * h * _d[k] + h01 * _a[k + 1] + h11 * h * _d[k + 1];
        double d00 = 6 * u * (u - 1) / h, d10 = (1 - u) * (1 - 3 * u), d01 = -d00, d11 = u * (3 * u - 2);
        double slope = d00 * _a[k] + d10 * _d[k] + d01 * _a[k + 1] + d11 * _d[k + 1];
        return (value, slope);
    }

    /// <summary>
    /// Weighted isotonic regression onto non-increasing sequences (pool adjacent violators; Barlow et al. 1972): the
    /// least-squares fit with weights 1/σ²; a pooled value's error is 1/√(Σ 1/σ²).
    /// </summary>
    internal static (double[] Values, double[] Errors) Isotonic(IReadOnlyList<Estimate> points)
    {
        int n = points.Count;
        var value = new List<double>(); var weight = new List<double>(); var count = new List<int>();
        for (int i = 0; i < n; i++)
        {
            double e = points[i].Error;
            double w = e > 0 && double.IsFinite(e) ? 1 / (e * e) : 1e300;
            value.Add(points[i].Value); weight.Add(w); count.Add(1);
            while (value.Count > 1 && value[^2] < value[^1])
            {
                double wt = weight[^2] + weight[^1];
                double v = (value[^2] * weight[^2] + value[^1] * weight[^1]) / wt;
                int c = count[^2] + count[^1];
                value.RemoveAt(value.Count - 1); weight.RemoveAt(weight.Count - 1); count.RemoveAt(count.Count - 1);
                value[^1] = v; weight[^1] = wt; count[^1] = c;
            }
        }
        var values = new double[n]; var errors = new double[n];
        int at = 0;
        for (int b = 0; b < value.Count; b++)
            for (int j = 0; j < count[b]; j++, at++)
            {
                values[at] = value[b];
                errors[at] = count[b] == 1 ? points[at].Error : 1 / Math.Sqrt(weight[b]);
            }
        return (values, errors);
    }

    /// <summary>Fritsch–Carlson slopes: three-point estimates, zero at flat intervals and local extrema, limited so
    /// that the cubic stays monotone on every interval.</summary>
    internal static double[] FritschCarlsonSlopes(double[] x, double[] y)
    {
        int n = x.Length;
        var delta = new double[n - 1];
        for (int k = 0; k < n - 1; k++) delta[k] = (y[k + 1] - y[k]) / (x[k + 1] - x[k]);
        var d = new double[n];
        d[0] = delta[0]; d[n - 1] = delta[n - 2];
        for (int k = 1; k < n - 1; k++) d[k] = delta[k - 1] * delta[k] <= 0 ? 0 : 0.5 * (delta[k - 1] + delta[k]);
        for (int k = 0; k < n - 1; k++)
        {
            if (delta[k] == 0) { d[k] = 0; d[k + 1] = 0; continue; }
            double alpha = d[k] / delta[k], beta = d[k + 1] / delta[k];
            double r = alpha * alpha + beta * beta;
            if (r > 9)
            {
                double tau = 3 / Math.Sqrt(r);
                d[k] = tau * alpha * delta[k];
                d[k + 1] = tau * beta * delta[k];
            }
        }
        return d;
    }

    /// <summary>
    /// Calibration temperatures T = u·T_c on a lattice of side L (increasing): from u = 1 outwards in steps
    /// h_k = (h_0/L)·g^k, dense where A(T) is steep at T_c (its rounding width shrinks with L) and sparse far from it,
    /// down to u = <paramref name="lowest"/> and up to u = <paramref name="highest"/> (docs/algorithm.md, "Monte Carlo
    /// thermometer").
    /// </summary>
    public static double[] Grid(double criticalTemperature, int l, double firstStep, double growth, double lowest, double highest)
    {
        double first = firstStep / l;
        var ratios = new List<double> { 1.0 };
        for (double u = 1, h = first; u - h > lowest; h *= growth) ratios.Add(u -= h);
        ratios.Add(lowest);
        for (double u = 1, h = first; u + h < highest; h *= growth) ratios.Add(u += h);
        ratios.Add(highest);
        return ratios.Order().Select(u => Math.Round(u * criticalTemperature, 10)).ToArray();
    }

    /// <summary>The three readings of a calibration: the curve itself, and the curve with every agreement moved by minus
    /// and plus one standard error, whose half-range is the calibration's error of T.</summary>
    public static MonteCarloThermometer[] WithCalibrationError(ThermometerCalibration c) => [new(c), Shifted(c, -1), Shifted(c, +1)];

    private static MonteCarloThermometer Shifted(ThermometerCalibration c, int sign) =>
        new(new ThermometerCalibration
        {
            Key = c.Key + (sign < 0 ? " − σ" : " + σ"), Temperatures = c.Temperatures, Samples = c.Samples,
            Agreement = c.Agreement.Select(a => new Estimate(a.Value + sign * a.Error, a.Error)).ToArray(),
        });
}
