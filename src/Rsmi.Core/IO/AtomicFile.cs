using System.Text;

namespace Rsmi.IO;

/// <summary>
/// Writes output files so that a reader never sees a half-written file (docs/contract.md, "Conventions"): the content
/// goes to a temporary file in the destination's directory, is flushed to disk, and is then renamed over the
/// destination (a rename within one directory is atomic on POSIX file systems and on NTFS). When the writer
/// fails or is cancelled, the temporary file is deleted and the destination is left as it was.
/// </summary>
/// <remarks>
/// The temporary name is <c>.NAME.RANDOM.tmp.EXT</c> next to the destination: hidden, and ending in the
/// destination's extension so that libraries which pick a format from the extension (image writers) still work
/// with <see cref="WriteVia(string, Action{string}, CancellationToken)"/>.
/// </remarks>
public static class AtomicFile
{
    /// <summary>Writes the bytes written by <paramref name="write"/> to a stream, then renames into place.</summary>
    /// <param name="path">Destination; its directory must exist.</param>
    /// <param name="write">Writes the whole content to the (seekable, readable) stream it is given.</param>
    /// <param name="cancellationToken">Checked before the writer runs and before the rename.</param>
    /// <exception cref="RsmiInputException">The destination's directory does not exist or is not writable, or the destination is a directory.</exception>
    public static void Write(string path, Action<Stream> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        WriteVia(path, temp =>
        {
            using var stream = OpenTemporary(temp, path, useAsync: false);
            write(stream);
            stream.Flush(flushToDisk: true);
        }, cancellationToken);
    }

    /// <summary>Writes <paramref name="bytes"/> atomically to <paramref name="path"/>.</summary>
    /// <inheritdoc cref="Write(string, Action{Stream}, CancellationToken)"/>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, CancellationToken cancellationToken = default)
    {
        byte[] copy = bytes.ToArray();
        Write(path, s => s.Write(copy), cancellationToken);
    }

    /// <summary>Writes <paramref name="text"/> atomically to <paramref name="path"/> (UTF-8 without byte-order mark unless <paramref name="encoding"/> says otherwise).</summary>
    /// <inheritdoc cref="Write(string, Action{Stream}, CancellationToken)"/>
    public static void WriteAllText(string path, string text, Encoding? encoding = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteText(path, w => w.Write(text), encoding, cancellationToken);
    }

    /// <summary>Writes the text written by <paramref name="write"/> to a <see cref="TextWriter"/> (UTF-8 without byte-order mark by default), then renames into place.</summary>
    /// <inheritdoc cref="Write(string, Action{Stream}, CancellationToken)"/>
    public static void WriteText(string path, Action<TextWriter> write, Encoding? encoding = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        encoding ??= new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        Write(path, s =>
        {
            using var writer = new StreamWriter(s, encoding, 1 << 16, leaveOpen: true) { NewLine = "\n" };
            write(writer);
            writer.Flush();
        }, cancellationToken);
    }

    /// <summary>Writes asynchronously through <paramref name="write"/>, then renames into place.</summary>
    /// <inheritdoc cref="Write(string, Action{Stream}, CancellationToken)"/>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = CheckDestination(path);
        cancellationToken.ThrowIfCancellationRequested();
        string temp = TemporaryPathFor(full);
        try
        {
            await using (var stream = OpenTemporary(temp, path, useAsync: true))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            cancellationToken.ThrowIfCancellationRequested();
            MoveIntoPlace(temp, full, path);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// For libraries that only write to a file name: <paramref name="writeToPath"/> receives a temporary path
    /// (same directory, same extension) and must create the complete file there; it is then renamed to
    /// <paramref name="path"/>. If the callback throws or the token is cancelled, the temporary file is deleted.
    /// </summary>
    /// <inheritdoc cref="Write(string, Action{Stream}, CancellationToken)"/>
    public static void WriteVia(string path, Action<string> writeToPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writeToPath);
        string full = CheckDestination(path);
        cancellationToken.ThrowIfCancellationRequested();
        string temp = TemporaryPathFor(full);
        try
        {
            writeToPath(temp);
            if (!File.Exists(temp)) throw new IOException($"the writer for '{path}' did not create its output.");
            cancellationToken.ThrowIfCancellationRequested();
            MoveIntoPlace(temp, full, path);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>The temporary path used for <paramref name="fullPath"/>: hidden, unique, same directory and extension.</summary>
    internal static string TemporaryPathFor(string fullPath)
    {
        string dir = Path.GetDirectoryName(fullPath)!;
        string name = Path.GetFileNameWithoutExtension(fullPath);
        string ext = Path.GetExtension(fullPath);
        string random = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        return Path.Combine(dir, $".{name}.{random}.tmp{ext}");
    }

    private static string CheckDestination(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Require.That(path.Length > 0, "the output file name is empty.");
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new RsmiInputException($"cannot write '{path}': {e.Message.TrimEnd('.')}.", e);
        }
        Require.That(!Directory.Exists(full), $"cannot write '{path}': it is a directory.");
        string? dir = Path.GetDirectoryName(full);
        Require.That(dir is not null && Directory.Exists(dir), $"cannot write '{path}': the directory '{dir}' does not exist.");
        return full;
    }

    private static FileStream OpenTemporary(string temp, string path, bool useAsync)
    {
        try { return new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync); }
        catch (UnauthorizedAccessException e)
        {
            throw new RsmiInputException($"cannot write '{path}': permission denied in its directory.", e);
        }
    }

    private static void MoveIntoPlace(string temp, string full, string path)
    {
        try { File.Move(temp, full, overwrite: true); }
        catch (UnauthorizedAccessException e)
        {
            throw new RsmiInputException($"cannot write '{path}': permission denied.", e);
        }
    }

    private static void TryDelete(string temp)
    {
        try { if (File.Exists(temp)) File.Delete(temp); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
