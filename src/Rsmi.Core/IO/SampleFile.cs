using Rsmi.Data;
using Rsmi.Models;
using Rsmi.States;

namespace Rsmi.IO;

/// <summary>
/// Sample files (docs/contract.md, "Sample files"), with the format chosen by the file's extension: <c>.h5</c> / <c>.hdf5</c> →
/// HDF5 with metadata (<see cref="Hdf5SampleFile"/>), <c>.npy</c> → NumPy array without metadata
/// (<see cref="NpyFile"/>). Writes are atomic; reads check the whole file and report any problem as an
/// <see cref="RsmiInputException"/> with one sentence naming the file.
/// </summary>
public static class SampleFile
{
    /// <summary>The file formats of sample files.</summary>
    public enum Format
    {
        /// <summary>HDF5: <c>/configurations</c> plus root attributes.</summary>
        Hdf5,
        /// <summary>NumPy .npy, version 1.0, int8, C order; no metadata.</summary>
        Npy
    }

    /// <summary>The extensions rsmi recognises, for messages.</summary>
    public const string KnownExtensions = ".h5, .hdf5 or .npy";

    /// <summary>The format for <paramref name="path"/>'s extension (case-insensitive).</summary>
    /// <exception cref="RsmiInputException">The extension is none of .h5, .hdf5, .npy.</exception>
    public static Format FormatOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string ext = Path.GetExtension(path);
        return ext.ToLowerInvariant() switch
        {
            ".h5" or ".hdf5" => Format.Hdf5,
            ".npy" => Format.Npy,
            "" => throw new RsmiInputException($"'{path}' has no extension; sample files must end in {KnownExtensions}."),
            _ => throw new RsmiInputException($"'{path}' has the extension '{ext}'; sample files must end in {KnownExtensions}.")
        };
    }

    /// <summary>True when <paramref name="path"/> has a sample-file extension.</summary>
    public static bool HasSampleExtension(string path) => Path.GetExtension(path).ToLowerInvariant() is ".h5" or ".hdf5" or ".npy";

    /// <summary>Writes <paramref name="samples"/> atomically in the format given by <paramref name="path"/>'s extension (a .npy file keeps no metadata).</summary>
    /// <exception cref="RsmiInputException">Unknown extension, unwritable destination, or (HDF5) samples without a <c>model</c> attribute.</exception>
    public static void Write(string path, SampleSet samples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        switch (FormatOf(path))
        {
            case Format.Hdf5: Hdf5SampleFile.Write(path, samples, cancellationToken); break;
            default: NpyFile.Write(path, samples, cancellationToken); break;
        }
    }

    /// <summary>Reads and validates a sample file in the format given by its extension (an HDF5 file's values against its model's state space in <paramref name="models"/>, default <see cref="ModelCatalog.Default"/>).</summary>
    /// <exception cref="RsmiInputException">Unknown extension, missing or unreadable file, or a file that breaks the contract (see <see cref="Hdf5SampleFile.Read(string, ModelCatalog)"/>, <see cref="NpyFile.Read(string)"/>).</exception>
    public static SampleSet Read(string path, ModelCatalog? models = null) => FormatOf(path) switch
    {
        Format.Hdf5 => Hdf5SampleFile.Read(path, models),
        _ => NpyFile.Read(path)
    };

    /// <summary>
    /// Throws <see cref="RsmiInputException"/> unless <paramref name="samples"/> (read from <paramref name="fileName"/>)
    /// hold ±1 spins, the values <paramref name="reader"/> (a command such as <c>rsmi learn</c>) reads: samples of a
    /// model of <paramref name="models"/> (default <see cref="ModelCatalog.Default"/>) whose file names another state
    /// space (<see cref="IModel.StatesFor"/>: Potts labels) are refused with one sentence.
    /// </summary>
    public static void RequireSpins(SampleSet samples, string fileName, string reader, ModelCatalog? models = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if ((models ?? ModelCatalog.Default).Find(samples.Metadata.Model) is not { } model) return;
        var states = model.StatesFor(samples.Metadata);
        Require.That(states is IsingSpins,
            $"'{fileName}' holds {model.Name} samples with {states.ValuesText}, but {reader} reads ±1 spins only.");
    }

    /// <summary>Opens an existing file for reading, turning the usual failures into one-sentence input errors.</summary>
    internal static FileStream OpenForReading(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Require.That(!Directory.Exists(path), $"'{path}' is a directory, not a file.");
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new RsmiInputException($"'{path}' does not exist.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new RsmiInputException($"'{path}' cannot be read: permission denied.", e);
        }
        catch (IOException e)
        {
            throw new RsmiInputException($"'{path}' cannot be read: {e.Message.TrimEnd('.')}.", e);
        }
    }
}
