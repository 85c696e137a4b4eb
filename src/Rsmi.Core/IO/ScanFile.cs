using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rsmi.Scanning;

namespace Rsmi.IO;

/// <summary>
/// <c>scan.json</c> (docs/contract.md, "Scan files"): <c>{"scans": [{"file", "temperature", "buffers",
/// "mutual_information_bits", "mutual_information_bits_error", "correlation_length": {"value", "error", …}, …}, …],
/// …}</c>, one entry per sample file and N_h. Numbers that are not finite are written as null.
/// </summary>
public static class ScanFile
{
    /// <summary>The file name a scan writes in its output directory.</summary>
    public const string FileName = "scan.json";

    /// <summary>Writes <paramref name="result"/> atomically to <paramref name="path"/>.</summary>
    public static void Write(string path, ScanResult result, CancellationToken cancellationToken = default)
    {
        byte[] json = ToJsonBytes(result);
        AtomicFile.Write(path, s => s.Write(json), cancellationToken);
    }

    /// <summary>The JSON text of <paramref name="result"/> (indented, '\n' line ends, final newline).</summary>
    public static string ToJson(ScanResult result) => Encoding.UTF8.GetString(ToJsonBytes(result));

    private static byte[] ToJsonBytes(ScanResult result)
    {
        var s = result.Settings;
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("scans");
            foreach (var scan in result.Scans) WriteScan(w, scan);
            w.WriteEndArray();
            w.WriteNumber("block", s.Block);
            w.WriteNumber("environment", s.Environment);
            w.WriteString("estimator", result.Estimator);
            w.WriteStartObject("estimator_options");
            foreach (var (key, value) in result.EstimatorOptions.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.WritePropertyName(key);
                JsonSerializer.Serialize(w, value);
            }
            w.WriteEndObject();
            w.WriteNumber("ensemble", s.Members);
            w.WriteString("critic", s.Critic switch { ScanCritic.Network => "network", ScanCritic.Linear => "linear", ScanCritic.Regression => "regression", _ => "both" });
            w.WriteBoolean("carry_filters", s.CarryFilters);
            w.WriteNumber("report_fraction", s.ReportFraction);
            w.WriteNumber("evaluation_windows", s.EvaluationWindows);
            w.WriteStartObject("fit_window");
            w.WriteNumber("from", s.Fit.From);
            w.WriteNumber("sigmas", s.Fit.Sigmas);
            w.WriteEndObject();
            w.WriteNumber("seed", s.Seed);
            w.WriteString("rsmi_version", RsmiVersion.Current);
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteScan(Utf8JsonWriter w, FileScan scan)
    {
        w.WriteStartObject();
        w.WriteString("file", scan.File);
        Number(w, "temperature", scan.Temperature ?? double.NaN);
        w.WriteStartObject("parameter");
        w.WriteString("name", scan.ParameterName);
        Number(w, "value", scan.ParameterValue);
        w.WriteEndObject();
        if (scan.Model is not null) w.WriteString("model", scan.Model);
        w.WriteStartArray("shape");
        foreach (int n in scan.Shape) w.WriteNumberValue(n);
        w.WriteEndArray();
        w.WriteNumber("configurations", scan.Configurations);
        w.WriteNumber("hidden", scan.Hidden);
        w.WriteStartArray("buffers");
        foreach (var p in scan.Points) w.WriteNumberValue(p.Buffer);
        w.WriteEndArray();
        Numbers(w, "mutual_information_bits", scan.Points.Select(p => p.Bits));
        Numbers(w, "mutual_information_bits_error", scan.Points.Select(p => p.Error));
        var xi = scan.CorrelationLength;
        w.WriteStartObject("correlation_length");
        Number(w, "value", xi.Value);
        Number(w, "error", xi.Error);
        w.WriteStartArray("fit_buffers");
        foreach (int b in xi.Buffers) w.WriteNumberValue(b);
        w.WriteEndArray();
        Number(w, "slope", xi.Slope);
        Number(w, "slope_error", xi.SlopeError);
        Number(w, "intercept", xi.Intercept);
        Number(w, "chi_square", xi.ChiSquare);
        w.WriteNumber("degrees_of_freedom", xi.DegreesOfFreedom);
        if (xi.Reason is not null) w.WriteString("reason", xi.Reason);
        w.WriteEndObject();
        w.WriteStartArray("points");
        foreach (var p in scan.Points)
        {
            w.WriteStartObject();
            w.WriteNumber("buffer", p.Buffer);
            w.WriteBoolean("signal", p.Signal);
            w.WriteString("critic", p.Critic);
            w.WriteNumber("filter_buffer", p.FilterBuffer);
            w.WriteStartArray("weights");
            for (int j = 0; j < p.Filter.Hidden; j++) Numbers(w, null, p.Filter.Row(j).ToArray());
            w.WriteEndArray();
            Numbers(w, "bias", p.Filter.Bias);
            if (p.Overlaps.Count > 0)
            {
                w.WriteStartObject("overlaps");
                foreach (var (name, value) in p.Overlaps) Number(w, name, value);
                w.WriteEndObject();
            }
            w.WriteStartArray("candidates");
            foreach (var c in p.Candidates)
            {
                w.WriteStartObject();
                w.WriteNumber("filter_buffer", c.FilterBuffer);
                w.WriteString("critic", c.Critic);
                Number(w, "selection_bits", c.Bits);
                Number(w, "selection_bits_error", c.Error);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Numbers(w, "ensemble_selection_bits", p.Ensemble.Members.Select(m => m.SelectionBits));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value); else w.WriteNull(name);
    }

    private static void Numbers(Utf8JsonWriter w, string? name, IEnumerable<double> values)
    {
        if (name is null) w.WriteStartArray(); else w.WriteStartArray(name);
        foreach (double v in values) if (double.IsFinite(v)) w.WriteNumberValue(v); else w.WriteNullValue();
        w.WriteEndArray();
    }

    /// <summary>The entry <see cref="Read"/> would return for <paramref name="scan"/> once written.</summary>
    public static ScanEntry Entry(FileScan scan) => new(scan.File, scan.Temperature ?? double.NaN, scan.ParameterName, scan.ParameterValue, scan.Hidden,
        scan.Points.Select(p => p.Buffer).ToArray(), scan.Points.Select(p => p.Bits).ToArray(), scan.Points.Select(p => p.Error).ToArray(),
        scan.CorrelationLength.Value, scan.CorrelationLength.Error, scan.CorrelationLength.Buffers.ToArray(), scan.CorrelationLength.Intercept)
    {
        Model = scan.Model,
        Overlaps = scan.Points.SelectMany(p => p.Overlaps.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal)
            .ToDictionary(k => k, k => scan.Points.Select(p => p.Overlaps.TryGetValue(k, out double v) ? v : double.NaN).ToArray()),
    };

    /// <summary>Reads the entries of a scan file: per entry its file, temperature, parameter, N_h, buffers, information, errors and ξ.</summary>
    /// <exception cref="RsmiInputException">The file is missing, not JSON or lacks the keys of the shape above.</exception>
    public static IReadOnlyList<ScanEntry> Read(string path)
    {
        byte[] bytes;
        using (var stream = SampleFile.OpenForReading(path))
        {
            var ms = new MemoryStream();
            stream.CopyTo(ms);
            bytes = ms.ToArray();
        }
        JsonNode? root;
        try { root = JsonNode.Parse(bytes); }
        catch (JsonException e) { throw new RsmiInputException($"'{path}' is not valid JSON; scan files are JSON objects.", e); }
        Require.That(root is JsonObject o && o["scans"] is JsonArray, $"'{path}' is not a scan file: it has no 'scans' array.");
        var entries = new List<ScanEntry>();
        foreach (var node in root!["scans"]!.AsArray())
        {
            Require.That(node is JsonObject, $"'{path}': every entry of 'scans' must be an object.");
            var e = node!.AsObject();
            double Num(JsonNode? n) => n is null ? double.NaN : n.GetValue<double>();
            try
            {
                var xi = e["correlation_length"]!.AsObject();
                entries.Add(new ScanEntry(
                    e["file"]!.GetValue<string>(), Num(e["temperature"]), e["parameter"]?["name"]?.GetValue<string>() ?? "temperature", Num(e["parameter"]?["value"]),
                    e["hidden"]?.GetValue<int>() ?? 1,
                    e["buffers"]!.AsArray().Select(b => b!.GetValue<int>()).ToArray(),
                    e["mutual_information_bits"]!.AsArray().Select(Num).ToArray(),
                    e["mutual_information_bits_error"]!.AsArray().Select(Num).ToArray(),
                    Num(xi["value"]), Num(xi["error"]),
                    xi["fit_buffers"]?.AsArray().Select(b => b!.GetValue<int>()).ToArray() ?? [], Num(xi["intercept"]))
                {
                    Model = e["model"]?.GetValue<string>(),
                    Overlaps = (e["points"]?.AsArray() ?? []).SelectMany(p => p?["overlaps"]?.AsObject().Select(kv => kv.Key) ?? []).Distinct().OrderBy(k => k, StringComparer.Ordinal)
                        .ToDictionary(k => k, k => (e["points"]?.AsArray() ?? []).Select(p => Num(p?["overlaps"]?[k])).ToArray()),
                });
            }
            catch (Exception ex) when (ex is InvalidOperationException or NullReferenceException or FormatException)
            {
                throw new RsmiInputException($"'{path}': an entry of 'scans' lacks a key of the scan shape or holds a value of the wrong kind.", ex);
            }
        }
        return entries;
    }
}

/// <summary>One entry of a scan file as <see cref="ScanFile.Read"/> returns it.</summary>
/// <param name="File">The sample file.</param>
/// <param name="Temperature">Its temperature (NaN when absent).</param>
/// <param name="ParameterName">The attribute labelling it.</param>
/// <param name="ParameterValue">Its value (NaN when absent).</param>
/// <param name="Hidden">N_h.</param>
/// <param name="Buffers">The buffers.</param>
/// <param name="Bits">I(H:E) per buffer, in bits.</param>
/// <param name="Errors">Standard errors.</param>
/// <param name="CorrelationLength">ξ (NaN when none was fitted).</param>
/// <param name="CorrelationLengthError">Its error.</param>
/// <param name="FitBuffers">The buffers of the fit.</param>
/// <param name="Intercept">The fitted ln ρ² at L_B = 0 (ρ² = 1 − 2^{−2I}).</param>
public sealed record ScanEntry(string File, double Temperature, string ParameterName, double ParameterValue, int Hidden, int[] Buffers, double[] Bits, double[] Errors,
    double CorrelationLength, double CorrelationLengthError, int[] FitBuffers, double Intercept)
{
    /// <summary>The model the sample file's metadata names (null when absent).</summary>
    public string? Model { get; init; }
    /// <summary>The reported filters' overlap with each pattern set, per buffer (NaN where not computed), by pattern-set name.</summary>
    public IReadOnlyDictionary<string, double[]> Overlaps { get; init; } = new Dictionary<string, double[]>();
}
