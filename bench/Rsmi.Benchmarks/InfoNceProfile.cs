using System.Diagnostics;
using Rsmi.Data;
using Rsmi.IO;
using Rsmi.Learning;
using Rsmi.Learning.Ensembles;
using Rsmi.Learning.InfoNce;
using Rsmi.Learning.Nn;
using Rsmi.Regions;
using Rsmi.Renormalization;

namespace Rsmi.Benchmarks;

/// <summary>
/// Where one InfoNCE ensemble member's time goes, on one thread: the whole learner run, the yardstick critic (training
/// and evaluation), and the parts of one training step of each (the critic's networks forward and backward, the score
/// matrix and its gradient). Run:
/// <c>dotnet run -c Release --project bench/Rsmi.Benchmarks -- infonce-profile [samples.h5] [repetitions]</c>
/// (without a file: 1,000 64×64 Ising configurations at T_c are sampled first).
/// </summary>
public static class InfoNceProfile
{
    public static void Run(string? path, int repetitions)
    {
        var read = CpuClock.StartNew();
        var samples = path is null ? InfoNceBenchmarks.Samples(1000) : SampleFile.Read(path);
        Console.WriteLine($"reading the samples: {read.Seconds:F3} s");
        var geometry = WindowGeometry.Square(2, 2, 0, 4);
        var train = samples.Slice(0, samples.Count * 8 / 10);
        var held = samples.Slice(samples.Count * 8 / 10, samples.Count / 10);
        Console.WriteLine($"{samples.Count} configurations {samples.Lx}×{samples.Ly}, block 2×2, environment 4 (|E| = {geometry.EnvironmentSize}), one thread; times are CPU time of the process");
        var options = new InfoNceOptions { Hidden = 1, Seed = 1, MaxDegreeOfParallelism = 1 };
        var yardstick = new FilterEnsembleOptions().Yardstick with { Seed = 2, MaxDegreeOfParallelism = 1 };
        for (int rep = 0; rep < repetitions; rep++)
        {
            var sw = CpuClock.StartNew();
            var resolved = InfoNceAutoSettings.Resolve(train, geometry, options);
            double pilot = sw.Seconds;
            Console.WriteLine($"automatic settings (pilot regression) {pilot:F3} s: {resolved.Steps} steps of K = {resolved.BatchSize}");
            sw.Restart();
            var r = InfoNceLearner.Learn(train, geometry, options);
            double member = sw.Seconds;
            var filter = r.Filter;
            sw.Restart();
            var critic = HeldOutInformation.Train(train, geometry, filter, FilterMode.Sign, yardstick);
            double yTrain = sw.Seconds;
            sw.Restart();
            var (bits, _, _) = HeldOutInformation.Evaluate(critic, held, 1, "profile");
            double yEval = sw.Seconds;
            Console.WriteLine($"member {member:F3} s ({r.MutualInformation.Value:F4} bits), yardstick training {yTrain:F3} s, evaluation {yEval:F3} s ({bits:F4} bits)");
        }
        for (int rep = 0; rep < repetitions; rep++)
        {
            var gather = new WindowGatherer(train, geometry, 0, train.Count);
            var rng = Rsmi.Random.RandomStreams.Create(1, 0, "profile-windows");
            var v = new double[512 * geometry.VisibleSize]; var e = new double[512 * geometry.EnvironmentSize];
            var sw = CpuClock.StartNew();
            for (int i = 0; i < 1000; i++) gather.DrawRows(ref rng, 512, v, e);
            Console.WriteLine($"drawing 1000 batches of 512 fresh windows: {sw.Seconds:F3} s");
        }
        StepParts(geometry.EnvironmentSize, repetitions);
    }

