namespace Rsmi.Learning.InfoNce;

/// <summary>Variational lower bounds on I(X:Y) that a critic f(x, y) is trained to maximise.</summary>
public enum MutualInformationBound
{
    /// <summary>
    /// InfoNCE (van den Oord et al. 2018; Poole et al., ICML 2019, eq. 12):
    /// I ≥ (1/K) Σ_i [ f(x_i,y_i) − log (1/K) Σ_k e^{f(x_i,y_k)} ]. Low variance; saturates at log K.
    /// </summary>
    InfoNce,
    /// <summary>
    /// NWJ / "f-divergence" bound (Nguyen, Wainwright &amp; Jordan 2010; Poole et al. eq. 8 with a = e):
    /// I ≥ E_{p(x,y)}[f] − E_{p(x)p(y)}[e^{f−1}], the product of marginals from the K(K−1) mismatched pairs of the
    /// batch. Not capped by log K, higher variance.
    /// </summary>
    Nwj,
}

/// <summary>The bounds of <see cref="MutualInformationBound"/> and their gradients with respect to the score matrix.</summary>
public static class MutualInformationBounds
{
    /// <summary>Parses a bound name (<c>infonce</c>, <c>nwj</c>/<c>fdiv</c>).</summary>
    public static MutualInformationBound Parse(string name) => name.ToLowerInvariant() switch
    {
        "infonce" or "nce" => MutualInformationBound.InfoNce,
        "nwj" or "fdiv" or "f-div" => MutualInformationBound.Nwj,
        _ => throw new RsmiInputException($"unknown bound '{name}': use infonce or nwj."),
    };

    /// <summary>
    /// Row i's contribution t_i to a bound whose value is (1/K) Σ_i t_i, from row i of the score matrix
    /// S_ik = f(x_i, y_k) (length K; the positive pair is k = i), and the gradient ∂[(1/K)Σ t]/∂S_ik written
    /// into <paramref name="gradientRow"/> (only row i's terms depend on row i's scores).
    /// InfoNCE: t_i = S_ii − LSE_k S_ik + log K, ∂/∂S_ik = (δ_ik − softmax_k(S_i·))/K.
    /// NWJ: t_i = S_ii − (1/(K−1)) Σ_{k≠i} e^{S_ik − 1}, ∂/∂S_ii = 1/K, ∂/∂S_ik = −e^{S_ik−1}/(K(K−1)).
    /// </summary>
    public static double RowTerm(MutualInformationBound bound, ReadOnlySpan<double> scoresRow, int i, Span<double> gradientRow)
    {
        int k = scoresRow.Length;
        if (bound == MutualInformationBound.InfoNce)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < k; j++) if (scoresRow[j] > max) max = scoresRow[j];
            double sum = 0;
            for (int j = 0; j < k; j++) sum += Math.Exp(scoresRow[j] - max);
            double lse = max + Math.Log(sum);
            if (!gradientRow.IsEmpty)
            {
                double inv = 1.0 / (k * sum);
                for (int j = 0; j < k; j++) gradientRow[j] = -Math.Exp(scoresRow[j] - max) * inv;
                gradientRow[i] += 1.0 / k;
            }
            return scoresRow[i] - lse + Math.Log(k);
        }
        else
        {
            double norm = 1.0 / (k - 1), negative = 0;
            for (int j = 0; j < k; j++)
            {
                if (j == i) continue;
                double e = Math.Exp(scoresRow[j] - 1.0);
                negative += e;
                if (!gradientRow.IsEmpty) gradientRow[j] = -e * norm / k;
            }
            if (!gradientRow.IsEmpty) gradientRow[i] = 1.0 / k;
            return scoresRow[i] - norm * negative;
        }
    }
}
