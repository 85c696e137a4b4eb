using Rsmi.Statistics;
using System.Text.Json;
using Rsmi.Cli;
using Rsmi.Data;
using Rsmi.Filters;
using Rsmi.IO;
using Rsmi.Models.Ising.Exact;
using Rsmi.Renormalization;

namespace Rsmi.Tests.Renormalization;

[Trait("Category", "Statistical")]
public class RgFlowTests
{
    private const double Tc = Rsmi.Models.Ising.Exact.Ising2D.CriticalTemperature;

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static string TempDir()
    {
        string d = Path.Combine(Path.GetTempPath(), "rsmi-flow-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>
    /// The seeded, reduced flow: 32×32 at 0.9…1.1 T_c, 400 samples, two majority-rule steps, through the command
    /// line. Below T_c the effective temperature must fall at every step and above T_c rise, each by more than four
    /// error bars; T_c and ν must agree with the exact values within four error bars, and the error bars must be
    /// small enough for that to mean something.
    /// </summary>
    [Fact]
    public void ReducedMajorityRuleFlowDivergesOnBothSidesOfTcAndEstimatesTcAndNu()
    {
        string dir = TempDir();
        try
        {
            var (code, output, err) = Run("flow", "--model", "ising2d", "--size", "32", "--temperatures", "0.9Tc,0.95Tc,1Tc,1.05Tc,1.1Tc",
                "--samples", "400", "--steps", "2", "--block", "2", "--estimator", "majority", "--seed", "11", "--out", dir);
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "flow.json")));
            var root = doc.RootElement;
            Assert.Equal("ising2d", root.GetProperty("model").GetString());
            Assert.Equal(32, root.GetProperty("size").GetInt32());
            Assert.Equal(2, root.GetProperty("steps").GetInt32());
            Assert.Equal("majority", root.GetProperty("estimator").GetString());
            string[] stepKeys = ["step", "size", "effective_temperature", "effective_temperature_error", "nn_correlation", "diagonal_correlation", "correlation_length", "mutual_information_bits"];
            var flows = root.GetProperty("flows").EnumerateArray().ToArray();
            Assert.Equal(5, flows.Length);
            foreach (var f in flows)
            {
                double t0 = f.GetProperty("temperature").GetDouble();
                var steps = f.GetProperty("steps").EnumerateArray().ToArray();
                Assert.Equal(3, steps.Length);
                foreach (var s in steps) foreach (var k in stepKeys) Assert.True(s.TryGetProperty(k, out _), $"missing {k}");
                Assert.Equal(new[] { 32, 16, 8 }, steps.Select(s => s.GetProperty("size").GetInt32()).ToArray());
                var t = steps.Select(s => s.GetProperty("effective_temperature").GetDouble()).ToArray();
                var e = steps.Select(s => s.GetProperty("effective_temperature_error").GetDouble()).ToArray();
                Assert.True(Math.Abs(t[0] - t0) < 4 * e[0], $"step 0 reads {t[0]} ± {e[0]} at T0 = {t0}");
                // The direction of the flow is a statement about one thermometer (Kaufman): its statistical errors
                // decide; the spread between thermometers is a common systematic of each step's reading.
                e = steps.Select(s => s.GetProperty("effective_temperature_statistical_error").GetDouble()).ToArray();
                if (Math.Abs(t0 / Tc - 1) < 0.01) continue;
                int direction = t0 < Tc ? -1 : 1;
                for (int k = 1; k < 3; k++)
                    Assert.True(direction * (t[k] - t[k - 1]) > 4 * Math.Sqrt(e[k] * e[k] + e[k - 1] * e[k - 1]),
                        $"T0/Tc = {t0 / Tc:F3}: step {k} gives {t[k]} ± {e[k]} after {t[k - 1]} ± {e[k - 1]}");
            }
            var est = root.GetProperty("estimates");
            foreach (var (name, exact, maxError) in new[] { ("tc", Tc, 0.02 * Tc), ("nu_flow", 1.0, 0.15), ("nu_collapse", 1.0, 0.2), ("nu_mcrg", 1.0, 0.3), ("nu_mcrg_majority", 1.0, 0.3) })
            {
                double v = est.GetProperty(name).GetProperty("value").GetDouble(), err2 = est.GetProperty(name).GetProperty("error").GetDouble();
                Assert.True(err2 > 0 && err2 < maxError, $"{name} = {v} ± {err2}: error bar out of range");
                Assert.True(Math.Abs(v - exact) < 4 * err2, $"{name} = {v} ± {err2} against {exact}");
            }
            Assert.True(File.Exists(Path.Combine(dir, "flow_temperature.png")) && File.Exists(Path.Combine(dir, "flow_temperature.svg")));
            Assert.Contains("T_c =", output);
            Assert.Empty(Directory.GetFiles(dir, "*.tmp*"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void FlowEstimatorsRecoverTcAndNuFromAnIdealLinearisedFlow()
    {
        // An ideal flow T_eff^(k) = T_c + (T_0 − T_c)·2^{k/ν} with ν = 0.8 and T_c = 2: the crossing, the slopes and the
        // collapse must all return the input exactly (up to interpolation error, zero for a linear flow).
        double[] t0 = [1.8, 1.9, 1.95, 2.05, 2.1, 2.2];
        const double nu = 0.8, tc = 2.0;
        var table = t0.Select(t => Enumerable.Range(0, 4).Select(k => tc + (t - tc) * Math.Pow(2, k / nu)).ToArray()).ToArray();
        var (tcEst, nuFlow, nuCollapse) = RgFlow.Analyse(t0, table, 3, 2);
        Assert.Equal(tc, tcEst, 10);
        Assert.Equal(nu, nuFlow, 8);
        Assert.Equal(nu, nuCollapse, 4);
    }

    /// <summary>
    /// With 3 × 3 blocks an RG step rescales lengths by 3, so the ideal flow is T_c + (T_0 − T_c)·3^{k/ν}: the slopes
    /// and the collapse must return ν with log_3. Read with log 2 (as if b were 2) the same table gives
    /// ν·ln 2/ln 3 ≈ 0.505 instead of 0.8, which the first assertions would reject.
    /// </summary>
    [Fact]
    public void NuIsReadWithTheLogarithmOfTheBlockSize()
    {
        double[] t0 = [1.9, 1.95, 1.98, 2.02, 2.05, 2.1];
        const double nu = 0.8, tc = 2.0;
        var table = t0.Select(t => Enumerable.Range(0, 3).Select(k => tc + (t - tc) * Math.Pow(3, k / nu)).ToArray()).ToArray();
        var (tcEst, nuFlow, nuCollapse) = RgFlow.Analyse(t0, table, 2, block: 3);
        Assert.Equal(tc, tcEst, 10);
        Assert.Equal(nu, nuFlow, 8);
        Assert.Equal(nu, nuCollapse, 4);
        var (_, nuFlow2, nuCollapse2) = RgFlow.Analyse(t0, table, 2, block: 2);
        Assert.Equal(nu * Math.Log(2) / Math.Log(3), nuFlow2, 8);
        Assert.Equal(nu * Math.Log(2) / Math.Log(3), nuCollapse2, 4);
    }

    [Fact]
    public void CoarseGrainCommandWritesTheCoarseLatticeWithParentMetadata()
    {
        string dir = TempDir();
        try
        {
            var samples = WolffTestSamples.Ising2D(16, 2.5, 40, 3);
            string input = Path.Combine(dir, "fine.npy"), filters = Path.Combine(dir, "filters.json"), output = Path.Combine(dir, "coarse.h5");
            SampleFile.Write(Path.Combine(dir, "fine.h5"), samples);
            input = Path.Combine(dir, "fine.h5");
            FiltersFile.Write(filters, Filters("ising2d", 2, [0.5, 0.5, 0.5, 0.5]));
            var (code, _, err) = Run("coarse-grain", "--in", input, "--filters", filters, "--mode", "sign", "--seed", "4", "--out", output);
            Assert.True(code == 0, err);
            var coarse = SampleFile.Read(output);
            Assert.Equal(new[] { 8, 8 }, coarse.SiteShape);
            Assert.Equal(40, coarse.Count);
            Assert.Equal(1L, coarse.Metadata.GetLong("rg_step"));
            string parent = coarse.Metadata.GetString("parent")!;
            Assert.StartsWith("fine.h5 sha256:", parent);
            Assert.Equal(64 + "fine.h5 sha256:".Length, parent.Length);
            // sign(Σv/2) is the majority rule wherever the block sum is non-zero.
            for (int n = 0; n < samples.Count; n++)
            for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
            {
                var f = samples.Configuration(n);
                int sum = f[2 * y * 16 + 2 * x] + f[2 * y * 16 + 2 * x + 1] + f[(2 * y + 1) * 16 + 2 * x] + f[(2 * y + 1) * 16 + 2 * x + 1];
                if (sum != 0) Assert.Equal(Math.Sign(sum), coarse.Configuration(n)[y * 8 + x]);
            }
            // A second step reads rg_step 1 and writes 2; the same seed gives the same file content.
            string output2 = Path.Combine(dir, "coarse2.h5"), again = Path.Combine(dir, "coarse2b.h5");
            Assert.Equal(0, Run("coarse-grain", "--in", output, "--filters", filters, "--seed", "9", "--out", output2).Code);
            Assert.Equal(0, Run("coarse-grain", "--in", output, "--filters", filters, "--seed", "9", "--out", again).Code);
            Assert.Equal(2L, SampleFile.Read(output2).Metadata.GetLong("rg_step"));
            Assert.Equal(SampleFile.Read(output2).Data, SampleFile.Read(again).Data);
        }
        finally { Directory.Delete(dir, true); }
    }

    private static FilterSet Filters(string model, int b, double[] weights) => new()
    {
        Model = model, BlockX = b, BlockY = b, Buffer = 1, Environment = 2, Estimator = "rbm",
        Filters = new FilterParameters(weights.Length, 1, weights), MutualInformationBits = 0.1, Seed = 1,
    };

    [Fact]
    public void BadInputGivesExitCodeTwoWithAClearSentence()
    {
        string dir = TempDir();
        try
        {
            var samples = WolffTestSamples.Ising2D(16, 2.5, 40, 3);
            string input = Path.Combine(dir, "fine.h5");
            SampleFile.Write(input, samples);
            string filters3 = Path.Combine(dir, "f3.json"), dimerFilters = Path.Combine(dir, "fd.json");
            FiltersFile.Write(filters3, Filters("ising2d", 3, Enumerable.Repeat(0.3, 9).ToArray()));
            FiltersFile.Write(dimerFilters, Filters("dimer", 2, [0.5, 0.5, 0.5, 0.5]));

            var r = Run("coarse-grain", "--in", input, "--filters", filters3, "--out", Path.Combine(dir, "c.h5"));
            Assert.Equal(2, r.Code);
            Assert.Contains("3x3 block", r.Err);
            Assert.Contains("does not divide", r.Err);

            r = Run("coarse-grain", "--in", input, "--filters", dimerFilters, "--out", Path.Combine(dir, "c.h5"));
            Assert.Equal(2, r.Code);
            Assert.Contains("dimer", r.Err);

            r = Run("flow", "--size", "20", "--temperatures", "2.2,2.3", "--samples", "20", "--steps", "3", "--out", Path.Combine(dir, "o"));
            Assert.Equal(2, r.Code);
            Assert.Contains("--size 20", r.Err);

            var dimer = new SampleSet(20, [16, 16], (sbyte[])samples.Data[..(20 * 256)].Clone(), new SampleMetadata { Model = "dimer" });
            string dimerFile = Path.Combine(dir, "dimer.h5");
            SampleFile.Write(dimerFile, dimer);
            r = Run("flow", "--in", dimerFile, "--temperatures", "2.5", "--steps", "1", "--out", Path.Combine(dir, "o"));
            Assert.Equal(2, r.Code);
            Assert.Contains("Ising thermometer", r.Err);
            Assert.Contains("dimer", r.Err);

            r = Run("flow", "--size", "16", "--steps", "2", "--temperatures", "2.2,2.3", "--estimator", "nonsense", "--out", Path.Combine(dir, "o"));
            Assert.Equal(2, r.Code);
            Assert.Contains("--estimator", r.Err);

            r = Run("flow", "--size", "16", "--temperatures", "2.2,-1", "--out", Path.Combine(dir, "o"));
            Assert.Equal(2, r.Code);
            Assert.Contains("--temperatures", r.Err);
            Assert.False(File.Exists(Path.Combine(dir, "o", "flow.json")));
        }
        finally { Directory.Delete(dir, true); }
    }
}

public class LearnedFlowTests
{
    private const double Tc = Rsmi.Models.Ising.Exact.Ising2D.CriticalTemperature;

    /// <summary>
    /// A seeded flow with filters learned afresh at each step by the RSMI network (RBM estimator, reduced training
    /// budget): the learned 2×2 filter is a block spin (all four weights of one sign), the Z2 projection leaves no bias,
    /// the mutual information is reported, and the flow runs away from T_c on both sides by more than four
    /// statistical error bars at every step.
    /// </summary>
    [Fact]
    public void RbmLearnedFlowDivergesOnBothSidesOfTc()
    {
        var estimator = new LearnedRuleEstimator(new Rsmi.Learning.RbmFilterLearner(new Rsmi.Learning.RsmiTrainingOptions() with
        {
            Updates = 150,
            MaxWindows = 4000,
            JointRbm = new Rsmi.Learning.RsmiTrainingOptions().JointRbm with { MaxUpdates = 400 },
            BlockRbm = new Rsmi.Learning.RsmiTrainingOptions().BlockRbm with { MaxUpdates = 300 },
        }));
        double[] temps = [0.9 * Tc, Tc, 1.1 * Tc];
        var result = RgFlow.Run(temps, (i, t) => WolffTestSamples.Ising2D(32, t, 300, (ulong)(40 + i)), estimator,
            new FlowOptions { Steps = 2, Seed = 3, JackknifeBlocks = 10 });
        Assert.Equal("rbm", result.Estimator);
        foreach (var f in result.Flows)
        {
            foreach (var s in f.Steps.Skip(1))
            {
                Assert.NotNull(s.Filters);
                var row = s.Filters!.Row(0).ToArray();
                Assert.All(row, w => Assert.True(w > 0, $"filter {string.Join(", ", row)} at T0 = {f.Temperature} is not a block spin"));
                Assert.Equal(0.0, s.Filters.Bias[0]);
                Assert.NotNull(s.LearnedBias);
                Assert.True(s.MutualInformation?.Value is > 0, $"I = {s.MutualInformation}");
            }
            if (Math.Abs(f.Temperature / Tc - 1) < 0.01) continue;
            int direction = f.Temperature < Tc ? -1 : 1;
            for (int k = 1; k <= 2; k++)
            {
                var a = f.Steps[k - 1].Thermometry.KaufmanTemperature; var b = f.Steps[k].Thermometry.KaufmanTemperature;
                Assert.True(direction * (b.Value - a.Value) > 4 * Math.Sqrt(a.Error * a.Error + b.Error * b.Error), $"T0/Tc = {f.Temperature / Tc:F2}: {a} → {b}");
            }
        }
        // The crossing lies between the neighbouring starting temperatures.
        Assert.InRange(result.Estimates.CriticalTemperature.Value, 0.9 * Tc, 1.1 * Tc);
    }
}

public class FlowReproducibilityTests
{
    [Fact]
    public void TheSameSeedGivesTheSameReportWhateverTheNumberOfThreads()
    {
        double[] temps = [2.1, 2.3, 2.5];
        string Report(int threads, ulong seed) => FlowReport.ToJsonString(RgFlow.Run(temps, (i, t) => WolffTestSamples.Ising2D(16, t, 60, (ulong)(70 + i)),
            new FixedFilterEstimator(), new FlowOptions { Steps = 2, Seed = seed, JackknifeBlocks = 6, MaxThreads = threads }));
        string one = Report(1, 5);
        Assert.Equal(one, Report(-1, 5));
        Assert.NotEqual(one, Report(-1, 6));
    }

    /// <summary>A fixed stochastic filter rule (block spin with finite weights) standing in for a learner: every
    /// coarse spin is random, so any dependence of the streams on the thread count would show.</summary>
    private sealed class FixedFilterEstimator : IRuleEstimator
    {
        public string Name => "fixed-filter";
        public LearnedRule Learn(Rsmi.Data.SampleSet samples, int block, ulong seed, Rsmi.Progress.IProgressReporter progress)
            => new(new LearnedFilterRule(FilterParameters.FromRows([[0.4, 0.4, 0.4, 0.4]], [0.0]), block, block), new Estimate(0.5, double.NaN));
    }
}
