using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Rsmi.Data;
using Rsmi.IO;
using Rsmi.Learning;
using Rsmi.Study.Stages;
using Rsmi.Models;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Plots.Flow;
using Rsmi.Renormalization;
using Rsmi.Sampling;

namespace Rsmi.Cli.Commands;

/// <summary>
/// <c>rsmi flow --model ising2d|ising3d|potts2d [--q Q] --size L --temperatures T1,T2,… --samples N --steps K --block 2
/// [--estimator rbm|infonce|majority|decimation] [--buffer LB --environment LE] [--rbm-…|--infonce-… options]
/// [--seed S] --out DIR</c>: iterated learning and coarse-graining from several starting temperatures (Fig. 5 of the
/// paper), writing DIR/flow.json and figures. The learners take the options of <c>rsmi learn</c> under the same
/// names (one parser: <see cref="LearnerEntry.Parse"/>); options not given keep the flow's own defaults, those of
/// <see cref="LearnerUse.FlowRule"/> in the <see cref="LearnerCatalog"/>. Options that cannot apply to the chosen
/// estimator are refused.
/// </summary>
internal sealed class FlowCommandFactory : ICommandFactory
{
    /// <summary>The models the flow takes: those with a thermometer and MCRG operators.</summary>
    private static IEnumerable<IModel> FlowModels => ModelCatalog.Default.Models.Where(m => m.Thermometer is not null && m.RgOperators is not null);

    /// <summary>The flow models whose thermometer measures what it reads against (a Monte Carlo thermometer's calibrations):
    /// an exact thermometer returns itself from <see cref="IThermometer.With"/>.</summary>
    private static IEnumerable<IModel> CalibratedModels => FlowModels.Where(m => !ReferenceEquals(m.Thermometer!.With(new ThermometerSettings()), m.Thermometer));

    /// <summary>"a", "a and b", "a, b and c".</summary>
    private static string Names(IEnumerable<IModel> models)
    {
        var names = models.Select(m => m.Name).ToArray();
        return names.Length <= 2 ? string.Join(" and ", names) : string.Join(", ", names[..^1]) + " and " + names[^1];
    }

    public int Order => 50;

    // Created with the command: the learning options and the learners whose own options it carries.
    private Option<int> _buffer = null!, _environment = null!, _block = null!;
    private Option<string> _estimator = null!, _model = null!;
    private Option<int?> _states = null!, _calibration = null!;
    private LearnerOptions _learners = null!;

