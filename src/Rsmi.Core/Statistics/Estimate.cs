using System.Globalization;

namespace Rsmi.Statistics;

/// <summary>
/// A statistical estimate: a value and its one-standard-deviation error bar (the standard error of the
/// estimate, not the spread of the data).
/// </summary>
/// <param name="Value">The estimate.</param>
/// <param name="Error">Its standard error (≥ 0; NaN when it cannot be estimated).</param>
public readonly record struct Estimate(double Value, double Error)
{
    /// <summary>Number of error bars between this estimate and <paramref name="exact"/>: |Value − exact| / Error.</summary>
    public double Deviation(double exact) => Math.Abs(Value - exact) / Error;

    /// <summary>True when |Value − exact| ≤ <paramref name="sigmas"/> · Error.</summary>
    public bool Agrees(double exact, double sigmas = 4.0) => Math.Abs(Value - exact) <= sigmas * Error;

    /// <summary>"value ± error" with the invariant culture.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Value:G10} ± {Error:G3}");
}
