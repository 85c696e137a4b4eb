using Rsmi.Filters;
using Rsmi.Learning;
using Rsmi.Random;
using Rsmi.Regions;

namespace Rsmi.Tests.Learning;

public class RsmiNetworkTests
{
    private static (RsmiObjectiveFunction Objective, int[] Rows) SmallObjective(RsmiObjective kind, bool exact)
    {
        var g = WindowGeometry.Square(2, 2, 0, 1);
        var p = ExactMutualInformation.ForWindow(g, 4, 4, 2.5);
        var windows = p.Sample(200, 9);
        var theta = RestrictedBoltzmannMachine.Random(16, 6, 1, 0.4);
        var psi = RestrictedBoltzmannMachine.Random(4, 3, 2, 0.5);
        var rng = RandomStreams.Create(8);
        for (int i = 0; i < 16; i++) theta.VisibleBias[i] = 0.2 * rng.NextGaussian();
        for (int k = 0; k < 3; k++) psi.HiddenBias[k] = 0.3 * rng.NextGaussian();
        var f = new RsmiObjectiveFunction(theta, psi, windows, kind);
        if (exact) f.UseExactInnerAverage();
        else f.UseSamples(psi.Sample(64, 10, 3), 64);
        return (f, Enumerable.Range(0, 200).ToArray());
    }

    [Theory]
    [InlineData(RsmiObjective.FirstCumulant, true, 1)]
    [InlineData(RsmiObjective.LogMeanExp, true, 1)]
    [InlineData(RsmiObjective.FirstCumulant, false, 2)]
    [InlineData(RsmiObjective.LogMeanExp, false, 2)]
    [InlineData(RsmiObjective.LogMeanExp, true, 3)]
    [InlineData(RsmiObjective.ModelInformation, true, 1)]
    [InlineData(RsmiObjective.ModelInformation, true, 3)]
    public void ObjectiveGradientMatchesFiniteDifferences(RsmiObjective kind, bool exact, int hidden)
    {
        var (objective, rows) = SmallObjective(kind, exact);
        var rng = RandomStreams.Create(31, (ulong)hidden);
        var filter = new FilterParameters(4, hidden);
        for (int k = 0; k < filter.Weights.Length; k++) filter.Weights[k] = rng.NextGaussian();
        for (int k = 0; k < hidden; k++) filter.Bias[k] = 0.3 * rng.NextGaussian();
        var gw = new double[4 * hidden]; var gb = new double[hidden];
        objective.Evaluate(filter, rows, gw, gb, out _);
        const double eps = 1e-5;
        for (int k = 0; k < 5 * hidden; k++)
        {
            var plus = filter.Clone(); var minus = filter.Clone();
            if (k < 4 * hidden) { plus.Weights[k] += eps; minus.Weights[k] -= eps; }
            else { plus.Bias[k - 4 * hidden] += eps; minus.Bias[k - 4 * hidden] -= eps; }
            double fd = (objective.Evaluate(plus, rows, default, default, out _) - objective.Evaluate(minus, rows, default, default, out _)) / (2 * eps);
            double analytic = k < 4 * hidden ? gw[k] : gb[k - 4 * hidden];
            Assert.True(Math.Abs(fd - analytic) < 1e-7 + 1e-5 * Math.Abs(fd), $"{kind}, exact {exact}, parameter {k}: analytic {analytic}, finite difference {fd}");
        }
    }

