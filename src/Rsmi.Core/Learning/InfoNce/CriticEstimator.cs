using Rsmi.Learning.Nn;
using Rsmi.Random;

namespace Rsmi.Learning.InfoNce;

/// <summary>
/// A neural estimate of I(X:Y) from paired continuous samples: a separable critic u(x)·w(y) trained by Adam on a
/// variational lower bound (<see cref="InfoNceOptions.Bound"/>), then evaluated on held-out pairs. The RSMI learner
/// uses the same critic with X = the hidden units; this entry point serves to validate the estimator on
/// distributions with known mutual information.
/// </summary>
public static class CriticEstimator
{
    /// <summary>
    /// Estimates I(X:Y) in nats from <paramref name="count"/> pairs (rows of <paramref name="x"/>, count × dx, and
    /// <paramref name="y"/>, count × dy). The last <see cref="InfoNceOptions.HoldoutFraction"/> of the rows are held
    /// out. Returns the mean held-out bound, its standard error and the training history (nats per history interval).
    /// </summary>
    public static (double Nats, double Error, double[] History) Estimate(double[] x, int dx, double[] y, int dy, int count, InfoNceOptions o)
    {
        o.Validate();
        Require.That(x.Length == count * dx && y.Length == count * dy, "the sample arrays do not match count × dimension.");
        int k = o.BatchSize, kEval = o.EffectiveEvaluationBatchSize;
        int hold = (int)Math.Floor(o.HoldoutFraction * count);
        Require.That(hold >= kEval && count - hold >= k, $"{count} pairs are too few for the batch sizes and the held-out fraction.");
        var critic = new SeparableCritic(dx, dy, o.CriticLayers, o.Embedding, o.Dropout, o.Seed);
        var batch = new CriticBatch(critic, Math.Max(k, kEval));
        var adamU = new Adam(critic.U.ParameterCount, o.LearningRate);
        var adamW = new Adam(critic.W.ParameterCount, o.LearningRate);
        var order = Enumerable.Range(0, count - hold).ToArray();
        var rng = RandomStreams.Create(o.Seed, 0, "batches");
        int cursor = order.Length;
        var history = new List<double>();
        double acc = 0; int accN = 0;
        ulong? dropoutSeed = o.Dropout > 0 ? o.Seed : null;
        for (int step = 0; step < o.Steps; step++)
        {
            if (cursor + k > order.Length)
            {
                for (int i = order.Length - 1; i > 0; i--) { int j = rng.NextInt(i + 1); (order[i], order[j]) = (order[j], order[i]); }
                cursor = 0;
            }
            adamU.LearningRate = adamW.LearningRate = o.LearningRate * Math.Pow(o.FinalLearningRateFraction, step / Math.Max(1.0, o.Steps - 1));
            Fill(x, dx, y, dy, batch, order.AsSpan(cursor, k));
            cursor += k;
            acc += batch.Run(k, o.Bound, gradient: true, o.MaxDegreeOfParallelism, dropoutSeed, (long)step * k); accN++;
            adamU.Ascend(critic.U.Parameters, batch.GradientU);
            adamW.Ascend(critic.W.Parameters, batch.GradientW);
            if (accN == o.HistoryInterval) { history.Add(acc / accN); acc = 0; accN = 0; }
        }
        int batches = Math.Min(o.EvaluationBatches, hold / kEval);
        var values = new double[batches];
        var rows = new int[kEval];
        for (int b = 0; b < batches; b++)
        {
            for (int i = 0; i < kEval; i++) rows[i] = count - hold + b * kEval + i;
            Fill(x, dx, y, dy, batch, rows);
            values[b] = batch.Run(kEval, o.Bound, gradient: false, o.MaxDegreeOfParallelism);
        }
        double mean = values.Average();
        double err = batches > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (batches - 1) / batches) : double.NaN;
        return (mean, err, history.ToArray());
    }

    private static void Fill(double[] x, int dx, double[] y, int dy, CriticBatch batch, ReadOnlySpan<int> rows)
    {
        for (int r = 0; r < rows.Length; r++)
        {
            x.AsSpan(rows[r] * dx, dx).CopyTo(batch.X.AsSpan(r * dx, dx));
            y.AsSpan(rows[r] * dy, dy).CopyTo(batch.Y.AsSpan(r * dy, dy));
        }
    }
}
