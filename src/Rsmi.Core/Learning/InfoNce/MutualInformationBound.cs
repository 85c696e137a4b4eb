using System.Numerics.Tensors;

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
        double[]? rented = null;
        Span<double> work = gradientRow;
        if (work.IsEmpty) work = (rented = System.Buffers.ArrayPool<double>.Shared.Rent(k)).AsSpan(0, k);
        double term;
        if (bound == MutualInformationBound.InfoNce)
        {
            double max = TensorPrimitives.Max(scoresRow);
            TensorPrimitives.Subtract(scoresRow, max, work);
            TensorPrimitives.Exp(work, work);
            double sum = TensorPrimitives.Sum(work);
            TensorPrimitives.Multiply(work, -1.0 / (k * sum), work);
            work[i] += 1.0 / k;
            term = scoresRow[i] - (max + Math.Log(sum)) + Math.Log(k);
        }
        else
        {
            double si = scoresRow[i];
            TensorPrimitives.Subtract(scoresRow, 1.0, work);
            TensorPrimitives.Exp(work, work);
            double negative = TensorPrimitives.Sum(work) - work[i];
            TensorPrimitives.Multiply(work, -1.0 / ((double)k * (k - 1)), work);
            work[i] = 1.0 / k;
            term = si - negative / (k - 1);
        }
        if (rented != null) System.Buffers.ArrayPool<double>.Shared.Return(rented);
        return term;
    }
}
