using Rsmi.Data;
using Rsmi.Statistics;

namespace Rsmi.Models.Dimers;

/// <summary>
/// Observables of dimer coverings (docs/algorithm.md, "Dimers and noise spins"; docs/references.md, "Fully packed dimers"). Conventions: site (i, j) is row i,
/// column j; horizontal bond (i, j) joins (i, j)–(i, j+1), vertical bond (i, j) joins (i, j)–(i+1, j);
/// n_b = 1 on a bond that holds a dimer. The lattice is bipartite, A = sites with i + j even.
/// </summary>
public static class DimerAnalysis
{
    /// <summary>
    /// Staggered sums of a rectangular region (docs/algorithm.md, "Dimers and noise spins"): E_x = Σ (−1)^{i+j} n over the horizontal
    /// bonds (i, j) and E_y = Σ (−1)^{i+j} n over the vertical bonds (i, j) with row0 ≤ i &lt; row0 + height
    /// and column0 ≤ j &lt; column0 + width — the bonds whose pixels fall in the image window of rows
    /// [2·row0, 2·(row0+height)) and columns [2·column0, 2·(column0+width)). Indices wrap on the torus; on the
    /// open grid bonds that do not exist count as empty. The staggered covering maximises |E|, the
    /// columnar one gives zero. On the torus the whole lattice gives (L·W_x, L·W_y).
    /// </summary>
    /// <exception cref="RsmiInputException">Empty or larger-than-lattice region, or a start outside [0, L) (or a region leaving the open grid).</exception>
    public static (int Ex, int Ey) ElectricField(DimerCovering covering, int row0, int column0, int height, int width)
    {
        int l = covering.L;
        Require.That(height >= 1 && width >= 1 && height <= l && width <= l, $"region {height}x{width} must be non-empty and fit in the {l}x{l} lattice.");
        Require.That(row0 >= 0 && row0 < l && column0 >= 0 && column0 < l, $"region origin ({row0}, {column0}) must lie in the {l}x{l} lattice.");
        Require.That(covering.Lattice.Boundary == DimerBoundary.Periodic || (row0 + height <= l && column0 + width <= l),
            "a region of the open grid must not cross its edge.");
        int ex = 0, ey = 0;
        for (int di = 0; di < height; di++)
        for (int dj = 0; dj < width; dj++)
        {
            int i = (row0 + di) % l, j = (column0 + dj) % l;
            int sign = ((i + j) & 1) == 0 ? 1 : -1;
            if (covering.Horizontal(i, j)) ex += sign;
            if (covering.Vertical(i, j)) ey += sign;
        }
        return (ex, ey);
    }

    /// <summary>
    /// Winding numbers of a covering of the torus: W_x = Σ_i (−1)^{i+j} n_{horizontal (i, j)}, the flux of
    /// the dimer "electric field" E_b = ±(n_b − ¼) (oriented from A to B) through the column cut j — the same
    /// for every j because each site holds exactly one dimer (div E = 0) — and W_y = Σ_j (−1)^{i+j}
    /// n_{vertical (i, j)} through a row cut. |W| ≤ L/2; the columnar covering has W = 0, the staggered one
    /// |W| = L/2. Plaquette flips keep W; worms change it.
    /// </summary>
    public static (int Wx, int Wy) Winding(DimerCovering covering)
    {
        Require.That(covering.Lattice.Boundary == DimerBoundary.Periodic, "winding numbers exist only on the torus.");
        int l = covering.L, wx = 0, wy = 0;
        for (int k = 0; k < l; k++)
        {
            int sign = (k & 1) == 0 ? 1 : -1;        // cut through column 0 / row 0: (−1)^{k+0}
            if (covering.Horizontal(k, 0)) wx += sign;
            if (covering.Vertical(0, k)) wy += sign;
        }
        return (wx, wy);
    }

    /// <summary>
    /// The height field on the faces (face (i, j) = plaquette with upper-left corner (i, j)), row-major, with
    /// h(0, 0) = 0. Crossing a bond b changes h by ±(4 n_b − 1): moving right across vertical bond (i, j)
    /// (from face (i, j−1) to face (i, j)) by (−1)^{i+j}(4n − 1); moving down across horizontal bond (i, j)
    /// (from face (i−1, j) to face (i, j)) by −(−1)^{i+j}(4n − 1). Around every site the changes sum to zero
    /// because it holds exactly one dimer, so h is well defined on the plane; it is integrated down column 0
    /// and then along each row. On the torus h is multivalued: continuing across the edge adds 4·W.
    /// </summary>
    public static int[] HeightField(DimerCovering covering)
    {
        int l = covering.L;
        var h = new int[l * l];
        for (int i = 1; i < l; i++)
            h[i * l] = h[(i - 1) * l] + DownStep(covering, i, 0);
        for (int i = 0; i < l; i++)
        for (int j = 1; j < l; j++)
            h[i * l + j] = h[i * l + j - 1] + RightStep(covering, i, j);
        return h;
    }

