using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rsmi.Filters;

namespace Rsmi.IO;

/// <summary>
/// Filters files (docs/contract.md, "Filters files"): one JSON object with the keys <c>model</c>, <c>block</c> [bx, by]
/// ([bx, by, bz] on cubic lattices), <c>buffer</c>, <c>environment</c>, <c>hidden</c>, <c>estimator</c>, <c>weights</c>
/// (Nh rows of bx·by(·bz) numbers, row-major over the block), <c>bias</c> [Nh], <c>mutual_information_bits</c>, <c>history</c>, optionally
/// <c>history_moving_average</c>, <c>seed</c>, <c>rsmi_version</c>, and any further fields (kept in
/// <see cref="FilterSet.Extra"/>). Numbers are written in the shortest form that reads back to the same double.
/// </summary>
public static class FiltersFile
{
    private static readonly string[] RequiredKeys =
        ["model", "block", "buffer", "environment", "hidden", "estimator", "weights", "bias", "mutual_information_bits", "history", "seed", "rsmi_version"];

    /// <summary>Validates <paramref name="filters"/> and writes them atomically to <paramref name="path"/>.</summary>
    /// <exception cref="RsmiInputException">The filter set is inconsistent, or the destination cannot be written.</exception>
    public static void Write(string path, FilterSet filters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filters);
        filters.Validate($"cannot write '{path}'");
        byte[] json = ToJsonBytes(filters);
        AtomicFile.Write(path, s => s.Write(json), cancellationToken);
    }

    /// <summary>The JSON text of <paramref name="filters"/> (indented, UTF-8, '\n' line ends, final newline).</summary>
    public static string ToJson(FilterSet filters) => Encoding.UTF8.GetString(ToJsonBytes(filters));

    private static byte[] ToJsonBytes(FilterSet filters)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            w.WriteStartObject();
            w.WriteString("model", filters.Model);
            w.WriteStartArray("block"); foreach (int b in filters.Block) w.WriteNumberValue(b); w.WriteEndArray();
            w.WriteNumber("buffer", filters.Buffer);
            w.WriteNumber("environment", filters.Environment);
            w.WriteNumber("hidden", filters.Hidden);
            var f = filters.Filters;
            // written only when they differ from ±1 spins (one feature per site) and binary units, so that such files keep their layout
            if (f.FeaturesPerSite != 1) w.WriteNumber("features_per_site", f.FeaturesPerSite);
            if (f.HiddenStates != 2) w.WriteNumber("hidden_states", f.HiddenStates);
            w.WriteString("estimator", filters.Estimator);
            w.WriteStartArray("weights");
            for (int j = 0; j < filters.Hidden; j++)
            {
                if (f.HiddenStates == 2) { WriteNumbers(w, null, f.Row(j)); continue; }
                w.WriteStartArray();
                for (int s = 0; s < f.HiddenStates; s++) WriteNumbers(w, null, f.Row(j, s));
                w.WriteEndArray();
            }
            w.WriteEndArray();
            if (f.HiddenStates == 2) WriteNumbers(w, "bias", filters.Bias);
            else
            {
                w.WriteStartArray("bias");
                for (int j = 0; j < filters.Hidden; j++) WriteNumbers(w, null, f.UnitBias(j));
                w.WriteEndArray();
            }
            w.WriteNumber("mutual_information_bits", filters.MutualInformationBits);
            WriteNumbers(w, "history", filters.History);
            if (filters.HistoryMovingAverage is not null) WriteNumbers(w, "history_moving_average", filters.HistoryMovingAverage);
            w.WriteNumber("seed", filters.Seed);
            w.WriteString("rsmi_version", filters.RsmiVersion);
            foreach (var (key, value) in filters.Extra)
            {
                w.WritePropertyName(key);
                if (value is null) w.WriteNullValue();
                else value.WriteTo(w);
            }
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteNumbers(Utf8JsonWriter w, string? name, ReadOnlySpan<double> values)
    {
        if (name is null) w.WriteStartArray(); else w.WriteStartArray(name);
        foreach (double v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    /// <summary>Reads and validates a filters file.</summary>
    /// <exception cref="RsmiInputException">The file is missing, not JSON, lacks a contract key, has a value of the wrong kind, or is inconsistent (weights rows ≠ hidden, row length ≠ bx·by, non-finite numbers…).</exception>
    public static FilterSet Read(string path)
    {
        byte[] bytes;
        using (var stream = SampleFile.OpenForReading(path))
        {
            var ms = new MemoryStream();
            stream.CopyTo(ms);
            bytes = ms.ToArray();
        }
        return Parse(bytes, path);
    }

    /// <summary>Parses and validates filters JSON; <paramref name="fileName"/> names the source in messages.</summary>
    public static FilterSet Parse(ReadOnlySpan<byte> utf8Json, string fileName)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(utf8Json.ToArray(), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line ? $" at line {line + 1}" : "";
            throw new RsmiInputException($"'{fileName}' is not valid JSON{where}; filters files are JSON objects.", e);
        }
        if (root is not JsonObject obj)
            throw new RsmiInputException($"'{fileName}' is not a filters file: it does not hold a JSON object.");

        string source = $"'{fileName}'";
        var missing = RequiredKeys.Where(k => !obj.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new RsmiInputException(missing.Count == 1
                ? $"{source} has no '{missing[0]}' key, which filters files must have."
                : $"{source} lacks the keys {string.Join(", ", missing.Select(k => $"'{k}'"))}, which filters files must have.");

        var block = obj["block"] as JsonArray;
        Require.That(block is { Count: 2 or 3 } && block.All(b => IsInteger(b, out long v) && v is >= 1 and <= int.MaxValue),
            $"{source}: 'block' must be two positive integers [bx, by] (three, [bx, by, bz], for a cubic lattice), got {Show(obj["block"])}.");
        int bx = Int(block![0]), by = Int(block[1]);
        int? bz = block.Count == 3 ? Int(block[2]) : null;
        int hidden = PositiveInt(obj, "hidden", source, minimum: 1);
        int features = obj.ContainsKey("features_per_site") ? PositiveInt(obj, "features_per_site", source, minimum: 1) : 1;
        int states = obj.ContainsKey("hidden_states") ? PositiveInt(obj, "hidden_states", source, minimum: 2) : 2;
        Require.That((long)bx * by * (bz ?? 1) * features <= int.MaxValue, $"{source}: the block {Show(obj["block"])} is too large.");
        int blockSize = bx * by * (bz ?? 1);
        string shown = bz is int z ? $"[{bx}, {by}, {z}]" : $"[{bx}, {by}]";
        int rowLength = blockSize * features;
        string rowText = features == 1 ? $"{blockSize} numbers" : $"{rowLength} numbers ({features} per site)";

        var weightsNode = obj["weights"] as JsonArray ?? throw new RsmiInputException($"{source}: 'weights' must be an array of {hidden} rows of {rowText}, got {Show(obj["weights"])}.");
        Require.That(weightsNode.Count == hidden,
            $"{source}: 'weights' has {weightsNode.Count} row{(weightsNode.Count == 1 ? "" : "s")}, but 'hidden' is {hidden} (one row per hidden unit).");
        int rows = states == 2 ? 1 : states;
        var weights = new double[(long)hidden * rows * rowLength];
        for (int j = 0; j < hidden; j++)
        {
            if (states == 2)
            {
                var row = Numbers(weightsNode[j], $"weights[{j}]", source);
                Require.That(row.Length == rowLength, features == 1
                    ? $"{source}: 'weights[{j}]' has {row.Length} numbers, but the block {shown} has {blockSize} sites (rows are row-major over the block)."
                    : $"{source}: 'weights[{j}]' has {row.Length} numbers, but the block {shown} has {blockSize} sites of {features} features each.");
                row.CopyTo(weights, j * rowLength);
                continue;
            }
            Require.That(weightsNode[j] is JsonArray { Count: var count } && count == states,
                $"{source}: 'weights[{j}]' must hold {states} rows (one per hidden state) of {rowText}, got {Show(weightsNode[j])}.");
            for (int s = 0; s < states; s++)
            {
                var row = Numbers(weightsNode[j]![s], $"weights[{j}][{s}]", source);
                Require.That(row.Length == rowLength, $"{source}: 'weights[{j}][{s}]' has {row.Length} numbers, but the block {shown} has {blockSize} sites of {features} feature(s) each.");
                row.CopyTo(weights, (j * rows + s) * rowLength);
            }
        }

        double[] bias;
        if (states == 2)
        {
            bias = Numbers(obj["bias"], "bias", source);
            Require.That(bias.Length == hidden, $"{source}: 'bias' must hold {hidden} numbers (one per hidden unit), got {bias.Length}.");
        }
        else
        {
            Require.That(obj["bias"] is JsonArray { Count: var count } && count == hidden,
                $"{source}: 'bias' must hold {hidden} arrays of {states} numbers (one per hidden unit and state), got {Show(obj["bias"])}.");
            bias = new double[hidden * states];
            for (int j = 0; j < hidden; j++)
            {
                var unit = Numbers(obj["bias"]![j], $"bias[{j}]", source);
                Require.That(unit.Length == states, $"{source}: 'bias[{j}]' must hold {states} numbers (one per hidden state), got {unit.Length}.");
                unit.CopyTo(bias, j * states);
            }
        }
        var filters = new FilterSet
        {
            Model = Text(obj, "model", source),
            BlockX = bx,
            BlockY = by,
            BlockZ = bz,
            Buffer = PositiveInt(obj, "buffer", source, minimum: 0),
            Environment = PositiveInt(obj, "environment", source, minimum: 1),
            Estimator = Text(obj, "estimator", source),
            Filters = new FilterParameters(blockSize, hidden, features, states, weights, bias),
            MutualInformationBits = Number(obj["mutual_information_bits"], "mutual_information_bits", source),
            History = Numbers(obj["history"], "history", source),
            HistoryMovingAverage = obj.ContainsKey("history_moving_average") && obj["history_moving_average"] is not null
                ? Numbers(obj["history_moving_average"], "history_moving_average", source) : null,
            Seed = Integer(obj["seed"], "seed", source),
            RsmiVersion = Text(obj, "rsmi_version", source),
        };
        foreach (var (key, value) in obj)
            if (!FilterSet.ContractKeys.Contains(key)) filters.Extra[key] = value?.DeepClone();
        filters.Validate(source);
        return filters;
    }

    private static bool IsInteger(JsonNode? node, out long value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out value);
    }

    private static int Int(JsonNode? node) => (int)node!.GetValue<long>();

    private static int PositiveInt(JsonObject obj, string key, string source, int minimum)
    {
        string what = minimum == 0 ? "zero or a positive integer" : "a positive integer";
        Require.That(IsInteger(obj[key], out long v) && v >= minimum && v <= int.MaxValue, $"{source}: '{key}' must be {what}, got {Show(obj[key])}.");
        return (int)v;
    }

    private static long Integer(JsonNode? node, string key, string source)
    {
        Require.That(IsInteger(node, out long v), $"{source}: '{key}' must be an integer, got {Show(node)}.");
        return v;
    }

    private static string Text(JsonObject obj, string key, string source)
    {
        var node = obj[key];
        Require.That(node is JsonValue v && v.GetValueKind() == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetValue<string>()),
            $"{source}: '{key}' must be a non-empty string, got {Show(node)}.");
        return node!.GetValue<string>();
    }

    private static double Number(JsonNode? node, string key, string source)
    {
        Require.That(node is JsonValue v && v.GetValueKind() == JsonValueKind.Number, $"{source}: '{key}' must be a number, got {Show(node)}.");
        Require.That(node!.AsValue().TryGetValue(out double d) && double.IsFinite(d), $"{source}: '{key}' must be a finite number, got {Show(node)}.");
        return d;
    }

    private static double[] Numbers(JsonNode? node, string key, string source)
    {
        if (node is not JsonArray array) throw new RsmiInputException($"{source}: '{key}' must be an array of numbers, got {Show(node)}.");
        var values = new double[array.Count];
        for (int i = 0; i < values.Length; i++)
        {
            var item = array[i];
            Require.That(item is JsonValue v && v.GetValueKind() == JsonValueKind.Number,
                $"{source}: '{key}' must hold only numbers, but position {i} holds {Show(item)}.");
            Require.That(item!.AsValue().TryGetValue(out values[i]) && double.IsFinite(values[i]),
                $"{source}: '{key}' holds a number out of double range at position {i}.");
        }
        return values;
    }

    /// <summary>A short rendering of a JSON value for messages.</summary>
    private static string Show(JsonNode? node)
    {
        if (node is null) return "null";
        string s = node.ToJsonString();
        return s.Length <= 40 ? s : s[..37] + "...";
    }
}
