using Rsmi.Learning;

namespace Rsmi.IO;

/// <summary>A restricted Boltzmann machine in a file, as <see cref="RestrictedBoltzmannMachine.ToJson"/> writes it.</summary>
public static class RbmFile
{
    /// <summary>Writes <paramref name="machine"/> to <paramref name="path"/> (temporary file, then rename).</summary>
    public static void Write(string path, RestrictedBoltzmannMachine machine) => AtomicFile.WriteAllText(path, machine.ToJson());

    /// <summary>Reads a machine from <paramref name="path"/>; a missing or malformed file → <see cref="RsmiInputException"/>.</summary>
    public static RestrictedBoltzmannMachine Read(string path)
    {
        Require.That(File.Exists(path), $"RBM file '{path}' does not exist.");
        return RestrictedBoltzmannMachine.FromJson(File.ReadAllText(path));
    }
}
