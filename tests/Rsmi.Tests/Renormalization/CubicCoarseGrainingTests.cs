using System.Text.Json.Nodes;
using Rsmi.Cli;
using Rsmi.Data;
using Rsmi.Filters;
using Rsmi.IO;
using Rsmi.Random;
using Rsmi.Renormalization;
using Rsmi.Statistics;
using Rsmi.Tests.IO;

namespace Rsmi.Tests.Renormalization;

/// <summary>Coarse-graining of cubic-lattice configurations (N, Lz, Ly, Lx) by b × b × b blocks: majority with a fair
/// coin for ties, decimation, and learned 3D filters, through the library and <c>rsmi coarse-grain</c>.</summary>
public class CubicCoarseGrainingTests
{
    private static SampleSet RandomCubes(int count, int l, ulong seed, string model = "ising3d")
    {
        var rng = RandomStreams.Create(seed, 0, "test-spins");
        var data = new sbyte[count * l * l * l];
        for (int i = 0; i < data.Length; i++) data[i] = (rng.NextUInt64() >> 63) == 0 ? (sbyte)1 : (sbyte)-1;
        var meta = new SampleMetadata { Model = model, Temperature = 4.5 };
        return new SampleSet(count, [l, l, l], data, meta);
    }

    /// <summary>Spin (x, y, z) of configuration n, read by coordinates.</summary>
    private static sbyte At(SampleSet s, int n, int x, int y, int z) => s.Configuration(n)[x + s.Lx * (y + s.Ly * z)];

    [Fact]
    public void MajorityOnCubesTakesTheSignOfTheBlockSumAndFlipsAFairCoinOnTies()
    {
        var s = RandomCubes(400, 4, 11);
        var coarse = new MajorityRule(2).CoarseGrain(s, 5);
        Assert.Equal(new[] { 2, 2, 2 }, coarse.SiteShape);
        Assert.Equal(1L, coarse.Metadata.GetLong("rg_step"));
        Assert.Equal("2x2x2", coarse.Metadata.GetString("rg_block"));
        Assert.Equal("majority", coarse.Metadata.GetString("rg_rule"));
        long ties = 0, tiesUp = 0, blocks = 0;
        for (int n = 0; n < s.Count; n++)
            for (int z = 0; z < 2; z++)
            for (int y = 0; y < 2; y++)
            for (int x = 0; x < 2; x++)
            {
                int sum = 0;
                for (int dz = 0; dz < 2; dz++)
                for (int dy = 0; dy < 2; dy++)
                for (int dx = 0; dx < 2; dx++) sum += At(s, n, 2 * x + dx, 2 * y + dy, 2 * z + dz);
                sbyte h = At(coarse, n, x, y, z);
                blocks++;
                if (sum != 0) Assert.Equal(Math.Sign(sum), h);
                else { ties++; if (h == 1) tiesUp++; }
            }
        // Ties are C(8,4)/2⁸ = 70/256 of random blocks, Binomial(blocks, 70/256); the tie-break Binomial(ties, 1/2): 4σ each.
        double p = 70.0 / 256;
        Assert.True(Math.Abs(ties - blocks * p) < 4 * Math.Sqrt(blocks * p * (1 - p)), $"{ties} ties in {blocks} blocks");
        Assert.True(Math.Abs(tiesUp - ties / 2.0) < 4 * Math.Sqrt(ties / 4.0), $"{tiesUp} of {ties} ties went up");
    }

