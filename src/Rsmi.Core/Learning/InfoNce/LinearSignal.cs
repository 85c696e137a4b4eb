using System.Numerics.Tensors;
using Rsmi.Regions;

namespace Rsmi.Learning.InfoNce;

/// <summary>
/// How much of the block V the environment E predicts linearly, measured out of sample: the predictable covariance
/// M = Cov(E[V|E]) in the linear approximation E[V|E] ≈ v̄ + Bᵀ(e − ē), B = Σ_EE⁻¹ Σ_EV (least squares).
/// For a filter λ with small weights, a = λ·v and P(h = +1|V) = σ(2a), the hidden unit has E[h|V] = tanh a ≈ a and
/// I(H:E) ≈ ½ Var(E[h|E]) ≈ ½ λᵀ M λ nats (the expansion of the binary entropy about a fair coin), so the largest
/// eigenvalue λ₁(M) is the information per unit squared filter norm of the best direction in this linear-response
/// regime, and the spectrum says whether that information sits in one direction of the block or is spread over many.
/// </summary>
public sealed record LinearSignal
{
    /// <summary>Largest eigenvalue λ₁ of the predictable covariance (≤ 0: no linear signal).</summary>
    public required double TopEigenvalue { get; init; }
    /// <summary>Second eigenvalue λ₂ (NaN for a single-site block).</summary>
    public required double SecondEigenvalue { get; init; }
    /// <summary>Σ_k max(λ_k, 0): the predictable variance of all directions that E predicts at all.</summary>
    public required double PositiveSum { get; init; }
    /// <summary>Unit eigenvector of <see cref="TopEigenvalue"/> over the block sites (row-major), sign fixed so that its
    /// largest-magnitude entry is positive.</summary>
    public required double[] TopDirection { get; init; }
    /// <summary>Windows the regression was fitted on.</summary>
    public required int FitWindows { get; init; }
    /// <summary>Windows the predictable covariance was measured on (none of them in the fit).</summary>
    public required int TestWindows { get; init; }

    /// <summary>All eigenvalues of M, largest first.</summary>
    public double[] Eigenvalues { get; init; } = [];

    /// <summary>The share of the positive eigenvalues held by the <paramref name="directions"/> largest ones (0 when none is
    /// positive): the concentration of the signal in the subspace that a unit resolving that many directions can take.</summary>
    public double ConcentrationOf(int directions) => PositiveSum > 0 && TopEigenvalue > 0
        ? Eigenvalues.Take(directions).Where(x => x > 0).Sum() / PositiveSum : 0;

    /// <summary>λ₁ / Σ_k max(λ_k, 0) in [0, 1]: the share of the predictable variance in the best direction
    /// (1: a single direction; 0 when nothing is predictable).</summary>
    public double Concentration => PositiveSum > 0 && TopEigenvalue > 0 ? TopEigenvalue / PositiveSum : 0;

    /// <summary>
    /// Fits the regression of V on E on <paramref name="fit"/> and measures
    /// M = ½ [Cov_test(v, p) + Cov_test(p, v)] on <paramref name="test"/>, with p = Bᵀ(e − ē) the out-of-sample
    /// prediction. Measured out of sample, a direction that E does not predict gets an eigenvalue that scatters about
    /// zero instead of the in-sample floor ≈ |E|/N · Var of an overfitted regression. A ridge of 10⁻⁶ · tr Σ_EE / |E|
    /// keeps Σ_EE invertible when environment sites are constant or duplicated.
    /// </summary>
    public static LinearSignal Measure(Windows fit, Windows test)
    {
        Require.That(fit.VisibleSize == test.VisibleSize && fit.EnvironmentSize == test.EnvironmentSize, "the fit and test windows differ in shape.");
        Require.That(fit.Count >= 2 && test.Count >= 2, "the linear signal needs at least two fit and two test windows.");
        int nv = fit.VisibleSize, ne = fit.EnvironmentSize, n = fit.Count;
        var meanV = Mean(fit.Visible, n, nv);
        var meanE = Mean(fit.Environment, n, ne);
        // n Σ_EE (upper triangle) and n Σ_EV on the fit windows.
        var see = new double[ne * ne];
        var sev = new double[ne * nv];
        var e = new double[ne];
        var v = new double[nv];
        for (int r = 0; r < n; r++)
        {
            Centre(fit.EnvironmentRow(r), meanE, e);
            Centre(fit.VisibleRow(r), meanV, v);
            for (int i = 0; i < ne; i++)
            {
                double ei = e[i];
                var row = see.AsSpan(i * ne + i, ne - i);
                TensorPrimitives.MultiplyAdd(e.AsSpan(i), ei, row, row);
                var cross = sev.AsSpan(i * nv, nv);
                TensorPrimitives.MultiplyAdd(v, ei, cross, cross);
            }
        }
        double trace = 0;
        for (int i = 0; i < ne; i++) trace += see[i * ne + i];
        double ridge = 1e-6 * Math.Max(trace, 1e-300) / ne;
        for (int i = 0; i < ne; i++)
        {
            see[i * ne + i] += ridge;
            for (int j = 0; j < i; j++) see[i * ne + j] = see[j * ne + i];
        }
        var coef = CholeskySolve(see, ne, sev, nv); // B = Σ_EE⁻¹ Σ_EV (the factors n cancel), |E| × |V|

        // Out of sample: Cov(v, p) with p = Bᵀ(e − ē), both centred on the fit means.
        int m = test.Count;
        var p = new double[nv];
        var cvp = new double[nv * nv];
        var sumV = new double[nv];
        var sumP = new double[nv];
        for (int r = 0; r < m; r++)
        {
            Centre(test.EnvironmentRow(r), meanE, e);
            Centre(test.VisibleRow(r), meanV, v);
            Array.Clear(p);
            for (int i = 0; i < ne; i++) TensorPrimitives.MultiplyAdd(coef.AsSpan(i * nv, nv), e[i], p, p);
            for (int i = 0; i < nv; i++)
            {
                var row = cvp.AsSpan(i * nv, nv);
                TensorPrimitives.MultiplyAdd(p, v[i], row, row);
            }
            TensorPrimitives.Add(sumV, v, sumV);
            TensorPrimitives.Add(sumP, p, sumP);
        }
        var mat = new double[nv * nv];
        for (int i = 0; i < nv; i++)
            for (int j = 0; j < nv; j++)
                mat[i * nv + j] = 0.5 * (cvp[i * nv + j] + cvp[j * nv + i]) / m - 0.5 * (sumV[i] * sumP[j] + sumV[j] * sumP[i]) / ((double)m * m);
        var (values, vectors) = SymmetricEigen(mat, nv);
        int top = 0, second = -1;
        for (int i = 1; i < nv; i++) if (values[i] > values[top]) top = i;
        for (int i = 0; i < nv; i++) if (i != top && (second < 0 || values[i] > values[second])) second = i;
        var direction = new double[nv];
        int largest = 0;
        for (int i = 0; i < nv; i++)
        {
            direction[i] = vectors[i * nv + top];
            if (Math.Abs(direction[i]) > Math.Abs(direction[largest])) largest = i;
        }
        if (direction[largest] < 0) for (int i = 0; i < nv; i++) direction[i] = -direction[i];
        return new LinearSignal
        {
            TopEigenvalue = values[top], SecondEigenvalue = second >= 0 ? values[second] : double.NaN,
            PositiveSum = values.Where(x => x > 0).Sum(), TopDirection = direction, FitWindows = n, TestWindows = m,
            Eigenvalues = values.OrderByDescending(x => x).ToArray(),
        };
    }

