using System.CommandLine;
using Rsmi.Cli;
using Rsmi.Cli.Commands;
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

    [Fact]
    public void InfoNceOptionsGivenOverrideTheFlowDefaultsAndTheOthersKeepThem()
    {
        var flowDefaults = new InfoNceRuleEstimator().Training;
        var rule = Assert.IsType<InfoNceRuleEstimator>(Rule("--estimator", "infonce", "--buffer", "2", "--environment", "3", "--infonce-steps", "77", "--infonce-l2", "0.05"));
        Assert.Equal(2, rule.Buffer);
        Assert.Equal(3, rule.Environment);
        Assert.Equal(77, rule.Training.Steps);
        Assert.Equal(0.05, rule.Training.FilterL2);
        // Not given: the flow's own defaults (fewer steps and windows than rsmi learn), not learn's.
        Assert.Equal(flowDefaults.TrainingWindows, rule.Training.TrainingWindows);
        Assert.Equal(flowDefaults.EvaluationBatches, rule.Training.EvaluationBatches);
        Assert.Equal(flowDefaults.BatchSize, rule.Training.BatchSize);
        Assert.Equal(flowDefaults.CriticLayers, rule.Training.CriticLayers);
        Assert.Equal(77, rule.Options["infonce-steps"]);
        Assert.Equal(flowDefaults.TrainingWindows, rule.Options["infonce-windows"]);
        Assert.Equal("32,32", rule.Options["infonce-critic-layers"]);

        var plain = Assert.IsType<InfoNceRuleEstimator>(Rule("--estimator", "infonce"));
        Assert.Equal((FlowCommandFactory.DefaultBuffer, FlowCommandFactory.DefaultEnvironment), (plain.Buffer, plain.Environment));
        Assert.Equal(flowDefaults.Steps, plain.Training.Steps);
        Assert.Equal(600, plain.Training.Steps);
        Assert.NotEqual(new Rsmi.Learning.InfoNce.InfoNceOptions().Steps, plain.Training.Steps);
        Assert.Equal(flowDefaults.Steps, plain.Options["infonce-steps"]);
    }

    [Fact]
    public void RbmOptionsGivenOverrideTheFlowDefaultsAndTheOthersKeepThem()
    {
        var flowDefaults = new RbmRuleEstimator();
        var rule = Assert.IsType<RbmRuleEstimator>(Rule("--estimator", "rbm", "--environment", "2", "--rbm-updates", "40", "--rbm-max-windows", "3000"));
        Assert.Equal((1, 2), (rule.Buffer, rule.Environment));
        Assert.Equal(40, rule.Training.Updates);
        Assert.Equal(3000, rule.MaxWindows);
        Assert.Equal(flowDefaults.Training.JointRbm.MaxUpdates, rule.Training.JointRbm.MaxUpdates);
        Assert.Equal(flowDefaults.Training.BlockRbm.MaxUpdates, rule.Training.BlockRbm.MaxUpdates);
        Assert.Equal(flowDefaults.Training.Restarts, rule.Training.Restarts);
        Assert.Equal(40, rule.Options["rbm-updates"]);
        Assert.Equal(flowDefaults.Training.JointRbm.MaxUpdates, rule.Options["rbm-machine-updates"]);

        var plain = Assert.IsType<RbmRuleEstimator>(Rule("--estimator", "rbm"));
        Assert.Equal(flowDefaults.Training.Updates, plain.Training.Updates);
        Assert.Equal(flowDefaults.MaxWindows, plain.MaxWindows);

        var machines = Assert.IsType<RbmRuleEstimator>(Rule("--estimator", "rbm", "--rbm-machine-updates", "300"));
        Assert.Equal(300, machines.Training.JointRbm.MaxUpdates);
        Assert.Equal(200, machines.Training.BlockRbm.MaxUpdates);
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
        foreach (var e in LearnCommandFactory.Estimators())
            foreach (var o in e.Options)
                Assert.Equal(RuleEstimators.All.ContainsKey(e.Name), names.Contains(o.Name));
        Assert.Contains("--buffer", names);
        Assert.Contains("--environment", names);

        // --help shows the defaults the flow uses, not rsmi learn's.
        var helpOut = new StringWriter();
        Assert.Equal(0, CliApp.Run(["flow", "--help"], helpOut, new StringWriter()));
        string help = helpOut.ToString();
        string Line(string option) => help.Split('\n').Single(l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal));
        Assert.Contains($"[default: {new InfoNceRuleEstimator().Training.Steps}]", Line("--infonce-steps"));
        Assert.Contains($"[default: {new InfoNceRuleEstimator().Training.TrainingWindows}]", Line("--infonce-windows"));
        Assert.Contains($"[default: {new RbmRuleEstimator().Training.Updates}]", Line("--rbm-updates"));
        Assert.Contains($"[default: {new RbmRuleEstimator().MaxWindows}]", Line("--rbm-max-windows"));
    }
}