    /// <summary>The second phase of the ascent: A_Λ as a function of each unit's log-sharpness ρ_j and offset b_j with the
    /// directions fixed (λ_j = e^{ρ_j} û_j, c_j = e^{ρ_j} b_j); ∂A/∂ρ_j = λ_j·∂A/∂λ_j + c_j ∂A/∂c_j and ∂A/∂b_j = e^{ρ_j} ∂A/∂c_j.</summary>
    [Theory]
    [InlineData(RsmiObjective.LogMeanExp, 1)]
    [InlineData(RsmiObjective.LogMeanExp, 4)]
    [InlineData(RsmiObjective.FirstCumulant, 2)]
    [InlineData(RsmiObjective.ModelInformation, 2)]
    public void ObjectiveGradientInTheSharpnessAndOffsetsMatchesFiniteDifferences(RsmiObjective kind, int hidden)
    {
        var (objective, rows) = SmallObjective(kind, true);
        var rng = RandomStreams.Create(37, (ulong)hidden);
        var u = new double[4 * hidden]; var b = new double[hidden]; var rho = new double[hidden];
        for (int k = 0; k < u.Length; k++) u[k] = rng.NextGaussian();
        for (int k = 0; k < hidden; k++) { b[k] = 0.2 * rng.NextGaussian(); rho[k] = 0.5 * rng.NextGaussian(); }
        var filter = new FilterParameters(4, hidden);
        double A()
        {
            ScaledDirectionFilters.ForwardScale(u, b, rho, 4, filter.Weights, filter.Bias);
            return objective.Evaluate(filter, rows, default, default, out _);
        }
        A();
        var gw = new double[4 * hidden]; var gc = new double[hidden];
        objective.Evaluate(filter, rows, gw, gc, out _);
        var gr = new double[hidden]; var gb = new double[hidden];
        ScaledDirectionFilters.BackwardScale(filter.Weights, filter.Bias, rho, 4, gw, gc, gr, gb);
        Nn.GradientCheck.AssertMatches(rho, gr, A, what: $"{kind} ρ");
        Nn.GradientCheck.AssertMatches(b, gb, A, what: $"{kind} b");
    }

    [Theory]
    [InlineData(RsmiObjective.LogMeanExp, 1)]
    [InlineData(RsmiObjective.LogMeanExp, 3)]
    [InlineData(RsmiObjective.FirstCumulant, 2)]
    [InlineData(RsmiObjective.ModelInformation, 2)]
    public void KeptDeltaFGivesTheSameObjectiveAndGradientAsRecomputingIt(RsmiObjective kind, int hidden)
    {
        var (kept, rows) = SmallObjective(kind, true);
        var (fresh, _) = SmallObjective(kind, false);
        fresh.KeepDeltaF = false;
        fresh.UseExactInnerAverage();
        var rng = RandomStreams.Create(41, (ulong)hidden);
        var filter = new FilterParameters(4, hidden);
        for (int k = 0; k < filter.Weights.Length; k++) filter.Weights[k] = rng.NextGaussian();
        for (int k = 0; k < hidden; k++) filter.Bias[k] = 0.3 * rng.NextGaussian();
        for (int pass = 0; pass < 2; pass++) // the second pass reads the kept values
        {
            var g1 = new double[4 * hidden]; var b1 = new double[hidden]; var g2 = new double[4 * hidden]; var b2 = new double[hidden];
            double a1 = kept.Evaluate(filter, rows, g1, b1, out double i1), a2 = fresh.Evaluate(filter, rows, g2, b2, out double i2);
            Assert.Equal(a2, a1, 10);
            Assert.Equal(i2, i1, 10);
            for (int k = 0; k < g1.Length; k++) Assert.Equal(g2[k], g1[k], 10);
            for (int k = 0; k < hidden; k++) Assert.Equal(b2[k], b1[k], 10);
        }
    }

