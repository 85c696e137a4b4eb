using System.Diagnostics;
using Rsmi.Data;
using Rsmi.Filters;
using Rsmi.Learning;
using Rsmi.Learning.Ensembles;
using Rsmi.Models;
using Rsmi.Models.Potts.Exact;
using Rsmi.Random;
using Rsmi.Regions;
using Xunit.Abstractions;

namespace Rsmi.Tests.Learning.Potts;

/// <summary>
/// Learned Potts coarse-graining against the plurality rule: the default infonce ensemble on critical q = 3 Potts
/// samples (64×64, T_c = 1/ln(1 + √3)), 2×2 block, buffer 2, environment 4, one hidden unit of 3 states, for every
/// seed of a fixed set. Read as its most probable hidden state, the learned rule must agree with the plurality rule,
/// up to a relabelling of the hidden states, on at least 95% of the 2×2 block configurations that have a unique
/// plurality colour (63 of the 81).
/// </summary>
[Trait("Category", "Statistical")]
public class PottsPluralityAcceptanceTests(ITestOutputHelper output)
{
    private static readonly ulong[] Seeds = [1, 2, 3, 4, 5];
    private const int Q = 3;

    /// <summary>Wolff samples of the 64×64 torus at T_c: 1,024 tiling windows each.</summary>
    private static readonly Lazy<SampleSet> Critical64 = new(() =>
    {
        var model = ModelCatalog.Potts2D;
        return ModelSampling.Sample(model, model.Arguments(Q, 64, Potts2D.CriticalTemperature(Q)), "wolff", 400, 1984, chains: 4);
    });

    /// <summary>The learned unit's most probable state for a block of labels (−1 when two states tie).</summary>
    internal static int MostProbable(FilterParameters f, ReadOnlySpan<sbyte> block)
    {
        int best = -1; double max = double.NegativeInfinity; bool tie = false;
        for (int s = 0; s < f.HiddenStates; s++)
        {
            var row = f.Row(0, s);
            double a = f.Bias[s];
            for (int i = 0; i < block.Length; i++) a += row[i * f.FeaturesPerSite + block[i]];
            if (a > max) { max = a; best = s; tie = false; }
            else if (a == max) tie = true;
        }
        return tie ? -1 : best;
    }

    /// <summary>The unique plurality colour of a block, or −1 when two colours tie.</summary>
    internal static int Plurality(ReadOnlySpan<sbyte> block, int q)
    {
        Span<int> counts = stackalloc int[q];
        foreach (sbyte v in block) counts[v]++;
        int best = 0;
        for (int c = 1; c < q; c++) if (counts[c] > counts[best]) best = c;
        for (int c = 0; c < q; c++) if (c != best && counts[c] == counts[best]) return -1;
        return best;
    }

    /// <summary>Every permutation of 0 … n − 1.</summary>
    internal static IEnumerable<int[]> Permutations(int n) => n == 1 ? [[0]]
        : Permutations(n - 1).SelectMany(p => Enumerable.Range(0, n).Select(k => p.Take(k).Append(n - 1).Concat(p.Skip(k)).ToArray()));

    /// <summary>(agreeing, all) block configurations with a unique plurality colour, under the best relabelling of the hidden states.</summary>
    internal static (int Agree, int Total, int[] Relabelling) Agreement(FilterParameters f, int sites, int q)
    {
        var blocks = new List<(sbyte[] Block, int Colour)>();
        int count = (int)Math.Pow(q, sites);
        for (int n = 0; n < count; n++)
        {
            var block = new sbyte[sites];
            for (int i = 0, m = n; i < sites; i++, m /= q) block[i] = (sbyte)(m % q);
            int colour = Plurality(block, q);
            if (colour >= 0) blocks.Add((block, colour));
        }
        var states = blocks.Select(b => MostProbable(f, b.Block)).ToArray();
        var best = Permutations(q).Select(p => (Agree: blocks.Where((b, k) => states[k] >= 0 && p[states[k]] == b.Colour).Count(), P: p)).MaxBy(t => t.Agree);
        return (best.Agree, blocks.Count, best.P);
    }

