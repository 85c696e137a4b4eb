using Rsmi.Exact;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;

namespace Rsmi.Tests.Models.Ising;

public class IsingObservablesTests
{
    private static sbyte[] Config(int lx, int ly, Func<int, int, int> spin)
    {
        var s = new sbyte[lx * ly];
        for (int y = 0; y < ly; y++) for (int x = 0; x < lx; x++) s[y * lx + x] = (sbyte)spin(x, y);
        return s;
    }

    [Fact]
    public void AllUp()
    {
        var r = new IsingObservables(6, 4).Measure(Config(6, 4, (x, y) => 1));
        Assert.Equal((-2.0, 1.0, 1.0, 1.0, 24.0), (r.EnergyPerSite, r.Magnetisation, r.NearestNeighbour, r.Diagonal, r.StructureFactorZero));
        Assert.Equal(0, r.StructureFactorMin, 1e-12);
        Assert.Equal(1, r.AbsoluteMagnetisation);
    }

    [Fact]
    public void Checkerboard()
    {
        var r = new IsingObservables(4, 6).Measure(Config(4, 6, (x, y) => (x + y) % 2 == 0 ? 1 : -1));
        Assert.Equal(2, r.EnergyPerSite);
        Assert.Equal(0, r.Magnetisation);
        Assert.Equal(-1, r.NearestNeighbour);
        Assert.Equal(1, r.Diagonal);
        Assert.Equal(0, r.StructureFactorZero);
        Assert.Equal(0, r.StructureFactorMin, 1e-12);
    }

    [Fact]
    public void StripesOfWidthOne()
    {
        // s = (−1)^x: horizontal bonds all −1, vertical all +1, both diagonals −1.
        var r = new IsingObservables(4, 4).Measure(Config(4, 4, (x, y) => x % 2 == 0 ? 1 : -1));
        Assert.Equal(0, r.EnergyPerSite);
        Assert.Equal(0, r.NearestNeighbour);
        Assert.Equal(-1, r.Diagonal);
        Assert.Equal(0, r.Magnetisation);
    }

    [Fact]
    public void StripesOfHalfTheWidth()
    {
        // Columns 0, 1 up, 2, 3 down on 4×4: two of four horizontal bonds per row broken → E/N = −1, c1 = ½,
        // diagonal pairs cross a wall half of the time → 0. Column sums (4, 4, −4, −4):
        // |Σ_x c_x i^x|² = |4(2 + 2i)|² = 128, S_x = 128/16 = 8, S_y = 0, F = 4.
        var r = new IsingObservables(4, 4).Measure(Config(4, 4, (x, y) => x < 2 ? 1 : -1));
        Assert.Equal(-1, r.EnergyPerSite);
        Assert.Equal(0.5, r.NearestNeighbour);
        Assert.Equal(0, r.Diagonal);
        Assert.Equal(0, r.StructureFactorZero);
        Assert.Equal(4, r.StructureFactorMin, 1e-12);
        // A single flipped spin in an up background on 5×3: E = −2N + 8, m = (N − 2)/N.
        var f = new IsingObservables(5, 3).Measure(Config(5, 3, (x, y) => x == 2 && y == 1 ? -1 : 1));
        Assert.Equal((-30 + 8) / 15.0, f.EnergyPerSite, 1e-15);
        Assert.Equal(13 / 15.0, f.Magnetisation, 1e-15);
        Assert.Equal((30 - 8) / 30.0, f.Diagonal, 1e-15);
    }

