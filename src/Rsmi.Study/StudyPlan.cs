using System.Globalization;
using Rsmi.Learning;
using Rsmi.Regions;
using Rsmi.Models;
using Rsmi.Models.Ising;
using Rsmi.Study.Stages;

namespace Rsmi.Study;

/// <summary>
/// Turns a <see cref="RunConfig"/> into the stages of a study. Every stage holds typed settings and calls the core
/// library through the same stage that <c>rsmi learn</c> and <c>rsmi flow</c> run (<see cref="FilterLearningStage"/>,
/// <see cref="FlowStage"/>; the samples through <see cref="SampleStage"/>, which draws them as <c>rsmi sample</c>
/// does), so that a study is exactly the composition of those commands. Every setting is checked while the plan is
/// built, before any work, and an error names its config key. A stage's fingerprint is its settings plus the
/// contents of its inputs.
/// </summary>
public static class StudyPlan
{
    /// <summary>The Ising samples (with the extension of <c>output.sample_format</c>).</summary>
    public const string IsingSamples = $"data/{Rsmi.Models.ModelCatalog.Ising2DName}.h5";
    /// <summary>The dimer samples.</summary>
    public const string DimerSamples = $"data/{Rsmi.Models.ModelCatalog.DimerName}.h5";
    /// <summary>The flow's directory.</summary>
    public const string FlowDirectory = "flow";
    /// <summary>The scan's directory (scan.json and its figures).</summary>
    public const string ScanDirectory = "scan";

    /// <summary>The scan's samples at the temperature of index <paramref name="index"/>.</summary>
    public static string ScanSamples(int index) => $"data/scan_t{index}.h5";

    /// <summary>The directory of the Potts flow with <paramref name="q"/> states.</summary>
    public static string PottsDirectory(int q) => $"potts/q{q}";

    /// <summary>The stage of the Potts flow with <paramref name="q"/> states (one task of its own).</summary>
    public static string PottsStage(int q) => $"potts-q{q}";

    /// <summary>The Ising filters file for N_h = <paramref name="hidden"/>.</summary>
    public static string IsingFilters(int hidden) => $"filters/ising_nh{hidden}.json";
    /// <summary>The dimer filters file for N_h = <paramref name="hidden"/>.</summary>
    public static string DimerFilters(int hidden) => $"filters/dimer_nh{hidden}.json";

    /// <summary>
    /// The options of <c>rsmi learn</c> besides the learner's own that a filters study's <c>estimator.options</c> may
    /// set (the study sets the others itself).
    /// </summary>
    private static readonly string[] LearnRunOptions = ["ensemble", "stride", "threads"];

    /// <summary>
    /// The stages of <paramref name="config"/> (relative input files resolved against <paramref name="configDirectory"/>),
    /// every setting checked; throws <see cref="RsmiInputException"/> naming the config key of the first bad one.
    /// </summary>
    public static IReadOnlyList<Stage> Build(RunConfig config, string? configDirectory) =>
        Groups(config, configDirectory, splitFlow: false).SelectMany(g => g.Stages).ToList();

    /// <summary>
    /// The independent tasks of <paramref name="config"/>'s study (docs/contract.md, "Study plans"): one per filters
    /// study (its samples, then its filters for every N_h) and one per starting temperature of the flow (its samples,
    /// then the learning and coarse-graining of every step, written as a flow part), in this order. Every stage keeps
    /// the seed it has in <see cref="Build"/>'s study, so that the tasks, run anywhere and in any order or grouping,
    /// give the same files as the study run in one process. Checked as <see cref="Build"/> checks.
    /// </summary>
    public static IReadOnlyList<StudyTask> Tasks(RunConfig config, string? configDirectory) =>
        Groups(config, configDirectory, splitFlow: true).Select((g, i) => new StudyTask { Index = i, Key = g.Key, Title = g.Title, Stages = g.Stages }).ToList();

    /// <summary>The flow part file of the starting temperature of rank <paramref name="rank"/> (a task's output; docs/contract.md).</summary>
    public static string FlowPart(int rank) => $"parts/flow-t{rank}.bin";

    /// <summary>The stage of the flow from the starting temperature of rank <paramref name="rank"/>.</summary>
    public static string FlowPartStage(int rank) => $"flow-t{rank}";

