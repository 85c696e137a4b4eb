using System.Runtime.CompilerServices;
using Rsmi.Random;

namespace Rsmi.Learning.InfoNce;

/// <summary>
/// The relaxed Bernoulli ("binary Concrete", Gumbel-sigmoid) sample of a ±1 unit (Maddison, Mnih &amp; Teh,
/// ICLR 2017; Jang, Gu &amp; Poole, ICLR 2017). With logit z = 2a (so that P(h = +1) = σ(2a), docs/algorithm.md, "The coarse-graining rule")
/// and logistic noise ℓ = log U − log(1 − U), U ~ Uniform(0, 1):
/// the hard sample is h = sign(z + ℓ), exactly distributed as P(h = +1) = σ(z);
/// the relaxed sample is h̃ = 2σ((z + ℓ)/τ) − 1 ∈ (−1, 1), differentiable in a with
/// ∂h̃/∂a = 4 y(1 − y)/τ where y = σ((z + ℓ)/τ), and h̃ → h as τ → 0.
/// </summary>
public static class RelaxedBernoulli
{
    private const double InvTwo53 = 1.0 / (1UL << 53);

    /// <summary>A logistic variate log U − log(1 − U) with U uniform in the open interval (0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LogisticNoise<TRandom>(ref TRandom rng) where TRandom : struct, IRandomSource
    {
        double u = ((rng.NextUInt64() >> 11) + 0.5) * InvTwo53;
        return Math.Log(u) - Math.Log(1.0 - u);
    }

    /// <summary>The logistic function σ(t) = 1/(1 + e^{−t}).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sigmoid(double t) => 1.0 / (1.0 + Math.Exp(-t));

    /// <summary>y = σ((2a + ℓ)/τ); the relaxed spin is 2y − 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RelaxedUp(double a, double noise, double temperature) => Sigmoid((2.0 * a + noise) / temperature);

    /// <summary>The hard sample sign(2a + ℓ) as ±1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Hard(double a, double noise) => 2.0 * a + noise >= 0 ? 1.0 : -1.0;
}

/// <summary>How the relaxation temperature τ goes from <see cref="TemperatureSchedule.Start"/> to <see cref="TemperatureSchedule.End"/> during training.</summary>
public enum AnnealingKind
{
    /// <summary>Geometric: τ = τ₀ (τ₁/τ₀)^s.</summary>
    Exponential,
    /// <summary>Linear: τ = τ₀ + (τ₁ − τ₀) s.</summary>
    Linear,
}

/// <summary>
/// The annealing schedule of τ: s = min(1, step / (fraction · steps)) runs from 0 to 1 over the first
/// <see cref="AnnealFraction"/> of training, after which τ stays at <see cref="End"/>. RSMI-NE anneals ~0.75 → ~0.1.
/// </summary>
/// <param name="Start">Initial temperature τ₀ &gt; 0.</param>
/// <param name="End">Final temperature τ₁ &gt; 0.</param>
/// <param name="Kind">Exponential or linear interpolation.</param>
/// <param name="AnnealFraction">Fraction of the steps spent annealing, in (0, 1].</param>
public sealed record TemperatureSchedule(double Start = 0.75, double End = 0.1, AnnealingKind Kind = AnnealingKind.Exponential, double AnnealFraction = 0.8)
{
    /// <summary>τ at <paramref name="step"/> of <paramref name="steps"/>.</summary>
    public double At(int step, int steps)
    {
        double s = Math.Min(1.0, step / Math.Max(1.0, AnnealFraction * steps));
        return Kind == AnnealingKind.Exponential ? Start * Math.Pow(End / Start, s) : Start + (End - Start) * s;
    }

    /// <summary>Throws <see cref="RsmiInputException"/> for an invalid schedule.</summary>
    public void Validate()
    {
        Require.Positive(Start, "initial temperature");
        Require.Positive(End, "final temperature");
        Require.That(AnnealFraction > 0 && AnnealFraction <= 1, $"the annealing fraction must be in (0, 1], got {AnnealFraction}.");
    }
}
