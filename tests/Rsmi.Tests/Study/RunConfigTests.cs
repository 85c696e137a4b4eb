using Rsmi.Study;

namespace Rsmi.Tests.Study;

public class RunConfigTests
{
    [Fact]
    public void EmptyObjectGivesTheValidDefault()
    {
        var c = RunConfig.Parse("{}", "test");
        Assert.Equal(64, c.IsingFilters.Size);
        Assert.True(c.Flow.Enabled);
        Assert.Equal(7, c.Flow.ResolvedTemperatures().Length);
    }

    [Fact]
    public void DefaultRoundTripsThroughJson()
    {
        var c = new RunConfig();
        var back = RunConfig.Parse(c.ToJson(), "test");
        Assert.Equal(c.ToJson(), back.ToJson());
    }

    [Theory]
    [InlineData("""{"flow": {"sise": 32}}""", "flow.sise")]
    [InlineData("""{"colour": "red"}""", "colour")]
    [InlineData("""{"ising_filters": {"estimator": {"nmae": "rbm"}}}""", "ising_filters.estimator.nmae")]
    public void UnknownKeysAreRejectedWithTheirPath(string json, string path)
    {
        var e = Assert.Throws<RsmiInputException>(() => RunConfig.Parse(json, "cfg.json"));
        Assert.Contains($"'{path}'", e.Message);
        Assert.Contains("unknown", e.Message);
    }

    [Theory]
    [InlineData("""{"flow": {"size": -32}}""", "flow.size")]
    [InlineData("""{"ising_filters": {"size": 30, "block": 4}}""", "ising_filters.block")]
    [InlineData("""{"flow": {"size": 48, "steps": 5}}""", "flow.block")]
    [InlineData("""{"flow": {"temperatures": [2.0, -1.0]}}""", "flow.temperatures[1]")]
    [InlineData("""{"dimer": {"size": 7}}""", "dimer.size")]
    [InlineData("""{"ising_filters": {"hidden": [1, 9]}}""", "ising_filters.hidden[1]")]
    [InlineData("""{"flow": {"rule": "magic"}}""", "flow.rule")]
    [InlineData("""{"output": {"sample_format": "csv"}}""", "output.sample_format")]
    [InlineData("""{"output": {"keep_samples": false}}""", "output.keep_samples")]
    [InlineData("""{"flow": {"size": "big"}}""", "flow.size")]
    [InlineData("""{"flow": {"rule": "majority", "estimator": {"name": "infonce"}}}""", "flow.estimator")]
    [InlineData("""{"flow": {"rule": "majority", "buffer": 2}}""", "flow.buffer")]
    [InlineData("""{"flow": {"rule": "decimation", "environment": 3}}""", "flow.environment")]
    [InlineData("""{"flow": {"rule": "rbm", "estimator": {"name": "infonce"}}}""", "flow.estimator.name")]
    [InlineData("""{"flow": {"size": 16, "steps": 2, "buffer": 2, "environment": 2}}""", "flow.environment")]
    [InlineData("""{"flow": {"compare": ["majority", "magic"]}}""", "flow.compare[1]")]
    [InlineData("""{"flow": {"compare": ["rbm", "rbm"]}}""", "flow.compare")]
    [InlineData("""{"flow": {"rule": "majority", "size": 16, "steps": 3, "compare": ["rbm"]}}""", "flow.compare")]
    public void OutOfRangeValuesNameTheKey(string json, string path)
    {
        var e = Assert.Throws<RsmiInputException>(() => RunConfig.Parse(json, "cfg.json"));
        Assert.Contains($"'{path}'", e.Message);
    }

