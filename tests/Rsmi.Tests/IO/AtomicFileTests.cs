using System.Text;
using Rsmi.IO;

namespace Rsmi.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void WritesBytesAndLeavesNoTemporaryFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("out.bin");
        AtomicFile.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
        Assert.Equal(new[] { "out.bin" }, dir.Entries());
    }

    [Fact]
    public void TextIsUtf8WithoutByteOrderMarkAndReplacesExistingFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("out.json");
        File.WriteAllText(path, "old content that is longer than the new one");
        AtomicFile.WriteAllText(path, "µ=1");
        Assert.Equal(Encoding.UTF8.GetBytes("µ=1"), File.ReadAllBytes(path));
        AtomicFile.WriteText(path, w => { w.WriteLine("a"); w.Write("b"); });
        Assert.Equal("a\nb", File.ReadAllText(path));
        Assert.Equal(new[] { "out.json" }, dir.Entries());
    }

    [Fact]
    public void FailingWriterLeavesOldFileAndNoTemporary()
    {
        using var dir = new TempDirectory();
        string path = dir.File("out.h5");
        File.WriteAllText(path, "previous");
        var e = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[1000]);
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal("boom", e.Message);
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Equal(new[] { "out.h5" }, dir.Entries());
    }

    [Fact]
    public void FailingWriterWithoutExistingFileLeavesNothing()
    {
        using var dir = new TempDirectory();
        Assert.Throws<InvalidOperationException>(() => AtomicFile.WriteText(dir.File("x.txt"), w => { w.Write("half"); throw new InvalidOperationException(); }));
        Assert.Empty(dir.Entries());
    }

    [Fact]
    public void CancellationDuringWriteDeletesTemporaryAndKeepsOldFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("out.npy");
        File.WriteAllText(path, "previous");
        using var cts = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => AtomicFile.Write(path, s => { s.WriteByte(7); cts.Cancel(); }, cts.Token));
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Equal(new[] { "out.npy" }, dir.Entries());
    }

    [Fact]
    public void AlreadyCancelledTokenWritesNothing()
    {
        using var dir = new TempDirectory();
        bool called = false;
        Assert.Throws<OperationCanceledException>(() => AtomicFile.Write(dir.File("a"), _ => called = true, new CancellationToken(true)));
        Assert.False(called);
        Assert.Empty(dir.Entries());
    }

    [Fact]
    public async Task AsyncWriteAndAsyncCancellation()
    {
        using var dir = new TempDirectory();
        string path = dir.File("a.txt");
        await AtomicFile.WriteAsync(path, (s, ct) => s.WriteAsync(new byte[] { 65, 66 }, ct).AsTask());
        Assert.Equal("AB", File.ReadAllText(path));
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AtomicFile.WriteAsync(path, async (s, ct) =>
        {
            await s.WriteAsync(new byte[] { 1 }, ct);
            cts.Cancel();
            ct.ThrowIfCancellationRequested();
        }, cts.Token));
        Assert.Equal("AB", File.ReadAllText(path));
        Assert.Equal(new[] { "a.txt" }, dir.Entries());
    }

    [Fact]
    public void WriteViaGivesTemporaryPathWithSameDirectoryAndExtension()
    {
        using var dir = new TempDirectory();
        string path = dir.File("figure.png");
        string? seen = null;
        AtomicFile.WriteVia(path, temp => { seen = temp; File.WriteAllText(temp, "png"); });
        Assert.NotNull(seen);
        Assert.Equal(dir.Path, Path.GetDirectoryName(seen));
        Assert.EndsWith(".png", seen);
        Assert.StartsWith(".figure.", Path.GetFileName(seen));
        Assert.Equal("png", File.ReadAllText(path));
        Assert.Equal(new[] { "figure.png" }, dir.Entries());
    }

    [Fact]
    public void WriteViaDeletesPartialTemporaryOnFailure()
    {
        using var dir = new TempDirectory();
        Assert.Throws<IOException>(() => AtomicFile.WriteVia(dir.File("f.svg"), temp => { File.WriteAllText(temp, "<svg"); throw new IOException("disk"); }));
        Assert.Empty(dir.Entries());
    }

    [Fact]
    public void MissingDirectoryIsAnInputErrorNamingTheFile()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "no-such-dir", "out.h5");
        var e = Assert.Throws<RsmiInputException>(() => AtomicFile.WriteAllText(path, "x"));
        Assert.Contains(path, e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void DirectoryAsDestinationIsAnInputError()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<RsmiInputException>(() => AtomicFile.WriteAllText(dir.Path, "x"));
        Assert.Contains("is a directory", e.Message);
    }
}
