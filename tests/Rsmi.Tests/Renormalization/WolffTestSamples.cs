using Rsmi.Data;
using Rsmi.Random;

namespace Rsmi.Tests.Renormalization;

/// <summary>
/// A small Wolff cluster sampler of the 2D Ising model for the renormalization tests (J = 1, periodic L × L):
/// p_add = 1 − e^{−2/T}. Each configuration comes from its own chain (seed, index), thermalised by a fixed
/// number of clusters fixed in advance, so results are thread-count independent and free of the
/// stopping-time bias of algorithm.md §9.
/// </summary>
internal static class WolffTestSamples
{
    private static readonly Dictionary<(int, double, int, ulong), SampleSet> Cache = new();

    public static SampleSet Ising2D(int l, double temperature, int count, ulong seed, int chains = 16)
    {
        lock (Cache)
            if (Cache.TryGetValue((l, temperature, count, seed), out var cached)) return cached;
        int sites = l * l;
        var data = new sbyte[count * sites];
        double pAdd = 1 - Math.Exp(-2 / temperature);
        int perChain = (count + chains - 1) / chains;
        Parallel.For(0, chains, c =>
        {
            var rng = RandomStreams.Create(seed, (ulong)c, "wolff-test");
            var s = new sbyte[sites];
            for (int i = 0; i < sites; i++) s[i] = (rng.NextUInt64() >> 63) == 0 ? (sbyte)1 : (sbyte)-1;
            var stack = new int[sites];
            // Mean cluster size at T_c grows like L^{7/4}; a sweep-equivalent of clusters between samples
            // keeps the energy autocorrelation of the saved samples small. Counts fixed in advance.
            int clustersPerSample = Math.Max(2, (int)Math.Ceiling(sites / Math.Max(1.0, Math.Pow(l, 1.75) * (temperature < 2.269 ? 2.0 : 0.5))));
            long thermalise = 200L * clustersPerSample;
            for (long t = 0; t < thermalise; t++) Flip(s, l, pAdd, stack, ref rng);
            for (int k = 0; k < perChain; k++)
            {
                int n = c * perChain + k;
                if (n >= count) break;
                for (int t = 0; t < clustersPerSample; t++) Flip(s, l, pAdd, stack, ref rng);
                s.CopyTo(data.AsSpan(n * sites, sites));
            }
        });
        var set = new SampleSet(count, [l, l], data, new SampleMetadata { Model = "ising2d", Temperature = temperature, Algorithm = "wolff", Seed = (long)seed });
        lock (Cache) Cache[(l, temperature, count, seed)] = set;
        return set;
    }

    private static void Flip(sbyte[] s, int l, double pAdd, int[] stack, ref Xoshiro256StarStar rng)
    {
        int seedSite = rng.NextInt(s.Length);
        sbyte spin = s[seedSite];
        s[seedSite] = (sbyte)-spin;
        int top = 0;
        stack[top++] = seedSite;
        Span<int> nb = stackalloc int[4];
        while (top > 0)
        {
            int i = stack[--top];
            int x = i % l, y = i / l;
            nb[0] = y * l + (x + 1) % l; nb[1] = y * l + (x + l - 1) % l;
            nb[2] = ((y + 1) % l) * l + x; nb[3] = ((y + l - 1) % l) * l + x;
            for (int k = 0; k < 4; k++)
            {
                int j = nb[k];
                if (s[j] == spin && rng.NextDouble() < pAdd) { s[j] = (sbyte)-spin; stack[top++] = j; }
            }
        }
    }
}