    public Command Create()
    {
        var model = _model = new Option<string>("--model") { Description = $"Model of the starting samples ({string.Join(", ", FlowModels.Select(m => m.Name))}).", DefaultValueFactory = _ => ModelCatalog.Ising2D.Name };
        var calibration = _calibration = new Option<int?>("--calibration-samples") { Description = $"Configurations per temperature of the Monte Carlo thermometer's calibration ({Names(CalibratedModels)}; default {Rsmi.Models.Potts.PottsThermometer.DefaultSamples}; for ising3d on lattices up to {Rsmi.Models.Ising.Ising3DThermometer.ReferenceSide}³, N·({Rsmi.Models.Ising.Ising3DThermometer.ReferenceSide}/L)³ but at least {Rsmi.Models.Ising.Ising3DThermometer.FewestScaledSamples} on larger ones); the curves are kept in OUT/thermometer." };
        var states = _states = new Option<int?>("--q") { Description = $"Number of states q of a {ModelCatalog.Potts2D.Name} flow (default {Rsmi.Models.Potts.Potts2DModel.DefaultStates}); the learned rules get categorical units of q states." };
        var size = new Option<int>("--size") { Description = "Linear size L of the starting lattices (divisible by block^steps)." };
        var temperatures = new Option<string>("--temperatures") { Description = "Comma-separated starting temperatures; a value ending in 'Tc' is a multiple of the exact T_c (e.g. 0.95Tc).", Required = true };
        var samples = new Option<int>("--samples") { Description = "Configurations per starting temperature.", DefaultValueFactory = _ => 1000 };
        var steps = new Option<int>("--steps") { Description = "RG steps K.", DefaultValueFactory = _ => 4 };
        var block = _block = new Option<int>("--block") { Description = "Linear block size b (one coarse spin per b×b block).", DefaultValueFactory = _ => 2 };
        var estimator = _estimator = new Option<string>("--estimator") { Description = "Where the rule of each step comes from: rbm, infonce (learned filters), majority (the plurality rule on Potts labels) or decimation (fixed rules).", DefaultValueFactory = _ => "majority" };
        var seed = new Option<long>("--seed") { Description = "Seed of sampling, learning and coarse-graining.", DefaultValueFactory = _ => 1 };
        var algorithm = new Option<string>("--algorithm") { Description = "Monte Carlo algorithm for the starting samples (default wolff).", DefaultValueFactory = _ => "wolff" };
        var input = new Option<string[]>("--in") { Description = "Use these sample files (one per temperature, in the order of --temperatures) instead of sampling.", AllowMultipleArgumentsPerToken = true };
        var buffer = _buffer = new Option<int>("--buffer") { Description = "Buffer thickness L_B ≥ 0 between V and E of the learning windows (learned rules only).", DefaultValueFactory = _ => DefaultBuffer };
        var environment = _environment = new Option<int>("--environment") { Description = "Environment thickness L_E ≥ 1 of the learning windows (learned rules only).", DefaultValueFactory = _ => DefaultEnvironment };
        var jackknife = new Option<int>("--jackknife-blocks") { Description = "Delete-one-block jackknife blocks for the error bars.", DefaultValueFactory = _ => 20 };
        var output = new Option<string>("--out") { Description = "Directory for flow.json and the figures (created if missing).", Required = true };
        var twoLattice = new Option<bool>("--two-lattice") { Description = "Also draw lattices of side L/b at every temperature and estimate T_c by two-lattice matching (not with --in)." };
        var compare = new Option<string>("--compare") { Description = "Comma-separated rules (majority, decimation, infonce, rbm) also applied to the same samples, for the per-rule table (learners with the flow's defaults)." };
        var mcrgTemperature = new Option<string>("--mcrg-temperature") { Description = "The starting temperature at which MCRG runs, one of --temperatures (a value ending in 'Tc' as there); default: the one nearest the flow's T_c estimate." };
        var mcrgSamples = new Option<int?>("--mcrg-samples") { Description = "Configurations drawn at --mcrg-temperature (and of its L/b lattice, or of the --mcrg-size lattice) instead of --samples: MCRG's errors fall as 1/sqrt(N) (needs --mcrg-temperature; not with --in)." };
        var mcrgSize = new Option<int?>("--mcrg-size") { Description = "Run MCRG on a lattice of its own of this side, --size times a power of --block, drawn at --mcrg-temperature in parts and blocked down to the flow's last lattice: more levels than the flow's lattice has (needs --mcrg-temperature; not with --in or --compare)." };
        var command = new Command("flow", "Iterate learning and coarse-graining from several starting temperatures; estimate T_c and nu with error bars.");
        foreach (var o in new Option[] { model, states, calibration, size, temperatures, samples, steps, block, estimator, buffer, environment, seed, algorithm, input, jackknife, output, twoLattice, compare, mcrgTemperature, mcrgSamples, mcrgSize }) command.Options.Add(o);
        // The options of every learner that can drive the flow, exactly as rsmi learn defines them.
        _learners = new LearnerOptions(LearnerCatalog.All.Where(l => l.LearnsFlowRules), LearnerUse.FlowRule);
        foreach (var o in _learners.All) command.Options.Add(o);
        command.SetAction(parse =>
        {
            string modelName = parse.GetValue(model)!;
            Require.That(FlowModels.Any(m => m.Name == modelName),
                $"--model: the RG flow reads temperatures with the model's thermometer and needs its MCRG operators, which {Names(FlowModels)} have; got '{modelName}'.");
            var parameters = ModelParametersOf(parse);
            var settingsModel = new FlowSettings { Model = modelName, ModelParameters = parameters, Temperatures = [], Rule = new RuleSettings { Name = "majority" } };
            double exactTc = settingsModel.Critical()?.Temperature ?? double.NaN;
            var temps = ParseTemperatures(parse.GetValue(temperatures)!, exactTc);
            string[] files = parse.GetValue(input) ?? [];
            files = files.SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
            int l = parse.GetValue(size), n = parse.GetValue(samples);
            if (files.Length == 0)
            {
                Require.That(parse.GetResult(size) is not null, "--size is required unless the starting samples are given with --in.");
                Require.Positive(n, "--samples");
                ModelSampling.Validate(settingsModel.ModelOf(), settingsModel.Arguments(l, temps[0]), parse.GetValue(algorithm)!, n);
            }
            else Require.That(files.Length == temps.Length, $"--in gives {files.Length} sample files for {temps.Length} temperatures; give one file per temperature.");
            bool matched = parse.GetValue(twoLattice);
            Require.That(!matched || files.Length == 0, "--two-lattice draws its own lattices of side L/b and cannot be used with --in.");
            Require.That(!matched || temps.Length >= 2, "--two-lattice needs at least two starting temperatures to find where the two lattices agree.");
            var comparisons = ParseRules(parse.GetValue(compare));
            var options = new FlowOptions
            {
                Steps = parse.GetValue(steps), Block = parse.GetValue(block), Seed = unchecked((ulong)parse.GetValue(seed)),
                JackknifeBlocks = parse.GetValue(jackknife),
            };
            options.Validate();
            if (files.Length == 0)
            {
                long reduction = (long)Math.Pow(options.Block, options.Steps);
                Require.That(l % reduction == 0 && l / reduction >= 2,
                    $"--size {l} cannot be coarse-grained {options.Steps} times by {options.Block}x{options.Block} blocks: it must be a multiple of {reduction} and at least {2 * reduction}.");
            }
            var rule = CreateRule(parse);
            if (files.Length == 0) RgFlow.CheckWindowFits(l, options, rule);
            if (matched) ModelSampling.Validate(settingsModel.ModelOf(), settingsModel.Arguments(l / options.Block, temps[0]), parse.GetValue(algorithm)!, n);
            double? mcrgAt = parse.GetValue(mcrgTemperature) is string mt ? McrgTemperatureOf(mt, exactTc) : null;
            int? mcrgCount = parse.GetValue(mcrgSamples), mcrgSide = parse.GetValue(mcrgSize);
            var mcrgSettings = settingsModel with
            {
                Temperatures = temps, Inputs = files, McrgTemperature = mcrgAt, McrgSamples = mcrgCount, McrgSize = mcrgSide,
                Size = l, Samples = n, Steps = options.Steps, Block = options.Block, Compare = comparisons, Algorithm = parse.GetValue(algorithm)!,
            };
            mcrgSettings.ValidateMcrg();
            if (mcrgSide is int side)
            {
                int count = mcrgCount ?? n;
                ModelSampling.Validate(settingsModel.ModelOf(), settingsModel.Arguments(side, mcrgAt!.Value), parse.GetValue(algorithm)!, Math.Min(count, mcrgSettings.McrgPartSize));
                RgFlow.CheckWindowFits(side, options with { Steps = mcrgSettings.McrgSteps }, rule);
            }
            else if (mcrgCount is int extra && files.Length == 0)
                ModelSampling.Validate(settingsModel.ModelOf(), settingsModel.Arguments(l, mcrgAt!.Value), parse.GetValue(algorithm)!, extra);
            string dir = parse.GetValue(output)!;
            Require.That(!File.Exists(dir), $"--out '{dir}' is a file; give a directory.");
            Directory.CreateDirectory(dir);

            var settings = new FlowSettings
            {
                Model = modelName, ModelParameters = parameters, CalibrationSamples = parse.GetValue(calibration), Temperatures = temps, Inputs = files, Size = l, Samples = n, Algorithm = parse.GetValue(algorithm)!,
                Steps = options.Steps, Block = options.Block, JackknifeBlocks = options.JackknifeBlocks, Rule = RuleSettingsOf(parse),
                TwoLattice = matched, Compare = comparisons,
                McrgTemperature = mcrgAt, McrgSamples = mcrgCount, McrgSize = mcrgSide,
            };
            var compared = settings.CreateComparisons();
            if (files.Length == 0) foreach (var c in compared) RgFlow.CheckWindowFits(l, options, c);
            using var progress = ConsoleProgress.ForCommand();
            var err = CommandOutput.Get().Err;
            var outcome = FlowStage.Run(settings, rule, options.Seed, dir, progress, line => err.WriteLine("rsmi flow: " + line),
                "rsmi " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), CommandOutput.Get().Cancellation);
            var result = outcome.Result;
            double seconds = outcome.Seconds;
            string jsonPath = outcome.FlowJson;
            var figures = outcome.Figures;

            var o = CommandOutput.Get().Out;
            var e = result.Estimates;
            string geometry = result.Buffer is int lb && result.Environment is int le ? $", buffer {lb}, environment {le}" : "";
            string lattice = string.Join("x", Enumerable.Repeat(result.Size, result.Dimension));
            o.WriteLine($"{jsonPath}: {result.Flows.Count} flows of {result.Steps} steps ({rule.Name}{geometry}, {lattice}, {result.Flows[0].Samples} samples each) in {seconds:F1} s.");
            int fallbacks = result.Flows.Sum(f => f.Steps.Count(s => s.RuleSource is RuleSources.PreviousStep or RuleSources.MajorityFallback));
            if (fallbacks > 0) o.WriteLine($"{fallbacks} step(s) learned no signal and coarse-grained with another rule (rule_source in flow.json).");
            var exact = result.Critical;
            o.WriteLine($"T_c = {Show(e.CriticalTemperature)} (exact {exactTc:F6}; T_c/T_c,exact = {e.CriticalTemperature.Value / exactTc:F5})");
            o.WriteLine($"nu (linearised flow) = {Show(e.NuFlow)}");
            o.WriteLine($"nu (data collapse)   = {Show(e.NuCollapse)}");
            // On Potts labels the majority rule is the plurality rule, and its chains are named so.
            string own = e.Rules.FirstOrDefault()?.Rule ?? rule.Name, baseline = parameters.Count == 0 ? "majority" : "plurality";
            o.WriteLine($"nu (MCRG, {own} rule) = {Show(e.NuMcrg)} at T = {e.McrgTemperature:G6}{(e.Mcrg is { } mcrg ? $" ({mcrg.Samples} configurations)" : "")}");
            o.WriteLine($"nu (MCRG, {baseline} rule) = {Show(e.NuMcrgMajority)}");
            if (modelName == ModelCatalog.Ising2D.Name)
                o.WriteLine($"y_h (MCRG, {rule.Name} rule) = {Show(e.Yh)} (exact 15/8), eta = {Show(e.Eta)} (exact 1/4)");
            else
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"y_h (MCRG, {own} rule) = {Show(e.Yh)} (exact {exact?.Yh:F6}), eta = {Show(e.Eta)} (exact {exact?.Eta:F6}); exact nu = {exact?.Nu:F6}"));
                foreach (var r in e.Rules.Where(r => r.Mcrg is not null))
                    o.WriteLine($"{r.Rule}: nu (MCRG) by level = {string.Join(", ", r.Mcrg!.Levels.Select(l => $"{l.FineSize}->{l.CoarseSize}: {Brief(l.Nu)}"))}; " +
                        $"at the deepest level {Brief(r.Mcrg.NuDeepest)}, drift in its step {Brief(r.Mcrg.NuDrift)}");
                if (result.Dimension >= 3)
                    foreach (var k in e.ByStep)
                        o.WriteLine($"step {k.Step} ({Side(k, result)}): T_c = {Brief(k.Tc)}, nu (MCRG) = {Brief(k.Nu)} ({own}), {Brief(k.NuMajority)} ({baseline}); " +
                            $"y_h = {Brief(k.Yh)} ({own}), {Brief(k.YhMajority)} ({baseline})");
            }
            o.WriteLine($"T_c extrapolated from the steps = {Show(e.CriticalTemperatureExtrapolated)}");
            if (matched) o.WriteLine($"T_c (two-lattice matching, {rule.Name} rule) = {Show(e.TcTwoLattice)}");
            if (e.Rules.Count > 1)
                foreach (var r in e.Rules)
                    o.WriteLine($"{r.Rule}: T_c (two lattices) = {Brief(r.TcTwoLattice)}, nu (MCRG) = {Brief(r.Mcrg?.Nu)}, y_h = {Brief(r.Mcrg?.Yh)}, range after {result.Steps} steps = {Brief(r.Couplings[^1]?.Range)}");
            foreach (var f in figures) o.WriteLine(f);
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>The lattices of step <paramref name="k"/>: the flow's, and the MCRG lattice's when MCRG has one of its own.</summary>
    private static string Side(StepEstimates k, FlowResult result)
    {
        string Cube(int side) => string.Join("x", Enumerable.Repeat(side, result.Dimension));
        string flow = k.Size is int size ? Cube(size) : "past the flow's steps";
        return result.McrgLattice is null ? flow : $"{flow}; MCRG lattice {Cube(k.McrgSize)}";
    }

    /// <summary>Default buffer L_B of the flow's learning windows.</summary>
    internal const int DefaultBuffer = FlowSettings.DefaultBuffer;
    /// <summary>Default environment L_E of the flow's learning windows.</summary>
    internal const int DefaultEnvironment = FlowSettings.DefaultEnvironment;

    /// <summary>
    /// The rule estimator of <c>--estimator</c> in <paramref name="parse"/> (a parse of this factory's command): a
    /// learner configured by its options (<c>--buffer</c>, <c>--environment</c> and its own <c>--NAME-…</c>, the
    /// others at the flow's defaults), or a fixed rule, which takes none. Throws <see cref="RsmiInputException"/> for
    /// an unknown name, a bad value, and every option given that cannot apply.
    /// </summary>
    internal IRuleEstimator CreateRule(ParseResult parse)
    {
        string name = parse.GetValue(_estimator)!.Trim().ToLowerInvariant();
        var plain = RuleEstimators.Create(name);
        LearnerOptions.RefuseForeign(parse, name);
        if (plain is FixedRuleEstimator)
        {
            foreach (var o in new Option[] { _buffer, _environment })
                Require.That(!LearnerOptions.Given(parse, o), $"{o.Name} does not apply: --estimator {name} is a fixed rule and learns nothing.");
            return plain;
        }
        Require.NonNegative(parse.GetValue(_buffer), "--buffer");
        Require.Positive(parse.GetValue(_environment), "--environment");
        var parameters = ModelParametersOf(parse);
        var flow = new FlowSettings { Model = parse.GetValue(_model)!, ModelParameters = parameters, Temperatures = [], Rule = new RuleSettings { Name = name } };
        return RuleSettingsOf(parse).Create(parse.GetValue(_block), flow.Model, flow.States());
    }

    /// <summary>The rule's settings as given: the estimator, and for a learner its window and its options.</summary>
    private RuleSettings RuleSettingsOf(ParseResult parse)
    {
        string name = parse.GetValue(_estimator)!.Trim().ToLowerInvariant();
        if (RuleEstimators.IsFixed(name) || LearnerCatalog.Find(name) is not { } learner) return new RuleSettings { Name = name };
        return new RuleSettings
        {
            Name = name, Buffer = parse.GetValue(_buffer), Environment = parse.GetValue(_environment),
            Options = new SortedDictionary<string, string>(_learners.GivenTo(parse, learner), StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// The rule estimator that <c>rsmi flow</c> with <paramref name="arguments"/> (without the leading <c>flow</c>)
    /// would use, for checking a command line before it runs; throws <see cref="RsmiInputException"/> as the command
    /// would (parse errors included).
    /// </summary>
    internal static IRuleEstimator RuleFor(IReadOnlyList<string> arguments)
    {
        var factory = new FlowCommandFactory();
        var command = factory.Create();
        var parse = command.Parse(arguments.ToArray());
        if (parse.Errors.Count > 0) throw new RsmiInputException(parse.Errors[0].Message);
        return factory.CreateRule(parse);
    }

    /// <summary>The rules of --compare (comma-separated, distinct, each a fixed rule or a learner of flow rules).</summary>
    internal static string[] ParseRules(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => n.ToLowerInvariant()).ToArray();
        foreach (string n in names)
            Require.That(RuleEstimators.All.ContainsKey(n), $"--compare: unknown rule '{n}'; available: {string.Join(", ", RuleEstimators.All.Keys)}.");
        Require.That(names.Distinct().Count() == names.Length, "--compare: each rule may be named once.");
        return names;
    }

    /// <summary>
    /// The model's parameters given on the command line: <c>--q</c> for the Potts model (default q), refused for the
    /// others. Throws <see cref="RsmiInputException"/> for a bad q or a <c>--q</c> that does not apply.
    /// </summary>
    private SortedDictionary<string, long> ModelParametersOf(ParseResult parse)
    {
        string name = parse.GetValue(_model)!;
        var parameters = new SortedDictionary<string, long>(StringComparer.Ordinal);
        int? q = parse.GetValue(_states);
        int? calibration = parse.GetValue(_calibration);
        Require.That(q is null || name == ModelCatalog.Potts2D.Name, $"--q applies to {ModelCatalog.Potts2D.Name} flows only, not to {name}.");
        Require.That(calibration is null || CalibratedModels.Any(m => m.Name == name),
            $"--calibration-samples applies to {Names(CalibratedModels)} flows only (the {name} thermometer is exact).");
        Require.That(calibration is null or >= 20, $"--calibration-samples must be at least 20, got {calibration}.");
        if (name != ModelCatalog.Potts2D.Name) return parameters;
        int states = q ?? Rsmi.Models.Potts.Potts2DModel.DefaultStates;
        ModelCatalog.Potts2D.Q.Validate!(states);
        Require.That(states is >= 2 and <= 4, $"--q must be 2, 3 or 4 for a flow (a continuous transition, with exact exponents to compare with), got {states}.");
        parameters[ModelCatalog.Potts2D.Q.Name] = states;
        return parameters;
    }

    /// <summary>Parses the one temperature of --mcrg-temperature ("2.269" or "1Tc").</summary>
    private static double McrgTemperatureOf(string text, double criticalTemperature)
    {
        var t = ParseTemperatures(text, criticalTemperature, "--mcrg-temperature");
        Require.That(t.Length == 1, $"--mcrg-temperature takes one temperature, got '{text}'.");
        return t[0];
    }

    /// <summary>Parses "2.1,2.2,0.95Tc" into temperatures (multiples of the exact T_c of the 2D Ising model); throws <see cref="RsmiInputException"/> naming --temperatures.</summary>
    internal static double[] ParseTemperatures(string text) => ParseTemperatures(text, Rsmi.Models.Ising.Exact.Ising2D.CriticalTemperature);

    /// <summary>Parses "2.1,2.2,0.95Tc" into temperatures, "Tc" standing for <paramref name="criticalTemperature"/>; throws <see cref="RsmiInputException"/> naming --temperatures.</summary>
    internal static double[] ParseTemperatures(string text, double criticalTemperature, string option = "--temperatures")
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Require.That(parts.Length >= 1, $"{option} needs at least one temperature.");
        var result = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            string p = parts[i];
            double factor = 1;
            if (p.EndsWith("tc", StringComparison.OrdinalIgnoreCase)) { factor = criticalTemperature; p = p[..^2]; }
            Require.That(double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v),
                $"{option}: '{parts[i]}' is not a positive number (or a multiple of T_c such as 0.95Tc).");
            result[i] = v * factor;
        }
        Require.That(result.Distinct().Count() == result.Length, "--temperatures: the starting temperatures must be distinct.");
        return result;
    }

    /// <summary>An estimate in a table row: six significant digits ± two, or n/a.</summary>
    private static string Brief(Rsmi.Statistics.Estimate? e) => e is { } v && double.IsFinite(v.Value) ? v.Format("G6", "G2") : "n/a";

    /// <summary>An estimate as the flow prints it: six significant digits ± two, or why there is none.</summary>
    private static string Show(Rsmi.Statistics.Estimate e) =>
        double.IsFinite(e.Value) ? e.Format("G6", "G2") : "not estimated (too few starting temperatures or steps, or no crossing)";
}
