using System.Numerics;
using Rsmi.Lattices;

namespace Rsmi.Models.Ising.Exact;

/// <summary>
/// Exact enumeration of the Ising model H = −J Σ_⟨ij⟩ s_i s_j (J = 1) on a small periodic Lx × Ly torus or a
/// ring, by visiting all 2^N configurations. Configuration index c encodes the spins bitwise:
/// bit i set ⇔ s_i = −1, with site i = y·Lx + x as in <see cref="Lattices.HypercubicLattice"/> (i along the ring for
/// chains). Bonds are those of the neighbour tables: on the torus each site bonds to its right and lower
/// neighbour (2N bonds; on a side of length 2 the two bonds between the same pair both count), on a ring
/// site i bonds to i + 1 (N bonds). Used to test samplers (χ² of the configuration or energy distribution)
/// and the exact finite-size formulas (Kaufman's torus partition function, the chain formulas).
/// </summary>
public sealed class IsingEnumeration
{
    /// <summary>Largest number of sites enumerated (2^24 configurations, 32 MiB of energies).</summary>
    public const int MaxSites = 24;

    private readonly short[] _energies;
    private readonly ulong _full;
    private readonly ulong _notLastColumn, _firstColumn, _firstRow, _lastRow;

    /// <summary>Width (number of sites for a ring).</summary>
    public int Lx { get; }
    /// <summary>Height (1 for a ring).</summary>
    public int Ly { get; }
    /// <summary>True for a ring, false for a torus.</summary>
    public bool IsRing { get; }
    /// <summary>Number of sites N.</summary>
    public int Sites { get; }
    /// <summary>Number of bonds: 2N on a torus, N on a ring.</summary>
    public int Bonds { get; }
    /// <summary>Number of configurations 2^N.</summary>
    public int ConfigurationCount => _energies.Length;
    /// <summary>Energy E(c) = −Σ_bonds s_i s_j of every configuration, indexed by configuration.</summary>
    public ReadOnlySpan<short> Energies => _energies;

    /// <summary>The Lx × Ly torus, 2 ≤ Lx, Ly and Lx·Ly ≤ <see cref="MaxSites"/>.</summary>
    public static IsingEnumeration Torus(int lx, int ly)
    {
        Require.That(lx >= 2 && ly >= 2, $"torus sides must be at least 2, got {lx}x{ly}.");
        Require.That(lx * ly <= MaxSites, $"exact enumeration is limited to {MaxSites} sites, got {lx}x{ly} = {lx * ly}.");
        return new IsingEnumeration(lx, ly, ring: false);
    }

    /// <summary>The L × L torus, 2 ≤ L ≤ 4.</summary>
    public static IsingEnumeration Torus(int l) => Torus(l, l);

    /// <summary>The ring of <paramref name="n"/> sites, 2 ≤ n ≤ <see cref="MaxSites"/>.</summary>
    public static IsingEnumeration Ring(int n)
    {
        Require.That(n >= 2 && n <= MaxSites, $"ring length must be in [2, {MaxSites}], got {n}.");
        return new IsingEnumeration(n, 1, ring: true);
    }

    private IsingEnumeration(int lx, int ly, bool ring)
    {
        Lx = lx; Ly = ly; IsRing = ring;
        Sites = lx * ly;
        Bonds = ring ? Sites : 2 * Sites;
        _full = Sites == 64 ? ulong.MaxValue : (1UL << Sites) - 1;
        for (int y = 0; y < ly; y++)
        for (int x = 0; x < lx; x++)
        {
            ulong bit = 1UL << (y * lx + x);
            if (x < lx - 1) _notLastColumn |= bit;
            if (x == 0) _firstColumn |= bit;
            if (y == 0) _firstRow |= bit;
            if (y == ly - 1) _lastRow |= bit;
        }
        _energies = new short[1 << Sites];
        for (int c = 0; c < _energies.Length; c++) _energies[c] = (short)ComputeEnergy((ulong)c);
    }

    /// <summary>Bits of the right neighbours: bit i of the result is bit right(i) of c.</summary>
    private ulong Right(ulong c) => ((c >> 1) & _notLastColumn) | ((c & _firstColumn) << (Lx - 1));
    /// <summary>Bits of the lower neighbours (y + 1).</summary>
    private ulong Down(ulong c) => (c >> Lx) | ((c & _firstRow) << (Sites - Lx));
    /// <summary>Bits of the upper neighbours (y − 1).</summary>
    private ulong Up(ulong c) => ((c << Lx) & _full) | ((c & _lastRow) >> (Sites - Lx));

