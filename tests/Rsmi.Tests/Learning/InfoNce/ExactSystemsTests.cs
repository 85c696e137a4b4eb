using Rsmi.Tests.Learning.Nn;

namespace Rsmi.Tests.Learning.InfoNce;

/// <summary>Checks of the enumeration used as ground truth by the estimator tests.</summary>
public class ExactSystemsTests
{
    [Fact]
    public void TorusDensityOfStatesMatchesTheKnownValues()
    {
        ExactSystems.Torus(4, 2.5);
        var g = ExactSystems.Density;
        Assert.Equal(2, g[-32]); Assert.Equal(32, g[-24]); Assert.Equal(64, g[-20]); Assert.Equal(424, g[-16]);
        Assert.Equal(1728, g[-12]); Assert.Equal(6688, g[-8]); Assert.Equal(13568, g[-4]); Assert.Equal(20524, g[0]);
    }

    [Fact]
    public void RingCorrelationAndInformationOfACopiedSpin()
    {
        // ring correlation (t^r + t^(N-r)) / (1 + t^N); a filter copying spin 0 with a huge weight gives I(v0:E)
        int n = 10; double k = 0.7, t = Math.Tanh(k);
        var p = ExactSystems.Ring(n, k);
        double c2 = 0;
        for (int c = 0; c < p.Length; c++) c2 += p[c] * ExactSystems.Spin(c, 0) * ExactSystems.Spin(c, 2);
        Assert.Equal((t * t + Math.Pow(t, n - 2)) / (1 + Math.Pow(t, n)), c2, 12);
        var joint = ExactSystems.Joint(p, [0, 1], [8, 9, 2, 3]);
        var single = ExactSystems.Joint(p, [0], [8, 9, 2, 3]);
        double copy = ExactSystems.FilterInformation(joint, 2, [40, 0], 0);
        Assert.Equal(ExactSystems.VisibleInformation(single, 1), copy, 9);
        Assert.True(copy < ExactSystems.VisibleInformation(joint, 2));
    }

    [Fact]
    public void ExactInformationGradientMatchesFiniteDifferences()
    {
        var p = ExactSystems.Ring(8, 0.8);
        var joint = ExactSystems.Joint(p, [0, 1], [6, 7, 2, 3]);
        double[] theta = [0.4, -0.7, 0.2], grad = new double[3];
        ExactSystems.FilterInformation(joint, 2, theta[..2], theta[2], grad);
        GradientCheck.AssertMatches(theta, grad, () => ExactSystems.FilterInformation(joint, 2, theta[..2], theta[2]), eps: 1e-6);
    }
}
