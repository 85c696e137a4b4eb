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

    /// <summary>Most training windows of <see cref="TrainRegression"/>.</summary>
    public const int MaxRegressionWindows = 262_144;

    /// <summary>
    /// A critic fitted in closed form instead of by Adam, for weak dependences (docs/scan.md, "Critics"): each binary
    /// coarse variable h_j is regressed on the environment by least squares, m_j(e) = a_j·e + a_j0 (the best linear
    /// predictor of h_j, from as many windows of <paramref name="training"/> as it holds block positions, at most
    /// <see cref="MaxRegressionWindows"/>), and the
    /// critic is
    /// <code>f(h, e) = β Σ_j (h_j − h̄_j)(m_j(e) − h̄_j) / Var(h_j).</code>
    /// For one unit, p(h|e) = p(h)[1 + (h − h̄)(E[h|e] − h̄)/Var(h)] exactly, so log p(h|e)/p(h) equals this critic with
    /// β = 1 to first order in the dependence; β is chosen among 2^{k/2}, k = −4 … 4, by the bound on training windows.
    /// A linear separable critic trained by Adam on as many windows can fall short of this optimum when the information
    /// is of order 10⁻³ bits (the weak gradient leaves it where its noise puts it). Spin filters with binary units only.
    /// </summary>
    public static TrainedCritic TrainRegression(SampleSet training, WindowGeometry geometry, FilterParameters filter, FilterMode application, InfoNceOptions options)
    {
        Require.That(filter.IsSpinFilter, "the regression critic takes spin filters with binary units.");
        int k = options.BatchSize, nh = filter.Hidden;
        // as many windows as the training configurations hold block positions, within [K, MaxRegressionWindows]
        long distinct = (long)training.Count * Positions(training, geometry);
        int count = (int)Math.Max(k, Math.Min(Math.Min(MaxRegressionWindows, distinct), Math.Min(options.TrainingWindows, options.Steps * k)));
        var windows = WindowCutter.CutRandom(training, geometry, 0, training.Count, count, options.Seed, "yardstick-train-windows");
        var h = Apply(windows, filter, application, options.Seed, "yardstick-train-h");
        windows = windows.Encoded();
        int ne = windows.EnvironmentSize, p = ne + 1;
        // Normal equations of [e, 1] → h_j: G = Σ x xᵀ (lower triangle), R_j = Σ x h_j.
        var gram = new double[p * p];
        var rhs = new double[nh * p];
        var x = new double[p];
        for (int w = 0; w < windows.Count; w++)
        {
            ReadOnlySpan<sbyte> e = windows.EnvironmentRow(w);
            for (int i = 0; i < ne; i++) x[i] = e[i];
            x[ne] = 1;
            for (int i = 0; i < p; i++)
            {
                double xi = x[i];
                int row = i * p;
                for (int j = 0; j <= i; j++) gram[row + j] += xi * x[j];
            }
            for (int j = 0; j < nh; j++)
            {
                double hj = h[w * nh + j];
                for (int i = 0; i < p; i++) rhs[j * p + i] += hj * x[i];
            }
        }
        double trace = 0;
        for (int i = 0; i < p; i++) trace += gram[i * p + i];
        for (int i = 0; i < p; i++) gram[i * p + i] += 1e-9 * trace / p;   // a ridge far below any signal, for constant sites
        var cholesky = Cholesky(gram, p);
        var coefficients = new double[nh * p];
        for (int j = 0; j < nh; j++) SolveCholesky(cholesky, p, rhs.AsSpan(j * p, p), coefficients.AsSpan(j * p, p));
        var critic = new SeparableCritic(nh, ne, [], nh, 0, options.Seed);
        var u = critic.U.Parameters;          // u_j(h) = (h_j − h̄_j)/Var(h_j): diagonal weights (nh × nh), then the biases
        Array.Clear(u);
        var mean = new double[nh];
        for (int j = 0; j < nh; j++)
        {
            mean[j] = rhs[j * p + ne] / windows.Count;                   // Σ h_j over the windows (the column of ones)
            double variance = Math.Max(1e-12, 1 - mean[j] * mean[j]);     // h_j = ±1
            u[j * nh + j] = 1 / variance;
            u[nh * nh + j] = -mean[j] / variance;
            coefficients[j * p + ne] -= mean[j];                           // w_j(e) = β (m_j(e) − h̄_j)
        }
        var batch = new CriticBatch(critic, Math.Max(k, options.EffectiveEvaluationBatchSize));
        var rows = new int[k];
        int trials = Math.Max(1, windows.Count / k);
        double best = double.NegativeInfinity, bestScale = 1;
        for (int step = -4; step <= 4; step++)
        {
            double scale = Math.Pow(2, step / 2.0);
            SetRegressionWeights(critic.W.Parameters, coefficients, nh, ne, scale);
            double sum = 0;
            for (int b = 0; b < trials; b++)
            {
                for (int i = 0; i < k; i++) rows[i] = b * k + i;
                Fill(h, nh, windows, batch, rows);
                sum += batch.Run(k, options.Bound, gradient: false, options.MaxDegreeOfParallelism);
            }
            if (sum > best) { best = sum; bestScale = scale; }
        }
        SetRegressionWeights(critic.W.Parameters, coefficients, nh, ne, bestScale);
        return new TrainedCritic { Critic = critic, Batch = batch, Filter = filter, Application = application, Geometry = geometry, Options = options };
    }

    /// <summary>w(e) = β (A e + a₀): the weights (nh × ne, row-major) then the biases of the linear embedding.</summary>
    private static void SetRegressionWeights(double[] parameters, double[] coefficients, int nh, int ne, double scale)
    {
        int p = ne + 1;
        for (int j = 0; j < nh; j++)
        {
            for (int i = 0; i < ne; i++) parameters[j * ne + i] = scale * coefficients[j * p + i];
            parameters[nh * ne + j] = scale * coefficients[j * p + ne];
        }
    }

    /// <summary>The Cholesky factor (lower, row-major) of a symmetric positive-definite matrix given by its lower triangle.</summary>
    private static double[] Cholesky(double[] a, int n)
    {
        var l = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = a[i * n + j];
                for (int m = 0; m < j; m++) s -= l[i * n + m] * l[j * n + m];
                if (i == j) l[i * n + i] = Math.Sqrt(Math.Max(s, 1e-300));
                else l[i * n + j] = s / l[j * n + j];
            }
        return l;
    }

    /// <summary>Solves L Lᵀ x = b.</summary>
    private static void SolveCholesky(double[] l, int n, ReadOnlySpan<double> b, Span<double> x)
    {
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = b[i];
            for (int m = 0; m < i; m++) s -= l[i * n + m] * y[m];
            y[i] = s / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double s = y[i];
            for (int m = i + 1; m < n; m++) s -= l[m * n + i] * x[m];
            x[i] = s / l[i * n + i];
        }
    }

    /// <summary>Most groups of configurations in <see cref="EvaluateGrouped"/>.</summary>
    public const int MaxGroups = 50;

    /// <summary>
    /// The bound of <paramref name="critic"/> with an error bar that counts configurations, not windows: the held-out
    /// configurations are cut, in file order, into G = min(<see cref="MaxGroups"/>, count) groups; each group is
    /// evaluated on distinct windows of its own configurations only (about <paramref name="windows"/>/G, in batches of K),
    /// and the estimate is the mean of the G group means with the standard error over groups. Windows of one
    /// configuration are correlated, so the spread of batches that share configurations understates the error when
    /// many windows are taken from few configurations; groups of whole configurations are independent (up to the
    /// chain's autocorrelation, which consecutive configurations in one group absorb). In bits.
    /// </summary>
    public static (double Bits, double Error, int Groups) EvaluateGrouped(TrainedCritic critic, SampleSet heldOut, int windows, ulong windowSeed, string purpose)
    {
        Require.Positive(windows, "number of evaluation windows");
        var o = critic.Options;
        int nh = HiddenInputs(critic.Filter);
        int groups = Math.Min(MaxGroups, heldOut.Count);
        int positions = Positions(heldOut, critic.Geometry);
        int smallest = heldOut.Count / groups;
        int k = (int)Math.Min(o.EffectiveEvaluationBatchSize, Math.Max(2, (long)smallest * positions));
        var means = new double[groups];
        var rows = new int[k];
        for (int g = 0; g < groups; g++)
        {
            var (start, end) = Statistics.Jackknife.Range(heldOut.Count, groups, g);
            var part = heldOut.Slice(start, end - start);
            long distinct = (long)part.Count * positions;
            int batches = (int)Math.Max(1, Math.Min(Math.Max(1, windows / groups / k), distinct / k));
            var cut = DistinctWindows(part, critic.Geometry, batches * k, windowSeed, $"{purpose}-windows-{g}");
            var h = Apply(cut, critic.Filter, critic.Application, o.Seed, $"{purpose}-h-{g}");
            cut = cut.Encoded();
            double sum = 0;
            for (int b = 0; b < batches; b++)
            {
                for (int i = 0; i < k; i++) rows[i] = b * k + i;
                Fill(h, nh, cut, critic.Batch, rows);
                sum += critic.Batch.Run(k, o.Bound, gradient: false, o.MaxDegreeOfParallelism) / Math.Log(2);
            }
            means[g] = sum / batches;
        }
        double mean = means.Average();
        double err = groups > 1 ? Math.Sqrt(means.Sum(v => (v - mean) * (v - mean)) / (groups - 1) / groups) : double.NaN;
        return (mean, err, groups);
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
