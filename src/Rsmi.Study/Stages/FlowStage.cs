using System.Diagnostics;
using Rsmi.Data;
using Rsmi.IO;
using Rsmi.Learning;
using Rsmi.Plots.Flow;
using Rsmi.Progress;
using Rsmi.Regions;
using Rsmi.Renormalization;
using Rsmi.Models;
using Rsmi.Models.Ising;

namespace Rsmi.Study.Stages;

/// <summary>
/// Where the rule of every RG step comes from: a fixed rule (majority, decimation) or a learner of the
/// <see cref="LearnerCatalog"/> with its learning window and its options (the others take the defaults of
/// <see cref="LearnerUse.FlowRule"/>).
/// </summary>
public sealed record RuleSettings
{
    /// <summary>The estimator: a fixed rule's name or a learner's.</summary>
    public required string Name { get; init; }
    /// <summary>Buffer L_B of the learning windows (learned rules only).</summary>
    public int? Buffer { get; init; }
    /// <summary>Environment L_E of the learning windows (learned rules only).</summary>
    public int? Environment { get; init; }
    /// <summary>The learner's options given (key → value text).</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The rule estimator for b × b blocks (<paramref name="block"/>) of <paramref name="model"/> samples: the fixed
    /// rule, or the learner's settings parsed (messages in the words of <c>rsmi flow</c>) and turned into a learned
    /// rule. Throws <see cref="RsmiInputException"/> for an unknown name and for every bad option.
    /// </summary>
    /// <remarks>On samples of q-state labels (<paramref name="states"/>), a learned rule has categorical hidden units of
    /// q states, so that the coarse lattice holds the same Potts model.</remarks>
    public IRuleEstimator Create(int block, string model, Rsmi.States.IStateSpace? states = null)
    {
        if (RuleEstimators.IsFixed(Name) || LearnerCatalog.Find(Name) is not { LearnsFlowRules: true } learner) return RuleEstimators.Create(Name);
        int buffer = Buffer ?? FlowSettings.DefaultBuffer, environment = Environment ?? FlowSettings.DefaultEnvironment;
        // The window of the model's lattice: b × b on square lattices, b × b × b with cubic shells on cubic ones.
        var geometry = WindowGeometry.ForRank(ModelCatalog.Default.Find(model)?.Dimension == 3 ? 3 : 2, block, buffer, environment);
        var context = states is Rsmi.States.PottsLabels labels
            ? new LearnerContext(geometry, model, labels, labels.States)
            : new LearnerContext(geometry, model);
        return RuleEstimators.Learned(learner.Parse(Options, LearnerUse.FlowRule, context, LearnerArguments.Flag), buffer, environment);
    }
}

/// <summary>
/// What a flow stage runs (the settings of <c>rsmi flow</c>; the seed and the directory are the stage's): the
/// starting samples (drawn, or read from files), the steps and blocks, and the rule.
/// </summary>
public sealed record FlowSettings
{
    /// <summary>Default buffer L_B of the flow's learning windows (the flow's setting before it had the option).</summary>
    public const int DefaultBuffer = 1;
    /// <summary>Default environment L_E of the flow's learning windows.</summary>
    public const int DefaultEnvironment = 1;

