using Rsmi.Filters;
using Rsmi.Renormalization;

namespace Rsmi.Learning.Ensembles;

/// <summary>
/// The partition of a block's states by the coarse variables a deterministic rule gives them (docs/learning.md,
/// "Exact dominance"): two block states V, V′ are in one class when the rule maps them to the same H. When the
/// partition of rule A refines that of rule B (every class of A lies inside one class of B), H_B is a function of
/// H_A, so by the data-processing inequality I(H_B : E) ≤ I(H_A : E) for every distribution of the windows; a rule
/// whose classes are single states (an injective rule) keeps I(V : E), the largest value any rule can reach.
/// The comparison is exact, needs no samples and holds on data never seen.
/// </summary>
public sealed class BlockStatePartition
{
    /// <summary>Largest number of block states enumerated (2^16: a 4 × 4 block of spins, a 2 × 2 × 2 block of up to
    /// four labels).</summary>
    public const int MaxStates = 1 << 16;

    /// <summary>The class of each block state, numbered in order of first appearance. Block state s lists the sites'
    /// values in the block's row-major order with site 0 the least significant digit: for ±1 spins digit 0 is −1 and
    /// digit 1 is +1; for labels the digit is the label.</summary>
    public int[] ClassOf { get; }
    /// <summary>Number of classes: the number of distinct coarse states the rule gives on the block's states.</summary>
    public int Classes { get; }
    /// <summary>Number of block states, (site states)^|V|.</summary>
    public int States => ClassOf.Length;

    private BlockStatePartition(int[] classOf, int classes) { ClassOf = classOf; Classes = classes; }

    /// <summary>
    /// The partition of the rule of <paramref name="filters"/> applied as <paramref name="mode"/>; null when the rule
    /// is not a function of the block (<see cref="FilterMode.Sample"/>, or a tie — a_j = 0 for a binary unit, equal
    /// largest a_js for a categorical one — on some block state, which the rule breaks with a coin) or when the block
    /// has more than <see cref="MaxStates"/> states. The activations are summed in the order of the coarse-graining
    /// rules (<see cref="FilterBlockRule"/>, <see cref="LabelFilterBlockRule"/>), so a tie here is a tie there.
    /// </summary>
    public static BlockStatePartition? Of(FilterParameters filters, FilterMode mode)
    {
        if (mode != FilterMode.Sign) return null;
        int sites = filters.Visible, f = filters.FeaturesPerSite, siteStates = f == 1 ? 2 : f;
        long count = 1;
        for (int i = 0; i < sites; i++) { count *= siteStates; if (count > MaxStates) return null; }
        int rows = filters.StateRows, q = filters.HiddenStates, hidden = filters.Hidden;
        int bitsPerUnit = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(q - 1));
        if ((long)bitsPerUnit * hidden > 128) return null;
        var w = filters.Weights; var c = filters.Bias;
        int inputs = sites * f;
        var classOf = new int[count];
        var classes = new Dictionary<UInt128, int>();
        var digits = new int[sites];
        Span<double> a = stackalloc double[rows];
        for (int s = 0; s < count; s++)
        {
            for (int i = 0, rest = s; i < sites; i++) { digits[i] = rest % siteStates; rest /= siteStates; }
            UInt128 code = 0;
            for (int j = 0; j < hidden; j++)
            {
                for (int r = 0; r < rows; r++)
                {
                    int row = j * rows + r, offset = row * inputs;
                    double sum = c[row];
                    if (f == 1) for (int i = 0; i < sites; i++) sum += w[offset + i] * (digits[i] == 1 ? 1.0 : -1.0);
                    else for (int i = 0; i < sites; i++) sum += w[offset + i * f + digits[i]];
                    a[r] = sum;
                }
                int state;
                if (rows == 1)
                {
                    if (a[0] == 0) return null;
                    state = a[0] > 0 ? 1 : 0;
                }
                else
                {
                    state = 0; bool tie = false;
                    for (int r = 1; r < rows; r++)
                    {
                        if (a[r] > a[state]) { state = r; tie = false; }
                        else if (a[r] == a[state]) tie = true;
                    }
                    if (tie) return null;
                }
                code |= (UInt128)(uint)state << (j * bitsPerUnit);
            }
            if (!classes.TryGetValue(code, out int k)) { k = classes.Count; classes.Add(code, k); }
            classOf[s] = k;
        }
        return new BlockStatePartition(classOf, classes.Count);
    }

    /// <summary>Whether every class of this partition lies inside one class of <paramref name="other"/> (the
    /// partitions of one block's states): then the other rule's H is a function of this rule's H.</summary>
    public bool Refines(BlockStatePartition other)
    {
        if (other.States != States) throw new ArgumentException("the partitions are of different blocks.", nameof(other));
        var image = new int[Classes];
        Array.Fill(image, -1);
        for (int s = 0; s < ClassOf.Length; s++)
        {
            ref int o = ref image[ClassOf[s]];
            if (o == -1) o = other.ClassOf[s];
            else if (o != other.ClassOf[s]) return false;
        }
        return true;
    }

    /// <summary>Whether this partition strictly refines <paramref name="other"/>: it refines it and has more classes,
    /// so the other rule's information is never larger and this one's is never smaller.</summary>
    public bool StrictlyRefines(BlockStatePartition other) => Classes > other.Classes && Refines(other);
}
