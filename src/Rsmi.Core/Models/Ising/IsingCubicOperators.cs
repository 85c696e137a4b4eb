using Rsmi.Data;
using Rsmi.Renormalization;
using Rsmi.States;

namespace Rsmi.Models.Ising;

/// <summary>
/// The operators of the 3D Ising model for Swendsen's Monte Carlo RG and two-lattice matching (docs/algorithm.md,
/// "3D Ising operators"): the even spin products of <see cref="CubicOperators.Even"/> (nearest neighbour, face and body
/// diagonals, second neighbour along an axis, plaquette, knight) for y_t and the odd ones of
/// <see cref="CubicOperators.Odd"/> (magnetisation, corner triple, straight triple, cross) for y_h, on periodic
/// L × L × L lattices of ±1 spins; the magnetisation is a scalar, so every odd operator has one component.
/// </summary>
public sealed class IsingCubicOperators : IRgOperators
{
    /// <summary>The operators.</summary>
    public static IsingCubicOperators Instance { get; } = new();

    private IsingCubicOperators() { }

    /// <inheritdoc />
    public IReadOnlyList<string> EvenNames => CubicOperators.Even.Names;
    /// <inheritdoc />
    public IReadOnlyList<string> OddNames => CubicOperators.Odd.Names;
    /// <inheritdoc />
    public int UsableEven(int size, int wanted) => CubicOperators.Even.UsableOn(size, wanted);
    /// <inheritdoc />
    public int UsableOdd(int size, int wanted) => CubicOperators.Odd.UsableOn(size, wanted);

    /// <inheritdoc />
    public void Validate(SampleSet samples, string what)
    {
        Require.That(samples.States() is IsingSpins, $"the 3D Ising operators need ±1 spins, but {what} hold {samples.States().ValuesText}.");
        Require.That(samples.Rank == 3 && samples.Lx == samples.Ly && samples.Ly == samples.Lz,
            $"the 3D Ising operators need cubic L×L×L configurations, but {what} have shape ({string.Join(", ", samples.SiteShape)}).");
    }

    /// <inheritdoc />
    public int OddComponents(SampleSet samples) => 1;

    /// <summary>
    /// The deepest level, with the level systematic of ω = <see cref="Exact.Ising3D.CorrectionExponent"/> (Hasenbusch
    /// 2010; docs/references.md): b = 2 blocks shrink the distance from the fixed point only by 2^{−ω} ≈ 0.56 per step,
    /// so the first levels' estimates are far from it (docs/algorithm.md, "3D Ising operators").
    /// </summary>
    public McrgLevelCombination LevelCombination { get; } = new DeepestLevelCombination(Exact.Ising3D.CorrectionExponent);

    /// <inheritdoc />
    public double[] MeasureEven(SampleSet samples, int operators) => Measure(CubicOperators.Even, samples, operators);

    /// <inheritdoc />
    public double[] MeasureOdd(SampleSet samples, int operators) => Measure(CubicOperators.Odd, samples, operators);

    /// <summary>The first <paramref name="operators"/> of <paramref name="set"/> on every configuration: count × operators values.</summary>
    private static double[] Measure(CubicOperatorSet set, SampleSet samples, int operators)
    {
        var values = new double[samples.Count * operators];
        int l = samples.Lx;
        Parallel.For(0, samples.Count, n => set.Measure(samples.Configuration(n), l, values.AsSpan(n * operators, operators)));
        return values;
    }
}