    /// <summary>With sample files the files fix the lattice, the number of configurations and the sampler: a sampling
    /// key set away from its default beside them is refused rather than dropped; at its default it is accepted.</summary>
    [Theory]
    [InlineData("flow", "size", "64", true)]
    [InlineData("flow", "samples", "60", true)]
    [InlineData("flow", "algorithm", "\"metropolis\"", true)]
    [InlineData("flow", "samples", "800", false)]
    [InlineData("scan", "size", "128", true)]
    [InlineData("scan", "samples", "1000", true)]
    [InlineData("scan", "algorithm", "\"swendsen-wang\"", true)]
    [InlineData("scan", "size", "64", false)]
    public void SamplingKeysBesideInputFilesAreRefused(string section, string key, string value, bool refused)
    {
        string dir = Directory.CreateTempSubdirectory("rsmi-cfg-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a.h5"), "");
            File.WriteAllText(Path.Combine(dir, "b.h5"), "");
            string json = "{\"" + section + "\": {\"inputs\": [\"a.h5\", \"b.h5\"], \"" + key + "\": " + value + "}}";
            if (!refused) { RunConfig.Parse(json, "cfg.json", dir); return; }
            var e = Assert.Throws<RsmiInputException>(() => RunConfig.Parse(json, "cfg.json", dir));
            Assert.Contains($"'{section}.{key}'", e.Message);
            Assert.Contains($"{section}.inputs", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void MissingInputFileIsNamed()
    {
        var e = Assert.Throws<RsmiInputException>(() => RunConfig.Parse("""{"ising_filters": {"input": "nope.h5"}}""", "cfg.json", "/tmp"));
        Assert.Contains("ising_filters.input", e.Message);
        Assert.Contains("nope.h5", e.Message);
    }

    [Fact]
    public void MalformedJsonIsABadInput()
    {
        var e = Assert.Throws<RsmiInputException>(() => RunConfig.Parse("{\"flow\": {", "cfg.json"));
        Assert.Contains("cfg.json", e.Message);
    }

    [Fact]
    public void MissingConfigFileIsNamed()
    {
        var e = Assert.Throws<RsmiInputException>(() => RunConfig.Load("/nonexistent/study.json"));
        Assert.Contains("/nonexistent/study.json", e.Message);
    }

    [Theory]
    [InlineData("""{"flow": {"calibration_samples": 300}}""", "applies only to the models read by a Monte Carlo thermometer")]
    [InlineData("""{"flow": {"model": "ising3d", "size": 16, "calibration_samples": 10}}""", "must be at least 20")]
    public void CalibrationSamplesAreRefusedWhereTheyCannotApply(string json, string why)
    {
        var e = Assert.Throws<RsmiInputException>(() => RunConfig.Parse(json, "cfg.json"));
        Assert.Contains("'flow.calibration_samples'", e.Message);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void CalibrationSamplesReachTheThreeDimensionalFlow()
    {
        var c = RunConfig.Parse("""{"flow": {"model": "ising3d", "size": 16, "calibration_samples": 300}}""", "cfg.json");
        Assert.Equal(300, StudyPlan.FlowOf(c.Flow, null).Settings.CalibrationSamples);
        Assert.Null(StudyPlan.FlowOf(RunConfig.Parse("""{"flow": {"model": "ising3d", "size": 16}}""", "cfg.json").Flow, null).Settings.CalibrationSamples);
        Assert.Equal(c.ToJson(), RunConfig.Parse(c.ToJson(), "again").ToJson());
    }

    [Theory]
    [InlineData("""{"flow": {"temperatures": [2.2, 2.3], "mcrg_samples": 4000}}""", "'flow.mcrg_samples'", "needs flow.mcrg_temperature")]
    [InlineData("""{"flow": {"temperatures": [2.2, 2.3], "mcrg_temperature": 2.25}}""", "'flow.mcrg_temperature'", "must be one of the starting temperatures (2.2, 2.3)")]
    [InlineData("""{"flow": {"temperatures": [2.2, 2.3], "mcrg_temperature": 2.3, "mcrg_samples": 5}}""", "'flow.mcrg_samples'", "must be at least 10")]
    public void McrgSettingsAreRefusedWhereTheyCannotApply(string json, string key, string why)
    {
        var e = Assert.Throws<RsmiInputException>(() => RunConfig.Parse(json, "cfg.json"));
        Assert.Contains(key, e.Message);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void McrgSettingsReachTheFlowAndOnlyTheirTemperatureDrawsMore()
    {
        var c = RunConfig.Parse("""{"flow": {"temperatures": [2.2, 2.269185, 2.3], "samples": 300, "mcrg_temperature": 2.269185, "mcrg_samples": 4000}}""", "cfg.json");
        var settings = StudyPlan.FlowOf(c.Flow, null).Settings;
        Assert.Equal(2.269185, settings.McrgTemperature);
        Assert.Equal(new[] { 300, 4000, 300 }, Enumerable.Range(0, 3).Select(settings.SamplesAt).ToArray());
        Assert.Equal(2.269185, settings.Options(1).McrgTemperature);
        Assert.Equal(c.ToJson(), RunConfig.Parse(c.ToJson(), "again").ToJson());
        var plain = StudyPlan.FlowOf(RunConfig.Parse("""{"flow": {"temperatures": [2.2, 2.3], "samples": 300}}""", "cfg.json").Flow, null).Settings;
        Assert.Null(plain.McrgTemperature);
        Assert.Equal(new[] { 300, 300 }, Enumerable.Range(0, 2).Select(plain.SamplesAt).ToArray());
    }
}
