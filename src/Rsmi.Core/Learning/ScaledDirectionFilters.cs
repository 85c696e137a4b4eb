using System.Numerics.Tensors;

namespace Rsmi.Learning;

/// <summary>
/// Filters written as a direction and a sharpness: λ_j = β u_j / |u_j|, c_j = β b_j, with β &gt; 0 set by a schedule
/// rather than learned. P(h_j = +1|V) = σ(2β(û_j·V + b_j)) so β alone decides how deterministic the units are, and
/// the learned (û_j, b_j) only where the decision boundary lies. The gradient through the normalisation is the
/// projection onto the tangent space of the sphere:
/// ∂L/∂u_j = (β/|u_j|) (g_j − (û_j·g_j) û_j) with g_j = ∂L/∂λ_j, and ∂L/∂b_j = β ∂L/∂c_j.
/// </summary>
internal static class ScaledDirectionFilters
{
    /// <summary>λ = β û row by row and c = β b (rows of length <paramref name="nv"/>).</summary>
    public static void Forward(ReadOnlySpan<double> u, ReadOnlySpan<double> b, double beta, int nv, Span<double> weights, Span<double> bias)
    {
        int nh = b.Length;
        for (int j = 0; j < nh; j++)
        {
            var row = u.Slice(j * nv, nv);
            double norm = TensorPrimitives.Norm(row);
            TensorPrimitives.Multiply(row, norm > 0 ? beta / norm : 0, weights.Slice(j * nv, nv));
            bias[j] = beta * b[j];
        }
    }

    /// <summary>The gradient with respect to (u, b) from the gradient (g, g_c) with respect to (λ, c), at β.</summary>
    public static void Backward(ReadOnlySpan<double> u, double beta, int nv, ReadOnlySpan<double> gradWeights, ReadOnlySpan<double> gradBias,
        Span<double> gradU, Span<double> gradB)
    {
        int nh = gradBias.Length;
        for (int j = 0; j < nh; j++)
        {
            var row = u.Slice(j * nv, nv);
            var g = gradWeights.Slice(j * nv, nv);
            var gu = gradU.Slice(j * nv, nv);
            double norm = TensorPrimitives.Norm(row);
            if (norm == 0) { gu.Clear(); gradB[j] = beta * gradBias[j]; continue; }
            double along = TensorPrimitives.Dot(row, g) / (norm * norm);
            // (β/|u|)(g − (u·g/|u|²) u)
            TensorPrimitives.MultiplyAdd(row, -along, g, gu);
            TensorPrimitives.Multiply(gu, beta / norm, gu);
            gradB[j] = beta * gradBias[j];
        }
    }

    /// <summary>
    /// λ_j = e^{ρ_j} û_j and c_j = e^{ρ_j} b_j with the directions û_j fixed and a learned log-sharpness ρ_j per unit
    /// (rows of length <paramref name="nv"/>; <paramref name="u"/> need not be normalised).
    /// </summary>
    public static void ForwardScale(ReadOnlySpan<double> u, ReadOnlySpan<double> b, ReadOnlySpan<double> rho, int nv, Span<double> weights, Span<double> bias)
    {
        for (int j = 0; j < rho.Length; j++)
        {
            var row = u.Slice(j * nv, nv);
            double norm = TensorPrimitives.Norm(row), beta = Math.Exp(rho[j]);
            TensorPrimitives.Multiply(row, norm > 0 ? beta / norm : 0, weights.Slice(j * nv, nv));
            bias[j] = beta * b[j];
        }
    }

    /// <summary>
    /// The gradient with respect to (ρ, b) of <see cref="ForwardScale"/> from the gradient (g, g_c) with respect to (λ, c):
    /// ∂L/∂ρ_j = e^{ρ_j} (û_j·g_j + b_j g_{c,j}) = λ_j·g_j + c_j g_{c,j}, ∂L/∂b_j = e^{ρ_j} g_{c,j}.
    /// </summary>
    public static void BackwardScale(ReadOnlySpan<double> weights, ReadOnlySpan<double> bias, ReadOnlySpan<double> rho, int nv,
        ReadOnlySpan<double> gradWeights, ReadOnlySpan<double> gradBias, Span<double> gradRho, Span<double> gradB)
    {
        for (int j = 0; j < rho.Length; j++)
        {
            gradRho[j] = TensorPrimitives.Dot(weights.Slice(j * nv, nv), gradWeights.Slice(j * nv, nv)) + bias[j] * gradBias[j];
            gradB[j] = Math.Exp(rho[j]) * gradBias[j];
        }
    }

    /// <summary>Gram–Schmidt on the rows of <paramref name="u"/> (rows beyond the |V|-th are left as they are).</summary>
    public static void Orthogonalise(Span<double> u, int nv)
    {
        int nh = u.Length / nv;
        for (int j = 0; j < Math.Min(nh, nv); j++)
        {
            var row = u.Slice(j * nv, nv);
            for (int i = 0; i < j; i++)
            {
                var prev = u.Slice(i * nv, nv);
                TensorPrimitives.MultiplyAdd(prev, -TensorPrimitives.Dot(prev, row) / TensorPrimitives.Dot(prev, prev), row, row);
            }
        }
    }

    /// <summary>Rescales each row of <paramref name="u"/> to unit length (the parameterisation does not depend on |u_j|).</summary>
    public static void Normalise(Span<double> u, int nv)
    {
        for (int j = 0; j < u.Length / nv; j++)
        {
            var row = u.Slice(j * nv, nv);
            double norm = TensorPrimitives.Norm(row);
            if (norm > 0) TensorPrimitives.Multiply(row, 1 / norm, row);
        }
    }
}
