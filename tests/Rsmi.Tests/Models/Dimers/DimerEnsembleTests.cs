using Rsmi.Data;
using Rsmi.Models.Dimers;
using Rsmi.Statistics;

namespace Rsmi.Tests.Models.Dimers;

/// <summary>
/// Ensemble averages of worm samples on larger tori, measured once per lattice size: bond occupation,
/// dimer–dimer correlations, noise pairs.
/// </summary>
public sealed class DimerEnsemble
{
    public int L { get; }
    public int Samples { get; }
    public double NoiseCoupling { get; }
    /// <summary>Per sample: fraction of occupied bonds in each of 8 classes (orientation × i mod 2 × j mod 2).</summary>
    public double[][] ClassOccupation { get; }
    /// <summary>Per r: per-sample longitudinal and transverse pair products.</summary>
    public double[][] Along { get; }
    public double[][] Across { get; }
    public double[] NoisePair { get; }
    public double[] NoiseVertexBond { get; }
    public double[] NoiseFaceBond { get; }
    public double[] Winding { get; }
    public SampleSet Images { get; }

    public DimerEnsemble(int l, int samples, int spacing, ulong seed, double noiseCoupling)
    {
        L = l; Samples = samples; NoiseCoupling = noiseCoupling;
        var lattice = new DimerLattice(l);
        var sampler = DimerWormSampler.Create(lattice, seed, noiseCoupling);
        sampler.Run(20 * spacing);
        int rMax = l / 2;
        ClassOccupation = Enumerable.Range(0, 8).Select(_ => new double[samples]).ToArray();
        Along = Enumerable.Range(0, rMax + 1).Select(_ => new double[samples]).ToArray();
        Across = Enumerable.Range(0, rMax + 1).Select(_ => new double[samples]).ToArray();
        NoisePair = new double[samples]; NoiseVertexBond = new double[samples]; NoiseFaceBond = new double[samples];
        Winding = new double[samples];
        var data = new sbyte[samples * 4 * l * l];
        var along = new double[rMax + 1]; var across = new double[rMax + 1];
        double classNorm = 4.0 / (l * l);
        for (int n = 0; n < samples; n++)
        {
            sampler.Run(spacing);
            var image = data.AsSpan(n * 4 * l * l, 4 * l * l);
            sampler.CopyConfiguration(image);
            var sample = DimerImage.Decode(lattice, image);
            var c = sample.Covering;
            for (int i = 0; i < l; i++)
            for (int j = 0; j < l; j++)
            {
                int cls = 2 * (i & 1) + (j & 1);
                if (c.Horizontal(i, j)) ClassOccupation[cls][n] += classNorm;
                if (c.Vertical(i, j)) ClassOccupation[4 + cls][n] += classNorm;
            }
            DimerAnalysis.PairProducts(c, along, across);
            for (int r = 0; r <= rMax; r++) { Along[r][n] = along[r]; Across[r][n] = across[r]; }
            (NoisePair[n], NoiseVertexBond[n], NoiseFaceBond[n]) = DimerAnalysis.NoiseProducts(sample);
            Winding[n] = sampler.MonitorObservable();
        }
        Images = new SampleSet(samples, [2 * l, 2 * l], data);
    }
}

public sealed class DimerEnsemble32() { public DimerEnsemble Value { get; } = new(32, 2000, 10, 321, 2.0); }
public sealed class DimerEnsemble64() { public DimerEnsemble Value { get; } = new(64, 1600, 16, 641, 1.0); }

public abstract class DimerEnsembleTestsBase(DimerEnsemble e)
{
    protected DimerEnsemble E { get; } = e;

    [Fact]
    public void SpacingIsLongComparedWithTheWindingAutocorrelation()
    {
        var tau = AutoCorrelation.IntegratedTime(E.Winding);
        Assert.True(tau.Tau < 2.0, $"τ_int of W_x = {tau.Tau:F2} samples: the fixed spacing is too short for the error analysis");
    }

    [Fact]
    public void EveryBondIsOccupiedWithProbabilityOneQuarter()
    {
        // Eight classes (orientation × sublattice position of the bond): a columnar or staggered bias would show.
        for (int k = 0; k < 8; k++)
        {
            var est = Binning.Analyse(E.ClassOccupation[k]);
            Assert.True(est.Agrees(0.25, 4.0), $"class {k}: {est.Value:F5} ± {est.Error:F5}, expected 0.25");
            Assert.True(est.Error < 0.01, $"class {k}: error {est.Error} too large for a meaningful test");
        }
        var (h, v) = DimerAnalysis.BondOccupation(E.Images);
        Assert.Equal(0.25, (h.Average() + v.Average()) / 2, 12);     // exact in every covering
        Assert.Equal(E.ClassOccupation[0].Average(), Enumerable.Range(0, E.L * E.L).Where(s => (s / E.L) % 2 == 0 && s % 2 == 0).Average(s => h[s]), 9);
    }

