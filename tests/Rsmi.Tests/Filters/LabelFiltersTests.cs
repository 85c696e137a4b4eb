using System.Text;
using System.Text.Json.Nodes;
using Rsmi.Data;
using Rsmi.Filters;
using Rsmi.IO;
using Rsmi.Models;
using Rsmi.Random;
using Rsmi.Renormalization;
using Rsmi.Tests.IO;

namespace Rsmi.Tests.Filters;

/// <summary>Filters of q-state labels and with categorical hidden units: their file layout and the rule that applies them.</summary>
public class LabelFiltersTests
{
    /// <summary>One categorical unit of 3 states on a 2×2 block of 3-state labels: state s weighs label s by <paramref name="scale"/>
    /// (the plurality rule, read as the most probable state), plus a small distinct perturbation of every weight.</summary>
    internal static FilterParameters Plurality(double scale = 2, int units = 1)
    {
        var f = new FilterParameters(4, units, featuresPerSite: 3, hiddenStates: 3);
        for (int j = 0; j < units; j++)
            for (int s = 0; s < 3; s++)
            {
                var row = f.Row(j, s);
                for (int i = 0; i < 4; i++) for (int k = 0; k < 3; k++) row[i * 3 + k] = (k == s ? scale : 0) + 0.01 * (i + 4 * k + 12 * s);
            }
        for (int b = 0; b < f.Bias.Length; b++) f.Bias[b] = 0.001 * b;
        return f;
    }

    private static FilterSet Set(FilterParameters f) => new()
    {
        Model = ModelCatalog.Potts2DName, BlockX = 2, BlockY = 2, Buffer = 1, Environment = 2, Estimator = "infonce", Filters = f,
        MutualInformationBits = 0.5, History = [0.1, 0.4], Seed = 7,
    };

    [Fact]
    public void CategoricalFiltersRoundTripWithTheirStatesAndFeatures()
    {
        using var dir = new TempDirectory();
        var f = Plurality(units: 2);
        string path = dir.File("f.json");
        FiltersFile.Write(path, Set(f));
        var back = FiltersFile.Read(path);
        Assert.Equal((4, 2, 3, 3), (back.Filters.Visible, back.Filters.Hidden, back.Filters.FeaturesPerSite, back.Filters.HiddenStates));
        Assert.Equal(f.Weights, back.Filters.Weights);
        Assert.Equal(f.Bias, back.Filters.Bias);
        var node = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.Equal(["model", "block", "buffer", "environment", "hidden", "features_per_site", "hidden_states", "estimator", "weights", "bias"],
            node.Select(p => p.Key).Take(10).ToArray());
        // weights[j][s] is state s of unit j: |V|·F numbers, site by site, a site's features consecutive
        Assert.Equal(f.Row(1, 2)[3 * 3 + 1], (double)node["weights"]![1]![2]![3 * 3 + 1]!);
        Assert.Equal(f.Bias[1 * 3 + 2], (double)node["bias"]![1]![2]!);
        // a wrong shape is refused in one sentence
        node["weights"]![0]!.AsArray().RemoveAt(2);
        var e = Assert.Throws<RsmiInputException>(() => FiltersFile.Parse(Encoding.UTF8.GetBytes(node.ToJsonString()), "f.json"));
        Assert.StartsWith("'f.json': 'weights[0]' must hold 3 rows (one per hidden state) of 12 numbers (3 per site)", e.Message);
    }

    [Fact]
    public void BinaryUnitsOfLabelsKeepOneRowAndSpinFilesKeepTheirKeys()
    {
        var f = new FilterParameters(4, 1, featuresPerSite: 3, hiddenStates: 2);
        for (int i = 0; i < f.Weights.Length; i++) f.Weights[i] = i - 5;
        var json = FiltersFile.ToJson(Set(f));
        var node = JsonNode.Parse(json)!.AsObject();
        Assert.Equal(3, (int)node["features_per_site"]!);
        Assert.False(node.ContainsKey("hidden_states"));
        Assert.Equal(12, node["weights"]![0]!.AsArray().Count);
        Assert.Equal(f.Weights, FiltersFile.Parse(Encoding.UTF8.GetBytes(json), "f.json").Filters.Weights);
        var spins = FiltersFileTests.Sample();
        Assert.DoesNotContain("features_per_site", FiltersFile.ToJson(spins));
        Assert.DoesNotContain("hidden_states", FiltersFile.ToJson(spins));
    }

