using Rsmi.Random;

namespace Rsmi.Tests.Statistics;

/// <summary>
/// The AR(1) process x_{t+1} = φ x_t + ε_t, ε ~ N(0, 1), started in equilibrium: a correlated series with
/// known properties. ρ(t) = φ^t, τ_int = (1 + φ) / (2 (1 − φ)), Var(x) = 1/(1 − φ²) and the exact variance
/// of the mean of N values Var(x̄) = Var(x)/N · [1 + 2 Σ_{t=1}^{N−1} (1 − t/N) φ^t].
/// </summary>
internal static class Ar1
{
    public static double[] Generate(double phi, int n, ulong seed)
    {
        var rng = RandomStreams.Create(seed, 0, "ar1");
        var x = new double[n];
        double v = rng.NextGaussian() / Math.Sqrt(1 - phi * phi);
        for (int i = 0; i < n; i++) { x[i] = v; v = phi * v + rng.NextGaussian(); }
        return x;
    }

    public static double IntegratedTime(double phi) => (1 + phi) / (2 * (1 - phi));

    public static double ErrorOfMean(double phi, int n)
    {
        double sum = phi / (1 - phi) - phi * (1 - Math.Pow(phi, n)) / (n * (1 - phi) * (1 - phi));
        return Math.Sqrt(1 / (1 - phi * phi) / n * (1 + 2 * sum));
    }
}
