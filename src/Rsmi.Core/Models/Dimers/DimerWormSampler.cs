using System.Runtime.CompilerServices;
using Rsmi.Random;
using Rsmi.Sampling;

namespace Rsmi.Models.Dimers;

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
/// as L^{3/2}, the integral of the r^{−1/2} monomer correlation). <see cref="Work"/> counts image pixels
/// changed — two bond pixels per dimer move, the analogue of spins flipped by a cluster algorithm — so that
/// <see cref="SampleCollector"/>'s blocks of about one sweep of work (4L² pixels) are about 2L² dimer moves
/// (four moves per dimer).
/// The staggered sums E_x = Σ (−1)^{i+j} n over horizontal bonds and E_y over vertical bonds of the whole
/// lattice are updated at every move; on the torus E_x = L·W_x and E_y = L·W_y with W the winding numbers.
/// </para>
/// <para>
/// Interacting (aligning) dimers (Alet et al., Phys. Rev. Lett. 94, 235702 (2005)): with
/// <see cref="Interaction"/> u = V/T ≠ 0 the weight of a covering is exp(u · N_∥), N_∥ the number of plaquettes
/// holding two parallel dimers. The worm above is then a symmetric proposal, and the closed loop is accepted
/// with the Metropolis probability min(1, exp(u ΔN_∥)) (ΔN_∥ counted over the plaquettes that touch the
/// loop), otherwise undone — exact detailed balance for any u. Measured acceptance at L = 16–64: ≈ 55% at
/// u = 0.3, 23% at u = 1, 10% at u = 1.5 (the columnar transition of the aligning model is at u ≈ 1.5).
/// </para>
/// <para>
/// The noise spins (<see cref="NoiseSpins"/>) are independent of the dimers; they are redrawn lazily — once
/// per state, on the first <see cref="CopyConfiguration"/> after a <see cref="Step"/> — from their own random
/// stream, so that copying the same state twice gives the same image.
/// </para>
/// <para>
/// Symmetry move (docs/algorithm.md, "Dimers and noise spins"): with a symmetry stream, <see cref="BeforeSave"/> maps
/// the covering by a uniformly random <see cref="DimerSymmetry"/> of the lattice (8L² on the torus, 8 on the open grid).
/// The Boltzmann weight of every covering equals that of its images, so the move leaves the distribution invariant,
/// and composed with the worms it carries the chain between the four columnar states of the aligning model's crystal,
/// which the worms alone do not cross on large lattices. The noise spins are no part of the chain's state (they are
/// drawn afresh for every new state), so the move acts on the dimers and the noise is redrawn for the new state.
/// </para>
/// <para>
/// Monitor observables (<see cref="DimerMonitor"/>): the chain driver times thermalisation and spacing by the larger
/// τ_int of <see cref="MonitorObservable"/> and <see cref="AbsMagnetisation"/>. By default these are the winding number
/// W_x and the squared columnar order parameter |C|², the slow observables of the Coulomb phase and of the columnar
/// crystal; <see cref="DimerMonitor.Winding"/> or <see cref="DimerMonitor.Columnar"/> times by one of them, with |m| of
/// the image (the noise spins: no autocorrelation) as the second observable.
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
    private long _work, _worms, _rejected;
    private readonly double _interaction;
    private int _parallelPlaquettes;
    private readonly DimerMonitor _monitor;
    private TRandom _symmetryRandom;
    private readonly bool _symmetryMoves;
    private readonly byte[] _symmetryScratch = [];
    private long _symmetryMovesDone;
    // Interacting model only: sites changed by the current worm with their old directions, and stamps.
    private int[] _changedSites = [];
    private byte[] _changedOld = [];
    private int _changedCount;
    private readonly int[] _siteStamp = [];
    private readonly int[] _plaquetteStamp = [];
    private int[] _plaquettes = [];
    private int _stamp;

    /// <summary>
    /// A sampler started from the columnar covering. <paramref name="noiseCoupling"/>: K ≥ 0 (+∞ allowed)
    /// for noise pairs, null for noise pixels fixed at +1.
    /// </summary>
    /// <param name="lattice">The lattice.</param>
    /// <param name="random">Stream for the worms.</param>
    /// <param name="noiseRandom">Stream for the noise spins.</param>
    /// <param name="noiseCoupling">K ≥ 0 (+∞ allowed), or null for no noise.</param>
    /// <param name="interaction">u = V/T, finite; 0 (default) for the non-interacting model, u &gt; 0 aligning.</param>
    /// <param name="monitor">Which observables the chain driver times (see the class remarks): in the interacting
    /// model near and below its transition the winding number hardly moves while |C|² relaxes over thousands of worms
    /// (docs/scan.md, "Interacting dimers"), so the default times by both.</param>
    /// <param name="symmetryRandom">Stream for the symmetry move of <see cref="BeforeSave"/>, or null for no move.</param>
    /// <exception cref="RsmiInputException">Negative or NaN noise coupling, or a non-finite interaction.</exception>
    public DimerWormSampler(DimerLattice lattice, TRandom random, TRandom noiseRandom, double? noiseCoupling, double interaction = 0.0,
        DimerMonitor monitor = DimerMonitor.Both, TRandom? symmetryRandom = null)
    {
        Require.That(Enum.IsDefined(monitor), $"unknown dimer monitor {monitor}.");
        _monitor = monitor;
        if (symmetryRandom is TRandom r)
        {
            _symmetryMoves = true;
            _symmetryRandom = r;
            _symmetryScratch = new byte[lattice.Sites];
        }
        if (noiseCoupling is double k) NoiseSpins.ValidateCoupling(k);
        Require.That(double.IsFinite(interaction), $"the dimer interaction V/T must be a finite number, got {interaction}.");
        _interaction = interaction;
        if (interaction != 0)
        {
            _siteStamp = new int[lattice.Sites];
            _plaquetteStamp = new int[lattice.Sites];
            _changedSites = new int[64]; _changedOld = new byte[64]; _plaquettes = new int[256];
        }
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
        _parallelPlaquettes = CountParallelPlaquettes(_direction, lattice);
    }

    /// <summary>The lattice.</summary>
    public DimerLattice Lattice => _lattice;
    /// <inheritdoc />
    public string Algorithm => "worm";
    /// <inheritdoc />
    public int[] Shape { get; }
    /// <summary>Cumulative number of bond pixels changed: 2 × <see cref="Moves"/> (see the class remarks).</summary>
    public long Work => 2 * _work;
    /// <summary>Cumulative number of dimer moves (head steps, closing included).</summary>
    public long Moves => _work;
    /// <summary>Number of worms completed (accepted or, in the interacting model, rejected).</summary>
    public long Worms => _worms;
    /// <summary>Number of worms rejected by the Metropolis test of the interacting model.</summary>
    public long RejectedWorms => _rejected;
    /// <summary>The aligning interaction u = V/T (0: non-interacting).</summary>
    public double Interaction => _interaction;
    /// <summary>Number N_∥ of plaquettes holding two parallel dimers in the current covering.</summary>
    public int ParallelPlaquettes => _parallelPlaquettes;
    /// <summary>Which observables the chain driver times.</summary>
    public DimerMonitor Monitor => _monitor;
    /// <summary>Whether <see cref="BeforeSave"/> applies a random lattice symmetry.</summary>
    public bool SymmetryMoves => _symmetryMoves;
    /// <summary>Number of symmetry moves applied so far.</summary>
    public long SymmetryMovesDone => _symmetryMovesDone;
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
        if (_interaction == 0)
        {
            _work += RunWorm<NoLog>();
        }
        else
        {
            int ex = _electricX, ey = _electricY;
            if (++_stamp == int.MaxValue)
            {
                Array.Clear(_siteStamp); Array.Clear(_plaquetteStamp);
                _stamp = 1;
            }
            _changedCount = 0;
            _work += RunWorm<Log>();
            if (!AcceptLoop()) { _electricX = ex; _electricY = ey; _rejected++; }
        }
        _worms++;
        _noiseStale = true;
    }

    private interface IChangeLog { }
    private struct NoLog : IChangeLog { }
    private struct Log : IChangeLog { }

    /// <summary>Records the old direction of <paramref name="site"/> the first time the current worm changes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Record<TLog>(int site) where TLog : struct, IChangeLog
    {
        if (typeof(TLog) != typeof(Log) || _siteStamp[site] == _stamp) return;
        _siteStamp[site] = _stamp;
        if (_changedCount == _changedSites.Length)
        {
            Array.Resize(ref _changedSites, 2 * _changedCount);      // grow-only scratch: amortised, no allocation in steady state
            Array.Resize(ref _changedOld, 2 * _changedCount);
        }
        _changedSites[_changedCount] = site;
        _changedOld[_changedCount] = _direction[site];
        _changedCount++;
    }

    /// <summary>Metropolis test of the closed loop; restores the old covering when rejected.</summary>
    private bool AcceptLoop()
    {
        // Plaquettes touching a changed site (all plaquettes whose bonds changed), each once: those whose upper-left
        // corner is the site, its left, upper and upper-left neighbours (on the open grid only the interior ones, whose
        // corner has a right and a lower neighbour). Through the neighbour table, without divisions by L.
        int count = 0;
        int[] nb = _neighbours;
        bool open = _lattice.Boundary == DimerBoundary.Open;
        for (int k = 0; k < _changedCount; k++)
        {
            int s = _changedSites[k], left = nb[4 * s + DimerLattice.Left], up = nb[4 * s + DimerLattice.Up];
            int upLeft = up >= 0 ? nb[4 * up + DimerLattice.Left] : -1;
            AddPlaquette(upLeft, nb, open, ref count);
            AddPlaquette(up, nb, open, ref count);
            AddPlaquette(left, nb, open, ref count);
            AddPlaquette(s, nb, open, ref count);
        }
        int after = 0, before = 0;
        for (int k = 0; k < count; k++) after += IsParallel(_direction, nb, _plaquettes[k]) ? 1 : 0;
        SwapChanged();
        for (int k = 0; k < count; k++) before += IsParallel(_direction, nb, _plaquettes[k]) ? 1 : 0;
        int delta = after - before;
        double logRatio = _interaction * delta;
        if (logRatio >= 0 || _random.NextDouble() < Math.Exp(logRatio))
        {
            SwapChanged();
            _parallelPlaquettes += delta;
            return true;
        }
        return false;
    }

    /// <summary>Logs plaquette <paramref name="p"/> (upper-left corner site; −1: none) once per worm.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddPlaquette(int p, int[] nb, bool open, ref int count)
    {
        if (p < 0 || open && (nb[4 * p + DimerLattice.Right] < 0 || nb[4 * p + DimerLattice.Down] < 0) || _plaquetteStamp[p] == _stamp) return;
        _plaquetteStamp[p] = _stamp;
        if (count == _plaquettes.Length) Array.Resize(ref _plaquettes, 2 * count);
        _plaquettes[count++] = p;
    }

    /// <summary><see cref="IsParallel(byte[], int, int)"/> through the neighbour table (p an interior plaquette on the open grid).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsParallel(byte[] direction, int[] nb, int p)
    {
        int d = direction[p];
        return d == DimerLattice.Right ? direction[nb[4 * p + DimerLattice.Down]] == DimerLattice.Right
            : d == DimerLattice.Down && direction[nb[4 * p + DimerLattice.Right]] == DimerLattice.Down;
    }

    /// <summary>Exchanges the current and the logged old directions of the changed sites.</summary>
    private void SwapChanged()
    {
        for (int k = 0; k < _changedCount; k++)
        {
            int s = _changedSites[k];
            (_direction[s], _changedOld[k]) = (_changedOld[k], _direction[s]);
        }
    }

    /// <summary>Whether plaquette p (upper-left corner site p) holds two parallel dimers: horizontal bonds (i, j)
    /// and (i+1, j), or vertical bonds (i, j) and (i, j+1). Indices wrap (callers skip the open grid's edge).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsParallel(byte[] direction, int l, int p)
    {
        int i = p / l, j = p % l;
        int below = (i + 1) % l * l + j, right = i * l + (j + 1) % l;
        return (direction[p] == DimerLattice.Right && direction[below] == DimerLattice.Right)
            || (direction[p] == DimerLattice.Down && direction[right] == DimerLattice.Down);
    }

    /// <summary>N_∥ of a covering: plaquettes with two parallel dimers (on the open grid, only the (L−1)² interior plaquettes).</summary>
    public static int CountParallelPlaquettes(ReadOnlySpan<byte> direction, DimerLattice lattice)
    {
        int l = lattice.L, n = 0;
        var d = direction.ToArray();
        int rows = lattice.Boundary == DimerBoundary.Open ? l - 1 : l;
        for (int i = 0; i < rows; i++)
        for (int j = 0; j < rows; j++)
            n += IsParallel(d, l, i * l + j) ? 1 : 0;
        return n;
    }

    /// <summary>Runs <paramref name="worms"/> worms.</summary>
    public void Run(long worms)
    {
        for (long w = 0; w < worms; w++) Step();
    }

    /// <summary>The winding number W_x = E_x / L on the torus (E_x / L on the open grid), slow under the worm dynamics;
    /// with <see cref="DimerMonitor.Columnar"/>, |C|² = C_x² + C_y² (<see cref="DimerPhases.ColumnarOrder"/>).</summary>
    public double MonitorObservable() => _monitor == DimerMonitor.Columnar ? ColumnarOrderSquared() : _electricX / (double)_lattice.L;

    /// <summary>The chain driver's second observable: |C|² with the default <see cref="DimerMonitor.Both"/>, otherwise |m| of
    /// the image copied into <paramref name="scratch"/> (<see cref="IMonteCarloSampler.AbsMagnetisation"/>).</summary>
    public double AbsMagnetisation(Span<sbyte> scratch)
    {
        if (_monitor == DimerMonitor.Both) return ColumnarOrderSquared();
        CopyConfiguration(scratch);
        return IMonteCarloSampler.AbsMean(scratch);
    }

    /// <summary>With symmetry moves, maps the covering by a uniformly random symmetry of the lattice (see the class
    /// remarks); otherwise does nothing. The chain driver calls it before each saved configuration.</summary>
    public void BeforeSave()
    {
        if (!_symmetryMoves) return;
        Apply(DimerSymmetry.Random(ref _symmetryRandom, _lattice));
    }

    /// <summary>Maps the current covering by <paramref name="symmetry"/>: O(L²); the staggered sums follow the covering,
    /// N_∥ is invariant, and the noise spins are redrawn for the new state.</summary>
    /// <exception cref="RsmiInputException">Not a symmetry of the lattice (a translation of the open grid).</exception>
    public void Apply(DimerSymmetry symmetry)
    {
        byte[] scratch = _symmetryScratch.Length == _sites ? _symmetryScratch : new byte[_sites];
        symmetry.Apply(_lattice, _direction, scratch);
        scratch.AsSpan().CopyTo(_direction);
        RecomputeFields();
        _noiseStale = true;
        _symmetryMovesDone++;
    }

    /// <summary>|C|² of the current covering: C_x = (2/N) Σ (−1)^j n_h(i, j), C_y = (2/N) Σ (−1)^i n_v(i, j).</summary>
    private double ColumnarOrderSquared()
    {
        int l = _lattice.L;
        long cx = 0, cy = 0;
        for (int i = 0; i < l; i++)
        {
            int row = i * l, rowSign = (i & 1) == 0 ? 1 : -1;
            for (int j = 0; j < l; j++)
            {
                int d = _direction[row + j];
                if (d == DimerLattice.Right) cx += (j & 1) == 0 ? 1 : -1;
                else if (d == DimerLattice.Down) cy += rowSign;
            }
        }
        double n = (double)l * l, x = 2 * cx / n, y = 2 * cy / n;
        return x * x + y * y;
    }

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
    private long RunWorm<TLog>() where TLog : struct, IChangeLog
    {
        // Locals (random state and staggered sums included) so that the JIT keeps them in registers.
        byte[] direction = _direction;
        int[] neighbours = _neighbours;
        byte[] degrees = _degrees;
        sbyte[] stagger = _stagger;
        TRandom random = _random;
        int ex = _electricX, ey = _electricY;
        int tail = random.NextInt(_sites);
        int entrance = direction[tail];
        int head = neighbours[4 * tail + entrance];
        int inDirection = entrance ^ 2;                  // the entrance bond as seen from the head
        AddField(stagger, tail, entrance, -1, ref ex, ref ey);
        Record<TLog>(tail);
        Record<TLog>(head);
        long moves = 0;
        while (true)
        {
            int exit = ChooseExit(ref random, neighbours, degrees, head, inDirection);
            int next = neighbours[4 * head + exit];
            moves++;
            if (next == tail)
            {
                Record<TLog>(head);
                direction[head] = (byte)exit;
                direction[tail] = (byte)(exit ^ 2);
                AddField(stagger, head, exit, +1, ref ex, ref ey);
                break;
            }
            int old = direction[next];                   // next's dimer (next, partner) moves to (head, next)
            int partner = neighbours[4 * next + old];
            AddField(stagger, next, old, -1, ref ex, ref ey);
            Record<TLog>(head);
            Record<TLog>(next);
            direction[head] = (byte)exit;
            direction[next] = (byte)(exit ^ 2);
            AddField(stagger, head, exit, +1, ref ex, ref ey);
            head = partner;
            inDirection = old ^ 2;
        }
        _random = random;
        _electricX = ex; _electricY = ey;
        return moves;
    }

    /// <summary>A bond of <paramref name="head"/> other than <paramref name="inDirection"/>, uniformly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ChooseExit(ref TRandom random, int[] neighbours, byte[] degrees, int head, int inDirection)
    {
        int degree = degrees[head];
        if (degree == 4)
        {
            int k = random.NextInt(3);
            return k >= inDirection ? k + 1 : k;
        }
        int pick = random.NextInt(degree - 1);
        for (int d = 0; d < 4; d++)
        {
            if (d == inDirection || neighbours[4 * head + d] < 0) continue;
            if (pick-- == 0) return d;
        }
        throw new InvalidOperationException("no exit bond");   // unreachable: every site has ≥ 2 bonds
    }

    /// <summary>Adds <paramref name="sign"/> × the staggered weight of the bond (site, d) to E_x or E_y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddField(sbyte[] stagger, int site, int d, int sign, ref int ex, ref int ey)
    {
        // The bond is named by its left/upper end: the site itself for d = Right/Down, the neighbour
        // (opposite colour, since L is even) for d = Left/Up.
        int weight = d < 2 ? stagger[site] : -stagger[site];
        if ((d & 1) == 0) ex += sign * weight; else ey += sign * weight;
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
    /// A worm sampler whose dimer moves use stream (seed, <paramref name="chain"/>, "dimer-worm"), noise spins stream
    /// (seed, <paramref name="chain"/>, "dimer-noise") and, with <paramref name="symmetryMoves"/>, symmetry moves stream
    /// (seed, <paramref name="chain"/>, "dimer-symmetry") of <see cref="RandomStreams"/>.
    /// </summary>
    public static DimerWormSampler<Xoshiro256StarStar> Create(DimerLattice lattice, ulong seed, double? noiseCoupling, ulong chain = 0, double interaction = 0.0,
        DimerMonitor monitor = DimerMonitor.Both, bool symmetryMoves = true) =>
        new(lattice, RandomStreams.Create(seed, chain, "dimer-worm"), RandomStreams.Create(seed, chain, "dimer-noise"), noiseCoupling, interaction, monitor,
            symmetryMoves ? RandomStreams.Create(seed, chain, "dimer-symmetry") : null);
}

/// <summary>The observables whose integrated autocorrelation times set a dimer chain's thermalisation and spacing
/// (<c>--monitor</c>; docs/algorithm.md, "Dimers and noise spins").</summary>
public enum DimerMonitor
{
    /// <summary>The winding number W_x and the squared columnar order parameter |C|², the larger τ_int deciding (default).</summary>
    Both,
    /// <summary>The winding number W_x alone (with |m| of the image).</summary>
    Winding,
    /// <summary>The squared columnar order parameter |C|² alone (with |m| of the image).</summary>
    Columnar,
}
