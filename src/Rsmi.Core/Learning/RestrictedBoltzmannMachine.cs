using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Rsmi.Random;

namespace Rsmi.Learning;

/// <summary>
/// A restricted Boltzmann machine with ±1 visible units x and ±1 hidden units g (docs/algorithm.md, "Restricted Boltzmann machines"):
/// E_Θ(x, g) = −Σ_i a_i x_i − Σ_k c_k g_k − Σ_ik x_i W_ik g_k, P_Θ(x, g) = e^{−E}/Z.
/// Summing out g gives the free energy F_Θ(x) = −Σ_i a_i x_i − Σ_k log(2 cosh(c_k + Σ_i x_i W_ik)),
/// P_Θ(x) = e^{−F_Θ(x)}/Z_Θ. Conditionals factorise: P(g_k = +1 | x) = σ(2(c_k + Σ_i x_i W_ik)),
/// P(x_i = +1 | g) = σ(2(a_i + Σ_k W_ik g_k)).
/// </summary>
public sealed class RestrictedBoltzmannMachine
{
    /// <summary>Number of visible units (≥ 1).</summary>
    public int VisibleCount { get; }
    /// <summary>Number of hidden units (≥ 1).</summary>
    public int HiddenCount { get; }
    /// <summary>W, visible-major: W_ik = Weights[i·HiddenCount + k].</summary>
    public double[] Weights { get; }
    /// <summary>Visible biases a_i.</summary>
    public double[] VisibleBias { get; }
    /// <summary>Hidden biases c_k.</summary>
    public double[] HiddenBias { get; }

    /// <summary>A machine with all parameters zero (the uniform distribution).</summary>
    public RestrictedBoltzmannMachine(int visibleCount, int hiddenCount)
    {
        Require.Positive(visibleCount, "number of visible units");
        Require.Positive(hiddenCount, "number of hidden units");
        VisibleCount = visibleCount; HiddenCount = hiddenCount;
        Weights = new double[visibleCount * hiddenCount];
        VisibleBias = new double[visibleCount];
        HiddenBias = new double[hiddenCount];
    }

    /// <summary>Small Gaussian weights (standard deviation <paramref name="scale"/>), zero biases; seeded.</summary>
    public static RestrictedBoltzmannMachine Random(int visibleCount, int hiddenCount, ulong seed, double scale = 0.01)
    {
        var m = new RestrictedBoltzmannMachine(visibleCount, hiddenCount);
        var rng = RandomStreams.Create(seed, 0, "rbm-init");
        for (int k = 0; k < m.Weights.Length; k++) m.Weights[k] = scale * rng.NextGaussian();
        return m;
    }

    /// <summary>Row i of W (the couplings of visible unit i to every hidden unit).</summary>
    public ReadOnlySpan<double> WeightRow(int i) => Weights.AsSpan(i * HiddenCount, HiddenCount);

    /// <summary>Hidden fields b_k(x) = c_k + Σ_i x_i W_ik.</summary>
    public void HiddenField(ReadOnlySpan<double> x, Span<double> field)
    {
        HiddenBias.CopyTo(field);
        var w = Weights.AsSpan();
        for (int i = 0; i < VisibleCount; i++)
            TensorPrimitives.MultiplyAdd(w.Slice(i * HiddenCount, HiddenCount), x[i], field, field);
    }

    /// <summary>Visible fields a_i + Σ_k W_ik g_k.</summary>
    public void VisibleField(ReadOnlySpan<double> g, Span<double> field)
    {
        var w = Weights.AsSpan();
        for (int i = 0; i < VisibleCount; i++)
            field[i] = VisibleBias[i] + TensorPrimitives.Dot(w.Slice(i * HiddenCount, HiddenCount), g);
    }

    /// <summary>log(2 cosh x), stable for large |x|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LogTwoCosh(double x)
    {
        double ax = Math.Abs(x);
        return ax + Math.Log(1 + Math.Exp(-2 * ax));
    }

    /// <summary>Σ_k log 2cosh(field_k).</summary>
    public static double SumLogTwoCosh(ReadOnlySpan<double> field)
    {
        double s = 0;
        foreach (double b in field) s += LogTwoCosh(b);
        return s;
    }

