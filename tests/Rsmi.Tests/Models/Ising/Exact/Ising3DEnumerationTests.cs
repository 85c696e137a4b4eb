using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;

namespace Rsmi.Tests.Models.Ising.Exact;

public class Ising3DEnumerationTests
{
    /// <summary>Brute force over all 2^N configurations with the samplers' energy (IsingEnergy.PerSite3D, its own index
    /// arithmetic) against the Gray-code enumeration over the lattice's neighbour table: the same g(E, M) entry by entry.</summary>
    [Theory]
    [InlineData(2, 2, 2)]
    [InlineData(2, 2, 4)]
    [InlineData(4, 2, 2)]
    [InlineData(2, 3, 2)]
    public void GrayCodeEnumerationAgreesWithBruteForce(int lx, int ly, int lz)
    {
        var exact = Ising3DEnumeration.Box(lx, ly, lz);
        int n = lx * ly * lz;
        var brute = new Dictionary<(int, int), long>();
        var s = new sbyte[n];
        for (long c = 0; c < 1L << n; c++)
        {
            int m = 0;
            for (int i = 0; i < n; i++) { s[i] = ((c >> i) & 1) == 0 ? (sbyte)1 : (sbyte)-1; m += s[i]; }
            int e = (int)Math.Round(IsingEnergy.PerSite3D(s, lx, ly, lz) * n);
            Assert.Equal(e, exact.Energy(s));
            brute[(e, m)] = brute.GetValueOrDefault((e, m)) + 1;
        }
        var levels = exact.Levels().ToDictionary(l => (l.Energy, l.Magnetisation), l => l.Count);
        Assert.Equal(brute.OrderBy(p => p.Key), levels.OrderBy(p => p.Key));
        Assert.Equal(3 * n, exact.Bonds);
    }

    [Fact]
    public void TwoByTwoByTwoTorusDoublesEveryBond()
    {
        // Every pair of neighbours is joined twice (i + â = i − â on a side of 2): the cube graph with coupling 2.
        // Ground states E = −24; one spin flipped breaks its 3 × 2 bonds: E = −12, M = ±6, 8 ways each.
        var exact = Ising3DEnumeration.Box(2, 2, 2);
        Assert.Equal(1, exact.Count(-24, 8));
        Assert.Equal(1, exact.Count(-24, -8));
        Assert.Equal(8, exact.Count(-12, 6));
        Assert.Equal(8, exact.Count(-12, -6));
        Assert.Equal(0, exact.Count(-20, 6));
        Assert.Equal(256L, exact.Levels().Sum(l => l.Count));
    }

    [Fact]
    public void ThreeCubedTorusHasTheCountedLowLyingLevels()
    {
        // 27 sites, 81 distinct bonds. Ground states: E = −81, M = ±27. One flipped spin breaks 6 bonds: E = −69,
        // M = ±25, 27 ways. Two flipped spins: 81 neighbouring pairs break 10 bonds (E = −61), the other
        // C(27, 2) − 81 = 270 pairs break 12 (E = −57); M = ±23.
        var exact = Ising3DEnumeration.Box(3, 3, 3);
        Assert.Equal(1L << 27, exact.Levels().Sum(l => l.Count));
        Assert.Equal(1, exact.Count(-81, 27));
        Assert.Equal(27, exact.Count(-69, 25));
        Assert.Equal(81, exact.Count(-61, 23));
        Assert.Equal(270, exact.Count(-57, 23));
        Assert.Equal(0, exact.Count(-65, 23));
        foreach (var (e, m, c) in exact.Levels()) Assert.Equal(c, exact.Count(e, -m));
        // Not bipartite at L = 3: no E → −E symmetry; the highest energy is well below +81.
        Assert.Equal(0, exact.Count(81, 1));
    }

    [Fact]
    public void AveragesReachTheirLimits()
    {
        // T → ∞: independent spins, ⟨E⟩ → 0 and U → 1 − (3N² − 2N)/(3N²) = 2/(3N). T → 0: the two ground states, U → 2/3.
        var exact = Ising3DEnumeration.Box(2, 2, 4);
        Assert.Equal(0, exact.EnergyPerSite(1e9), 6);
        Assert.Equal(2.0 / (3 * 16), exact.BinderCumulant(1e9), 6);
        Assert.Equal(2.0 / 3, exact.BinderCumulant(0.05), 9);
        Assert.Equal(-3, exact.EnergyPerSite(0.05), 9);
        var d = exact.JointAbsDistribution(Ising3D.CriticalTemperature);
        Assert.Equal(1, d.Values.Sum(), 12);
    }
}
