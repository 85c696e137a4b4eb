namespace Rsmi.Tests.Learning.Nn;

/// <summary>Central finite differences against analytic gradients.</summary>
internal static class GradientCheck
{
    /// <summary>
    /// For each (or up to <paramref name="maxChecks"/> evenly spread) component i of <paramref name="parameters"/>,
    /// compares <paramref name="analytic"/>[i] with (f(θ + ε e_i) − f(θ − ε e_i)) / 2ε and asserts agreement to
    /// |Δ| ≤ 1e-6 + 1e-5 |g|. Returns the number of components checked.
    /// </summary>
    public static int AssertMatches(double[] parameters, ReadOnlySpan<double> analytic, Func<double> f, int maxChecks = int.MaxValue, double eps = 1e-5, string what = "")
    {
        var g = analytic.ToArray();
        int n = parameters.Length, stride = Math.Max(1, n / Math.Min(n, maxChecks)), checkedCount = 0;
        for (int i = 0; i < n; i += stride)
        {
            double keep = parameters[i];
            parameters[i] = keep + eps; double fp = f();
            parameters[i] = keep - eps; double fm = f();
            parameters[i] = keep;
            double fd = (fp - fm) / (2 * eps);
            double tol = 1e-6 + 1e-5 * Math.Abs(g[i]);
            Assert.True(Math.Abs(fd - g[i]) <= tol, $"{what} component {i}: analytic {g[i]:E6}, finite difference {fd:E6}");
            checkedCount++;
        }
        return checkedCount;
    }
}