    /// <summary>
    /// Σ_k log 2cosh(b_k) and tanh b_k, vectorised through y_k = e^{−2|b_k|}: log 2cosh b = |b| + log(1 + y),
    /// tanh b = sign(b) (1 − y)/(1 + y). <paramref name="tanh"/> receives tanh b (may be empty); <paramref name="scratch"/>
    /// holds 2·|b| values.
    /// </summary>
    public static double SumLogTwoCosh(ReadOnlySpan<double> field, Span<double> tanh, Span<double> scratch)
    {
        int n = field.Length;
        Span<double> y = scratch.Slice(0, n), t = scratch.Slice(n, n);
        TensorPrimitives.Abs(field, y);
        double sum = TensorPrimitives.Sum(y);
        TensorPrimitives.Multiply(y, -2.0, y);
        TensorPrimitives.Exp(y, y);
        TensorPrimitives.Add(y, 1.0, t);          // 1 + y
        TensorPrimitives.Log(t, y);
        sum += TensorPrimitives.Sum(y);
        if (tanh.IsEmpty) return sum;
        TensorPrimitives.Subtract(2.0, t, y);     // 1 − y
        TensorPrimitives.Divide(y, t, y);
        TensorPrimitives.CopySign(y, field, tanh);
        return sum;
    }

    /// <summary>F_Θ(x) = −Σ a_i x_i − Σ_k log 2cosh(c_k + Σ_i x_i W_ik) for ±1 values x.</summary>
    public double FreeEnergy(ReadOnlySpan<double> x)
    {
        Span<double> field = HiddenCount <= 256 ? stackalloc double[HiddenCount] : new double[HiddenCount];
        HiddenField(x, field);
        return -TensorPrimitives.Dot(VisibleBias, x) - SumLogTwoCosh(field);
    }

    /// <summary>F_Θ(x) for x given as sbyte ±1 values.</summary>
    public double FreeEnergy(ReadOnlySpan<sbyte> x)
    {
        Span<double> xd = VisibleCount <= 256 ? stackalloc double[VisibleCount] : new double[VisibleCount];
        for (int i = 0; i < xd.Length; i++) xd[i] = x[i];
        return FreeEnergy(xd);
    }

    /// <summary>Largest smaller layer (visible or hidden) that <see cref="LogPartitionFunction"/> enumerates.</summary>
    public const int MaxEnumeratedLayer = 24;

    /// <summary>
    /// log Z_Θ exactly, by enumerating the smaller layer: with hidden g,
    /// Z = Σ_g exp(Σ_k c_k g_k) Π_i 2cosh(a_i + Σ_k W_ik g_k); with visible x, Z = Σ_x exp(−F_Θ(x)).
    /// Requires min(visible, hidden) ≤ <see cref="MaxEnumeratedLayer"/>.
    /// </summary>
    public double LogPartitionFunction()
    {
        int n = Math.Min(VisibleCount, HiddenCount);
        Require.That(n <= MaxEnumeratedLayer, $"exact partition function needs a layer of at most {MaxEnumeratedLayer} units, the smaller has {n}.");
        bool overHidden = HiddenCount <= VisibleCount;
        long states = 1L << n;
        int chunks = (int)Math.Max(1, states >> 10);
        var partial = new double[chunks];
        var partialMax = new double[chunks];
        Parallel.For(0, chunks, chunk =>
        {
            long start = (long)chunk << 10, end = Math.Min(states, start + 1024);
            Span<double> layer = stackalloc double[n];
            Span<double> field = stackalloc double[overHidden ? VisibleCount : HiddenCount];
            // log-sum-exp within the chunk
            double max = double.NegativeInfinity, sum = 0;
            for (long s = start; s < end; s++)
            {
                for (int i = 0; i < n; i++) layer[i] = ((s >> i) & 1) != 0 ? 1.0 : -1.0;
                double logw;
                if (overHidden)
                {
                    VisibleField(layer, field);
                    logw = TensorPrimitives.Dot(HiddenBias, layer) + SumLogTwoCosh(field);
                }
                else logw = -FreeEnergy(layer);
                if (logw > max) { sum = sum * Math.Exp(max - logw) + 1; max = logw; }
                else sum += Math.Exp(logw - max);
            }
            partial[chunk] = sum; partialMax[chunk] = max;
        });
        double m = partialMax.Max(), total = 0;
        for (int c = 0; c < chunks; c++) total += partial[c] * Math.Exp(partialMax[c] - m);
        return m + Math.Log(total);
    }

    /// <summary>Exact mean log-likelihood (nats per configuration) of <paramref name="count"/> rows of ±1 data (row-major, VisibleCount per row).</summary>
    public double MeanLogLikelihood(ReadOnlySpan<sbyte> data, int count)
    {
        Require.That(data.Length == count * VisibleCount, "data length must be count × visible units.");
        double logZ = LogPartitionFunction();
        double s = 0;
        for (int r = 0; r < count; r++) s -= FreeEnergy(data.Slice(r * VisibleCount, VisibleCount));
        return s / count - logZ;
    }

    /// <summary>Draws g ~ P(g | x) into <paramref name="g"/> (±1); <paramref name="field"/> is scratch of HiddenCount.</summary>
    public void SampleHidden<TRandom>(ReadOnlySpan<double> x, Span<double> g, Span<double> field, ref TRandom rng) where TRandom : struct, IRandomSource
    {
        HiddenField(x, field);
        for (int k = 0; k < HiddenCount; k++) g[k] = rng.NextDouble() < ExactMutualInformation.Sigmoid(2 * field[k]) ? 1.0 : -1.0;
    }