    [Fact]
    public void NoisePairsHaveCorrelationTanhKAndDoNotSeeTheDimers()
    {
        var pair = Binning.Analyse(E.NoisePair);
        Assert.True(pair.Agrees(Math.Tanh(E.NoiseCoupling), 4.0), $"⟨σ_v σ_f⟩ = {pair.Value:F5} ± {pair.Error:F5}, expected tanh K = {Math.Tanh(E.NoiseCoupling):F5}");
        var vb = Binning.Analyse(E.NoiseVertexBond);
        var fb = Binning.Analyse(E.NoiseFaceBond);
        Assert.True(vb.Agrees(0.0, 4.0), $"⟨σ_v n_h⟩ = {vb.Value} ± {vb.Error}");
        Assert.True(fb.Agrees(0.0, 4.0), $"⟨σ_f n_v⟩ = {fb.Value} ± {fb.Error}");
        Assert.True(pair.Error < 0.01 && vb.Error < 0.01);
    }
}

public sealed class DimerEnsemble32Tests(DimerEnsemble32 f) : DimerEnsembleTestsBase(f.Value), IClassFixture<DimerEnsemble32>;

public sealed class DimerEnsemble64Tests(DimerEnsemble64 f, Xunit.Abstractions.ITestOutputHelper output) : DimerEnsembleTestsBase(f.Value), IClassFixture<DimerEnsemble64>
{
    /// <summary>
    /// Exponent p of |C(r)| ∝ r^{−p} from a least-squares fit of ln|C| against ln r, C(r) = ⟨n n⟩ − 1/16;
    /// error by jackknife over blocks.
    /// </summary>
    private static Estimate Exponent(double[][] products, int[] distances)
    {
        var series = distances.Select(r => products[r]).ToList();
        return Jackknife.Analyse(series, means =>
        {
            double sx = 0, sy = 0, sxx = 0, sxy = 0; int n = means.Length;
            for (int k = 0; k < n; k++)
            {
                double x = Math.Log(distances[k]), y = Math.Log(Math.Abs(means[k] - 1.0 / 16));
                sx += x; sy += y; sxx += x * x; sxy += x * y;
            }
            return -(n * sxy - sx * sy) / (n * sxx - sx * sx);
        }, blocks: 32);
    }

    [Fact]
    public void DimerDimerCorrelationsFallOffAsOneOverRSquared()
    {
        int[] along = Enumerable.Range(2, 11).ToArray();                     // r = 2 … 12: C alternates in sign, |C| ∝ r^−2
        int[] across = [3, 5, 7, 9, 11];                                     // odd r: C > 0, ∝ r^−2 (even r vanish at leading order)
        foreach (int r in along)
        {
            var c = Binning.Analyse(E.Along[r]);
            Assert.True(Math.Sign(c.Value - 1.0 / 16) == (r % 2 == 0 ? 1 : -1) && Math.Abs(c.Value - 1.0 / 16) > 3 * c.Error,
                $"longitudinal C({r}) = {c.Value - 1.0 / 16:E3} ± {c.Error:E1} should be clearly (−1)^r-signed");
        }
        var pAlong = Exponent(E.Along, along);
        var pAcross = Exponent(E.Across, across);
        output.WriteLine($"L = {E.L}, {E.Samples} samples: longitudinal exponent {pAlong.Value:F3} ± {pAlong.Error:F3}, transverse {pAcross.Value:F3} ± {pAcross.Error:F3}");
        Assert.True(pAlong.Error < 0.1 && pAcross.Error < 0.1, $"exponent errors {pAlong.Error:F3}, {pAcross.Error:F3}: too few samples for the test");
        Assert.True(Math.Abs(pAlong.Value - 2) < 0.2, $"longitudinal exponent {pAlong.Value:F3} ± {pAlong.Error:F3}");
        Assert.True(Math.Abs(pAcross.Value - 2) < 0.2, $"transverse exponent {pAcross.Value:F3} ± {pAcross.Error:F3}");
    }
}
