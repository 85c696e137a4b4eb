using System.Text.Json;
using System.Text.Json.Serialization;
using Rsmi.Models.Ising.Exact;

namespace Rsmi.Study;

/// <summary>
/// The configuration of a whole rsmi study (<c>rsmi run</c>): Ising filters (paper Fig. 2), an RG flow with
/// T_c and ν (Fig. 5) and dimer filters with noise (Fig. 4). JSON with snake_case keys; unknown keys and
/// out-of-range values are rejected with the key's path. See docs/run-config.md and
/// docs/run-config.schema.json. Every field has a default: the embedded default study.
/// </summary>
public sealed class RunConfig
{
    /// <summary>A label for the study, shown in the report.</summary>
    [JsonPropertyName("name")] public string Name { get; set; } = "default";
    /// <summary>Master seed; every stage derives its own stream from it and its name.</summary>
    [JsonPropertyName("seed")] public long Seed { get; set; } = 2018;
    /// <summary>Learning Ising filters at one temperature (Fig. 2a, 2b).</summary>
    [JsonPropertyName("ising_filters")] public IsingFiltersConfig IsingFilters { get; set; } = new();
    /// <summary>Iterated coarse-graining over several temperatures (Fig. 5).</summary>
    [JsonPropertyName("flow")] public FlowConfig Flow { get; set; } = new();
    /// <summary>Dimer filters with noise spins (Fig. 4).</summary>
    [JsonPropertyName(Rsmi.Models.ModelCatalog.DimerName)] public DimerConfig Dimer { get; set; } = new();
    /// <summary>RG flows of the q-state Potts model (absent from the default study: null).</summary>
    [JsonPropertyName("potts")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PottsConfig? Potts { get; set; }
    /// <summary>What to write besides the report.</summary>
    [JsonPropertyName("output")] public OutputConfig Output { get; set; } = new();
    /// <summary>A mutual-information scan (docs/scan.md); absent from the default study.</summary>
    [JsonPropertyName("scan")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ScanConfig? Scan { get; set; }

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
    };

    /// <summary>Checks every value; throws <see cref="RsmiInputException"/> naming the key's path.</summary>
    public void Validate(string? baseDirectory = null)
    {
        Check(Name.Length > 0, "name", "must not be empty");
        IsingFilters.Validate("ising_filters", baseDirectory);
        Flow.Validate("flow", baseDirectory);
        Dimer.Validate(Rsmi.Models.ModelCatalog.DimerName, baseDirectory);
        Potts?.Validate("potts");
        Output.Validate("output");
        Scan?.Validate("scan", baseDirectory);
        Check(IsingFilters.Enabled || Flow.Enabled || Dimer.Enabled || Potts is { Enabled: true } || Scan is { Enabled: true }, "ising_filters.enabled",
            "at least one of ising_filters, flow, dimer, potts and scan must be enabled");
    }

    /// <summary>
    /// Refuses a sampling key set away from its default together with <paramref name="inputsPath"/>: the files fix the
    /// lattice, the number of configurations and how they were drawn, so such a value would be dropped silently.
    /// (A value equal to the default cannot be told from an absent key; it changes nothing either way.)
    /// </summary>
    internal static void CheckUnused<T>(T value, T defaultValue, string path, string inputsPath, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(value, defaultValue))
            throw new RsmiInputException($"config key '{path}' applies only without {inputsPath}: the files give the {what}; remove one of the two.");
    }

    internal static void Check(bool ok, string path, string problem)
    {
        if (!ok) throw new RsmiInputException($"config key '{path}' {problem}.");
    }

    internal static void CheckFile(string? file, string path, string? baseDirectory)
    {
        if (file is null) return;
        string full = Resolve(file, baseDirectory);
        if (!File.Exists(full)) throw new RsmiInputException($"config key '{path}' names the file '{file}', which does not exist.");
    }

    /// <summary>A path from the config, relative to the config file's directory.</summary>
    public static string Resolve(string file, string? baseDirectory) =>
        Path.IsPathRooted(file) || baseDirectory is null ? file : Path.GetFullPath(Path.Combine(baseDirectory, file));

