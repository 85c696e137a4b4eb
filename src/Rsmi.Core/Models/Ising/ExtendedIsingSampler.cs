using Rsmi.Data;
using Rsmi.Random;
using Rsmi.Sampling;

namespace Rsmi.Models.Ising;

/// <summary>
/// Couplings of the square-lattice Hamiltonian H = −(K_nn S_nn + K_diag S_diag + K_plaq S_plaq), P(s) ∝ e^{−H}, with
/// the first, second and fourth operators of <see cref="EvenOperators"/>: nearest-neighbour pairs, diagonal
/// (next-nearest) pairs and four-spin plaquettes.
/// </summary>
/// <param name="Nearest">K_nn.</param>
/// <param name="Diagonal">K_diag (next-nearest neighbours).</param>
/// <param name="Plaquette">K_plaq.</param>
public readonly record struct ExtendedIsingCouplings(double Nearest, double Diagonal, double Plaquette)
{
    /// <summary>The couplings as a vector over the first four even operators (third neighbour 0).</summary>
    public double[] AsEvenOperators() => [Nearest, Diagonal, 0, Plaquette];
}

/// <summary>
/// Heat-bath (Glauber / Gibbs) sampler of the Ising model with nearest, diagonal and plaquette couplings
/// (<see cref="ExtendedIsingCouplings"/>) on an L × L torus, the known Hamiltonian on which the effective-coupling
/// estimator is validated (docs/algorithm.md, "Effective couplings"). Each spin in turn, in typewriter order (row by
/// row), is redrawn from its conditional law
/// <code>
///     P(s_i = +1 | rest) = 1 / (1 + e^{−2 h_i}),    h_i = K_nn g_nn(i) + K_diag g_diag(i) + K_plaq g_plaq(i),
/// </code>
/// g_α(i) = ∂S_α/∂s_i (<see cref="OperatorStencil"/>): the sum of the four nearest neighbours, of the four diagonal
/// neighbours, and of the products of the other three spins of the four plaquettes containing i (Glauber, J. Math.
/// Phys. 4, 294 (1963)). Every update leaves the Boltzmann law invariant, so a sweep in any fixed order does; a
/// checkerboard split would not be a valid parallel update here, since diagonal neighbours and plaquette partners share
/// a sublattice. The probabilities are tabulated for the 9³ values of (g_nn, g_diag, g_plaq) as 53-bit thresholds. One
/// <see cref="Step"/> is one sweep of L² updates.
/// </summary>
/// <typeparam name="TRandom">A struct random source, so that the sweep is specialised by the JIT.</typeparam>
public sealed class ExtendedIsingSampler<TRandom> : IMonteCarloSampler where TRandom : struct, IRandomSource
{
    private readonly int _l;
    private readonly sbyte[] _spins;
    private readonly ulong[] _up = new ulong[9 * 9 * 9];
    private readonly ExtendedIsingCouplings _k;
    private TRandom _rng;
    private long _work;

    /// <summary>An L × L torus (L ≥ 2) with couplings <paramref name="couplings"/> (finite), started from random spins drawn from <paramref name="rng"/>.</summary>
    public ExtendedIsingSampler(int size, ExtendedIsingCouplings couplings, TRandom rng)
    {
        Require.That(size >= 2, $"the lattice size must be at least 2, got {size}.");
        Require.That(double.IsFinite(couplings.Nearest) && double.IsFinite(couplings.Diagonal) && double.IsFinite(couplings.Plaquette),
            "the couplings must be finite numbers.");
        _l = size;
        _k = couplings;
        _rng = rng;
        _spins = new sbyte[size * size];
        for (int i = 0; i < _spins.Length; i++) _spins[i] = (_rng.NextUInt64() >> 63) == 0 ? (sbyte)1 : (sbyte)-1;
        for (int a = -4; a <= 4; a++)
        for (int b = -4; b <= 4; b++)
        for (int c = -4; c <= 4; c++)
        {
            double h = couplings.Nearest * a + couplings.Diagonal * b + couplings.Plaquette * c;
            double up = 1.0 / (1.0 + Math.Exp(-2.0 * h));
            _up[((a + 4) * 9 + b + 4) * 9 + c + 4] = up >= 1 ? 1UL << 53 : (ulong)(up * (1UL << 53));
        }
    }

