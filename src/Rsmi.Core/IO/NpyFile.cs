using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Rsmi.Data;
using Rsmi.States;

namespace Rsmi.IO;

/// <summary>
/// NumPy <c>.npy</c> sample files (docs/contract.md, "NumPy .npy"): the array of configurations, int8 (<c>|i1</c>), C order,
/// shape (N, L) for chains, (N, Ly, Lx) for square lattices or (N, Lz, Ly, Lx) for cubic lattices, values ±1, no metadata.
/// </summary>
/// <remarks>
/// Format (NumPy Enhancement Proposal 1, "A simple file format for NumPy arrays"): the magic string
/// <c>\x93NUMPY</c>, a major and minor version byte, the header length (little-endian uint16 for version 1.0,
/// uint32 for 2.0 and 3.0), then an ASCII (UTF-8 for 3.0) Python dict literal with keys <c>descr</c>,
/// <c>fortran_order</c> and <c>shape</c>, padded with spaces and terminated by <c>\n</c> so that the data start
/// at a multiple of 64 bytes; then the raw data. rsmi writes version 1.0 exactly as <c>numpy.save</c> does and
/// reads versions 1.0, 2.0 and 3.0.
/// </remarks>
public static class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const int Alignment = 64;

    /// <summary>Writes <paramref name="samples"/> to <paramref name="path"/> atomically (metadata is not stored in .npy files).</summary>
    public static void Write(string path, SampleSet samples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        AtomicFile.Write(path, s => Write(s, samples), cancellationToken);
    }

    /// <summary>Writes the .npy header and the data to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, SampleSet samples)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(samples);
        stream.Write(Header(ArrayShape(samples)));
        stream.Write(MemoryMarshal.AsBytes(samples.Data.AsSpan()));
    }

    /// <summary>The array shape of a sample set: (N, L), (N, Ly, Lx) or (N, Lz, Ly, Lx).</summary>
    internal static long[] ArrayShape(SampleSet samples) => [samples.Count, .. samples.SiteShape.Select(d => (long)d)];

    /// <summary>
    /// The complete version-1.0 header for an int8 C-order array of <paramref name="shape"/>, byte for byte as
    /// <c>numpy.save</c> writes it: magic, version 1.0, little-endian uint16 length, the dict
    /// <c>{'descr': '|i1', 'fortran_order': False, 'shape': (…), }</c>, the spare spaces NumPy leaves for the
    /// first axis to grow, padding spaces and a final <c>\n</c>, the whole a multiple of 64 bytes long.
    /// </summary>
    public static byte[] Header(IReadOnlyList<long> shape)
    {
        string dims = shape.Count == 1
            ? $"({shape[0].ToString(CultureInfo.InvariantCulture)},)"
            : "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")";
        string dict = "{'descr': '|i1', 'fortran_order': False, 'shape': " + dims + ", }";
        // numpy.lib.format._write_array_header: spare spaces so that the first axis can grow in place
        // (GROWTH_AXIS_MAX_DIGITS = 21), then _wrap_header: pad with spaces and '\n' to a multiple of 64.
        dict += new string(' ', Math.Max(0, 21 - shape[0].ToString(CultureInfo.InvariantCulture).Length));
        int textLength = dict.Length + 1;
        int padding = Alignment - (Magic.Length + 2 + 2 + textLength) % Alignment;
        int headerLength = textLength + padding;
        if (headerLength > ushort.MaxValue) throw new ArgumentException("shape too long for a version 1.0 header.", nameof(shape));
        var bytes = new byte[Magic.Length + 4 + headerLength];
        Magic.CopyTo(bytes, 0);
        bytes[6] = 1; bytes[7] = 0;
        bytes[8] = (byte)(headerLength & 0xFF); bytes[9] = (byte)(headerLength >> 8);
        string text = dict + new string(' ', padding) + "\n";
        Encoding.ASCII.GetBytes(text, 0, text.Length, bytes, 10);
        return bytes;
    }

    /// <summary>Reads a .npy sample file, checking everything the contract promises.</summary>
    /// <exception cref="RsmiInputException">The file is missing, is not a .npy file, is truncated, has another dtype than int8, is in Fortran order, has rank other than 2, 3 or 4, or holds values other than ±1.</exception>
    public static SampleSet Read(string path)
    {
        using var stream = SampleFile.OpenForReading(path);
        return Read(stream, path);
    }

    /// <summary>Reads a .npy sample set from <paramref name="stream"/>; <paramref name="fileName"/> names it in error messages.</summary>
    public static SampleSet Read(Stream stream, string fileName)
    {
        var (shape, dtype, fortran) = ReadHeader(stream, fileName);
        if (!IsInt8(dtype))
            throw new RsmiInputException($"'{fileName}' holds dtype '{dtype}' ({DescribeDtype(dtype)}), but rsmi sample files hold int8 (dtype '|i1') values ±1; convert with array.astype(numpy.int8).");
        Require.That(!fortran, $"'{fileName}' is stored in Fortran (column-major) order, but rsmi sample files are in C order; save numpy.ascontiguousarray(array) instead.");
        Require.That(shape.Length is 2 or 3 or 4, $"'{fileName}' holds an array of rank {shape.Length} (shape {FormatShape(shape)}), but sample files hold rank 2 (N, L) for chains, rank 3 (N, Ly, Lx) for square lattices or rank 4 (N, Lz, Ly, Lx) for cubic lattices.");
        for (int d = 1; d < shape.Length; d++)
            Require.That(shape[d] > 0, $"'{fileName}' has shape {FormatShape(shape)}: a configuration must have at least one site in every direction.");
        long count = shape[0];
        long sites = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        Require.That(count <= int.MaxValue && sites <= int.MaxValue && count * sites <= Array.MaxLength,
            $"'{fileName}' has shape {FormatShape(shape)}, more values than one array can hold; split it into smaller files.");

        var data = new sbyte[count * sites];
        int read = ReadFully(stream, MemoryMarshal.AsBytes(data.AsSpan()));
        Require.That(read == data.Length, $"'{fileName}' is truncated: its header promises {data.Length} values of shape {FormatShape(shape)}, but only {read} follow.");
        Require.That(stream.ReadByte() < 0, $"'{fileName}' is corrupt: there are bytes after the {data.Length} values of shape {FormatShape(shape)} that its header promises.");
        IsingSpins.Instance.CheckValues(data, (int)sites, fileName);
        return new SampleSet((int)count, shape.Skip(1).Select(d => (int)d).ToArray(), data);
    }

    /// <summary>Reads and parses the header: shape, dtype descriptor and Fortran-order flag.</summary>
    internal static (long[] Shape, string Dtype, bool FortranOrder) ReadHeader(Stream stream, string fileName)
    {
        Span<byte> prefix = stackalloc byte[8];
        int n = ReadFully(stream, prefix);
        if (n < 6 || !prefix[..6].SequenceEqual(Magic))
            throw new RsmiInputException($"'{fileName}' is not a NumPy .npy file: it does not start with the .npy magic string.");
        Require.That(n == 8, $"'{fileName}' is truncated: it ends inside the .npy header.");
        int major = prefix[6], minor = prefix[7];
        Require.That(major is 1 or 2 or 3 && minor == 0, $"'{fileName}' is a .npy file of version {major}.{minor}, which rsmi cannot read (it reads 1.0, 2.0 and 3.0).");
        int lengthBytes = major == 1 ? 2 : 4;
        Span<byte> lengthField = stackalloc byte[4];
        Require.That(ReadFully(stream, lengthField[..lengthBytes]) == lengthBytes, $"'{fileName}' is truncated: it ends inside the .npy header.");
        long headerLength = major == 1 ? BitConverter.ToUInt16(lengthField[..2]) : BitConverter.ToUInt32(lengthField);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts are not supported.");
        Require.That(headerLength <= 1 << 20, $"'{fileName}' is corrupt: its .npy header claims to be {headerLength} bytes long.");
        var headerBytes = new byte[headerLength];
        Require.That(ReadFully(stream, headerBytes) == headerLength, $"'{fileName}' is truncated: it ends inside the .npy header.");
        string header;
        try
        {
            header = major == 3 ? new UTF8Encoding(false, true).GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        }
        catch (DecoderFallbackException)
        {
            throw new RsmiInputException($"'{fileName}' is corrupt: its .npy header is not valid UTF-8.");
        }
        Dictionary<string, object?> dict;
        try { dict = new PythonLiteralParser(header).ParseHeaderDict(); }
        catch (FormatException e) { throw new RsmiInputException($"'{fileName}' is corrupt: its .npy header is not a valid dictionary ({e.Message}).", e); }

        foreach (string key in new[] { "descr", "fortran_order", "shape" })
            Require.That(dict.ContainsKey(key), $"'{fileName}' is corrupt: its .npy header has no '{key}' entry.");
        if (dict["descr"] is not string descr)
            throw new RsmiInputException($"'{fileName}' holds a structured array (record dtype), but rsmi sample files hold plain int8 (dtype '|i1') values ±1.");
        if (dict["fortran_order"] is not bool fortran)
            throw new RsmiInputException($"'{fileName}' is corrupt: 'fortran_order' in its .npy header is not True or False.");
        if (dict["shape"] is not List<object?> dims || dims.Any(d => d is not long l || l < 0))
            throw new RsmiInputException($"'{fileName}' is corrupt: 'shape' in its .npy header is not a tuple of non-negative integers.");
        return (dims.Select(d => (long)d!).ToArray(), descr, fortran);
    }

    private static bool IsInt8(string descr) => descr is "|i1" or "i1" or "<i1" or ">i1" or "=i1" or "b" or "|b" or "int8";

    /// <summary>A readable name for a NumPy dtype descriptor (<c>'&lt;f8'</c> → float64).</summary>
    internal static string DescribeDtype(string descr)
    {
        string s = descr.TrimStart('<', '>', '|', '=');
        if (s.Length >= 2 && int.TryParse(s.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int size))
        {
            return s[0] switch
            {
                'i' => $"int{8 * size}",
                'u' => $"uint{8 * size}",
                'f' => $"float{8 * size}",
                'c' => $"complex{8 * size}",
                'b' when size == 1 => "bool",
                'S' => $"byte string of length {size}",
                'U' => $"unicode string of length {size}",
                'M' or 'm' => "datetime",
                _ => "an unsupported type"
            };
        }
        return s switch { "O" => "Python objects", "?" => "bool", _ => "an unsupported type" };
    }

    internal static string FormatShape(IReadOnlyList<long> shape) =>
        shape.Count == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>Parses the subset of Python literals that appears in .npy headers: dicts, strings, True/False/None, integers, tuples and lists.</summary>
    private sealed class PythonLiteralParser(string text)
    {
        private int _pos;

        public Dictionary<string, object?> ParseHeaderDict()
        {
            SkipSpace();
            var value = ParseValue();
            SkipSpace();
            if (_pos != text.Length) throw new FormatException($"unexpected '{text[_pos]}' after the dictionary");
            return value as Dictionary<string, object?> ?? throw new FormatException("the header is not a dictionary");
        }

        private object? ParseValue()
        {
            SkipSpace();
            if (_pos >= text.Length) throw new FormatException("unexpected end of header");
            char c = text[_pos];
            switch (c)
            {
                case '{':
                {
                    _pos++;
                    var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
                    while (true)
                    {
                        SkipSpace();
                        if (Peek() == '}') { _pos++; return dict; }
                        if (ParseValue() is not string key) throw new FormatException("a dictionary key is not a string");
                        SkipSpace();
                        Expect(':');
                        dict[key] = ParseValue();
                        SkipSpace();
                        if (Peek() == ',') { _pos++; continue; }
                        Expect('}');
                        return dict;
                    }
                }
                case '(':
                case '[':
                {
                    char close = c == '(' ? ')' : ']';
                    _pos++;
                    var items = new List<object?>();
                    while (true)
                    {
                        SkipSpace();
                        if (Peek() == close) { _pos++; return items; }
                        items.Add(ParseValue());
                        SkipSpace();
                        if (Peek() == ',') { _pos++; continue; }
                        Expect(close);
                        return items;
                    }
                }
                case '\'':
                case '"':
                {
                    _pos++;
                    var sb = new StringBuilder();
                    while (_pos < text.Length && text[_pos] != c)
                    {
                        if (text[_pos] == '\\' && _pos + 1 < text.Length) _pos++;
                        sb.Append(text[_pos++]);
                    }
                    Expect(c);
                    return sb.ToString();
                }
                default:
                {
                    int start = _pos;
                    while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '_' or '-' or '+')) _pos++;
                    string word = text[start.._pos];
                    if (word == "True") return true;
                    if (word == "False") return false;
                    if (word == "None") return null;
                    if (word.EndsWith('L')) word = word[..^1]; // Python 2 long literals
                    if (long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number)) return number;
                    throw new FormatException(word.Length == 0 ? $"unexpected '{c}'" : $"unexpected '{word}'");
                }
            }
        }

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        private void Expect(char c)
        {
            if (Peek() != c) throw new FormatException(_pos < text.Length ? $"expected '{c}' but found '{text[_pos]}'" : $"expected '{c}' but the header ended");
            _pos++;
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }
    }
}
