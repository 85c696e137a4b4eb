using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rsmi.Filters;
using Rsmi.IO;
using Rsmi.Tests.IO;

namespace Rsmi.Tests.Filters;

public class FiltersFileTests
{
    internal static FilterSet Sample(int hidden = 2, int bx = 2, int by = 3)
    {
        var weights = new double[hidden * bx * by];
        for (int i = 0; i < weights.Length; i++) weights[i] = Math.Sin(i + 1) / 3.0 * (i % 2 == 0 ? 1 : -1e-7);
        var f = new FilterSet
        {
            Model = "ising2d",
            BlockX = bx,
            BlockY = by,
            Buffer = 1,
            Environment = 2,
            Estimator = "rbm",
            Filters = new FilterParameters(bx * by, hidden, weights, Enumerable.Range(0, hidden).Select(j => 0.1 * j - 1.0 / 3.0).ToArray()),
            MutualInformationBits = 0.7213475204444817,
            History = [0.1, 0.35, 0.6, 0.7213475204444817, 5e-324],
            HistoryMovingAverage = [0.1, 0.225, 0.35],
            Seed = 9007199254740993L, // 2^53 + 1: not representable as a double, must stay exact
        };
        f.SetExtra("geometry", new { kind = "square", lattice = 64 });
        f.SetExtra("learning_rate", 0.01);
        return f;
    }

