using System.Runtime.CompilerServices;
using Rsmi.Random;
using Rsmi.Sampling;

namespace Rsmi.Dimers;

/// <summary>
/// Uniform sampling of fully packed dimer coverings by the directed-loop (worm) algorithm of Sandvik &amp;
/// Moessner, Phys. Rev. B 73, 144504 (2006) and Alet et al., Phys. Rev. E 74, 041124 (2006), in its
/// non-interacting, bounce-free form.
/// <para>
/// One worm: pick a tail site t uniformly and remove its dimer (t, h); the partner h is the head and the
/// bond (t, h) its entrance. Repeatedly the head picks an exit bond uniformly among its bonds other than the
/// entrance (3 on the torus, deg − 1 on the open grid). If the exit leads to the tail, the dimer is placed
/// there and the worm closes. Otherwise it leads to a site n with partner m: the dimer (n, m) moves to
/// (h, n), m becomes the head and (n, m) its entrance. A worm from C to C' and the same loop traversed
/// backwards from C' (same tail, heads visited in reverse order, same numbers of choices) have equal
/// probability, so the worm's transition matrix is symmetric and the uniform distribution is stationary
/// (the directed-loop equations with zero bounce probability, solvable at equal weights). Worms wind
/// around the torus, so all winding sectors are reached — unlike plaquette flips.
/// </para>
/// <para>
/// <see cref="Step"/> is one worm (the analogue of one Wolff cluster); its mean length grows with L (about
/// as L^{3/2}, the integral of the r^{−1/2} monomer correlation), and <see cref="Work"/> counts dimer moves.
/// The staggered sums E_x = Σ (−1)^{i+j} n over horizontal bonds and E_y over vertical bonds of the whole
/// lattice are updated at every move; on the torus E_x = L·W_x and E_y = L·W_y with W the winding numbers.
/// </para>
/// <para>
/// The noise spins (<see cref="NoiseSpins"/>) are independent of the dimers; they are redrawn lazily — once
/// per state, on the first <see cref="CopyConfiguration"/> after a <see cref="Step"/> — from their own random
/// stream, so that copying the same state twice gives the same image.
/// </para>
/// </summary>
/// <typeparam name="TRandom">Struct random source; the worm loop is specialised for it.</typeparam>
public sealed class DimerWormSampler<TRandom> : IMonteCarloSampler where TRandom : struct, IRandomSource
{
    private readonly DimerLattice _lattice;
    private readonly byte[] _direction;
    private readonly int[] _neighbours;
    private readonly byte[] _degrees;
    private readonly sbyte[] _stagger;
    private readonly int _sites;
    private TRandom _random;
    private TRandom _noiseRandom;
    private readonly double? _noiseCoupling;
    private readonly sbyte[] _vertexNoise, _faceNoise;
    private bool _noiseStale = true;
    private int _electricX, _electricY;
    private long _work, _worms;

    /// <summary>
    /// A sampler started from the columnar covering. <paramref name="noiseCoupling"/>: K ≥ 0 (+∞ allowed)
    /// for noise pairs, null for noise pixels fixed at +1.
    /// </summary>
    /// <exception cref="RsmiInputException">Negative or NaN noise coupling.</exception>
    public DimerWormSampler(DimerLattice lattice, TRandom random, TRandom noiseRandom, double? noiseCoupling)
    {
        if (noiseCoupling is double k) NoiseSpins.ValidateCoupling(k);
        _lattice = lattice;
        _sites = lattice.Sites;
        _direction = lattice.Columnar().Directions.ToArray();
        _neighbours = lattice.Neighbours;
        _degrees = lattice.Degrees;
        _stagger = lattice.Stagger;
        _random = random;
        _noiseRandom = noiseRandom;
        _noiseCoupling = noiseCoupling;
        _vertexNoise = noiseCoupling.HasValue ? new sbyte[_sites] : [];
        _faceNoise = noiseCoupling.HasValue ? new sbyte[_sites] : [];
        Shape = [2 * lattice.L, 2 * lattice.L];
        RecomputeFields();
    }

    /// <summary>The lattice.</summary>
    public DimerLattice Lattice => _lattice;
    /// <inheritdoc />
    public string Algorithm => "worm";
    /// <inheritdoc />
    public int[] Shape { get; }
    /// <summary>Cumulative number of dimer moves (head steps, closing included).</summary>
    public long Work => _work;
    /// <summary>Number of worms completed.</summary>
    public long Worms => _worms;
    /// <summary>The noise coupling K, or null without noise.</summary>
    public double? NoiseCoupling => _noiseCoupling;
    /// <summary>Staggered sum Σ (−1)^{i+j} n over all horizontal bonds (i, j); L·W_x on the torus.</summary>
    public int ElectricFieldX => _electricX;
    /// <summary>Staggered sum Σ (−1)^{i+j} n over all vertical bonds (i, j); L·W_y on the torus.</summary>
    public int ElectricFieldY => _electricY;
    /// <summary>A snapshot of the current covering.</summary>
    public DimerCovering Covering => new(_lattice, _direction, trusted: true);
    /// <summary>The current directions (live view; valid between steps).</summary>
    public ReadOnlySpan<byte> Directions => _direction;

