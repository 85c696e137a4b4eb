using System.Text;
using Rsmi.Data;
using Rsmi.IO;

namespace Rsmi.Tests.IO;

public class NpyFileTests
{
    private static byte[] Ascii(string s) => Encoding.Latin1.GetBytes(s);

    [Fact]
    public void HeaderBytesAreThoseNumpySaveWrites()
    {
        // numpy.save(f, np.ones((3, 4, 5), np.int8)) header: magic, version 1.0, HEADER_LEN = 118 (0x76), the dict,
        // 55 spaces, '\n' — 128 bytes in all, a multiple of 64.
        byte[] expected = Ascii("\x93NUMPY\x01\x00\x76\x00{'descr': '|i1', 'fortran_order': False, 'shape': (3, 4, 5), }" + new string(' ', 55) + "\n");
        Assert.Equal(128, expected.Length);
        Assert.Equal(expected, NpyFile.Header([3, 4, 5]));

        byte[] chain = Ascii("\x93NUMPY\x01\x00\x76\x00{'descr': '|i1', 'fortran_order': False, 'shape': (1000, 16), }" + new string(' ', 54) + "\n");
        Assert.Equal(chain, NpyFile.Header([1000, 16]));

        // numpy.save(f, np.ones((7, 4, 4, 4), np.int8)): HEADER_LEN 118, 52 spaces.
        byte[] cubes = Ascii("\x93NUMPY\x01\x00\x76\x00{'descr': '|i1', 'fortran_order': False, 'shape': (7, 4, 4, 4), }" + new string(' ', 52) + "\n");
        Assert.Equal(cubes, NpyFile.Header([7, 4, 4, 4]));
    }

    [Theory]
    [InlineData(new long[] { 0, 1 })]
    [InlineData(new long[] { 1, 1, 1 })]
    [InlineData(new long[] { 123456789012345, 4096, 4096 })]
    [InlineData(new long[] { 5, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64 })]
    public void HeaderIsPaddedToMultipleOf64AndEndsWithNewline(long[] shape)
    {
        byte[] h = NpyFile.Header(shape);
        Assert.Equal(0, h.Length % 64);
        Assert.Equal((byte)'\n', h[^1]);
        Assert.Equal(h.Length - 10, h[8] | (h[9] << 8));
    }

    [Fact]
    public void FileIsHeaderFollowedByRawInt8Data()
    {
        using var dir = new TempDirectory();
        var samples = SampleFixtures.Spins(3, [4, 5]);
        string path = dir.File("s.npy");
        NpyFile.Write(path, samples);
        byte[] bytes = File.ReadAllBytes(path);
        byte[] header = NpyFile.Header([3, 4, 5]);
        Assert.Equal(header, bytes[..header.Length]);
        Assert.Equal(samples.Data.Select(v => unchecked((byte)v)).ToArray(), bytes[header.Length..]);
    }

    [Theory]
    [InlineData(new[] { 17 })]
    [InlineData(new[] { 6, 5 })]
    [InlineData(new[] { 2, 3, 4 })]
    public void RoundTripIsBitExact(int[] siteShape)
    {
        using var dir = new TempDirectory();
        var samples = SampleFixtures.Spins(9, siteShape, seed: 42);
        string path = dir.File("s.npy");
        NpyFile.Write(path, samples);
        var back = NpyFile.Read(path);
        Assert.Equal(samples.Count, back.Count);
        Assert.Equal(samples.SiteShape, back.SiteShape);
        Assert.Equal(samples.Data, back.Data);
        Assert.Empty(back.Metadata.Attributes);
    }

    [Fact]
    public void EmptySampleSetRoundTrips()
    {
        using var dir = new TempDirectory();
        string path = dir.File("e.npy");
        NpyFile.Write(path, new SampleSet(0, [4, 4], []));
        var back = NpyFile.Read(path);
        Assert.Equal(0, back.Count);
        Assert.Equal(new[] { 4, 4 }, back.SiteShape);
    }

    /// <summary>A .npy file written by hand: any version, header text and payload.</summary>
    private static byte[] Npy(int major, string header, byte[] data, bool pad = true)
    {
        if (pad)
        {
            int prefix = major == 1 ? 10 : 12;
            int total = (prefix + header.Length + 1 + 63) / 64 * 64;
            header = header.PadRight(total - prefix - 1) + "\n";
        }
        var ms = new MemoryStream();
        ms.Write(Ascii("\x93NUMPY"));
        ms.WriteByte((byte)major); ms.WriteByte(0);
        byte[] text = major == 3 ? Encoding.UTF8.GetBytes(header) : Ascii(header);
        if (major == 1) ms.Write(BitConverter.GetBytes((ushort)text.Length));
        else ms.Write(BitConverter.GetBytes((uint)text.Length));
        ms.Write(text);
        ms.Write(data);
        return ms.ToArray();
    }

    private static byte[] Spins(int n) => Enumerable.Range(0, n).Select(i => i % 3 == 0 ? (byte)0xFF : (byte)1).ToArray();

