using Rsmi.Lattices;

namespace Rsmi.Models.Ising.Exact;

/// <summary>
/// The joint density of states g(E, M) of the Ising model H = −Σ_i Σ_{a = x, y, z} s_i s_{i+â} (J = 1) on a small
/// periodic Lx × Ly × Lz box, by visiting every configuration: the number of the 2^N configurations with energy E and
/// magnetisation M = Σ_i s_i. The bonds are those of the neighbour table of <see cref="HypercubicLattice"/>, the
/// Hamiltonian the 3D samplers simulate: 3N bonds, so that on a side of length 2 the two bonds joining the same pair
/// both count. Used to test the samplers (χ² of the joint (E, |M|) distribution) and as the exact reference for
/// small-box thermal averages.
/// </summary>
/// <remarks>
/// The configurations with s_0 = +1 are visited in Gray-code order, each differing from the previous one by one
/// spin flip, which changes E by 2 s_i h_i (h_i the sum of the six neighbours, a doubled bond counted twice) and M by
/// −2 s_i; the half with s_0 = −1 follows from the symmetry g(E, M) = g(E, −M). 2^26 flips for the 3 × 3 × 3 torus,
/// well under a second.
/// </remarks>
public sealed class Ising3DEnumeration
{
    /// <summary>Largest number of sites enumerated (the 3 × 3 × 3 torus: 2^27 configurations, 2^26 visited).</summary>
    public const int MaxSites = 27;

    private readonly long[] _counts; // [(E + Bonds)/2 · (N + 1) + (M + N)/2]
    private readonly HypercubicLattice _lattice;

    /// <summary>Width Lx (fastest axis).</summary>
    public int Lx { get; }
    /// <summary>Height Ly.</summary>
    public int Ly { get; }
    /// <summary>Depth Lz (slowest axis).</summary>
    public int Lz { get; }
    /// <summary>Number of sites N.</summary>
    public int Sites { get; }
    /// <summary>Number of bonds, 3N.</summary>
    public int Bonds { get; }

    /// <summary>The Lx × Ly × Lz box: every side at least 2, at most <see cref="MaxSites"/> sites.</summary>
    public static Ising3DEnumeration Box(int lx, int ly, int lz)
    {
        Require.That(lx >= 2 && ly >= 2 && lz >= 2, $"the sides of the box must be at least 2, got {lx}x{ly}x{lz}.");
        Require.That((long)lx * ly * lz <= MaxSites, $"exact enumeration is limited to {MaxSites} sites, got {lx}x{ly}x{lz} = {(long)lx * ly * lz}.");
        return new Ising3DEnumeration(lx, ly, lz);
    }

    private Ising3DEnumeration(int lx, int ly, int lz)
    {
        Lx = lx; Ly = ly; Lz = lz;
        _lattice = new HypercubicLattice(lz, ly, lx);
        Sites = _lattice.Sites;
        Bonds = 3 * Sites;
        _counts = new long[(Bonds + 1) * (Sites + 1)];
        Enumerate();
    }

    private void Enumerate()
    {
        int n = Sites;
        var neighbours = new int[6 * n];
        for (int i = 0; i < n; i++) _lattice.Neighbours(i).CopyTo(neighbours.AsSpan(6 * i, 6));
        var s = new sbyte[n];
        Array.Fill(s, (sbyte)1);
        int energy = -Bonds, magnetisation = n, width = n + 1;
        var half = new long[_counts.Length];
        half[Index(energy, magnetisation, width)]++;
        long visits = 1L << (n - 1);
        for (long k = 1; k < visits; k++)
        {
            int i = 1 + System.Numerics.BitOperations.TrailingZeroCount(k);
            int b = 6 * i;
            int field = s[neighbours[b]] + s[neighbours[b + 1]] + s[neighbours[b + 2]] + s[neighbours[b + 3]] + s[neighbours[b + 4]] + s[neighbours[b + 5]];
            int si = s[i];
            energy += 2 * si * field;
            magnetisation -= 2 * si;
            s[i] = (sbyte)-si;
            half[Index(energy, magnetisation, width)]++;
        }
        for (int e = 0; e <= Bonds; e++)
        for (int m = 0; m <= n; m++)
            _counts[e * width + m] = half[e * width + m] + half[e * width + (n - m)];
    }