    /// <summary>On uniformly random cubes the majority spin of a 2×2×2 block and its block sum Σ are distributed as
    /// P(Σ = 0, h = ±1) = 35/256 each, P(|Σ| = 2k, h = sign Σ) = 2·C(8, 4 − k)/256 (k = 1..4) and never h = −sign Σ:
    /// Pearson's χ² of the six cells.</summary>
    [Fact]
    public void MajorityOnCubesFollowsTheExactJointLawOfBlockSumAndCoarseSpin()
    {
        var s = RandomCubes(300, 6, 21);
        var coarse = new MajorityRule(2).CoarseGrain(s, 9);
        var observed = new long[6]; // tie up, tie down, |Σ| = 2, 4, 6, 8 with h = sign Σ
        long disagree = 0;
        for (int n = 0; n < s.Count; n++)
            for (int z = 0; z < 3; z++)
            for (int y = 0; y < 3; y++)
            for (int x = 0; x < 3; x++)
            {
                int sum = 0;
                for (int dz = 0; dz < 2; dz++)
                for (int dy = 0; dy < 2; dy++)
                for (int dx = 0; dx < 2; dx++) sum += At(s, n, 2 * x + dx, 2 * y + dy, 2 * z + dz);
                sbyte h = At(coarse, n, x, y, z);
                if (sum == 0) observed[h > 0 ? 0 : 1]++;
                else if (Math.Sign(sum) == h) observed[1 + Math.Abs(sum) / 2]++;
                else disagree++;
            }
        Assert.Equal(0, disagree);
        double[] p = [35 / 256.0, 35 / 256.0, 112 / 256.0, 56 / 256.0, 16 / 256.0, 2 / 256.0];
        var chi = ChiSquareTest.GoodnessOfFit(observed, p);
        Assert.True(chi.PValue > 1e-4, $"χ² = {chi.Chi2:F2} on {chi.Dof} degrees of freedom, p = {chi.PValue:G3}");
    }

    [Theory]
    [InlineData(2, 4)]
    [InlineData(3, 6)]
    public void DecimationOnCubesKeepsTheCornerSpinOfEachBlock(int b, int l)
    {
        var s = RandomCubes(40, l, 3);
        var coarse = new DecimationRule(b).CoarseGrain(s, 1);
        int c = l / b;
        Assert.Equal(new[] { c, c, c }, coarse.SiteShape);
        Assert.Equal($"{b}x{b}x{b}", coarse.Metadata.GetString("rg_block"));
        for (int n = 0; n < s.Count; n++)
            for (int z = 0; z < c; z++)
            for (int y = 0; y < c; y++)
            for (int x = 0; x < c; x++)
                Assert.Equal(At(s, n, b * x, b * y, b * z), At(coarse, n, x, y, z));
    }

    [Fact]
    public void LearnedCubicFiltersReadTheBlockRowMajorAndLayTheirUnitsAlongX()
    {
        // unit 0 reads the block site (x, y, z) = (1, 0, 1), unit 1 the site (0, 1, 0), in sign mode
        var weights = new double[16];
        weights[(1 * 2 + 0) * 2 + 1] = 1.0;
        weights[8 + (0 * 2 + 1) * 2 + 0] = -2.0;
        var rule = new LearnedFilterRule(new FilterParameters(8, 2, weights), 2, 2, 2, FilterMode.Sign, "rbm");
        Assert.Equal(2, rule.BlockZ);
        var s = RandomCubes(20, 4, 8);
        var coarse = rule.CoarseGrain(s, 2);
        Assert.Equal(new[] { 2, 2, 4 }, coarse.SiteShape);
        Assert.Equal("rbm-sign", coarse.Metadata.GetString("rg_rule"));
        for (int n = 0; n < s.Count; n++)
            for (int z = 0; z < 2; z++)
            for (int y = 0; y < 2; y++)
            for (int x = 0; x < 2; x++)
            {
                Assert.Equal(At(s, n, 2 * x + 1, 2 * y, 2 * z + 1), At(coarse, n, 2 * x, y, z));
                Assert.Equal(-At(s, n, 2 * x, 2 * y + 1, 2 * z), At(coarse, n, 2 * x + 1, y, z));
            }
    }

    [Fact]
    public void CubicResultsDoNotDependOnTheNumberOfThreads()
    {
        var s = RandomCubes(30, 4, 4);
        Assert.Equal(new MajorityRule(2).CoarseGrain(s, 3, maxThreads: 1).Data, new MajorityRule(2).CoarseGrain(s, 3, maxThreads: 2).Data);
    }

    [Fact]
    public void FiltersAndConfigurationsOfDifferentDimensionsAreRejected()
    {
        var cubic = new LearnedFilterRule(new FilterParameters(8, 1, Enumerable.Repeat(1.0, 8).ToArray()), 2, 2, 2);
        var square = new SampleSet(1, [4, 4], Enumerable.Repeat((sbyte)1, 16).ToArray());
        Assert.Contains("cubic-lattice configurations", Assert.Throws<RsmiInputException>(() => cubic.CoarseGrain(square, 1)).Message);
        var flat = new LearnedFilterRule(new FilterParameters(4, 1, Enumerable.Repeat(1.0, 4).ToArray()), 2, 2);
        Assert.Contains("square-lattice configurations", Assert.Throws<RsmiInputException>(() => flat.CoarseGrain(RandomCubes(1, 4, 1), 1)).Message);
        Assert.Contains("does not divide", Assert.Throws<RsmiInputException>(() => new MajorityRule(2).CoarseGrain(RandomCubes(1, 3, 1), 1)).Message);
    }

