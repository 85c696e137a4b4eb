namespace Rsmi.Learning;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) moment estimates for one flat parameter vector:
/// m ← β1 m + (1−β1) g, s ← β2 s + (1−β2) g², θ ← θ ± η m̂ / (√ŝ + ε) with bias-corrected m̂, ŝ.
/// </summary>
public sealed class AdamState(int size, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
{
    private readonly double[] _m = new double[size];
    private readonly double[] _s = new double[size];
    private long _t;

    /// <summary>One step up the gradient <paramref name="gradient"/> (maximisation).</summary>
    public void Ascend(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate) => Step(parameters, gradient, learningRate);

    /// <summary>One step down the gradient (minimisation).</summary>
    public void Descend(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate) => Step(parameters, gradient, -learningRate);

    private void Step(Span<double> parameters, ReadOnlySpan<double> gradient, double signedRate)
    {
        _t++;
        double c1 = 1 - Math.Pow(beta1, _t), c2 = 1 - Math.Pow(beta2, _t);
        double rate = signedRate * Math.Sqrt(c2) / c1;
        for (int k = 0; k < parameters.Length; k++)
        {
            double g = gradient[k];
            _m[k] = beta1 * _m[k] + (1 - beta1) * g;
            _s[k] = beta2 * _s[k] + (1 - beta2) * g * g;
            parameters[k] += rate * _m[k] / (Math.Sqrt(_s[k]) + epsilon);
        }
    }
}