    /// <summary>The couplings.</summary>
    public ExtendedIsingCouplings Couplings => _k;
    /// <inheritdoc />
    public string Algorithm => "heatbath";
    /// <inheritdoc />
    public int[] Shape => [_l, _l];
    /// <inheritdoc />
    public long Work => _work;

    /// <summary>One heat-bath sweep in typewriter order.</summary>
    public void Step()
    {
        int l = _l;
        var s = _spins;
        var up = _up;
        for (int y = 0; y < l; y++)
        {
            int r0 = y * l, rm = (y == 0 ? l - 1 : y - 1) * l, rp = (y + 1 == l ? 0 : y + 1) * l;
            for (int x = 0; x < l; x++)
            {
                int xm = x == 0 ? l - 1 : x - 1, xp = x + 1 == l ? 0 : x + 1;
                int w = s[r0 + xm], e = s[r0 + xp], n = s[rm + x], so = s[rp + x];
                int nw = s[rm + xm], ne = s[rm + xp], sw = s[rp + xm], se = s[rp + xp];
                int nn = w + e + n + so;
                int diag = nw + ne + sw + se;
                // The plaquettes containing (x, y): with (x+1, y+1), (x−1, y+1), (x+1, y−1) and (x−1, y−1) as the opposite corner.
                int plaq = e * so * se + w * so * sw + e * n * ne + w * n * nw;
                ulong threshold = up[((nn + 4) * 9 + diag + 4) * 9 + plaq + 4];
                s[r0 + x] = (_rng.NextUInt64() >> 11) < threshold ? (sbyte)1 : (sbyte)-1;
            }
        }
        _work += (long)l * l;
    }

    /// <summary>The reduced energy per site H/L² = −(K_nn S_nn + K_diag S_diag + K_plaq S_plaq)/L².</summary>
    public double MonitorObservable()
    {
        Span<double> s = stackalloc double[4];
        EvenOperators.Measure(_spins, _l, _l, s);
        return -(_k.Nearest * s[0] + _k.Diagonal * s[1] + _k.Plaquette * s[3]) / _spins.Length;
    }

    /// <inheritdoc />
    public void CopyConfiguration(Span<sbyte> destination) => _spins.AsSpan().CopyTo(destination);
}

/// <summary>Construction of <see cref="ExtendedIsingSampler{TRandom}"/> on the project's random streams, and equilibrium samples through the chain driver.</summary>
public static class ExtendedIsingSampler
{
    /// <summary>Purpose string of the sampler's random streams.</summary>
    public const string StreamPurpose = "extended-ising";

    /// <summary>The sampler of chain <paramref name="chain"/> under <paramref name="seed"/> (its own stream).</summary>
    public static ExtendedIsingSampler<Xoshiro256StarStar> Create(int size, ExtendedIsingCouplings couplings, ulong seed, int chain = 0)
        => new(size, couplings, RandomStreams.Create(seed, (ulong)chain, StreamPurpose));

    /// <summary>
    /// <paramref name="samples"/> equilibrium configurations of the L × L torus from <paramref name="chains"/>
    /// independent chains, thermalised and spaced by the chain driver from measured autocorrelation times
    /// (<see cref="SampleCollector"/>; docs/algorithm.md, "The chain driver"). Metadata adds <c>model</c> =
    /// <c>ising2d_extended</c>, <c>seed</c> and the couplings <c>k_nn</c>, <c>k_diagonal</c>, <c>k_plaquette</c>.
    /// </summary>
    public static SampleSet Sample(int size, ExtendedIsingCouplings couplings, int samples, ulong seed, int chains = 4)
    {
        var set = SampleCollector.Collect(k => Create(size, couplings, seed, k), new SampleCollectorOptions { Samples = samples, Chains = chains });
        var m = set.Metadata;
        m.Model = "ising2d_extended";
        m.Seed = unchecked((long)seed);
        m.Set("k_nn", couplings.Nearest);
        m.Set("k_diagonal", couplings.Diagonal);
        m.Set("k_plaquette", couplings.Plaquette);
        return set;
    }
}
