using System.Runtime.CompilerServices;
using Rsmi.Random;
using Rsmi.Sampling;

namespace Rsmi.Models.Ising;

/// <summary>
/// State shared by the Ising samplers: ±1 spins stored as <see cref="sbyte"/>, the coupling K = J/T (J = k_B = 1)
/// and the sampler's own random stream. The chain starts from a random ("hot") configuration drawn from that stream.
/// </summary>
/// <typeparam name="TRandom">A struct random source, so that hot loops are specialised by the JIT.</typeparam>
public abstract class IsingSamplerBase<TRandom> : IMonteCarloSampler where TRandom : struct, IRandomSource
{
    /// <summary>The spins, row-major over <see cref="Shape"/>; each +1 or −1.</summary>
    protected readonly sbyte[] Spins;
    /// <summary>The sampler's random stream (mutable struct: always use it by <c>ref</c>).</summary>
    protected TRandom Rng;
    /// <summary>Cumulative work, see <see cref="IMonteCarloSampler.Work"/>.</summary>
    protected long WorkDone;

    /// <summary>Temperature T &gt; 0.</summary>
    public double Temperature { get; }
    /// <summary>Coupling K = 1/T.</summary>
    public double Coupling => 1.0 / Temperature;
    /// <summary>Number of spins.</summary>
    public int Sites => Spins.Length;

    /// <inheritdoc />
    public abstract string Algorithm { get; }
    /// <inheritdoc />
    public abstract int[] Shape { get; }
    /// <inheritdoc />
    public long Work => WorkDone;

    /// <summary>Allocates <paramref name="sites"/> spins and fills them with independent fair ±1 from <paramref name="rng"/>.</summary>
    protected IsingSamplerBase(int sites, double temperature, TRandom rng)
    {
        Require.That(sites >= 2, $"the lattice must have at least 2 sites, got {sites}.");
        Require.Positive(temperature, "temperature");
        Temperature = temperature;
        Rng = rng;
        Spins = new sbyte[sites];
        for (int i = 0; i < sites; i++) Spins[i] = (Rng.NextUInt64() >> 63) == 0 ? (sbyte)1 : (sbyte)-1;
    }

    /// <inheritdoc />
    public abstract void Step();

    /// <summary>Energy per site u = E/N with E = −Σ_⟨ij⟩ s_i s_j over the model's bonds.</summary>
    public abstract double MonitorObservable();

    /// <inheritdoc />
    public void CopyConfiguration(Span<sbyte> destination) => Spins.AsSpan().CopyTo(destination);

    /// <summary>Read-only view of the current spins.</summary>
    public ReadOnlySpan<sbyte> Configuration => Spins;

    /// <summary>Replaces the current configuration (every value must be ±1; checked).</summary>
    public void SetConfiguration(ReadOnlySpan<sbyte> configuration)
    {
        Require.That(configuration.Length == Spins.Length, $"expected {Spins.Length} spins, got {configuration.Length}.");
        foreach (sbyte s in configuration) Require.That(s is 1 or -1, "spins must be +1 or -1.");
        configuration.CopyTo(Spins);
    }

    /// <summary>
    /// Sets every spin to the same value, +1 or −1 with probability ½ from the sampler's stream (an ordered start:
    /// below T_c it spares local updates the long-lived stripe states a random start can coarsen into).
    /// </summary>
    public void SetOrdered()
    {
        sbyte sign = (Rng.NextUInt64() >> 63) == 0 ? (sbyte)1 : (sbyte)-1;
        Spins.AsSpan().Fill(sign);
    }

    /// <summary>Magnetisation per site m = Σ s_i / N.</summary>
    public double Magnetisation()
    {
        long sum = 0;
        foreach (sbyte s in Spins) sum += s;
        return (double)sum / Spins.Length;
    }

    /// <summary>
    /// Threshold t such that <c>(r &gt;&gt; 11) &lt; t</c> for a uniform 64-bit r happens with probability
    /// <paramref name="p"/> rounded to 53 bits; p ≥ 1 gives 2^53, which every 53-bit value is below (exact acceptance).
    /// </summary>
    protected static ulong Threshold53(double p)
    {
        if (!(p > 0)) return 0;
        if (p >= 1) return 1UL << 53;
        return (ulong)Math.Round(p * (1UL << 53));
    }

    /// <summary>True with the probability encoded by <paramref name="threshold53"/> (see <see cref="Threshold53"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static bool Bernoulli(ref TRandom rng, ulong threshold53) => (rng.NextUInt64() >> 11) < threshold53;
}

/// <summary>Energies of Ising configurations (J = 1).</summary>
public static class IsingEnergy
{
    /// <summary>E = −Σ s_i s_j over the 2L² bonds of an Lx × Ly torus (row-major spins), divided by the number of sites.</summary>
    public static double PerSite2D(ReadOnlySpan<sbyte> spins, int lx, int ly)
    {
        long bonds = 0;
        for (int y = 0; y < ly; y++)
        {
            int row = y * lx, down = ((y + 1) % ly) * lx;
            for (int x = 0; x < lx; x++)
            {
                int s = spins[row + x];
                int right = spins[row + (x + 1 == lx ? 0 : x + 1)];
                bonds += s * (right + spins[down + x]);
            }
        }
        return -(double)bonds / (lx * ly);
    }

    /// <summary>
    /// E = −Σ_i s_i (s_{i+x̂} + s_{i+ŷ} + s_{i+ẑ}) over the 3N bonds of a periodic Lx × Ly × Lz box (spins row-major over
    /// [Lz, Ly, Lx]; on a side of 2 both bonds between the same pair count), divided by the number of sites N.
    /// </summary>
    public static double PerSite3D(ReadOnlySpan<sbyte> spins, int lx, int ly, int lz)
    {
        long bonds = 0;
        int plane = lx * ly;
        for (int z = 0; z < lz; z++)
        {
            int layer = z * plane, front = (z + 1 == lz ? 0 : z + 1) * plane;
            for (int y = 0; y < ly; y++)
            {
                int row = layer + y * lx, down = layer + (y + 1 == ly ? 0 : y + 1) * lx, ahead = front + y * lx;
                for (int x = 0; x < lx; x++)
                {
                    int s = spins[row + x];
                    int right = spins[row + (x + 1 == lx ? 0 : x + 1)];
                    bonds += s * (right + spins[down + x] + spins[ahead + x]);
                }
            }
        }
        return -(double)bonds / ((long)plane * lz);
    }

    /// <summary>E = −Σ s_i s_{i+1} over the bonds of a chain (N bonds on a ring, N − 1 open), divided by the number of sites N.</summary>
    public static double PerSite1D(ReadOnlySpan<sbyte> spins, bool periodic)
    {
        long bonds = 0;
        for (int i = 0; i + 1 < spins.Length; i++) bonds += spins[i] * spins[i + 1];
        if (periodic) bonds += spins[^1] * spins[0];
        return -(double)bonds / spins.Length;
    }
}
