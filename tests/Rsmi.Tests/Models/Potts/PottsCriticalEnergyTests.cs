using Rsmi.Models;
using Rsmi.Models.Potts;
using Rsmi.Models.Potts.Exact;
using Rsmi.Statistics;
using Xunit.Abstractions;

namespace Rsmi.Tests.Models.Potts;

/// <summary>
/// The energy per site of the critical q-state Potts model on L × L tori, L = 32, 64, 128 (Wolff samples), extrapolated
/// in L with the leading correction e(L) = e_∞ + a L^{−(1−α)/ν} (α = 2 − 2ν in d = 2), against the exact
/// e_∞ = −(1 + 1/√q) of self-duality (docs/references.md, "2D Potts model").
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
        var (limit, chi2) = Line(sizes.Select(l => Math.Pow(l, -omega)).ToArray(), e);
        double exact = Potts2D.CriticalEnergyPerSite(q);
        output.WriteLine($"q = {q}: e_inf = {limit} (chi2/dof {chi2:F2}), exact {exact:F6}, |delta|/sigma = {limit.Deviation(exact):F2}");
        Assert.True(limit.Deviation(exact) < 3, $"q = {q}: e_inf = {limit}, exact {exact:F6}");
    }
}