    private static List<(string Key, string Title, List<Stage> Stages)> Groups(RunConfig config, string? configDirectory, bool splitFlow)
    {
        var groups = new List<(string Key, string Title, List<Stage> Stages)>();
        string ext = config.Output.SampleFormat == "npy" ? ".npy" : ".h5";
        if (config.IsingFilters.Enabled)
        {
            var c = config.IsingFilters;
            double t = c.Temperature ?? Rsmi.Models.Ising.Exact.Ising2D.CriticalTemperature;
            var sampling = new IsingSampleSettings { Model = ModelCatalog.Ising2D.Name, Size = c.Size, Temperature = t, Samples = c.Samples, Algorithm = c.Algorithm };
            var stages = new List<Stage>();
            AddFilterStudy(stages, "ising", "ising_filters", c.Input, configDirectory, Path.ChangeExtension(IsingSamples, ext), sampling,
                $"Ising samples {c.Size}x{c.Size} at T = {t:0.####}", "Ising", IsingFilters, c.Block, c.Buffer, c.Environment, c.Hidden, c.Estimator);
            groups.Add(("ising-filters", "Ising filters", stages));
        }
        if (config.Flow.Enabled)
        {
            if (!splitFlow) groups.Add(("flow", "RG flow", [FlowStageOf(config.Flow, configDirectory, config.Output.Svg)]));
            else
                foreach (var part in FlowPartStages(config.Flow, configDirectory))
                    groups.Add((part.Name, part.Title, [part]));
        }
        if (config.Potts is { Enabled: true } potts)
            foreach (int q in potts.Q)
            {
                var stage = PottsStageOf(potts, q, config.Output.Svg);
                groups.Add((stage.Name, stage.Title, [stage]));
            }
        if (config.Dimer.Enabled)
        {
            var c = config.Dimer;
            var sampling = new DimerSampleSettings { Size = c.Size, Samples = c.Samples, NoiseCoupling = c.NoiseCoupling };
            var stages = new List<Stage>();
            AddFilterStudy(stages, Rsmi.Models.ModelCatalog.DimerName, Rsmi.Models.ModelCatalog.DimerName, c.Input, configDirectory, Path.ChangeExtension(DimerSamples, ext), sampling,
                $"Dimer samples {c.Size}x{c.Size} with noise K = {c.NoiseCoupling:0.###}", "Dimer", DimerFilters, c.Window, c.Buffer, c.Environment, c.Hidden, c.Estimator);
            groups.Add(("dimer-filters", "Dimer filters", stages));
        }
        if (config.Scan is { Enabled: true } scan) groups.Add(("scan", "Mutual-information scan", ScanStages(scan, configDirectory, ext, config.Output.Svg)));
        return groups;
    }