    /// <summary>Parses and validates a config from JSON text. <paramref name="source"/> names it in messages.</summary>
    public static RunConfig Parse(string json, string source, string? baseDirectory = null)
    {
        RunConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<RunConfig>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new RsmiInputException($"{source}: {Describe(e)}");
        }
        if (config is null) throw new RsmiInputException($"{source}: the config is empty (expected a JSON object).");
        config.Validate(baseDirectory);
        return config;
    }

    /// <summary>Reads, parses and validates a config file.</summary>
    public static RunConfig Load(string path)
    {
        if (!File.Exists(path)) throw new RsmiInputException($"config file '{path}' does not exist.");
        return Parse(File.ReadAllText(path), $"config file '{path}'", Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>The JSON schema of the config file (draft 2020-12 vocabulary, from the C# types; no extra keys anywhere).</summary>
    public static string JsonSchema()
    {
        var exporter = new System.Text.Json.Schema.JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) =>
            {
                if (node is System.Text.Json.Nodes.JsonObject o && context.TypeInfo.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object
                    && context.PropertyInfo is null && context.TypeInfo.Type != typeof(JsonElement))
                    o["additionalProperties"] = false;
                return node;
            },
        };
        var schema = System.Text.Json.Schema.JsonSchemaExporter.GetJsonSchemaAsNode(JsonOptions, typeof(RunConfig), exporter);
        schema.AsObject().Insert(0, "$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.AsObject().Insert(1, "title", "rsmi study configuration (rsmi run --config)");
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>The config as indented JSON (the resolved config written into the run directory).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    private static string Describe(JsonException e)
    {
        string path = (e.Path ?? "$").TrimStart('$').TrimStart('.');
        string msg = e.Message;
        // "The JSON property 'foo' could not be mapped to any .NET member contained in type ..."
        int q = msg.IndexOf("property '", StringComparison.Ordinal);
        if (msg.Contains("could not be mapped", StringComparison.Ordinal) && q >= 0)
        {
            int start = q + "property '".Length, end = msg.IndexOf('\'', start);
            string key = msg[start..end];
            string full = path.Length == 0 ? key : path.EndsWith(key, StringComparison.Ordinal) ? path : $"{path}.{key}";
            return $"unknown config key '{full}'.";
        }
        return $"config key '{(path.Length == 0 ? "(root)" : path)}' has an invalid value or the JSON is malformed (line {e.LineNumber + 1}).";
    }
}

/// <summary>Settings of a filter learner (RSMI estimator): its name and its own options, exactly as
/// <c>rsmi learn</c> takes them (e.g. <c>{"name": "infonce", "options": {"infonce-steps": 400}}</c>).</summary>
public sealed class EstimatorConfig
{
    /// <summary><c>infonce</c> (RSMI-NE variational bound), <c>rbm</c> (the paper's CD-trained RBMs) or <c>kl-rbm</c>.</summary>
    [JsonPropertyName("name")] public string Name { get; set; } = "infonce";
    /// <summary>Options passed to <c>rsmi learn</c> (names without the leading dashes; numbers, strings or booleans).</summary>
    [JsonPropertyName("options")] public SortedDictionary<string, JsonElement> Options { get; set; } = new(StringComparer.Ordinal);

    internal void Validate(string path)
    {
        var names = Rsmi.Learning.LearnerCatalog.All.Select(l => $"\"{l.Name}\"").ToArray();
        RunConfig.Check(Rsmi.Learning.LearnerCatalog.Find(Name) is not null, $"{path}.name", $"must be {string.Join(", ", names[..^1])} or {names[^1]}, got \"{Name}\"");
        foreach (var (key, value) in Options)
            RunConfig.Check(value.ValueKind is JsonValueKind.Number or JsonValueKind.String or JsonValueKind.True or JsonValueKind.False,
                $"{path}.options.{key}", "must be a number, a string or a boolean");
    }

    /// <summary>The options as command-line arguments (<c>--key value</c>; booleans as a bare flag when true).</summary>
    public IEnumerable<string> ToArguments()
    {
        foreach (var (key, value) in Options)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.True: yield return "--" + key; break;
                case JsonValueKind.False: break;
                case JsonValueKind.String: yield return "--" + key; yield return value.GetString()!; break;
                default: yield return "--" + key; yield return value.GetRawText(); break;
            }
        }
    }
}

/// <summary>Ising filters at one temperature (paper Fig. 2).</summary>
public sealed class IsingFiltersConfig
{
    /// <summary>Whether the stage runs.</summary>
    [JsonPropertyName("enabled")] public bool Enabled { get; set; } = true;
    /// <summary>Sample file to learn from instead of sampling (relative to the config file).</summary>
    [JsonPropertyName("input")] public string? Input { get; set; }
    /// <summary>Linear lattice size L (even, ≥ 8).</summary>
    [JsonPropertyName("size")] public int Size { get; set; } = 64;
    /// <summary>Temperature; null means the exact T_c.</summary>
    [JsonPropertyName("temperature")] public double? Temperature { get; set; }
    /// <summary>Number of configurations.</summary>
    [JsonPropertyName("samples")] public int Samples { get; set; } = 2000;
    /// <summary>Sampling algorithm (as in <c>rsmi sample --algorithm</c>).</summary>
    [JsonPropertyName("algorithm")] public string Algorithm { get; set; } = "wolff";
    /// <summary>Block side b.</summary>
    [JsonPropertyName("block")] public int Block { get; set; } = 2;
    /// <summary>Buffer thickness L_B.</summary>
    [JsonPropertyName("buffer")] public int Buffer { get; set; } = 0;
    /// <summary>Environment thickness L_E.</summary>
    [JsonPropertyName("environment")] public int Environment { get; set; } = 2;
    /// <summary>Numbers of hidden units to learn, one filters file each (Fig. 2a: 1, Fig. 2b: 4).</summary>
    [JsonPropertyName("hidden")] public int[] Hidden { get; set; } = [1, 4];
    /// <summary>The learner (default: InfoNCE with its default settings, as <c>rsmi learn</c>).</summary>
    [JsonPropertyName("estimator")] public EstimatorConfig Estimator { get; set; } = new();

    internal void Validate(string path, string? baseDirectory)
    {
        if (!Enabled) return;
        RunConfig.CheckFile(Input, $"{path}.input", baseDirectory);
        RunConfig.Check(Size >= 4, $"{path}.size", $"must be at least 4, got {Size}");
        RunConfig.Check(Temperature is null || (Temperature > 0 && double.IsFinite(Temperature.Value)), $"{path}.temperature", $"must be a positive number, got {Temperature}");
        RunConfig.Check(Samples >= 1, $"{path}.samples", $"must be at least 1, got {Samples}");
        RunConfig.Check(Block >= 1, $"{path}.block", $"must be at least 1, got {Block}");
        RunConfig.Check(Size % Block == 0, $"{path}.block", $"({Block}) must divide the lattice size {Size}");
        RunConfig.Check(Buffer >= 0, $"{path}.buffer", $"must be ≥ 0, got {Buffer}");
        RunConfig.Check(Environment >= 1, $"{path}.environment", $"must be ≥ 1, got {Environment}");
        RunConfig.Check(Block + 2 * (Buffer + Environment) <= Size, $"{path}.environment", $"makes the window ({Block + 2 * (Buffer + Environment)} sites) larger than the lattice ({Size})");
        RunConfig.Check(Hidden.Length >= 1, $"{path}.hidden", "must list at least one number of hidden units");
        for (int i = 0; i < Hidden.Length; i++)
            RunConfig.Check(Hidden[i] >= 1 && Hidden[i] <= Block * Block, $"{path}.hidden[{i}]", $"must be between 1 and {Block * Block}, got {Hidden[i]}");
        Estimator.Validate($"{path}.estimator");
    }
}

