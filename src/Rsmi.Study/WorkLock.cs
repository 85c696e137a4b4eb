namespace Rsmi.Study;

/// <summary>
/// An exclusive lock on a piece of a study's work (a stage, a task, the merge), held by one process at a time: a
/// lock file opened without sharing (on Linux and macOS an exclusive <c>flock</c>, which also holds across the nodes
/// of a cluster on a shared file system that supports locks, as NFS does; it ends with the process, however the
/// process ends). The file is deleted when the work it guards is complete, while the lock is still held: a process that
/// opened the old file before the deletion then finds the work complete, so no two processes ever run it side by side,
/// and a finished study directory holds no lock files.
/// </summary>
public sealed class WorkLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _path;
    private bool _released;

    private WorkLock(FileStream stream, string path, bool waited)
    {
        _stream = stream;
        _path = path;
        Waited = waited;
    }

    /// <summary>Whether another process held the lock when it was first asked for (the work may have been done meanwhile).</summary>
    public bool Waited { get; }

    /// <summary>The lock at <paramref name="path"/>, or null when another process holds it.</summary>
    public static WorkLock? TryAcquire(string path) => TryAcquire(path, waited: false);

    private static WorkLock? TryAcquire(string path, bool waited)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            return new WorkLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), path, waited);
        }
        catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
        {
            // Held by another process (a sharing violation; the file may be deleted meanwhile, when its work is complete).
            return null;
        }
    }

    /// <summary>
    /// The lock at <paramref name="path"/>, waiting while another process holds it (<paramref name="waiting"/> is called
    /// once when the wait begins; the wait ends with <paramref name="cancellation"/>).
    /// </summary>
    public static WorkLock Acquire(string path, Action? waiting, CancellationToken cancellation)
    {
        bool waited = false;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            if (TryAcquire(path, waited) is WorkLock held) return held;
            if (!waited) waiting?.Invoke();
            waited = true;
            cancellation.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>Releases the lock; when <paramref name="complete"/> (the work is done) the lock file is deleted first.</summary>
    public void Release(bool complete)
    {
        if (_released) return;
        _released = true;
        if (complete)
        {
            try { File.Delete(_path); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        _stream.Dispose();
    }

    /// <summary>Releases the lock and leaves the file (the work is not complete).</summary>
    public void Dispose() => Release(complete: false);
}
