namespace Rsmi.Learning.Nn;

/// <summary>
/// Adam (Kingma &amp; Ba, ICLR 2015) for one parameter vector, written for gradient <em>ascent</em>:
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ + η m̂/(√v̂ + ε) with bias-corrected m̂, v̂.
/// </summary>
public sealed class Adam
{
    private readonly double[] _m, _v;
    private readonly double _beta1, _beta2, _epsilon;
    private long _t;

    /// <summary>Learning rate η (may be changed between steps).</summary>
    public double LearningRate { get; set; }
    /// <summary>Steps taken.</summary>
    public long Steps => _t;

    /// <summary>An optimiser for <paramref name="size"/> parameters.</summary>
    /// <param name="size">Number of parameters, ≥ 0.</param>
    /// <param name="learningRate">η &gt; 0.</param>
    /// <param name="beta1">First-moment decay in [0, 1).</param>
    /// <param name="beta2">Second-moment decay in [0, 1).</param>
    /// <param name="epsilon">Denominator offset &gt; 0.</param>
    public Adam(int size, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        Require.NonNegative(size, "parameter count");
        Require.Positive(learningRate, "learning rate");
        _m = new double[size]; _v = new double[size];
        LearningRate = learningRate; _beta1 = beta1; _beta2 = beta2; _epsilon = epsilon;
    }

    /// <summary>One ascent step along <paramref name="gradient"/> (the gradient of the objective to maximise).</summary>
    public void Ascend(Span<double> parameters, ReadOnlySpan<double> gradient)
    {
        _t++;
        double c1 = 1.0 / (1.0 - Math.Pow(_beta1, _t)), c2 = 1.0 / (1.0 - Math.Pow(_beta2, _t));
        double lr = LearningRate, b1 = _beta1, b2 = _beta2, eps = _epsilon;
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            // the same operations in the same order, lane by lane: identical to the scalar loop below
            int vc = System.Numerics.Vector<double>.Count;
            var vb1 = new System.Numerics.Vector<double>(b1); var vb2 = new System.Numerics.Vector<double>(b2);
            var va1 = new System.Numerics.Vector<double>(1 - b1); var va2 = new System.Numerics.Vector<double>(1 - b2);
            var vc1 = new System.Numerics.Vector<double>(c1); var vc2 = new System.Numerics.Vector<double>(c2);
            var vlr = new System.Numerics.Vector<double>(lr); var veps = new System.Numerics.Vector<double>(eps);
            Span<double> ms = _m, vs = _v;
            for (; i + vc <= parameters.Length; i += vc)
            {
                var g = new System.Numerics.Vector<double>(gradient.Slice(i, vc));
                var m = vb1 * new System.Numerics.Vector<double>(ms.Slice(i, vc)) + va1 * g;
                var v = vb2 * new System.Numerics.Vector<double>(vs.Slice(i, vc)) + va2 * g * g;
                m.CopyTo(ms.Slice(i, vc)); v.CopyTo(vs.Slice(i, vc));
                var p = new System.Numerics.Vector<double>(parameters.Slice(i, vc));
                (p + vlr * (m * vc1) / (System.Numerics.Vector.SquareRoot(v * vc2) + veps)).CopyTo(parameters.Slice(i, vc));
            }
        }
        for (; i < parameters.Length; i++)
        {
            double g = gradient[i];
            double m = _m[i] = b1 * _m[i] + (1 - b1) * g;
            double v = _v[i] = b2 * _v[i] + (1 - b2) * g * g;
            parameters[i] += lr * (m * c1) / (Math.Sqrt(v * c2) + eps);
        }
    }
}
