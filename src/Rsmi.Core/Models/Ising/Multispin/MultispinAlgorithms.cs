namespace Rsmi.Models.Ising.Multispin;

/// <summary>
/// Names of the multispin algorithms: <c>multispin-metropolis</c> and <c>multispin-heatbath</c> (replicas in the lanes)
/// and <c>multispin-lattice-metropolis</c> and <c>multispin-lattice-heatbath</c> (one lattice, a strip per lane, see
/// <see cref="MultispinLattice2D"/>) use the widest word the hardware runs natively; a suffix <c>-64</c>, <c>-128</c>,
/// <c>-256</c> or <c>-512</c> fixes the width.
/// </summary>
public static class MultispinAlgorithms
{
    /// <summary>Metropolis on the widest accelerated word.</summary>
    public const string Metropolis = "multispin-metropolis";
    /// <summary>Heat bath on the widest accelerated word.</summary>
    public const string HeatBath = "multispin-heatbath";

    /// <summary>Metropolis on one lattice, widest accelerated word.</summary>
    public const string LatticeMetropolis = "multispin-lattice-metropolis";
    /// <summary>Heat bath on one lattice, widest accelerated word.</summary>
    public const string LatticeHeatBath = "multispin-lattice-heatbath";

    /// <summary>Every accepted replica-engine name: the two automatic ones, then each rule at each width.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [Metropolis, HeatBath, .. MultispinIsing.Widths.SelectMany(w => new[] { $"{Metropolis}-{w}", $"{HeatBath}-{w}" })];

    /// <summary>The names benchmarked by default: each rule at every width this machine runs natively.</summary>
    public static IEnumerable<string> AcceleratedNames() =>
        new[] { Metropolis, HeatBath }.SelectMany(r => MultispinIsing.Widths.Where(MultispinIsing.IsAccelerated).Select(w => $"{r}-{w}"));

    /// <summary>Every accepted single-lattice name: the two automatic ones, then each rule at each width.</summary>
    public static IReadOnlyList<string> LatticeNames { get; } =
        [LatticeMetropolis, LatticeHeatBath, .. MultispinIsing.Widths.SelectMany(w => new[] { $"{LatticeMetropolis}-{w}", $"{LatticeHeatBath}-{w}" })];

    /// <summary>The single-lattice names benchmarked by default: each rule at every width this machine runs natively.</summary>
    public static IEnumerable<string> AcceleratedLatticeNames() =>
        new[] { LatticeMetropolis, LatticeHeatBath }.SelectMany(r => MultispinIsing.Widths.Where(MultispinIsing.IsAccelerated).Select(w => $"{r}-{w}"));

    /// <summary>Whether <paramref name="algorithm"/> names a single-lattice multispin algorithm.</summary>
    public static bool IsLattice(string algorithm) => LatticeNames.Contains(algorithm);

    /// <summary>Rule and width (0 = widest accelerated) of a single-lattice multispin algorithm name.</summary>
    public static (MultispinRule Rule, int Width) ParseLattice(string algorithm)
    {
        Require.That(IsLattice(algorithm), $"unknown single-lattice multispin algorithm '{algorithm}'; known: {string.Join(", ", LatticeNames)}.");
        return Parse("multispin-" + algorithm["multispin-lattice-".Length..]);
    }

    /// <summary>The sizes a single-lattice algorithm accepts are the multiples of this: two rows per strip, one strip
    /// per lane.</summary>
    public static int LatticeSizeMultiple(string algorithm)
    {
        int width = ParseLattice(algorithm).Width;
        return 2 * (width == 0 ? MultispinIsing.WidestAccelerated : width);
    }

    /// <summary>The lattice for a single-lattice algorithm (see <see cref="MultispinLattice2D.Create"/> for the valid inputs).</summary>
    public static MultispinLattice2D CreateLattice(string algorithm, int size, double temperature, ulong seed)
    {
        var (rule, width) = ParseLattice(algorithm);
        return MultispinLattice2D.Create(size, temperature, rule, seed, width);
    }

    /// <summary>Whether <paramref name="algorithm"/> names a multispin (replica) algorithm.</summary>
    public static bool IsMultispin(string algorithm) => Names.Contains(algorithm);

    /// <summary>Rule and width (0 = widest accelerated) of a multispin algorithm name.</summary>
    public static (MultispinRule Rule, int Width) Parse(string algorithm)
    {
        Require.That(IsMultispin(algorithm), $"unknown multispin algorithm '{algorithm}'; known: {string.Join(", ", Names)}.");
        var rule = algorithm.StartsWith(HeatBath, StringComparison.Ordinal) ? MultispinRule.HeatBath : MultispinRule.Metropolis;
        string prefix = rule == MultispinRule.HeatBath ? HeatBath : Metropolis;
        int width = algorithm.Length == prefix.Length ? 0 : int.Parse(algorithm[(prefix.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return (rule, width);
    }

    /// <summary>An engine for <paramref name="algorithm"/> (see <see cref="MultispinIsing.Create(int, double, MultispinRule, ulong, int)"/> for the valid inputs).</summary>
    public static IMultispinIsing2D Create(string algorithm, int size, double temperature, ulong seed)
    {
        var (rule, width) = Parse(algorithm);
        return MultispinIsing.Create(size, temperature, rule, seed, width);
    }
}
