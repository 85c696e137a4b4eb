using Rsmi.Data;
using Rsmi.Models.Ising;
using Rsmi.Progress;
using Rsmi.Renormalization;
using Rsmi.Statistics;
using Rsmi.Study.Stages;

namespace Rsmi.Tests.Renormalization;

/// <summary>
/// MCRG on a lattice of its own (<see cref="RgFlow.RunMcrgLattice"/>): its parts are blocked as one set would be, its
/// rules are learned once on the first part, and the flow's MCRG estimates and table by step become the lattice's.
/// </summary>
public class McrgLatticeTests
{
    private const double Tc = Rsmi.Models.Ising.Exact.Ising2D.CriticalTemperature;
    private static readonly double[] Temperatures = [2.1, Tc, 2.45];

    private static SampleSet Samples(int size, double t, int count, ulong seed) =>
        IsingSampling.Sample("ising2d", "wolff", size, t, count, seed, chains: 2);

    private static FlowOptions Options(int steps) => new() { Steps = steps, Block = 2, JackknifeBlocks = 10, Seed = 3, McrgTemperature = Tc };

    private static SampleSet[] Halves(SampleSet set) => [set.Slice(0, set.Count / 2), set.Slice(set.Count / 2, set.Count - set.Count / 2)];

    [Fact]
    public void ALatticeInPartsGivesTheMcrgOfTheSameSamplesInTheFlow()
    {
        // Decimation keeps one spin of every block, with no random tie-break: the parts are blocked exactly as the
        // whole set is, so the lattice's MCRG is the flow's own on the same samples.
        var samples = Temperatures.Select((t, i) => Samples(16, t, 60, 20 + (ulong)i)).ToArray();
        var rule = RuleEstimators.Create("decimation");
        var plain = RgFlow.Run(Temperatures, (i, _) => samples[i], rule, Options(2));
        var lattice = RgFlow.RunMcrgLattice(Tc, Halves(samples[1]), rule, Options(2));
        Assert.Equal(16, lattice.Size);
        Assert.Equal(2, lattice.Steps);
        Assert.Equal(60, lattice.Samples);
        Assert.Equal(2, lattice.Parts);
        Assert.All(lattice.Learning, s => Assert.Equal(RuleSources.Fixed, s.RuleSource));
        var withLattice = RgFlow.Run(Temperatures, (i, _) => samples[i], rule, Options(2), mcrgLattice: lattice);
        Assert.Same(lattice, withLattice.McrgLattice);
        Assert.Equal(plain.Estimates.NuMcrg, withLattice.Estimates.NuMcrg);
        Assert.Equal(plain.Estimates.Yh, withLattice.Estimates.Yh);
        Assert.Equal(plain.Estimates.Mcrg!.Levels.Select(l => l.Nu), withLattice.Estimates.Mcrg!.Levels.Select(l => l.Nu));
        Assert.Equal(plain.Estimates.Rules[0].Mcrg!.Nu, withLattice.Estimates.Rules[0].Mcrg!.Nu);
        // The flow's own estimates do not move.
        Assert.Equal(plain.Estimates.CriticalTemperature, withLattice.Estimates.CriticalTemperature);
        Assert.Equal(plain.Estimates.ByStep.Select(k => k.Tc), withLattice.Estimates.ByStep.Select(k => k.Tc));
    }

    [Fact]
    public void ALargerLatticeCarriesTheTableByStepPastTheFlowsSteps()
    {
        var samples = Temperatures.Select((t, i) => Samples(8, t, 40, 40 + (ulong)i)).ToArray();
        var rule = FixedRuleEstimator.Majority;
        var lattice = RgFlow.RunMcrgLattice(Tc, Halves(Samples(16, Tc, 40, 50)), rule, Options(3));
        var result = RgFlow.Run(Temperatures, (i, _) => samples[i], rule, Options(2), mcrgLattice: lattice);
        var table = result.Estimates.ByStep;
        Assert.Equal(new[] { 1, 2, 3 }, table.Select(k => k.Step).ToArray());
        Assert.Equal(new int?[] { 4, 2, null }, table.Select(k => k.Size).ToArray());
        Assert.Equal(new[] { 8, 4, 2 }, table.Select(k => k.McrgSize).ToArray());
        Assert.True(double.IsNaN(table[2].Tc.Value));
        Assert.Equal(result.Estimates.CriticalTemperatureByStep[0].Value, table[0].Tc.Value);
        var levels = result.Estimates.Mcrg!.Levels;
        Assert.Equal(new[] { 16, 8, 4 }, levels.Select(l => l.FineSize).ToArray());
        for (int k = 0; k < 3; k++) Assert.Equal(levels[k].Nu, table[k].Nu);
        Assert.Equal(40, result.Estimates.Mcrg.Samples);
    }

