using Rsmi.Data;
using Rsmi.Random;
using Rsmi.Statistics;

namespace Rsmi.Models.Dimers;

/// <summary>
/// Observables that tell the columnar crystal of interacting dimers from their Coulomb phase (docs/scan.md, "Interacting
/// dimers"; docs/references.md, "Interacting dimers"). Conventions as <see cref="DimerAnalysis"/>: n_h(i, j) = 1 when the
/// horizontal bond (i, j)–(i, j+1) holds a dimer, n_v(i, j) when the vertical bond (i, j)–(i+1, j) does; N = L² sites.
/// </summary>
public static class DimerPhases
{
    /// <summary>
    /// The columnar order parameter of one configuration, read from its image (<see cref="DimerImage"/>):
    /// <code>C_x = (2/N) Σ_{i,j} (−1)^j n_h(i, j),   C_y = (2/N) Σ_{i,j} (−1)^i n_v(i, j)</code>
    /// (Alet et al., Phys. Rev. E 74, 041124 (2006)). The four columnar coverings give (±1, 0) and (0, ±1), the staggered
    /// ones and a disordered state 0; |C|² = C_x² + C_y² is invariant under the lattice's symmetries.
    /// </summary>
    public static (double Cx, double Cy) ColumnarOrder(ReadOnlySpan<sbyte> image, int l)
    {
        int side = 2 * l;
        long cx = 0, cy = 0;
        for (int i = 0; i < l; i++)
        {
            ReadOnlySpan<sbyte> even = image.Slice(2 * i * side, side), odd = image.Slice((2 * i + 1) * side, side);
            int rowSign = (i & 1) == 0 ? 1 : -1;
            for (int j = 0; j < l; j++)
            {
                int sign = (j & 1) == 0 ? 1 : -1;
                if (even[2 * j + 1] == 1) cx += sign;
                if (odd[2 * j] == 1) cy += rowSign;
            }
        }
        double n = (double)l * l;
        return (2 * cx / n, 2 * cy / n);
    }

    /// <summary>
    /// The moments of the columnar order parameter over a dimer sample set (torus or open grid): ⟨|C|²⟩ and ⟨|C|⁴⟩
    /// with binned error bars (configurations in file order), and the Binder cumulant of a two-component order parameter
    /// U = 1 − ⟨|C|⁴⟩ / (2⟨|C|²⟩²) with a jackknife error (0 for Gaussian fluctuations about zero, ½ in the crystal).
    /// </summary>
    public static ColumnarMoments Moments(SampleSet samples)
    {
        var lattice = DimerImage.LatticeOf(samples);
        Require.That(samples.Count >= 2, "the columnar order parameter's moments need at least two configurations.");
        var m2 = new double[samples.Count];
        var m4 = new double[samples.Count];
        for (int c = 0; c < samples.Count; c++)
        {
            var (cx, cy) = ColumnarOrder(samples.Configuration(c), lattice.L);
            m2[c] = cx * cx + cy * cy;
            m4[c] = m2[c] * m2[c];
        }
        int blocks = Math.Min(64, samples.Count);
        var binder = Jackknife.Analyse([m2, m4], m => 1 - m[1] / (2 * m[0] * m[0]), blocks);
        return new ColumnarMoments(lattice.L, samples.Count, Binning.Analyse(m2), Binning.Analyse(m4), binder);
    }

    /// <summary>
    /// The columnar (staggered) part of the dimer–dimer correlation on the torus, r = 1 … L/2 − 1: from the longitudinal
    /// correlation C(r) of <see cref="DimerAnalysis.Correlations"/>, which is a smooth (dipolar) part plus an oscillating
    /// part, C(r) = s(r) + (−1)^r a(r), the second difference
    /// <code>a(r) ≈ ¼ (−1)^r [2 C(r) − C(r − 1) − C(r + 1)]</code>
    /// removes s to second order in its derivatives. In the Coulomb phase a(r) ∝ r^{−α_d} (α_d = 2 for free dimers,
    /// Fisher &amp; Stephenson 1963); errors propagated from the binned errors of C as if independent.
    /// </summary>
    public static Estimate[] ColumnarCorrelation(SampleSet samples)
    {
        var (longitudinal, _) = DimerAnalysis.Correlations(samples);
        int rMax = longitudinal.Length - 1;
        var a = new Estimate[Math.Max(0, rMax)];
        for (int r = 1; r < rMax; r++)
        {
            double sign = (r & 1) == 0 ? 1 : -1;
            double value = 0.25 * sign * (2 * longitudinal[r].Value - longitudinal[r - 1].Value - longitudinal[r + 1].Value);
            double error = 0.25 * Math.Sqrt(4 * Sq(longitudinal[r].Error) + Sq(longitudinal[r - 1].Error) + Sq(longitudinal[r + 1].Error));
            a[r] = new Estimate(value, error);
        }
        a[0] = Estimate.Undefined;
        return a;
    }