    /// <summary>Height change from face (i, j−1) to face (i, j), across vertical bond (i, j).</summary>
    private static int RightStep(DimerCovering c, int i, int j)
    {
        int n = c.Lattice.HasVerticalBond(i, j) && c.Vertical(i, j) ? 1 : 0;
        return (((i + j) & 1) == 0 ? 1 : -1) * (4 * n - 1);
    }

    /// <summary>Height change from face (i−1, j) to face (i, j), across horizontal bond (i, j).</summary>
    private static int DownStep(DimerCovering c, int i, int j)
    {
        int n = c.Lattice.HasHorizontalBond(i, j) && c.Horizontal(i, j) ? 1 : 0;
        return -(((i + j) & 1) == 0 ? 1 : -1) * (4 * n - 1);
    }

    /// <summary>
    /// Occupation of every bond averaged over the configurations of a dimer sample set: (horizontal, vertical),
    /// L² each, row-major by the bond's left/upper end (missing bonds of the open grid read 0). Each bond of
    /// the torus has exact mean ¼ (docs/references.md, "Fully packed dimers").
    /// </summary>
    public static (double[] Horizontal, double[] Vertical) BondOccupation(SampleSet samples)
    {
        var lattice = DimerImage.LatticeOf(samples);
        int l = lattice.L, side = 2 * l;
        var horizontal = new double[l * l];
        var vertical = new double[l * l];
        for (int c = 0; c < samples.Count; c++)
        {
            var image = samples.Configuration(c);
            for (int i = 0; i < l; i++)
            for (int j = 0; j < l; j++)
            {
                if (image[2 * i * side + 2 * j + 1] == 1) horizontal[i * l + j]++;
                if (image[(2 * i + 1) * side + 2 * j] == 1) vertical[i * l + j]++;
            }
        }
        for (int k = 0; k < l * l; k++) { horizontal[k] /= samples.Count; vertical[k] /= samples.Count; }
        return (horizontal, vertical);
    }

    /// <summary>
    /// Dimer–dimer pair products of one covering of the torus versus distance r = 0 … L/2, averaged over the
    /// lattice and over the two orientations:
    /// <paramref name="longitudinal"/>[r] = mean of n_h(i, j) n_h(i, j+r) and n_v(i, j) n_v(i+r, j) (parallel
    /// dimers displaced along their own axis), <paramref name="transverse"/>[r] = mean of n_h(i, j) n_h(i+r, j)
    /// and n_v(i, j) n_v(i, j+r) (parallel dimers displaced across it). Their ensemble means minus ⟨n⟩² = 1/16
    /// are the connected dimer–dimer correlations, which decay as 1/r² with an oscillating sign (Fisher &amp;
    /// Stephenson 1963). Both spans need length L/2 + 1.
    /// </summary>
    public static void PairProducts(DimerCovering covering, Span<double> longitudinal, Span<double> transverse)
    {
        Require.That(covering.Lattice.Boundary == DimerBoundary.Periodic, "dimer–dimer correlations are computed on the torus.");
        int l = covering.L, rMax = l / 2;
        Require.That(longitudinal.Length >= rMax + 1 && transverse.Length >= rMax + 1, $"correlation spans need length {rMax + 1}.");
        var h = new byte[l * l];
        var v = new byte[l * l];
        var d = covering.Directions;
        for (int s = 0; s < l * l; s++) { h[s] = d[s] == DimerLattice.Right ? (byte)1 : (byte)0; v[s] = d[s] == DimerLattice.Down ? (byte)1 : (byte)0; }
        double norm = 1.0 / (2.0 * l * l);
        for (int r = 0; r <= rMax; r++)
        {
            long along = 0, across = 0;
            for (int i = 0; i < l; i++)
            {
                int row = i * l, rowR = (i + r) % l * l;
                for (int j = 0; j < l; j++)
                {
                    int jr = (j + r) % l;
                    along += h[row + j] * h[row + jr] + v[row + j] * v[rowR + j];
                    across += h[row + j] * h[rowR + j] + v[row + j] * v[row + jr];
                }
            }
            longitudinal[r] = along * norm;
            transverse[r] = across * norm;
        }
    }

