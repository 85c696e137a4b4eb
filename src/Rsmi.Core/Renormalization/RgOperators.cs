using Rsmi.Data;

namespace Rsmi.Renormalization;

/// <summary>
/// The short-range operators of a model that Swendsen's Monte Carlo RG (<see cref="SwendsenMcrg"/>) and two-lattice
/// matching (<see cref="TwoLatticeMatching"/>) measure on every level of a flow (docs/algorithm.md, "Monte Carlo
/// renormalization group"): sums over the lattice of local functions of the configuration, invariant under the
/// model's symmetry group (the even sector) or transforming like its order parameter (the odd sector). Each sector is
/// ordered from the most to the least relevant coupling, so that truncating it to its first k operators is
/// meaningful. A model whose order parameter has several components (the q components of the Potts order parameter)
/// measures every odd operator once per component; the moments of <see cref="SwendsenMcrg"/> are then summed over
/// the components, each a row of its own, which is the symmetric estimator of the connected correlations when the
/// components are equivalent under the symmetry (docs/algorithm.md, "Potts operators").
/// </summary>
public interface IRgOperators
{
    /// <summary>Names of the even operators, in order (flow.json).</summary>
    IReadOnlyList<string> EvenNames { get; }
    /// <summary>Names of the odd operators, in order.</summary>
    IReadOnlyList<string> OddNames { get; }
    /// <summary>How many of the first <paramref name="wanted"/> even operators are distinct on a lattice of side <paramref name="size"/> (at least 1).</summary>
    int UsableEven(int size, int wanted);
    /// <summary>How many of the first <paramref name="wanted"/> odd operators are distinct on a lattice of side <paramref name="size"/> (at least 1).</summary>
    int UsableOdd(int size, int wanted);
    /// <summary>Checks that the operators can be measured on <paramref name="samples"/> (shape and states); throws <see cref="RsmiInputException"/> naming <paramref name="what"/>.</summary>
    void Validate(SampleSet samples, string what);
    /// <summary>Components of the odd operators on <paramref name="samples"/> (1 for a scalar order parameter).</summary>
    int OddComponents(SampleSet samples);
    /// <summary>The first <paramref name="operators"/> even operators of every configuration: count × operators values.</summary>
    double[] MeasureEven(SampleSet samples, int operators);
    /// <summary>
    /// The first <paramref name="operators"/> odd operators of every configuration and component: (count ×
    /// components) × operators values, the rows of configuration n being n·components … (n + 1)·components − 1.
    /// </summary>
    double[] MeasureOdd(SampleSet samples, int operators);
    /// <summary>
    /// The effective couplings of <paramref name="samples"/> on the model's leading even operators
    /// (<see cref="Renormalization.EffectiveCouplings"/>), with jackknife errors over <paramref name="jackknifeBlocks"/>
    /// blocks, or null when the model has no such estimator.
    /// </summary>
    EffectiveCouplingResult? EffectiveCouplings(SampleSet samples, int jackknifeBlocks) => null;
    /// <summary>
    /// How the MCRG levels of a flow make its estimates of ν and y_h (<see cref="McrgLevelCombination"/>): by default the
    /// average over the levels n ≥ 1, which suits models whose linearised RG reaches its fixed point within a step or two.
    /// </summary>
    McrgLevelCombination LevelCombination => McrgLevelCombination.Average;
}

/// <summary>How <see cref="SwendsenMcrg"/> makes one estimate of ν and y_h from the estimates of its levels.</summary>
public abstract record McrgLevelCombination
{
    /// <summary>The average over the levels n ≥ 1 with a coarse lattice of at least 8 on a side (<see cref="SwendsenMcrg.CombinedLevels"/>).</summary>
    public static McrgLevelCombination Average { get; } = new AverageOfLevels();

    /// <summary>Name in flow.json.</summary>
    public abstract string Name { get; }

    private sealed record AverageOfLevels : McrgLevelCombination
    {
        public override string Name => "average";
    }
}

/// <summary>
/// The estimate of the deepest level (the last whose coarse lattice is at least 8 on a side), for models whose
/// linearised RG approaches its fixed point slowly: near the fixed point an estimate moves from level to level as
/// X_n = X* + a r^n with r = b^{−ω}, ω the leading correction-to-scaling exponent, so an average over levels leans
/// towards the first, worst one. The deepest estimate still lies about |X_n − X_{n−1}|·r/(1 − r) from X*; that amount
/// is its level systematic, added in quadrature to its jackknife error (docs/algorithm.md, "3D Ising operators").
/// </summary>
/// <param name="Omega">ω of the model's universality class (&gt; 0).</param>
public sealed record DeepestLevelCombination(double Omega) : McrgLevelCombination
{
    /// <inheritdoc />
    public override string Name => "deepest-level";

    /// <summary>r/(1 − r) with r = b^{−ω}: the remaining distance from the fixed point in units of the last step's change.</summary>
    public double TailFactor(int block)
    {
        double r = Math.Pow(block, -Omega);
        return r / (1 - r);
    }
}
