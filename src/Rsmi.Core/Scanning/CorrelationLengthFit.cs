namespace Rsmi.Scanning;

/// <summary>
/// The correlation length read off the decay of the mutual information with the buffer (docs/scan.md, "The
/// correlation length"). Away from a critical point the dependence between the coarse variables H of a block and an
/// environment E a buffer L_B away is weak at large L_B, and its strength is the squared correlation ρ² between H and the
/// best predictor of H from E, which falls as the square of the correlation function:
/// <code>ρ² ∝ e^{−2 L_B/ξ}.</code>
/// The information is a function of ρ²: for jointly Gaussian variables I = −½ log₂(1 − ρ²) exactly, and for a binary
/// H whose conditional mean m(E) is Gaussian-distributed the expansion I = (ρ²/2 + ρ⁴/4 + …)/ln 2 agrees with it to the
/// order shown (with E m² = ρ², E m⁴ = 3ρ⁴). So the fit inverts it, ρ² = 1 − 2^{−2I}, and fits a weighted least-squares
/// straight line through ln ρ² against L_B,
/// <code>ln ρ² = a − (2/ξ) L_B,   σ(ln ρ²) = 2 ln 2 · 2^{−2I} σ_I / ρ²,</code>
/// so that the points where I is not yet small (I ≈ ρ²/(2 ln 2) only when ρ² ≪ 1) follow the same line. The fit window
/// is the buffers from <see cref="FitWindow.From"/> up to the last of the consecutive buffers whose estimate lies at
/// least <see cref="FitWindow.Sigmas"/> standard errors above zero (beyond, ln ρ² is no longer nearly Gaussian and a
/// lower bound that has lost the signal bends the line down). ξ = −2/slope, with the error from the fit's covariance,
/// σ_ξ = 2 σ_slope / slope², scaled by √(χ²/dof) when the points scatter more than their error bars say.
/// </summary>
public static class CorrelationLengthFit
{
    /// <summary>Fits ξ to the points (L_B, I ± σ) with the window <paramref name="window"/>; buffers in increasing order.</summary>
    public static CorrelationLength Fit(IReadOnlyList<int> buffers, IReadOnlyList<double> bits, IReadOnlyList<double> errors, FitWindow window)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        if (buffers.Count != bits.Count || buffers.Count != errors.Count) throw new ArgumentException("buffers, values and errors differ in length.");
        var used = new List<int>();
        for (int i = 0; i < buffers.Count; i++)
        {
            if (buffers[i] < window.From) continue;
            bool significant = double.IsFinite(bits[i]) && double.IsFinite(errors[i]) && errors[i] > 0 && bits[i] >= window.Sigmas * errors[i];
            if (!significant) break;
            used.Add(i);
        }
        if (used.Count < 2)
            return CorrelationLength.None(used.Select(i => buffers[i]).ToArray(),
                System.FormattableString.Invariant($"fewer than two buffers L_B ≥ {window.From} with the information at least {window.Sigmas:G} standard errors above zero"));
        double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (int i in used)
        {
            var (x, y, s) = (buffers[i], LogSquaredCorrelation(bits[i]), LogError(bits[i], errors[i]));
            double w = 1 / (s * s);
            sw += w; sx += w * x; sy += w * y; sxx += w * x * x; sxy += w * x * y;
        }
        double det = sw * sxx - sx * sx;
        double slope = (sw * sxy - sx * sy) / det, intercept = (sxx * sy - sx * sxy) / det;
        double slopeVariance = sw / det;
        double chi2 = 0;
        foreach (int i in used)
        {
            double r = (LogSquaredCorrelation(bits[i]) - intercept - slope * buffers[i]) / LogError(bits[i], errors[i]);
            chi2 += r * r;
        }
        int dof = used.Count - 2;
        double scale = dof > 0 && chi2 / dof > 1 ? Math.Sqrt(chi2 / dof) : 1;
        double slopeError = Math.Sqrt(slopeVariance) * scale;
        int[] window2 = used.Select(i => buffers[i]).ToArray();
        if (!(slope < 0))
            return CorrelationLength.None(window2, "the information does not fall with the buffer in the fit window") with
            { Slope = slope, SlopeError = slopeError, Intercept = intercept, ChiSquare = chi2, DegreesOfFreedom = dof };
        return new CorrelationLength
        {
            Value = -2 / slope, Error = 2 * slopeError / (slope * slope), Slope = slope, SlopeError = slopeError, Intercept = intercept,
            Buffers = window2, ChiSquare = chi2, DegreesOfFreedom = dof,
        };
    }

    /// <summary>ln ρ² with ρ² = 1 − 2^{−2I}: the squared correlation of a Gaussian channel carrying I bits.</summary>
    public static double LogSquaredCorrelation(double bits) => Math.Log(-double.ExpM1(-2 * Math.Log(2) * bits));

    /// <summary>The information I = −½ log₂(1 − ρ²) of the squared correlation e^{<paramref name="logSquaredCorrelation"/>}.</summary>
    public static double Bits(double logSquaredCorrelation) => -0.5 * Math.Log2(1 - Math.Exp(logSquaredCorrelation));

    /// <summary>σ(ln ρ²) = 2 ln 2 · 2^{−2I} σ_I / ρ².</summary>
    private static double LogError(double bits, double error) =>
        2 * Math.Log(2) * Math.Exp(-2 * Math.Log(2) * bits) * error / -double.ExpM1(-2 * Math.Log(2) * bits);
}

