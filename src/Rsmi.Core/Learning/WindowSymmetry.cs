using Rsmi.Data;
using Rsmi.Lattices;
using Rsmi.Models;
using Rsmi.Regions;

namespace Rsmi.Learning;

/// <summary>
/// The point-group images of RSMI windows. A square window (b×b block, square annulus) is mapped onto itself by the
/// eight elements of D4 about its centre, a cubic window (b×b×b block, cubic shells) by the 48 elements of the full
/// cubic group O_h, a chain window by the reflection (the point group of the lattice,
/// <see cref="PointGroupElement.Group"/>); for a model whose Hamiltonian has that
/// symmetry (the Ising model on the chain, the square or the cubic lattice) every image of a window is exactly as
/// probable as the window itself, so adding the images to the training set of the RBMs enlarges it without changing
/// the distribution they learn. (Not valid for images with sublattice structure, e.g. the dimer encoding.)
/// </summary>
public static class WindowSymmetry
{
    /// <summary>
    /// For each symmetry element g, the permutations of V and E indices: image[k] = original[perm[k]].
    /// Square windows need a square block, cubic windows a cubic one.
    /// </summary>
    public static (int[] Visible, int[] Environment)[] Permutations(WindowGeometry geometry)
    {
        Require.That(IsSymmetric(geometry), geometry.Dimension == 3 ? "window symmetrisation needs a cubic block." : "window symmetrisation needs a square block.");
        // coordinates doubled so that the centre is an integer: X = 2dx − (bx − 1)
        var elements = PointGroupElement.Group(geometry.Dimension);
        int cx = geometry.BlockX - 1, cy = geometry.BlockY - 1, cz = geometry.BlockZ - 1;
        int[] Map((int Dx, int Dy, int Dz)[] offsets, PointGroupElement g)
        {
            var index = new Dictionary<(int, int, int), int>();
            for (int k = 0; k < offsets.Length; k++) index[(2 * offsets[k].Dx - cx, 2 * offsets[k].Dy - cy, 2 * offsets[k].Dz - cz)] = k;
            var perm = new int[offsets.Length];
            Span<int> image = stackalloc int[3];
            for (int k = 0; k < offsets.Length; k++)
            {
                g.Apply([2 * offsets[k].Dx - cx, 2 * offsets[k].Dy - cy, 2 * offsets[k].Dz - cz], image);
                perm[k] = index[(image[0], image[1], image[2])];
            }
            return perm;
        }
        return elements.Select(g => (Map(geometry.VisibleOffsets, g), Map(geometry.EnvironmentOffsets, g))).ToArray();
    }

    /// <summary>Whether the window's point group maps it onto itself: a chain window, or a block with equal sides.</summary>
    public static bool IsSymmetric(WindowGeometry geometry) => geometry.Dimension switch
    {
        1 => true,
        2 => geometry.BlockX == geometry.BlockY,
        _ => geometry.BlockX == geometry.BlockY && geometry.BlockY == geometry.BlockZ,
    };

    /// <summary>|G|: the number of images of a window, the identity included (2 for a chain, 8 for a square window, 48 for a cubic one).</summary>
    public static int Order(WindowGeometry geometry) => PointGroupElement.Group(geometry.Dimension).Count;

    /// <summary>
    /// Whether every window of <paramref name="samples"/> is exactly as probable as each of its images under the
    /// window's point group, so that adding the images changes only the noise of what is learned from them: the
    /// samples are configurations of a model of <see cref="ModelCatalog.Default"/> (their <c>model</c> attribute) that
    /// declares <see cref="IModel.PointGroupSymmetric"/>, drawn from the model itself (no <c>rg_step</c>: coarse-grained
    /// configurations are only as symmetric as the rule that made them), on a lattice of the model's dimension that the
    /// group maps onto itself (a square one in 2D, a cube in 3D), and the window is a chain window or has a square
    /// (cubic) block.
    /// </summary>
    public static bool Holds(SampleSet samples, WindowGeometry geometry)
    {
        var model = ModelCatalog.Default.Find(samples.Metadata.Model);
        if (model is null || !model.PointGroupSymmetric || (samples.Metadata.GetLong("rg_step") ?? 0) != 0) return false;
        if (model.Dimension != geometry.Dimension || samples.Rank != geometry.Dimension) return false;
        return geometry.Dimension switch
        {
            1 => true,
            2 => IsSymmetric(geometry) && samples.Lx == samples.Ly,
            _ => IsSymmetric(geometry) && samples.Lx == samples.Ly && samples.Ly == samples.Lz,
        };
    }

    /// <summary>The windows followed by all their symmetry images (|G| × Count rows; the identity first).</summary>
    public static Windows Augment(Windows windows, WindowGeometry geometry)
    {
        Require.That(windows.VisibleSize == geometry.VisibleSize && windows.EnvironmentSize == geometry.EnvironmentSize, "the windows do not match the geometry.");
        var perms = Permutations(geometry);
        int n = windows.Count, nv = windows.VisibleSize, ne = windows.EnvironmentSize;
        var vis = new sbyte[(long)perms.Length * n * nv];
        var env = new sbyte[(long)perms.Length * n * ne];
        Parallel.For(0, perms.Length, g =>
        {
            var (pv, pe) = perms[g];
            for (int w = 0; w < n; w++)
            {
                var v = windows.VisibleRow(w); var e = windows.EnvironmentRow(w);
                long row = (long)g * n + w;
                for (int k = 0; k < nv; k++) vis[row * nv + k] = v[pv[k]];
                for (int k = 0; k < ne; k++) env[row * ne + k] = e[pe[k]];
            }
        });
        return new Windows { Count = perms.Length * n, VisibleSize = nv, EnvironmentSize = ne, Visible = vis, Environment = env };
    }
}
