namespace Rsmi.Exact;

/// <summary>
/// ln(1 + x) and e^x − 1 to full relative precision for small |x| (Goldberg's and Kahan's corrections:
/// the rounding error of 1 + x is cancelled by dividing by the computed (1 + x) − 1). The BCL's generic
/// LogP1/ExpM1 are plain Log(x + 1) / Exp(x) − 1.
/// </summary>
internal static class Accurate
{
    /// <summary>ln(1 + x), x &gt; −1.</summary>
    public static double Log1P(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0) return x;
        return Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>e^x − 1.</summary>
    public static double ExpM1(double x)
    {
        if (Math.Abs(x) > 0.5) return Math.Exp(x) - 1.0;
        double u = Math.Exp(x);
        if (u == 1.0) return x;
        double um1 = u - 1.0;
        return um1 * x / Math.Log(u);
    }
}