/// <summary>Iterated coarse-graining (paper Fig. 5).</summary>
public sealed class FlowConfig
{
    /// <summary>Whether the stage runs.</summary>
    [JsonPropertyName("enabled")] public bool Enabled { get; set; } = true;
    /// <summary>The model of the flow (<c>rsmi flow --model</c>): ising2d (null, the default) or ising3d; the q-state
    /// Potts model has a section of its own.</summary>
    [JsonPropertyName("model")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Model { get; set; }
    /// <summary>Sample files, one per starting temperature, to use instead of sampling (temperature from the file).</summary>
    [JsonPropertyName("inputs")] public string[]? Inputs { get; set; }
    /// <summary>Linear lattice size L (divisible by block^steps).</summary>
    [JsonPropertyName("size")] public int Size { get; set; } = 32;
    /// <summary>Starting temperatures (ignored when inputs are given); null = 7 temperatures from 0.9 T_c to 1.1 T_c.</summary>
    [JsonPropertyName("temperatures")] public double[]? Temperatures { get; set; }
    /// <summary>Configurations per temperature.</summary>
    [JsonPropertyName("samples")] public int Samples { get; set; } = 800;
    /// <summary>RG steps K.</summary>
    [JsonPropertyName("steps")] public int Steps { get; set; } = 2;
    /// <summary>Block side b.</summary>
    [JsonPropertyName("block")] public int Block { get; set; } = 2;
    /// <summary>Sampling algorithm.</summary>
    [JsonPropertyName("algorithm")] public string Algorithm { get; set; } = "wolff";
    /// <summary>Rule: a learner name (infonce, rbm) or a fixed rule (majority, decimation).</summary>
    [JsonPropertyName("rule")] public string Rule { get; set; } = "infonce";
    /// <summary>Buffer thickness L_B of the learning windows (<c>rsmi flow --buffer</c>; learned rules only).</summary>
    [JsonPropertyName("buffer")] public int Buffer { get; set; } = DefaultBuffer;
    /// <summary>Environment thickness L_E of the learning windows (<c>rsmi flow --environment</c>; learned rules only).</summary>
    [JsonPropertyName("environment")] public int Environment { get; set; } = DefaultEnvironment;
    /// <summary>
    /// The learner's options when the rule is learned (<c>name</c> must then equal <c>rule</c>); null means the flow's
    /// own defaults. Options not given keep the flow's defaults (<see cref="Rsmi.Learning.LearnerUse.FlowRule"/> in the
    /// learner catalog), not those of <c>rsmi learn</c>.
    /// </summary>
    [JsonPropertyName("estimator")] public EstimatorConfig? Estimator { get; set; }
    /// <summary>Also draw lattices of side L/b at every temperature for two-lattice matching (<c>rsmi flow --two-lattice</c>; not with inputs).</summary>
    [JsonPropertyName("two_lattice")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool TwoLattice { get; set; }
    /// <summary>Rules also applied to the same samples for the per-rule table (<c>rsmi flow --compare</c>): majority, decimation, infonce, rbm.</summary>
    [JsonPropertyName("compare")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? Compare { get; set; }
    /// <summary>Configurations per temperature of the Monte Carlo thermometer's calibration (<c>rsmi flow --calibration-samples</c>),
    /// for the models read by one (ising3d; the 2D Ising flow reads exact thermometers); null = the thermometer's default. On
    /// cubic lattices larger than 16³ the calibration draws N·(16/L)³ of them, at least 40 (<c>Ising3DThermometer.SamplesOn</c>).</summary>
    [JsonPropertyName("calibration_samples")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? CalibrationSamples { get; set; }
    /// <summary>The starting temperature at which MCRG runs (<c>rsmi flow --mcrg-temperature</c>; one of
    /// <see cref="Temperatures"/>); null = the one nearest the flow's T_c estimate.</summary>
    [JsonPropertyName("mcrg_temperature")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? McrgTemperature { get; set; }
    /// <summary>Configurations drawn at <see cref="McrgTemperature"/> instead of <see cref="Samples"/> (<c>rsmi flow
    /// --mcrg-samples</c>; needs <see cref="McrgTemperature"/>, not with inputs); null = <see cref="Samples"/>.</summary>
    [JsonPropertyName("mcrg_samples")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? McrgSamples { get; set; }
    /// <summary>Side M of an MCRG lattice of its own (<c>rsmi flow --mcrg-size</c>): <see cref="Size"/> times a power of
    /// <see cref="Block"/>, drawn at <see cref="McrgTemperature"/> (<see cref="McrgSamples"/> configurations) in parts and
    /// blocked down to the flow's last lattice, for more MCRG levels than the flow's lattice has; null = MCRG reads the
    /// flow's lattice.</summary>
    [JsonPropertyName("mcrg_size")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? McrgSize { get; set; }

    /// <summary>The default buffer, as <c>rsmi flow</c>'s.</summary>
    public const int DefaultBuffer = 1;
    /// <summary>The default environment, as <c>rsmi flow</c>'s.</summary>
    public const int DefaultEnvironment = 1;

    /// <summary>Whether the rule is learned at every step (infonce, rbm) rather than fixed.</summary>
    [JsonIgnore] public bool Learned => !Rsmi.Renormalization.RuleEstimators.IsFixed(Rule) && Rsmi.Learning.LearnerCatalog.Find(Rule) is { LearnsFlowRules: true };

    /// <summary>The models the flow section takes: those of the RG flow whose samples need no parameter besides size and temperature.</summary>
    internal static IReadOnlyList<string> Models { get; } = [Rsmi.Models.ModelCatalog.Ising2D.Name, Rsmi.Models.ModelCatalog.Ising3D.Name];

    /// <summary>The flow's model name (<see cref="Model"/>, ising2d when not given).</summary>
    [JsonIgnore] public string ModelName => Model ?? Rsmi.Models.ModelCatalog.Ising2D.Name;

    /// <summary>Whether the flow is of the 3D Ising model.</summary>
    [JsonIgnore] public bool Cubic => ModelName == Rsmi.Models.ModelCatalog.Ising3D.Name;

    /// <summary>The model's exact T_c.</summary>
    [JsonIgnore] public double CriticalTemperature => Cubic ? Rsmi.Models.Ising.Exact.Ising3D.CriticalTemperature : Rsmi.Models.Ising.Exact.Ising2D.CriticalTemperature;

    /// <summary>The temperatures to run: null = 7 from 0.9 T_c to 1.1 T_c of the model.</summary>
    public double[] ResolvedTemperatures() => Temperatures ??
        Enumerable.Range(0, 7).Select(i => Math.Round(CriticalTemperature * (0.9 + 0.2 * i / 6.0), 6)).ToArray();

    internal void Validate(string path, string? baseDirectory)
    {
        if (!Enabled) return;
        RunConfig.Check(Models.Contains(ModelName), $"{path}.model", $"must be one of {string.Join(", ", Models)}; got \"{Model}\"");
        if (Inputs is not null)
        {
            RunConfig.Check(Inputs.Length >= 2, $"{path}.inputs", "must list at least two sample files");
            for (int i = 0; i < Inputs.Length; i++) RunConfig.CheckFile(Inputs[i], $"{path}.inputs[{i}]", baseDirectory);
            RunConfig.Check(Temperatures is null, $"{path}.temperatures", $"applies only without {path}.inputs (the flow then reads the files' own temperatures)");
            RunConfig.CheckUnused(Size, new FlowConfig().Size, $"{path}.size", $"{path}.inputs", "lattice size");
            RunConfig.CheckUnused(Samples, new FlowConfig().Samples, $"{path}.samples", $"{path}.inputs", "configurations");
            RunConfig.CheckUnused(Algorithm, new FlowConfig().Algorithm, $"{path}.algorithm", $"{path}.inputs", "sampler");
        }
        RunConfig.Check(Size >= 4, $"{path}.size", $"must be at least 4, got {Size}");
        RunConfig.Check(Block >= 2, $"{path}.block", $"must be at least 2, got {Block}");
        RunConfig.Check(Steps >= 1, $"{path}.steps", $"must be at least 1, got {Steps}");
        long div = (long)Math.Pow(Block, Steps);
        RunConfig.Check(Size % div == 0 && Size / div >= 2, $"{path}.block", $"{Block} to the power steps = {Steps} must divide the lattice size {Size} and leave at least 2 sites");
        if (Temperatures is not null)
        {
            RunConfig.Check(Temperatures.Length >= 2, $"{path}.temperatures", "must list at least two temperatures");
            for (int i = 0; i < Temperatures.Length; i++)
                RunConfig.Check(Temperatures[i] > 0 && double.IsFinite(Temperatures[i]), $"{path}.temperatures[{i}]", $"must be a positive number, got {Temperatures[i]}");
        }
        RunConfig.Check(Samples >= 10, $"{path}.samples", $"must be at least 10, got {Samples}");
        var rules = Rsmi.Learning.LearnerCatalog.All.Where(l => l.LearnsFlowRules).Select(l => l.Name).Concat(Rsmi.Renormalization.RuleEstimators.FixedRules.Keys);
        RunConfig.Check(Learned || Rsmi.Renormalization.RuleEstimators.IsFixed(Rule), $"{path}.rule", $"must be one of {string.Join(", ", rules)}; got \"{Rule}\"");
        RunConfig.Check(Buffer >= 0, $"{path}.buffer", $"must be ≥ 0, got {Buffer}");
        RunConfig.Check(Environment >= 1, $"{path}.environment", $"must be ≥ 1, got {Environment}");
        RunConfig.Check(!TwoLattice || Inputs is null, $"{path}.two_lattice", "draws its own lattices of side L/b and cannot be used with flow.inputs");
        RunConfig.Check(CalibrationSamples is null || Cubic, $"{path}.calibration_samples", $"applies only to the models read by a Monte Carlo thermometer ({Rsmi.Models.ModelCatalog.Ising3D.Name}); the {ModelName} flow reads exact thermometers");
        RunConfig.Check(CalibrationSamples is null or >= 20, $"{path}.calibration_samples", $"must be at least 20, got {CalibrationSamples}");
        if (McrgTemperature is double mt)
        {
            RunConfig.Check(Inputs is not null || Rsmi.Renormalization.FlowOptions.IndexOfTemperature(ResolvedTemperatures(), mt) >= 0, $"{path}.mcrg_temperature",
                $"must be one of the starting temperatures ({string.Join(", ", ResolvedTemperatures().Select(t => t.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}), got {mt.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
        }
        RunConfig.Check(McrgSamples is null || McrgTemperature is not null, $"{path}.mcrg_samples",
            $"needs {path}.mcrg_temperature: the samples are drawn before the flow estimates T_c, so the temperature that gets more of them must be named");
        RunConfig.Check(McrgSamples is null || Inputs is null, $"{path}.mcrg_samples", $"sets how many configurations are drawn and cannot be used with {path}.inputs");
        RunConfig.Check(McrgSamples is null or >= 10, $"{path}.mcrg_samples", $"must be at least 10, got {McrgSamples}");
        if (McrgSize is int m)
        {
            RunConfig.Check(McrgTemperature is not null, $"{path}.mcrg_size", $"needs {path}.mcrg_temperature: the MCRG lattice is drawn at one named temperature");
            RunConfig.Check(Inputs is null, $"{path}.mcrg_size", $"draws a lattice of its own and cannot be used with {path}.inputs");
            RunConfig.Check(Compare is null, $"{path}.mcrg_size", $"cannot be used with {path}.compare: the MCRG lattice is blocked by the flow's rule and the majority rule only");
            long side = Size;
            while (Block >= 2 && side < m) side *= Block;
            RunConfig.Check(m > Size && side == m, $"{path}.mcrg_size", $"must be {path}.size ({Size}) times a power of {path}.block ({Block}), e.g. {Size * Block}; got {m}");
        }
        if (Compare is not null)
        {
            for (int i = 0; i < Compare.Length; i++)
                RunConfig.Check(Rsmi.Renormalization.RuleEstimators.All.ContainsKey(Compare[i]), $"{path}.compare[{i}]", $"must be one of {string.Join(", ", Rsmi.Renormalization.RuleEstimators.All.Keys)}; got \"{Compare[i]}\"");
            RunConfig.Check(Compare.Distinct().Count() == Compare.Length, $"{path}.compare", "must name each rule once");
            if (Compare.Any(c => !Rsmi.Renormalization.RuleEstimators.IsFixed(c)))
            {
                int last = Size / (int)Math.Pow(Block, Steps - 1), extent = Block + 2 * (Buffer + Environment);
                RunConfig.Check(extent <= last, $"{path}.compare", $"holds a learned rule whose learning window ({extent} sites) is larger than the {last}x{last} lattice of the last step");
            }
        }
        if (Learned)
        {
            int last = Size / (int)Math.Pow(Block, Steps - 1), extent = Block + 2 * (Buffer + Environment);
            RunConfig.Check(extent <= last, $"{path}.environment", $"makes the learning window ({extent} sites) larger than the {last}x{last} lattice of the last step");
            if (Estimator is not null)
            {
                Estimator.Validate($"{path}.estimator");
                RunConfig.Check(Estimator.Name == Rule, $"{path}.estimator.name", $"must be the learner of flow.rule (\"{Rule}\"), got \"{Estimator.Name}\"");
            }
        }
        else
        {
            // A fixed rule learns nothing: settings of a learner would be dropped, so they are refused.
            RunConfig.Check(Estimator is null, $"{path}.estimator", $"applies to a learned rule only; flow.rule \"{Rule}\" is fixed");
            RunConfig.Check(Buffer == DefaultBuffer, $"{path}.buffer", $"applies to a learned rule only; flow.rule \"{Rule}\" is fixed");
            RunConfig.Check(Environment == DefaultEnvironment, $"{path}.environment", $"applies to a learned rule only; flow.rule \"{Rule}\" is fixed");
        }
    }
}

/// <summary>
/// RG flows of the q-state Potts model (docs/run-config.md, "potts"): one flow per q, from lattices drawn at
/// temperatures given as multiples of the exact T_c(q), with a learned rule and the plurality rule on the same
/// samples, temperatures read by the Monte Carlo thermometer and ν, y_h by MCRG with the Potts operators.
/// </summary>
public sealed class PottsConfig
{
    /// <summary>Whether the stages run.</summary>
    [JsonPropertyName("enabled")] public bool Enabled { get; set; } = true;
    /// <summary>Numbers of states, one flow each (2 to 4: the transition is continuous).</summary>
    [JsonPropertyName("q")] public int[] Q { get; set; } = [3];
    /// <summary>Linear lattice size L (divisible by block^steps).</summary>
    [JsonPropertyName("size")] public int Size { get; set; } = 64;
    /// <summary>Starting temperatures as multiples of the exact T_c(q); null = 7 from 0.9 to 1.1.</summary>
    [JsonPropertyName("temperatures_tc")] public double[]? TemperaturesTc { get; set; }
    /// <summary>Configurations per temperature (4000: the MCRG levels' ν then has errors of about 0.01 for q = 3; the
    /// learning, whose cost does not grow with them, dominates the flow's time).</summary>
    [JsonPropertyName("samples")] public int Samples { get; set; } = 4000;
    /// <summary>RG steps K.</summary>
    [JsonPropertyName("steps")] public int Steps { get; set; } = 3;
    /// <summary>Block side b.</summary>
    [JsonPropertyName("block")] public int Block { get; set; } = 2;
    /// <summary>Sampling algorithm (as in <c>rsmi sample potts2d --algorithm</c>).</summary>
    [JsonPropertyName("algorithm")] public string Algorithm { get; set; } = "wolff";
    /// <summary>Rule: a learner (infonce) or a fixed rule (majority, the plurality rule on labels; decimation); the plurality rule is always applied to the same samples too.</summary>
    [JsonPropertyName("rule")] public string Rule { get; set; } = "infonce";
    /// <summary>Buffer thickness L_B of the learning windows (learned rules only).</summary>
    [JsonPropertyName("buffer")] public int Buffer { get; set; } = FlowConfig.DefaultBuffer;
    /// <summary>Environment thickness L_E of the learning windows (learned rules only).</summary>
    [JsonPropertyName("environment")] public int Environment { get; set; } = FlowConfig.DefaultEnvironment;
    /// <summary>The learner's options when the rule is learned (null: the flow's defaults).</summary>
    [JsonPropertyName("estimator")] public EstimatorConfig? Estimator { get; set; }
    /// <summary>Configurations per temperature of the thermometer's calibration.</summary>
    [JsonPropertyName("calibration_samples")] public int CalibrationSamples { get; set; } = Rsmi.Models.Potts.PottsThermometer.DefaultSamples;

    /// <summary>Whether the rule is learned at every step.</summary>
    [JsonIgnore] public bool Learned => !Rsmi.Renormalization.RuleEstimators.IsFixed(Rule) && Rsmi.Learning.LearnerCatalog.Find(Rule) is { LearnsFlowRules: true };

    /// <summary>The starting temperatures as multiples of T_c.</summary>
    public double[] ResolvedRatios() => TemperaturesTc ?? Enumerable.Range(0, 7).Select(i => Math.Round(0.9 + 0.2 * i / 6.0, 6)).ToArray();

    internal void Validate(string path)
    {
        if (!Enabled) return;
        RunConfig.Check(Q.Length >= 1, $"{path}.q", "must list at least one number of states");
        for (int i = 0; i < Q.Length; i++)
            RunConfig.Check(Q[i] is >= 2 and <= 4, $"{path}.q[{i}]", $"must be 2, 3 or 4 (a continuous transition), got {Q[i]}");
        RunConfig.Check(Q.Distinct().Count() == Q.Length, $"{path}.q", "must name each number of states once");
        RunConfig.Check(Size >= 4, $"{path}.size", $"must be at least 4, got {Size}");
        RunConfig.Check(Block >= 2, $"{path}.block", $"must be at least 2, got {Block}");
        RunConfig.Check(Steps >= 1, $"{path}.steps", $"must be at least 1, got {Steps}");
        long div = (long)Math.Pow(Block, Steps);
        RunConfig.Check(Size % div == 0 && Size / div >= 2, $"{path}.block", $"{Block} to the power steps = {Steps} must divide the lattice size {Size} and leave at least 2 sites");
        if (TemperaturesTc is not null)
        {
            RunConfig.Check(TemperaturesTc.Length >= 2, $"{path}.temperatures_tc", "must list at least two temperatures");
            for (int i = 0; i < TemperaturesTc.Length; i++)
                RunConfig.Check(TemperaturesTc[i] > 0 && double.IsFinite(TemperaturesTc[i]), $"{path}.temperatures_tc[{i}]", $"must be a positive number, got {TemperaturesTc[i]}");
            RunConfig.Check(TemperaturesTc.Distinct().Count() == TemperaturesTc.Length, $"{path}.temperatures_tc", "must give distinct temperatures");
        }
        RunConfig.Check(Samples >= 20, $"{path}.samples", $"must be at least 20, got {Samples}");
        RunConfig.Check(CalibrationSamples >= 20, $"{path}.calibration_samples", $"must be at least 20, got {CalibrationSamples}");
        var rules = Rsmi.Learning.LearnerCatalog.All.Where(l => l.LearnsFlowRules).Select(l => l.Name).Concat(Rsmi.Renormalization.RuleEstimators.FixedRules.Keys);
        RunConfig.Check(Learned || Rsmi.Renormalization.RuleEstimators.IsFixed(Rule), $"{path}.rule", $"must be one of {string.Join(", ", rules)}; got \"{Rule}\"");
        RunConfig.Check(Buffer >= 0, $"{path}.buffer", $"must be ≥ 0, got {Buffer}");
        RunConfig.Check(Environment >= 1, $"{path}.environment", $"must be ≥ 1, got {Environment}");
        if (Learned)
        {
            int last = Size / (int)Math.Pow(Block, Steps - 1), extent = Block + 2 * (Buffer + Environment);
            RunConfig.Check(extent <= last, $"{path}.environment", $"makes the learning window ({extent} sites) larger than the {last}x{last} lattice of the last step");
            if (Estimator is not null)
            {
                Estimator.Validate($"{path}.estimator");
                RunConfig.Check(Estimator.Name == Rule, $"{path}.estimator.name", $"must be the learner of {path}.rule (\"{Rule}\"), got \"{Estimator.Name}\"");
            }
        }
        else
        {
            RunConfig.Check(Estimator is null, $"{path}.estimator", $"applies to a learned rule only; {path}.rule \"{Rule}\" is fixed");
            RunConfig.Check(Buffer == FlowConfig.DefaultBuffer, $"{path}.buffer", $"applies to a learned rule only; {path}.rule \"{Rule}\" is fixed");
            RunConfig.Check(Environment == FlowConfig.DefaultEnvironment, $"{path}.environment", $"applies to a learned rule only; {path}.rule \"{Rule}\" is fixed");
        }
    }
}

/// <summary>Dimer filters with noise spins (paper Fig. 4).</summary>
public sealed class DimerConfig
{
    /// <summary>Whether the stage runs.</summary>
    [JsonPropertyName("enabled")] public bool Enabled { get; set; } = true;
    /// <summary>Sample file (2L×2L dimer images) to use instead of sampling.</summary>
    [JsonPropertyName("input")] public string? Input { get; set; }
    /// <summary>Dimer lattice size L (even); the image is 2L×2L.</summary>
    [JsonPropertyName("size")] public int Size { get; set; } = 32;
    /// <summary>Number of configurations. 10,000 by default: with the learner's defaults the filters then lie on the
    /// bond pixels (noise weights below 4% of the bond weights) for seeds 1–5 at buffer 2 and 4, N_h = 2 and 4 (and within
    /// 21% of span(E_x, E_y) except at buffer 2 with N_h = 4, where the optimum leaves the span), while from 1,000 a quarter
    /// of those runs kept a filter with noise weights above 5% of its bond weights (buffer 4, N_h = 4); see
    /// InfoNceAutoSettings, "How many configurations". Sampling them takes about a second and 41 MB of disk; the
    /// learner's cost does not grow with them (it draws a fixed number of windows).</summary>
    [JsonPropertyName("samples")] public int Samples { get; set; } = 10_000;
    /// <summary>Coupling K of the vertex–face noise pairs (≥ 0; large = strongly coupled).</summary>
    [JsonPropertyName("noise_coupling")] public double NoiseCoupling { get; set; } = 2.0;
    /// <summary>Side of the visible window in image pixels (the paper: 8).</summary>
    [JsonPropertyName("window")] public int Window { get; set; } = 8;
    /// <summary>Buffer thickness (image pixels).</summary>
    [JsonPropertyName("buffer")] public int Buffer { get; set; } = 2;
    /// <summary>Environment thickness (image pixels).</summary>
    [JsonPropertyName("environment")] public int Environment { get; set; } = 4;
    /// <summary>Numbers of hidden units to learn (Fig. 4a: 2, Fig. 4b: 4).</summary>
    [JsonPropertyName("hidden")] public int[] Hidden { get; set; } = [2];
    /// <summary>The learner (default: InfoNCE with the settings its pilot chooses from the data: for dimers with noise, a
    /// warm-up critic, longer training and an L2 penalty on the filters scaled to the signal).</summary>
    [JsonPropertyName("estimator")] public EstimatorConfig Estimator { get; set; } = new();

    internal void Validate(string path, string? baseDirectory)
    {
        if (!Enabled) return;
        RunConfig.CheckFile(Input, $"{path}.input", baseDirectory);
        RunConfig.Check(Size >= 4 && Size % 2 == 0, $"{path}.size", $"must be an even number ≥ 4, got {Size}");
        RunConfig.Check(Samples >= 1, $"{path}.samples", $"must be at least 1, got {Samples}");
        RunConfig.Check(NoiseCoupling >= 0, $"{path}.noise_coupling", $"must be ≥ 0, got {NoiseCoupling}");
        RunConfig.Check(Window >= 2 && Window % 2 == 0, $"{path}.window", $"must be an even number ≥ 2, got {Window}");
        RunConfig.Check((2 * Size) % Window == 0, $"{path}.window", $"({Window}) must divide the image size {2 * Size}");
        RunConfig.Check(Buffer >= 0, $"{path}.buffer", $"must be ≥ 0, got {Buffer}");
        RunConfig.Check(Environment >= 1, $"{path}.environment", $"must be ≥ 1, got {Environment}");
        RunConfig.Check(Window + 2 * (Buffer + Environment) <= 2 * Size, $"{path}.environment", $"makes the window ({Window + 2 * (Buffer + Environment)} pixels) larger than the image ({2 * Size})");
        RunConfig.Check(Hidden.Length >= 1, $"{path}.hidden", "must list at least one number of hidden units");
        for (int i = 0; i < Hidden.Length; i++)
            RunConfig.Check(Hidden[i] >= 1 && Hidden[i] <= 16, $"{path}.hidden[{i}]", $"must be between 1 and 16, got {Hidden[i]}");
        Estimator.Validate($"{path}.estimator");
    }
}

/// <summary>
/// A mutual-information scan (docs/scan.md; <c>rsmi scan</c>): 2D Ising samples drawn at several temperatures, or the
/// sample files of <c>inputs</c>, scanned over buffers; the information at every buffer and the correlation length.
/// </summary>
public sealed class ScanConfig
{
    /// <summary>Whether the stage runs.</summary>
    [JsonPropertyName("enabled")] public bool Enabled { get; set; } = true;
    /// <summary>Sample files to scan instead of sampling (relative to the config file).</summary>
    [JsonPropertyName("inputs")] public string[]? Inputs { get; set; }
    /// <summary>Linear size L of the 2D Ising lattices drawn.</summary>
    [JsonPropertyName("size")] public int Size { get; set; } = 64;
    /// <summary>Temperatures of the samples drawn; null = six from 1.05 T_c to 1.3 T_c.</summary>
    [JsonPropertyName("temperatures")] public double[]? Temperatures { get; set; }
    /// <summary>Configurations per temperature.</summary>
    [JsonPropertyName("samples")] public int Samples { get; set; } = 400;
    /// <summary>Sampling algorithm.</summary>
    [JsonPropertyName("algorithm")] public string Algorithm { get; set; } = "wolff";
    /// <summary>Block side b.</summary>
    [JsonPropertyName("block")] public int Block { get; set; } = 2;
    /// <summary>Buffers L_B, increasing.</summary>
    [JsonPropertyName("buffers")] public int[] Buffers { get; set; } = [1, 2, 3, 4, 5, 6];
    /// <summary>Hidden-unit counts N_h.</summary>
    [JsonPropertyName("hidden")] public int[] Hidden { get; set; } = [1];
    /// <summary>Environment thickness L_E.</summary>
    [JsonPropertyName("environment")] public int Environment { get; set; } = Rsmi.Scanning.ScanSettings.DefaultEnvironment;
    /// <summary>Learner runs per point (<c>rsmi scan --ensemble</c>).</summary>
    [JsonPropertyName("ensemble")] public int Ensemble { get; set; } = Rsmi.Learning.Ensembles.FilterEnsembleOptions.DefaultMembers;
    /// <summary>Critics: both, network, regression or linear.</summary>
    [JsonPropertyName("critic")] public string Critic { get; set; } = "both";
    /// <summary>Whether the filter of the previous buffer competes at the next.</summary>
    [JsonPropertyName("carry_filters")] public bool CarryFilters { get; set; } = true;
    /// <summary>Smallest buffer of the correlation-length fit.</summary>
    [JsonPropertyName("fit_from")] public int FitFrom { get; set; } = Rsmi.Scanning.FitWindow.DefaultFrom;
    /// <summary>Significance a point needs to enter the fit.</summary>
    [JsonPropertyName("fit_sigmas")] public double FitSigmas { get; set; } = Rsmi.Scanning.FitWindow.DefaultSigmas;
    /// <summary>The metadata attribute that labels each file (null: temperature; <c>1/NAME</c> for a reciprocal).</summary>
    [JsonPropertyName("parameter")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Parameter { get; set; }
    /// <summary>The learner (default: InfoNCE with the settings of <c>rsmi learn</c>).</summary>
    [JsonPropertyName("estimator")] public EstimatorConfig Estimator { get; set; } = new();

    /// <summary>The temperatures to draw.</summary>
    public double[] ResolvedTemperatures() => Temperatures ??
        Enumerable.Range(0, 6).Select(i => Math.Round(Ising2D.CriticalTemperature * (1.05 + 0.05 * i), 6)).ToArray();

    /// <summary>The settings of the scan (checked).</summary>
    public Rsmi.Scanning.ScanSettings Settings(ulong seed) => new()
    {
        Block = Block, Buffers = Buffers, Hidden = Hidden, Environment = Environment, Members = Ensemble,
        Critic = Critic switch { "network" => Rsmi.Scanning.ScanCritic.Network, "regression" => Rsmi.Scanning.ScanCritic.Regression, "linear" => Rsmi.Scanning.ScanCritic.Linear, _ => Rsmi.Scanning.ScanCritic.Both },
        CarryFilters = CarryFilters, Fit = new Rsmi.Scanning.FitWindow(FitFrom, FitSigmas), Parameter = Parameter, Seed = seed,
    };

    internal void Validate(string path, string? baseDirectory)
    {
        if (!Enabled) return;
        if (Inputs is not null)
        {
            RunConfig.Check(Inputs.Length >= 1, $"{path}.inputs", "must list at least one sample file");
            for (int i = 0; i < Inputs.Length; i++) RunConfig.CheckFile(Inputs[i], $"{path}.inputs[{i}]", baseDirectory);
            RunConfig.Check(Temperatures is null, $"{path}.temperatures", "applies only without scan.inputs (the scan then reads the files' own temperatures)");
            RunConfig.CheckUnused(Size, new ScanConfig().Size, $"{path}.size", $"{path}.inputs", "lattice size");
            RunConfig.CheckUnused(Samples, new ScanConfig().Samples, $"{path}.samples", $"{path}.inputs", "configurations");
            RunConfig.CheckUnused(Algorithm, new ScanConfig().Algorithm, $"{path}.algorithm", $"{path}.inputs", "sampler");
        }
        else
        {
            RunConfig.Check(Size >= 4, $"{path}.size", $"must be at least 4, got {Size}");
            RunConfig.Check(Samples >= Rsmi.Learning.Ensembles.FilterEnsemble.MinimumConfigurations, $"{path}.samples",
                $"must be at least {Rsmi.Learning.Ensembles.FilterEnsemble.MinimumConfigurations}, got {Samples}");
            if (Temperatures is not null)
            {
                RunConfig.Check(Temperatures.Length >= 1, $"{path}.temperatures", "must list at least one temperature");
                for (int i = 0; i < Temperatures.Length; i++)
                    RunConfig.Check(Temperatures[i] > 0 && double.IsFinite(Temperatures[i]), $"{path}.temperatures[{i}]", $"must be a positive number, got {Temperatures[i]}");
            }
            RunConfig.Check(Block >= 1 && Size % Block == 0, $"{path}.block", $"({Block}) must be positive and divide the lattice size {Size}");
            if (Buffers.Length > 0)
                RunConfig.Check(Block + 2 * (Buffers.Max() + Environment) <= Size, $"{path}.buffers", $"make the largest window ({Block + 2 * (Buffers.Max() + Environment)} sites) larger than the lattice ({Size})");
        }
        RunConfig.Check(Critic is "both" or "network" or "regression" or "linear", $"{path}.critic", $"must be \"both\", \"network\", \"regression\" or \"linear\", got \"{Critic}\"");
        try { Settings(1).Validate(); }
        catch (RsmiInputException e)
        {
            // the key of the first setting the message names (hidden → scan.hidden, fit-sigmas → scan.fit_sigmas)
            var named = System.Text.RegularExpressions.Regex.Match(e.Template, "\u27E8([^\u27E9]+)\u27E9");
            string key = named.Success ? $"{path}.{named.Groups[1].Value.Replace('-', '_')}" : path;
            throw new RsmiInputException($"config key '{key}': {e.Render(name => name.Replace('-', '_'))}");
        }
        Estimator.Validate($"{path}.estimator");
    }
}

/// <summary>Output choices.</summary>
public sealed class OutputConfig
{
    /// <summary>Keep every sample file in the run directory: the study's later stages and <c>--resume</c> read them, so
    /// only <c>true</c> is accepted (a <c>false</c> is refused rather than ignored).</summary>
    [JsonPropertyName("keep_samples")] public bool KeepSamples { get; set; } = true;
    /// <summary>Sample file format: <c>h5</c> or <c>npy</c>.</summary>
    [JsonPropertyName("sample_format")] public string SampleFormat { get; set; } = "h5";
    /// <summary>Write SVG figures besides PNG.</summary>
    [JsonPropertyName("svg")] public bool Svg { get; set; } = true;

    internal void Validate(string path)
    {
        RunConfig.Check(SampleFormat is "h5" or "npy", $"{path}.sample_format", $"must be \"h5\" or \"npy\", got \"{SampleFormat}\"");
        RunConfig.Check(KeepSamples, $"{path}.keep_samples", "must be true: the study keeps its sample files, which its later stages and --resume read");
    }
}
