using Rsmi.Exact;
using Rsmi.Lattices;
using Rsmi.Models.Ising.Exact;
using Rsmi.Random;

namespace Rsmi.Tests.Models.Ising.Exact;

public class IsingEnumerationTests
{
    [Fact]
    public void DensityOfStatesOf4x4TorusIsTheReferenceTable()
    {
        // docs/references.md, "2D Ising model, finite torus": g(−32) = 2, g(−24) = 32, g(−20) = 64, g(−16) = 424, g(−12) = 1728, g(−8) = 6688,
        // g(−4) = 13568, g(0) = 20524, symmetric in E.
        var g = IsingEnumeration.Torus(4).DensityOfStates();
        var half = new Dictionary<int, long>
        {
            [-32] = 2, [-24] = 32, [-20] = 64, [-16] = 424, [-12] = 1728, [-8] = 6688, [-4] = 13568, [0] = 20524,
        };
        var expected = new SortedDictionary<int, long>();
        foreach (var (e, n) in half) { expected[e] = n; expected[-e] = n; }
        Assert.Equal(expected, g);
        Assert.Equal(65536L, g.Values.Sum());
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 3)]
    [InlineData(2, 5)]
    public void EnergiesEqualTheSumOverNeighbourTables(int lx, int ly)
    {
        var en = IsingEnumeration.Torus(lx, ly);
        var lat = new HypercubicLattice(ly, lx);
        var s = new sbyte[lat.Sites];
        for (int c = 0; c < en.ConfigurationCount; c += 7)
        {
            en.Configuration(c, s);
            Assert.Equal(c, IsingEnumeration.IndexOf(s));
            int e = 0, diag = 0, m = 0, h = 0;
            for (int i = 0; i < lat.Sites; i++)
            {
                e -= s[i] * (s[lat.Neighbour(i, 0, +1)] + s[lat.Neighbour(i, 1, +1)]);
                h += s[i] * s[lat.Neighbour(i, 0, +1)];
                diag += s[i] * (s[lat.Neighbour(lat.Neighbour(i, 0, +1), 1, +1)] + s[lat.Neighbour(lat.Neighbour(i, 0, +1), 1, -1)]);
                m += s[i];
            }
            Assert.Equal(e, en.Energy(c));
            Assert.Equal(h, en.HorizontalBondSum(c));
            Assert.Equal(diag, en.DiagonalBondSum(c));
            Assert.Equal(m, en.Magnetisation(c));
        }
    }

    [Fact]
    public void BitIEncodesSiteYTimesLxPlusX()
    {
        var en = IsingEnumeration.Torus(4, 3);
        var s = new sbyte[12];
        int site = new HypercubicLattice(3, 4).Index(1, 2); // 2·4 + 1 = 9
        en.Configuration(1 << site, s);
        for (int i = 0; i < 12; i++) Assert.Equal(i == 9 ? -1 : 1, s[i]);
    }

    [Fact]
    public void ProbabilitiesAreBoltzmannWeights()
    {
        var en = IsingEnumeration.Torus(3, 3);
        const double t = 2.0;
        var p = en.BoltzmannProbabilities(t);
        Assert.Equal(1.0, p.Sum(), 12);
        double z = Math.Exp(en.LogPartitionFunction(1 / t));
        for (int c = 0; c < p.Length; c += 13) Assert.Equal(Math.Exp(-en.Energy(c) / t) / z, p[c], 14);
        // The two ground states carry the largest weight; spin flip symmetry.
        Assert.Equal(p[0], p[p.Length - 1], 15);
        Assert.Equal(p.Max(), p[0]);
    }

    [Fact]
    public void VeryLowTemperatureDoesNotOverflow()
    {
        var p = IsingEnumeration.Torus(4).BoltzmannProbabilities(0.01);
        Assert.Equal(0.5, p[0], 12);
        Assert.Equal(0.5, p[65535], 12);
        Assert.Equal(-2.0, IsingEnumeration.Torus(4).EnergyPerSite(0.01), 12);
    }

    [Theory]
    [InlineData(3, 0.7)]
    [InlineData(8, 1.5)]
    [InlineData(13, 3.0)]
    public void RingNearestNeighbourCorrelationIsTheTransferMatrixResult(int n, double temperature)
    {
        // ⟨s_i s_{i+1}⟩ = (t + t^{N−1}) / (1 + t^N), t = tanh K (docs/references.md, "Ising chain").
        double t = Math.Tanh(1 / temperature);
        double exact = (t + Math.Pow(t, n - 1)) / (1 + Math.Pow(t, n));
        Assert.Equal(exact, IsingEnumeration.Ring(n).NearestNeighbourCorrelation(temperature), 13);
    }

    [Fact]
    public void TorusCorrelationsAtInfiniteTemperatureLimitVanish()
    {
        var en = IsingEnumeration.Torus(4);
        Assert.Equal(0.0, en.NearestNeighbourCorrelation(1e9), 8);
        Assert.Equal(0.0, en.DiagonalCorrelation(1e9), 8);
        // At low temperature everything is aligned.
        Assert.Equal(1.0, en.DiagonalCorrelation(0.05), 10);
        Assert.Equal(1.0, en.AbsoluteMagnetisation(0.05), 10);
    }

    [Fact]
    public void EnergyDistributionSumsConfigurationProbabilities()
    {
        var en = IsingEnumeration.Torus(4);
        const double t = 2.3;
        var (energies, probabilities) = en.EnergyDistribution(t);
        var p = en.BoltzmannProbabilities(t);
        Assert.Equal(en.DensityOfStates().Keys, energies);
        for (int i = 0; i < energies.Length; i++)
        {
            double sum = 0;
            for (int c = 0; c < p.Length; c++) if (en.Energy(c) == energies[i]) sum += p[c];
            Assert.Equal(sum, probabilities[i], 1e-14);
        }
        // A histogram drawn from it passes the χ² test; one at a different temperature does not.
        var rng = RandomStreams.Create(5);
        var counts = new long[energies.Length];
        var wrong = new long[energies.Length];
        var (_, hotter) = en.EnergyDistribution(2.6);
        for (int n = 0; n < 20000; n++) { counts[Draw(probabilities, rng.NextDouble())]++; wrong[Draw(hotter, rng.NextDouble())]++; }
        Assert.True(Rsmi.Statistics.ChiSquareTest.GoodnessOfFit(counts, probabilities).PValue > 1e-3);
        Assert.True(Rsmi.Statistics.ChiSquareTest.GoodnessOfFit(wrong, probabilities).PValue < 1e-6);

        static int Draw(double[] p, double u)
        {
            for (int i = 0; i < p.Length; i++) { u -= p[i]; if (u < 0) return i; }
            return p.Length - 1;
        }
    }

    [Fact]
    public void TooLargeSystemsAreRejected()
    {
        Assert.Throws<RsmiInputException>(() => IsingEnumeration.Torus(5, 5));
        Assert.Throws<RsmiInputException>(() => IsingEnumeration.Ring(1));
    }
}
