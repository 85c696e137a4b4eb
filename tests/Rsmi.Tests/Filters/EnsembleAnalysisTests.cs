using System.Text.Json;
using System.Text.Json.Nodes;
using Rsmi.Filters;
using Rsmi.IO;
using static Rsmi.Tests.Filters.FilterAlignmentTests;

namespace Rsmi.Tests.Filters;

public class EnsembleAnalysisTests
{
    public static TheoryData<int> Seeds() => new() { 1, 2, 3, 4, 5 };

    /// <summary>Orthonormal vectors of length n from Gram–Schmidt on Gaussian vectors.</summary>
    private static double[][] Orthonormal(System.Random rng, int count, int n)
    {
        var basis = new List<double[]>();
        while (basis.Count < count)
        {
            var v = GaussianVector(rng, n);
            foreach (var e in basis)
            {
                double dot = Dot(v, e);
                for (int i = 0; i < n; i++) v[i] -= dot * e[i];
            }
            double norm = Math.Sqrt(Dot(v, v));
            for (int i = 0; i < n; i++) v[i] /= norm;
            basis.Add(v);
        }
        return basis.ToArray();
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    private static double SampleVariance(IReadOnlyList<double> x)
    {
        double mean = x.Average();
        return x.Sum(t => (t - mean) * (t - mean)) / (x.Count - 1);
    }

    /// <summary>
    /// Members of two hidden units on a 3×3 block: unit 1 = c (p + a_m d), unit 2 = c' q with amplitudes ±a_k in pairs,
    /// each member then relabelled, flipped and rescaled at random. Returns the members, p, d, q and the amplitudes.
    /// </summary>
    private static (RatedFilters[] Members, double[] P, double[] D, double[] Q, double[] A) PatternAlongOneDirection(int seed, int pairs)
    {
        var rng = new System.Random(seed);
        const int n = 9;
        var basis = Orthonormal(rng, 3, n);
        double[] p = basis[0], d = basis[1], q = basis[2];
        var amplitudes = new List<double>();
        for (int k = 0; k < pairs; k++)
        {
            double a = 0.05 + 0.3 * rng.NextDouble();
            amplitudes.Add(a);
            amplitudes.Add(-a);
        }
        var members = new RatedFilters[amplitudes.Count];
        for (int m = 0; m < members.Length; m++)
        {
            var w = new double[2 * n];
            for (int i = 0; i < n; i++)
            {
                w[i] = p[i] + amplitudes[m] * d[i];
                w[n + i] = q[i];
            }
            // the chosen member (0) keeps its order and signs; every other one is relabelled, flipped and rescaled
            int[] sigma = m == 0 ? [0, 1] : RandomPermutation(rng, 2);
            int[] signs = m == 0 ? [1, 1] : [rng.Next(2) == 0 ? -1 : 1, rng.Next(2) == 0 ? -1 : 1];
            double[] scales = [0.5 + 3 * rng.NextDouble(), 0.5 + 3 * rng.NextDouble()];
            var (sw, sb) = Scramble(w, [0.1 * m, -0.2], sigma, signs, scales);
            members[m] = Member(sw, sb, 0.5 + 0.01 * Gaussian(rng));
        }
        return (members, p, d, q, amplitudes.ToArray());
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RecoversTheDirectionOfTheSpreadAsTheFirstComponentWithItsShareOfTheVariance(int seed)
    {
        var (members, p, d, q, a) = PatternAlongOneDirection(seed, pairs: 4);
        var result = EnsembleAnalysis.Analyse(members, hidden: 2, blockX: 3, blockY: 3, chosen: 0);

        // x_m = (p + a_m d)/√(1 + a_m²) = cos θ_m p + sin θ_m d. With the a_m in ± pairs, Σ_m (cos θ_m − mean) sin θ_m = 0,
        // so C = Var(sin θ) d dᵀ + Var(cos θ) p pᵀ (divisor M − 1): PC1 = ±d with share Var(sin)/(Var(sin) + Var(cos)),
        // PC2 = ±p with the rest.
        var sin = a.Select(t => t / Math.Sqrt(1 + t * t)).ToArray();
        var cos = a.Select(t => 1 / Math.Sqrt(1 + t * t)).ToArray();
        double vs = SampleVariance(sin), vc = SampleVariance(cos);
        var unit = result.Components.Units[0];
        Assert.Equal(vs + vc, unit.TotalVariance, 12);
        Assert.Equal(2, unit.ExplainedVariance.Length);
        Assert.Equal(vs / (vs + vc), unit.ExplainedVariance[0], 10);
        Assert.Equal(vc / (vs + vc), unit.ExplainedVariance[1], 10);
        Assert.Equal(1.0, Math.Abs(Dot(unit.Components[0], d)), 9);
        Assert.Equal(1.0, Math.Abs(Dot(unit.Components[1], p)), 9);
        for (int i = 0; i < 9; i++) Assert.Equal(cos.Average() * p[i], unit.Mean[i], 12);
        // tr C = M (1 − |x̄|²)/(M − 1) for unit vectors
        int count = members.Length;
        Assert.Equal(count * (1 - Dot(unit.Mean, unit.Mean)) / (count - 1), unit.TotalVariance, 12);
        // the largest entry of each component is positive
        foreach (var c in unit.Components) Assert.True(c[Array.IndexOf(c, c.MaxBy(Math.Abs))] > 0);

        // Unit 2 is the same pattern q in every member: no spread, no component.
        var fixedUnit = result.Components.Units[1];
        Assert.True(fixedUnit.TotalVariance < 1e-24);
        Assert.Empty(fixedUnit.ExplainedVariance);
        Assert.Empty(fixedUnit.Components);
        for (int i = 0; i < 9; i++) Assert.Equal(q[i], fixedUnit.Mean[i], 12);

        // All units together: unit 2 adds nothing, so PC1 is (d, 0) with the same share.
        var whole = result.Components.Whole;
        Assert.Equal(unit.TotalVariance + fixedUnit.TotalVariance, whole.TotalVariance, 12);
        Assert.Equal(unit.ExplainedVariance, whole.ExplainedVariance, (x, y) => Math.Abs(x - y) < 1e-10);
        Assert.Equal(1.0, Math.Abs(Dot(whole.Components[0][..9], d)), 9);
        Assert.Equal(0.0, Math.Sqrt(Dot(whole.Components[0][9..], whole.Components[0][9..])), 9);

        // Every member aligns with the chosen one: unit 2 exactly, unit 1 with cos(θ_m − θ_0).
        double theta0 = Math.Atan(a[0]);
        for (int m = 0; m < count; m++)
        {
            Assert.Equal(1.0, result.Spread.UnitAlignment[m][1], 12);
            Assert.Equal(Math.Cos(Math.Atan(a[m]) - theta0), result.Spread.UnitAlignment[m][0], 12);
            Assert.Equal((result.Spread.UnitAlignment[m][0] + 1) / 2, result.Spread.Alignment[m], 12);
        }
        Assert.Equal(members.Average(m => m.MutualInformationBits), result.Spread.MutualInformationBitsMean, 14);
        Assert.Equal(Math.Sqrt(SampleVariance(members.Select(m => m.MutualInformationBits).ToArray())), result.Spread.MutualInformationBitsStd!.Value, 14);
    }

    /// <summary>A generic ensemble: three random unit patterns plus 30% noise per member.</summary>
    private static RatedFilters[] NoisyEnsemble(int seed, int count, int hidden, int n)
    {
        var rng = new System.Random(1000 + seed);
        var patterns = GaussianVector(rng, hidden * n);
        var members = new RatedFilters[count];
        for (int m = 0; m < count; m++)
        {
            var w = patterns.Select(x => x + 0.3 * Gaussian(rng)).ToArray();
            members[m] = Member(w, GaussianVector(rng, hidden), 0.3 + 0.05 * rng.NextDouble());
        }
        return members;
    }

    private static void AssertSameComponents(PrincipalComponents a, PrincipalComponents b, int precision = 9)
    {
        Assert.Equal(a.TotalVariance, b.TotalVariance, precision);
        Assert.Equal(a.ExplainedVariance.Length, b.ExplainedVariance.Length);
        for (int k = 0; k < a.ExplainedVariance.Length; k++) Assert.Equal(a.ExplainedVariance[k], b.ExplainedVariance[k], precision);
        Assert.Equal(a.Components.Length, b.Components.Length);
        for (int k = 0; k < a.Components.Length; k++)
            for (int i = 0; i < a.Components[k].Length; i++) Assert.Equal(a.Components[k][i], b.Components[k][i], precision);
        for (int i = 0; i < a.Mean.Length; i++) Assert.Equal(a.Mean[i], b.Mean[i], precision);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void DoesNotDependOnTheOrderOfTheMembersNorOnHowTheirUnitsAreLabelledOrSigned(int seed)
    {
        const int count = 7, hidden = 3, n = 9, chosen = 2;
        var members = NoisyEnsemble(seed, count, hidden, n);
        var baseline = EnsembleAnalysis.Analyse(members, hidden, 3, 3, chosen);
        Assert.Equal(2, baseline.Components.Units[0].Components.Length);
        Assert.Equal(count - 1, baseline.Components.Whole.ExplainedVariance.Length);

        // (1) Relabel, flip and rescale the units of every member but the chosen one.
        var rng = new System.Random(seed);
        var scrambled = members.Select((mem, m) =>
        {
            if (m == chosen) return mem;
            var sigma = RandomPermutation(rng, hidden);
            var signs = Enumerable.Range(0, hidden).Select(_ => rng.Next(2) == 0 ? -1 : 1).ToArray();
            var (w, b) = Scramble(mem.Filters.Weights, mem.Filters.Bias, sigma, signs, Enumerable.Repeat(1.0, hidden).ToArray());
            return Member(w, b, mem.MutualInformationBits);
        }).ToArray();
        var r1 = EnsembleAnalysis.Analyse(scrambled, hidden, 3, 3, chosen);
        for (int j = 0; j < hidden; j++) AssertSameComponents(baseline.Components.Units[j], r1.Components.Units[j]);
        AssertSameComponents(baseline.Components.Whole, r1.Components.Whole);
        for (int j = 0; j < hidden; j++)
        {
            for (int i = 0; i < n; i++) Assert.Equal(baseline.Components.MeanWeights[j][i], r1.Components.MeanWeights[j][i], 12);
            Assert.Equal(baseline.Components.MeanBias[j], r1.Components.MeanBias[j], 12);
        }
        Assert.Equal(baseline.Spread.Alignment, r1.Spread.Alignment, (x, y) => Math.Abs(x - y) < 1e-12);

        // (2) A positive scale per member changes the learned means but not the patterns.
        var rescaled = members.Select((mem, m) => Member(mem.Filters.Weights.Select(x => x * (1 + m)).ToArray(), mem.Filters.Bias, mem.MutualInformationBits)).ToArray();
        var r2 = EnsembleAnalysis.Analyse(rescaled, hidden, 3, 3, chosen);
        for (int j = 0; j < hidden; j++) AssertSameComponents(baseline.Components.Units[j], r2.Components.Units[j]);
        AssertSameComponents(baseline.Components.Whole, r2.Components.Whole);

        // (3) Reorder the members; the chosen one moves with them.
        var order = RandomPermutation(rng, count);
        var reordered = order.Select(k => members[k]).ToArray();
        var r3 = EnsembleAnalysis.Analyse(reordered, hidden, 3, 3, Array.IndexOf(order, chosen));
        for (int j = 0; j < hidden; j++) AssertSameComponents(baseline.Components.Units[j], r3.Components.Units[j]);
        AssertSameComponents(baseline.Components.Whole, r3.Components.Whole);
        for (int m = 0; m < count; m++) Assert.Equal(baseline.Spread.Alignment[order[m]], r3.Spread.Alignment[m], 12);
        Assert.Equal(baseline.Spread.MutualInformationBitsMean, r3.Spread.MutualInformationBitsMean, 14);
        Assert.Equal(baseline.Spread.MutualInformationBitsStd!.Value, r3.Spread.MutualInformationBitsStd!.Value, 14);

        // (4) Relabel and flip the chosen member: the analysis follows its new labels and signs.
        var sigmaChosen = RandomPermutation(rng, hidden);
        var signsChosen = Enumerable.Range(0, hidden).Select(_ => rng.Next(2) == 0 ? -1 : 1).ToArray();
        var (cw, cb) = Scramble(members[chosen].Filters.Weights, members[chosen].Filters.Bias, sigmaChosen, signsChosen, Enumerable.Repeat(1.0, hidden).ToArray());
        var relabelled = members.ToArray();
        relabelled[chosen] = Member(cw, cb, members[chosen].MutualInformationBits);
        var r4 = EnsembleAnalysis.Analyse(relabelled, hidden, 3, 3, chosen);
        for (int j = 0; j < hidden; j++)
        {
            var before = baseline.Components.Units[j];
            var after = r4.Components.Units[sigmaChosen[j]];
            // components carry their own sign convention, so they match; the mean follows the flip
            AssertSameComponents(before with { Mean = before.Mean.Select(x => signsChosen[j] * x).ToArray() }, after);
            for (int i = 0; i < n; i++) Assert.Equal(signsChosen[j] * baseline.Components.MeanWeights[j][i], r4.Components.MeanWeights[sigmaChosen[j]][i], 12);
        }
        Assert.Equal(baseline.Components.Whole.ExplainedVariance, r4.Components.Whole.ExplainedVariance, (x, y) => Math.Abs(x - y) < 1e-9);
        Assert.Equal(baseline.Spread.Alignment, r4.Spread.Alignment, (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void ASingleMemberHasNoSpreadAndNoComponents()
    {
        var members = NoisyEnsemble(1, 1, 2, 4);
        var r = EnsembleAnalysis.Analyse(members, 2, 2, 2, 0);
        Assert.Null(r.Spread.MutualInformationBitsStd);
        Assert.Equal(members[0].MutualInformationBits, r.Spread.MutualInformationBitsMean);
        Assert.Equal(1.0, r.Spread.Alignment[0], 14);
        Assert.All(r.Components.Units, u => { Assert.Equal(0.0, u.TotalVariance); Assert.Empty(u.ExplainedVariance); Assert.Empty(u.Components); });
        Assert.Equal(members[0].Filters.Weights[..4], r.Components.MeanWeights[0]);
    }

    [Fact]
    public void SerialisesToTheFiltersFilesFieldNames()
    {
        var members = NoisyEnsemble(2, 4, 2, 4);
        var r = EnsembleAnalysis.Analyse(members, 2, 2, 2, 1);
        var filters = FiltersFileTests.Sample(hidden: 2, bx: 2, by: 2);
        filters.SetExtra("ensemble_spread", r.Spread);
        filters.SetExtra("ensemble_components", r.Components);
        var json = JsonNode.Parse(FiltersFile.ToJson(filters))!.AsObject();

        var spread = json["ensemble_spread"]!.AsObject();
        Assert.Equal(["members", "chosen_member", "mutual_information_bits_mean", "mutual_information_bits_std", "alignment", "unit_alignment", "permutation", "signs"],
            spread.Select(kv => kv.Key));
        Assert.Equal(4, spread["alignment"]!.AsArray().Count);
        Assert.Equal(2, spread["permutation"]![0]!.AsArray().Count);
        Assert.Equal(r.Spread.MutualInformationBitsStd!.Value, spread["mutual_information_bits_std"]!.GetValue<double>());

        var components = json["ensemble_components"]!.AsObject();
        Assert.Equal(["block", "units", "whole", "mean_weights", "mean_bias"], components.Select(kv => kv.Key));
        var unit = components["units"]![0]!.AsObject();
        Assert.Equal(["mean", "total_variance", "explained_variance", "components"], unit.Select(kv => kv.Key));
        Assert.Equal(4, unit["components"]![0]!.AsArray().Count);
        Assert.Equal(8, components["whole"]!["components"]![0]!.AsArray().Count);

        // the file reads back with the fields kept as they are
        using var dir = new Rsmi.Tests.IO.TempDirectory();
        FiltersFile.Write(dir.File("f.json"), filters);
        var back = FiltersFile.Read(dir.File("f.json"));
        Assert.Equal(spread.ToJsonString(), back.Extra["ensemble_spread"]!.ToJsonString());

        // one member: the standard deviation is null, never NaN
        var single = EnsembleAnalysis.Analyse(members[..1], 2, 2, 2, 0);
        var singleSpread = JsonSerializer.SerializeToNode(single.Spread)!.AsObject();
        Assert.True(singleSpread.ContainsKey("mutual_information_bits_std"));
        Assert.Null(singleSpread["mutual_information_bits_std"]);
    }

    [Fact]
    public void AcceptsFilterSetsAndRejectsInconsistentEnsembles()
    {
        var a = FiltersFileTests.Sample(hidden: 2, bx: 2, by: 2);
        var b = FiltersFileTests.Sample(hidden: 2, bx: 2, by: 2);
        var r = EnsembleAnalysis.Analyse([a, b], chosen: 0);
        Assert.Equal([2, 2], r.Components.Block);
        Assert.Equal(2, r.Hidden);
        Assert.Throws<RsmiInputException>(() => EnsembleAnalysis.Analyse([a, FiltersFileTests.Sample(hidden: 2, bx: 1, by: 4)], chosen: 0));
        Assert.Throws<RsmiInputException>(() => EnsembleAnalysis.Analyse([a, b], chosen: 2));
        Assert.Throws<RsmiInputException>(() => EnsembleAnalysis.Analyse(Array.Empty<FilterSet>(), chosen: 0));
        Assert.Throws<RsmiInputException>(() => EnsembleAnalysis.Analyse([Member([1, 2, 3], [0], 0.1)], 1, 2, 2, 0));
        Assert.Throws<RsmiInputException>(() => EnsembleAnalysis.Analyse([Member([1, 2, 3, 4], [0, 0], 0.1)], 1, 2, 2, 0));
        Assert.Throws<RsmiInputException>(() => EnsembleAnalysis.Analyse([Member([1, 2, 3, double.NaN], [0], 0.1)], 1, 2, 2, 0));
        Assert.Throws<RsmiInputException>(() => EnsembleAnalysis.Analyse([Member([1, 2, 3, 4], [0], double.NaN)], 1, 2, 2, 0));
        Assert.Throws<RsmiInputException>(() => EnsembleAnalysis.Analyse([Member([1, 2, 3, 4], [0], 0.1)], 1, 2, 2, 0, components: 0));
    }

    /// <summary>A member from raw rows (N_h = bias length, |V| = weights / N_h).</summary>
    internal static RatedFilters Member(double[] weights, double[] bias, double bits) =>
        new(new FilterParameters(weights.Length / bias.Length, bias.Length, weights, bias), bits);
}