    /// <summary>The model of the starting samples.</summary>
    public string Model { get; init; } = ModelCatalog.Ising2D.Name;
    /// <summary>
    /// The model's integer parameters besides size and temperature, by name (the Potts model's <c>q</c>): the samples are
    /// drawn with them, must carry them when read from files, and flow.json records them. Empty for the Ising model.
    /// </summary>
    public IReadOnlyDictionary<string, long> ModelParameters { get; init; } = new SortedDictionary<string, long>(StringComparer.Ordinal);
    /// <summary>Starting temperatures (one flow each).</summary>
    public required IReadOnlyList<double> Temperatures { get; init; }
    /// <summary>Sample files, one per temperature in the same order, instead of sampling (empty: sample).</summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];
    /// <summary>Linear size L of the starting lattices drawn.</summary>
    public int Size { get; init; }
    /// <summary>Configurations drawn per temperature.</summary>
    public int Samples { get; init; } = 1000;
    /// <summary>Monte Carlo algorithm of the starting samples.</summary>
    public string Algorithm { get; init; } = "wolff";
    /// <summary>RG steps K.</summary>
    public int Steps { get; init; } = 4;
    /// <summary>Linear block size b.</summary>
    public int Block { get; init; } = 2;
    /// <summary>Configurations per calibration temperature of a Monte Carlo thermometer (null: its default).</summary>
    public int? CalibrationSamples { get; init; }
    /// <summary>Jackknife blocks for the error bars.</summary>
    public int JackknifeBlocks { get; init; } = 20;
    /// <summary>The rule of every step.</summary>
    public required RuleSettings Rule { get; init; }
    /// <summary>
    /// Whether lattices of side L/b are drawn at every temperature too (same samples and algorithm) for two-lattice
    /// matching; not with sample files.
    /// </summary>
    public bool TwoLattice { get; init; }
    /// <summary>
    /// Rules applied to the same starting samples besides the flow's own and the majority rule, for the per-rule
    /// table (fixed rules, or learners with the flow's defaults and the flow rule's window).
    /// </summary>
    public IReadOnlyList<string> Compare { get; init; } = [];
    /// <summary>The starting temperature at which MCRG runs (one of <see cref="Temperatures"/>); null: the one nearest the
    /// flow's T_c estimate (<see cref="FlowOptions.McrgTemperature"/>).</summary>
    public double? McrgTemperature { get; init; }
    /// <summary>Configurations drawn at <see cref="McrgTemperature"/> (and of its L/b lattice) instead of
    /// <see cref="Samples"/>; null: <see cref="Samples"/>. Needs <see cref="McrgTemperature"/> and sampling.</summary>
    public int? McrgSamples { get; init; }
    /// <summary>
    /// Side M of an MCRG lattice of its own (<see cref="McrgLattice"/>; docs/algorithm.md, "An MCRG lattice of its
    /// own"): M = L·b^j, j ≥ 1, drawn at <see cref="McrgTemperature"/> (<see cref="McrgSamples"/> configurations, or
    /// <see cref="Samples"/>) and blocked <see cref="McrgSteps"/> times, down to the flow's last lattice; the flow's own
    /// lattice then has <see cref="Samples"/> configurations at every temperature. Null: MCRG reads the flow's lattice.
    /// </summary>
    public int? McrgSize { get; init; }

    /// <summary>Sites of one part of an MCRG lattice: 2²⁸ (a quarter of a GiB of spins).</summary>
    public const long McrgPartSites = 1L << 28;

    /// <summary>Configurations of the MCRG lattice per part: about <see cref="McrgPartSites"/> sites, at least one.</summary>
    public int McrgPartSize => (int)Math.Clamp(McrgPartSites / (long)Math.Pow(McrgSize ?? Size, ModelOf().Dimension), 1, Math.Max(1, McrgSamples ?? Samples));

    /// <summary>The steps that block the MCRG lattice of side <see cref="McrgSize"/> down to the flow's last lattice,
    /// L/b^K: K + log_b(M/L); K without one.</summary>
    public int McrgSteps
    {
        get
        {
            int steps = Steps;
            for (long m = McrgSize ?? Size; m > Size; m /= Block) steps++;
            return steps;
        }
    }

    /// <summary>The configurations drawn at temperature <paramref name="index"/>: <see cref="McrgSamples"/> at
    /// <see cref="McrgTemperature"/> (unless they make an MCRG lattice of its own), <see cref="Samples"/> elsewhere.</summary>
    public int SamplesAt(int index) =>
        McrgSize is null && McrgSamples is int n && McrgTemperature is double t && FlowOptions.IndexOfTemperature(Temperatures, t) == index ? n : Samples;

