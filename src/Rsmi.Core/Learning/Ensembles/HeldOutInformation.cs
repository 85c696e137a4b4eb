using Rsmi.Filters;
using Rsmi.Data;
using Rsmi.Learning.InfoNce;
using Rsmi.Learning.Nn;
using Rsmi.Models;
using Rsmi.Random;
using Rsmi.Regions;
using Rsmi.Renormalization;

namespace Rsmi.Learning.Ensembles;

/// <summary>
/// The common yardstick of every learned filter: the information I(H:E) that the coarse variables carry about the
/// environment <em>as the filter is applied</em> (docs/learning.md, "The yardstick"). H is produced from each window's
/// block exactly as <c>rsmi coarse-grain</c> produces it (<see cref="FilterBlockRule"/>, by default h = sign(λ·v + c)
/// with a fair coin on ties); a fresh separable critic f(h, e) = u(h)·w(e) is trained on windows of the training
/// configurations by Adam on the InfoNCE bound (van den Oord et al. 2018; Poole et al., ICML 2019)
/// <code>I(H:E) ≥ E[ f(h_i, e_i) − log (1/K) Σ_k e^{f(h_i, e_k)} ]</code>
/// and the bound is then evaluated on disjoint batches of windows from configurations it never saw. The mean over
/// batches is a lower bound on I(H:E) up to its statistical error (the standard error over batches). With no
/// dependence between H and E, a critic can only fit noise, which lowers the held-out bound (Jensen), so the null
/// value is ≤ 0.
/// </summary>
public static class HeldOutInformation
{
    /// <summary>A critic trained for one filter, ready to be evaluated on held-out configurations.</summary>
    public sealed class TrainedCritic
    {
        internal TrainedCritic() { }
        internal SeparableCritic Critic { get; init; } = null!;
        internal CriticBatch Batch { get; init; } = null!;
        internal FilterParameters Filter { get; init; } = null!;
        internal FilterMode Application { get; init; }
        internal WindowGeometry Geometry { get; init; } = null!;
        internal InfoNceOptions Options { get; init; } = null!;
    }

    /// <summary>
    /// Trains the yardstick's critic for <paramref name="filter"/> on windows at random tiling positions of
    /// <paramref name="training"/> (<see cref="InfoNceOptions.Steps"/> Adam steps of batch K).
    /// </summary>
    public static TrainedCritic Train(SampleSet training, WindowGeometry geometry, FilterParameters filter, FilterMode application, InfoNceOptions options)
    {
        int k = options.BatchSize, nh = HiddenInputs(filter);
        int count = Math.Max(k, Math.Min(options.TrainingWindows, options.Steps * k));
        var windows = WindowCutter.CutRandom(training, geometry, 0, training.Count, count, options.Seed, "yardstick-train-windows");
        var h = Apply(windows, filter, application, options.Seed, "yardstick-train-h");
        windows = windows.Encoded();
        int ne = windows.EnvironmentSize;
        var critic = new SeparableCritic(nh, ne, options.CriticLayers, options.Embedding, 0, options.Seed);
        var batch = new CriticBatch(critic, Math.Max(k, options.EffectiveEvaluationBatchSize));
        var adamU = new Adam(critic.U.ParameterCount, options.LearningRate);
        var adamW = new Adam(critic.W.ParameterCount, options.LearningRate);
        var order = Enumerable.Range(0, count).ToArray();
        var rng = RandomStreams.Create(options.Seed, 0, "yardstick-batches");
        int cursor = order.Length;
        for (int step = 0; step < options.Steps; step++)
        {
            if (cursor + k > order.Length) { Shuffle(order, ref rng); cursor = 0; }
            adamU.LearningRate = adamW.LearningRate = options.LearningRate * Math.Pow(options.FinalLearningRateFraction, step / Math.Max(1.0, options.Steps - 1));
            Fill(h, nh, windows, batch, order.AsSpan(cursor, k));
            cursor += k;
            batch.Run(k, options.Bound, gradient: true, options.MaxDegreeOfParallelism);
            adamU.Ascend(critic.U.Parameters, batch.GradientU);
            adamW.Ascend(critic.W.Parameters, batch.GradientW);
        }
        return new TrainedCritic { Critic = critic, Batch = batch, Filter = filter, Application = application, Geometry = geometry, Options = options };
    }

