using Rsmi.Learning.InfoNce;
using Rsmi.Random;
using Rsmi.Regions;

namespace Rsmi.Tests.Learning.InfoNce;

public class LinearSignalTests
{
    [Fact]
    public void JacobiEigenvectorsSatisfyTheEigenEquationAndAreOrthonormal()
    {
        const int n = 7;
        var rng = RandomStreams.Create(3, 0, "test");
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                a[i * n + j] = a[j * n + i] = rng.NextGaussian();
        var (values, q) = LinearSignal.SymmetricEigen(a, n);
        for (int k = 0; k < n; k++)
        {
            for (int i = 0; i < n; i++)
            {
                double aq = 0;
                for (int j = 0; j < n; j++) aq += a[i * n + j] * q[j * n + k];
                Assert.Equal(values[k] * q[i * n + k], aq, 1e-10);
            }
            for (int l = 0; l < n; l++)
            {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += q[i * n + k] * q[i * n + l];
                Assert.Equal(k == l ? 1.0 : 0.0, dot, 1e-10);
            }
        }
    }

    [Fact]
    public void CholeskySolveInvertsAPositiveDefiniteMatrix()
    {
        const int n = 6, k = 3;
        var rng = RandomStreams.Create(4, 0, "test");
        var g = new double[n * n];
        for (int i = 0; i < g.Length; i++) g[i] = rng.NextGaussian();
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = i == j ? 1 : 0;
                for (int m = 0; m < n; m++) s += g[i * n + m] * g[j * n + m];
                a[i * n + j] = s;
            }
        var b = new double[n * k];
        for (int i = 0; i < b.Length; i++) b[i] = rng.NextGaussian();
        var x = LinearSignal.CholeskySolve((double[])a.Clone(), n, b, k);
        for (int i = 0; i < n; i++)
            for (int c = 0; c < k; c++)
            {
                double s = 0;
                for (int j = 0; j < n; j++) s += a[i * n + j] * x[j * k + c];
                Assert.Equal(b[i * k + c], s, 1e-9);
            }
    }

    /// <summary>Windows whose first block site copies the first environment site with probability (1 + ρ)/2 and whose
    /// other sites are independent fair coins: E[v₀|E] = ρ e₀, so M has the single eigenvalue ρ² along site 0.</summary>
    private static Windows Planted(int count, int nv, int ne, double rho, ulong seed)
    {
        var rng = RandomStreams.Create(seed, 0, "planted");
        var vis = new sbyte[count * nv];
        var env = new sbyte[count * ne];
        for (int r = 0; r < count; r++)
        {
            for (int i = 0; i < ne; i++) env[r * ne + i] = (sbyte)(rng.NextDouble() < 0.5 ? 1 : -1);
            for (int i = 0; i < nv; i++) vis[r * nv + i] = (sbyte)(rng.NextDouble() < 0.5 ? 1 : -1);
            if (rho != 0) vis[r * nv] = (sbyte)(rng.NextDouble() < (1 + rho) / 2 ? env[r * ne] : -env[r * ne]);
        }
        return new Windows { Count = count, VisibleSize = nv, EnvironmentSize = ne, Visible = vis, Environment = env };
    }

    [Fact]
    public void APlantedLinearDependenceGivesItsPredictableVarianceAndDirection()
    {
        const double rho = 0.6;
        var s = LinearSignal.Measure(Planted(10_000, 4, 16, rho, 1), Planted(10_000, 4, 16, rho, 2));
        // each term v·p of the test covariance has variance ≈ ρ², so λ₁ scatters by ρ/√m = 0.006
        Assert.InRange(s.TopEigenvalue, rho * rho - 0.03, rho * rho + 0.03);
        Assert.True(Math.Abs(s.TopDirection[0]) > 0.99, $"direction {string.Join(", ", s.TopDirection)}");
        Assert.True(s.Concentration > 0.9, $"concentration {s.Concentration}");
    }

    [Fact]
    public void IndependentBlocksGiveNoSignalOutOfSampleWhereTheInSampleFloorWouldBeLarge()
    {
        // |E|/N = 0.1: an in-sample regression would "predict" a tenth of every site's variance; out of sample the
        // 8×8 matrix has entries of standard error √0.1/√8000 ≈ 0.0035 and a largest eigenvalue ≈ 2·0.0035·√8 ≈ 0.02
        var s = LinearSignal.Measure(Planted(2000, 8, 200, 0, 3), Planted(8000, 8, 200, 0, 4));
        Assert.True(Math.Abs(s.TopEigenvalue) < 0.05, $"λ₁ = {s.TopEigenvalue}");
    }
}
