using Rsmi.Filters;
using Rsmi.Data;
using Rsmi.Random;
using Rsmi.Models;
using Rsmi.States;

namespace Rsmi.Renormalization;

/// <summary>
/// A real-space RG coarse-graining rule: tiles an L_y × L_x configuration with non-overlapping bx × by blocks
/// (an L_z × L_y × L_x one with bx × by × bz blocks) and replaces each block by N_h coarse spins (docs/algorithm.md,
/// "Coarse-graining"). For N_h = 1 the result is an (L_y/by) × (L_x/bx) configuration ((L_z/bz) × (L_y/by) × (L_x/bx)
/// on cubic lattices); for N_h &gt; 1 the coarse spins of block (X, Y) sit at row Y, columns
/// X·N_h … X·N_h + N_h − 1, so the coarse array has shape (L_y/by, N_h·L_x/bx) (and (L_z/bz, L_y/by, N_h·L_x/bx) on
/// cubic lattices).
/// </summary>
public interface ICoarseGrainingRule
{
    /// <summary>Short name: <c>majority</c>, <c>decimation</c>, or the estimator that learned the filters.</summary>
    string Name { get; }
    /// <summary>Block width bx.</summary>
    int BlockX { get; }
    /// <summary>Block height by.</summary>
    int BlockY { get; }
    /// <summary>Coarse spins per block N_h.</summary>
    int Hidden { get; }
    /// <summary>Whether the rule draws random numbers (tie-breaks count).</summary>
    bool IsStochastic { get; }

    /// <summary>
    /// Coarse-grains every block of every configuration of <paramref name="samples"/> (2D, or 3D where the rule takes
    /// cubes: majority and decimation on b × b × b blocks, learned filters of a cubic block; sides divisible by the
    /// block). Configuration n uses random stream (<paramref name="seed"/>, n), so the result does not depend on
    /// <paramref name="maxThreads"/>. Metadata: the parent's, with <c>rg_step</c> = parent's + 1 and <c>rg_rule</c>.
    /// </summary>
    SampleSet CoarseGrain(SampleSet samples, ulong seed, int maxThreads = -1);
}

/// <summary>Shared engine of the coarse-graining rules.</summary>
public static class CoarseGrainer
{
    /// <summary>Purpose string of the random streams used for coarse-graining.</summary>
    public const string StreamPurpose = "coarse-grain";

    /// <summary>Checks that <paramref name="samples"/> can be tiled by bx × by blocks; throws <see cref="RsmiInputException"/> otherwise.</summary>
    public static void Validate(SampleSet samples, int bx, int by)
    {
        Require.That(samples.Rank == 2, $"coarse-graining needs square-lattice configurations of shape (N, Ly, Lx), got configurations of rank {samples.Rank}.");
        Require.That(samples.Lx % bx == 0 && samples.Ly % by == 0,
            $"the block {bx}x{by} does not divide the lattice {samples.Lx}x{samples.Ly}.");
        Require.That(samples.Lx / bx >= 1 && samples.Ly / by >= 1, "the lattice is smaller than one block.");
    }

    /// <summary>Checks that cubic-lattice <paramref name="samples"/> can be tiled by bx × by × bz blocks; throws <see cref="RsmiInputException"/> otherwise.</summary>
    public static void Validate(SampleSet samples, int bx, int by, int bz)
    {
        Require.That(samples.Rank == 3, $"coarse-graining with {bx}x{by}x{bz} blocks needs cubic-lattice configurations of shape (N, Lz, Ly, Lx), got configurations of rank {samples.Rank}.");
        Require.That(samples.Lx % bx == 0 && samples.Ly % by == 0 && samples.Lz % bz == 0,
            $"the block {bx}x{by}x{bz} does not divide the lattice {samples.Lx}x{samples.Ly}x{samples.Lz}.");
    }

    /// <summary>
    /// Applies <paramref name="rule"/> to every bx × by block of square-lattice configurations; see
    /// <see cref="ICoarseGrainingRule.CoarseGrain"/>. Inputs must have been checked with <see cref="Validate(SampleSet, int, int)"/>.
    /// </summary>
    public static SampleSet Apply<TRule>(SampleSet samples, TRule rule, int bx, int by, int hidden, ulong seed, string ruleName, int maxThreads = -1)
        where TRule : struct, IBlockRule
    {
        Validate(samples, bx, by);
        return Tile(samples, rule, bx, by, 1, hidden, seed, ruleName, $"{bx}x{by}", maxThreads);
    }

