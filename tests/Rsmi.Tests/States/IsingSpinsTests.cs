using Rsmi.States;

namespace Rsmi.Tests.States;

public class IsingSpinsTests
{
    [Fact]
    public void OnlyPlusAndMinusOneAreStates()
    {
        var spins = IsingSpins.Instance;
        Assert.True(spins.IsValid(1));
        Assert.True(spins.IsValid(-1));
        Assert.False(spins.IsValid(0));
        Assert.False(spins.IsValid(2));
        Assert.Equal(-1, spins.IndexOfInvalid([1, -1, 1]));
        Assert.Equal(2, spins.IndexOfInvalid([1, -1, 0, 3]));
    }

    [Fact]
    public void TheCheckNamesTheFileTheFirstBadValueAndTheCount()
    {
        var e = Assert.Throws<RsmiInputException>(() => IsingSpins.Instance.CheckValues([1, -1, 1, 1, 0, 1, 5, -1], 4, "f.npy"));
        Assert.Equal("'f.npy' holds the value 0 (configuration 1, site 0; 2 such values in all), but sample files hold only +1 and -1.", e.Message);
        IsingSpins.Instance.CheckValues([1, -1], 2, "ok.h5");
    }

    [Fact]
    public void ALearnerSeesOneFeatureEqualToTheSpin()
    {
        Assert.Equal(1, IsingSpins.Instance.FeaturesPerSite);
        Span<double> f = stackalloc double[1];
        IsingSpins.Instance.Encode(-1, f);
        Assert.Equal(-1.0, f[0]);
        Span<float> g = stackalloc float[1];
        IsingSpins.Instance.Encode(1, g);
        Assert.Equal(1f, g[0]);
    }
}
