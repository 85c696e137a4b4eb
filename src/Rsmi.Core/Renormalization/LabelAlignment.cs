using Rsmi.Data;
using Rsmi.Models;
using Rsmi.States;

namespace Rsmi.Renormalization;

/// <summary>
/// Relabels coarse q-state labels so that they agree best with the labels of their blocks (docs/algorithm.md, "Potts
/// operators"). A learned categorical unit names its states in an arbitrary order, a permutation π of the colours the
/// plurality rule would give; the Potts Hamiltonian is invariant under a global permutation of the labels, so
/// relabelling changes no even quantity (bond agreements, the thermometer, MCRG's thermal sector), but the odd
/// operators of two levels, components of the order parameter φ_a, are compared colour by colour and need the same
/// names. The permutation σ maximises Σ_blocks Σ_{i ∈ block} δ(σ(h_block), s_i), the number of fine sites that agree
/// with their coarse label, over all configurations: an assignment problem on the q × q matrix of counts, solved by
/// the Hungarian method (Kuhn 1955; Munkres 1957).
/// </summary>
public static class LabelAlignment
{
    /// <summary>
    /// <paramref name="coarse"/> relabelled (a copy, same metadata) to agree best with <paramref name="fine"/>, whose
    /// bx × by blocks it coarse-grains one label per block; itself when the best permutation is the identity. Both must
    /// hold labels of the same q.
    /// </summary>
    public static SampleSet Align(SampleSet fine, SampleSet coarse, int bx, int by)
    {
        int q = ((PottsLabels)fine.States()).States;
        Require.That(coarse.States() is PottsLabels c && c.States == q, "label alignment needs coarse labels of the same q as the fine ones.");
        var counts = Counts(fine, coarse, bx, by, q);
        var sigma = Best(counts, q);
        bool identity = true;
        for (int h = 0; h < q; h++) identity &= sigma[h] == h;
        if (identity) return coarse;
        var data = (sbyte[])coarse.Data.Clone();
        for (int i = 0; i < data.Length; i++) data[i] = (sbyte)sigma[data[i]];
        return new SampleSet(coarse.Count, coarse.SiteShape, data, coarse.Metadata.Clone());
    }

    /// <summary>counts[h·q + s]: the number of (block, site) pairs whose coarse label is h and fine label is s.</summary>
    internal static long[] Counts(SampleSet fine, SampleSet coarse, int bx, int by, int q)
    {
        int lx = fine.Lx, cx = coarse.Lx, cy = coarse.Ly;
        var total = new long[q * q];
        var gate = new object();
        Parallel.For(0, fine.Count, () => new long[q * q], (n, _, local) =>
        {
            ReadOnlySpan<sbyte> f = fine.Configuration(n), c = coarse.Configuration(n);
            for (int y = 0; y < cy; y++)
            for (int x = 0; x < cx; x++)
            {
                int h = c[y * cx + x];
                for (int dy = 0; dy < by; dy++)
                for (int dx = 0; dx < bx; dx++) local[h * q + f[(y * by + dy) * lx + x * bx + dx]]++;
            }
            return local;
        }, local => { lock (gate) for (int i = 0; i < local.Length; i++) total[i] += local[i]; });
        return total;
    }

    /// <summary>The permutation σ (coarse label h → σ(h)) maximising Σ_h counts[h·q + σ(h)] (Hungarian method, <see cref="Rsmi.Filters.FilterAlignment"/>).</summary>
    internal static int[] Best(long[] counts, int q)
    {
        var score = new double[q, q];
        for (int h = 0; h < q; h++) for (int s = 0; s < q; s++) score[h, s] = counts[h * q + s];
        return Rsmi.Filters.FilterAlignment.MaximumAssignment(score);
    }
}
