using System.Globalization;
using System.Text.Json.Nodes;
using Rsmi.Cli;
using Rsmi.IO;
using Rsmi.Learning;
using Rsmi.Models.Ising.Exact;
using Rsmi.Progress;
using Rsmi.Renormalization;
using Rsmi.Study.Stages;
using Rsmi.Tests.Renormalization;

namespace Rsmi.Tests.Study;

/// <summary>
/// Every flow key that <c>rsmi run</c> validates reaches <c>rsmi flow</c>: buffer, environment and the learner's
/// options, recorded in flow.json and shown in the report, and actually used for learning.
/// </summary>
[Trait("Category", "Statistical")]
public class FlowSettingsRunTests
{
    private static (int Code, string Out, string Err) Rsmi(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void TheFlowStageCarriesBufferEnvironmentAndTheLearnerOptions()
    {
        var config = global::Rsmi.Study.RunConfig.Parse("""
            {"flow": {"rule": "rbm", "buffer": 2, "environment": 3, "estimator": {"name": "rbm", "options": {"rbm-updates": 40, "rbm-persistent": true}}}}
            """, "cfg");
        var settings = Assert.IsType<FlowSettings>(global::Rsmi.Study.StudyPlan.Build(config, null).Single(s => s.Name == "flow").Settings);
        Assert.Equal("rbm", settings.Rule.Name);
        Assert.Equal((2, 3), (settings.Rule.Buffer, settings.Rule.Environment));
        Assert.Equal("40", settings.Rule.Options["rbm-updates"]);
        Assert.Equal("true", settings.Rule.Options["rbm-persistent"]);
        // ... and reach the learner the flow runs.
        var rule = Assert.IsType<LearnedRuleEstimator>(settings.CreateRule());
        var training = Assert.IsType<RbmFilterLearner>(rule.Learner).Options;
        Assert.Equal((2, 3), (rule.Buffer, rule.Environment));
        Assert.Equal(40, training.Updates);
        Assert.True(training.JointRbm.Persistent);
        Assert.Equal(40, rule.Options["rbm-updates"]);

        var fixedRule = global::Rsmi.Study.RunConfig.Parse("""{"flow": {"rule": "majority"}}""", "cfg");
        var fixedSettings = Assert.IsType<FlowSettings>(global::Rsmi.Study.StudyPlan.Build(fixedRule, null).Single(s => s.Name == "flow").Settings);
        Assert.Null(fixedSettings.Rule.Buffer);
        Assert.Null(fixedSettings.Rule.Environment);
        Assert.Same(FixedRuleEstimator.Majority, fixedSettings.CreateRule());
    }

    /// <summary>
    /// The acceptance check: a study with <c>flow.buffer: 2, flow.environment: 3</c>. flow.json and the report say so,
    /// and the first step's rule of every flow is exactly what the InfoNCE rule estimator learns with L_B = 2, L_E = 3
    /// from the same samples and seed (and not what it learns with L_B = L_E = 1).
    /// </summary>
    [Fact]
    public void AStudysFlowLearnsWithTheConfiguredBufferAndEnvironment()
    {
        string root = Path.Combine(Path.GetTempPath(), "rsmi-run-tests", "flow-settings-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            double[] temps = [2.1, 2.4];
            var inputs = new List<string>();
            for (int i = 0; i < temps.Length; i++)
            {
                string f = Path.Combine(root, $"t{i}.h5");
                SampleFile.Write(f, WolffTestSamples.Ising2D(32, temps[i], 60, (ulong)(300 + i)));
                inputs.Add(f);
            }
            string cfg = Path.Combine(root, "study.json");
            File.WriteAllText(cfg, """
                {
                  "name": "flow-settings", "seed": 5,
                  "ising_filters": {"enabled": false},
                  "dimer": {"enabled": false},
                  "flow": {"inputs": ["t0.h5", "t1.h5"], "steps": 2, "rule": "infonce",
                           "buffer": 2, "environment": 3,
                           "estimator": {"name": "infonce", "options": {"infonce-steps": 150, "infonce-windows": 4000}}}
                }
                """);
            string run = Path.Combine(root, "run");
            var (code, _, err) = Rsmi("run", "--config", cfg, "--out", run);
            Assert.True(code == 0, err);

            var flow = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "flow/flow.json")))!;
            Assert.Equal(2, flow["buffer"]!.GetValue<int>());
            Assert.Equal(3, flow["environment"]!.GetValue<int>());
            Assert.Equal("infonce", flow["estimator"]!.GetValue<string>());
            var options = flow["estimator_options"]!.AsObject();
            Assert.Equal(150, options["infonce-steps"]!.GetValue<int>());
            Assert.Equal(4000, options["infonce-windows"]!.GetValue<int>());
            Assert.Equal("auto", options["infonce-batch"]!.GetValue<string>()); // left to the data, as in rsmi learn

            string html = File.ReadAllText(Path.Combine(run, "report.html"));
            Assert.Contains("buffer 2, environment 3", html);
            Assert.Contains("infonce-steps = 150", html);

            ulong seed = flow["seed"]!.GetValue<ulong>();
            var settings = LearnerCatalog.InfoNce.Parse(new Dictionary<string, string> { ["infonce-steps"] = "150", ["infonce-windows"] = "4000" },
                LearnerUse.FlowRule, new LearnerContext(global::Rsmi.Regions.WindowGeometry.Square(2, 2, 2, 3), "ising2d"));
            var flows = flow["flows"]!.AsArray();
            int learned = 0;
            for (int i = 0; i < temps.Length; i++)
            {
                var samples = SampleFile.Read(inputs[i]);
                Assert.Equal(temps[i], flows[i]!["temperature"]!.GetValue<double>());
                var step1 = flows[i]!["steps"]![1]!;
                ulong learnSeed = RgFlow.DerivedSeed(seed, i, 1, "learn");
                var configured = RuleEstimators.Learned(settings, 2, 3).Learn(samples, 2, learnSeed, NullProgress.Instance);
                var other = RuleEstimators.Learned(settings, 1, 1).Learn(samples, 2, learnSeed, NullProgress.Instance);
                double recorded = step1["mutual_information_bits"]!.GetValue<double>();
                Assert.Equal(configured.MutualInformation!.Value.Value, recorded, 12);
                Assert.NotEqual(other.MutualInformation!.Value.Value, recorded);
                if (step1["rule_source"]!.GetValue<string>() != RuleSources.Learned) continue;
                learned++;
                var weights = step1["weights"]![0]!.AsArray().Select(w => w!.GetValue<double>()).ToArray();
                var expected = ((LearnedFilterRule)configured.Rule).Filters.Row(0).ToArray();
                for (int j = 0; j < weights.Length; j++) Assert.Equal(expected[j], weights[j], 12);
            }
            Assert.True(learned >= 1, "no flow applied its step-1 rule, so the weights were not compared: " + err);
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
