namespace Rsmi.IO;

// Temporary: replaced by Rsmi.IO.AtomicFile when the sample-file work lands.
internal static class AtomicFileShim
{
    public static void WriteText(string path, string text)
    {
        string tmp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }
}