    /// <summary>The model-information objective, recomputed by hand from Θ's free energy: Q(V|e) ∝ e^{−F_Θ(V, e)} over
    /// the 16 block states, q(h|e) = Σ_V Q(V|e) P_Λ(h|V), I = mean_e Σ_h q log q − Σ_h q̄ log q̄. A rule that keeps the
    /// block states apart (one spin per unit, sharp) carries I_Q(V:E), and no filter carries more (data processing).</summary>
    [Fact]
    public void ModelInformationIsTheInformationOfTheModelLawAndObeysDataProcessing()
    {
        var g = WindowGeometry.Square(2, 2, 0, 1);
        var windows = ExactMutualInformation.ForWindow(g, 4, 4, 2.5).Sample(200, 9);
        var theta = RestrictedBoltzmannMachine.Random(16, 6, 1, 0.4);
        var psi = RestrictedBoltzmannMachine.Random(4, 3, 2, 0.5);
        var objective = new RsmiObjectiveFunction(theta, psi, windows, RsmiObjective.ModelInformation);
        objective.UseExactInnerAverage();
        var rows = Enumerable.Range(0, 200).ToArray();
        // Q(V|e) for every window, from Θ's free energy on (V, e)
        var law = new double[200, 16];
        var x = new double[16];
        for (int w = 0; w < 200; w++)
        {
            var e = windows.EnvironmentRow(w);
            double z = 0;
            for (int v = 0; v < 16; v++)
            {
                for (int i = 0; i < 4; i++) x[i] = ((v >> i) & 1) != 0 ? 1 : -1;
                for (int i = 0; i < 12; i++) x[4 + i] = e[i];
                z += law[w, v] = Math.Exp(-theta.FreeEnergy(x));
            }
            for (int v = 0; v < 16; v++) law[w, v] /= z;
        }
        double Information(Func<int, int, double> rule, int states)
        {
            var q = new double[200, states];
            var qBar = new double[states];
            for (int w = 0; w < 200; w++)
                for (int h = 0; h < states; h++)
                {
                    for (int v = 0; v < 16; v++) q[w, h] += law[w, v] * rule(v, h);
                    qBar[h] += q[w, h] / 200;
                }
            double info = 0;
            for (int w = 0; w < 200; w++) for (int h = 0; h < states; h++) if (q[w, h] > 0) info += q[w, h] * Math.Log(q[w, h] / qBar[h]) / 200;
            return info;
        }
        double blockInformation = Information((v, h) => v == h ? 1 : 0, 16);
        var rng = RandomStreams.Create(53);
        for (int trial = 0; trial < 40; trial++)
        {
            int nh = 1 + trial % 4;
            var filter = new FilterParameters(4, nh);
            for (int k = 0; k < filter.Weights.Length; k++) filter.Weights[k] = 2 * rng.NextGaussian();
            for (int k = 0; k < nh; k++) filter.Bias[k] = 0.5 * rng.NextGaussian();
            double value = objective.Evaluate(filter, rows, default, default, out double info);
            var a = new double[nh];
            var cond = new double[16, 1 << nh];
            for (int v = 0; v < 16; v++)
            {
                var vs = new double[4];
                for (int i = 0; i < 4; i++) vs[i] = ((v >> i) & 1) != 0 ? 1 : -1;
                filter.Activations(vs, a);
                for (int h = 0; h < 1 << nh; h++)
                {
                    double p = 1;
                    for (int j = 0; j < nh; j++) p *= 1 / (1 + Math.Exp(-2 * (((h >> j) & 1) != 0 ? 1 : -1) * a[j]));
                    cond[v, h] = p;
                }
            }
            double expected = Information((v, h) => cond[v, h], 1 << nh);
            Assert.Equal(expected, info, 10);
            Assert.Equal(info, value, 12);
            Assert.True(info <= blockInformation + 1e-12, $"trial {trial}: {info} exceeds I_Q(V:E) = {blockInformation}");
        }
        var sharp = new FilterParameters(4, 4);
        for (int j = 0; j < 4; j++) sharp.Weights[j * 4 + j] = 40;
        objective.Evaluate(sharp, rows, default, default, out double kept);
        Assert.Equal(blockInformation, kept, 9);
    }

