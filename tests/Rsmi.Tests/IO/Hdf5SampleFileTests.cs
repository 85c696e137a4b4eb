using PureHDF;
using Rsmi.Data;
using Rsmi.IO;

namespace Rsmi.Tests.IO;

public class Hdf5SampleFileTests
{
    [Theory]
    [InlineData(new[] { 16 }, "ising1d")]
    [InlineData(new[] { 4, 6 }, "ising2d")]
    [InlineData(new[] { 2, 3, 4 }, "ising3d")]
    public void RoundTripIsBitExactWithMetadata(int[] siteShape, string model)
    {
        using var dir = new TempDirectory();
        var meta = SampleFixtures.Ising2DMetadata();
        meta.Model = model;
        var samples = SampleFixtures.Spins(11, siteShape, seed: 3, metadata: meta);
        string path = dir.File("s.h5");
        Hdf5SampleFile.Write(path, samples);
        var back = Hdf5SampleFile.Read(path);
        Assert.Equal(samples.Count, back.Count);
        Assert.Equal(samples.SiteShape, back.SiteShape);
        Assert.Equal(samples.Data, back.Data);
        var expected = meta.Clone();
        expected.RsmiVersion = RsmiVersion.Current;
        Assert.Equal(expected.Attributes, back.Metadata.Attributes);
        Assert.Equal(2.269185314213022, back.Metadata.Temperature); // bit-exact double
        Assert.Equal(1234567890123L, back.Metadata.Seed);
        Assert.Equal(0L, back.Metadata.GetLong("rg_step"));
        Assert.Equal(new[] { "s.h5" }, dir.Entries());
    }

    [Fact]
    public void EmptySampleSetRoundTrips()
    {
        using var dir = new TempDirectory();
        string path = dir.File("e.h5");
        Hdf5SampleFile.Write(path, new SampleSet(0, [3, 2], [], SampleFixtures.Ising2DMetadata()));
        var back = Hdf5SampleFile.Read(path);
        Assert.Equal(0, back.Count);
        Assert.Equal(new[] { 3, 2 }, back.SiteShape);
    }

    [Fact]
    public void SameSamplesGiveTheSameBytes()
    {
        using var dir = new TempDirectory();
        var samples = SampleFixtures.Spins(5, [3, 3], metadata: SampleFixtures.Ising2DMetadata());
        Hdf5SampleFile.Write(dir.File("a.h5"), samples);
        Hdf5SampleFile.Write(dir.File("b.h5"), samples);
        Assert.Equal(File.ReadAllBytes(dir.File("a.h5")), File.ReadAllBytes(dir.File("b.h5")));
    }