    [Fact]
    public void TheRulesAreLearnedOnceOnTheFirstPartAndAStepWithoutSignalFallsBack()
    {
        var learner = new RecordingEstimator();
        var notices = new List<string>();
        var parts = new[] { Samples(16, Tc, 30, 60), Samples(16, Tc, 20, 61), Samples(16, Tc, 10, 62) };
        var lattice = RgFlow.RunMcrgLattice(Tc, parts, learner, Options(3), NullProgress.Instance, notices.Add);
        // Three steps learned on the first part's levels 0, 1 and 2, and none on the other parts.
        Assert.Equal(new[] { (16, 30), (8, 30), (4, 30) }, learner.Seen.ToArray());
        Assert.Equal(60, lattice.Samples);
        Assert.Equal(3, lattice.Parts);
        Assert.Equal(new[] { RuleSources.Learned, RuleSources.PreviousStep, RuleSources.Learned }, lattice.Learning.Select(s => s.RuleSource).ToArray());
        Assert.Equal(1, lattice.Learning[1].RuleStep);
        Assert.Equal(new[] { 8, 4, 2 }, lattice.Learning.Select(s => s.Size).ToArray());
        Assert.Single(notices);
        Assert.Contains("step 2", notices[0]);
    }

    [Fact]
    public void ALatticeAtAnotherTemperatureOrWithAnotherRuleIsRefused()
    {
        var samples = Temperatures.Select((t, i) => Samples(8, t, 20, 70 + (ulong)i)).ToArray();
        var rule = FixedRuleEstimator.Majority;
        var elsewhere = RgFlow.RunMcrgLattice(2.45, [Samples(8, 2.45, 20, 80)], rule, Options(2));
        var e = Assert.Throws<RsmiInputException>(() => RgFlow.Run(Temperatures, (i, _) => samples[i], rule, Options(2), mcrgLattice: elsewhere));
        Assert.Contains("at the flow's MCRG temperature", e.Message);
        var decimated = RgFlow.RunMcrgLattice(Tc, [Samples(8, Tc, 20, 81)], RuleEstimators.Create("decimation"), Options(2));
        e = Assert.Throws<RsmiInputException>(() => RgFlow.Run(Temperatures, (i, _) => samples[i], rule, Options(2), mcrgLattice: decimated));
        Assert.Contains("blocked by the decimation rule", e.Message);
        e = Assert.Throws<RsmiInputException>(() => RgFlow.RunMcrgLattice(Tc, [Samples(8, Tc, 20, 82), Samples(16, Tc, 20, 83)], rule, Options(2)));
        Assert.Contains("same size", e.Message);
        e = Assert.Throws<RsmiInputException>(() => RgFlow.RunMcrgLattice(Tc, [Samples(8, Tc, 5, 84)], rule, Options(2)));
        Assert.Contains("fewer than the 10 jackknife blocks", e.Message);
    }

    [Fact]
    public void PartsDrawnByTheChainDriverReportHowFarTheBlockingIs()
    {
        var square = Rsmi.Models.ModelCatalog.Ising2D;
        var arguments = Rsmi.Models.ModelArguments.Defaults(square).Set(square.Size, 16).Set(square.Temperature, Tc);
        var parts = Rsmi.Models.ModelSampling.SampleParts(square, arguments, "wolff", 40, partSize: 20, seed: 9, chains: 2);
        var progress = new RecordingProgress();
        var lattice = RgFlow.RunMcrgLattice(Tc, parts, FixedRuleEstimator.Majority, Options(2), progress);
        Assert.Equal((40, 2), (lattice.Samples, lattice.Parts));
        var blocking = progress.Reports.Where(r => r.Detail?.Contains("blocking") == true).ToList();
        Assert.Equal(new[] { "part 1 of 2: blocking 20 configurations of side 16", "part 2 of 2: blocking 20 configurations of side 16" }, blocking.Select(r => r.Detail).ToArray());
        Assert.Equal(new[] { 0.5, 1.0 }, blocking.Select(r => r.Fraction).ToArray());
    }

    private sealed class RecordingProgress : IProgressReporter
    {
        public List<(string Stage, double Fraction, string? Detail)> Reports { get; } = [];
        public void Report(string stage, double fraction, string? detail = null) { lock (Reports) Reports.Add((stage, fraction, detail)); }
    }