    private static void AssertSame(FilterSet a, FilterSet b)
    {
        Assert.Equal(a.Model, b.Model);
        Assert.Equal(a.Block, b.Block);
        Assert.Equal(a.Buffer, b.Buffer);
        Assert.Equal(a.Environment, b.Environment);
        Assert.Equal(a.Hidden, b.Hidden);
        Assert.Equal(a.Estimator, b.Estimator);
        Assert.Equal(a.Weights.Select(BitConverter.DoubleToInt64Bits), b.Weights.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(a.Bias.Select(BitConverter.DoubleToInt64Bits), b.Bias.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(BitConverter.DoubleToInt64Bits(a.MutualInformationBits), BitConverter.DoubleToInt64Bits(b.MutualInformationBits));
        Assert.Equal(a.History, b.History);
        Assert.Equal(a.HistoryMovingAverage, b.HistoryMovingAverage);
        Assert.Equal(a.Seed, b.Seed);
        Assert.Equal(a.RsmiVersion, b.RsmiVersion);
        Assert.Equal(a.Extra.Keys, b.Extra.Keys);
        foreach (var k in a.Extra.Keys) Assert.True(JsonNode.DeepEquals(a.Extra[k], b.Extra[k]), k);
    }

    [Fact]
    public void RoundTripIsExact()
    {
        using var dir = new TempDirectory();
        var f = Sample();
        string path = dir.File("filters.json");
        FiltersFile.Write(path, f);
        AssertSame(f, FiltersFile.Read(path));
        Assert.Equal(new[] { "filters.json" }, dir.Entries());
        // writing what was read gives the same bytes
        FiltersFile.Write(dir.File("again.json"), FiltersFile.Read(path));
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(dir.File("again.json")));
    }

    [Fact]
    public void FileUsesExactlyTheContractKeysAndShapes()
    {
        var f = Sample(hidden: 2, bx: 2, by: 3);
        using var doc = JsonDocument.Parse(FiltersFile.ToJson(f));
        var root = doc.RootElement;
        Assert.Equal(
            new[] { "model", "block", "buffer", "environment", "hidden", "estimator", "weights", "bias", "mutual_information_bits", "history", "history_moving_average", "seed", "rsmi_version", "geometry", "learning_rate" },
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(new[] { 2, 3 }, root.GetProperty("block").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        var weights = root.GetProperty("weights");
        Assert.Equal(2, weights.GetArrayLength());
        Assert.All(weights.EnumerateArray(), row => Assert.Equal(6, row.GetArrayLength()));
        // row-major over the block: element y*bx + x of row j is Λ_j(x, y)
        Assert.Equal(f.Weight(1, 1, 2), weights[1][2 * 2 + 1].GetDouble());
        Assert.Equal(f.Weights[1 * 6 + 5], f.Weight(1, 1, 2));
        Assert.Equal("9007199254740993", root.GetProperty("seed").GetRawText());
        Assert.Equal("square", root.GetProperty("geometry").GetProperty("kind").GetString());
    }

    [Fact]
    public void HistoryMovingAverageIsOptional()
    {
        var f = Sample();
        var node = JsonNode.Parse(FiltersFile.ToJson(f))!.AsObject();
        node.Remove("history_moving_average");
        var back = FiltersFile.Parse(Encoding.UTF8.GetBytes(node.ToJsonString()), "f.json");
        Assert.Null(back.HistoryMovingAverage);
        Assert.DoesNotContain("history_moving_average", FiltersFile.ToJson(back));
    }

    [Fact]
    public void ChainFiltersUseBlockHeightOne()
    {
        var f = Sample(hidden: 1, bx: 4, by: 1);
        var back = FiltersFile.Parse(Encoding.UTF8.GetBytes(FiltersFile.ToJson(f)), "c.json");
        AssertSame(f, back);
        Assert.Equal(4, back.Filter(0).Length);
    }

    // ---- bad files -------------------------------------------------------------------------------------------

    private static RsmiInputException Bad(Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(FiltersFile.ToJson(Sample()))!.AsObject();
        edit(node);
        return BadText(node.ToJsonString());
    }

    private static RsmiInputException BadText(string text)
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.json");
        File.WriteAllText(path, text);
        var e = Assert.Throws<RsmiInputException>(() => FiltersFile.Read(path));
        Assert.Contains(path, e.Message);
        return e;
    }

    [Theory]
    [InlineData("model")]
    [InlineData("block")]
    [InlineData("hidden")]
    [InlineData("weights")]
    [InlineData("bias")]
    [InlineData("mutual_information_bits")]
    [InlineData("history")]
    [InlineData("seed")]
    [InlineData("rsmi_version")]
    public void MissingKeyIsNamed(string key)
    {
        var e = Bad(o => o.Remove(key));
        Assert.Contains($"no '{key}' key", e.Message);
    }

    [Fact]
    public void SeveralMissingKeysAreAllNamed()
    {
        var e = Bad(o => { o.Remove("buffer"); o.Remove("estimator"); });
        Assert.Contains("'buffer', 'estimator'", e.Message);
    }

    [Fact]
    public void WeightRowsMustMatchHidden()
    {
        var e = Bad(o => o["hidden"] = 3);
        Assert.Contains("'weights' has 2 rows, but 'hidden' is 3", e.Message);
    }

    [Fact]
    public void WeightRowLengthMustMatchBlock()
    {
        var e = Bad(o => o["block"] = new JsonArray(3, 3));
        Assert.Contains("'weights[0]' has 6 numbers, but the block [3, 3] has 9 sites", e.Message);
    }

    [Fact]
    public void BiasLengthMustMatchHidden()
    {
        var e = Bad(o => o["bias"] = new JsonArray(1.0));
        Assert.Contains("'bias' must hold 2 numbers", e.Message);
    }

    [Theory]
    [InlineData("hidden", "\"2\"", "'hidden' must be a positive integer")]
    [InlineData("hidden", "0", "'hidden' must be a positive integer")]
    [InlineData("buffer", "-1", "'buffer' must be zero or a positive integer")]
    [InlineData("environment", "1.5", "'environment' must be a positive integer")]
    [InlineData("block", "[2]", "'block' must be two positive integers")]
    [InlineData("model", "3", "'model' must be a non-empty string")]
    [InlineData("mutual_information_bits", "null", "'mutual_information_bits' must be a number")]
    [InlineData("mutual_information_bits", "1e400", "'mutual_information_bits' must be a finite number")]
    [InlineData("history", "[0.1, \"x\"]", "'history' must hold only numbers, but position 1")]
    [InlineData("seed", "1.5", "'seed' must be an integer")]
    [InlineData("weights", "{}", "'weights' must be an array")]
    public void WrongKindsOfValuesAreNamed(string key, string json, string expected)
    {
        var e = Bad(o => o[key] = JsonNode.Parse(json));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void NonNumericWeightIsNamed()
    {
        var e = Bad(o => o["weights"]![1]![4] = "NaN");
        Assert.Contains("'weights[1]' must hold only numbers, but position 4", e.Message);
    }

    [Theory]
    [InlineData("{\"model\": ", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("[1, 2]", "does not hold a JSON object")]
    [InlineData("\u0089HDF\r\n", "not valid JSON")]
    public void NotAFiltersFile(string text, string expected)
    {
        Assert.Contains(expected, BadText(text).Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<RsmiInputException>(() => FiltersFile.Read(dir.File("nope.json")));
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void WritingAnInconsistentFilterSetFailsAndWritesNothing()
    {
        using var dir = new TempDirectory();
        var good = Sample();
        var bad = new FilterSet
        {
            Model = good.Model, BlockX = 2, BlockY = 3, Buffer = 1, Environment = 2, Estimator = "rbm",
            Filters = new FilterParameters(5, 2), MutualInformationBits = double.NaN, Seed = 1
        };
        var e = Assert.Throws<RsmiInputException>(() => FiltersFile.Write(dir.File("f.json"), bad));
        Assert.Contains("'weights' must hold 2 rows of 6 numbers", e.Message);
        var nan = new FilterSet
        {
            Model = good.Model, BlockX = 2, BlockY = 3, Buffer = 1, Environment = 2, Estimator = "rbm",
            Filters = new FilterParameters(6, 2), MutualInformationBits = double.NaN, Seed = 1
        };
        Assert.Contains("'mutual_information_bits' must be a finite number", Assert.Throws<RsmiInputException>(() => FiltersFile.Write(dir.File("f.json"), nan)).Message);
        Assert.Empty(dir.Entries());
    }

    [Fact]
    public void ExtraFieldsCannotShadowContractKeys()
    {
        Assert.Throws<ArgumentException>(() => Sample().SetExtra("weights", 1));
    }
}