    [Fact]
    public void TheMostProbableStateOfThePluralityFilterIsThePluralityColour()
    {
        var rule = new LabelFilterBlockRule(Plurality(), FilterMode.Sign);
        var rng = RandomStreams.Create(1, 0, "test");
        Span<sbyte> h = stackalloc sbyte[1];
        rule.Apply([2, 2, 0, 1], h, ref rng); Assert.Equal(2, h[0]);
        rule.Apply([1, 0, 1, 1], h, ref rng); Assert.Equal(1, h[0]);
        rule.Apply([0, 0, 0, 0], h, ref rng); Assert.Equal(0, h[0]);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void SampleModeDrawsTheSoftmaxAndSignModeBreaksExactTiesUniformly(ulong seed)
    {
        // zero weights, biases (0, ln 2, 0): P = (1/4, 1/2, 1/4); the most probable state is 1
        var f = new FilterParameters(4, 1, 3, 3, new double[36], [0, Math.Log(2), 0]);
        var sample = new LabelFilterBlockRule(f, FilterMode.Sample);
        var rng = RandomStreams.Create(seed, 0, "label-rule");
        int n = 100_000;
        var counts = new int[3];
        Span<sbyte> h = stackalloc sbyte[1];
        for (int t = 0; t < n; t++) { sample.Apply([0, 1, 2, 0], h, ref rng); counts[h[0]]++; }
        double[] p = [0.25, 0.5, 0.25];
        double chi2 = Enumerable.Range(0, 3).Sum(s => (counts[s] - n * p[s]) * (counts[s] - n * p[s]) / (n * p[s]));
        Assert.True(chi2 < 13.8, $"chi2 {chi2:F2} (2 dof, P = 0.001)"); // χ² with 2 dof: P(> 13.82) = 0.001
        var sign = new LabelFilterBlockRule(f, FilterMode.Sign);
        sign.Apply([0, 1, 2, 0], h, ref rng);
        Assert.Equal(1, h[0]);
        // all biases equal: a three-way tie, broken uniformly
        var tied = new LabelFilterBlockRule(new FilterParameters(4, 1, 3, 3), FilterMode.Sign);
        Array.Clear(counts);
        for (int t = 0; t < 30_000; t++) { tied.Apply([0, 1, 2, 0], h, ref rng); counts[h[0]]++; }
        double chiTie = counts.Sum(c => (c - 10_000.0) * (c - 10_000.0) / 10_000.0);
        Assert.True(chiTie < 13.8, $"tie counts {string.Join(", ", counts)}");
    }

    [Fact]
    public void BinaryUnitsOfLabelsGiveLabelOneForPlusAndTheCoarseFileIsPottsWithTheUnitsStates()
    {
        // label 2 counts +1 per site, the others −1: h = +1 (label 1) when label 2 holds the majority of the block
        var f = new FilterParameters(4, 1, 3, 2);
        for (int i = 0; i < 4; i++) { f.Weights[i * 3] = -1; f.Weights[i * 3 + 1] = -1; f.Weights[i * 3 + 2] = 1; }
        var data = new sbyte[] { 2, 2, 0, 0, 2, 2, 1, 1, 0, 1, 2, 1, 0, 0, 2, 2 };
        var meta = new SampleMetadata { Model = ModelCatalog.Potts2DName, Temperature = 1.0 };
        meta.Set("q", 3L);
        var samples = new SampleSet(1, [4, 4], data, meta);
        var coarse = new LearnedFilterRule(f, 2, 2, FilterMode.Sign, "infonce").CoarseGrain(samples, 1);
        Assert.Equal(new sbyte[] { 1, 0, 0, 1 }, coarse.Data);
        Assert.Equal(2, coarse.Metadata.GetLong("q"));
        Assert.Equal("infonce-sign", coarse.Metadata.GetString("rg_rule"));
        var categorical = new LearnedFilterRule(Plurality(), 2, 2, FilterMode.Sign, "infonce").CoarseGrain(samples, 1);
        Assert.Equal((2, 0, 2), (categorical.Data[0], categorical.Data[2], categorical.Data[3]));
        Assert.InRange(categorical.Data[1], 0, 1); // [0, 0, 1, 1]: the tie of the plurality rule, decided by the perturbation
        Assert.Equal(3, categorical.Metadata.GetLong("q"));
    }
}