    /// <summary>
    /// Throws <see cref="RsmiInputException"/> when the MCRG settings do not fit the rest: the MCRG temperature must be
    /// one of the starting temperatures, and extra configurations there need that temperature and drawn samples.
    /// </summary>
    public void ValidateMcrg()
    {
        Require.That(McrgSamples is null || McrgTemperature is not null,
            $"{RsmiInputException.Option("mcrg-samples")} needs {RsmiInputException.Option("mcrg-temperature")}: the samples are drawn before the flow estimates T_c, so the temperature that gets more of them must be named.");
        Require.That(McrgSamples is null || Inputs.Count == 0,
            $"{RsmiInputException.Option("mcrg-samples")} sets how many configurations are drawn and cannot be used with sample files.");
        Require.That(McrgSamples is null or >= 10, $"{RsmiInputException.Option("mcrg-samples")} must be at least 10, got {McrgSamples}.");
        if (McrgSize is int m)
        {
            string option = RsmiInputException.Option("mcrg-size");
            Require.That(McrgTemperature is not null, $"{option} needs {RsmiInputException.Option("mcrg-temperature")}: the MCRG lattice is drawn at one named temperature.");
            Require.That(Inputs.Count == 0, $"{option} draws a lattice of its own and cannot be used with sample files.");
            Require.That(Compare.Count == 0, $"{option} cannot be used with {RsmiInputException.Option("compare")}: the MCRG lattice is blocked by the flow's rule and the majority rule only.");
            long side = Size;
            while (Block >= 2 && side < m) side *= Block;
            Require.That(m > Size && side == m,
                $"{option} must be the flow's lattice size {Size} times a power of the block {Block} (e.g. {Size * Block}), so that its steps end on the flow's last lattice; got {m}.");
        }
        new FlowOptions { McrgTemperature = McrgTemperature }.McrgIndex(Temperatures);
    }

    /// <summary>The seed of the MCRG lattice's samples (a stream apart from the flow's lattices).</summary>
    public static ulong McrgLatticeSeed(ulong seed) => unchecked(seed * 0xBF58476D1CE4E5B9UL + 0x94D049BB133111EBUL);

    /// <summary>
    /// The flow's settings with <paramref name="seed"/>: the model and its parameters, and the model's thermometer keeping
    /// what it measures under <paramref name="cacheDirectory"/> (a Monte Carlo thermometer's calibrations;
    /// <see cref="IThermometer.With"/>, with <see cref="CalibrationSamples"/>), its work reported to <paramref name="progress"/>.
    /// </summary>
    public FlowOptions Options(ulong seed, string? cacheDirectory = null, Rsmi.Progress.IProgressReporter? progress = null)
    {
        var model = ModelOf();
        return new()
        {
            Steps = Steps, Block = Block, Seed = seed, JackknifeBlocks = JackknifeBlocks, McrgTemperature = McrgTemperature,
            // Every even operator of the model's set (eight on the square lattice, six on the cubic one).
            McrgOperators = model.RgOperators?.EvenNames.Count ?? new FlowOptions().McrgOperators,
            Model = model, ModelParameters = ModelParameters, Thermometer = model.Thermometer?.With(new ThermometerSettings { CacheDirectory = cacheDirectory, CalibrationSamples = CalibrationSamples, Progress = progress }),
        };
    }

    /// <summary>The model of the flow, from the default catalog; throws <see cref="RsmiInputException"/> for an unknown name.</summary>
    public IModel ModelOf() => ModelCatalog.Default.Get(Model);

    /// <summary>What a site of the flow's samples holds: the model's state space for <see cref="ModelParameters"/>.</summary>
    public Rsmi.States.IStateSpace States()
    {
        var metadata = new SampleMetadata { Model = Model };
        foreach (var (name, value) in ModelParameters) metadata.Set(name, value);
        return ModelOf().StatesFor(metadata);
    }

    /// <summary>The exact critical values of the flow's model and parameters (<see cref="IModel.Critical"/>), or null.</summary>
    public CriticalValues? Critical()
    {
        var metadata = new SampleMetadata { Model = Model };
        foreach (var (name, value) in ModelParameters) metadata.Set(name, value);
        return ModelOf().Critical(metadata);
    }