    /// <summary>
    /// The stages of a scan: one sample stage per temperature (or the files of <c>scan.inputs</c>), then the scan of
    /// all of them (<see cref="ScanStage"/>), which writes <see cref="ScanDirectory"/>/scan.json and its figures.
    /// </summary>
    private static List<Stage> ScanStages(ScanConfig c, string? configDirectory, string ext, bool svg)
    {
        var stages = new List<Stage>();
        var files = new List<string>();
        var fingerprints = new List<string>();
        bool drawn = c.Inputs is null;
        if (!drawn)
            foreach (string input in c.Inputs!)
            {
                string path = RunConfig.Resolve(input, configDirectory);
                files.Add(path);
                fingerprints.Add(RunDirectory.Sha256(path));
            }
        else
        {
            var temperatures = c.ResolvedTemperatures();
            for (int i = 0; i < temperatures.Length; i++)
            {
                var sampling = new IsingSampleSettings { Model = ModelCatalog.Ising2D.Name, Size = c.Size, Temperature = temperatures[i], Samples = c.Samples, Algorithm = c.Algorithm };
                Checked("scan", sampling.Validate);
                string name = $"scan-samples-t{i}", file = Path.ChangeExtension(ScanSamples(i), ext);
                stages.Add(new Stage
                {
                    Name = name, Title = $"Scan samples {c.Size}x{c.Size} at T = {temperatures[i]:0.####}", ConfigKey = "scan", Settings = sampling,
                    Fingerprint = RunDirectory.Fingerprint(name, sampling, file, RsmiVersion.Current),
                    Execute = ctx =>
                    {
                        var set = SampleStage.Run(sampling, ctx.Seed, ctx.Directory.PathOf(file), ctx.Progress, ctx.Cancellation);
                        ctx.Detail.WriteLine($"rsmi sample: wrote {set.Count} configurations to {file}.");
                        return [file];
                    },
                });
                files.Add(file);
                fingerprints.Add(stages[^1].Fingerprint);
            }
        }
        var (learnerOptions, _) = Split(c.Estimator, "scan.estimator", []);
        var settings = c.Settings(0);
        Checked("scan.estimator", () =>
        {
            var learner = LearnerCatalog.Find(c.Estimator.Name)!;
            learner.Parse(learnerOptions, LearnerUse.Filters, new LearnerContext(settings.Geometry(2, settings.Buffers[^1]), drawn ? ModelCatalog.Ising2D.Name : null), LearnerArguments.Flag);
        });
        stages.Add(new Stage
        {
            Name = "scan", Title = $"Mutual-information scan of {files.Count} file{(files.Count == 1 ? "" : "s")}, buffers {string.Join(",", c.Buffers)} ({c.Estimator.Name})",
            ConfigKey = "scan", Settings = new { Scan = settings, Estimator = c.Estimator.Name, Options = learnerOptions, Files = drawn ? files : [] },
            Fingerprint = RunDirectory.Fingerprint("scan", settings, c.Estimator.Name, learnerOptions, string.Join(",", fingerprints), RsmiVersion.Current),
            Execute = ctx =>
            {
                var paths = files.Select(f => drawn ? ctx.Directory.PathOf(f) : f).ToList();
                string dir = Path.GetDirectoryName(ctx.Directory.PathOf(ScanDirectory + "/" + Rsmi.IO.ScanFile.FileName))!;
                var outcome = ScanStage.Run(paths, settings with { Seed = ctx.Seed }, c.Estimator.Name, learnerOptions, dir, pictures: true, ctx.Progress, ctx.Cancellation, svg);
                foreach (var scan in outcome.Result.Scans)
                    ctx.Detail.WriteLine($"rsmi scan: {Path.GetFileName(scan.File)}, N_h = {scan.Hidden}: " +
                        (scan.CorrelationLength.HasValue ? string.Create(CultureInfo.InvariantCulture, $"xi = {scan.CorrelationLength.Value:F3} ± {scan.CorrelationLength.Error:F3}") : "no xi"));
                return new[] { outcome.ScanFile }.Concat(outcome.Figures).Select(f => Path.GetRelativePath(ctx.Directory.Root, f).Replace('\\', '/')).ToList();
            },
        });
        return stages;
    }

    /// <summary>
    /// The stages of a filters study: the samples (a sample stage, or the user's file) and one filter-learning stage
    /// per number of hidden units.
    /// </summary>
    private static void AddFilterStudy(List<Stage> stages, string prefix, string configKey, string? input, string? configDirectory,
        string samplesFile, SampleSettings sampling, string sampleTitle, string label, Func<int, string> filtersFile,
        int block, int buffer, int environment, int[] hidden, EstimatorConfig estimator)
    {
        string samples, samplesFingerprint;
        string? model = null;
        if (input is not null)
        {
            samples = RunConfig.Resolve(input, configDirectory);
            samplesFingerprint = RunDirectory.Sha256(samples);
        }
        else
        {
            samples = samplesFile;
            Checked(configKey, sampling.Validate);
            model = sampling.ModelOf().Name;
            string name = $"{prefix}-samples";
            stages.Add(new Stage
            {
                Name = name, Title = sampleTitle, ConfigKey = configKey, Settings = sampling,
                Fingerprint = RunDirectory.Fingerprint(name, sampling, samples, RsmiVersion.Current),
                Execute = ctx =>
                {
                    var set = SampleStage.Run(sampling, ctx.Seed, ctx.Directory.PathOf(samples), ctx.Progress, ctx.Cancellation);
                    ctx.Detail.WriteLine($"rsmi sample: wrote {set.Count} configurations to {samples}.");
                    return [samples];
                },
            });
            samplesFingerprint = stages[^1].Fingerprint;
        }
        string estimatorKey = $"{configKey}.estimator";
        var (learnerOptions, run) = Split(estimator, estimatorKey, LearnRunOptions);
        foreach (int nh in hidden.Distinct())
        {
            var settings = new FilterLearningSettings
            {
                Block = block, Hidden = nh, Buffer = buffer, Environment = environment, Estimator = estimator.Name, Options = learnerOptions,
                Stride = Integer(run, "stride", 0, estimatorKey), Members = Integer(run, "ensemble", Learning.Ensembles.FilterEnsembleOptions.DefaultMembers, estimatorKey),
                Threads = Integer(run, "threads", -1, estimatorKey),
            };
            // A filters study's samples are square lattices; the model is known when the study draws them.
            Checked(estimatorKey, () => { settings.Validate(); settings.ParseLearner(settings.Geometry(2), model); });
            string name = $"{prefix}-filters-nh{nh}", output = filtersFile(nh);
            stages.Add(new Stage
            {
                Name = name, Title = $"{label} filters, N_h = {nh} ({estimator.Name})", ConfigKey = estimatorKey, Settings = settings,
                Fingerprint = RunDirectory.Fingerprint(name, settings, input is null ? samples : "", output, samplesFingerprint, RsmiVersion.Current),
                Execute = ctx =>
                {
                    string inPath = input is null ? ctx.Directory.PathOf(samples) : samples;
                    string outPath = ctx.Directory.PathOf(output);
                    var outcome = FilterLearningStage.Run(settings, inPath, outPath, ctx.Seed, ctx.Progress, line => ctx.Detail.WriteLine("rsmi learn: " + line));
                    return outcome.Written(outPath).Select(f => Path.GetRelativePath(ctx.Directory.Root, f).Replace('\\', '/')).ToList();
                },
            });
        }
    }