    /// <summary>One worm (see the class remarks).</summary>
    public void Step()
    {
        _work += RunWorm();
        _worms++;
        _noiseStale = true;
    }

    /// <summary>Runs <paramref name="worms"/> worms.</summary>
    public void Run(long worms)
    {
        for (long w = 0; w < worms; w++) Step();
    }

    /// <summary>The winding number W_x = E_x / L on the torus (E_x / L on the open grid); slow under the worm dynamics.</summary>
    public double MonitorObservable() => _electricX / (double)_lattice.L;

    /// <summary>Writes the 2L×2L image (<see cref="DimerImage"/>) of the current covering and its noise spins.</summary>
    public void CopyConfiguration(Span<sbyte> destination)
    {
        if (_noiseCoupling is double k && _noiseStale)
        {
            NoiseSpins.Sample(ref _noiseRandom, k, _vertexNoise, _faceNoise);
            _noiseStale = false;
        }
        DimerImage.Encode(_lattice, _direction, _vertexNoise, _faceNoise, destination);
    }

    /// <summary>The current noise spins (vertex, face), drawing them first if the state changed; empty without noise.</summary>
    public (sbyte[] Vertex, sbyte[] Face) NoiseSpinsOfCurrentState()
    {
        if (_noiseCoupling is double k && _noiseStale)
        {
            NoiseSpins.Sample(ref _noiseRandom, k, _vertexNoise, _faceNoise);
            _noiseStale = false;
        }
        return (_vertexNoise, _faceNoise);
    }

    /// <summary>Builds one worm; returns the number of dimer moves.</summary>
    private long RunWorm()
    {
        byte[] direction = _direction;
        int[] neighbours = _neighbours;
        int tail = _random.NextInt(_sites);
        int entrance = direction[tail];
        int head = neighbours[4 * tail + entrance];
        int inDirection = entrance ^ 2;                  // the entrance bond as seen from the head
        UpdateField(tail, entrance, -1);
        long moves = 0;
        while (true)
        {
            int exit = ChooseExit(head, inDirection);
            int next = neighbours[4 * head + exit];
            moves++;
            if (next == tail)
            {
                direction[head] = (byte)exit;
                direction[tail] = (byte)(exit ^ 2);
                UpdateField(head, exit, +1);
                return moves;
            }
            int old = direction[next];                   // next's dimer (next, partner) moves to (head, next)
            int partner = neighbours[4 * next + old];
            UpdateField(next, old, -1);
            direction[head] = (byte)exit;
            direction[next] = (byte)(exit ^ 2);
            UpdateField(head, exit, +1);
            head = partner;
            inDirection = old ^ 2;
        }
    }

    /// <summary>A bond of <paramref name="head"/> other than <paramref name="inDirection"/>, uniformly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ChooseExit(int head, int inDirection)
    {
        int degree = _degrees[head];
        if (degree == 4)
        {
            int k = _random.NextInt(3);
            return k >= inDirection ? k + 1 : k;
        }
        int pick = _random.NextInt(degree - 1);
        for (int d = 0; d < 4; d++)
        {
            if (d == inDirection || _neighbours[4 * head + d] < 0) continue;
            if (pick-- == 0) return d;
        }
        throw new InvalidOperationException("no exit bond");   // unreachable: every site has ≥ 2 bonds
    }

    /// <summary>Adds <paramref name="sign"/> × the staggered weight of the bond (site, d) to E_x or E_y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void UpdateField(int site, int d, int sign)
    {
        // The bond is named by its left/upper end: the site itself for d = Right/Down, the neighbour
        // (opposite colour, since L is even) for d = Left/Up.
        int weight = d < 2 ? _stagger[site] : -_stagger[site];
        if ((d & 1) == 0) _electricX += sign * weight; else _electricY += sign * weight;
    }

    private void RecomputeFields()
    {
        _electricX = 0; _electricY = 0;
        for (int s = 0; s < _sites; s++)
        {
            if (_direction[s] == DimerLattice.Right) _electricX += _stagger[s];
            else if (_direction[s] == DimerLattice.Down) _electricY += _stagger[s];
        }
    }
}

/// <summary>Construction of worm samplers with the library's standard random streams.</summary>
public static class DimerWormSampler
{
    /// <summary>
    /// A worm sampler whose dimer moves use stream (seed, <paramref name="chain"/>, "dimer-worm") and noise
    /// spins stream (seed, <paramref name="chain"/>, "dimer-noise") of <see cref="RandomStreams"/>.
    /// </summary>
    public static DimerWormSampler<Xoshiro256StarStar> Create(DimerLattice lattice, ulong seed, double? noiseCoupling, ulong chain = 0) =>
        new(lattice, RandomStreams.Create(seed, chain, "dimer-worm"), RandomStreams.Create(seed, chain, "dimer-noise"), noiseCoupling);
}