    [Theory]
    [InlineData(1, "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), }")]
    [InlineData(2, "{'descr': '<i1', 'fortran_order': False, 'shape': (2, 3)}")]
    [InlineData(3, "{\"descr\": \"i1\", \"shape\": (2, 3), \"fortran_order\": False, }")]
    [InlineData(1, "{'descr': '|i1', 'fortran_order': False, 'shape': (2L, 3L), }")]
    public void ReadsVersions1To3AndEquivalentInt8Descriptors(int major, string header)
    {
        using var dir = new TempDirectory();
        string path = dir.File("in.npy");
        File.WriteAllBytes(path, Npy(major, header, Spins(6)));
        var s = NpyFile.Read(path);
        Assert.Equal(2, s.Count);
        Assert.Equal(new[] { 3 }, s.SiteShape);
        Assert.Equal(new sbyte[] { -1, 1, 1, -1, 1, 1 }, s.Data);
    }

    private static RsmiInputException ReadBad(byte[] bytes, string name = "bad.npy")
    {
        using var dir = new TempDirectory();
        string path = dir.File(name);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<RsmiInputException>(() => SampleFile.Read(path));
        Assert.Contains(path, e.Message);
        return e;
    }

    [Theory]
    [InlineData("<f8", "float64")]
    [InlineData("<i4", "int32")]
    [InlineData("|u1", "uint8")]
    [InlineData("|b1", "bool")]
    public void OtherDtypesAreRejectedNamingTheDtype(string descr, string name)
    {
        var e = ReadBad(Npy(1, $"{{'descr': '{descr}', 'fortran_order': False, 'shape': (2, 3), }}", new byte[48]));
        Assert.Contains($"'{descr}'", e.Message);
        Assert.Contains(name, e.Message);
        Assert.Contains("int8", e.Message);
    }

    [Fact]
    public void FortranOrderIsRejected()
    {
        var e = ReadBad(Npy(1, "{'descr': '|i1', 'fortran_order': True, 'shape': (2, 3), }", Spins(6)));
        Assert.Contains("Fortran", e.Message);
    }

    [Theory]
    [InlineData("(6,)", 1)]
    [InlineData("(1, 2, 3, 1, 1)", 5)]
    [InlineData("()", 0)]
    public void WrongRankIsRejected(string shape, int rank)
    {
        var e = ReadBad(Npy(1, $"{{'descr': '|i1', 'fortran_order': False, 'shape': {shape}, }}", Spins(6)));
        Assert.Contains($"rank {rank}", e.Message);
    }

    [Fact]
    public void ValuesOtherThanPlusMinusOneAreRejectedWithPosition()
    {
        byte[] data = Spins(12);
        data[7] = 0; data[9] = 2;
        var e = ReadBad(Npy(1, "{'descr': '|i1', 'fortran_order': False, 'shape': (3, 2, 2), }", data));
        Assert.Contains("value 0", e.Message);
        Assert.Contains("configuration 1, site 3", e.Message);
        Assert.Contains("2 such values", e.Message);
    }

    [Fact]
    public void TruncatedDataIsRejected()
    {
        byte[] full = Npy(1, "{'descr': '|i1', 'fortran_order': False, 'shape': (4, 3), }", Spins(12));
        var e = ReadBad(full[..^5]);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("12 values", e.Message);
        Assert.Contains("only 7", e.Message);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(40)]
    public void TruncatedHeaderIsRejected(int length)
    {
        byte[] full = Npy(1, "{'descr': '|i1', 'fortran_order': False, 'shape': (4, 3), }", Spins(12));
        var e = ReadBad(full[..length]);
        Assert.True(e.Message.Contains("truncated") || e.Message.Contains("not a NumPy"), e.Message);
    }

    [Fact]
    public void TrailingBytesAreRejected()
    {
        var e = ReadBad(Npy(1, "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), }", Spins(8)));
        Assert.Contains("corrupt", e.Message);
    }

    [Theory]
    [InlineData("{'descr': '|i1', 'fortran_order': False, }", "'shape'")]
    [InlineData("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3, }", "not a valid dictionary")]
    [InlineData("[1, 2]", "not a valid dictionary")]
    [InlineData("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (2, 3), }", "structured")]
    public void MalformedHeadersAreRejected(string header, string expected)
    {
        var e = ReadBad(Npy(1, header, Spins(6)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void UnknownVersionIsRejected()
    {
        byte[] b = Npy(1, "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), }", Spins(6));
        b[6] = 4;
        Assert.Contains("version 4.0", ReadBad(b).Message);
    }

    [Fact]
    public void NotAnNpyFileIsRejected()
    {
        var e = ReadBad(Encoding.ASCII.GetBytes("1 -1 1 -1\n-1 1 -1 1\n"));
        Assert.Contains("not a NumPy .npy file", e.Message);
        Assert.Contains("not a NumPy .npy file", ReadBad([]).Message);
    }

    [NumpyFact]
    public void NumpyLoadsWhatRsmiWrites()
    {
        using var dir = new TempDirectory();
        var samples = SampleFixtures.Spins(3, [4, 5], seed: 5);
        string path = dir.File("s.npy");
        NpyFile.Write(path, samples);
        var r = SampleFixtures.RunTool("python3", "-c",
            "import sys, numpy as np; a = np.load(sys.argv[1]); print(a.dtype, a.shape, a.flags['C_CONTIGUOUS'], int(a.astype(np.int64).sum()))", path);
        Assert.NotNull(r);
        Assert.True(r.Value.ExitCode == 0, r.Value.Stderr);
        Assert.Equal($"int8 (3, 4, 5) True {samples.Data.Sum(v => (int)v)}", r.Value.Stdout.Trim());
    }
}