    private int Index(int energy, int magnetisation, int width) => ((energy + Bonds) >> 1) * width + ((magnetisation + Sites) >> 1);

    /// <summary>g(E, M): the number of configurations with energy <paramref name="energy"/> and magnetisation <paramref name="magnetisation"/> (0 when none or out of range).</summary>
    public long Count(int energy, int magnetisation)
    {
        if (Math.Abs(energy) > Bonds || Math.Abs(magnetisation) > Sites || ((energy + Bonds) & 1) != 0 || ((magnetisation + Sites) & 1) != 0) return 0;
        return _counts[Index(energy, magnetisation, Sites + 1)];
    }

    /// <summary>The (E, M) pairs with g(E, M) &gt; 0 and their counts, by increasing E, then M.</summary>
    public IEnumerable<(int Energy, int Magnetisation, long Count)> Levels()
    {
        for (int e = -Bonds; e <= Bonds; e += 2)
        for (int m = -Sites; m <= Sites; m += 2)
        {
            long c = Count(e, m);
            if (c > 0) yield return (e, m, c);
        }
    }

    /// <summary>
    /// The exact joint distribution P(E, |M|) = Σ_{M = ±|M|} g(E, M) e^{−E/T} / Z at temperature T (finite, positive), keyed
    /// by (E, |M|) over the attainable pairs: the reference of the samplers' χ² tests.
    /// </summary>
    public Dictionary<(int Energy, int AbsMagnetisation), double> JointAbsDistribution(double temperature)
    {
        var weights = Weights(temperature);
        var p = new Dictionary<(int, int), double>();
        foreach (var ((e, m, _), w) in weights)
        {
            var key = (e, Math.Abs(m));
            p[key] = p.GetValueOrDefault(key) + w;
        }
        return p;
    }

    /// <summary>Exact ⟨E⟩/N at temperature T.</summary>
    public double EnergyPerSite(double temperature) => Average(temperature, (e, _) => e) / Sites;

    /// <summary>Exact Binder cumulant U = 1 − ⟨M⁴⟩/(3⟨M²⟩²) at temperature T.</summary>
    public double BinderCumulant(double temperature)
    {
        double m2 = Average(temperature, (_, m) => (double)m * m), m4 = Average(temperature, (_, m) => (double)m * m * m * m);
        return 1 - m4 / (3 * m2 * m2);
    }

    /// <summary>Σ g(E, M) e^{−E/T} f(E, M) / Z.</summary>
    private double Average(double temperature, Func<int, int, double> f)
    {
        double sum = 0;
        foreach (var ((e, m, _), w) in Weights(temperature)) sum += w * f(e, m);
        return sum;
    }

    /// <summary>Boltzmann probabilities of every level (E, M): g e^{−K(E + Bonds)} normalised, weights relative to the ground state so none overflows.</summary>
    private List<((int Energy, int Magnetisation, long Count) Level, double Probability)> Weights(double temperature)
    {
        Require.That(temperature > 0 && double.IsFinite(temperature), $"temperature must be a finite positive number, got {temperature}.");
        double k = 1.0 / temperature, z = 0;
        var levels = Levels().Select(l => (Level: l, Probability: l.Count * Math.Exp(-k * (l.Energy + Bonds)))).ToList();
        foreach (var l in levels) z += l.Probability;
        for (int i = 0; i < levels.Count; i++) levels[i] = (levels[i].Level, levels[i].Probability / z);
        return levels;
    }

    /// <summary>E = −Σ_i Σ_a s_i s_{i+â} of <paramref name="spins"/> (N values ±1, row-major over [Lz, Ly, Lx]) from the neighbour table.</summary>
    public int Energy(ReadOnlySpan<sbyte> spins)
    {
        Require.That(spins.Length == Sites, $"expected {Sites} spins, got {spins.Length}.");
        int bonds = 0;
        for (int i = 0; i < Sites; i++)
        for (int axis = 0; axis < 3; axis++)
            bonds += spins[i] * spins[_lattice.Neighbour(i, axis, +1)];
        return -bonds;
    }
}
