using Rsmi.Models;
using Rsmi.Models.Potts;
using Rsmi.Models.Potts.Exact;
using Rsmi.Statistics;
using Xunit.Abstractions;

namespace Rsmi.Tests.Models.Potts;

/// <summary>
/// The energy per site of the critical q-state Potts model on L × L tori, L = 32, 64, 128 (Wolff samples), extrapolated
/// in L with the leading correction e(L) = e_∞ + a L^{−(1−α)/ν} (α = 2 − 2ν in d = 2), against the exact
/// e_∞ = −(1 + 1/√q) of self-duality (docs/references.md, "2D Potts model"); the intercept's error holds, besides the
/// fit's, the shift of the intercept when L = 32 is left out.
/// </summary>
[Trait("Category", "Statistical")]
public class PottsCriticalEnergyTests(ITestOutputHelper output)
{
    /// <summary>Energy per site (J = 1) of each configuration: −(number of equal neighbour pairs)/N.</summary>
    private static double[] Energies(Potts2DModel model, int q, int l, int samples, ulong seed)
    {
        var set = ModelSampling.Sample(model, model.Arguments(q, l, Potts2D.CriticalTemperature(q)), "wolff", samples, seed, chains: 4);
        return Enumerable.Range(0, set.Count).Select(c => -(double)PottsEnergy.EqualBonds(set.Configuration(c), l, l) / (l * l)).ToArray();
    }

    /// <summary>
    /// Weighted least squares of y = e + a x on three or more points with errors σ: (e, σ_e) and χ² per degree of freedom.
    /// When χ²/dof &gt; 1 the error of e is scaled by √(χ²/dof) (the Birge ratio, as the Particle Data Group scales
    /// inconsistent fits): the leading-correction form does not hold exactly, e.g. for q = 4 with its logarithms.
    /// </summary>
    internal static (Estimate Intercept, double ChiSquarePerDof) Line(double[] x, Estimate[] y)
    {
        double s = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double w = 1 / (y[i].Error * y[i].Error);
            s += w; sx += w * x[i]; sy += w * y[i].Value; sxx += w * x[i] * x[i]; sxy += w * x[i] * y[i].Value;
        }
        double det = s * sxx - sx * sx;
        double e = (sxx * sy - sx * sxy) / det, a = (s * sxy - sx * sy) / det;
        double chi2 = 0;
        for (int i = 0; i < x.Length; i++) { double r = (y[i].Value - e - a * x[i]) / y[i].Error; chi2 += r * r; }
        double perDof = chi2 / (x.Length - 2);
        return (new Estimate(e, Math.Sqrt(sxx / det) * Math.Max(1, Math.Sqrt(perDof))), perDof);
    }

    /// <summary>The intercept at x = 0 of the straight line through (x1, y1) and (x2, y2).</summary>
    internal static double Intercept(double x1, double y1, double x2, double y2) => y2 - (y1 - y2) / (x1 - x2) * x2;

    /// <summary>
    /// <paramref name="fit"/> with the fit form's systematic added in quadrature to its error: how far the intercept
    /// moves when the smallest lattice is left out (<paramref name="withoutSmallest"/>), the usual check that a
    /// finite-size form holds over the sizes used. It matters for q = 4, whose logarithmic corrections the pure power
    /// law leaves out: two independent sets of samples put the three-size intercept at −1.483 and −1.485, against −1.5.
    /// </summary>
    internal static Estimate WithFitSystematic(Estimate fit, double withoutSmallest)
    {
        double shift = fit.Value - withoutSmallest;
        return new Estimate(fit.Value, Math.Sqrt(fit.Error * fit.Error + shift * shift));
    }

    [Fact]
    public void TheFitSystematicIsTheShiftWhenTheSmallestLatticeIsDropped()
    {
        Assert.Equal(1.0, Intercept(1, 2, 2, 3), 12);          // y = 1 + x
        Assert.Equal(-1.5, Intercept(0.5, -1.75, 0.25, -1.625), 12); // y = −1.5 − x/2
        var e = WithFitSystematic(new Estimate(-1.485, 0.004), -1.488);
        Assert.Equal(-1.485, e.Value, 12);
        Assert.Equal(0.005, e.Error, 12);
    }

    [Theory]
    [InlineData(3, 0.8)]   // (1 − α)/ν = (2/3)/(5/6)
    [InlineData(4, 0.5)]   // (1/3)/(2/3), with logarithmic corrections
    public void TheCriticalEnergyExtrapolatesToTheSelfDualValue(int q, double omega)
    {
        var model = ModelCatalog.Potts2D;
        int[] sizes = [32, 64, 128];
        int[] samples = [2000, 1000, 600];
        var e = new Estimate[sizes.Length];
        for (int i = 0; i < sizes.Length; i++)
        {
            var values = Energies(model, q, sizes[i], samples[i], (ulong)(40 + 10 * q + i));
            e[i] = Jackknife.Analyse([values], m => m[0], 20);
            output.WriteLine($"q = {q}, L = {sizes[i]}: e = {e[i]}");
        }
        var x = sizes.Select(l => Math.Pow(l, -omega)).ToArray();
        var (fit, chi2) = Line(x, e);
        var withoutSmallest = Intercept(x[1], e[1].Value, x[2], e[2].Value);
        var limit = WithFitSystematic(fit, withoutSmallest);
        double exact = Potts2D.CriticalEnergyPerSite(q);
        output.WriteLine($"q = {q}: e_inf = {fit} (chi2/dof {chi2:F2}); through L = {sizes[1]}, {sizes[2]} only {withoutSmallest:F6}; " +
            $"with that shift as systematic {limit}; exact {exact:F6}, |delta|/sigma = {limit.Deviation(exact):F2}");
        Assert.True(limit.Deviation(exact) < 3, $"q = {q}: e_inf = {limit}, exact {exact:F6}");
    }
}
