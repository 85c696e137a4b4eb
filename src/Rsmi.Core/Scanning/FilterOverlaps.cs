using Rsmi.Data;
using Rsmi.Filters;
using Rsmi.Models;
using Rsmi.Models.Dimers;

namespace Rsmi.Scanning;

/// <summary>A named set of patterns over a block: the operators a learned filter is compared with.</summary>
/// <param name="Name">Its name in <c>scan.json</c> (<c>electric_field</c>, <c>columnar</c>).</param>
/// <param name="Patterns">The patterns, each a weight per block site (row-major), not necessarily orthogonal.</param>
public sealed record PatternSet(string Name, IReadOnlyList<double[]> Patterns);

/// <summary>
/// How much of a learned filter lies in the span of known patterns (docs/scan.md, "Filters across the transition"):
/// with the rows ŵ_j of the filters normalised to unit length and P the orthogonal projector on the span of the
/// patterns,
/// <code>overlap = (1/N_h) Σ_j |P ŵ_j|²,</code>
/// the share of each unit's squared weight in the span, averaged over the units: 1 when every unit is a combination of
/// the patterns, 0 when every unit is orthogonal to them.
/// </summary>
public static class FilterOverlaps
{
    /// <summary>The overlap of <paramref name="filter"/> (spin filters with binary units) with the span of <paramref name="patterns"/>.</summary>
    public static double Overlap(FilterParameters filter, IReadOnlyList<double[]> patterns)
    {
        Require.That(filter.IsSpinFilter, "overlaps are defined for spin filters with binary units.");
        var basis = Orthonormal(patterns, filter.Visible);
        double total = 0;
        for (int j = 0; j < filter.Hidden; j++)
        {
            var w = filter.Row(j);
            double norm2 = 0;
            foreach (double x in w) norm2 += x * x;
            if (norm2 == 0) continue;
            double inSpan = 0;
            foreach (var e in basis)
            {
                double dot = 0;
                for (int i = 0; i < w.Length; i++) dot += w[i] * e[i];
                inSpan += dot * dot;
            }
            total += inSpan / norm2;
        }
        return total / filter.Hidden;
    }

    /// <summary>An orthonormal basis of the span (Gram–Schmidt twice; patterns within 10⁻¹⁰ of the span so far are dropped).</summary>
    private static List<double[]> Orthonormal(IReadOnlyList<double[]> patterns, int size)
    {
        var basis = new List<double[]>();
        foreach (var p in patterns)
        {
            Require.That(p.Length == size, $"a pattern has {p.Length} sites, the block {size}.");
            var v = (double[])p.Clone();
            for (int pass = 0; pass < 2; pass++)
                foreach (var e in basis)
                {
                    double dot = 0;
                    for (int i = 0; i < size; i++) dot += v[i] * e[i];
                    for (int i = 0; i < size; i++) v[i] -= dot * e[i];
                }
            double norm = Math.Sqrt(v.Sum(x => x * x)), scale = Math.Sqrt(p.Sum(x => x * x));
            if (norm <= 1e-10 * Math.Max(scale, 1e-300)) continue;
            for (int i = 0; i < size; i++) v[i] /= norm;
            basis.Add(v);
        }
        return basis;
    }

    /// <summary>
    /// The pattern sets a scan compares the filters of <paramref name="samples"/> with, on a b × b block: for dimer images
    /// (<see cref="DimerImage"/>) the staggered electric fields E_x, E_y of the block (<see cref="DimerAnalysis.ElectricFieldMasks"/>:
    /// (−1)^{i+j} on the pixels of the horizontal, resp. vertical, bonds) and the columnar order parameter's patterns
    /// C_x, C_y ((−1)^j on the horizontal bond pixels, (−1)^i on the vertical ones; <see cref="DimerPhases.ColumnarOrder"/>);
    /// none for other models. Blocks start at even pixels (b even), so the parities are those of the whole image.
    /// </summary>
    public static IReadOnlyList<PatternSet> For(SampleSet samples, int block)
    {
        if (ModelCatalog.Default.Find(samples.Metadata.Model) != ModelCatalog.Dimer || samples.Rank != 2 || block % 2 != 0) return [];
        return DimerPatterns(block);
    }

    /// <summary>The dimer image's pattern sets of <see cref="For"/> on a b × b block (b even, block starting at even pixels):
    /// <c>electric_field</c> (E_x, E_y) and <c>columnar</c> (C_x, C_y).</summary>
    public static IReadOnlyList<PatternSet> DimerPatterns(int block)
    {
        Require.That(block >= 2 && block % 2 == 0, $"dimer patterns need an even block side, got {block}.");
        var (ex, ey) = DimerAnalysis.ElectricFieldMasks(0, 0, block, block);
        var cx = new double[block * block];
        var cy = new double[block * block];
        for (int r = 0; r < block; r++)
            for (int c = 0; c < block; c++)
            {
                int i = r / 2, j = c / 2;
                if ((r & 1) == 0 && (c & 1) == 1) cx[r * block + c] = (j & 1) == 0 ? 1 : -1;
                else if ((r & 1) == 1 && (c & 1) == 0) cy[r * block + c] = (i & 1) == 0 ? 1 : -1;
            }
        return [new PatternSet("electric_field", [ex, ey]), new PatternSet("columnar", [cx, cy])];
    }
}