    private static FilterSet CubicFilters(int hidden = 1) => new()
    {
        Model = "ising3d", BlockX = 2, BlockY = 2, BlockZ = 2, Buffer = 1, Environment = 1, Estimator = "rbm",
        Filters = new FilterParameters(8, hidden, Enumerable.Range(0, 8 * hidden).Select(i => 1.0 + 0.01 * i).ToArray()),
        MutualInformationBits = 0.2, Seed = 3,
    };

    [Fact]
    public void CubicFiltersFilesKeepTheirThreeBlockSides()
    {
        using var dir = new TempDirectory();
        var f = CubicFilters(2);
        string path = dir.File("cube.json");
        FiltersFile.Write(path, f);
        var block = JsonNode.Parse(File.ReadAllText(path))!["block"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray();
        Assert.Equal(new[] { 2, 2, 2 }, block);
        var back = FiltersFile.Read(path);
        Assert.Equal(2, back.BlockZ);
        Assert.Equal(8, back.BlockSize);
        Assert.Equal(f.Weights, back.Weights);
        Assert.Equal(f.Weights[8 + (1 * 2 + 0) * 2 + 1], back.Weight(1, 1, 0, 1));
        // square-lattice files keep two sides
        Assert.Null(FiltersFile.Parse(System.Text.Encoding.UTF8.GetBytes(FiltersFile.ToJson(Filters.FiltersFileTests.Sample())), "f.json").BlockZ);
        // a row of the wrong length names the three sides
        string bad = File.ReadAllText(path).Replace("\"block\": [\n    2,\n    2,\n    2\n  ]", "\"block\": [\n    2,\n    2,\n    3\n  ]");
        Assert.Contains("block [2, 2, 3] has 12 sites", Assert.Throws<RsmiInputException>(() => FiltersFile.Parse(System.Text.Encoding.UTF8.GetBytes(bad), "f.json")).Message);
    }

    [Fact]
    public void CoarseGrainCommandWritesAnIsing3DFileOfHalfTheSize()
    {
        using var dir = new TempDirectory();
        string fine = dir.File("cube.h5"), filters = dir.File("cube.json"), coarse = dir.File("coarse.h5");
        SampleFile.Write(fine, RandomCubes(6, 8, 5));
        FiltersFile.Write(filters, CubicFilters());
        var o = new StringWriter(); var e = new StringWriter();
        int code = CliApp.Run(["coarse-grain", "--in", fine, "--filters", filters, "--out", coarse], o, e);
        Assert.True(code == 0, e.ToString());
        Assert.Contains("6 configurations of 4x4x4", o.ToString());
        Assert.Contains("2x2x2 blocks", o.ToString());
        var set = SampleFile.Read(coarse);
        Assert.Equal(new[] { 4, 4, 4 }, set.SiteShape);
        Assert.Equal("ising3d", set.Metadata.Model);
        Assert.Equal(1L, set.Metadata.GetLong("rg_step"));
        Assert.Equal(-1, set.FirstInvalidValue());
        // the file is what the rule gives
        var expected = LearnedFilterRule.From(CubicFilters(), FilterMode.Sign).CoarseGrain(SampleFile.Read(fine), 1);
        Assert.Equal(expected.Data, set.Data);
        // rsmi info reads it as a cubic lattice
        o = new StringWriter();
        Assert.Equal(0, CliApp.Run(["info", coarse], o, new StringWriter()));
        Assert.Contains("4 x 4 x 4 cubic lattice", o.ToString());
        // cubic filters on square samples are refused with exit code 2
        string square = dir.File("square.h5");
        SampleFile.Write(square, new SampleSet(2, [4, 4], Enumerable.Repeat((sbyte)1, 32).ToArray(), new SampleMetadata { Model = "ising2d" }));
        e = new StringWriter();
        Assert.Equal(2, CliApp.Run(["coarse-grain", "--in", square, "--filters", filters, "--out", dir.File("x.h5")], new StringWriter(), e));
        Assert.Contains("needs 3D lattices", e.ToString());
    }
}