    /// <summary>
    /// Vertex–face noise pair products and noise–dimer cross products of one decoded sample, averaged over
    /// the lattice: ⟨σ_v σ_f⟩ (exact mean tanh K), ⟨σ_v n_h⟩ with the horizontal bond at the same site and
    /// ⟨σ_f n_v⟩ with the vertical bond (exact mean 0, the noise being independent of the dimers and of
    /// zero mean).
    /// </summary>
    public static (double PairProduct, double VertexBond, double FaceBond) NoiseProducts(DimerSample sample)
    {
        int n = sample.VertexSpins.Length;
        var d = sample.Covering.Directions;
        long pair = 0, vb = 0, fb = 0;
        for (int s = 0; s < n; s++)
        {
            pair += sample.VertexSpins[s] * sample.FaceSpins[s];
            vb += d[s] == DimerLattice.Right ? sample.VertexSpins[s] : 0;
            fb += d[s] == DimerLattice.Down ? sample.FaceSpins[s] : 0;
        }
        return (pair / (double)n, vb / (double)n, fb / (double)n);
    }

    /// <summary>
    /// Connected dimer–dimer correlations of a dimer sample set on the torus versus distance r = 0 … L/2:
    /// C(r) = ⟨n_b n_{b+r}⟩ − 1/16 (⟨n_b⟩ = ¼ exactly), longitudinal (parallel dimers displaced along their axis)
    /// and transverse (displaced across it), averaged over the lattice and both orientations (see
    /// <see cref="PairProducts"/>), with binned error bars over the configurations in file order.
    /// On the infinite lattice both fall off as 1/r² (Fisher &amp; Stephenson 1963): the longitudinal one with
    /// sign (−1)^r, the transverse one positive at odd r and small at even r.
    /// </summary>
    public static (Estimate[] Longitudinal, Estimate[] Transverse) Correlations(SampleSet samples)
    {
        var lattice = DimerImage.LatticeOf(samples);
        Require.That(lattice.Boundary == DimerBoundary.Periodic, "dimer–dimer correlations are computed on the torus.");
        Require.That(samples.Count >= 2, "correlations need at least two configurations.");
        int rMax = lattice.L / 2;
        var along = Enumerable.Range(0, rMax + 1).Select(_ => new double[samples.Count]).ToArray();
        var across = Enumerable.Range(0, rMax + 1).Select(_ => new double[samples.Count]).ToArray();
        var a = new double[rMax + 1];
        var c = new double[rMax + 1];
        for (int n = 0; n < samples.Count; n++)
        {
            PairProducts(DimerImage.Decode(lattice, samples.Configuration(n)).Covering, a, c);
            for (int r = 0; r <= rMax; r++) { along[r][n] = a[r] - 1.0 / 16; across[r][n] = c[r] - 1.0 / 16; }
        }
        return (along.Select(x => Binning.Analyse(x)).ToArray(), across.Select(x => Binning.Analyse(x)).ToArray());
    }

    /// <summary>
    /// Weight masks over a window of the 2L×2L image that measure the staggered sums: for the
    /// <paramref name="height"/> × <paramref name="width"/> pixel window whose upper-left pixel is
    /// (<paramref name="pixelRow0"/>, <paramref name="pixelColumn0"/>) of the image, row-major, the E_x mask is
    /// (−1)^{i+j} on the pixels of horizontal bonds (i, j) (even row 2i, odd column 2j+1) and 0 elsewhere, the
    /// E_y mask (−1)^{i+j} on the pixels of vertical bonds (odd row 2i+1, even column 2j). With n = (pixel + 1)/2,
    /// Σ mask · n is E_x (E_y) of the bonds in the window; for an aligned window (even origin, even sides)
    /// this equals <see cref="ElectricField"/> of the matching region. Used to compare learned RSMI filters with
    /// E_x, E_y and E_x ± E_y (Koch-Janusz &amp; Ringel 2018, Fig. 4). Pixel coordinates are taken modulo 2L
    /// only for the parity, so any origin ≥ 0 is allowed.
    /// </summary>
    public static (double[] Ex, double[] Ey) ElectricFieldMasks(int pixelRow0, int pixelColumn0, int height, int width)
    {
        Require.That(pixelRow0 >= 0 && pixelColumn0 >= 0, "the window origin must be non-negative.");
        Require.Positive(height, "window height");
        Require.Positive(width, "window width");
        var ex = new double[height * width];
        var ey = new double[height * width];
        for (int dr = 0; dr < height; dr++)
        for (int dc = 0; dc < width; dc++)
        {
            int r = pixelRow0 + dr, c = pixelColumn0 + dc;
            int i = r / 2, j = c / 2;
            double sign = ((i + j) & 1) == 0 ? 1 : -1;
            if ((r & 1) == 0 && (c & 1) == 1) ex[dr * width + dc] = sign;
            else if ((r & 1) == 1 && (c & 1) == 0) ey[dr * width + dc] = sign;
        }
        return (ex, ey);
    }
}
