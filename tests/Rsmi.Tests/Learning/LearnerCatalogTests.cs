using Rsmi.Learning;
using Rsmi.Learning.InfoNce;
using Rsmi.Regions;

namespace Rsmi.Tests.Learning;

/// <summary>The learner catalog: one entry per learner, its options parsed from key/value text over the defaults of each use.</summary>
public class LearnerCatalogTests
{
    private static readonly LearnerContext Ising = new(WindowGeometry.Square(2, 2, 1, 1), "ising2d");

    private static Dictionary<string, string> Given(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void EveryOptionKeyStartsWithItsLearnersNameAndBelongsToOneLearner()
    {
        Assert.Equal(["rbm", "infonce", "kl-rbm"], LearnerCatalog.All.Select(l => l.Name));
        var keys = LearnerCatalog.All.SelectMany(l => l.Options.Select(o => (Learner: l, o.Key))).ToList();
        Assert.Equal(keys.Count, keys.Select(k => k.Key).Distinct().Count());
        foreach (var (learner, key) in keys)
        {
            Assert.StartsWith(learner.Name + "-", key);
            Assert.Same(learner, LearnerCatalog.OwnerOf(key));
        }
        Assert.Null(LearnerCatalog.OwnerOf("ensemble"));
        Assert.Null(LearnerCatalog.Find("majority"));
        Assert.Equal(["rbm", "infonce"], LearnerCatalog.All.Where(l => l.LearnsFlowRules).Select(l => l.Name));
    }

    [Fact]
    public void OptionsNotGivenTakeTheDefaultsOfTheUse()
    {
        var rbmFilters = (RsmiTrainingOptions)LearnerCatalog.Rbm.Parse(Given(), LearnerUse.Filters, Ising).Options;
        var rbmFlow = (RsmiTrainingOptions)LearnerCatalog.Rbm.Parse(Given(), LearnerUse.FlowRule, Ising).Options;
        Assert.Equal((600, 50_000, 1500, 1000), (rbmFilters.Updates, rbmFilters.MaxWindows, rbmFilters.JointRbm.MaxUpdates, rbmFilters.BlockRbm.MaxUpdates));
        Assert.Equal((300, 20_000, 1500, 1000), (rbmFlow.Updates, rbmFlow.MaxWindows, rbmFlow.JointRbm.MaxUpdates, rbmFlow.BlockRbm.MaxUpdates));

        var nceFilters = LearnerCatalog.InfoNce.Parse(Given(), LearnerUse.Filters, Ising);
        var nceFlow = LearnerCatalog.InfoNce.Parse(Given(), LearnerUse.FlowRule, Ising);
        Assert.True(((InfoNceOptions)nceFilters.Options).Pending.HasFlag(InfoNceAutomatic.Steps));
        Assert.Equal("auto", nceFilters.Effective["infonce-steps"]);
        Assert.False(((InfoNceOptions)nceFlow.Options).Pending.HasFlag(InfoNceAutomatic.Steps));
        Assert.Equal(600, nceFlow.Effective["infonce-steps"]);
        Assert.Equal(50_000, ((InfoNceOptions)nceFlow.Options).TrainingWindows);
        Assert.Equal("auto", nceFlow.Effective["infonce-critic-layers"]);
        Assert.Equal(LearnerCatalog.InfoNce.Options.Select(o => o.Key).Order(StringComparer.Ordinal), nceFlow.Effective.Keys);
    }

    [Fact]
    public void GivenOptionsAreParsedAndRecordedAsTheyAreUsed()
    {
        var s = LearnerCatalog.InfoNce.Parse(Given(("infonce-steps", "400"), ("infonce-batch", "AUTO"), ("infonce-bound", " NWJ "), ("infonce-critic-layers", "16, 8"),
            ("infonce-l2", "0.05")), LearnerUse.Filters, Ising);
        var o = (InfoNceOptions)s.Options;
        Assert.Equal(400, o.Steps);
        Assert.False(o.Pending.HasFlag(InfoNceAutomatic.Steps));
        Assert.True(o.Pending.HasFlag(InfoNceAutomatic.BatchSize));
        Assert.Equal(MutualInformationBound.Nwj, o.Bound);
        Assert.Equal([16, 8], o.CriticLayers);
        Assert.Equal(0.05, o.FilterL2);
        Assert.Equal(("nwj", "auto", "16,8", 400), ((string)s.Effective["infonce-bound"]!, (string)s.Effective["infonce-batch"]!, (string)s.Effective["infonce-critic-layers"]!, (int)s.Effective["infonce-steps"]!));
        Assert.IsType<InfoNceFilterLearner>(s.CreateLearner());

        var r = LearnerCatalog.Rbm.Parse(Given(("rbm-machine-updates", "300"), ("rbm-persistent", "true"), ("rbm-symmetrise", "true"), ("rbm-objective", "paper")), LearnerUse.Filters, Ising);
        var ro = (RsmiTrainingOptions)r.Options;
        Assert.Equal((300, 200, true, true), (ro.JointRbm.MaxUpdates, ro.BlockRbm.MaxUpdates, ro.BlockRbm.Persistent, ro.SymmetriseWith is not null));
        Assert.Equal(RsmiObjective.FirstCumulant, ro.Objective);
        Assert.Equal("first-cumulant", r.Effective["rbm-objective"]);
        Assert.Equal(3, Assert.IsType<RbmFilterLearner>(r.CreateLearner(3)).Stride);

        // the automatic objective: model information beyond four units when the block is enumerated, else log-mean-exp
        var auto = LearnerCatalog.Rbm.Parse(Given(), LearnerUse.Filters, Ising);
        var ao = (RsmiTrainingOptions)auto.Options;
        Assert.Null(ao.Objective);
        Assert.Equal("auto", auto.Effective["rbm-objective"]);
        Assert.Equal(RsmiObjective.LogMeanExp, (ao with { Hidden = 4 }).ObjectiveFor(4));
        Assert.Equal(RsmiObjective.ModelInformation, (ao with { Hidden = 5 }).ObjectiveFor(8));
        Assert.Equal(RsmiObjective.LogMeanExp, (ao with { Hidden = 8 }).ObjectiveFor(17));
        Assert.Equal(RsmiObjective.LogMeanExp, (ao with { Hidden = 8, InnerAverage = RsmiInnerAverage.MonteCarlo }).ObjectiveFor(8));
        var mi = LearnerCatalog.Rbm.Parse(Given(("rbm-objective", "model-information")), LearnerUse.Filters, Ising);
        Assert.Equal(RsmiObjective.ModelInformation, ((RsmiTrainingOptions)mi.Options).Objective);
        Assert.Equal("model-information", mi.Effective["rbm-objective"]);
        var refused = Assert.Throws<RsmiInputException>(() => LearnerCatalog.Rbm.Parse(Given(("rbm-objective", "model-information"), ("rbm-inner", "monte-carlo")), LearnerUse.Filters, Ising, k => "--" + k));
        Assert.Equal("--rbm-objective model-information needs the exact inner average over the block's states: at most 16 block sites (this block has 4) and not --rbm-inner monte-carlo.", refused.Message);
        var large = Assert.Throws<RsmiInputException>(() => LearnerCatalog.Rbm.Parse(Given(("rbm-objective", "model-information")), LearnerUse.Filters,
            new LearnerContext(WindowGeometry.Square(8, 8, 1, 1), "ising2d"), k => "--" + k));
        Assert.Contains("(this block has 64)", large.Message);

        var k = LearnerCatalog.KlRbm.Parse(Given(("kl-rbm-updates", "50"), ("kl-rbm-l2", "1e-3")), LearnerUse.Filters, Ising);
        var kl = Assert.IsType<KlRbmFilterLearner>(k.CreateLearner(2));
        Assert.Equal((50, 1e-3, 2), (kl.Options.Updates, kl.Options.L2, kl.Stride));
    }

    [Theory]
    [InlineData("rbm", "rbm-updates", "0", "--rbm-updates must be a positive integer, got 0.")]
    [InlineData("rbm", "rbm-updates", "3.5", "--rbm-updates: '3.5' is not an integer.")]
    [InlineData("rbm", "rbm-l2", "x", "--rbm-l2: 'x' is not a number.")]
    [InlineData("rbm", "rbm-persistent", "yes", "--rbm-persistent: 'yes' is not true or false.")]
    [InlineData("rbm", "rbm-objective", "magic", "--rbm-objective: unknown objective 'magic'; choose auto, model-information, log-mean-exp or first-cumulant.")]
    [InlineData("rbm", "infonce-steps", "5", "--infonce-steps is not an option of the rbm learner.")]
    [InlineData("infonce", "infonce-steps", "0", "--infonce-steps must be a positive integer, got 0.")]
    [InlineData("infonce", "infonce-steps", "many", "--infonce-steps: 'many' is not auto or an integer.")]
    [InlineData("infonce", "infonce-critic-layers", "a,b", "--infonce-critic-layers: 'a,b' is not auto or a comma-separated list of widths.")]
    [InlineData("kl-rbm", "kl-rbm-cd", "0", "--kl-rbm-cd must be a positive integer, got 0.")]
    public void BadValuesAreRefusedNamingTheOption(string learner, string key, string value, string message)
    {
        var e = Assert.Throws<RsmiInputException>(() => LearnerCatalog.Find(learner)!.Parse(Given((key, value)), LearnerUse.Filters, Ising, k => "--" + k));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ChecksThatNeedTheSamplesWaitUntilTheModelIsKnown()
    {
        var symmetrise = Given(("rbm-symmetrise", "true"));
        var dimer = new LearnerContext(WindowGeometry.Square(8, 8, 2, 4), "dimer");
        Assert.Contains("only valid for Ising samples, the input holds 'dimer'",
            Assert.Throws<RsmiInputException>(() => LearnerCatalog.Rbm.Parse(symmetrise, LearnerUse.Filters, dimer)).Message);
        LearnerCatalog.Rbm.Parse(symmetrise, LearnerUse.Filters, dimer with { Model = null });
        Assert.Contains("exact needs |V| ≤ 16, the block has 64 sites",
            Assert.Throws<RsmiInputException>(() => LearnerCatalog.Rbm.Parse(Given(("rbm-inner", "exact")), LearnerUse.Filters, dimer)).Message);
    }
}
