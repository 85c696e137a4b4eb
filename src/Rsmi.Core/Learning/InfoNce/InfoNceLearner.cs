using Rsmi.Statistics;
using Rsmi.Filters;
using Rsmi.Data;
using Rsmi.Learning.Nn;
using Rsmi.Models;
using Rsmi.Progress;
using Rsmi.Random;
using Rsmi.Regions;
using Rsmi.States;

namespace Rsmi.Learning.InfoNce;

/// <summary>What the neural estimator learned: filters, the mutual-information estimate and its training history.</summary>
public sealed class InfoNceResult
{
    /// <summary>Filters λ (N_h rows of |V| weights, row-major over the block) and biases c_j, sign fixed so that each
    /// row sums to ≥ 0 (its bias flipped with it).</summary>
    public required FilterParameters Filter { get; init; }
    /// <summary>The bound evaluated with hard samples on held-out windows, in bits (a lower bound on I_Λ(H:E)), with its
    /// standard error over the evaluation batches.</summary>
    public required Estimate MutualInformation { get; init; }
    /// <summary>Number of held-out batches in the final estimate.</summary>
    public required int EvaluationBatches { get; init; }
    /// <summary>The training bound (relaxed samples), in bits, averaged over each <see cref="InfoNceOptions.HistoryInterval"/> steps.</summary>
    public required double[] History { get; init; }
    /// <summary>Trailing moving average of <see cref="History"/> over <see cref="InfoNceOptions.MovingAverageWindow"/> entries.</summary>
    public required double[] MovingAverage { get; init; }
    /// <summary>τ at the end of each history interval.</summary>
    public required double[] Temperatures { get; init; }
    /// <summary>The settings used.</summary>
    public required InfoNceOptions Options { get; init; }
    /// <summary>log₂ K of the evaluation batch: the InfoNCE bound can never exceed it.</summary>
    public double BoundCapBits => Math.Log2(Options.EffectiveEvaluationBatchSize);
}

/// <summary>
/// The RSMI-NE learner (Gökmen, Ringel, Huber &amp; Koch-Janusz, PRL 127, 240603 (2021); docs/algorithm.md, "The InfoNCE estimator"): filters Λ
/// and a separable critic trained jointly by Adam to maximise a variational lower bound on I_Λ(H:E), with the
/// hidden units drawn as relaxed Bernoulli samples at an annealed temperature.
/// </summary>
public static class InfoNceLearner
{
    /// <summary>
    /// Learns N_h = <see cref="InfoNceOptions.Hidden"/> filters from <paramref name="windows"/>. The last
    /// <see cref="InfoNceOptions.HoldoutFraction"/> of the windows are held out for the final estimate (all windows
    /// are used for both when the fraction is 0).
    /// </summary>
    public static InfoNceResult Learn(Windows windows, InfoNceOptions options, IProgressReporter? progress = null)
    {
        options.Validate();
        int f = windows.States.FeaturesPerSite;
        windows = windows.Encoded();
        options = ResolveAutomatic(windows, options, f);
        var (train, holdout) = Split(windows, options);
        return Learn(windows, train, holdout, options, progress, f);
    }

    /// <summary>
    /// Learns filters from configurations: <see cref="InfoNceOptions.TrainingWindows"/> windows are cut at random block
    /// positions (on the tiling grid, so that the block keeps its place in the unit cell) of the first
    /// 1 − <see cref="InfoNceOptions.HoldoutFraction"/> of the configurations, and the evaluation windows from the
    /// remaining configurations, so that the final estimate is on configurations never trained on.
    /// </summary>
    public static InfoNceResult Learn(SampleSet samples, WindowGeometry geometry, InfoNceOptions options, IProgressReporter? progress = null)
    {
        options.Validate();
        options = InfoNceAutoSettings.Resolve(samples, geometry, options);
        if (FreshWindows(samples, geometry, options) is { } fresh)
            return Learn(fresh.Holdout, fresh.Rows, fresh.WarmUpRows, Enumerable.Range(0, fresh.Holdout.Count).ToArray(), options, progress,
                samples.States().FeaturesPerSite);
        if (PooledWindows(samples, geometry, options) is { } pooled)
            return Learn(pooled.Holdout, pooled.Rows, pooled.WarmUpRows, Enumerable.Range(0, pooled.Holdout.Count).ToArray(), options, progress,
                samples.States().FeaturesPerSite);
        var (train, holdout) = CutTrainingWindows(samples, geometry, options);
        return Learn(train, holdout, options, progress);
    }

