using PureHDF;
using PureHDF.VOL.Native;
using Rsmi.Data;
using Rsmi.Models;
using Rsmi.States;

namespace Rsmi.IO;

/// <summary>
/// HDF5 sample files (docs/contract.md, "HDF5"): dataset <c>/configurations</c>, int8, shape (N, L) for chains,
/// (N, Ly, Lx) for square lattices or (N, Lz, Ly, Lx) for cubic lattices, values ±1 (Potts labels 0 … q−1 for <c>potts2d</c>); scalar attributes on the file root: <c>model</c> (required),
/// <c>temperature</c> where it applies, <c>algorithm</c>, <c>seed</c>, <c>rsmi_version</c> and whatever else the
/// <see cref="SampleMetadata"/> holds (strings as variable-length UTF-8 strings, integers as int64, reals as
/// float64). Written and read with PureHDF (no native library).
/// </summary>
public static class Hdf5SampleFile
{
    /// <summary>The dataset that holds the configurations.</summary>
    public const string DatasetName = "configurations";

    /// <summary>Attributes a sample file must carry.</summary>
    public static IReadOnlyList<string> RequiredAttributes { get; } = ["model"];

    private static readonly byte[] Signature = [0x89, (byte)'H', (byte)'D', (byte)'F', (byte)'\r', (byte)'\n', 0x1A, (byte)'\n'];

    /// <summary>
    /// Writes <paramref name="samples"/> atomically. The <c>rsmi_version</c> attribute is set to the version of
    /// this library (the one that wrote the file); every other attribute is written as it is.
    /// </summary>
    /// <exception cref="RsmiInputException">The samples carry no <c>model</c> attribute (for example, they came from a .npy file), or the destination cannot be written.</exception>
    public static void Write(string path, SampleSet samples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var file = Build(samples, path);
        AtomicFile.Write(path, stream => file.Write(stream), cancellationToken);
    }

    private static H5File Build(SampleSet samples, string path)
    {
        Require.That(!string.IsNullOrEmpty(samples.Metadata.Model),
            $"cannot write '{path}': the samples have no 'model' attribute ({ModelNames()}), which HDF5 sample files must carry; samples read from a .npy file have no metadata.");
        ulong[] dims = [(ulong)samples.Count, .. samples.SiteShape.Select(d => (ulong)d)];
        var file = new H5File
        {
            [DatasetName] = new H5Dataset(samples.Data, fileDims: dims)
        };
        foreach (var (name, value) in samples.Metadata.Attributes)
        {
            if (name == "rsmi_version") continue;
            file.Attributes[name] = value switch
            {
                string s => s,
                long l => l,
                double d => d,
                _ => throw new InvalidOperationException($"attribute '{name}' has unsupported type {value.GetType()}.")
            };
        }
        file.Attributes["rsmi_version"] = RsmiVersion.Current;
        return file;
    }

    /// <summary>Offset of the HDF5 signature (0, 512, 1024, … as the specification allows for a user block), or −1 when there is none.</summary>
    internal static long SignatureOffset(Stream stream)
    {
        Span<byte> buffer = stackalloc byte[8];
        for (long offset = 0; offset + 8 <= stream.Length; offset = offset == 0 ? 512 : offset * 2)
        {
            stream.Position = offset;
            stream.ReadExactly(buffer);
            if (buffer.SequenceEqual(Signature)) { stream.Position = 0; return offset; }
        }
        stream.Position = 0;
        return -1;
    }

    /// <summary>
    /// The end-of-file address recorded in the superblock (HDF5 File Format Specification, §II.A: versions 0 and 1
    /// keep it after the base and free-space addresses; versions 2 and 3 after the base and superblock-extension
    /// addresses), as an absolute length; null when the superblock cannot be decoded.
    /// </summary>
    internal static long? RecordedLength(Stream stream, long signatureOffset)
    {
        Span<byte> head = stackalloc byte[96];
        stream.Position = signatureOffset;
        int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        head = head[..n];
        if (head.Length < 12) return null;
        int version = head[8];
        int sizeOfOffsets, position;
        switch (version)
        {
            case 0 or 1:
                sizeOfOffsets = head[13];
                position = 24 + (version == 1 ? 4 : 0);   // after the fixed fields (and v1's indexed-storage K + reserved)
                position += 2 * sizeOfOffsets;             // base address, free-space info address
                break;
            case 2 or 3:
                sizeOfOffsets = head[9];
                position = 12 + 2 * sizeOfOffsets;         // base address, superblock extension address
                break;
            default: return null;
        }
        if (sizeOfOffsets is not (2 or 4 or 8) || position + sizeOfOffsets > head.Length) return null;
        int baseAt = version <= 1 ? 24 + (version == 1 ? 4 : 0) : 12;
        ulong baseAddress = ReadOffset(head.Slice(baseAt, sizeOfOffsets));
        ulong end = ReadOffset(head.Slice(position, sizeOfOffsets));
        if (end == ulong.MaxValue || baseAddress + end > long.MaxValue) return null;
        return (long)(baseAddress + end);
    }