    [Fact]
    public void ModelInformationDoesNotDependOnTheThreadCountOrOnKeptTables()
    {
        var windows = ExactMutualInformation.ForWindow(WindowGeometry.Square(2, 2, 0, 1), 4, 4, 2.5).Sample(700, 4);
        var theta = RestrictedBoltzmannMachine.Random(16, 6, 1, 0.4);
        var psi = RestrictedBoltzmannMachine.Random(4, 3, 2, 0.5);
        var many = new RsmiObjectiveFunction(theta, psi, windows, RsmiObjective.ModelInformation) { MaxDegreeOfParallelism = 4 };
        var one = new RsmiObjectiveFunction(theta, psi, windows, RsmiObjective.ModelInformation) { MaxDegreeOfParallelism = 1 };
        many.UseExactInnerAverage(); one.UseExactInnerAverage();
        var rng = RandomStreams.Create(59);
        var filter = new FilterParameters(4, 3);
        for (int k = 0; k < filter.Weights.Length; k++) filter.Weights[k] = rng.NextGaussian();
        // 700 rows span three blocks of the gradient's 256; a smaller call in between must not leave anything behind
        var rows = Enumerable.Range(0, 700).ToArray();
        var g1 = new double[12]; var b1 = new double[3]; var g2 = new double[12]; var b2 = new double[3];
        double a1 = many.Evaluate(filter, rows, g1, b1, out _);
        one.Evaluate(filter, rows.AsSpan(0, 300), new double[12], new double[3], out _);
        double a2 = one.Evaluate(filter, rows, g2, b2, out _);
        Assert.Equal(a1, a2);
        Assert.Equal(g1, g2);
        Assert.Equal(b1, b2);
    }

    [Fact]
    public void ModelInformationNeedsTheExactInnerAverage()
    {
        var (objective, rows) = SmallObjective(RsmiObjective.ModelInformation, false);
        var ex = Assert.Throws<RsmiInputException>(() => objective.Evaluate(new FilterParameters(4, 1), rows, default, default, out _));
        Assert.Contains("exact inner average", ex.Message);
    }

    [Fact]
    public void FirstCumulantIsBelowTheLogMeanExp()
    {
        var (lme, rows) = SmallObjective(RsmiObjective.LogMeanExp, true);
        var filter = new FilterParameters(4, 1, [1.0, 0.5, -0.3, 0.8], [0.1]);
        double a = lme.Evaluate(filter, rows, default, default, out _);
        lme.Objective = RsmiObjective.FirstCumulant;
        double b = lme.Evaluate(filter, rows, default, default, out _);
        Assert.True(b < a, $"Jensen: first cumulant {b} must lie below log-mean-exp {a}");
    }

    [Fact]
    public async Task ThreadCountDoesNotChangeTheResult()
    {
        var p = ExactMutualInformation.ForWindow(WindowGeometry.Square(2, 2, 0, 1), 4, 4, 2.5);
        var windows = p.Sample(3000, 1);
        var options = new RsmiTrainingOptions
        {
            Updates = 20, Seed = 3, Restarts = 2, MaxWindows = 2000, EvaluationWindows = 256,
            JointRbm = new RsmiTrainingOptions().JointRbm with { MaxUpdates = 100 },
            BlockRbm = new RsmiTrainingOptions().BlockRbm with { MaxUpdates = 100 },
            InnerAverage = RsmiInnerAverage.MonteCarlo, InnerSamples = 32, InnerSweeps = 5,
        };
        var a = RsmiLearner.Learn(windows, options);
        // the second run on a one-thread scheduler: every Parallel.For inside runs serially
        double[] b = await Task.Factory.StartNew(() => RsmiLearner.Learn(windows, options).Filter.Weights, CancellationToken.None,
            TaskCreationOptions.None, new SingleThreadTaskScheduler());
        Assert.Equal(a.Filter.Weights, b);
    }

    /// <summary>A scheduler with one thread, so every Parallel.For inside runs serially.</summary>
    private sealed class SingleThreadTaskScheduler : TaskScheduler
    {
        protected override IEnumerable<Task>? GetScheduledTasks() => null;
        protected override void QueueTask(Task task) => TryExecuteTask(task);
        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => TryExecuteTask(task);
        public override int MaximumConcurrencyLevel => 1;
    }
}