    /// <summary>
    /// The dimer–dimer correlation exponent α_d from the columnar correlation a(r) of <see cref="ColumnarCorrelation"/>
    /// on an L × L torus: a weighted least-squares line through ln a(r) against ln r over r from <paramref name="from"/>
    /// to L/4, where the images of the torus change a power law by less than they do further out, stopping at the first
    /// r where a(r) is not at least three standard errors above zero. Returns the exponent with the fit's error (scaled
    /// by √(χ²/dof) when the points scatter more than their errors), or NaN with fewer than three points.
    /// </summary>
    public static Estimate CorrelationExponent(IReadOnlyList<Estimate> columnar, int l, int from = 2)
    {
        double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        var used = new List<(double X, double Y, double S)>();
        for (int r = Math.Max(1, from); r < columnar.Count && r <= l / 4; r++)
        {
            var e = columnar[r];
            if (!(e.Value > 3 * e.Error) || !(e.Error > 0)) break;
            used.Add((Math.Log(r), Math.Log(e.Value), e.Error / e.Value));
        }
        if (used.Count < 3) return Estimate.Undefined;
        foreach (var (x, y, s) in used)
        {
            double w = 1 / (s * s);
            sw += w; sx += w * x; sy += w * y; sxx += w * x * x; sxy += w * x * y;
        }
        double det = sw * sxx - sx * sx;
        double slope = (sw * sxy - sx * sy) / det, intercept = (sxx * sy - sx * sxy) / det;
        double chi2 = used.Sum(p => Sq((p.Y - intercept - slope * p.X) / p.S));
        int dof = used.Count - 2;
        double scale = chi2 / dof > 1 ? Math.Sqrt(chi2 / dof) : 1;
        return new Estimate(-slope, Math.Sqrt(sw / det) * scale);
    }

    /// <summary>The columnar exponent at the transition: α_d(T_c) = 1/4 (docs/references.md, "Interacting dimers").</summary>
    public const double CriticalExponent = 0.25;

    /// <summary>
    /// The effective exponent of ⟨|C|²⟩ between sizes L and 2L, α_eff = −log₂(⟨|C|²⟩_{2L} / ⟨|C|²⟩_L), with its error
    /// propagated from both moments. In the Coulomb phase ⟨|C|²⟩ ∝ L^{−α_d(T)} (for α_d &lt; 2), so α_eff → α_d; in the
    /// crystal ⟨|C|²⟩ tends to a constant and α_eff → 0.
    /// </summary>
    public static Estimate EffectiveExponent(Estimate small, Estimate large)
    {
        double value = -Math.Log2(large.Value / small.Value);
        double error = Math.Sqrt(Sq(small.Error / small.Value) + Sq(large.Error / large.Value)) / Math.Log(2);
        return new Estimate(value, error);
    }

    /// <summary>
    /// T_c of the columnar transition from the order parameter's finite-size behaviour (docs/scan.md, "Interacting
    /// dimers"): the temperature where the effective exponent between sizes L and 2L (<see cref="EffectiveExponent"/>)
    /// crosses <see cref="CriticalExponent"/> = 1/4, i.e. where the curves L^{1/4} ⟨|C|²⟩ of the two sizes cross, by
    /// linear interpolation between the two temperatures that bracket the first crossing (temperatures increasing). Its
    /// error is the spread of the crossing over 400 parametric resamplings of the moments (Gaussian, within their errors;
    /// fixed seed). NaN when the exponent does not cross 1/4 between the temperatures given.
    /// </summary>
    public static Estimate CriticalTemperature(IReadOnlyList<double> temperatures, IReadOnlyList<Estimate> small, IReadOnlyList<Estimate> large)
    {
        Require.That(temperatures.Count == small.Count && temperatures.Count == large.Count && temperatures.Count >= 2,
            "the crossing needs the moments of both sizes at the same two or more temperatures.");
        for (int k = 1; k < temperatures.Count; k++) Require.That(temperatures[k] > temperatures[k - 1], "the temperatures must increase.");
        double Crossing(Func<int, double> alpha)
        {
            for (int k = 1; k < temperatures.Count; k++)
            {
                double a0 = alpha(k - 1) - CriticalExponent, a1 = alpha(k) - CriticalExponent;
                if (a0 <= 0 && a1 > 0) return temperatures[k - 1] + (temperatures[k] - temperatures[k - 1]) * (-a0) / (a1 - a0);
            }
            return double.NaN;
        }
        var exponents = Enumerable.Range(0, temperatures.Count).Select(k => EffectiveExponent(small[k], large[k])).ToArray();
        double value = Crossing(k => exponents[k].Value);
        if (double.IsNaN(value)) return Estimate.Undefined;
        var rng = RandomStreams.Create(20050601, 0, "dimer-critical-temperature");
        var draws = new List<double>();
        for (int b = 0; b < 400; b++)
        {
            var drawn = new double[temperatures.Count];
            for (int k = 0; k < temperatures.Count; k++)
            {
                double s = Math.Max(1e-300, small[k].Value + small[k].Error * rng.NextGaussian());
                double l = Math.Max(1e-300, large[k].Value + large[k].Error * rng.NextGaussian());
                drawn[k] = -Math.Log2(l / s);
            }
            double t = Crossing(k => drawn[k]);
            if (!double.IsNaN(t)) draws.Add(t);
        }
        double mean = draws.Count > 1 ? draws.Average() : value;
        double sd = draws.Count > 1 ? Math.Sqrt(draws.Sum(t => Sq(t - mean)) / (draws.Count - 1)) : double.NaN;
        return new Estimate(value, sd);
    }

    private static double Sq(double x) => x * x;
}

/// <summary>Moments of the columnar order parameter of a dimer sample set (<see cref="DimerPhases.Moments"/>).</summary>
/// <param name="L">Linear size of the dimer lattice.</param>
/// <param name="Configurations">Configurations averaged.</param>
/// <param name="SecondMoment">⟨|C|²⟩.</param>
/// <param name="FourthMoment">⟨|C|⁴⟩.</param>
/// <param name="Binder">U = 1 − ⟨|C|⁴⟩ / (2⟨|C|²⟩²).</param>
public sealed record ColumnarMoments(int L, int Configurations, Estimate SecondMoment, Estimate FourthMoment, Estimate Binder);