    /// <summary>The flow's settings (its samples drawn or read from <c>flow.inputs</c>, its rule and the learner's options), checked, with the fingerprint of its input files.</summary>
    internal static (FlowSettings Settings, string InputsFingerprint, string ConfigKey, string Title) FlowOf(FlowConfig c, string? configDirectory)
    {
        string configKey = c.Learned ? "flow.estimator" : "flow";
        var rule = new RuleSettings { Name = c.Rule };
        if (c.Learned)
        {
            var options = c.Estimator is null ? new SortedDictionary<string, string>(StringComparer.Ordinal) : Split(c.Estimator, configKey, []).Learner;
            rule = rule with { Buffer = c.Buffer, Environment = c.Environment, Options = options };
        }
        string[] inputs = [];
        string inputsFingerprint = "";
        double[] temperatures;
        if (c.Inputs is not null)
        {
            inputs = c.Inputs.Select(f => RunConfig.Resolve(f, configDirectory)).ToArray();
            inputsFingerprint = string.Join(",", inputs.Select(RunDirectory.Sha256));
            temperatures = inputs.Select(f => Rsmi.IO.SampleFile.Read(f).Metadata.Temperature
                ?? throw new RsmiInputException($"config key 'flow.inputs' names '{f}', which has no temperature attribute.")).ToArray();
        }
        else temperatures = c.ResolvedTemperatures();
        var settings = new FlowSettings
        {
            Model = c.ModelName, Temperatures = temperatures, Inputs = inputs, Size = c.Size, Samples = c.Samples,
            Algorithm = c.Algorithm, Steps = c.Steps, Block = c.Block, Rule = rule, TwoLattice = c.TwoLattice, Compare = c.Compare ?? [],
            CalibrationSamples = c.CalibrationSamples, McrgTemperature = c.McrgTemperature, McrgSamples = c.McrgSamples, McrgSize = c.McrgSize,
        };
        Checked("flow.mcrg_temperature", settings.ValidateMcrg);
        if (inputs.Length == 0) Checked("flow", () => IsingSamplerFactory.Validate(settings.Model, settings.Algorithm, settings.Size, temperatures[0]));
        if (settings.McrgSize is int m)
            Checked("flow.mcrg_size", () =>
            {
                IsingSamplerFactory.Validate(settings.Model, settings.Algorithm, m, settings.McrgTemperature!.Value);
                ModelSampling.Validate(settings.ModelOf(), settings.Arguments(m, settings.McrgTemperature!.Value), settings.Algorithm, settings.McrgPartSize);
            });
        if (c.TwoLattice) Checked("flow.two_lattice", () => IsingSamplerFactory.Validate(settings.Model, settings.Algorithm, settings.Size / settings.Block, temperatures[0]));
        Checked("flow.compare", () => settings.CreateComparisons());
        Checked(configKey, () => settings.CreateRule());
        string title = $"RG flow {string.Join("x", Enumerable.Repeat(c.Size, c.Cubic ? 3 : 2))}, {c.Steps} steps ({c.Rule}{(c.Learned ? $", buffer {c.Buffer}, environment {c.Environment}" : "")})";
        return (settings, inputsFingerprint, configKey, title);
    }

    /// <summary>The fingerprint of the flow stage of the study run in one process.</summary>
    internal static string FlowFingerprint(FlowSettings settings, string inputsFingerprint) => RunDirectory.Fingerprint("flow", settings, inputsFingerprint, RsmiVersion.Current);