    /// <summary>Solves A X = B for symmetric positive definite A (n × n, row-major, overwritten by its Cholesky factor)
    /// and B (n × k); returns X (n × k).</summary>
    internal static double[] CholeskySolve(double[] a, int n, double[] b, int k)
    {
        // A = L Lᵀ, L stored in the lower triangle of a.
        for (int j = 0; j < n; j++)
        {
            double d = a[j * n + j] - TensorPrimitives.Dot<double>(a.AsSpan(j * n, j), a.AsSpan(j * n, j));
            Require.That(d > 0, "the environment covariance is not positive definite.");
            double l = Math.Sqrt(d);
            a[j * n + j] = l;
            for (int i = j + 1; i < n; i++)
                a[i * n + j] = (a[i * n + j] - TensorPrimitives.Dot<double>(a.AsSpan(i * n, j), a.AsSpan(j * n, j))) / l;
        }
        var x = (double[])b.Clone();
        for (int i = 0; i < n; i++) // L Y = B
        {
            var xi = x.AsSpan(i * k, k);
            for (int j = 0; j < i; j++) TensorPrimitives.MultiplyAdd(x.AsSpan(j * k, k), -a[i * n + j], xi, xi);
            TensorPrimitives.Multiply(xi, 1 / a[i * n + i], xi);
        }
        for (int i = n - 1; i >= 0; i--) // Lᵀ X = Y
        {
            var xi = x.AsSpan(i * k, k);
            for (int j = i + 1; j < n; j++) TensorPrimitives.MultiplyAdd(x.AsSpan(j * k, k), -a[j * n + i], xi, xi);
            TensorPrimitives.Multiply(xi, 1 / a[i * n + i], xi);
        }
        return x;
    }

    /// <summary>Eigenvalues and eigenvectors (columns of the row-major n × n result) of a symmetric matrix by cyclic
    /// Jacobi rotations (Golub &amp; Van Loan, Matrix Computations, §8.5), to machine precision.</summary>
    internal static (double[] Values, double[] Vectors) SymmetricEigen(double[] matrix, int n)
    {
        var a = (double[])matrix.Clone();
        var q = new double[n * n];
        for (int i = 0; i < n; i++) q[i * n + i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, total = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) { double x = a[i * n + j] * a[i * n + j]; total += x; if (i != j) off += x; }
            if (off <= 1e-30 * Math.Max(total, 1e-300)) break;
            for (int p = 0; p < n - 1; p++)
                for (int r = p + 1; r < n; r++)
                {
                    double apr = a[p * n + r];
                    if (apr == 0) continue;
                    double theta = (a[r * n + r] - a[p * n + p]) / (2 * apr);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k * n + p], akr = a[k * n + r];
                        a[k * n + p] = c * akp - s * akr; a[k * n + r] = s * akp + c * akr;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p * n + k], ark = a[r * n + k];
                        a[p * n + k] = c * apk - s * ark; a[r * n + k] = s * apk + c * ark;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double qkp = q[k * n + p], qkr = q[k * n + r];
                        q[k * n + p] = c * qkp - s * qkr; q[k * n + r] = s * qkp + c * qkr;
                    }
                }
        }
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i * n + i];
        return (values, q);
    }

    private static double[] Mean(sbyte[] data, int n, int width)
    {
        var s = new double[width];
        for (int r = 0; r < n; r++)
        {
            var row = data.AsSpan(r * width, width);
            for (int i = 0; i < width; i++) s[i] += row[i];
        }
        for (int i = 0; i < width; i++) s[i] /= n;
        return s;
    }

    private static void Centre(ReadOnlySpan<sbyte> row, double[] mean, double[] into)
    {
        for (int i = 0; i < row.Length; i++) into[i] = row[i] - mean[i];
    }
}