    /// <summary>
    /// The pool of <see cref="CutTrainingWindows"/> (when windows are held out) without its copies: the training windows
    /// are kept as their positions, drawn from the same stream, and each row is copied out of the configurations when a
    /// batch reads it, so that training reads the very rows, in the very order, of the pool of windows; a pool of
    /// 10⁶ dimer windows is 16 MB of positions instead of 0.6 GB of pixels. Null when nothing is held out.
    /// </summary>
    private static (Windows Holdout, TrainingRows Rows, TrainingRows WarmUpRows)? PooledWindows(SampleSet samples, WindowGeometry geometry, InfoNceOptions options)
    {
        int n = samples.Count;
        int hold = options.HoldoutFraction > 0 ? Math.Max(1, (int)Math.Floor(options.HoldoutFraction * n)) : 0;
        if (hold == 0) return null;
        Require.That(n - hold >= 1, $"{n} configurations are too few to hold out {options.HoldoutFraction:P0} for evaluation.");
        int evalWindows = options.EvaluationBatches * options.EffectiveEvaluationBatchSize;
        var holdout = WindowCutter.CutRandom(samples, geometry, n - hold, n, evalWindows, options.Seed, "holdout-windows").Encoded();
        Require.That(options.TrainingWindows >= options.BatchSize, $"{options.TrainingWindows} training windows are fewer than the batch size {options.BatchSize}.");
        Require.That(holdout.Count >= options.EffectiveEvaluationBatchSize,
            $"{holdout.Count} held-out windows are fewer than the evaluation batch size {options.EffectiveEvaluationBatchSize}.");
        var gather = new WindowGatherer(samples, geometry, 0, n - hold);
        var positions = gather.DrawPositions(options.TrainingWindows, options.Seed, "train-windows");
        var states = samples.States();
        return (holdout, new PositionPoolRows(gather, positions, states, options.Seed, "batches"),
            new PositionPoolRows(gather, positions, states, options.Seed, "warm-up-batches"));
    }

    /// <summary>
    /// When <see cref="InfoNceOptions.TrainingWindows"/> is at least the number of rows training reads (steps × batch
    /// size) and windows are held out, a pool of that many windows drawn with replacement would be read once each in a
    /// random order, so the training rows are i.i.d. windows of the training configurations: they are drawn batch by
    /// batch instead (same distribution, no pool in memory). Null otherwise.
    /// </summary>
    private static (Windows Holdout, TrainingRows Rows, TrainingRows WarmUpRows)? FreshWindows(SampleSet samples, WindowGeometry geometry, InfoNceOptions options)
    {
        int n = samples.Count;
        int hold = options.HoldoutFraction > 0 ? Math.Max(1, (int)Math.Floor(options.HoldoutFraction * n)) : 0;
        if (hold == 0 || n - hold < 1 || options.TrainingWindows < (long)options.Steps * options.BatchSize) return null;
        int evalWindows = options.EvaluationBatches * options.EffectiveEvaluationBatchSize;
        var holdout = WindowCutter.CutRandom(samples, geometry, n - hold, n, evalWindows, options.Seed, "holdout-windows").Encoded();
        var gather = new WindowGatherer(samples, geometry, 0, n - hold);
        var states = samples.States();
        return (holdout, new FreshRows(gather, states, options.Seed, "train-windows"), new FreshRows(gather, states, options.Seed, "warm-up-windows"));
    }

    /// <summary>The training and evaluation windows <see cref="Learn(SampleSet, WindowGeometry, InfoNceOptions, IProgressReporter?)"/> uses.</summary>
    public static (Windows Train, Windows Holdout) CutTrainingWindows(SampleSet samples, WindowGeometry geometry, InfoNceOptions options)
    {
        int n = samples.Count;
        int hold = options.HoldoutFraction > 0 ? Math.Max(1, (int)Math.Floor(options.HoldoutFraction * n)) : 0;
        Require.That(n - hold >= 1, $"{n} configurations are too few to hold out {options.HoldoutFraction:P0} for evaluation.");
        int evalWindows = options.EvaluationBatches * options.EffectiveEvaluationBatchSize;
        var train = WindowCutter.CutRandom(samples, geometry, 0, n - hold, options.TrainingWindows, options.Seed, "train-windows");
        var holdout = hold > 0 ? WindowCutter.CutRandom(samples, geometry, n - hold, n, evalWindows, options.Seed, "holdout-windows") : train;
        return (train, holdout);
    }

