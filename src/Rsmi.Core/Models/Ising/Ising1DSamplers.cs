using Rsmi.Random;
using Rsmi.Sampling;

namespace Rsmi.Models.Ising;

/// <summary>
/// Exact independent sampling of the open Ising chain of N sites (N − 1 bonds): s_0 = ±1 with probability ½,
/// then s_{i+1} = s_i with probability (1 + tanh K)/2, which is the chain's Boltzmann distribution
/// P(s) ∝ Π e^{K s_i s_{i+1}} written as a Markov chain along the sites. Every <see cref="Step"/> draws a fresh,
/// independent configuration.
/// </summary>
public sealed class Ising1DExact<TRandom> : IsingSamplerBase<TRandom> where TRandom : struct, IRandomSource
{
    private readonly ulong _same;

    /// <summary>An open chain of <paramref name="length"/> ≥ 2 sites at temperature T &gt; 0.</summary>
    public Ising1DExact(int length, double temperature, TRandom rng) : base(length, temperature, rng)
    {
        _same = Threshold53(0.5 * (1.0 + Math.Tanh(Coupling)));
        Step();
        WorkDone = 0;
    }

    /// <inheritdoc />
    public override string Algorithm => "exact";
    /// <inheritdoc />
    public override int[] Shape => [Spins.Length];

    /// <summary>Draws an independent configuration.</summary>
    public override void Step()
    {
        var s = Spins;
        ulong same = _same;
        sbyte previous = (Rng.NextUInt64() >> 63) == 0 ? (sbyte)1 : (sbyte)-1;
        s[0] = previous;
        for (int i = 1; i < s.Length; i++)
        {
            if ((Rng.NextUInt64() >> 11) >= same) previous = (sbyte)-previous;
            s[i] = previous;
        }
        WorkDone += s.Length;
    }

    /// <summary>Energy per site −Σ_{i&lt;N−1} s_i s_{i+1} / N of the open chain.</summary>
    public override double MonitorObservable() => IsingEnergy.PerSite1D(Spins, periodic: false);
}

/// <summary>
/// Single-spin-flip Metropolis on the Ising ring of N sites (periodic, N bonds): N sites drawn uniformly at random
/// per sweep, ΔE = 2 s_i (s_{i−1} + s_{i+1}) ∈ {−4, 0, 4}, accepted with min(1, e^{−K ΔE}). Random site order
/// matters in 1D: in a sequential sweep the always-accepted ΔE = 0 moves drag every domain wall along with the
/// sweep, and the chain mixes extremely slowly (almost periodically). One <see cref="Step"/> is one sweep.
/// </summary>
public sealed class Ising1DMetropolis<TRandom> : IsingSamplerBase<TRandom> where TRandom : struct, IRandomSource
{
    private readonly ulong _acceptUphill;

    /// <summary>A ring of <paramref name="length"/> ≥ 2 sites at temperature T &gt; 0, started from random spins.</summary>
    public Ising1DMetropolis(int length, double temperature, TRandom rng) : base(length, temperature, rng)
        => _acceptUphill = Threshold53(Math.Exp(-4.0 * Coupling));

    /// <inheritdoc />
    public override string Algorithm => "metropolis";
    /// <inheritdoc />
    public override int[] Shape => [Spins.Length];

    /// <summary>One sequential sweep.</summary>
    public override void Step()
    {
        var s = Spins;
        int n = s.Length;
        for (int t = 0; t < n; t++)
        {
            int i = Rng.NextInt(n);
            int field = s[i == 0 ? n - 1 : i - 1] + s[i == n - 1 ? 0 : i + 1];
            int k = s[i] * field;
            if (k <= 0 || (Rng.NextUInt64() >> 11) < _acceptUphill) s[i] = (sbyte)-s[i];
        }
        WorkDone += n;
    }

    /// <summary>Energy per site of the ring.</summary>
    public override double MonitorObservable() => IsingEnergy.PerSite1D(Spins, periodic: true);
}

/// <summary>
/// Wolff cluster algorithm on the Ising ring of N sites: a cluster is a segment grown from a random seed to the
/// right and then to the left, each aligned bond added with probability p = 1 − e^{−2K}, then flipped. One
/// <see cref="Step"/> is one cluster; <see cref="IMonteCarloSampler.Work"/> counts flipped spins.
/// </summary>
public sealed class Ising1DWolff<TRandom> : IsingSamplerBase<TRandom> where TRandom : struct, IRandomSource
{
    private readonly ulong _addBond;

    /// <summary>A ring of <paramref name="length"/> ≥ 2 sites at temperature T &gt; 0, started from random spins.</summary>
    public Ising1DWolff(int length, double temperature, TRandom rng) : base(length, temperature, rng)
        => _addBond = Threshold53(-double.ExpM1(-2.0 * Coupling));

    /// <inheritdoc />
    public override string Algorithm => "wolff";
    /// <inheritdoc />
    public override int[] Shape => [Spins.Length];

    /// <summary>Grows and flips one cluster.</summary>
    public override void Step()
    {
        var s = Spins;
        int n = s.Length;
        int seed = Rng.NextInt(n);
        sbyte s0 = s[seed], flipped = (sbyte)-s0;
        s[seed] = flipped;
        int size = 1;
        // Spins flip as they join, so a grown segment that wraps round the ring stops at its own other end.
        for (int j = seed == n - 1 ? 0 : seed + 1; s[j] == s0 && (Rng.NextUInt64() >> 11) < _addBond; j = j == n - 1 ? 0 : j + 1)
        {
            s[j] = flipped; size++;
        }
        for (int j = seed == 0 ? n - 1 : seed - 1; s[j] == s0 && (Rng.NextUInt64() >> 11) < _addBond; j = j == 0 ? n - 1 : j - 1)
        {
            s[j] = flipped; size++;
        }
        WorkDone += size;
    }

    /// <summary>Energy per site of the ring.</summary>
    public override double MonitorObservable() => IsingEnergy.PerSite1D(Spins, periodic: true);
}
