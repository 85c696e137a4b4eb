using System.Buffers;
using System.Runtime.CompilerServices;

namespace Rsmi.Models.Ising;

/// <summary>
/// Everything measured on one Ising configuration in one pass.
/// </summary>
/// <param name="EnergyPerSite">E/N with E = −Σ_bonds s_i s_j (2N bonds on a torus, N on a ring, N − 1 on an open chain).</param>
/// <param name="Magnetisation">m = Σ s_i / N (|m| is its absolute value).</param>
/// <param name="NearestNeighbour">Nearest-neighbour correlation averaged over all bonds (both directions on a torus).</param>
/// <param name="Diagonal">s_(x,y) s_(x+1,y+1) and s_(x,y) s_(x+1,y−1) averaged over both diagonals (NaN for chains).</param>
/// <param name="StructureFactorZero">χ = S(0) = (Σ s_i)² / N.</param>
/// <param name="StructureFactorMin">F = S(k_min) = |Σ_r s_r e^{i k·r}|² / N at the smallest non-zero wave vector, averaged over
/// k = (2π/Lx, 0) and (0, 2π/Ly) on a torus; k = 2π/L on a chain.</param>
public readonly record struct IsingMeasurement(
    double EnergyPerSite, double Magnetisation, double NearestNeighbour, double Diagonal,
    double StructureFactorZero, double StructureFactorMin)
{
    /// <summary>|m|.</summary>
    public double AbsoluteMagnetisation => Math.Abs(Magnetisation);
}

/// <summary>
/// Per-configuration observables of Ising configurations (±1 values, row-major as in sample files: site
/// (x, y) at y·Lx + x) on a periodic Lx × Ly square lattice or a chain. One instance holds the lattice's
/// Fourier tables; <see cref="Measure"/> allocates nothing and the instance is immutable, so one instance can
/// serve many threads.
/// </summary>
public sealed class IsingObservables
{
    private const int StackLimit = 2048;
    private readonly double[] _cosX, _sinX, _cosY, _sinY;

    /// <summary>Width (sites of a chain).</summary>
    public int Lx { get; }
    /// <summary>Height (1 for a chain).</summary>
    public int Ly { get; }
    /// <summary>Whether this is a chain (1D).</summary>
    public bool IsChain { get; }
    /// <summary>For chains: whether the last site bonds to the first (ring).</summary>
    public bool Periodic { get; }
    /// <summary>Number of sites N.</summary>
    public int Sites => Lx * Ly;

    /// <summary>Observables of the Lx × Ly torus, both sides ≥ 1 (across a side of 1 the periodic neighbour is the site itself).</summary>
    public IsingObservables(int lx, int ly) : this(lx, ly, chain: false, periodic: true)
    {
        Require.That(lx >= 1 && ly >= 1, $"lattice sides must be at least 1, got {lx}x{ly}.");
    }

    /// <summary>Observables of a chain of <paramref name="length"/> ≥ 1 sites, a ring when <paramref name="periodic"/> (one site on a ring is its own neighbour).</summary>
    public static IsingObservables ForChain(int length, bool periodic = true)
    {
        Require.That(length >= 1, $"chain length must be at least 1, got {length}.");
        return new IsingObservables(length, 1, chain: true, periodic);
    }

    private IsingObservables(int lx, int ly, bool chain, bool periodic)
    {
        Lx = lx; Ly = ly; IsChain = chain; Periodic = periodic;
        (_cosX, _sinX) = Table(lx);
        (_cosY, _sinY) = Table(ly);
    }

    private static (double[] Cos, double[] Sin) Table(int l)
    {
        var c = new double[l];
        var s = new double[l];
        for (int j = 0; j < l; j++) { c[j] = Math.Cos(2 * Math.PI * j / l); s[j] = Math.Sin(2 * Math.PI * j / l); }
        return (c, s);
    }