    /// <summary>
    /// Applies <paramref name="rule"/> to every bx × by × bz block of cubic-lattice configurations, blocks in the order
    /// of the coarse sites (x fastest, then y, then z), each block's spins row-major (z, then y, then x; the order of
    /// <see cref="Rsmi.Lattices.BlockTiling"/> and of the 3D filters). Inputs must have been checked with
    /// <see cref="Validate(SampleSet, int, int, int)"/>.
    /// </summary>
    public static SampleSet ApplyCubic<TRule>(SampleSet samples, TRule rule, int bx, int by, int bz, int hidden, ulong seed, string ruleName, int maxThreads = -1)
        where TRule : struct, IBlockRule
    {
        Validate(samples, bx, by, bz);
        return Tile(samples, rule, bx, by, bz, hidden, seed, ruleName, $"{bx}x{by}x{bz}", maxThreads);
    }

    private static SampleSet Tile<TRule>(SampleSet samples, TRule rule, int bx, int by, int bz, int hidden, ulong seed, string ruleName, string blockName, int maxThreads)
        where TRule : struct, IBlockRule
    {
        bool cubic = samples.Rank == 3;
        int lx = samples.Lx, ly = samples.Ly;
        int cx = lx / bx, cy = ly / by, cz = cubic ? samples.Lz / bz : 1;
        int coarseSites = cx * cy * cz * hidden;
        var output = new sbyte[(long)samples.Count * coarseSites];
        sbyte[] input = samples.Data;
        int fineSites = samples.Sites;
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxThreads };
        Parallel.For(0, samples.Count, options,
            () => new sbyte[bx * by * bz],
            (n, _, block) =>
            {
                var rng = RandomStreams.Create(seed, (ulong)n, StreamPurpose);
                CoarseGrainOne(input.AsSpan(n * fineSites, fineSites), output.AsSpan(n * coarseSites, coarseSites), rule, lx, ly, bx, by, bz, cx, cy, cz, hidden, block, ref rng);
                return block;
            },
            _ => { });

        var meta = samples.Metadata.Clone();
        long parentStep = samples.Metadata.GetLong("rg_step") ?? 0;
        meta.Set("rg_step", parentStep + 1);
        meta.Set("rg_rule", ruleName);
        meta.Set("rg_block", blockName);
        meta.Set("rg_seed", (long)seed);
        meta.Set("tau_int", null);
        meta.RsmiVersion = RsmiVersion.Current;
        return new SampleSet(samples.Count, cubic ? [cz, cy, cx * hidden] : [cy, cx * hidden], output, meta);
    }

    private static void CoarseGrainOne<TRule, TRandom>(ReadOnlySpan<sbyte> fine, Span<sbyte> coarse, TRule rule, int lx, int ly, int bx, int by, int bz,
        int cx, int cy, int cz, int hidden, sbyte[] block, ref TRandom rng)
        where TRule : struct, IBlockRule where TRandom : struct, IRandomSource
    {
        for (int z = 0; z < cz; z++)
        for (int y = 0; y < cy; y++)
        for (int x = 0; x < cx; x++)
        {
            int k = 0;
            for (int dz = 0; dz < bz; dz++)
            for (int dy = 0; dy < by; dy++)
            {
                var row = fine.Slice(((z * bz + dz) * ly + y * by + dy) * lx + x * bx, bx);
                for (int dx = 0; dx < bx; dx++) block[k++] = row[dx];
            }
            rule.Apply(block, coarse.Slice(((z * cy + y) * cx + x) * hidden, hidden), ref rng);
        }
    }
}