    /// <summary>
    /// The bound of <paramref name="critic"/> on <see cref="InfoNceOptions.EvaluationBatches"/> disjoint batches of
    /// windows drawn from <paramref name="heldOut"/> with stream (<paramref name="windowSeed"/>, <paramref name="purpose"/>),
    /// so that critics evaluated with the same seed see the same windows (paired comparisons): mean and standard error in bits.
    /// </summary>
    public static (double Bits, double Error, int Batches) Evaluate(TrainedCritic critic, SampleSet heldOut, ulong windowSeed, string purpose)
    {
        var o = critic.Options;
        int nh = HiddenInputs(critic.Filter);
        // Distinct windows only (no window is used twice): at most EvaluationBatches batches of K, fewer and smaller
        // batches when the held-out configurations hold fewer block positions (at least two batches for an error bar).
        long distinct = (long)heldOut.Count * Positions(heldOut, critic.Geometry);
        int k = (int)Math.Min(o.EffectiveEvaluationBatchSize, Math.Max(2, distinct / 2));
        int batches = (int)Math.Max(1, Math.Min(o.EvaluationBatches, distinct / k));
        var windows = DistinctWindows(heldOut, critic.Geometry, batches * k, windowSeed, purpose + "-windows");
        var h = Apply(windows, critic.Filter, critic.Application, o.Seed, purpose + "-h");
        windows = windows.Encoded();
        var values = new double[batches];
        var rows = new int[k];
        for (int b = 0; b < batches; b++)
        {
            for (int i = 0; i < k; i++) rows[i] = b * k + i;
            Fill(h, nh, windows, critic.Batch, rows);
            values[b] = critic.Batch.Run(k, o.Bound, gradient: false, o.MaxDegreeOfParallelism) / Math.Log(2);
        }
        double mean = values.Average();
        double err = batches > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (batches - 1) / batches) : double.NaN;
        return (mean, err, batches);
    }

    private static int Positions(SampleSet samples, WindowGeometry geometry) =>
        (samples.Lx / geometry.BlockX) * (geometry.Dimension == 1 ? 1 : samples.Ly / geometry.BlockY) * (geometry.Dimension < 3 ? 1 : samples.Lz / geometry.BlockZ);

    /// <summary><paramref name="count"/> windows at distinct (configuration, tiling position) pairs, drawn without replacement.</summary>
    private static Windows DistinctWindows(SampleSet samples, WindowGeometry geometry, int count, ulong seed, string purpose)
    {
        int sx = geometry.BlockX, sy = geometry.Dimension == 1 ? 1 : geometry.BlockY, sz = geometry.Dimension < 3 ? 1 : geometry.BlockZ;
        int px = samples.Lx / sx, py = samples.Ly / sy, positions = Positions(samples, geometry);
        long total = (long)samples.Count * positions;
        var rng = RandomStreams.Create(seed, 0, purpose);
        var chosen = new long[count];
        if (total <= 4L * count)
        {
            var all = new long[total];
            for (long i = 0; i < total; i++) all[i] = i;
            for (int i = 0; i < count; i++) { long j = i + (long)(rng.NextDouble() * (total - i)); if (j >= total) j = total - 1; (all[i], all[j]) = (all[j], all[i]); }
            Array.Copy(all, chosen, count);
        }
        else
        {
            var seen = new HashSet<long>();
            for (int i = 0; i < count;)
            {
                long c = (long)(rng.NextDouble() * total);
                if (c < total && seen.Add(c)) chosen[i++] = c;
            }
        }
        int nv = geometry.VisibleSize, ne = geometry.EnvironmentSize;
        var vis = new sbyte[(long)count * nv];
        var env = new sbyte[(long)count * ne];
        var gather = new WindowGatherer(samples, geometry, 0, samples.Count);
        for (int w = 0; w < count; w++)
        {
            int c = (int)(chosen[w] / positions), p = (int)(chosen[w] % positions);
            int x0 = p % px * sx, y0 = p / px % py * sy, z0 = p / px / py * sz;
            gather.CopyAt(c, x0, y0, z0, vis.AsSpan(w * nv, nv), env.AsSpan(w * ne, ne));
        }
        return new Windows { Count = count, VisibleSize = nv, EnvironmentSize = ne, Visible = vis, Environment = env, States = samples.States() };
    }

    /// <summary>The critic's inputs per window: one per binary unit (h = ±1), q_h per categorical unit (its one-hot state).</summary>
    private static int HiddenInputs(FilterParameters filter) => filter.Hidden * (filter.HiddenStates == 2 ? 1 : filter.HiddenStates);

    /// <summary>The coarse variables of every window's block, as the rule applies the filter: count × N_h values ±1 for
    /// binary units, count × N_h·q_h one-hot values for categorical units (windows of labels: <see cref="LabelFilterBlockRule"/>).</summary>
    internal static double[] Apply(Windows windows, FilterParameters filter, FilterMode application, ulong seed, string purpose)
    {
        if (!filter.IsSpinFilter) return ApplyLabels(windows, filter, application, seed, purpose);
        int nh = filter.Hidden, nv = windows.VisibleSize;
        var rule = new FilterBlockRule(filter.Weights, filter.Bias, nv, application);
        var h = new double[windows.Count * nh];
        Span<sbyte> hidden = stackalloc sbyte[nh];
        var rng = RandomStreams.Create(seed, 0, purpose);
        for (int w = 0; w < windows.Count; w++)
        {
            rule.Apply(windows.VisibleRow(w), hidden, ref rng);
            for (int j = 0; j < nh; j++) h[w * nh + j] = hidden[j];
        }
        return h;
    }

    private static double[] ApplyLabels(Windows windows, FilterParameters filter, FilterMode application, ulong seed, string purpose)
    {
        Require.That(windows.States.FeaturesPerSite == filter.FeaturesPerSite && windows.VisibleSize == filter.Visible,
            "the filters do not read the sites of these windows.");
        int nh = filter.Hidden, q = filter.HiddenStates, width = HiddenInputs(filter);
        var rule = new LabelFilterBlockRule(filter, application);
        var h = new double[windows.Count * width];
        Span<sbyte> hidden = stackalloc sbyte[nh];
        var rng = RandomStreams.Create(seed, 0, purpose);
        for (int w = 0; w < windows.Count; w++)
        {
            rule.Apply(windows.VisibleRow(w), hidden, ref rng);
            for (int j = 0; j < nh; j++)
                if (q == 2) h[w * width + j] = 2 * hidden[j] - 1;
                else h[w * width + j * q + hidden[j]] = 1;
        }
        return h;
    }

    private static void Fill(double[] h, int nh, Windows windows, CriticBatch batch, ReadOnlySpan<int> rows)
    {
        int ne = windows.EnvironmentSize;
        for (int r = 0; r < rows.Length; r++)
        {
            h.AsSpan(rows[r] * nh, nh).CopyTo(batch.X.AsSpan(r * nh, nh));
            ReadOnlySpan<sbyte> e = windows.EnvironmentRow(rows[r]);
            Span<double> y = batch.Y.AsSpan(r * ne, ne);
            for (int i = 0; i < ne; i++) y[i] = e[i];
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
}