    [Fact]
    public void Chains()
    {
        var ring = IsingObservables.ForChain(6);
        var open = IsingObservables.ForChain(6, periodic: false);
        sbyte[] s = { 1, 1, 1, -1, -1, -1 };
        // Ring: 2 of 6 bonds broken → Σ = 2; open chain: 1 of 5 broken → Σ = 3.
        Assert.Equal(-2 / 6.0, ring.Measure(s).EnergyPerSite, 1e-15);
        Assert.Equal(2 / 6.0, ring.Measure(s).NearestNeighbour, 1e-15);
        Assert.Equal(-3 / 6.0, open.Measure(s).EnergyPerSite, 1e-15);
        Assert.Equal(3 / 5.0, open.Measure(s).NearestNeighbour, 1e-15);
        Assert.True(double.IsNaN(ring.Measure(s).Diagonal));
        Assert.Equal(0, ring.Measure(s).Magnetisation);
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(2.269185314213022)]
    [InlineData(3.5)]
    public void WeightedAveragesOverThe4x4EnsembleAreTheExactExpectations(double t)
    {
        var en = IsingEnumeration.Torus(4);
        var p = en.BoltzmannProbabilities(t);
        var obs = new IsingObservables(4, 4);
        var s = new sbyte[16];
        double e = 0, nn = 0, diag = 0, am = 0, m = 0, chi = 0, f = 0;
        for (int c = 0; c < p.Length; c++)
        {
            en.Configuration(c, s);
            var r = obs.Measure(s);
            e += p[c] * r.EnergyPerSite; nn += p[c] * r.NearestNeighbour; diag += p[c] * r.Diagonal;
            am += p[c] * r.AbsoluteMagnetisation; m += p[c] * r.Magnetisation;
            chi += p[c] * r.StructureFactorZero; f += p[c] * r.StructureFactorMin;
        }
        // Sums of 65536 terms: rounding up to ~1e-11.
        Assert.Equal(Kaufman.EnergyPerSite(4, t), e, 1e-11);
        Assert.Equal(Kaufman.NearestNeighbourCorrelation(4, t), nn, 1e-11);
        Assert.Equal(en.DiagonalCorrelation(t), diag, 1e-11);
        Assert.Equal(en.AbsoluteMagnetisation(t), am, 1e-11);
        Assert.Equal(0, m, 1e-12);
        // Structure factors from the exact correlation function: S(k) = Σ_r G(r) cos(k·r), G(r) = ⟨s_0 s_r⟩.
        double s0 = 0, sk = 0;
        for (int ry = 0; ry < 4; ry++)
        for (int rx = 0; rx < 4; rx++)
        {
            int site = ry * 4 + rx;
            double g = en.Expectation(t, c => 1 - 2 * ((c ^ (c >> site)) & 1));
            s0 += g;
            sk += g * 0.5 * (Math.Cos(2 * Math.PI * rx / 4) + Math.Cos(2 * Math.PI * ry / 4));
        }
        Assert.Equal(s0, chi, 1e-11);
        Assert.Equal(sk, f, 1e-11);
    }

    [Fact]
    public void SecondMomentCorrelationLength()
    {
        // ξ₂ = sqrt(χ/F − 1) / (2 sin(π/L)): χ/F = 5, L = 6 → 2 / (2 · ½) = 2.
        Assert.Equal(2.0, IsingObservables.SecondMomentCorrelationLength(5, 1, 6), 1e-14);
        Assert.True(double.IsNaN(IsingObservables.SecondMomentCorrelationLength(1, 1, 6)));
        Assert.True(double.IsPositiveInfinity(IsingObservables.SecondMomentCorrelationLength(3, 0, 6)));
    }

    [Fact]
    public void SecondMomentLengthOfARingMatchesTheTransferMatrix()
    {
        // Ring of N: G(r) = (t^r + t^{N−r})/(1 + t^N): χ = Σ_r G(r), F = Σ_r G(r) cos(2πr/N).
        const int n = 12;
        const double t = 1.2;
        var en = IsingEnumeration.Ring(n);
        var p = en.BoltzmannProbabilities(t);
        var obs = IsingObservables.ForChain(n);
        var s = new sbyte[n];
        double chi = 0, f = 0;
        for (int c = 0; c < p.Length; c++)
        {
            en.Configuration(c, s);
            var r = obs.Measure(s);
            chi += p[c] * r.StructureFactorZero; f += p[c] * r.StructureFactorMin;
        }
        double chiExact = 0, fExact = 0;
        for (int r = 0; r < n; r++)
        {
            double g = IsingChain.RingCorrelation(n, r, t);
            chiExact += g; fExact += g * Math.Cos(2 * Math.PI * r / n);
        }
        Assert.Equal(chiExact, chi, 1e-11);
        Assert.Equal(fExact, f, 1e-11);
    }
}