/// <summary>Which buffers the correlation-length fit takes: those from <see cref="From"/> on whose information is
/// significant (at least <see cref="Sigmas"/> standard errors above zero), up to the first that is not.</summary>
/// <param name="From">Smallest buffer L_B of the fit (the decay is a pure exponential only at large L_B).</param>
/// <param name="Sigmas">Significance a point needs to enter the fit.</param>
public sealed record FitWindow(int From = FitWindow.DefaultFrom, double Sigmas = FitWindow.DefaultSigmas)
{
    /// <summary>Default smallest buffer: 2 (docs/scan.md, "The correlation length").</summary>
    public const int DefaultFrom = 2;
    /// <summary>Default significance: 4 standard errors, where σ(ln I) = σ_I/I ≤ 0.25.</summary>
    public const double DefaultSigmas = 4;

    /// <summary>Throws <see cref="RsmiInputException"/> for a negative start or a non-positive significance.</summary>
    public void Validate()
    {
        Require.NonNegative(From, RsmiInputException.Option("fit-from"));
        Require.That(Sigmas > 0 && double.IsFinite(Sigmas), $"{RsmiInputException.Option("fit-sigmas")} must be a positive number, got {Sigmas}.");
    }
}

/// <summary>A correlation length fitted by <see cref="CorrelationLengthFit"/>, or the reason there is none.</summary>
public sealed record CorrelationLength
{
    /// <summary>ξ in lattice spacings of the samples (NaN when there is none).</summary>
    public double Value { get; init; } = double.NaN;
    /// <summary>Its standard error.</summary>
    public double Error { get; init; } = double.NaN;
    /// <summary>The fitted slope d ln ρ² / d L_B = −2/ξ.</summary>
    public double Slope { get; init; } = double.NaN;
    /// <summary>Its standard error.</summary>
    public double SlopeError { get; init; } = double.NaN;
    /// <summary>The fitted ln ρ² at L_B = 0 (ρ² = 1 − 2^{−2I}).</summary>
    public double Intercept { get; init; } = double.NaN;
    /// <summary>The buffers the fit took.</summary>
    public IReadOnlyList<int> Buffers { get; init; } = [];
    /// <summary>χ² of the fit.</summary>
    public double ChiSquare { get; init; } = double.NaN;
    /// <summary>Degrees of freedom (points − 2).</summary>
    public int DegreesOfFreedom { get; init; }
    /// <summary>Why there is no value (null when there is one).</summary>
    public string? Reason { get; init; }
    /// <summary>Whether a value was fitted.</summary>
    public bool HasValue => Reason is null;

    /// <summary>No correlation length, for <paramref name="reason"/>.</summary>
    public static CorrelationLength None(int[] buffers, string reason) => new() { Buffers = buffers, Reason = reason };
}