    [Fact]
    [Trait("Category", "Statistical")]
    public void OneUnitOfThreeStatesLearnsThePluralityRule()
    {
        var samples = Critical64.Value;
        var geometry = WindowGeometry.Square(2, 2, 2, 4);
        var states = samples.States();
        var learner = LearnerCatalog.Find("infonce")!.Parse(new Dictionary<string, string>(), LearnerUse.Filters,
            new LearnerContext(geometry, samples.Metadata.Model, states, Q)).CreateLearner();
        var failures = new List<string>();
        foreach (ulong seed in Seeds)
        {
            var clock = Stopwatch.StartNew();
            var result = FilterEnsemble.Learn(samples, geometry, 1, learner, new FilterEnsembleOptions { Seed = seed });
            var f = result.Chosen.Learned.Filter;
            Assert.Equal(Q, f.HiddenStates);
            Assert.Equal(Q, f.FeaturesPerSite);
            var (agree, total, relabel) = Agreement(f, 4, Q);
            double share = (double)agree / total;
            output.WriteLine($"seed {seed}: agreement {agree}/{total} = {share:P1} (states → colours {string.Join(",", relabel)}); held-out {result.MutualInformation.Value:F4} ± {result.MutualInformation.Error:F4} bits; members {string.Join(", ", result.Members.Select(m => m.SelectionBits.ToString("F4")))}; {clock.Elapsed.TotalSeconds:F1} s");
            for (int s = 0; s < Q; s++)
                output.WriteLine($"  state {s}: [{string.Join(", ", f.Row(0, s).ToArray().Select(w => w.ToString("F2")))}] bias {f.Bias[s]:F2}");
            if (share < 0.95) failures.Add($"seed {seed}: {agree}/{total}");
        }
        Assert.True(failures.Count == 0, $"the learned rule is not the plurality rule for {string.Join("; ", failures)}");
    }

    /// <summary>Independent uniform labels carry no information: the ensemble of categorical units says so for every seed
    /// of a fixed set, and no reported estimate exceeds 0.01 bits.</summary>
    [Fact]
    [Trait("Category", "Statistical")]
    public void IndependentLabelsCarryNoSignal()
    {
        var rng = RandomStreams.Create(2024, 0, "independent-labels");
        int n = 300, l = 16;
        var data = new sbyte[n * l * l];
        for (int i = 0; i < data.Length; i++) data[i] = (sbyte)rng.NextInt(Q);
        var meta = new SampleMetadata { Model = ModelCatalog.Potts2DName };
        meta.Set("q", (long)Q);
        var samples = new SampleSet(n, [l, l], data, meta);
        var geometry = WindowGeometry.Square(2, 2, 0, 2);
        var learner = LearnerCatalog.Find("infonce")!.Parse(new Dictionary<string, string>(), LearnerUse.Filters,
            new LearnerContext(geometry, meta.Model, samples.States(), Q)).CreateLearner();
        foreach (ulong seed in new ulong[] { 1, 2, 3 })
        {
            var result = FilterEnsemble.Learn(samples, geometry, 1, learner, new FilterEnsembleOptions { Seed = seed });
            output.WriteLine($"seed {seed}: held-out {result.MutualInformation.Value:F5} ± {result.MutualInformation.Error:F5} bits; members {string.Join(", ", result.Members.Select(m => m.SelectionBits.ToString("F4")))}");
            Assert.False(result.Signal, $"seed {seed}: signal reported on independent labels ({result.MutualInformation.Value:F4} ± {result.MutualInformation.Error:F4} bits)");
            Assert.True(result.MutualInformation.Value <= 0.01, $"seed {seed}: {result.MutualInformation.Value:F4} bits reported on independent labels");
            Assert.NotNull(result.NoSignalMessage);
        }
    }
}
