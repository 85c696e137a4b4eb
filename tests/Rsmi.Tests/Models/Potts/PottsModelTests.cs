using PureHDF;
using Rsmi.Cli;
using Rsmi.IO;
using Rsmi.Models;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Models.Potts;
using Rsmi.Models.Potts.Exact;
using Rsmi.Random;
using Rsmi.States;

namespace Rsmi.Tests.Models.Potts;

/// <summary>
/// The 2D Potts model: its exact references, the exact enumeration, the label state space, <c>rsmi sample potts2d</c>
/// and its files, and rsmi learn and rsmi coarse-grain on Potts files (one-hot sites, categorical hidden units).
/// </summary>
public sealed class PottsModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rsmi-potts-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void CriticalTemperaturesFollowTheSelfDualityFormula()
    {
        Assert.Equal(1 / Math.Log(1 + Math.Sqrt(3)), Potts2D.CriticalTemperature(3), 15);
        Assert.Equal(Potts2D.CriticalTemperatureQ3, Potts2D.CriticalTemperature(3), 6);
        Assert.Equal(Potts2D.CriticalTemperatureQ4, Potts2D.CriticalTemperature(4), 6);
        Assert.Equal(1 / Math.Log(3), Potts2D.CriticalTemperature(4), 15);
        // q = 2 is the Ising model with J_Ising = J/2: δ(s, s') = (1 + s s')/2.
        Assert.Equal(Ising2D.CriticalTemperature / 2, Potts2D.CriticalTemperature(2), 12);
        Assert.Equal((-Math.Sqrt(2) - 2) / 2, Potts2D.CriticalEnergyPerSite(2), 12);
        Assert.Equal(-(1 + 1 / Math.Sqrt(3)), Potts2D.CriticalEnergyPerSite(3), 15);
        Assert.Equal(-1.5, Potts2D.CriticalEnergyPerSite(4), 15);
        Assert.Equal((5.0 / 6, 28.0 / 15), (Potts2D.Nu(3), Potts2D.MagneticExponent(3)));
        Assert.Equal((2.0 / 3, 15.0 / 8), (Potts2D.Nu(4), Potts2D.MagneticExponent(4)));
        Assert.Equal((1.0, 15.0 / 8), (Potts2D.Nu(2), Potts2D.MagneticExponent(2))); // the 2D Ising exponents
    }

    [Fact]
    public void EnumerationCountsEveryConfigurationAndMatchesIsingForTwoStates()
    {
        var three = PottsEnumeration.Torus(3, 3, 3);
        Assert.Equal(19683L, three.Counts.Values.Sum());
        Assert.Equal(3L, three.Counts[(18, 9)]); // the three uniform configurations
        var four = PottsEnumeration.Torus(3, 3, 4);
        Assert.Equal(262144L, four.Counts.Values.Sum());
        // q = 2 at T is the Ising model at 2T on the 3×3 torus: B equal bonds of 18 give the Ising energy E = −Σ s s' = −(2B − 18) and |M| = 2 n_max − 9.
        var two = PottsEnumeration.Torus(3, 3, 2).JointDistribution(1.3);
        var ising = Tests.Models.Ising.SamplingTestSupport.JointDistribution(IsingEnumeration.Torus(3, 3), 2 * 1.3);
        Assert.Equal(ising.Count, two.Count);
        foreach (var ((bonds, largest), p) in two)
            Assert.Equal(ising[(-(2 * bonds - 18), 2 * largest - 9)], p, 12);
    }

    [Fact]
    public void LabelsAreOneHotFeaturesAndRefuseOtherValues()
    {
        var labels = PottsLabels.Of(3);
        Assert.Same(labels, PottsLabels.Of(3));
        Assert.Equal(3, labels.FeaturesPerSite);
        Assert.Equal("the labels 0 to 2", labels.ValuesText);
        Assert.True(labels.IsValid(0) && labels.IsValid(2));
        Assert.False(labels.IsValid(3) || labels.IsValid(-1));
        Assert.Equal(-1, labels.IndexOfInvalid([0, 1, 2, 2, 0]));
        Assert.Equal(3, labels.IndexOfInvalid([0, 1, 2, -1, 0]));
        Assert.Equal(1, labels.IndexOfInvalid([0, 3]));
        var features = new float[3];
        labels.Encode<float>(1, features);
        Assert.Equal([0f, 1f, 0f], features);
        labels.Encode<float>(2, features);
        Assert.Equal([0f, 0f, 1f], features);
        Assert.Throws<RsmiInputException>(() => PottsLabels.Of(1));
        Assert.Throws<RsmiInputException>(() => PottsLabels.Of(128));
    }

    [Fact]
    public void TwoStateOrderParameterIsTheIsingAbsoluteMagnetisation()
    {
        var sampler = new Potts2DHeatBath<Xoshiro256StarStar>(4, 2, 1.5, new Xoshiro256StarStar(5));
        var config = new sbyte[16];
        for (int t = 0; t < 20; t++)
        {
            sampler.Step();
            sampler.CopyConfiguration(config);
            double ising = Math.Abs(config.Sum(s => 2 * s - 1)) / 16.0;
            Assert.Equal(ising, sampler.OrderParameter(), 14);
        }
        sampler.SetOrdered();
        Assert.Equal(1.0, sampler.OrderParameter());
    }

    [Theory]
    [InlineData("wolff")]
    [InlineData("swendsen-wang")]
    [InlineData("heatbath")]
    public void SampleFilesCarryTheModelAndQAndHoldLabels(string algorithm)
    {
        string h5 = Path.Combine(_dir, "p.h5"), again = Path.Combine(_dir, "q.h5");
        string[] common = ["sample", "potts2d", "--q", "4", "--size", "5", "--temperature", "0.9", "--samples", "20", "--algorithm", algorithm, "--seed", "3"];
        var run = Run([.. common, "--out", h5]);
        Assert.True(run.Code == 0, run.Err);
        Assert.Contains("q = 4, L = 5, T = 0.9", run.Out);
        Assert.Equal(0, Run([.. common, "--threads", "1", "--out", again]).Code);
        Assert.Equal(File.ReadAllBytes(h5), File.ReadAllBytes(again));
        var set = SampleFile.Read(h5);
        Assert.Equal("potts2d", set.Metadata.Model);
        Assert.Equal(4L, set.Metadata.GetLong("q"));
        Assert.Equal(0.9, set.Metadata.Temperature);
        Assert.Equal([5, 5], set.SiteShape);
        Assert.All(set.Data, v => Assert.InRange(v, (sbyte)0, (sbyte)3));
        Assert.Equal(4, set.Data.Distinct().Count());
    }

    [Fact]
    public void DefaultQIsThreeAndBadOptionsAreOneSentence()
    {
        string h5 = Path.Combine(_dir, "d.h5");
        Assert.Equal(0, Run("sample", "potts2d", "--size", "4", "--temperature", "1.5", "--samples", "5", "--out", h5).Code);
        var set = SampleFile.Read(h5);
        Assert.Equal((3L, "wolff"), (set.Metadata.GetLong("q")!.Value, set.Metadata.Algorithm!));
        foreach (var (args, message) in new (string[], string)[]
        {
            (["--q", "1"], "--q must be between 2 and 127, got 1."),
            (["--q", "128"], "--q must be between 2 and 127, got 128."),
            (["--algorithm", "metropolis"], "--algorithm: unknown algorithm 'metropolis' for potts2d; choose one of wolff, swendsen-wang, heatbath."),
        })
        {
            var r = Run(["sample", "potts2d", "--size", "4", "--temperature", "1", "--samples", "5", "--out", h5, .. args]);
            Assert.Equal(2, r.Code);
            Assert.Contains(message, r.Err);
        }
    }

    [Fact]
    public void InfoDescribesLabelsOrderParameterAndEnergy()
    {
        string h5 = Path.Combine(_dir, "i.h5");
        Assert.Equal(0, Run("sample", "potts2d", "--size", "6", "--temperature", "0.7", "--samples", "30", "--out", h5).Code);
        var set = SampleFile.Read(h5);
        var info = Run("info", h5);
        Assert.True(info.Code == 0, info.Err);
        var counts = Enumerable.Range(0, 3).Select(a => set.Data.Count(v => v == a)).ToArray();
        Assert.Contains($"values:          0: {counts[0]} (", info.Out);
        Assert.Contains($"2: {counts[2]} (", info.Out);
        Assert.DoesNotContain("+1:", info.Out);
        double energy = Enumerable.Range(0, set.Count).Average(n => -(double)PottsEnergy.EqualBonds(set.Configuration(n), 6, 6) / 36);
        string line = info.Out.Split('\n').Single(l => l.StartsWith("energy/site:", StringComparison.Ordinal));
        double printed = double.Parse(line.Split(':')[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(energy - printed) <= 1e-4 * Math.Abs(energy), $"printed {printed}, computed {energy}");
        Assert.Contains("order parameter:", info.Out);
    }

    /// <summary>Writes a potts2d file whose labels or q attribute are as given.</summary>
    private string WriteFile(string name, sbyte[] data, long? q)
    {
        string path = Path.Combine(_dir, name);
        var file = new H5File { [Hdf5SampleFile.DatasetName] = new H5Dataset(data, fileDims: [1UL, 2UL, 2UL]) };
        file.Attributes["model"] = "potts2d";
        if (q is long value) file.Attributes["q"] = value;
        file.Write(path);
        return path;
    }

    [Fact]
    public void ReadingChecksLabelsAgainstTheFilesQ()
    {
        Assert.Equal(4L, SampleFile.Read(WriteFile("ok.h5", [0, 1, 3, 2], 4)).Metadata.GetLong("q"));
        var tooLarge = Assert.Throws<RsmiInputException>(() => SampleFile.Read(WriteFile("big.h5", [0, 1, 3, 2], 3)));
        Assert.EndsWith("holds the value 3 (configuration 0, site 2; 1 such value in all), but sample files hold only the labels 0 to 2.", tooLarge.Message);
        var negative = Assert.Throws<RsmiInputException>(() => SampleFile.Read(WriteFile("neg.h5", [0, -1, 1, -1], 3)));
        Assert.Contains("holds the value -1 (configuration 0, site 1; 2 such values in all)", negative.Message);
        var noQ = Assert.Throws<RsmiInputException>(() => SampleFile.Read(WriteFile("noq.h5", [0, 1, 1, 0], null)));
        Assert.EndsWith("a potts2d sample file must carry the number of states as its 'q' attribute, and this one does not.", noQ.Message);
        var badQ = Assert.Throws<RsmiInputException>(() => SampleFile.Read(WriteFile("badq.h5", [0, 1, 1, 0], 200)));
        Assert.EndsWith("the 'q' attribute is 200, but a potts2d sample file has 2 to 127 states.", badQ.Message);
        var info = Run("info", Path.Combine(_dir, "big.h5"));
        Assert.Equal(2, info.Code);
        Assert.Single(info.Err.Trim().Split('\n'));
    }

    [Fact]
    public void LearnAndCoarseGrainTakePottsFilesThroughCategoricalUnits()
    {
        string potts = Path.Combine(_dir, "p.h5"), ising = Path.Combine(_dir, "i.h5"), filters = Path.Combine(_dir, "f.json");
        Assert.Equal(0, Run("sample", "potts2d", "--size", "8", "--temperature", "1", "--samples", "40", "--seed", "3", "--out", potts).Code);
        string[] window = ["--block", "2", "--hidden", "1", "--buffer", "1", "--environment", "1"];
        string[] quick = ["--ensemble", "1", "--infonce-steps", "40", "--infonce-batch", "64", "--infonce-windows", "4096", "--threads", "1"];

        // the rbm estimator declines labels in one sentence
        var rbm = Run(["learn", "--in", potts, .. window, "--estimator", "rbm", "--out", filters, "--no-plot"]);
        Assert.Equal(2, rbm.Code);
        Assert.Contains("the rbm estimator learns binary hidden units from ±1 spins only, but these samples hold the labels 0 to 2 and the units would have 3 states; use --estimator infonce.", rbm.Err);
        Assert.False(File.Exists(filters));

        // infonce: one-hot sites, a unit of q = 3 states by default
        var learn = Run(["learn", "--in", potts, .. window, .. quick, "--out", filters]);
        Assert.True(learn.Code == 0, learn.Err);
        var set = FiltersFile.Read(filters);
        Assert.Equal((3, 3, ModelCatalog.Potts2DName), (set.Filters.FeaturesPerSite, set.Filters.HiddenStates, set.Model));
        Assert.Contains("hidden unit 1, state 2: weights [", learn.Out);
        Assert.True(new FileInfo(Path.Combine(_dir, "f.h1.png")).Length > 1000);
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(filters))!.AsObject();
        Assert.Equal(3, (int)node["hidden_states"]!);
        Assert.Equal(3, node["weights"]![0]!.AsArray().Count);
        Assert.Equal(12, node["weights"]![0]![0]!.AsArray().Count);

        // a block's hidden state is the coarse site's label
        string coarse = Path.Combine(_dir, "c.h5");
        var cg = Run("coarse-grain", "--in", potts, "--filters", filters, "--out", coarse);
        Assert.True(cg.Code == 0, cg.Err);
        var c = SampleFile.Read(coarse);
        Assert.Equal((40, 4, 4), (c.Count, c.Ly, c.Lx));
        Assert.Equal(ModelCatalog.Potts2DName, c.Metadata.Model);
        Assert.Equal(3, c.Metadata.GetLong("q"));
        Assert.All(c.Data, v => Assert.InRange(v, 0, 2));

        // binary units on labels: coarse labels 0 and 1, a Potts file of q = 2
        string two = Path.Combine(_dir, "f2.json"), coarse2 = Path.Combine(_dir, "c2.h5");
        Assert.Equal(0, Run(["learn", "--in", potts, .. window, .. quick, "--hidden-states", "2", "--out", two, "--no-plot"]).Code);
        Assert.Equal((3, 2), (FiltersFile.Read(two).Filters.FeaturesPerSite, FiltersFile.Read(two).Filters.HiddenStates));
        Assert.Equal(0, Run("coarse-grain", "--in", potts, "--filters", two, "--out", coarse2).Code);
        Assert.Equal(2, SampleFile.Read(coarse2).Metadata.GetLong("q"));

        // filters of ±1 spins do not read labels
        Assert.Equal(0, Run("sample", "ising2d", "--size", "8", "--temperature", "2.5", "--samples", "200", "--out", ising).Code);
        string spins = Path.Combine(_dir, "s.json");
        Assert.Equal(0, Run(["learn", "--in", ising, .. window, "--out", spins, "--no-plot", "--ensemble", "1"]).Code);
        var wrong = Run("coarse-grain", "--in", potts, "--filters", spins, "--out", Path.Combine(_dir, "w.h5"));
        Assert.Equal(2, wrong.Code);
        Assert.Contains("the filters 's.json' read 1 feature(s) per site, but 'p.h5' holds the labels 0 to 2, which a learner sees as 3.", wrong.Err);
        var bad = Run(["learn", "--in", potts, .. window, .. quick, "--hidden-states", "1", "--out", two]);
        Assert.Equal(2, bad.Code);
        Assert.Contains("--hidden-states must be between 2 and 127, got 1.", bad.Err);
    }
}