    /// <summary>
    /// The arguments of the flow's model for a lattice of side <paramref name="size"/> at temperature
    /// <paramref name="temperature"/>: its <c>size</c> and <c>temperature</c> parameters, and every integer parameter
    /// named in <see cref="ModelParameters"/>.
    /// </summary>
    public ModelArguments Arguments(int size, double temperature)
    {
        var model = ModelOf();
        var arguments = ModelArguments.Defaults(model);
        foreach (var p in model.Parameters)
        {
            if (p is ModelParameter<int> { Name: "size" } sizeParameter) arguments.Set(sizeParameter, size);
            else if (p is ModelParameter<double> { Name: "temperature" } temperatureParameter) arguments.Set(temperatureParameter, temperature);
            else if (p is ModelParameter<int> integer && ModelParameters.TryGetValue(integer.Name, out long value)) arguments.Set(integer, checked((int)value));
        }
        return arguments;
    }

    /// <summary>The rule estimator (see <see cref="RuleSettings.Create"/>).</summary>
    public IRuleEstimator CreateRule() => Rule.Create(Block, Model, States());

    /// <summary>
    /// The comparison rules' estimators: fixed rules, or learners with the flow's defaults (<see cref="LearnerUse.FlowRule"/>)
    /// and the learning window of the flow's rule (the default window when that is fixed). Throws
    /// <see cref="RsmiInputException"/> for an unknown name.
    /// </summary>
    public IReadOnlyList<IRuleEstimator> CreateComparisons() => Compare.Select(name =>
        new RuleSettings { Name = name, Buffer = Rule.Buffer, Environment = Rule.Environment }.Create(Block, Model, States())).ToArray();

    /// <summary>The seed of the L/b lattice drawn at temperature index <paramref name="index"/> (a stream apart from the large lattices').</summary>
    public static ulong MatchSeed(ulong seed, int index) => unchecked(seed + (ulong)index * 0x9E3779B97F4A7C15UL + 0xD1B54A32D192ED03UL);
}

/// <summary>What a flow stage produced.</summary>
public sealed class FlowOutcome
{
    /// <summary>The flows and the estimates.</summary>
    public required FlowResult Result { get; init; }
    /// <summary>flow.json.</summary>
    public required string FlowJson { get; init; }
    /// <summary>The figures written.</summary>
    public required IReadOnlyList<string> Figures { get; init; }
    /// <summary>Wall time of the flow, in seconds (recorded in flow.json).</summary>
    public required double Seconds { get; init; }
}

/// <summary>
/// A flow stage: the iterated RSMI renormalization group from every starting temperature (<see cref="RgFlow"/>;
/// docs/algorithm.md, "The RG flow") on samples it draws or reads, written as <c>flow.json</c> (docs/contract.md)
/// and the flow figures into a directory.
/// </summary>
public static class FlowStage
{
    /// <summary>
    /// Runs the flow of <paramref name="settings"/> with <paramref name="rule"/> (made by
    /// <see cref="FlowSettings.CreateRule"/>) and <paramref name="seed"/> into <paramref name="directory"/>;
    /// <paramref name="notice"/> receives a sentence for every step that did not apply its own learned rule, and
    /// <paramref name="command"/> is recorded as the provenance's command line.
    /// </summary>
    public static FlowOutcome Run(FlowSettings settings, IRuleEstimator rule, ulong seed, string directory, IProgressReporter progress,
        Action<string>? notice, string command, CancellationToken cancellation = default, bool svg = true)
    {
        var options = settings.Options(seed, ThermometerCache(directory), progress);
        var temperatures = settings.Temperatures;
        settings.ValidateMcrg();
        Directory.CreateDirectory(directory);
        var clock = Stopwatch.StartNew();
        SampleSet SamplesAt(int i, double t) => StartingSamples(settings, i, seed, progress, cancellation);
        SampleSet MatchAt(int i, double t) => MatchedSamples(settings, i, seed, progress, cancellation);
        Require.That(!settings.TwoLattice || settings.Inputs.Count == 0, "two-lattice matching draws its own lattices of side L/b and cannot use sample files.");
        var lattice = settings.McrgSize is null ? null : McrgLatticeOf(settings, rule, seed, options, progress, notice, cancellation);
        var result = RgFlow.Run(temperatures, SamplesAt, rule, options, progress, notice, settings.CreateComparisons(), settings.TwoLattice ? MatchAt : null, lattice);
        return Write(settings, result, clock.Elapsed.TotalSeconds, directory, command, svg);
    }