    [Fact]
    public void WritingWithoutModelIsAnInputError()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<RsmiInputException>(() => Hdf5SampleFile.Write(dir.File("x.h5"), SampleFixtures.Spins(2, [4])));
        Assert.Contains("'model'", e.Message);
        Assert.Empty(dir.Entries());
    }

    [Hdf5ToolsFact]
    public void H5DumpReadsDatasetAndAttributes()
    {
        using var dir = new TempDirectory();
        var samples = SampleFixtures.Spins(3, [2, 4], seed: 9, metadata: SampleFixtures.Ising2DMetadata());
        string path = dir.File("s.h5");
        Hdf5SampleFile.Write(path, samples);
        var r = SampleFixtures.RunTool("h5dump", path);
        Assert.NotNull(r);
        Assert.True(r.Value.ExitCode == 0, r.Value.Stderr + r.Value.Stdout);
        string o = r.Value.Stdout;
        Assert.Contains("DATASET \"configurations\"", o);
        Assert.Contains("H5T_STD_I8LE", o);
        Assert.Contains("SIMPLE { ( 3, 2, 4 ) / ( 3, 2, 4 ) }", o);
        Assert.Contains("ATTRIBUTE \"model\"", o);
        Assert.Contains("\"ising2d\"", o);
        Assert.Contains("ATTRIBUTE \"seed\"", o);
        Assert.Contains("1234567890123", o);
        Assert.Contains("ATTRIBUTE \"temperature\"", o);
        Assert.Contains("H5T_IEEE_F64LE", o);
        Assert.Contains("ATTRIBUTE \"rsmi_version\"", o);
        Assert.Contains("ATTRIBUTE \"algorithm\"", o);

        // the values, as h5dump prints them: "(i,j,k): v, v, ..." rows; compare all 24 numbers in order
        var values = new List<int>();
        var dataPart = o[o.IndexOf("DATA {", o.IndexOf("DATASET \"configurations\""), StringComparison.Ordinal)..];
        dataPart = dataPart[..dataPart.IndexOf('}')];
        foreach (var line in dataPart.Split('\n').Skip(1))
        {
            int colon = line.IndexOf("):", StringComparison.Ordinal);
            if (colon < 0) continue;
            values.AddRange(line[(colon + 2)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse));
        }
        Assert.Equal(samples.Data.Select(v => (int)v), values);
    }

    [Hdf5ToolsFact]
    public void ReadsFilesRewrittenByTheReferenceLibraryWithCompression()
    {
        // h5repack (libhdf5) rewrites the file with its own superblock and a chunked, deflate-compressed dataset
        using var dir = new TempDirectory();
        var samples = SampleFixtures.Spins(40, [6, 6], seed: 4, metadata: SampleFixtures.Ising2DMetadata());
        string path = dir.File("s.h5"), repacked = dir.File("r.h5");
        Hdf5SampleFile.Write(path, samples);
        var r = SampleFixtures.RunTool("h5repack", "-f", "/configurations:GZIP=6", "-l", "/configurations:CHUNK=8x6x6", path, repacked);
        Assert.NotNull(r);
        Assert.True(r.Value.ExitCode == 0, r.Value.Stderr + r.Value.Stdout);
        var back = Hdf5SampleFile.Read(repacked);
        Assert.Equal(samples.Data, back.Data);
        Assert.Equal(samples.SiteShape, back.SiteShape);
        Assert.Equal(samples.Metadata.Temperature, back.Metadata.Temperature);
        Assert.Equal(samples.Metadata.Seed, back.Metadata.Seed);
        Assert.Equal("ising2d", back.Metadata.Model);
        using var s = File.OpenRead(repacked);
        Assert.Equal(s.Length, Hdf5SampleFile.RecordedLength(s, Hdf5SampleFile.SignatureOffset(s)));
    }

    [Fact]
    public void SuperblockRecordsTheFileLength()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.h5");
        Hdf5SampleFile.Write(path, SampleFixtures.Spins(7, [5, 5], metadata: SampleFixtures.Ising2DMetadata()));
        using var s = File.OpenRead(path);
        Assert.Equal(0, Hdf5SampleFile.SignatureOffset(s));
        Assert.Equal(s.Length, Hdf5SampleFile.RecordedLength(s, 0));
    }

    [H5pyFact]
    public void H5pyReadsDatasetAndAttributes()
    {
        using var dir = new TempDirectory();
        var samples = SampleFixtures.Spins(3, [2, 4], seed: 9, metadata: SampleFixtures.Ising2DMetadata());
        string path = dir.File("s.h5");
        Hdf5SampleFile.Write(path, samples);
        var r = SampleFixtures.RunTool("python3", "-c",
            "import sys, h5py, numpy as np\nf = h5py.File(sys.argv[1], 'r')\nd = f['configurations']\nprint(d.dtype, d.shape, int(np.asarray(d).astype(np.int64).sum()), f.attrs['model'], repr(float(f.attrs['temperature'])), int(f.attrs['seed']))", path);
        Assert.NotNull(r);
        Assert.True(r.Value.ExitCode == 0, r.Value.Stderr);
        Assert.Equal($"int8 (3, 2, 4) {samples.Data.Sum(v => (int)v)} ising2d 2.269185314213022 1234567890123", r.Value.Stdout.Trim());
    }

    [Fact]
    public void ReadsAttributesOfOtherTypesWrittenByOtherCodes()
    {
        // fixed-length strings, int32, uint16, float32 and an array attribute (skipped), as other HDF5 writers produce them
        using var dir = new TempDirectory();
        string path = dir.File("other.h5");
        var file = new H5File { ["configurations"] = new H5Dataset(new sbyte[] { 1, -1, -1, 1, 1, 1 }, fileDims: [2, 3]) };
        file.Attributes["model"] = "ising1d";
        file.Attributes["algorithm"] = "exact";
        file.Attributes["seed"] = 42;
        file.Attributes["sweeps"] = (ushort)7;
        file.Attributes["temperature"] = 1.5f;
        file.Attributes["temperatures"] = new double[] { 1.0, 2.0 };
        file.Write(path, new H5WriteOptions(DefaultStringLength: 16));
        var s = Hdf5SampleFile.Read(path);
        Assert.Equal("ising1d", s.Metadata.Model);
        Assert.Equal("exact", s.Metadata.Algorithm);
        Assert.Equal(42L, s.Metadata.Seed);
        Assert.Equal(7L, s.Metadata.GetLong("sweeps"));
        Assert.Equal(1.5, s.Metadata.Temperature);
        Assert.False(s.Metadata.Attributes.ContainsKey("temperatures"));
        Assert.Equal(new sbyte[] { 1, -1, -1, 1, 1, 1 }, s.Data);
    }

    // ---- bad files -------------------------------------------------------------------------------------------

    private static RsmiInputException ReadBad(string path)
    {
        var e = Assert.Throws<RsmiInputException>(() => SampleFile.Read(path));
        Assert.Contains(path, e.Message);
        return e;
    }

    private static void WriteRaw(string path, object data, ulong[] dims, string? model = "ising2d", string datasetName = "configurations")
    {
        var file = new H5File { [datasetName] = new H5Dataset(data, fileDims: dims) };
        if (model is not null) file.Attributes["model"] = model;
        file.Attributes["seed"] = 5L;
        file.Write(path);
    }

    [Fact]
    public void MissingDatasetIsNamed()
    {
        using var dir = new TempDirectory();
        string path = dir.File("x.h5");
        WriteRaw(path, new sbyte[] { 1, -1, 1, -1 }, [1, 2, 2], datasetName: "spins");
        Assert.Contains("no '/configurations' dataset", ReadBad(path).Message);
    }

    [Fact]
    public void MissingModelAttributeIsNamed()
    {
        using var dir = new TempDirectory();
        string path = dir.File("x.h5");
        WriteRaw(path, new sbyte[] { 1, -1, 1, -1 }, [1, 2, 2], model: null);
        Assert.Contains("no 'model' attribute", ReadBad(path).Message);
    }

    [Theory]
    [InlineData("int16")]
    [InlineData("uint8")]
    [InlineData("float64")]
    public void WrongDtypeIsNamed(string dtype)
    {
        using var dir = new TempDirectory();
        string path = dir.File("x.h5");
        object data = dtype switch
        {
            "int16" => new short[] { 1, -1, 1, -1 },
            "uint8" => new byte[] { 1, 1, 1, 1 },
            _ => new double[] { 1, -1, 1, -1 }
        };
        WriteRaw(path, data, [1, 2, 2]);
        var e = ReadBad(path);
        Assert.Contains($"holds {dtype} values", e.Message);
        Assert.Contains("int8", e.Message);
    }

    [Theory]
    [InlineData(new ulong[] { 4 })]
    [InlineData(new ulong[] { 1, 1, 1, 2, 2 })]
    public void WrongRankIsNamed(ulong[] dims)
    {
        using var dir = new TempDirectory();
        string path = dir.File("x.h5");
        WriteRaw(path, new sbyte[] { 1, -1, 1, -1 }, dims);
        Assert.Contains($"rank {dims.Length}", ReadBad(path).Message);
    }

    [Fact]
    public void ModelAndRankMustAgree()
    {
        using var dir = new TempDirectory();
        string path = dir.File("x.h5");
        WriteRaw(path, new sbyte[] { 1, -1, 1, -1 }, [1, 2, 2], model: "ising1d");
        Assert.Contains("model 'ising1d'", ReadBad(path).Message);
    }

    [Fact]
    public void CubicConfigurationsAreRank4AndMustSayA3DModel()
    {
        using var dir = new TempDirectory();
        string path = dir.File("x.h5");
        var spins = Enumerable.Range(0, 16).Select(i => i % 3 == 0 ? (sbyte)-1 : (sbyte)1).ToArray();
        WriteRaw(path, spins, [2, 2, 2, 2], model: "ising3d");
        var back = Hdf5SampleFile.Read(path);
        Assert.Equal([2, 2, 2], back.SiteShape);
        Assert.Equal((3, 2, 2, 2, 8), (back.Rank, back.Lz, back.Ly, back.Lx, back.Sites));
        Assert.Equal(spins, back.Data);
        WriteRaw(path, spins, [2, 2, 2, 2], model: "ising2d");
        Assert.Equal($"'{path}' says model 'ising2d', whose configurations have rank 2, but '/configurations' holds configurations of rank 3.", ReadBad(path).Message);
        WriteRaw(path, spins, [4, 2, 2], model: "ising3d");
        Assert.Equal($"'{path}' says model 'ising3d', whose configurations have rank 3, but '/configurations' holds configurations of rank 2.", ReadBad(path).Message);
    }

    [Fact]
    public void ValuesOtherThanPlusMinusOneAreRejected()
    {
        using var dir = new TempDirectory();
        string path = dir.File("x.h5");
        WriteRaw(path, new sbyte[] { 1, -1, 1, -1, 1, 0, 1, 3 }, [2, 2, 2]);
        var e = ReadBad(path);
        Assert.Contains("value 0 (configuration 1, site 1; 2 such values", e.Message);
    }

    [Fact]
    public void TruncatedFileIsRejected()
    {
        using var dir = new TempDirectory();
        string path = dir.File("x.h5");
        Hdf5SampleFile.Write(path, SampleFixtures.Spins(50, [8, 8], metadata: SampleFixtures.Ising2DMetadata()));
        byte[] bytes = File.ReadAllBytes(path);
        foreach (int keep in new[] { 4, 100, bytes.Length / 2, bytes.Length - 10 })
        {
            File.WriteAllBytes(path, bytes[..keep]);
            var e = ReadBad(path);
            Assert.Contains(keep < 8 ? "not an HDF5 file" : "truncated", e.Message);
        }
    }

    [Fact]
    public void CorruptFileIsRejected()
    {
        using var dir = new TempDirectory();
        string path = dir.File("x.h5");
        Hdf5SampleFile.Write(path, SampleFixtures.Spins(5, [4, 4], metadata: SampleFixtures.Ising2DMetadata()));
        byte[] bytes = File.ReadAllBytes(path);
        // keep the signature, scramble the superblock and the object headers behind it
        for (int i = 8; i < Math.Min(bytes.Length, 600); i++) bytes[i] = (byte)(i * 37 + 11);
        File.WriteAllBytes(path, bytes);
        Assert.Contains("corrupt", ReadBad(path).Message);
    }

    [Fact]
    public void NotHdf5IsRejected()
    {
        using var dir = new TempDirectory();
        string path = dir.File("x.h5");
        File.WriteAllText(path, "model,ising2d\n1,-1,1\n");
        Assert.Contains("not an HDF5 file", ReadBad(path).Message);
        // a .npy file named .h5
        NpyFile.Write(dir.File("y.npy"), SampleFixtures.Spins(2, [3]));
        File.Move(dir.File("y.npy"), dir.File("y.h5"));
        Assert.Contains("not an HDF5 file", ReadBad(dir.File("y.h5")).Message);
    }
}
