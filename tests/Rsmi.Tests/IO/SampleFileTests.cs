using Rsmi.Data;
using Rsmi.IO;

namespace Rsmi.Tests.IO;

public class SampleFileTests
{
    [Theory]
    [InlineData("s.h5", new[] { 12 }, "ising1d")]
    [InlineData("s.HDF5", new[] { 3, 5 }, "ising2d")]
    [InlineData("s.npy", new[] { 12 }, "ising1d")]
    [InlineData("s.NPY", new[] { 3, 5 }, "ising2d")]
    public void RoundTripByExtension(string name, int[] siteShape, string model)
    {
        using var dir = new TempDirectory();
        var meta = SampleFixtures.Ising2DMetadata();
        meta.Model = model;
        var samples = SampleFixtures.Spins(7, siteShape, seed: 11, metadata: meta);
        string path = dir.File(name);
        SampleFile.Write(path, samples);
        var back = SampleFile.Read(path);
        Assert.Equal(samples.SiteShape, back.SiteShape);
        Assert.Equal(samples.Data, back.Data);
        if (name.EndsWith("5", StringComparison.Ordinal)) Assert.Equal(model, back.Metadata.Model);
        else Assert.Empty(back.Metadata.Attributes);
        Assert.Equal(new[] { name }, dir.Entries());
    }

    [Fact]
    public void FormatComesFromTheExtension()
    {
        using var dir = new TempDirectory();
        var samples = SampleFixtures.Spins(2, [2, 2], metadata: SampleFixtures.Ising2DMetadata());
        SampleFile.Write(dir.File("a.h5"), samples);
        SampleFile.Write(dir.File("a.npy"), samples);
        Assert.Equal((byte)0x89, File.ReadAllBytes(dir.File("a.h5"))[0]);
        Assert.Equal((byte)0x93, File.ReadAllBytes(dir.File("a.npy"))[0]);
    }

    [Theory]
    [InlineData("samples.csv", "'.csv'")]
    [InlineData("samples.npz", "'.npz'")]
    [InlineData("samples", "no extension")]
    public void UnknownExtensionIsNamed(string name, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.File(name);
        var w = Assert.Throws<RsmiInputException>(() => SampleFile.Write(path, SampleFixtures.Spins(1, [2])));
        Assert.Contains(expected, w.Message);
        Assert.Contains(".h5, .hdf5 or .npy", w.Message);
        var r = Assert.Throws<RsmiInputException>(() => SampleFile.Read(path));
        Assert.Contains(expected, r.Message);
        Assert.Empty(dir.Entries());
    }

    [Theory]
    [InlineData("missing.h5")]
    [InlineData("missing.npy")]
    public void MissingFileIsNamed(string name)
    {
        using var dir = new TempDirectory();
        string path = dir.File(name);
        var e = Assert.Throws<RsmiInputException>(() => SampleFile.Read(path));
        Assert.Equal($"'{path}' does not exist.", e.Message);
    }

    [Fact]
    public void DirectoryIsNotASampleFile()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("d.h5"));
        Assert.Contains("is a directory", Assert.Throws<RsmiInputException>(() => SampleFile.Read(dir.File("d.h5"))).Message);
    }
}