    /// <summary>
    /// The flow from the starting temperature at position <paramref name="index"/> of <paramref name="settings"/>
    /// alone, as <see cref="Run"/> with <paramref name="seed"/> computes it (<see cref="RgFlow.RunTemperature"/>, at the
    /// temperature's rank among all of them), written to <paramref name="partFile"/> (<see cref="TemperatureFlowFile"/>).
    /// </summary>
    public static TemperatureFlow RunPart(FlowSettings settings, IRuleEstimator rule, int index, ulong seed, string partFile, IProgressReporter progress,
        Action<string>? notice, CancellationToken cancellation = default)
    {
        int rank = RankOf(settings.Temperatures, index);
        settings.ValidateMcrg();
        Require.That(!settings.TwoLattice || settings.Inputs.Count == 0, "two-lattice matching draws its own lattices of side L/b and cannot use sample files.");
        var samples = StartingSamples(settings, index, seed, progress, cancellation);
        var match = settings.TwoLattice ? MatchedSamples(settings, index, seed, progress, cancellation) : null;
        var flow = RgFlow.RunTemperature(rank, settings.Temperatures.Count, settings.Temperatures[index], samples, rule,
            settings.Options(seed, ThermometerCache(Path.GetDirectoryName(Path.GetFullPath(partFile))!), progress), progress, notice,
            settings.CreateComparisons(), match);
        cancellation.ThrowIfCancellationRequested();
        TemperatureFlowFile.Write(partFile, flow, cancellation);
        return flow;
    }

    /// <summary>Where a flow writing into <paramref name="directory"/> keeps its thermometer's calibrations: <c>thermometer/</c> there.</summary>
    public static string ThermometerCache(string directory) => Path.Combine(directory, "thermometer");

    /// <summary>The rank of temperature <paramref name="index"/> in increasing order (the order in which <see cref="RgFlow.Run"/> runs them).</summary>
    public static int RankOf(IReadOnlyList<double> temperatures, int index) =>
        Enumerable.Range(0, temperatures.Count).OrderBy(i => temperatures[i]).ToList().IndexOf(index);

    /// <summary>
    /// The starting samples of the flow from temperature <paramref name="index"/> of <paramref name="settings"/>
    /// (its position in <see cref="FlowSettings.Temperatures"/>): read from its input file, or drawn with the seed
    /// <paramref name="seed"/> + index × 0x9E3779B97F4A7C15 (so that every temperature's samples are the same whether
    /// the flows run in one process or apart).
    /// </summary>
    public static SampleSet StartingSamples(FlowSettings settings, int index, ulong seed, IProgressReporter progress, CancellationToken cancellation = default)
    {
        double t = settings.Temperatures[index];
        var files = settings.Inputs;
        if (files.Count > 0)
        {
            var set = SampleFile.Read(files[index]);
            string name = Path.GetFileName(files[index]);
            settings.ModelOf().Thermometer?.Validate(set, $"'{name}'");
            double? ft = set.Metadata.Temperature;
            Require.That(ft is null || Math.Abs(ft.Value - t) <= 1e-9 * t, $"'{name}' was sampled at T = {ft} but --temperatures gives {t} for it.");
            return set;
        }
        return ModelSampling.Sample(settings.ModelOf(), settings.Arguments(settings.Size, t), settings.Algorithm, settings.SamplesAt(index), unchecked(seed + (ulong)index * 0x9E3779B97F4A7C15UL),
            chains: ModelSampling.DefaultChains, progress: new PrefixedProgress(progress, $"T={t:G6} "), cancellation: cancellation);
    }

