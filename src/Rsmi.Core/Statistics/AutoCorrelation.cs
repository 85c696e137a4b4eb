using System.Numerics.Tensors;

namespace Rsmi.Statistics;

/// <summary>Integrated autocorrelation time of a series.</summary>
/// <param name="Tau">τ_int = ½ + Σ_{t=1}^{W} ρ(t), in units of the spacing between values.</param>
/// <param name="Error">Statistical error of τ_int, τ_int · sqrt(2 (2W + 1) / N) (Madras &amp; Sokal 1988).</param>
/// <param name="Window">The self-consistent window W.</param>
public readonly record struct AutocorrelationTime(double Tau, double Error, int Window)
{
    /// <summary>
    /// Whether the window was found well inside the series: N ≥ 50 τ_int is Sokal's rule of thumb for a
    /// trustworthy estimate.
    /// </summary>
    public bool IsReliable(int seriesLength) => seriesLength >= 50 * Tau;
}

/// <summary>
/// Autocorrelation function and integrated autocorrelation time with Sokal's automatic windowing
/// (A. D. Sokal, "Monte Carlo methods in statistical mechanics", Cargèse lectures 1996, §3; Madras &amp; Sokal,
/// J. Stat. Phys. 50, 109 (1988)): τ_int(W) = ½ + Σ_{t=1}^{W} ρ(t), with W the smallest window satisfying
/// W ≥ c · τ_int(W). The normalised autocorrelation is ρ(t) = C(t)/C(0),
/// C(t) = (1/(N − t)) Σ_{i=0}^{N−t−1} (x_i − x̄)(x_{i+t} − x̄). The error of the mean of the series is then
/// sqrt(2 τ_int Var(x) / N).
/// </summary>
public static class AutoCorrelation
{
    /// <summary>Sokal's window constant c used by default.</summary>
    public const double DefaultWindowFactor = 6.0;

    /// <summary>Lags computed by direct summation before the whole function is computed by FFT.</summary>
    private const int DirectLags = 256;

    /// <summary>
    /// τ_int of <paramref name="series"/> (values in chain order, at least 2) with window constant
    /// <paramref name="windowFactor"/> (c, typically 5–10). A constant series has τ_int = ½ by convention
    /// (nothing is correlated that could be measured). If no window satisfies W ≥ c τ_int(W) before N/2, the
    /// largest window N/2 is used and the result is a lower bound; check <see cref="AutocorrelationTime.IsReliable"/>.
    /// </summary>
    public static AutocorrelationTime IntegratedTime(ReadOnlySpan<double> series, double windowFactor = DefaultWindowFactor)
    {
        int n = series.Length;
        if (n < 2) throw new ArgumentException("an autocorrelation time needs at least two values.", nameof(series));
        if (!(windowFactor > 0)) throw new ArgumentOutOfRangeException(nameof(windowFactor), "the window factor must be positive.");
        double[] centred = Centre(series, out double c0);
        if (c0 == 0) return new AutocorrelationTime(0.5, 0.0, 0);
        int maxLag = n / 2;

        // Cheap path: direct sums for the first lags (enough for short autocorrelation times).
        double tau = 0.5;
        int directMax = Math.Min(DirectLags, maxLag);
        var x = centred.AsSpan();
        for (int t = 1; t <= directMax; t++)
        {
            double ct = TensorPrimitives.Dot(x[..(n - t)], x[t..]) / (n - t);
            tau += ct / c0;
            if (t >= windowFactor * tau) return Result(tau, t, n);
        }
        if (directMax == maxLag) return Result(tau, maxLag, n);

        // Long autocorrelation: the whole function by FFT.
        double[] rho = Function(centred, c0, maxLag);
        tau = 0.5;
        for (int t = 1; t <= maxLag; t++)
        {
            tau += rho[t];
            if (t >= windowFactor * tau) return Result(tau, t, n);
        }
        return Result(tau, maxLag, n);
    }

    /// <summary>
    /// The normalised autocorrelation function ρ(t), t = 0 … <paramref name="maxLag"/> (≤ N − 1), of
    /// <paramref name="series"/>, computed by FFT in O(N log N). ρ(0) = 1; all zeros for a constant series.
    /// </summary>
    public static double[] Function(ReadOnlySpan<double> series, int maxLag)
    {
        if (series.Length < 2) throw new ArgumentException("an autocorrelation function needs at least two values.", nameof(series));
        if (maxLag < 0 || maxLag >= series.Length) throw new ArgumentOutOfRangeException(nameof(maxLag), $"the largest lag must be in [0, {series.Length - 1}].");
        double[] centred = Centre(series, out double c0);
        if (c0 == 0) { var z = new double[maxLag + 1]; return z; }
        return Function(centred, c0, maxLag);
    }

    private static double[] Centre(ReadOnlySpan<double> series, out double c0)
    {
        int n = series.Length;
        double mean = TensorPrimitives.Sum(series) / n;
        var centred = new double[n];
        TensorPrimitives.Subtract(series, mean, centred);
        c0 = TensorPrimitives.Dot(centred, centred) / n;
        return centred;
    }

    private static double[] Function(double[] centred, double c0, int maxLag)
    {
        int n = centred.Length;
        int size = 1;
        while (size < 2 * n) size <<= 1;
        var re = new double[size];
        var im = new double[size];
        Array.Copy(centred, re, n);
        Fft.Transform(re, im, inverse: false);
        for (int i = 0; i < size; i++) { re[i] = re[i] * re[i] + im[i] * im[i]; im[i] = 0; }
        Fft.Transform(re, im, inverse: true);
        var rho = new double[maxLag + 1];
        for (int t = 0; t <= maxLag; t++) rho[t] = re[t] / size / (n - t) / c0;
        return rho;
    }

    private static AutocorrelationTime Result(double tau, int window, int n)
        => new(tau, tau * Math.Sqrt(2.0 * (2 * window + 1) / n), window);
}

/// <summary>In-place iterative radix-2 complex FFT (Cooley–Tukey), unnormalised in both directions.</summary>
internal static class Fft
{
    /// <summary>Transforms (re, im), length a power of two, in place: X_k = Σ x_j e^{∓2πi jk/n}.</summary>
    public static void Transform(double[] re, double[] im, bool inverse)
    {
        int n = re.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) { (re[i], re[j]) = (re[j], re[i]); (im[i], im[j]) = (im[j], im[i]); }
        }
        // Twiddles e^{∓2πi j/n}, j < n/2, computed directly (no accumulated rounding); stage `len` uses every (n/len)-th.
        int halfN = n >> 1;
        var wr = new double[Math.Max(halfN, 1)];
        var wi = new double[Math.Max(halfN, 1)];
        double sign = inverse ? 1 : -1;
        for (int j = 0; j < halfN; j++) { wr[j] = Math.Cos(2 * Math.PI * j / n); wi[j] = sign * Math.Sin(2 * Math.PI * j / n); }
        for (int len = 2; len <= n; len <<= 1)
        {
            int half = len >> 1, step = n / len;
            for (int start = 0; start < n; start += len)
            {
                for (int j = 0, t = 0; j < half; j++, t += step)
                {
                    int i = start + j, k = i + half;
                    double xr = re[k] * wr[t] - im[k] * wi[t];
                    double xi = re[k] * wi[t] + im[k] * wr[t];
                    re[k] = re[i] - xr; im[k] = im[i] - xi;
                    re[i] += xr; im[i] += xi;
                }
            }
        }
    }
}