    private static ulong ReadOffset(ReadOnlySpan<byte> bytes)
    {
        ulong value = 0;
        for (int i = bytes.Length - 1; i >= 0; i--) value = (value << 8) | bytes[i];
        return value;
    }

    /// <summary>The model names of the default catalog, for messages: "a, b or c".</summary>
    private static string ModelNames()
    {
        var names = ModelCatalog.Default.Names;
        return names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} or {names[^1]}";
    }

    /// <summary>Reads an HDF5 sample file and checks everything the contract promises.</summary>
    /// <exception cref="RsmiInputException">
    /// The file is missing, not HDF5, truncated or corrupt; has no <c>/configurations</c> dataset; the dataset is
    /// not int8, not of rank 2, 3 or 4, or holds values the model's state space does not have (the state space
    /// <see cref="IModel.StatesFor"/> names from the file's attributes for the models of <paramref name="models"/>, default
    /// <see cref="ModelCatalog.Default"/>; ±1 for unknown models); the attributes name no valid state space (a Potts
    /// file without a valid <c>q</c>); or a required attribute is missing.
    /// </exception>
    public static SampleSet Read(string path, ModelCatalog? models = null)
    {
        using var stream = SampleFile.OpenForReading(path);
        long signature = SignatureOffset(stream);
        Require.That(signature >= 0, $"'{path}' is not an HDF5 file: it does not carry the HDF5 signature.");
        long? recorded = RecordedLength(stream, signature);
        Require.That(recorded is null || recorded <= stream.Length,
            $"'{path}' is truncated: its HDF5 superblock records {recorded} bytes, but the file has only {stream.Length}.");
        try
        {
            using var file = H5File.Open(stream, leaveOpen: true);
            return Read(file, path, models ?? ModelCatalog.Default);
        }
        catch (RsmiInputException) { throw; }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new RsmiInputException($"'{path}' is truncated or corrupt: the HDF5 reader failed ({Sentence(e.Message)}).", e);
        }
    }

    private static SampleSet Read(NativeFile file, string path, ModelCatalog models)
    {
        Require.That(file.LinkExists(DatasetName), $"'{path}' has no '/{DatasetName}' dataset, which sample files must hold.");
        if (file.Get(DatasetName) is not IH5Dataset dataset)
            throw new RsmiInputException($"'{path}': '/{DatasetName}' is not a dataset.");

        var type = dataset.Type;
        bool int8 = type.Class == H5DataTypeClass.FixedPoint && type.Size == 1 && type.FixedPoint.IsSigned;
        Require.That(int8, $"'{path}': '/{DatasetName}' holds {DescribeType(type)} values, but sample files hold int8 values ±1.");
        ulong[] dims = dataset.Space.Type == H5DataspaceType.Simple ? dataset.Space.Dimensions : [];
        Require.That(dims.Length is 2 or 3 or 4,
            $"'{path}': '/{DatasetName}' has rank {dims.Length} (shape {NpyFile.FormatShape(dims.Select(d => (long)d).ToArray())}), but sample files hold rank 2 (N, L) for chains, rank 3 (N, Ly, Lx) for square lattices or rank 4 (N, Lz, Ly, Lx) for cubic lattices.");
        long[] shape = dims.Select(d => (long)d).ToArray();
        for (int d = 1; d < shape.Length; d++)
            Require.That(shape[d] > 0, $"'{path}': '/{DatasetName}' has shape {NpyFile.FormatShape(shape)}; a configuration must have at least one site in every direction.");
        long count = shape[0], sites = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        Require.That(count <= int.MaxValue && sites <= int.MaxValue && count * sites <= Array.MaxLength,
            $"'{path}': '/{DatasetName}' has shape {NpyFile.FormatShape(shape)}, more values than one array can hold; split it into smaller files.");

        var metadata = ReadAttributes(file, path);
        foreach (string required in RequiredAttributes)
            Require.That(metadata.Attributes.ContainsKey(required), $"'{path}' has no '{required}' attribute on its root, which sample files must carry.");
        Require.That(metadata.Attributes["model"] is string, $"'{path}': the 'model' attribute is not a string.");
        var model = models.Find(metadata.Model);
        if (model is not null)
            Require.That(model.Dimension == shape.Length - 1,
                $"'{path}' says model '{model.Name}', whose configurations have rank {model.Dimension}, but '/{DatasetName}' holds configurations of rank {shape.Length - 1}.");

        IStateSpace states = IsingSpins.Instance;
        if (model is not null)
        {
            try { states = model.StatesFor(metadata); }
            catch (RsmiInputException e) { throw new RsmiInputException($"'{path}': {e.Template}", e); }
        }

        sbyte[] data = count * sites == 0 ? [] : dataset.Read<sbyte[]>();
        Require.That(data.LongLength == count * sites, $"'{path}' is truncated: '/{DatasetName}' should hold {count * sites} values but {data.LongLength} were read.");
        states.CheckValues(data, (int)sites, path);
        return new SampleSet((int)count, shape.Skip(1).Select(d => (int)d).ToArray(), data, metadata);
    }

    /// <summary>Reads the scalar string, integer and real attributes of the root; others (arrays, compounds…) are skipped.</summary>
    private static SampleMetadata ReadAttributes(NativeFile file, string path)
    {
        var metadata = new SampleMetadata();
        foreach (var attribute in file.Attributes())
        {
            var space = attribute.Space;
            bool scalar = space.Type == H5DataspaceType.Scalar || (space.Type == H5DataspaceType.Simple && space.Dimensions.Aggregate(1UL, (a, b) => a * b) == 1);
            if (!scalar) continue;
            var type = attribute.Type;
            bool isScalarSpace = space.Type == H5DataspaceType.Scalar;
            object? value = type.Class switch
            {
                H5DataTypeClass.String or H5DataTypeClass.VariableLength => TryReadString(attribute, isScalarSpace),
                H5DataTypeClass.FixedPoint => ReadInteger(attribute, type, isScalarSpace),
                H5DataTypeClass.FloatingPoint when type.Size == 8 => ReadScalar<double>(attribute, isScalarSpace),
                H5DataTypeClass.FloatingPoint when type.Size == 4 => (double)ReadScalar<float>(attribute, isScalarSpace),
                _ => null
            };
            if (value is string s) value = s.TrimEnd('\0');
            if (value is not null) metadata.Set(attribute.Name, value);
        }
        return metadata;
    }

    private static string? TryReadString(IH5Attribute attribute, bool scalar)
    {
        try { return ReadScalar<string>(attribute, scalar); }
        catch (Exception e) when (e is not OutOfMemoryException) { return null; } // a variable-length sequence that is not a string
    }

    private static object? ReadInteger(IH5Attribute attribute, IH5DataType type, bool scalar) => (type.Size, type.FixedPoint.IsSigned) switch
    {
        (1, true) => (long)ReadScalar<sbyte>(attribute, scalar),
        (1, false) => (long)ReadScalar<byte>(attribute, scalar),
        (2, true) => (long)ReadScalar<short>(attribute, scalar),
        (2, false) => (long)ReadScalar<ushort>(attribute, scalar),
        (4, true) => (long)ReadScalar<int>(attribute, scalar),
        (4, false) => (long)ReadScalar<uint>(attribute, scalar),
        (8, true) => ReadScalar<long>(attribute, scalar),
        (8, false) => (long)ReadScalar<ulong>(attribute, scalar),
        _ => null
    };

    private static T ReadScalar<T>(IH5Attribute attribute, bool scalar) => scalar ? attribute.Read<T>() : attribute.Read<T[]>()[0];

    private static string DescribeType(IH5DataType type) => type.Class switch
    {
        H5DataTypeClass.FixedPoint => $"{(type.FixedPoint.IsSigned ? "int" : "uint")}{8 * type.Size}",
        H5DataTypeClass.FloatingPoint => $"float{8 * type.Size}",
        H5DataTypeClass.String => "string",
        H5DataTypeClass.BitField => $"{8 * type.Size}-bit bitfield",
        H5DataTypeClass.Enumerated => "enumeration (e.g. bool)",
        var c => c.ToString().ToLowerInvariant()
    };

    private static string Sentence(string message) => message.Trim().TrimEnd('.');
}