    /// <summary>
    /// The MCRG lattice of its own of <paramref name="settings"/> (<see cref="FlowSettings.McrgSize"/>): its
    /// configurations drawn in parts at the MCRG temperature (seed <see cref="FlowSettings.McrgLatticeSeed"/>) and
    /// blocked <see cref="FlowSettings.McrgSteps"/> times by <paramref name="rule"/> and the majority rule
    /// (<see cref="RgFlow.RunMcrgLattice"/>).
    /// </summary>
    public static McrgLattice McrgLatticeOf(FlowSettings settings, IRuleEstimator rule, ulong seed, FlowOptions options, IProgressReporter progress,
        Action<string>? notice, CancellationToken cancellation = default)
    {
        int m = settings.McrgSize!.Value, n = settings.McrgSamples ?? settings.Samples;
        double t = settings.McrgTemperature!.Value;
        var arguments = settings.Arguments(m, t);
        var parts = ModelSampling.SampleParts(settings.ModelOf(), arguments, settings.Algorithm, n, settings.McrgPartSize, FlowSettings.McrgLatticeSeed(seed),
            chains: ModelSampling.DefaultChains, progress: new PrefixedProgress(progress, $"MCRG lattice {m} T={t:G6} "), cancellation: cancellation);
        return RgFlow.RunMcrgLattice(t, parts, rule, options with { Steps = settings.McrgSteps }, progress, notice);
    }

    /// <summary>The configurations of side L/b drawn at temperature <paramref name="index"/> for two-lattice matching
    /// (seed <see cref="FlowSettings.MatchSeed"/>, so the same in one process or apart).</summary>
    public static SampleSet MatchedSamples(FlowSettings settings, int index, ulong seed, IProgressReporter progress, CancellationToken cancellation = default)
    {
        double t = settings.Temperatures[index];
        return ModelSampling.Sample(settings.ModelOf(), settings.Arguments(settings.Size / settings.Block, t), settings.Algorithm, settings.SamplesAt(index), FlowSettings.MatchSeed(seed, index),
            chains: ModelSampling.DefaultChains, progress: new PrefixedProgress(progress, $"T={t:G6} L/b "), cancellation: cancellation);
    }

    /// <summary>
    /// Writes <c>flow.json</c> (with the provenance: <paramref name="command"/>, the samples, the algorithm or input
    /// files, <paramref name="seconds"/> of wall time) and the flow figures of <paramref name="result"/> into
    /// <paramref name="directory"/> (PNG, and SVG when <paramref name="svg"/>).
    /// </summary>
    public static FlowOutcome Write(FlowSettings settings, FlowResult result, double seconds, string directory, string command, bool svg = true)
    {
        var files = settings.Inputs;
        Directory.CreateDirectory(directory);
        double tc = result.Critical?.Temperature ?? double.NaN;
        var provenance = new Dictionary<string, object?>
        {
            ["command"] = command,
            ["samples_per_temperature"] = files.Count == 0 ? settings.Samples : result.Flows[0].Samples,
            ["mcrg_temperature"] = settings.McrgTemperature,
            ["mcrg_samples"] = settings.McrgSamples,
            ["algorithm"] = files.Count == 0 ? settings.Algorithm : "from files",
            ["input_files"] = files.ToArray(),
            ["wall_seconds"] = seconds,
            ["exact_tc"] = tc,
            ["compare"] = settings.Compare.ToArray(),
        };
        if (settings.McrgSize is int mcrgSize) provenance["mcrg_size"] = mcrgSize;
        string jsonPath = Path.Combine(directory, "flow.json");
        AtomicFile.WriteAllBytes(jsonPath, FlowReport.ToJson(result, provenance));
        var figures = FlowFigures.WriteAll(result, directory, tc, svg);
        return new FlowOutcome { Result = result, FlowJson = jsonPath, Figures = figures, Seconds = seconds };
    }
}

/// <summary>Passes progress on with a prefix on every stage name, so that stages repeated per temperature stay apart.</summary>
internal sealed class PrefixedProgress(IProgressReporter inner, string prefix) : IProgressReporter
{
    public void Report(string stage, double fraction, string? detail = null) => inner.Report(prefix + stage, fraction, detail);
}