    /// <summary>Learns from separate training and held-out windows (which may be the same object).</summary>
    public static InfoNceResult Learn(Windows train, Windows holdout, InfoNceOptions options, IProgressReporter? progress = null)
    {
        options.Validate();
        int f = train.States.FeaturesPerSite;
        Require.That(holdout.States.FeaturesPerSite == f, "training and held-out windows hold different state spaces.");
        bool same = ReferenceEquals(train, holdout);
        train = train.Encoded();
        holdout = same ? train : holdout.Encoded();
        options = InfoNceAutoSettings.Resolve(train, Enumerable.Range(0, train.Count).ToArray(), options, Math.Min(train.Count, holdout.Count), f);
        Require.That(train.VisibleSize == holdout.VisibleSize && train.EnvironmentSize == holdout.EnvironmentSize, "training and held-out windows differ in shape.");
        Require.That(train.Count >= options.BatchSize, $"{train.Count} training windows are fewer than the batch size {options.BatchSize}.");
        Require.That(holdout.Count >= options.EffectiveEvaluationBatchSize, $"{holdout.Count} held-out windows are fewer than the evaluation batch size {options.EffectiveEvaluationBatchSize}.");
        if (ReferenceEquals(train, holdout)) { var all = Enumerable.Range(0, train.Count).ToArray(); return Learn(train, all, all, options, progress, f); }
        var joined = Concatenate(train, holdout);
        return Learn(joined, Enumerable.Range(0, train.Count).ToArray(), Enumerable.Range(train.Count, holdout.Count).ToArray(), options, progress, f);
    }

    private static Windows Concatenate(Windows a, Windows b) => new()
    {
        Count = a.Count + b.Count, VisibleSize = a.VisibleSize, EnvironmentSize = a.EnvironmentSize,
        Visible = [.. a.Visible, .. b.Visible], Environment = [.. a.Environment, .. b.Environment],
    };

    /// <summary>Learns from encoded windows (<see cref="Windows.Encoded"/>) of <paramref name="featuresPerSite"/> features per site.</summary>
    private static InfoNceResult Learn(Windows windows, int[] train, int[] holdout, InfoNceOptions options, IProgressReporter? progress, int featuresPerSite)
        => Learn(windows, new PoolRows(windows, train, options.Seed, "batches"), new PoolRows(windows, train, options.Seed, "warm-up-batches"), holdout, options, progress, featuresPerSite);

    private static InfoNceResult Learn(Windows windows, TrainingRows train, TrainingRows warmUp, int[] holdout, InfoNceOptions options, IProgressReporter? progress,
        int featuresPerSite)
    {
        // nv: the block's features |V|·F, the length of one weight row; a categorical unit has q_h rows
        int nh = options.Hidden, nv = windows.VisibleSize, rows = options.Categorical ? options.HiddenUnitStates : 1;
        var weights = new double[nh * rows * nv];
        var rng = RandomStreams.Create(options.Seed, 0, "filters-init");
        for (int i = 0; i < weights.Length; i++) weights[i] = options.InitialFilterScale * rng.NextGaussian();
        var bias = new double[nh * rows];
        var r = Train(windows, train, warmUp, holdout, weights, bias, trainFilters: true, options, progress);
        if (!options.Categorical) FixSigns(weights, bias, nh, nv);
        return new InfoNceResult
        {
            Filter = new FilterParameters(nv / featuresPerSite, nh, featuresPerSite, options.HiddenUnitStates, weights, bias), MutualInformation = new Estimate(r.Bits, r.Error),
            EvaluationBatches = r.Batches, History = r.History, MovingAverage = r.Moving, Temperatures = r.Taus, Options = options,
        };
    }

    /// <summary>
    /// The yardstick for comparing given filters on the same data: a fresh critic trained on hard samples of H drawn
    /// from the fixed filters (<paramref name="filters"/>), then the bound evaluated on held-out windows.
    /// Returns (bits, standard error).
    /// </summary>
    public static (double Bits, double Error) EvaluateFilters(Windows windows, FilterParameters filters, InfoNceOptions options, IProgressReporter? progress = null)
    {
        options.Validate();
        windows = windows.Encoded();
        var (train, holdout) = Split(windows, options);
        return EvaluateFilters(windows, train, holdout, filters, options, progress);
    }