    /// <summary>Draws x ~ P(x | g) into <paramref name="x"/> (±1); <paramref name="field"/> is scratch of VisibleCount.</summary>
    public void SampleVisible<TRandom>(ReadOnlySpan<double> g, Span<double> x, Span<double> field, ref TRandom rng) where TRandom : struct, IRandomSource
    {
        VisibleField(g, field);
        for (int i = 0; i < VisibleCount; i++) x[i] = rng.NextDouble() < ExactMutualInformation.Sigmoid(2 * field[i]) ? 1.0 : -1.0;
    }

    /// <summary>
    /// <paramref name="count"/> visible configurations from the machine by block Gibbs sampling: independent chains
    /// (one random stream each, so results do not depend on the thread count), each started uniformly at random
    /// and run for <paramref name="sweeps"/> full x → g → x updates. Returns count × VisibleCount ±1 values.
    /// </summary>
    public sbyte[] Sample(int count, int sweeps, ulong seed)
    {
        Require.Positive(count, "number of samples");
        Require.Positive(sweeps, "number of Gibbs sweeps");
        var result = new sbyte[count * VisibleCount];
        Parallel.For(0, count, r =>
        {
            var rng = RandomStreams.Create(seed, (ulong)r, "rbm-sample");
            var x = new double[VisibleCount]; var g = new double[HiddenCount];
            var fv = new double[VisibleCount]; var fh = new double[HiddenCount];
            for (int i = 0; i < VisibleCount; i++) x[i] = rng.NextDouble() < 0.5 ? 1 : -1;
            for (int s = 0; s < sweeps; s++) { SampleHidden(x, g, fh, ref rng); SampleVisible(g, x, fv, ref rng); }
            for (int i = 0; i < VisibleCount; i++) result[r * VisibleCount + i] = (sbyte)x[i];
        });
        return result;
    }

    /// <summary>A deep copy.</summary>
    public RestrictedBoltzmannMachine Clone()
    {
        var m = new RestrictedBoltzmannMachine(VisibleCount, HiddenCount);
        Weights.CopyTo(m.Weights, 0); VisibleBias.CopyTo(m.VisibleBias, 0); HiddenBias.CopyTo(m.HiddenBias, 0);
        return m;
    }

    private sealed record Dto(
        [property: JsonPropertyName("visible")] int Visible,
        [property: JsonPropertyName("hidden")] int Hidden,
        [property: JsonPropertyName("weights")] double[][] Weights,
        [property: JsonPropertyName("visible_bias")] double[] VisibleBias,
        [property: JsonPropertyName("hidden_bias")] double[] HiddenBias,
        [property: JsonPropertyName("units")] string Units);

    /// <summary>JSON: {"visible", "hidden", "weights" (visible rows of hidden values), "visible_bias", "hidden_bias", "units": "pm1"}.</summary>
    public string ToJson()
    {
        var rows = new double[VisibleCount][];
        for (int i = 0; i < VisibleCount; i++) rows[i] = WeightRow(i).ToArray();
        return JsonSerializer.Serialize(new Dto(VisibleCount, HiddenCount, rows, VisibleBias, HiddenBias, "pm1"), new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Reads a machine written by <see cref="ToJson"/>; malformed input → <see cref="RsmiInputException"/>.</summary>
    public static RestrictedBoltzmannMachine FromJson(string json)
    {
        Dto? d;
        try { d = JsonSerializer.Deserialize<Dto>(json); }
        catch (JsonException e) { throw new RsmiInputException($"not a valid RBM file: {e.Message}", e); }
        if (d is null || d.Weights is null || d.VisibleBias is null || d.HiddenBias is null) throw new RsmiInputException("the RBM file lacks weights or biases.");
        Require.That(d.Units is null or "pm1", $"the RBM file has units '{d.Units}', expected 'pm1'.");
        var m = new RestrictedBoltzmannMachine(d.Visible, d.Hidden);
        Require.That(d.Weights.Length == d.Visible && d.Weights.All(r => r is not null && r.Length == d.Hidden), "the RBM weights do not have shape visible × hidden.");
        Require.That(d.VisibleBias.Length == d.Visible && d.HiddenBias.Length == d.Hidden, "the RBM biases have the wrong length.");
        for (int i = 0; i < d.Visible; i++) d.Weights[i].CopyTo(m.Weights, i * d.Hidden);
        d.VisibleBias.CopyTo(m.VisibleBias, 0); d.HiddenBias.CopyTo(m.HiddenBias, 0);
        return m;
    }
}