    /// <summary>The flow stage: its samples drawn or read from <c>flow.inputs</c>, its rule and the learner's options.</summary>
    private static Stage FlowStageOf(FlowConfig c, string? configDirectory, bool svg)
    {
        var (settings, inputsFingerprint, configKey, title) = FlowOf(c, configDirectory);
        return new Stage
        {
            Name = "flow", Settings = settings, ConfigKey = configKey, Title = title,
            Fingerprint = FlowFingerprint(settings, inputsFingerprint),
            Execute = ctx =>
            {
                string dir = Path.GetDirectoryName(ctx.Directory.PathOf(FlowDirectory + "/flow.json"))!;
                FlowStage.Run(settings, settings.CreateRule(), ctx.Seed, dir, ctx.Progress, line => ctx.Detail.WriteLine("rsmi flow: " + line),
                    CommandLine, ctx.Cancellation, svg);
                return Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
                    .Where(f => !Path.GetFileName(f).StartsWith('.'))
                    .Select(f => Path.GetRelativePath(ctx.Directory.Root, f)).Order(StringComparer.Ordinal).ToList();
            },
        };
    }

    /// <summary>
    /// The flow as one stage per starting temperature: the stage of rank r (in increasing temperature) draws or reads
    /// that temperature's samples, runs its flow (<see cref="FlowStage.RunPart"/>) with the flow stage's seed and writes
    /// <see cref="FlowPart"/>(r).
    /// </summary>
    private static IEnumerable<Stage> FlowPartStages(FlowConfig c, string? configDirectory)
    {
        var (settings, inputsFingerprint, configKey, title) = FlowOf(c, configDirectory);
        var temperatures = settings.Temperatures;
        if (temperatures.Distinct().Count() != temperatures.Count)
            throw new RsmiInputException($"config key '{(c.Inputs is null ? "flow.temperatures" : "flow.inputs")}' must give distinct starting temperatures.");
        var order = Enumerable.Range(0, temperatures.Count).OrderBy(i => temperatures[i]).ToArray();
        for (int rank = 0; rank < order.Length; rank++)
        {
            int i = order[rank];
            string name = FlowPartStage(rank), part = FlowPart(rank);
            int r = rank;
            yield return new Stage
            {
                Name = name, SeedName = "flow", Settings = settings, ConfigKey = configKey,
                Title = $"{title} from T = {temperatures[i]:0.####}",
                Fingerprint = RunDirectory.Fingerprint("flow-part", settings, r, inputsFingerprint, RsmiVersion.Current),
                Execute = ctx =>
                {
                    FlowStage.RunPart(settings, settings.CreateRule(), i, ctx.Seed, ctx.Directory.PathOf(part), ctx.Progress,
                        line => ctx.Detail.WriteLine("rsmi flow: " + line), ctx.Cancellation);
                    return [part];
                },
            };
        }
        if (settings.McrgSize is int m)
            yield return new Stage
            {
                Name = FlowMcrgStage, SeedName = "flow", Settings = settings, ConfigKey = configKey,
                Title = $"MCRG lattice {string.Join("x", Enumerable.Repeat(m, c.Cubic ? 3 : 2))} at T = {settings.McrgTemperature:0.####}",
                Fingerprint = RunDirectory.Fingerprint("flow-mcrg", settings, inputsFingerprint, RsmiVersion.Current),
                Execute = ctx =>
                {
                    var lattice = FlowStage.McrgLatticeOf(settings, settings.CreateRule(), ctx.Seed, settings.Options(ctx.Seed), ctx.Progress,
                        line => ctx.Detail.WriteLine("rsmi flow: " + line), ctx.Cancellation);
                    Rsmi.Renormalization.TemperatureFlowFile.WriteLattice(ctx.Directory.PathOf(FlowMcrgPart), lattice, ctx.Cancellation);
                    return [FlowMcrgPart];
                },
            };
    }

    /// <summary>The MCRG lattice's file (<c>flow.mcrg_size</c>; a task's output, docs/contract.md).</summary>
    public const string FlowMcrgPart = "parts/flow-mcrg.bin";

    /// <summary>The stage that draws and blocks the MCRG lattice of its own.</summary>
    public const string FlowMcrgStage = "flow-mcrg";