    /// <summary>The yardstick of <see cref="EvaluateFilters(Windows, FilterParameters, InfoNceOptions, IProgressReporter?)"/> on
    /// windows cut from configurations as in <see cref="Learn(SampleSet, WindowGeometry, InfoNceOptions, IProgressReporter?)"/>.</summary>
    public static (double Bits, double Error) EvaluateFilters(SampleSet samples, WindowGeometry geometry, FilterParameters filters, InfoNceOptions options, IProgressReporter? progress = null)
    {
        options.Validate();
        if (FreshWindows(samples, geometry, options) is { } fresh)
            return EvaluateFilters(fresh.Holdout, fresh.Rows, Enumerable.Range(0, fresh.Holdout.Count).ToArray(), filters, options, progress);
        var (train, holdout) = CutTrainingWindows(samples, geometry, options);
        if (ReferenceEquals(train, holdout)) { train = train.Encoded(); var all = Enumerable.Range(0, train.Count).ToArray(); return EvaluateFilters(train, all, all, filters, options, progress); }
        var joined = Concatenate(train.Encoded(), holdout.Encoded());
        return EvaluateFilters(joined, Enumerable.Range(0, train.Count).ToArray(), Enumerable.Range(train.Count, holdout.Count).ToArray(), filters, options, progress);
    }

    private static (double Bits, double Error) EvaluateFilters(Windows windows, int[] train, int[] holdout, FilterParameters filters, InfoNceOptions options, IProgressReporter? progress)
        => EvaluateFilters(windows, new PoolRows(windows, train, options.Seed, "batches"), holdout, filters, options, progress);

    private static (double Bits, double Error) EvaluateFilters(Windows windows, TrainingRows train, int[] holdout, FilterParameters filters, InfoNceOptions options, IProgressReporter? progress)
    {
        Require.That(filters.Hidden == options.Hidden && filters.HiddenStates == options.HiddenUnitStates, "the filters do not match the number of hidden units or their states.");
        Require.That(filters.Inputs == windows.VisibleSize, "the filters do not match the block size.");
        var r = Train(windows, train, train, holdout, (double[])filters.Weights.Clone(), (double[])filters.Bias.Clone(), trainFilters: false, options, progress);
        return (r.Bits, r.Error);
    }

    /// <summary>The settings left to the data (<see cref="InfoNceOptions.Pending"/>) chosen by
    /// <see cref="InfoNceAutoSettings"/> from the rows <see cref="Split"/> will train on, with a batch that the split allows.</summary>
    private static InfoNceOptions ResolveAutomatic(Windows windows, InfoNceOptions options, int featuresPerSite)
    {
        if (options.Pending == InfoNceAutomatic.None) return options;
        int n = windows.Count, hold = (int)Math.Floor(options.HoldoutFraction * n);
        int maxBatch = hold > 0 ? Math.Min(hold, n - hold) : n;
        return InfoNceAutoSettings.Resolve(windows, Enumerable.Range(0, n - hold).ToArray(), options, maxBatch, featuresPerSite);
    }

    private static (int[] Train, int[] Holdout) Split(Windows windows, InfoNceOptions options)
    {
        int n = windows.Count;
        int k = Math.Max(options.BatchSize, options.EffectiveEvaluationBatchSize);
        Require.That(n >= k, $"{n} windows are fewer than the batch size {k}.");
        int hold = (int)Math.Floor(options.HoldoutFraction * n);
        if (hold > 0)
        {
            Require.That(hold >= options.EffectiveEvaluationBatchSize && n - hold >= options.BatchSize,
                $"{n} windows are too few to hold out {options.HoldoutFraction:P0} for evaluation with batch size {k}; use more samples or a smaller batch.");
            return (Enumerable.Range(0, n - hold).ToArray(), Enumerable.Range(n - hold, hold).ToArray());
        }
        var all = Enumerable.Range(0, n).ToArray();
        return (all, all);
    }

    private sealed record TrainOutcome(double Bits, double Error, int Batches, double[] History, double[] Moving, double[] Taus);

