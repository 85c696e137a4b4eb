using Rsmi.Learning;
using Rsmi.Random;
using Rsmi.Tests.Learning.Nn;

namespace Rsmi.Tests.Learning;

public class ScaledDirectionFiltersTests
{
    private static double[] Random(ref Xoshiro256StarStar rng, int n, double scale = 1)
    {
        var a = new double[n];
        for (int i = 0; i < n; i++) a[i] = scale * rng.NextGaussian();
        return a;
    }

    [Fact]
    public void GradientThroughTheSharpnessParameterisationMatchesFiniteDifferences()
    {
        // L(λ, c) = Σ_jk A_jk λ_jk + Σ_j B_j c_j + Σ_jk λ_jk³/3 with λ = β u/|u|, c = β b (rows of |V| = 5)
        int nh = 3, nv = 5;
        double beta = 2.7;
        var rng = RandomStreams.Create(7, 0, "sharpness");
        var u = Random(ref rng, nh * nv); var b = Random(ref rng, nh);
        var a = Random(ref rng, nh * nv); var bb = Random(ref rng, nh);
        var lambda = new double[nh * nv]; var c = new double[nh];
        double L()
        {
            ScaledDirectionFilters.Forward(u, b, beta, nv, lambda, c);
            double v = 0;
            for (int i = 0; i < lambda.Length; i++) v += a[i] * lambda[i] + lambda[i] * lambda[i] * lambda[i] / 3;
            for (int j = 0; j < nh; j++) v += bb[j] * c[j];
            return v;
        }
        L();
        var gl = new double[nh * nv];
        for (int i = 0; i < gl.Length; i++) gl[i] = a[i] + lambda[i] * lambda[i];
        var gu = new double[nh * nv]; var gb = new double[nh];
        ScaledDirectionFilters.Backward(u, beta, nv, gl, bb, gu, gb);
        GradientCheck.AssertMatches(u, gu, L, what: "u");
        GradientCheck.AssertMatches(b, gb, L, what: "b");
        for (int j = 0; j < nh; j++)
            Assert.Equal(beta, Math.Sqrt(lambda.AsSpan(j * nv, nv).ToArray().Sum(x => x * x)), 12);
    }

    [Fact]
    public void GradientThroughTheLearnedScaleMatchesFiniteDifferences()
    {
        // the same L with λ_j = e^{ρ_j} û_j, c_j = e^{ρ_j} b_j, directions fixed
        int nh = 3, nv = 5;
        var rng = RandomStreams.Create(8, 0, "scale");
        var u = Random(ref rng, nh * nv); var b = Random(ref rng, nh); var rho = Random(ref rng, nh, 0.5);
        var a = Random(ref rng, nh * nv); var bb = Random(ref rng, nh);
        var lambda = new double[nh * nv]; var c = new double[nh];
        double L()
        {
            ScaledDirectionFilters.ForwardScale(u, b, rho, nv, lambda, c);
            double v = 0;
            for (int i = 0; i < lambda.Length; i++) v += a[i] * lambda[i] + lambda[i] * lambda[i] * lambda[i] / 3;
            for (int j = 0; j < nh; j++) v += bb[j] * c[j] + c[j] * c[j] * c[j] / 3;
            return v;
        }
        L();
        var gl = new double[nh * nv]; var gc = new double[nh];
        for (int i = 0; i < gl.Length; i++) gl[i] = a[i] + lambda[i] * lambda[i];
        for (int j = 0; j < nh; j++) gc[j] = bb[j] + c[j] * c[j];
        var gr = new double[nh]; var gb = new double[nh];
        ScaledDirectionFilters.BackwardScale(lambda, c, rho, nv, gl, gc, gr, gb);
        GradientCheck.AssertMatches(rho, gr, L, what: "rho");
        GradientCheck.AssertMatches(b, gb, L, what: "b");
    }

    [Fact]
    public void OrthogonalisedRowsAreOrthonormalAfterNormalising()
    {
        int nh = 4, nv = 6;
        var rng = RandomStreams.Create(9, 0, "orthogonal");
        var u = Random(ref rng, nh * nv);
        ScaledDirectionFilters.Orthogonalise(u, nv);
        ScaledDirectionFilters.Normalise(u, nv);
        for (int i = 0; i < nh; i++)
            for (int j = 0; j <= i; j++)
            {
                double dot = 0;
                for (int k = 0; k < nv; k++) dot += u[i * nv + k] * u[j * nv + k];
                Assert.Equal(i == j ? 1.0 : 0.0, dot, 12);
            }
    }
}