    [Fact]
    public void ALatticeFileGivesBackTheLatticeAndARuinedOneIsRefused()
    {
        var samples = Temperatures.Select((t, i) => Samples(8, t, 20, 90 + (ulong)i)).ToArray();
        var rule = FixedRuleEstimator.Majority;
        var lattice = RgFlow.RunMcrgLattice(Tc, Halves(Samples(16, Tc, 30, 95)), rule, Options(3));
        using var dir = new Rsmi.Tests.IO.TempDirectory();
        string path = Path.Combine(dir.Path, "lattice.bin");
        TemperatureFlowFile.WriteLattice(path, lattice);
        var read = TemperatureFlowFile.ReadLattice(path);
        Assert.Equal((lattice.Temperature, lattice.Size, lattice.Steps, lattice.Samples, lattice.Parts), (read.Temperature, read.Size, read.Steps, read.Samples, read.Parts));
        Assert.Equal(lattice.Learning, read.Learning);
        var a = RgFlow.Run(Temperatures, (i, _) => samples[i], rule, Options(2), mcrgLattice: lattice).Estimates;
        var b = RgFlow.Run(Temperatures, (i, _) => samples[i], rule, Options(2), mcrgLattice: read).Estimates;
        Assert.Equal(a.NuMcrg, b.NuMcrg);
        Assert.Equal(a.Yh, b.Yh);
        Assert.Equal(a.NuMcrgMajority, b.NuMcrgMajority);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..40]);
        Assert.Contains("truncated", Assert.Throws<RsmiInputException>(() => TemperatureFlowFile.ReadLattice(path)).Message);
        File.WriteAllText(path, "not a lattice");
        Assert.Contains("is not an rsmi MCRG lattice file", Assert.Throws<RsmiInputException>(() => TemperatureFlowFile.ReadLattice(path)).Message);
    }

    [Theory]
    [InlineData(64, null, "mcrg-size needs mcrg-temperature")]
    [InlineData(48, 1.0, "mcrg-size must be the flow's lattice size 16 times a power of the block 2 (e.g. 32), so that its steps end on the flow's last lattice; got 48.")]
    [InlineData(16, 1.0, "mcrg-size must be the flow's lattice size 16 times a power")]
    public void FlowSettingsRefuseAnMcrgLatticeThatDoesNotFit(int size, double? at, string message)
    {
        var settings = new FlowSettings
        {
            Temperatures = [0.95 * Tc, Tc], Size = 16, Steps = 2, Rule = new RuleSettings { Name = "majority" },
            McrgTemperature = at is null ? null : Tc * at, McrgSize = size,
        };
        var e = Assert.Throws<RsmiInputException>(settings.ValidateMcrg);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void FlowSettingsCountTheMcrgLatticesStepsAndParts()
    {
        var settings = new FlowSettings
        {
            Model = "ising3d", Temperatures = [4.4, 4.5115], Size = 32, Steps = 2, Samples = 1000, Rule = new RuleSettings { Name = "majority" },
            McrgTemperature = 4.5115, McrgSize = 128, McrgSamples = 4000,
        };
        settings.ValidateMcrg();
        Assert.Equal(4, settings.McrgSteps);
        Assert.Equal(128, settings.McrgPartSize); // 2^28 / 128³
        // The flow's own lattice then has its usual number at the MCRG temperature.
        Assert.Equal(1000, settings.SamplesAt(1));
        Assert.Equal(2, (settings with { McrgSize = null }).McrgSteps);
        Assert.Equal(4000, (settings with { McrgSize = null }).SamplesAt(1));
        var e = Assert.Throws<RsmiInputException>((settings with { Compare = ["decimation"] }).ValidateMcrg);
        Assert.Contains("cannot be used with compare", e.Message);
        e = Assert.Throws<RsmiInputException>((settings with { Inputs = ["a.h5", "b.h5"], McrgSamples = null }).ValidateMcrg);
        Assert.Contains("mcrg-size draws a lattice of its own and cannot be used with sample files", e.Message);
    }

    /// <summary>A rule estimator that records what it learns on and has no signal at its second step.</summary>
    private sealed class RecordingEstimator : IRuleEstimator
    {
        public List<(int Size, int Count)> Seen { get; } = [];
        public string Name => "recording";

        public LearnedRule Learn(SampleSet samples, int block, ulong seed, IProgressReporter progress)
        {
            Seen.Add((samples.Lx, samples.Count));
            return new LearnedRule(new MajorityRule(block), new Estimate(Seen.Count == 2 ? 0.0 : 0.5, 0.01), Signal: Seen.Count != 2);
        }
    }
}
