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
    /// <summary>Number of error bars between this estimate and <paramref name="exact"/>: |Value − exact| / Error (0 when
    /// they are equal, ∞ when the error is zero and they differ).</summary>
    public double Deviation(double exact) => Error > 0 ? Math.Abs(Value - exact) / Error : Value == exact ? 0 : double.PositiveInfinity;

    /// <summary>Not a number, for a quantity that could not be estimated.</summary>
    public static Estimate Undefined => new(double.NaN, double.NaN);

    /// <summary>"value ± error" with the given formats and the invariant culture.</summary>
    public string Format(string valueFormat, string errorFormat) =>
        string.Create(CultureInfo.InvariantCulture, $"{Value.ToString(valueFormat, CultureInfo.InvariantCulture)} ± {Error.ToString(errorFormat, CultureInfo.InvariantCulture)}");

    /// <summary>True when |Value − exact| ≤ <paramref name="sigmas"/> · Error.</summary>
    public bool Agrees(double exact, double sigmas = 4.0) => Math.Abs(Value - exact) <= sigmas * Error;

    /// <summary>"value ± error" with the invariant culture.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Value:G10} ± {Error:G3}");
}