    /// <summary>Times the parts of one step: K = 512 marginal-objective steps and K = 256 yardstick steps.</summary>
    private static void StepParts(int ne, int repetitions)
    {
        const int steps = 100;
        var rng = new System.Random(1);
        foreach (int k in new[] { 512, 256 })
        {
            var critic = new SeparableCritic(1, ne, [32, 32], 8, 0, 1);
            var marginal = new MarginalRsmiNeObjective(1, 4, ne, k, critic, [1.4, 1.4, 1.4, 1.4], [0.0]);
            var batch = new CriticBatch(critic, k);
            for (int i = 0; i < k * 4; i++) marginal.Visible[i] = rng.Next(2) * 2 - 1;
            for (int i = 0; i < k * ne; i++) marginal.Environment[i] = batch.Y[i] = rng.Next(2) * 2 - 1;
            for (int i = 0; i < k; i++) batch.X[i] = rng.Next(2) * 2 - 1;
            var acts = new double[k * critic.W.ActivationSize];
            var grad = new double[critic.W.ParameterCount];
            var scratch = new double[2 * critic.W.MaxWidth];
            var dOut = new double[8]; Array.Fill(dOut, 0.01);
            for (int rep = 0; rep < repetitions; rep++)
            {
                var sw = CpuClock.StartNew();
                for (int s = 0; s < steps; s++) marginal.Evaluate(k, MutualInformationBound.InfoNce, true, true, 1);
                double tm = 1e3 * sw.Seconds / steps;
                sw.Restart();
                for (int s = 0; s < steps; s++) batch.Run(k, MutualInformationBound.InfoNce, true, 1);
                double tb = 1e3 * sw.Seconds / steps;
                sw.Restart();
                for (int s = 0; s < steps; s++) batch.Run(k, MutualInformationBound.InfoNce, false, 1);
                double te = 1e3 * sw.Seconds / steps;
                int aw = critic.W.ActivationSize;
                sw.Restart();
                for (int s = 0; s < steps; s++)
                    for (int r = 0; r < k; r++) critic.W.ForwardRow(batch.Y.AsSpan(r * ne, ne), acts.AsSpan(r * aw, aw), default);
                double tf = 1e3 * sw.Seconds / steps;
                sw.Restart();
                for (int s = 0; s < steps; s++)
                    for (int r = 0; r < k; r++) critic.W.BackwardRow(acts.AsSpan(r * aw, aw), default, dOut, grad, default, scratch);
                double tw = 1e3 * sw.Seconds / steps;
                var wt = new double[critic.W.ParameterCount];
                critic.W.TransposeWeights(wt);
                var tileTimes = new List<string>();
                foreach (int tile in new[] { 16, 32, 64 })
                {
                    var tAct = new double[k * aw];
                    var tScratch = new double[2 * tile * critic.W.MaxWidth];
                    var tOut = new double[tile * 8]; Array.Fill(tOut, 0.01);
                    sw.Restart();
                    for (int s = 0; s < steps; s++)
                        for (int r = 0; r < k; r += tile) critic.W.ForwardRows(tile, batch.Y.AsSpan(r * ne, tile * ne), tAct.AsSpan(r * aw, tile * aw), default, wt);
                    double f = 1e3 * sw.Seconds / steps;
                    sw.Restart();
                    for (int s = 0; s < steps; s++)
                        for (int r = 0; r < k; r += tile) critic.W.BackwardRows(tile, batch.Y.AsSpan(r * ne, tile * ne), tAct.AsSpan(r * aw, tile * aw), default, tOut, grad, default, tScratch);
                    double b = 1e3 * sw.Seconds / steps;
                    tileTimes.Add($"tiles of {tile}: forward {f:F3} ms, backward {b:F3} ms");
                }
                Console.WriteLine($"K = {k}, w network in " + string.Join("; ", tileTimes));
                var adam = new Adam(critic.W.ParameterCount, 1e-3);
                sw.Restart();
                for (int s = 0; s < steps; s++) adam.Ascend(critic.W.Parameters.ToArray(), grad);
                double ta = 1e3 * sw.Seconds / steps;
                Console.WriteLine($"K = {k}: marginal step {tm:F3} ms, separable step {tb:F3} ms (value only {te:F3} ms); " +
                    $"w network alone: forward {tf:F3} ms, backward {tw:F3} ms; Adam on w {ta:F4} ms");
            }
        }
    }
}

/// <summary>CPU time of the process (user + system) since the last restart: robust to other processes on the machine.</summary>
internal sealed class CpuClock
{
    private TimeSpan _start = Now;
    private static TimeSpan Now => Process.GetCurrentProcess().TotalProcessorTime;
    public static CpuClock StartNew() => new();
    public void Restart() => _start = Now;
    public double Seconds => (Now - _start).TotalSeconds;
}