    /// <summary>All observables of one configuration of <see cref="Sites"/> values ±1 (not checked).</summary>
    public IsingMeasurement Measure(ReadOnlySpan<sbyte> spins)
    {
        if (spins.Length != Sites) throw new ArgumentException($"expected {Sites} spins, got {spins.Length}.", nameof(spins));
        return IsChain ? MeasureChain(spins) : MeasureTorus(spins);
    }

    private IsingMeasurement MeasureChain(ReadOnlySpan<sbyte> s)
    {
        int n = Lx;
        int bondSum = 0, m = 0;
        double fr = 0, fi = 0;
        for (int i = 0; i < n - 1; i++)
        {
            int si = s[i];
            bondSum += si * s[i + 1];
            m += si;
            fr += si * _cosX[i]; fi += si * _sinX[i];
        }
        int last = s[n - 1];
        m += last;
        fr += last * _cosX[n - 1]; fi += last * _sinX[n - 1];
        if (Periodic) bondSum += last * s[0];
        int bonds = Periodic ? n : n - 1;
        return new IsingMeasurement(
            -(double)bondSum / n, (double)m / n, (double)bondSum / bonds, double.NaN,
            (double)m * m / n, (fr * fr + fi * fi) / n);
    }

    [SkipLocalsInit]
    private IsingMeasurement MeasureTorus(ReadOnlySpan<sbyte> s)
    {
        int lx = Lx, ly = Ly, n = lx * ly;
        int[]? rented = null;
        Span<int> columnSums = lx <= StackLimit ? stackalloc int[lx] : (rented = ArrayPool<int>.Shared.Rent(lx)).AsSpan(0, lx);
        columnSums.Clear();
        long horizontal = 0, vertical = 0, diagonal = 0;
        double fyr = 0, fyi = 0;
        for (int y = 0; y < ly; y++)
        {
            var row = s.Slice(y * lx, lx);
            var down = s.Slice((y + 1 == ly ? 0 : y + 1) * lx, lx);
            var up = s.Slice((y == 0 ? ly - 1 : y - 1) * lx, lx);
            int h = 0, v = 0, d = 0, rowSum = 0;
            for (int x = 0; x < lx - 1; x++)
            {
                int si = row[x];
                h += si * row[x + 1];
                v += si * down[x];
                d += si * (down[x + 1] + up[x + 1]);
                rowSum += si;
                columnSums[x] += si;
            }
            {
                int x = lx - 1, si = row[x];
                h += si * row[0];
                v += si * down[x];
                d += si * (down[0] + up[0]);
                rowSum += si;
                columnSums[x] += si;
            }
            horizontal += h; vertical += v; diagonal += d;
            fyr += rowSum * _cosY[y]; fyi += rowSum * _sinY[y];
        }
        long m = 0;
        double fxr = 0, fxi = 0;
        for (int x = 0; x < lx; x++)
        {
            int c = columnSums[x];
            m += c;
            fxr += c * _cosX[x]; fxi += c * _sinX[x];
        }
        if (rented is not null) ArrayPool<int>.Shared.Return(rented);
        double bonds = horizontal + vertical;
        return new IsingMeasurement(
            -bonds / n, (double)m / n, bonds / (2.0 * n), diagonal / (2.0 * n),
            (double)m * m / n, 0.5 * ((fxr * fxr + fxi * fxi) + (fyr * fyr + fyi * fyi)) / n);
    }

    /// <summary>
    /// Second-moment correlation length ξ₂ = sqrt(χ/F − 1) / (2 sin(π/L)) from the ensemble averages χ = ⟨S(0)⟩ and
    /// F = ⟨S(2π/L)⟩ (Cooper, Freedman &amp; Preston 1982; e.g. Caracciolo et al., PRL 74, 2969 (1995)).
    /// NaN when χ ≤ F (no ordering correlations to measure); +∞ when F = 0 &lt; χ. L ≥ 2.
    /// </summary>
    public static double SecondMomentCorrelationLength(double chi, double f, int l)
    {
        if (!(chi > f) || l < 2) return double.NaN;
        if (f == 0) return double.PositiveInfinity;
        return Math.Sqrt(chi / f - 1) / (2 * Math.Sin(Math.PI / l));
    }
}
