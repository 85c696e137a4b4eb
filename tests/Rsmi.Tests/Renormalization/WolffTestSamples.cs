using Rsmi.Data;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Sampling;

namespace Rsmi.Tests.Renormalization;

/// <summary>
/// 2D Ising samples for the renormalization tests from the project's Wolff sampler and chain driver
/// (thermalisation and spacing from the measured τ_int), cached per (L, T, N, seed) so that tests sharing samples
/// pay for them once.
/// </summary>
internal static class WolffTestSamples
{
    private static readonly Dictionary<(int, double, int, ulong), SampleSet> Cache = new();

    public static SampleSet Ising2D(int l, double temperature, int count, ulong seed, int chains = 4)
    {
        var key = (l, temperature, count, seed);
        lock (Cache)
        {
            if (Cache.TryGetValue(key, out var cached)) return cached;
            var set = IsingSampling.Sample("ising2d", "wolff", l, temperature, count, seed, chains);
            Cache[key] = set;
            return set;
        }
    }
}
