using Rsmi.Random;

namespace Rsmi.Models.Dimers;

/// <summary>
/// The noise spins of the paper's dimer test system (Koch-Janusz &amp; Ringel 2018, Figs. 3–4; docs/algorithm.md, "Dimers and noise spins"):
/// one ±1 spin on every vertex and one on every face; vertex (i, j) and face (i, j) form a pair with energy
/// −K σ_v σ_f (K ≥ 0, ferromagnetic), pairs independent of each other and of the dimers. Each pair is drawn
/// exactly: σ_v = ±1 with probability ½, and σ_f = σ_v with probability e^K / (e^K + e^{−K}) = 1 / (1 + e^{−2K}),
/// so that ⟨σ_v σ_f⟩ = tanh K. K = 0 gives independent spins, K = +∞ a face spin that copies its vertex.
/// </summary>
public static class NoiseSpins
{
    /// <summary>Probability that the two spins of a pair are equal: 1 / (1 + e^{−2K}).</summary>
    public static double EqualProbability(double coupling) => double.IsPositiveInfinity(coupling) ? 1.0 : 1.0 / (1.0 + Math.Exp(-2.0 * coupling));

    /// <summary>The exact pair correlation ⟨σ_v σ_f⟩ = tanh K (1 for K = +∞).</summary>
    public static double PairCorrelation(double coupling) => double.IsPositiveInfinity(coupling) ? 1.0 : Math.Tanh(coupling);

    /// <summary>Throws <see cref="RsmiInputException"/> unless K is ≥ 0 (and not NaN); +∞ is allowed.</summary>
    public static void ValidateCoupling(double coupling)
    {
        if (!(coupling >= 0)) throw new RsmiInputException($"{RsmiInputException.Option("noise-coupling")} must be zero, a positive number or Infinity (the pairs are ferromagnetic), got {coupling}.");
    }

    /// <summary>
    /// Draws every pair afresh: <paramref name="vertex"/>[k] and <paramref name="face"/>[k] (same length) for
    /// coupling <paramref name="coupling"/> ≥ 0. One 64-bit random number per pair: its lowest bit gives the
    /// vertex spin and its upper 53 bits the uniform variate that decides equality.
    /// </summary>
    public static void Sample<TRandom>(ref TRandom random, double coupling, Span<sbyte> vertex, Span<sbyte> face)
        where TRandom : struct, IRandomSource
    {
        // equal iff u < p with u = (bits >> 11) / 2^53; compare integers to avoid a division per pair.
        double p = EqualProbability(coupling);
        ulong threshold = p >= 1.0 ? ulong.MaxValue : (ulong)(p * (1UL << 53));
        if (threshold == ulong.MaxValue)
        {
            for (int k = 0; k < vertex.Length; k++)
            {
                sbyte v = (sbyte)(1 - 2 * (int)(random.NextUInt64() & 1));
                vertex[k] = v;
                face[k] = v;
            }
            return;
        }
        for (int k = 0; k < vertex.Length; k++)
        {
            ulong bits = random.NextUInt64();
            int v = 1 - 2 * (int)(bits & 1);                             // bit 0: the vertex spin
            int flip = 1 - 2 * ((bits >> 11) >= threshold ? 1 : 0);     // upper 53 bits: equal with probability p
            vertex[k] = (sbyte)v;
            face[k] = (sbyte)(v * flip);
        }
    }
}