/// <summary>Majority rule on b × b blocks, b × b × b blocks of cubic lattices (fair coin for ties); N_h = 1. On q-state
/// labels (samples whose model's state space is <see cref="PottsLabels"/>) it is the plurality rule, ties broken
/// uniformly among the tied labels.</summary>
public sealed class MajorityRule(int block = 2) : ICoarseGrainingRule
{
    /// <inheritdoc />
    public string Name => "majority";
    /// <inheritdoc />
    public int BlockX { get; } = Checked(block);
    /// <inheritdoc />
    public int BlockY => BlockX;
    /// <inheritdoc />
    public int Hidden => 1;
    /// <inheritdoc />
    public bool IsStochastic => BlockX * BlockY % 2 == 0;
    /// <inheritdoc />
    public SampleSet CoarseGrain(SampleSet samples, ulong seed, int maxThreads = -1)
        => ModelCatalog.Default.Find(samples.Metadata.Model)?.StatesFor(samples.Metadata) is PottsLabels labels
            ? CoarseGrainer.Apply(samples, new PluralityBlockRule(labels.States), BlockX, BlockY, 1, seed, "plurality", maxThreads)
            : samples.Rank == 3
            ? CoarseGrainer.ApplyCubic(samples, new MajorityBlockRule(), BlockX, BlockX, BlockX, 1, seed, Name, maxThreads)
            : CoarseGrainer.Apply(samples, new MajorityBlockRule(), BlockX, BlockY, 1, seed, Name, maxThreads);

    internal static int Checked(int b) { Require.That(b >= 2, $"the block size must be at least 2, got {b}."); return b; }
}

/// <summary>Decimation on b × b blocks (b × b × b blocks of cubic lattices): the first spin of each block (its corner
/// of smallest x, y, z; top-left in 2D) survives; N_h = 1.</summary>
public sealed class DecimationRule(int block = 2) : ICoarseGrainingRule
{
    /// <inheritdoc />
    public string Name => "decimation";
    /// <inheritdoc />
    public int BlockX { get; } = MajorityRule.Checked(block);
    /// <inheritdoc />
    public int BlockY => BlockX;
    /// <inheritdoc />
    public int Hidden => 1;
    /// <inheritdoc />
    public bool IsStochastic => false;
    /// <inheritdoc />
    public SampleSet CoarseGrain(SampleSet samples, ulong seed, int maxThreads = -1) => samples.Rank == 3
        ? CoarseGrainer.ApplyCubic(samples, new DecimationBlockRule(), BlockX, BlockX, BlockX, 1, seed, Name, maxThreads)
        : CoarseGrainer.Apply(samples, new DecimationBlockRule(), BlockX, BlockY, 1, seed, Name, maxThreads);
}

/// <summary>
/// The rule of learned filters λ (N_h × bx·by, or N_h × bx·by·bz for a cubic block, row-major over the block) and biases c: stochastic
/// (h ~ P_Λ(h|V), P(h_j = +1) = σ(2a_j), a_j = Σ_i λ_ij v_i + c_j) or sign(a) — see <see cref="FilterBlockRule"/>.
/// </summary>
public sealed class LearnedFilterRule : ICoarseGrainingRule
{
    private readonly FilterParameters _filters;

    /// <summary>
    /// Filters for bx × by blocks: row j of <paramref name="filters"/> is λ_j over the block sites (row-major), its
    /// bias c_j. All values finite. The rule keeps its own copy.
    /// </summary>
    public LearnedFilterRule(FilterParameters filters, int blockX, int blockY, FilterMode mode = FilterMode.Sample, string estimator = "learned")
    {
        Require.That(blockX >= 1 && blockY >= 1, $"the filter block must be at least 1x1, got {blockX}x{blockY}.");
        int v = blockX * blockY;
        Require.That(filters.Visible == v, $"each filter row must have {v} weights for a {blockX}x{blockY} block, got {filters.Visible}.");
        Require.That(filters.Weights.All(double.IsFinite) && filters.Bias.All(double.IsFinite), "the filter weights and biases must be finite numbers.");
        _filters = filters.Clone();
        BlockX = blockX; BlockY = blockY; Hidden = filters.Hidden; Mode = mode; Name = estimator;
    }

