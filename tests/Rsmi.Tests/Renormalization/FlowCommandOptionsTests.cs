using System.CommandLine;
using Rsmi.Cli;
using Rsmi.Cli.Commands;
using Rsmi.Learning;
using Rsmi.Learning.InfoNce;
using Rsmi.Renormalization;

namespace Rsmi.Tests.Renormalization;

/// <summary>
/// <c>rsmi flow --buffer --environment</c> and the learners' options (the names of <c>rsmi learn</c>, one parser):
/// options given override the flow's defaults, the others keep them, and options that cannot apply are refused.
/// </summary>
public class FlowCommandOptionsTests
{
    private static (int Code, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, e.ToString());
    }

    private static IRuleEstimator Rule(params string[] options) =>
        FlowCommandFactory.RuleFor(["--size", "64", "--temperatures", "2.2,2.3", "--out", "unused", .. options]);

    /// <summary>The rule of <paramref name="options"/>, a learned one, and its learner's options.</summary>
    private static (LearnedRuleEstimator Rule, T Training) Learned<T>(params string[] options) where T : class
    {
        var rule = Assert.IsType<LearnedRuleEstimator>(Rule(options));
        var training = rule.Learner switch
        {
            InfoNceFilterLearner l => l.Options as T,
            RbmFilterLearner l => l.Options as T,
            _ => null,
        };
        return (rule, Assert.IsType<T>(training));
    }

    [Fact]
    public void InfoNceOptionsGivenOverrideTheFlowDefaultsAndTheOthersKeepThem()
    {
        var flowDefaults = LearnerCatalog.InfoNce.Defaults(LearnerUse.FlowRule);
        var (rule, training) = Learned<InfoNceOptions>("--estimator", "infonce", "--buffer", "2", "--environment", "3", "--infonce-steps", "77", "--infonce-l2", "0.05");
        Assert.Equal("infonce", rule.Name);
        Assert.Equal(2, rule.Buffer);
        Assert.Equal(3, rule.Environment);
        Assert.Equal(77, training.Steps);
        Assert.Equal(0.05, training.FilterL2);
        // Not given: the flow's own defaults (fewer steps and windows than rsmi learn), not learn's.
        Assert.Equal(flowDefaults.TrainingWindows, training.TrainingWindows);
        Assert.Equal(flowDefaults.EvaluationBatches, training.EvaluationBatches);
        Assert.Equal(flowDefaults.BatchSize, training.BatchSize);
        Assert.Equal(flowDefaults.CriticLayers, training.CriticLayers);
        Assert.Equal(77, rule.Options["infonce-steps"]);
        Assert.Equal(flowDefaults.TrainingWindows, rule.Options["infonce-windows"]);
        // Left to the data in the flow as in rsmi learn, and recorded so.
        Assert.Equal("auto", rule.Options["infonce-critic-layers"]);
        Assert.True(training.Pending.HasFlag(InfoNceAutomatic.CriticLayers));
        Assert.False(training.Pending.HasFlag(InfoNceAutomatic.Steps));

        var (plain, plainTraining) = Learned<InfoNceOptions>("--estimator", "infonce");
        Assert.Equal((FlowCommandFactory.DefaultBuffer, FlowCommandFactory.DefaultEnvironment), (plain.Buffer, plain.Environment));
        Assert.Equal(flowDefaults.Steps, plainTraining.Steps);
        Assert.Equal(600, plainTraining.Steps);
        Assert.NotEqual(LearnerCatalog.InfoNce.Defaults(LearnerUse.Filters).Steps, plainTraining.Steps);
        Assert.Equal(flowDefaults.Steps, plain.Options["infonce-steps"]);
    }

    [Fact]
    public void RbmOptionsGivenOverrideTheFlowDefaultsAndTheOthersKeepThem()
    {
        var flowDefaults = LearnerCatalog.Rbm.Defaults(LearnerUse.FlowRule);
        var (rule, training) = Learned<RsmiTrainingOptions>("--estimator", "rbm", "--environment", "2", "--rbm-updates", "40", "--rbm-max-windows", "3000");
        Assert.Equal("rbm", rule.Name);
        Assert.Equal((1, 2), (rule.Buffer, rule.Environment));
        Assert.Equal(40, training.Updates);
        Assert.Equal(3000, training.MaxWindows);
        Assert.Equal(flowDefaults.JointRbm.MaxUpdates, training.JointRbm.MaxUpdates);
        Assert.Equal(flowDefaults.BlockRbm.MaxUpdates, training.BlockRbm.MaxUpdates);
        Assert.Equal(flowDefaults.Restarts, training.Restarts);
        Assert.Equal(40, rule.Options["rbm-updates"]);
        Assert.Equal(flowDefaults.JointRbm.MaxUpdates, rule.Options["rbm-machine-updates"]);

        var (_, plain) = Learned<RsmiTrainingOptions>("--estimator", "rbm");
        Assert.Equal(flowDefaults.Updates, plain.Updates);
        Assert.Equal(300, plain.Updates);
        Assert.Equal(flowDefaults.MaxWindows, plain.MaxWindows);
        Assert.Equal(20_000, plain.MaxWindows);

        var (_, machines) = Learned<RsmiTrainingOptions>("--estimator", "rbm", "--rbm-machine-updates", "300");
        Assert.Equal(300, machines.JointRbm.MaxUpdates);
        Assert.Equal(200, machines.BlockRbm.MaxUpdates);
    }

    [Theory]
    [InlineData("--buffer does not apply", "--estimator", "majority", "--buffer", "2")]
    [InlineData("--environment does not apply", "--estimator", "decimation", "--environment", "2")]
    [InlineData("--infonce-steps is an option of --estimator infonce; --estimator majority is a fixed rule", "--estimator", "majority", "--infonce-steps", "10")]
    [InlineData("--rbm-updates is an option of --estimator rbm; it does not apply to --estimator infonce", "--estimator", "infonce", "--rbm-updates", "10")]
    [InlineData("--infonce-batch is an option of --estimator infonce; it does not apply to --estimator rbm", "--estimator", "rbm", "--infonce-batch", "64")]
    [InlineData("--buffer", "--estimator", "infonce", "--buffer", "-1")]
    [InlineData("--environment", "--estimator", "rbm", "--environment", "0")]
    [InlineData("--infonce-steps", "--estimator", "infonce", "--infonce-steps", "0")]
    [InlineData("spans 14 sites, more than the 8x8 lattice", "--estimator", "infonce", "--buffer", "3", "--environment", "3")]
    [InlineData("unknown estimator 'kl-rbm'", "--estimator", "kl-rbm")]
    public void OptionsThatCannotApplyAreRefusedBeforeAnyWork(string message, params string[] options)
    {
        string dir = Path.Combine(Path.GetTempPath(), "rsmi-flow-options-" + Guid.NewGuid().ToString("N"));
        var (code, err) = Run(["flow", "--size", "16", "--steps", "2", "--temperatures", "2.2,2.3", "--out", dir, .. options]);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(Directory.Exists(dir), "no work may start");
    }

    [Fact]
    public void LearnRefusesTheOptionsOfAnotherEstimator()
    {
        var (code, err) = Run("learn", "--in", "missing.h5", "--block", "2", "--hidden", "1", "--buffer", "0", "--environment", "1",
            "--estimator", "infonce", "--rbm-updates", "5", "--out", Path.Combine(Path.GetTempPath(), "unused.json"));
        Assert.Equal(2, code);
        Assert.Contains("--rbm-updates is an option of --estimator rbm", err);
    }

    [Fact]
    public void TheFlowCarriesEveryOptionOfTheLearnersThatCanDriveIt()
    {
        var flow = new FlowCommandFactory().Create();
        var names = flow.Options.Select(o => o.Name).ToHashSet();
        foreach (var e in LearnerCatalog.All)
            foreach (var o in e.Options)
                Assert.Equal(RuleEstimators.All.ContainsKey(e.Name), names.Contains("--" + o.Key));
        Assert.Contains("--buffer", names);
        Assert.Contains("--environment", names);

        // --help shows the defaults the flow uses, not rsmi learn's.
        var helpOut = new StringWriter();
        Assert.Equal(0, CliApp.Run(["flow", "--help"], helpOut, new StringWriter()));
        string help = helpOut.ToString();
        string Line(string option) => help.Split('\n').Single(l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal));
        Assert.Contains($"[default: {LearnerCatalog.InfoNce.Defaults(LearnerUse.FlowRule).Steps}]", Line("--infonce-steps"));
        Assert.Contains($"[default: {LearnerCatalog.InfoNce.Defaults(LearnerUse.FlowRule).TrainingWindows}]", Line("--infonce-windows"));
        Assert.Contains($"[default: {LearnerCatalog.Rbm.Defaults(LearnerUse.FlowRule).Updates}]", Line("--rbm-updates"));
        Assert.Contains($"[default: {LearnerCatalog.Rbm.Defaults(LearnerUse.FlowRule).MaxWindows}]", Line("--rbm-max-windows"));
    }

    /// <summary>--two-lattice and --compare are checked before any work, each refusal one sentence with exit code 2.</summary>
    [Theory]
    [InlineData("--compare", "majority,magic", "--compare: unknown rule 'magic'")]
    [InlineData("--compare", "rbm,rbm", "--compare: each rule may be named once")]
    [InlineData("--two-lattice", null, "--two-lattice draws its own lattices of side L/b and cannot be used with --in")]
    public void TwoLatticeAndCompareAreRefusedWhenTheyCannotApply(string option, string? value, string message)
    {
        string file = Path.Combine(Path.GetTempPath(), "rsmi-flow-in-" + Guid.NewGuid().ToString("N") + ".h5");
        try
        {
            Assert.Equal(0, CliApp.Run(["sample", "ising2d", "--size", "8", "--temperature", "2.3", "--samples", "20", "--out", file], new StringWriter(), new StringWriter()));
            string[] extra = value is null ? [option] : [option, value];
            string[] input = option == "--two-lattice" ? ["--in", file] : ["--size", "16"];
            var (code, err) = Run(["flow", "--temperatures", "2.3", "--steps", "1", "--samples", "20", "--jackknife-blocks", "4", "--out", Path.GetTempPath(), .. input, .. extra]);
            Assert.Equal(2, code);
            Assert.Contains(message, err);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void TwoLatticeNeedsTwoTemperatures()
    {
        var (code, err) = Run("flow", "--size", "16", "--temperatures", "2.3", "--steps", "1", "--two-lattice", "--out", Path.GetTempPath());
        Assert.Equal(2, code);
        Assert.Contains("--two-lattice needs at least two starting temperatures", err);
    }
}
