using Rsmi.IO;

namespace Rsmi.Cli.Commands;

/// <summary>Checks of option values shared by several commands; each throws <see cref="RsmiInputException"/> with one sentence.</summary>
internal static class OptionChecks
{
    /// <summary><c>--out</c> names a file in an existing directory; for a sample file, also with a known extension (.h5, .hdf5, .npy).</summary>
    public static void OutputFile(string? output, bool sampleFile)
    {
        Require.That(!string.IsNullOrWhiteSpace(output), "--out must name a file.");
        if (sampleFile) SampleFile.FormatOf(output!);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(output!));
        Require.That(directory is null || Directory.Exists(directory), $"--out: the directory '{directory}' does not exist.");
    }

    /// <summary><c>--chains</c> ≥ 1 and <c>--threads</c> −1 (all cores) or ≥ 1.</summary>
    public static void ChainsAndThreads(int chains, int threads)
    {
        Require.That(chains >= 1, $"--chains must be at least 1, got {chains}.");
        Require.That(threads == -1 || threads >= 1, $"--threads must be at least 1, got {threads}.");
    }
}