    /// <summary>The settings of the Potts flow with <paramref name="q"/> states, checked (errors name the key under <c>potts</c>).</summary>
    internal static FlowSettings PottsOf(PottsConfig c, int q)
    {
        string configKey = c.Learned ? "potts.estimator" : "potts";
        var rule = new RuleSettings { Name = c.Rule };
        if (c.Learned)
        {
            var options = c.Estimator is null ? new SortedDictionary<string, string>(StringComparer.Ordinal) : Split(c.Estimator, configKey, []).Learner;
            rule = rule with { Buffer = c.Buffer, Environment = c.Environment, Options = options };
        }
        double tc = Rsmi.Models.Potts.Exact.Potts2D.CriticalTemperature(q);
        var settings = new FlowSettings
        {
            Model = ModelCatalog.Potts2D.Name, ModelParameters = new SortedDictionary<string, long>(StringComparer.Ordinal) { [ModelCatalog.Potts2D.Q.Name] = q },
            Temperatures = c.ResolvedRatios().Select(r => Math.Round(r * tc, 6)).ToArray(), Size = c.Size, Samples = c.Samples,
            Algorithm = c.Algorithm, Steps = c.Steps, Block = c.Block, Rule = rule, CalibrationSamples = c.CalibrationSamples,
        };
        Checked("potts.algorithm", () => ModelSampling.Validate(settings.ModelOf(), settings.Arguments(settings.Size, settings.Temperatures[0]), settings.Algorithm, settings.Samples));
        Checked(configKey, () => settings.CreateRule());
        return settings;
    }

    /// <summary>The stage of the Potts flow with <paramref name="q"/> states, writing into <see cref="PottsDirectory"/>.</summary>
    private static Stage PottsStageOf(PottsConfig c, int q, bool svg)
    {
        var settings = PottsOf(c, q);
        string name = PottsStage(q);
        return new Stage
        {
            Name = name, Settings = settings, ConfigKey = "potts",
            Title = $"Potts q = {q} RG flow {c.Size}x{c.Size}, {c.Steps} steps ({c.Rule}{(c.Learned ? $", buffer {c.Buffer}, environment {c.Environment}" : "")}, and plurality)",
            Fingerprint = RunDirectory.Fingerprint(name, settings, RsmiVersion.Current),
            Execute = ctx =>
            {
                string dir = Path.GetDirectoryName(ctx.Directory.PathOf(PottsDirectory(q) + "/flow.json"))!;
                FlowStage.Run(settings, settings.CreateRule(), ctx.Seed, dir, ctx.Progress, line => ctx.Detail.WriteLine("rsmi flow: " + line),
                    CommandLine, ctx.Cancellation, svg);
                return Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
                    .Where(f => !Path.GetFileName(f).StartsWith('.'))
                    .Select(f => Path.GetRelativePath(ctx.Directory.Root, f)).Order(StringComparer.Ordinal).ToList();
            },
        };
    }

    /// <summary>The command line of this process, as the flow records it.</summary>
    internal static string CommandLine => "rsmi " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));

    /// <summary>
    /// An estimator's options from the config as text: the learner's own (refused when they belong to another learner
    /// or to none) and those of <paramref name="runOptions"/>.
    /// </summary>
    private static (SortedDictionary<string, string> Learner, Dictionary<string, string> Run) Split(EstimatorConfig estimator, string configKey, IReadOnlyCollection<string> runOptions)
    {
        var learner = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var run = new Dictionary<string, string>(StringComparer.Ordinal);
        var entry = LearnerCatalog.Find(estimator.Name);
        foreach (var (key, value) in estimator.Options)
        {
            string text = LearnerArguments.Text(value);
            if (runOptions.Contains(key)) { run[key] = text; continue; }
            if (LearnerArguments.Foreign(key, estimator.Name) is string foreign) throw new RsmiInputException($"config key '{configKey}': {foreign}");
            if (entry is null || !entry.HasOption(key))
                throw new RsmiInputException($"config key '{configKey}': {LearnerArguments.Flag(key)} is not an option of --estimator {estimator.Name}.");
            learner[key] = text;
        }
        return (learner, run);
    }

    private static int Integer(Dictionary<string, string> run, string key, int fallback, string configKey)
    {
        if (!run.TryGetValue(key, out string? text)) return fallback;
        if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)) return value;
        throw new RsmiInputException($"config key '{configKey}': {LearnerArguments.Flag(key)}: '{text}' is not an integer.");
    }

    /// <summary>Runs <paramref name="check"/>, naming <paramref name="configKey"/> in its error.</summary>
    private static void Checked(string configKey, Action check)
    {
        try { check(); }
        catch (RsmiInputException e) { throw new RsmiInputException($"config key '{configKey}': {e.Template}"); }
    }
}
