namespace Rsmi.Models.Ising;

/// <summary>
/// A set of lattice operators given by their terms (<see cref="EvenOperators.Terms"/>, <see cref="OddOperators.Terms"/>:
/// lists of site offsets) laid out on an Lx × Ly torus, with the site indices of every term precomputed. It evaluates
/// <list type="bullet">
/// <item>the operators S_α = Σ_r Σ_{t ∈ α} Π_{o ∈ t} s(r + o), and</item>
/// <item>their local fields g_α(i) = ∂S_α/∂s_i = Σ_{t ∈ α} Σ_{o ∈ t} Π_{o' ∈ t, o' ≠ o} s(i − o + o'): the sum, over
/// the terms that contain site i, of the product of their other spins. Since s_i² = 1, S_α = s_i g_α(i) + (terms
/// without s_i), so flipping s_i changes S_α by −2 s_i g_α(i), and under H = −Σ_α K_α S_α the spin s_i sees the
/// field h_i = Σ_α K_α g_α(i) (docs/algorithm.md, "Effective couplings").</item>
/// </list>
/// Requires every term to cover distinct sites: its span (max − min of x, and of y, over its offsets) must be below
/// Lx and Ly respectively.
/// </summary>
public sealed class OperatorStencil
{
    private readonly int _sites;
    private readonly int _valueReads;      // site reads per anchor for all the operators' terms
    private readonly int[] _valueIndex;    // sites × _valueReads
    private readonly int[] _termSize;      // per term
    private readonly int[] _termEnd;       // per operator: end of its terms in _termSize
    private readonly int _fieldReads;      // site reads per site for all the local fields
    private readonly int[] _fieldIndex;    // sites × _fieldReads
    private readonly int[] _groupSize;     // per group (a term with one site left out)
    private readonly int[] _groupEnd;      // per operator: end of its groups in _groupSize

    /// <summary>Number of operators.</summary>
    public int Operators { get; }
    /// <summary>Lattice width.</summary>
    public int Lx { get; }
    /// <summary>Lattice height.</summary>
    public int Ly { get; }

    /// <summary>
    /// Lays <paramref name="operators"/> (each a list of terms, each a list of offsets) out on an
    /// <paramref name="lx"/> × <paramref name="ly"/> torus; throws <see cref="RsmiInputException"/> when a term
    /// would wrap onto itself.
    /// </summary>
    public OperatorStencil(IReadOnlyList<(int Dx, int Dy)[][]> operators, int lx, int ly)
    {
        Require.That(lx >= 1 && ly >= 1, $"the lattice must be at least 1×1, got {lx}×{ly}.");
        Operators = operators.Count;
        Lx = lx; Ly = ly;
        _sites = lx * ly;
        var termSize = new List<int>();
        var groupSize = new List<int>();
        var termOffsets = new List<(int, int)>();
        var groupOffsets = new List<(int, int)>();
        _termEnd = new int[Operators];
        _groupEnd = new int[Operators];
        for (int a = 0; a < Operators; a++)
        {
            foreach (var term in operators[a])
            {
                int spanX = term.Max(o => o.Dx) - term.Min(o => o.Dx), spanY = term.Max(o => o.Dy) - term.Min(o => o.Dy);
                Require.That(spanX < lx && spanY < ly,
                    $"operator {a} spans {spanX + 1}×{spanY + 1} sites and wraps onto itself on a {lx}×{ly} lattice.");
                termSize.Add(term.Length);
                termOffsets.AddRange(term.Select(o => (o.Dx, o.Dy)));
                foreach (var left in term)
                {
                    groupSize.Add(term.Length - 1);
                    foreach (var o in term) if (o != left) groupOffsets.Add((o.Dx - left.Dx, o.Dy - left.Dy));
                }
            }
            _termEnd[a] = termSize.Count;
            _groupEnd[a] = groupSize.Count;
        }
        _termSize = [.. termSize];
        _groupSize = [.. groupSize];
        _valueReads = termOffsets.Count;
        _fieldReads = groupOffsets.Count;
        _valueIndex = Layout(termOffsets, lx, ly);
        _fieldIndex = Layout(groupOffsets, lx, ly);
    }

    private static int[] Layout(List<(int Dx, int Dy)> offsets, int lx, int ly)
    {
        var index = new int[lx * ly * offsets.Count];
        int p = 0;
        for (int y = 0; y < ly; y++)
        for (int x = 0; x < lx; x++)
            foreach (var (dx, dy) in offsets)
                index[p++] = ((y + dy) % ly + ly) % ly * lx + ((x + dx) % lx + lx) % lx;
        return index;
    }

    /// <summary>The largest possible |g_α(i)|: the number of (term, site) pairs of operator α.</summary>
    public int MaxField(int alpha) => _groupEnd[alpha] - (alpha == 0 ? 0 : _groupEnd[alpha - 1]);

    /// <summary>S_α of configuration <paramref name="s"/> (row-major Ly × Lx, ±1) for every operator.</summary>
    public void Values(ReadOnlySpan<sbyte> s, Span<double> values)
    {
        for (int a = 0; a < Operators; a++) values[a] = 0;
        int p = 0;
        for (int r = 0; r < _sites; r++)
        {
            int t = 0;
            for (int a = 0; a < Operators; a++)
            {
                long sum = 0;
                for (; t < _termEnd[a]; t++)
                {
                    int prod = 1;
                    for (int k = 0; k < _termSize[t]; k++) prod *= s[_valueIndex[p++]];
                    sum += prod;
                }
                values[a] += sum;
            }
        }
    }

    /// <summary>The local fields g_α(<paramref name="site"/>) = ∂S_α/∂s_site of configuration <paramref name="s"/>, for every operator.</summary>
    public void LocalFields(ReadOnlySpan<sbyte> s, int site, Span<int> fields)
    {
        int p = site * _fieldReads;
        int g = 0;
        for (int a = 0; a < Operators; a++)
        {
            int sum = 0;
            for (; g < _groupEnd[a]; g++)
            {
                int prod = 1;
                for (int k = 0; k < _groupSize[g]; k++) prod *= s[_fieldIndex[p++]];
                sum += prod;
            }
            fields[a] = sum;
        }
    }
}