    /// <summary>
    /// Filters for bx × by × bz blocks of cubic lattices: row j of <paramref name="filters"/> is λ_j over the block
    /// sites (row-major: z, then y, then x), its bias c_j. All values finite. The rule keeps its own copy.
    /// </summary>
    public LearnedFilterRule(FilterParameters filters, int blockX, int blockY, int blockZ, FilterMode mode = FilterMode.Sample, string estimator = "learned")
    {
        Require.That(blockX >= 1 && blockY >= 1 && blockZ >= 1, $"the filter block must be at least 1x1x1, got {blockX}x{blockY}x{blockZ}.");
        int v = blockX * blockY * blockZ;
        Require.That(filters.Visible == v, $"each filter row must have {v} weights for a {blockX}x{blockY}x{blockZ} block, got {filters.Visible}.");
        Require.That(filters.IsSpinFilter, "coarse-graining cubic lattices takes spin filters (binary units on ±1 spins).");
        Require.That(filters.Weights.All(double.IsFinite) && filters.Bias.All(double.IsFinite), "the filter weights and biases must be finite numbers.");
        _filters = filters.Clone();
        BlockX = blockX; BlockY = blockY; BlockZ = blockZ; Hidden = filters.Hidden; Mode = mode; Name = estimator;
    }

    /// <summary>The rule of a filters file (docs/contract.md, "Filters files"); <paramref name="source"/> names the file in error messages.</summary>
    public static LearnedFilterRule From(Rsmi.Filters.FilterSet filters, FilterMode mode = FilterMode.Sample, string source = "the filters file")
    {
        var f = filters.Filters;
        Require.That(f.Visible == filters.BlockSize && filters.Weights.Length == filters.Hidden * f.StateRows * f.Inputs && filters.Bias.Length == filters.Hidden * f.StateRows,
            $"{source} holds {filters.Weights.Length} weights and {filters.Bias.Length} biases, which do not match {filters.Hidden} hidden units of a {string.Join("x", filters.Block)} block.");
        Require.That(filters.BlockZ is null || f.IsSpinFilter,
            $"{source} holds filters of a cubic block that give labels; coarse-graining cubic lattices takes spin filters (one binary unit per coarse spin, on ±1 spins).");
        return filters.BlockZ is int bz
            ? new LearnedFilterRule(filters.Filters, filters.BlockX, filters.BlockY, bz, mode, filters.Estimator)
            : new LearnedFilterRule(filters.Filters, filters.BlockX, filters.BlockY, mode, filters.Estimator);
    }

    /// <inheritdoc />
    public string Name { get; }
    /// <inheritdoc />
    public int BlockX { get; }
    /// <inheritdoc />
    public int BlockY { get; }
    /// <summary>Block depth bz of filters learned on a cubic lattice; null for square-lattice filters.</summary>
    public int? BlockZ { get; }
    /// <inheritdoc />
    public int Hidden { get; }
    /// <summary>Sampling or sign mode.</summary>
    public FilterMode Mode { get; }
    /// <inheritdoc />
    public bool IsStochastic => true;
    /// <summary>λ and c (a copy).</summary>
    public FilterParameters Filters => _filters.Clone();

    /// <summary>
    /// The coarse configurations. Spin filters (<see cref="FilterParameters.IsSpinFilter"/>) give ±1 spins; filters of
    /// q-state labels or with categorical units give labels (<see cref="LabelFilterBlockRule"/>), and the output is then
    /// described as a Potts configuration with q = q_h, the number of states of a hidden unit.
    /// </summary>
    public SampleSet CoarseGrain(SampleSet samples, ulong seed, int maxThreads = -1)
    {
        string name = Mode == FilterMode.Sign ? Name + "-sign" : Name;
        if (_filters.IsSpinFilter)
        {
            var rule = new FilterBlockRule(_filters.Weights, _filters.Bias, _filters.Visible, Mode);
            return BlockZ is int bz
                ? CoarseGrainer.ApplyCubic(samples, rule, BlockX, BlockY, bz, Hidden, seed, name, maxThreads)
                : CoarseGrainer.Apply(samples, rule, BlockX, BlockY, Hidden, seed, name, maxThreads);
        }
        var coarse = CoarseGrainer.Apply(samples, new LabelFilterBlockRule(_filters, Mode), BlockX, BlockY, Hidden, seed, name, maxThreads);
        ModelCatalog.Potts2D.DescribeLabels(coarse.Metadata, _filters.HiddenStates);
        return coarse;
    }
}