    private static TrainOutcome Train(Windows windows, TrainingRows train, TrainingRows warmUp, int[] holdout, double[] weights, double[] bias,
        bool trainFilters, InfoNceOptions o, IProgressReporter? progress)
    {
        int nh = o.Hidden, nv = windows.VisibleSize, ne = windows.EnvironmentSize, k = o.BatchSize;
        int kEval = o.EffectiveEvaluationBatchSize, cap = Math.Max(k, kEval);
        // the critic sees a binary unit as h = ±1 and a categorical unit as its (relaxed) one-hot vector
        var critic = new SeparableCritic(o.Categorical ? nh * o.HiddenUnitStates : nh, ne, o.CriticLayers, o.Embedding, o.Dropout, o.Seed);
        IRsmiNeObjective obj = o.Categorical
            ? new CategoricalRsmiNeObjective(nh, o.HiddenUnitStates, nv, ne, cap, critic, weights, bias)
            : o.SumsHiddenStates
            ? new MarginalRsmiNeObjective(nh, nv, ne, cap, critic, weights, bias)
            : new RsmiNeObjective(nh, nv, ne, cap, critic, weights, bias);
        if (trainFilters && o.WarmUpSteps > 0) WarmUp(nv, ne, warmUp, critic, o, progress);
        var adamU = new Adam(critic.U.ParameterCount, o.LearningRate);
        var adamW = new Adam(critic.W.ParameterCount, o.LearningRate);
        var adamL = new Adam(weights.Length, o.EffectiveFilterLearningRate);
        var adamC = new Adam(bias.Length, o.EffectiveFilterLearningRate);
        // With a sharpness β the filters are λ = β û, c = β b (ScaledDirectionFilters): Adam moves (u, b), the rows of u
        // start orthonormal (distinct directions, so that the units need not break a symmetry to specialise).
        double beta = o.Categorical ? 0 : o.Sharpness;
        bool scaled = trainFilters && beta > 0;
        double[] u = scaled ? (double[])weights.Clone() : [], ub = scaled ? (double[])bias.Clone() : [];
        double[] gu = scaled ? new double[weights.Length] : [], gb = scaled ? new double[bias.Length] : [];
        if (scaled)
        {
            ScaledDirectionFilters.Orthogonalise(u, nv);
            ScaledDirectionFilters.Normalise(u, nv);
            ScaledDirectionFilters.Forward(u, ub, beta, nv, weights, bias);
        }
        int entries = (o.Steps + o.HistoryInterval - 1) / o.HistoryInterval;
        var history = new double[entries]; var taus = new double[entries];
        double acc = 0; int accN = 0, entry = 0;
        bool scaling = false;
        double[] rho = [], gr = [];
        double[] sumU = scaled ? new double[weights.Length] : [], sumUb = scaled ? new double[bias.Length] : [];
        int directionsAveraged = 0;
        int releaseAt = scaled ? (int)Math.Floor(o.SharpnessPhase * o.Steps) : o.Steps;
        int averageFrom = trainFilters && o.FilterAveragingFraction > 0 ? (int)Math.Floor((1 - o.FilterAveragingFraction) * o.Steps) : o.Steps;
        var sumWeights = new double[weights.Length]; var sumBias = new double[bias.Length]; int averaged = 0;
        ulong? dropoutSeed = o.Dropout > 0 ? o.Seed : null;
        for (int step = 0; step < o.Steps; step++)
        {
            double tau = o.Temperature.At(step, o.Steps);
            double decay = o.LearningRateDecayAt(step);
            adamU.LearningRate = adamW.LearningRate = o.LearningRate * decay;
            adamL.LearningRate = adamC.LearningRate = o.EffectiveFilterLearningRate * decay;
            train.Fill(k, obj.Visible.AsSpan(0, k * nv), obj.Environment.AsSpan(0, k * ne));
            var noise = RandomStreams.Create(o.Seed, (ulong)step, "concrete");
            if (obj.UsesNoise) obj.DrawNoise(k, ref noise);
            // With fixed filters the critic learns on the hard samples it will be evaluated on.
            double value = obj.Evaluate(k, tau, o.Bound, hard: !trainFilters, gradient: true, trainFilters,
                o.MaxDegreeOfParallelism, dropoutSeed, (long)step * k);
            adamU.Ascend(critic.U.Parameters, obj.GradientU);
            adamW.Ascend(critic.W.Parameters, obj.GradientW);
            if (scaled && step == releaseAt)
            {
                // The directions are found: from here only the sharpness e^{ρ_j} and the offsets b_j of each unit are
                // learned (ScaledDirectionFilters.ForwardScale), so that the scale and the thresholds settle where the
                // bound is largest while the features stay those chosen at fixed β (fresh Adam moments).
                scaled = false; scaling = true;
                // the directions are the average of the iterates over the second half of the fixed-β phase
                // (Polyak–Ruppert), which removes the jitter of the stochastic steps at the full learning rate
                if (directionsAveraged > 0)
                {
                    System.Numerics.Tensors.TensorPrimitives.Multiply(sumU, 1.0 / directionsAveraged, u);
                    System.Numerics.Tensors.TensorPrimitives.Multiply(sumUb, 1.0 / directionsAveraged, ub);
                    ScaledDirectionFilters.Normalise(u, nv);
                }
                rho = new double[nh]; Array.Fill(rho, Math.Log(beta));
                gr = new double[nh];
                adamL = new Adam(nh, adamL.LearningRate);
                adamC = new Adam(bias.Length, adamC.LearningRate);
            }
            if (trainFilters)
            {
                if (o.FilterL2 > 0) System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(weights, -2 * o.FilterL2, obj.GradientWeights, obj.GradientWeights);
                if (scaled)
                {
                    ScaledDirectionFilters.Backward(u, beta, nv, obj.GradientWeights, obj.GradientBias, gu, gb);
                    adamL.Ascend(u, gu);
                    adamC.Ascend(ub, gb);
                    ScaledDirectionFilters.Normalise(u, nv);
                    ScaledDirectionFilters.Forward(u, ub, beta, nv, weights, bias);
                    if (2 * step >= releaseAt)
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(sumU, u, sumU);
                        System.Numerics.Tensors.TensorPrimitives.Add(sumUb, ub, sumUb);
                        directionsAveraged++;
                    }
                }
                else if (scaling)
                {
                    ScaledDirectionFilters.BackwardScale(weights, bias, rho, nv, obj.GradientWeights, obj.GradientBias, gr, gb);
                    adamL.Ascend(rho, gr);
                    adamC.Ascend(ub, gb);
                    ScaledDirectionFilters.ForwardScale(u, ub, rho, nv, weights, bias);
                }
                else
                {
                    adamL.Ascend(weights, obj.GradientWeights);
                    adamC.Ascend(bias, obj.GradientBias);
                }
            }
            if (step >= averageFrom)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(sumWeights, weights, sumWeights);
                System.Numerics.Tensors.TensorPrimitives.Add(sumBias, bias, sumBias);
                averaged++;
            }
            acc += value; accN++;
            if (accN == o.HistoryInterval || step == o.Steps - 1)
            {
                history[entry] = acc / accN / Math.Log(2); taus[entry] = tau; entry++;
                acc = 0; accN = 0;
                progress?.Report(trainFilters ? "learning filters (InfoNCE)" : "training critic", (step + 1.0) / o.Steps,
                    $"bound {history[entry - 1]:F4} bits, tau {tau:F3}");
            }
        }
        if (averaged > 0)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(sumWeights, 1.0 / averaged, weights);
            System.Numerics.Tensors.TensorPrimitives.Multiply(sumBias, 1.0 / averaged, bias);
        }
        var moving = new double[entries];
        for (int i = 0; i < entries; i++)
        {
            int from = Math.Max(0, i - o.MovingAverageWindow + 1);
            double s = 0; for (int j = from; j <= i; j++) s += history[j];
            moving[i] = s / (i - from + 1);
        }
        // Final estimate: hard samples, no dropout, disjoint held-out batches in a seeded order.
        var evalOrder = (int[])holdout.Clone();
        var evalRng = RandomStreams.Create(o.Seed, 0, "evaluation-order");
        Shuffle(evalOrder, ref evalRng);
        int batches = Math.Min(o.EvaluationBatches, evalOrder.Length / kEval);
        var values = new double[batches];
        for (int b = 0; b < batches; b++)
        {
            Fill(windows, obj, evalOrder.AsSpan(b * kEval, kEval));
            var noise = RandomStreams.Create(o.Seed, (ulong)b, "evaluation-noise");
            if (obj.UsesNoise) obj.DrawNoise(kEval, ref noise);
            values[b] = obj.Evaluate(kEval, 1.0, o.Bound, hard: true, gradient: false, trainFilters: false, o.MaxDegreeOfParallelism) / Math.Log(2);
        }
        double mean = values.Average();
        double err = batches > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (batches - 1) / batches) : double.NaN;
        return new TrainOutcome(mean, err, batches, history, moving, taus);
    }

    /// <summary>Trains a critic u(V)·w(E) on whole blocks and copies its w into <paramref name="critic"/>.</summary>
    private static void WarmUp(int nv, int ne, TrainingRows rows, SeparableCritic critic, InfoNceOptions o, IProgressReporter? progress)
    {
        int k = o.BatchSize;
        var blockCritic = new SeparableCritic(nv, ne, o.CriticLayers, o.Embedding, 0, o.Seed ^ 0x5DEECE66DUL);
        var batch = new CriticBatch(blockCritic, k);
        var adamU = new Adam(blockCritic.U.ParameterCount, o.LearningRate);
        var adamW = new Adam(blockCritic.W.ParameterCount, o.LearningRate);
        for (int step = 0; step < o.WarmUpSteps; step++)
        {
            rows.Fill(k, batch.X.AsSpan(0, k * nv), batch.Y.AsSpan(0, k * ne));
            double value = batch.Run(k, o.Bound, gradient: true, o.MaxDegreeOfParallelism);
            adamU.Ascend(blockCritic.U.Parameters, batch.GradientU);
            adamW.Ascend(blockCritic.W.Parameters, batch.GradientW);
            if ((step + 1) % o.HistoryInterval == 0)
                progress?.Report("warm-up critic on whole blocks", (step + 1.0) / o.WarmUpSteps, $"I(V:E) bound {value / Math.Log(2):F4} bits");
        }
        blockCritic.W.Parameters.CopyTo(critic.W.Parameters, 0);
    }

    /// <summary>Where the training batches come from: a pool of windows read in shuffled passes, or fresh windows.</summary>
    private abstract class TrainingRows
    {
        /// <summary>Writes the next <paramref name="k"/> training rows (±1.0) into the batch buffers.</summary>
        public abstract void Fill(int k, Span<double> visible, Span<double> environment);
    }

    /// <summary>Rows of a pool of windows, in a new seeded random order each pass (a pass ends when fewer than k rows remain).</summary>
    private sealed class PoolRows(Windows windows, int[] rows, ulong seed, string purpose) : TrainingRows
    {
        private readonly int[] _order = (int[])rows.Clone();
        private Xoshiro256StarStar _rng = RandomStreams.Create(seed, 0, purpose);
        private int _cursor = rows.Length;

        public override void Fill(int k, Span<double> visible, Span<double> environment)
        {
            if (_cursor + k > _order.Length) { Shuffle(_order, ref _rng); _cursor = 0; }
            int nv = windows.VisibleSize, ne = windows.EnvironmentSize;
            for (int r = 0; r < k; r++)
            {
                ReadOnlySpan<sbyte> v = windows.VisibleRow(_order[_cursor + r]), e = windows.EnvironmentRow(_order[_cursor + r]);
                for (int i = 0; i < nv; i++) visible[r * nv + i] = v[i];
                for (int i = 0; i < ne; i++) environment[r * ne + i] = e[i];
            }
            _cursor += k;
        }
    }

    /// <summary>The rows of <see cref="PoolRows"/> over a pool of windows cut at <paramref name="positions"/>
    /// (<see cref="WindowGatherer.DrawPositions"/>), copied from the configurations as they are read: the same values in
    /// the same order, the same seeded shuffle of each pass.</summary>
    private sealed class PositionPoolRows(WindowGatherer gather, int[] positions, IStateSpace states, ulong seed, string purpose) : TrainingRows
    {
        private readonly int[] _order = Enumerable.Range(0, positions.Length / 4).ToArray();
        private Xoshiro256StarStar _rng = RandomStreams.Create(seed, 0, purpose);
        private int _cursor = positions.Length / 4;
        private sbyte[] _v = [], _e = [];
        private const int PrefetchDistance = 8;

        public override void Fill(int k, Span<double> visible, Span<double> environment)
        {
            if (_cursor + k > _order.Length) { Shuffle(_order, ref _rng); _cursor = 0; }
            int f = states.FeaturesPerSite, nv = visible.Length / k, ne = environment.Length / k;
            if (f > 1 && _v.Length < nv / f) { _v = new sbyte[nv / f]; _e = new sbyte[ne / f]; }
            for (int r = 0; r < k; r++)
            {
                // the pool's windows lie anywhere in a sample set much larger than the caches: ask for the rows of the
                // window a few rows ahead while this one is copied
                if (r + PrefetchDistance < k)
                {
                    int q = 4 * _order[_cursor + r + PrefetchDistance];
                    gather.Prefetch(positions[q], positions[q + 1], positions[q + 2], positions[q + 3]);
                }
                int p = 4 * _order[_cursor + r];
                Span<double> v = visible.Slice(r * nv, nv), e = environment.Slice(r * ne, ne);
                if (f == 1) { gather.CopyAt(positions[p], positions[p + 1], positions[p + 2], positions[p + 3], v, e); continue; }
                gather.CopyAt(positions[p], positions[p + 1], positions[p + 2], positions[p + 3], _v.AsSpan(0, nv / f), _e.AsSpan(0, ne / f));
                states.EncodeRow(_v.AsSpan(0, nv / f), v);
                states.EncodeRow(_e.AsSpan(0, ne / f), e);
            }
            _cursor += k;
        }
    }

    /// <summary>Fresh windows for every batch: batch b is drawn from stream (seed, b, purpose).</summary>
    /// <remarks>Sites of more than one feature are drawn as their values and then encoded (<see cref="StateEncoding.EncodeRow"/>).</remarks>
    private sealed class FreshRows(WindowGatherer gather, IStateSpace states, ulong seed, string purpose) : TrainingRows
    {
        private ulong _batch;
        private sbyte[] _v = [], _e = [];

        public override void Fill(int k, Span<double> visible, Span<double> environment)
        {
            var rng = RandomStreams.Create(seed, _batch++, purpose);
            int f = states.FeaturesPerSite;
            int nv = visible.Length / k, ne = environment.Length / k;
            if (f == 1)
            {
                for (int r = 0; r < k; r += WindowGatherer.Tile)
                {
                    int n = Math.Min(WindowGatherer.Tile, k - r);
                    gather.DrawRows(ref rng, n, visible.Slice(r * nv, n * nv), environment.Slice(r * ne, n * ne));
                }
                return;
            }
            int sv = nv / f, se = ne / f;
            if (_v.Length < WindowGatherer.Tile * sv) { _v = new sbyte[WindowGatherer.Tile * sv]; _e = new sbyte[WindowGatherer.Tile * se]; }
            for (int r = 0; r < k; r += WindowGatherer.Tile)
            {
                int n = Math.Min(WindowGatherer.Tile, k - r);
                gather.DrawRows(ref rng, n, _v.AsSpan(0, n * sv), _e.AsSpan(0, n * se));
                states.EncodeRow(_v.AsSpan(0, n * sv), visible.Slice(r * nv, n * nv));
                states.EncodeRow(_e.AsSpan(0, n * se), environment.Slice(r * ne, n * ne));
            }
        }
    }

    private static void Fill(Windows windows, IRsmiNeObjective obj, ReadOnlySpan<int> rows)
    {
        int nv = windows.VisibleSize, ne = windows.EnvironmentSize;
        for (int r = 0; r < rows.Length; r++)
        {
            ReadOnlySpan<sbyte> v = windows.VisibleRow(rows[r]);
            ReadOnlySpan<sbyte> e = windows.EnvironmentRow(rows[r]);
            Span<double> vd = obj.Visible.AsSpan(r * nv, nv), ed = obj.Environment.AsSpan(r * ne, ne);
            for (int i = 0; i < nv; i++) vd[i] = v[i];
            for (int i = 0; i < ne; i++) ed[i] = e[i];
        }
    }

    private static void Shuffle(int[] a, ref Xoshiro256StarStar rng)
    {
        for (int i = a.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (a[i], a[j]) = (a[j], a[i]);
        }
    }

    /// <summary>Z₂ convention: λ_j and −λ_j (with c_j → −c_j) are equivalent; report each row with Σ_i λ_ji ≥ 0.</summary>
    internal static void FixSigns(double[] weights, double[] bias, int nh, int nv)
    {
        for (int j = 0; j < nh; j++)
        {
            var row = weights.AsSpan(j * nv, nv);
            double s = 0; foreach (double w in row) s += w;
            if (s < 0) { foreach (ref double w in row) w = -w; bias[j] = -bias[j]; }
        }
    }
}
