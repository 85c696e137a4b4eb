using Rsmi.Data;
using Rsmi.Renormalization;

namespace Rsmi.Models.Ising;

/// <summary>
/// The operators of the 2D Ising model for Swendsen's Monte Carlo RG and two-lattice matching: the even spin products
/// of <see cref="EvenOperators"/> and the odd ones of <see cref="OddOperators"/>, on L × L tori of ±1 spins; the
/// magnetisation is a scalar, so every odd operator has one component.
/// </summary>
public sealed class IsingSquareOperators : IRgOperators
{
    /// <summary>The operators.</summary>
    public static IsingSquareOperators Instance { get; } = new();

    private IsingSquareOperators() { }

    /// <inheritdoc />
    public IReadOnlyList<string> EvenNames => EvenOperators.Names;
    /// <inheritdoc />
    public IReadOnlyList<string> OddNames => OddOperators.Names;
    /// <inheritdoc />
    public int UsableEven(int size, int wanted) => EvenOperators.UsableOn(size, wanted);
    /// <inheritdoc />
    public int UsableOdd(int size, int wanted) => OddOperators.UsableOn(size, wanted);
    /// <inheritdoc />
    public void Validate(SampleSet samples, string what) => IsingThermometer.Validate(samples, what);
    /// <inheritdoc />
    public int OddComponents(SampleSet samples) => 1;
    /// <inheritdoc />
    public double[] MeasureEven(SampleSet samples, int operators) => SwendsenMcrg.MeasureAll(samples, operators);
    /// <inheritdoc />
    public double[] MeasureOdd(SampleSet samples, int operators) => SwendsenMcrg.MeasureAllOdd(samples, operators);
    /// <summary>The couplings of the first <see cref="Renormalization.EffectiveCouplings.DefaultOperators"/> even operators usable on the lattice.</summary>
    public EffectiveCouplingResult? EffectiveCouplings(SampleSet samples, int jackknifeBlocks) =>
        Renormalization.EffectiveCouplings.Estimate(samples, EvenOperators.UsableOn(samples.Lx, Renormalization.EffectiveCouplings.DefaultOperators), jackknifeBlocks);
}
