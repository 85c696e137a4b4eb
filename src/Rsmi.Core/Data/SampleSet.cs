namespace Rsmi.Data;

/// <summary>
/// A set of N configurations of ±1 values, as stored in sample files (docs/contract.md, "Sample files"): shape (N, L) for chains,
/// (N, Ly, Lx) for square lattices, (N, Lz, Ly, Lx) for cubic lattices, row-major, int8. Metadata travels with the data.
/// </summary>
public sealed class SampleSet
{
    /// <summary>Number of configurations N.</summary>
    public int Count { get; }
    /// <summary>Shape of one configuration: [L], [Ly, Lx] or [Lz, Ly, Lx].</summary>
    public int[] SiteShape { get; }
    /// <summary>N × sites values, each +1 or −1, row-major.</summary>
    public sbyte[] Data { get; }
    /// <summary>Attributes written to / read from the file root.</summary>
    public SampleMetadata Metadata { get; }

    /// <summary>1 for chains, 2 for square lattices, 3 for cubic lattices.</summary>
    public int Rank => SiteShape.Length;
    /// <summary>Sites per configuration.</summary>
    public int Sites { get; }
    /// <summary>Width (L for chains).</summary>
    public int Lx => SiteShape[^1];
    /// <summary>Height (1 for chains).</summary>
    public int Ly => Rank == 1 ? 1 : SiteShape[^2];
    /// <summary>Depth (1 for chains and square lattices).</summary>
    public int Lz => Rank == 3 ? SiteShape[0] : 1;

    /// <summary>Wraps existing data (not copied). <paramref name="data"/> must hold count × sites values, each ±1.</summary>
    public SampleSet(int count, int[] siteShape, sbyte[] data, SampleMetadata? metadata = null)
    {
        Require.That(siteShape.Length is 1 or 2 or 3, $"configurations must have rank 1, 2 or 3, got rank {siteShape.Length}.");
        foreach (int d in siteShape) Require.Positive(d, "configuration size");
        Require.NonNegative(count, "number of configurations");
        long sites = siteShape.Aggregate(1L, (a, b) => a * b);
        Require.That(data.LongLength == count * sites, $"expected {count * sites} values for {count} configurations of shape ({string.Join(", ", siteShape)}), got {data.LongLength}.");
        Require.That(sites <= int.MaxValue, $"configurations of shape ({string.Join(", ", siteShape)}) have too many sites.");
        Count = count; SiteShape = (int[])siteShape.Clone(); Sites = (int)sites; Data = data; Metadata = metadata ?? new SampleMetadata();
    }

    /// <summary>Configuration <paramref name="i"/> as a span of <see cref="Sites"/> values.</summary>
    public Span<sbyte> Configuration(int i) => Data.AsSpan(i * Sites, Sites);

    /// <summary>Configurations [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>) as a new set
    /// (the values are copied; the metadata is shared).</summary>
    public SampleSet Slice(int first, int count)
    {
        Require.That(first >= 0 && count >= 0 && first + (long)count <= Count, $"configurations [{first}, {first + (long)count}) lie outside the {Count} of the set.");
        return new SampleSet(count, SiteShape, Data.AsSpan(first * Sites, count * Sites).ToArray(), Metadata);
    }

    /// <summary>Index of the first value that is neither +1 nor −1, or −1 if all are valid.</summary>
    public long FirstInvalidValue()
    {
        for (long i = 0; i < Data.LongLength; i++) if (Data[i] != 1 && Data[i] != -1) return i;
        return -1;
    }
}

/// <summary>
/// File-root attributes of a sample file: <c>model</c>, <c>temperature</c>, <c>algorithm</c>, <c>seed</c>,
/// <c>rsmi_version</c> and whatever the model or the RG step adds (<c>noise_coupling</c>, <c>encoding</c>,
/// <c>rg_step</c>, <c>parent</c>, <c>tau_int</c>…). Values are strings, 64-bit integers or doubles.
/// </summary>
public sealed class SampleMetadata
{
    /// <summary>All attributes by name, sorted for deterministic output.</summary>
    public SortedDictionary<string, object> Attributes { get; } = new(StringComparer.Ordinal);

    /// <summary>The model name: <c>ising1d</c>, <c>ising2d</c>, <c>ising3d</c> or <c>dimer</c>.</summary>
    public string? Model { get => GetString("model"); set => Set("model", value); }
    /// <summary>Temperature T (J = k_B = 1), where it applies.</summary>
    public double? Temperature { get => GetDouble("temperature"); set => Set("temperature", value); }
    /// <summary>The algorithm that produced the samples.</summary>
    public string? Algorithm { get => GetString("algorithm"); set => Set("algorithm", value); }
    /// <summary>The seed that produced the samples.</summary>
    public long? Seed { get => GetLong("seed"); set => Set("seed", value); }
    /// <summary>The rsmi version that wrote the file.</summary>
    public string? RsmiVersion { get => GetString("rsmi_version"); set => Set("rsmi_version", value); }

    /// <summary>Sets (or with null removes) an attribute. Accepts string, integer types and floating-point types.</summary>
    public void Set(string name, object? value)
    {
        if (value is null) { Attributes.Remove(name); return; }
        Attributes[name] = value switch
        {
            string s => s,
            double d => d,
            float f => (double)f,
            int i => (long)i,
            long l => l,
            ulong u => (long)u,
            bool b => b ? 1L : 0L,
            _ => throw new ArgumentException($"unsupported attribute type {value.GetType()} for '{name}'")
        };
    }

    /// <summary>The attribute as a string, or null.</summary>
    public string? GetString(string name) => Attributes.TryGetValue(name, out var v) ? v as string ?? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null;
    /// <summary>The attribute as a double, or null when absent or not numeric.</summary>
    public double? GetDouble(string name) => Attributes.TryGetValue(name, out var v) ? v switch { double d => d, long l => l, _ => null } : null;
    /// <summary>The attribute as an integer, or null when absent or not integral.</summary>
    public long? GetLong(string name) => Attributes.TryGetValue(name, out var v) ? v switch { long l => l, double d when d == Math.Floor(d) => (long)d, _ => null } : null;

    /// <summary>A deep copy.</summary>
    public SampleMetadata Clone()
    {
        var m = new SampleMetadata();
        foreach (var (k, v) in Attributes) m.Attributes[k] = v;
        return m;
    }
}