    private int ComputeEnergy(ulong c)
    {
        int unsatisfied = BitOperations.PopCount(c ^ Right(c));
        if (!IsRing) unsatisfied += BitOperations.PopCount(c ^ Down(c));
        return 2 * unsatisfied - Bonds;
    }

    /// <summary>Energy E = −Σ_bonds s_i s_j of configuration <paramref name="configuration"/>.</summary>
    public int Energy(int configuration) => _energies[configuration];

    /// <summary>Magnetisation Σ_i s_i of a configuration.</summary>
    public int Magnetisation(int configuration) => Sites - 2 * BitOperations.PopCount((uint)configuration);

    /// <summary>Σ over the N nearest-neighbour pairs along x of s_i s_right(i) (the ring's bonds for a ring).</summary>
    public int HorizontalBondSum(int configuration)
    {
        ulong c = (ulong)configuration;
        return Sites - 2 * BitOperations.PopCount(c ^ Right(c));
    }

    /// <summary>
    /// Σ over sites of s_(x,y) s_(x+1,y+1) + s_(x,y) s_(x+1,y−1): both diagonal next-nearest-neighbour pairs
    /// (2N terms). Torus only.
    /// </summary>
    public int DiagonalBondSum(int configuration)
    {
        if (IsRing) throw new InvalidOperationException("diagonal correlations are defined on a torus only.");
        ulong c = (ulong)configuration;
        ulong r = Right(c);
        return 2 * Sites - 2 * (BitOperations.PopCount(c ^ Down(r)) + BitOperations.PopCount(c ^ Up(r)));
    }

    /// <summary>Writes the spins of a configuration (+1 or −1, site order) to <paramref name="spins"/> (length N).</summary>
    public void Configuration(int configuration, Span<sbyte> spins)
    {
        if (spins.Length != Sites) throw new ArgumentException($"expected {Sites} spins, got {spins.Length}.", nameof(spins));
        for (int i = 0; i < Sites; i++) spins[i] = (sbyte)(((configuration >> i) & 1) == 0 ? 1 : -1);
    }

    /// <summary>The configuration index of <paramref name="spins"/> (±1 values, N ≤ 31 of them): bit i set ⇔ s_i = −1.</summary>
    public static int IndexOf(ReadOnlySpan<sbyte> spins)
    {
        int c = 0;
        for (int i = 0; i < spins.Length; i++) if (spins[i] < 0) c |= 1 << i;
        return c;
    }

    /// <summary>The density of states g(E): number of configurations at each energy, in increasing energy.</summary>
    public SortedDictionary<int, long> DensityOfStates()
    {
        var counts = LevelCounts();
        var g = new SortedDictionary<int, long>();
        for (int i = 0; i < counts.Length; i++) if (counts[i] > 0) g[i - Bonds] = counts[i];
        return g;
    }

    /// <summary>
    /// Boltzmann probability p(c) = e^{−E(c)/T} / Z of every configuration at temperature
    /// <paramref name="temperature"/> (finite, positive).
    /// </summary>
    public double[] BoltzmannProbabilities(double temperature)
    {
        Require.Positive(temperature, "temperature");
        double k = 1.0 / temperature;
        // Weights relative to E = −Bonds (the ground state), all ≤ 1: no overflow at any temperature.
        // Index e = E + Bonds ≥ 0, weight e^{−K (E + Bonds)}.
        var w = new double[2 * Bonds + 1];
        for (int e = 0; e < w.Length; e++) w[e] = Math.Exp(-k * e);
        // Z from the level counts: 2·Bonds + 1 terms instead of 2^N, so p is accurate to a few ulps.
        var counts = LevelCounts();
        double z = 0;
        for (int e = 0; e < w.Length; e++) z += counts[e] * w[e];
        double inv = 1.0 / z;
        for (int e = 0; e < w.Length; e++) w[e] *= inv;
        var p = new double[_energies.Length];
        for (int c = 0; c < p.Length; c++) p[c] = w[_energies[c] + Bonds];
        return p;
    }

    /// <summary>
    /// The exact energy distribution P(E) = g(E) e^{−E/T} / Z at temperature T (finite, positive): the attainable
    /// energies in increasing order and their probabilities, ready for <c>ChiSquareTest.GoodnessOfFit</c> against
    /// a sampler's energy histogram.
    /// </summary>
    public (int[] Energies, double[] Probabilities) EnergyDistribution(double temperature)
    {
        Require.Positive(temperature, "temperature");
        var g = DensityOfStates();
        var energies = g.Keys.ToArray();
        var p = new double[energies.Length];
        double k = 1.0 / temperature, z = 0;
        for (int i = 0; i < energies.Length; i++) { p[i] = g[energies[i]] * Math.Exp(-k * (energies[i] + Bonds)); z += p[i]; }
        for (int i = 0; i < p.Length; i++) p[i] /= z;
        return (energies, p);
    }

    /// <summary>ln Z(K) = ln Σ_E g(E) e^{−K E} at coupling <paramref name="coupling"/> K = J/T (finite).</summary>
    public double LogPartitionFunction(double coupling)
    {
        var g = DensityOfStates();
        double shift = double.NegativeInfinity;
        foreach (var (e, _) in g) shift = Math.Max(shift, -coupling * e);
        double s = 0;
        foreach (var (e, n) in g) s += n * Math.Exp(-coupling * e - shift);
        return shift + Math.Log(s);
    }

    /// <summary>
    /// Thermal average Σ_c p(c) f(c) of a function of the configuration index at temperature T (finite,
    /// positive). f is summed per energy level first and the levels are then weighted, which keeps the
    /// result accurate to a few ulps.
    /// </summary>
    public double Expectation(double temperature, Func<int, double> observable)
    {
        var perLevel = new double[2 * Bonds + 1];
        for (int c = 0; c < _energies.Length; c++) perLevel[_energies[c] + Bonds] += observable(c);
        return WeightLevels(temperature, perLevel);
    }

    /// <summary>Σ_E e^{−K(E + Bonds)} S(E) / Σ_E e^{−K(E + Bonds)} g(E) for per-level sums S.</summary>
    private double WeightLevels(double temperature, ReadOnlySpan<double> perLevel)
    {
        Require.Positive(temperature, "temperature");
        double k = 1.0 / temperature;
        var counts = LevelCounts();
        double num = 0, den = 0;
        for (int e = 0; e < counts.Length; e++)
        {
            if (counts[e] == 0) continue;
            double w = Math.Exp(-k * e);
            num += w * perLevel[e];
            den += w * counts[e];
        }
        return num / den;
    }

    private long[] LevelCounts()
    {
        if (_levelCounts is null)
        {
            var counts = new long[2 * Bonds + 1];
            foreach (short e in _energies) counts[e + Bonds]++;
            _levelCounts = counts;
        }
        return _levelCounts;
    }

    private long[]? _levelCounts;

    /// <summary>Exact ⟨E⟩/N at temperature T.</summary>
    public double EnergyPerSite(double temperature)
    {
        var counts = LevelCounts();
        var perLevel = new double[counts.Length];
        for (int e = 0; e < counts.Length; e++) perLevel[e] = (double)counts[e] * (e - Bonds);
        return WeightLevels(temperature, perLevel) / Sites;
    }

    /// <summary>Exact nearest-neighbour correlation ⟨s_i s_j⟩ averaged over all bonds, −⟨E⟩/(number of bonds).</summary>
    public double NearestNeighbourCorrelation(double temperature) => -EnergyPerSite(temperature) * Sites / Bonds;

    /// <summary>Exact diagonal correlation ⟨s_(x,y) s_(x+1,y±1)⟩ averaged over both diagonals (torus only).</summary>
    public double DiagonalCorrelation(double temperature)
    {
        if (IsRing) throw new InvalidOperationException("diagonal correlations are defined on a torus only.");
        var perLevel = new long[2 * Bonds + 1];
        for (int c = 0; c < _energies.Length; c++) perLevel[_energies[c] + Bonds] += DiagonalBondSum(c);
        return WeightLevels(temperature, perLevel.Select(x => (double)x).ToArray()) / (2 * Sites);
    }

    /// <summary>Exact ⟨|m|⟩ with m = Σ s_i / N.</summary>
    public double AbsoluteMagnetisation(double temperature)
        => Expectation(temperature, c => Math.Abs(Magnetisation(c))) / Sites;
}
