using System.Globalization;
using System.Text.Json.Nodes;
using Rsmi.Filters;
using Rsmi.IO;
using Rsmi.Models.Ising.Exact;
using Rsmi.Plots.Report;
using Rsmi.Scanning;

namespace Rsmi.Study;

/// <summary>
/// Builds <c>report.html</c> from what the stages wrote: filters and their pictures (paper Figs. 2 and 4), the RG
/// flow and its estimates next to the exact values and the paper's (Fig. 5), the MI histories, and the run record.
/// Every number shown is read from the study's own output files.
/// </summary>
public static class StudyReport
{
    /// <summary>The tolerance, in error bars, by which the report calls an estimate consistent with the exact value.</summary>
    public const double ConsistencySigmas = 3;

    /// <summary>Writes report.html (and its figures) from the outputs of <paramref name="stages"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(RunDirectory dir, RunConfig config, IReadOnlyList<Stage> stages)
    {
        var written = new List<string>();
        var report = new HtmlReport
        {
            Title = $"rsmi study: {config.Name}",
            Subtitle = $"{dir.Root} · rsmi {RsmiVersion.Current} · {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC",
        };
        var histories = new List<(string, double[], double[]?)>();

        if (config.IsingFilters.Enabled)
        {
            var c = config.IsingFilters;
            var s = new ReportSection { Title = "Ising filters (Fig. 2)" };
            s.Paragraphs.Add($"RSMI filters learned on {c.Samples} samples of the {c.Size}×{c.Size} Ising model at T = {(c.Temperature ?? Rsmi.Models.Ising.Exact.Ising2D.CriticalTemperature):0.####} " +
                             $"with a {c.Block}×{c.Block} block, buffer {c.Buffer}, environment {c.Environment}, estimator {c.Estimator.Name}. " +
                             "The paper finds the Kadanoff block spin for one hidden unit (all weights equal) and one spin per hidden unit for four.");
            s.Paragraphs.Add(EnsembleParagraph);
            foreach (int nh in c.Hidden.Distinct())
            {
                var f = FiltersFile.Read(dir.PathOf(StudyPlan.IsingFilters(nh)));
                AddFilters(dir, s, f, $"ising_nh{nh}", $"Ising filters, N_h = {nh}", config.Output.Svg, written);
                AddLearningFacts(s, f, nh);
                s.Facts.Add(($"N_h = {nh}: {FilterShapeName(nh)}", FilterShape(f)));
                histories.Add(($"Ising N_h={nh}", f.History, f.HistoryMovingAverage));
            }
            report.Sections.Add(s);
        }

        if (config.Flow is { Enabled: true, Cubic: true }) report.Sections.Add(Ising3DFlowSection(dir, config, config.Flow));
        else if (config.Flow.Enabled)
        {
            var c = config.Flow;
            var s = new ReportSection { Title = "RG flow, T_c and ν (Fig. 5)" };
            var flow = JsonNode.Parse(File.ReadAllText(dir.PathOf(StudyPlan.FlowDirectory + "/flow.json")))!;
            int temps = flow["flows"]?.AsArray().Count ?? 0;
            s.Paragraphs.Add($"{temps} starting temperatures on {c.Size}×{c.Size} lattices, {c.Samples} samples each{McrgSamplesNote(c)}, {c.Steps} RG steps with b = {c.Block}, rule: {c.Rule}. " +
                             "Below T_c the effective temperature flows to zero, above it to the paramagnet; T_c is where the flow is stationary.");
            AddFlowSettings(s, flow);
            var est = flow["estimates"];
            double tc = Rsmi.Models.Ising.Exact.Ising2D.CriticalTemperature;
            AddEstimate(s, est?["tc"], "T_c", tc, $"{tc:F3} within 1%", "temperature where T_eff after k steps equals the starting temperature");
            AddEstimate(s, est?["nu_flow"], "ν (linearised flow)", 1.0, "1.0 ± 0.15", "δ_{k+1} = b^{1/ν} δ_k near the fixed point");
            AddEstimate(s, est?["nu_collapse"], "ν (data collapse)", 1.0, "1.0 ± 0.15", $"collapse of T_eff^(k) against (T_0/T_c − 1)·b^(k/ν), b = {c.Block}");
            AddEstimate(s, est?["nu_mcrg"], $"ν (MCRG, {c.Rule} rule)", 1.0, null, "Swendsen's linearised MCRG with the rule of the flow");
            AddEstimate(s, est?["nu_mcrg_majority"], "ν (MCRG, majority rule)", 1.0, null, "Swendsen's linearised MCRG, majority-rule baseline");
            AddEstimate(s, est?["tc_by_step_extrapolated"], "T_c (per-step crossings extrapolated)", tc, null, "T_c^(k) = T_∞ + a λ^k fitted to the crossings after each step k (jackknife fit error)");
            if (c.TwoLattice)
            {
                int k = est?["tc_two_lattice_step"]?.GetValue<int>() ?? c.Steps;
                AddEstimate(s, est?["tc_two_lattice"], $"T_c (two-lattice matching, {c.Rule} rule)", tc, null,
                    $"nearest-neighbour correlation of L = {c.Size} after {k} steps equal to that of L/b after {k - 1} (the last step with matched lattices of at least {Rsmi.Renormalization.TwoLatticeMatching.SmallestMatchedSize}×{Rsmi.Renormalization.TwoLatticeMatching.SmallestMatchedSize})");
            }
            AddEstimate(s, est?["y_h"], $"y_h (MCRG odd sector, {c.Rule} rule)", Ising2D.MagneticExponent, null, "leading eigenvalue of the odd-operator A⁻¹B, averaged over the combined levels");
            AddEstimate(s, est?["eta"], $"η (MCRG, {c.Rule} rule)", Ising2D.Eta, null, "η = d + 2 − 2y_h");
            AddAccuracyTables(s, flow);
            var checkedEstimates = s.Estimates.Where(e => double.IsFinite(e.Deviation)).ToList();
            if (checkedEstimates.Count > 0)
            {
                var outside = checkedEstimates.Where(e => e.Deviation > ConsistencySigmas).Select(e => e.Quantity).ToList();
                s.Paragraphs.Add(outside.Count == 0
                    ? $"All {checkedEstimates.Count} estimates agree with the exact values within {ConsistencySigmas:0} error bars (|Δ|/σ ≤ {ConsistencySigmas:0}; green ≤ 2, amber ≤ 4, red beyond)."
                    : $"Estimates further than {ConsistencySigmas:0} error bars from the exact value: {string.Join(", ", outside)}. Small lattices and few samples bias the flow estimates; the paper preset uses 128×128 lattices and four steps.");
            }
            string flowDir = dir.PathOf(StudyPlan.FlowDirectory + "/flow.json");
            flowDir = Path.GetDirectoryName(flowDir)!;
            foreach (var (file, title, caption) in new[]
                     {
                         ("flow_temperature.png", "RG flow", "T_eff/T_c against the RG step for each starting temperature (error bars: jackknife and spread between thermometers)."),
                         ("flow_correlation_length.png", $"Flow against {Rsmi.Plots.Flow.FlowFigures.LogName(c.Block)}(ξ_L/ξ)", "As in the paper's Fig. 5: effective temperature against the RG scale measured by the correlation length."),
                         ("mutual_information.png", "Mutual information per step", "The estimator's I(H:E) at every RG step."),
                         ("filters.png", "Filters per step", "The learned filters at every RG step."),
                     })
            {
                string p = Path.Combine(flowDir, file);
                if (File.Exists(p)) s.Figures.Add(new ReportFigure(title, caption, File.ReadAllBytes(p), config.Output.Svg ? Path.GetRelativePath(dir.Root, Path.ChangeExtension(p, ".svg")) : null));
            }
            report.Sections.Add(s);
        }

        if (config.Potts is { Enabled: true } potts)
            foreach (int q in potts.Q)
                report.Sections.Add(PottsSection(dir, config, potts, q));

        if (config.Dimer.Enabled)
        {
            var c = config.Dimer;
            var s = new ReportSection { Title = "Dimer filters with noise (Fig. 4)" };
            s.Paragraphs.Add($"RSMI filters on a {c.Window}×{c.Window} window of the 2L×2L image of the fully packed dimer model (L = {c.Size}, {c.Samples} samples) " +
                             $"with vertex–face noise pairs coupled by K = {c.NoiseCoupling:0.###}; estimator {c.Estimator.Name}. " +
                             "The paper finds filters that couple to the electric fields E_x, E_y and ignore the noise spins.");
            s.Paragraphs.Add(EnsembleParagraph);
            foreach (int nh in c.Hidden.Distinct())
            {
                var f = FiltersFile.Read(dir.PathOf(StudyPlan.DimerFilters(nh)));
                AddFilters(dir, s, f, $"dimer_nh{nh}", $"Dimer filters, N_h = {nh}", config.Output.Svg, written);
                AddLearningFacts(s, f, nh);
                s.Facts.Add(($"N_h = {nh}: mean |weight| on noise / on bond pixels", NoiseRatio(f)));
                if (f.BlockX == f.BlockY && f.BlockX % 2 == 0 && f.Filters.IsSpinFilter)
                    s.Facts.Add(($"N_h = {nh}: share of each unit's squared weight in span(E_x, E_y) / in span(E_x, E_y, C_x, C_y)", FieldShares(f)));
                histories.Add(($"dimer N_h={nh}", f.History, f.HistoryMovingAverage));
            }
            report.Sections.Add(s);
        }

        if (config.Scan is { Enabled: true } scan) report.Sections.Add(ScanSection(dir, scan, config.Output.Svg));

        if (histories.Count > 0)
        {
            var s = new ReportSection { Title = "Mutual information during training" };
            using var plot = ReportFigures.MutualInformationHistories(histories);
            string b = dir.PathOf("figures/mi_histories");
            var png = ReportFigures.Save(plot, b, 900, 520, config.Output.Svg);
            written.Add("figures/mi_histories.png");
            if (config.Output.Svg) written.Add("figures/mi_histories.svg");
            s.Figures.Add(new ReportFigure("MI histories", "Estimate of I(H:E) in bits during the training of each filter set.", png, config.Output.Svg ? "figures/mi_histories.svg" : null));
            report.Sections.Add(s);
        }

        var run = new ReportSection { Title = "Run" };
        run.Facts.Add(("seed", config.Seed.ToString(CultureInfo.InvariantCulture)));
        run.Facts.Add(("rsmi", RsmiVersion.Current));
        run.Facts.Add((".NET", Environment.Version.ToString()));
        run.Facts.Add(("machine", $"{MachineInfo.CpuModel()}, {Environment.ProcessorCount} cores, SIMD {MachineInfo.SimdDescription()}"));
        foreach (var st in stages)
        {
            double secs = dir.StageSeconds(st.Name);
            run.Facts.Add(($"stage {st.Name}", double.IsFinite(secs) ? $"{secs:0.0} s (seed {StudyRunner.StageSeed(config.Seed, st.Name)})" : "not run"));
        }
        run.Paragraphs.Add("The resolved configuration is in config.json, seeds, versions and timings in run.json; every data file, filters file and figure is in this directory.");
        report.Sections.Add(run);

        AtomicFile.WriteAllText(dir.PathOf("report.html"), report.Render());
        written.Add("report.html");
        return written;
    }

    /// <summary>
    /// The scan's section (docs/scan.md): the information against the buffer and the parameter, the correlation lengths
    /// with their fit windows next to the exact ones where known (2D Ising above T_c), and the filters' overlaps with
    /// the model's patterns where it has them; every number read from scan/scan.json.
    /// </summary>
    internal static ReportSection ScanSection(RunDirectory dir, ScanConfig c, bool svg)
    {
        var s = new ReportSection { Title = "Mutual-information scan: correlation lengths" };
        string file = dir.PathOf(StudyPlan.ScanDirectory + "/" + ScanFile.FileName);
        var entries = ScanFile.Read(file);
        s.Paragraphs.Add($"I(H:E) of filters learned with a {c.Block}×{c.Block} block and environment {c.Environment} at buffers {string.Join(", ", c.Buffers)}, " +
                         $"held out from every learner and choice (ensembles of {c.Ensemble}, estimator {c.Estimator.Name}). The squared correlation ρ² = 1 − 2^(−2I) " +
                         $"falls as e^(−2 L_B/ξ) away from a critical point; ξ is fitted over the buffers from {c.FitFrom} on whose information is at least " +
                         $"{c.FitSigmas:0.#} standard errors above zero (docs/scan.md).");
        var ci = CultureInfo.InvariantCulture;
        bool overlaps = entries.Any(e => e.Overlaps.Count > 0);
        var names = entries.SelectMany(e => e.Overlaps.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToArray();
        var rows = entries.Select(e =>
        {
            bool ising = Rsmi.Models.ModelCatalog.Default.Find(e.Model) == Rsmi.Models.ModelCatalog.Ising2D && double.IsFinite(e.Temperature) && e.Temperature > Ising2D.CriticalTemperature;
            double exact = ising ? Onsager.CorrelationLength(e.Temperature) : double.NaN;
            var row = new List<string>
            {
                Path.GetFileName(e.File), double.IsFinite(e.ParameterValue) ? e.ParameterValue.ToString("G6", ci) : "—", e.Hidden.ToString(ci),
                string.Join(", ", e.Bits.Select((b, k) => string.Create(ci, $"{b:F4}±{e.Errors[k]:F4}"))),
                double.IsFinite(e.CorrelationLength) ? string.Create(ci, $"{e.CorrelationLength:F3} ± {e.CorrelationLengthError:F3}") : "—",
                e.FitBuffers.Length > 0 ? string.Join(",", e.FitBuffers) : "—",
                double.IsFinite(exact) ? string.Create(ci, $"{exact:F3} ({(e.CorrelationLength / exact - 1) * 100:+0.0;-0.0}%)") : "—",
            };
            foreach (string n in names)
                row.Add(e.Overlaps.TryGetValue(n, out var v) ? string.Join(", ", v.Select(x => double.IsFinite(x) ? x.ToString("F2", ci) : "—")) : "—");
            return row.ToArray();
        }).ToList();
        string parameter = entries.Select(e => e.ParameterName).FirstOrDefault() ?? "temperature";
        s.Tables.Add(new ReportTable("Per file and N_h: I(H:E) in bits at each buffer, the fitted ξ (lattice spacings) with its fit window, and the exact exponential correlation length ξ = 1/(ln coth K − 2K) of the 2D Ising model above T_c" +
            (overlaps ? "; the filters' overlap with each pattern set at each buffer." : "."),
            [.. new[] { "file", parameter, "N_h", "I(H:E) per buffer", "ξ", "fit L_B", "exact ξ" }, .. names.Select(n => $"overlap: {n.Replace('_', ' ')}")], rows));
        string directory = Path.GetDirectoryName(file)!;
        foreach (var (name, title, caption) in new[]
                 {
                     ("scan_information_buffer.png", "I(H:E) against the buffer", "Logarithmic axis; dashed: the fitted ρ² ∝ e^(−2 L_B/ξ) over the fit window."),
                     ("scan_information_parameter.png", $"I(H:E) against {parameter}", "One line per buffer."),
                     ("scan_correlation_length.png", "Correlation length", "ξ from the decay with the buffer; dashed: the exact value where known."),
                     ("scan_filter_overlaps.png", "Filters across the transition", "Overlap of the reported filters with the model's patterns."),
                 })
        {
            string p = Path.Combine(directory, name);
            if (File.Exists(p)) s.Figures.Add(new ReportFigure(title, caption, File.ReadAllBytes(p), svg ? Path.GetRelativePath(dir.Root, Path.ChangeExtension(p, ".svg")) : null));
        }
        return s;
    }

    /// <summary>
    /// The flow's learning settings as flow.json records them (buffer, environment, the estimator and its effective
    /// options), and the flow table: T_eff/T_c at every step of every flow with the source of the rule that made it,
    /// so that steps which learned no signal and used another rule stand out.
    /// </summary>
    internal static void AddFlowSettings(ReportSection s, JsonNode flow, double tc = Ising2D.CriticalTemperature)
    {
        string estimator = flow["estimator"]?.GetValue<string>() ?? "?";
        s.Facts.Add(("estimator", estimator));
        var buffer = flow["buffer"]; var environment = flow["environment"];
        s.Facts.Add(("learning window", buffer is null || environment is null
            ? "none (a fixed rule learns nothing)"
            : $"block {flow["block"]}, buffer {buffer}, environment {environment}"));
        var options = flow["estimator_options"]?.AsObject();
        if (options is { Count: > 0 })
            s.Facts.Add(("estimator options", string.Join(", ", options.Select(o => $"{o.Key} = {o.Value?.ToJsonString().Trim('"') ?? "null"}"))));

        var flows = flow["flows"]?.AsArray();
        if (flows is null || flows.Count == 0) return;
        int steps = flows[0]!["steps"]!.AsArray().Count - 1;
        var rows = new List<string[]>();
        int substituted = 0;
        foreach (var f in flows)
        {
            var row = new List<string> { (f!["temperature"]!.GetValue<double>() / tc).ToString("F3", CultureInfo.InvariantCulture) };
            foreach (var st in f["steps"]!.AsArray())
            {
                double? t = st!["effective_temperature"]?.GetValue<double>(), e = st["effective_temperature_error"]?.GetValue<double>();
                string cell = t is double tv ? HtmlReport.FormatWithError(tv / tc, e is double ev ? ev / tc : double.NaN) : "n/a";
                if (st["step"]!.GetValue<int>() > 0)
                {
                    double? mi = st["mutual_information_bits"]?.GetValue<double>();
                    if (mi is double m) cell += string.Create(CultureInfo.InvariantCulture, $"; I = {m:0.000} bits");
                    string? source = st["rule_source"]?.GetValue<string>();
                    cell += source switch
                    {
                        Rsmi.Renormalization.RuleSources.PreviousStep => $"; no signal: rule of step {st["rule_step"]}",
                        Rsmi.Renormalization.RuleSources.MajorityFallback => "; no signal: majority rule",
                        Rsmi.Renormalization.RuleSources.Learned => "; learned",
                        _ => "",
                    };
                    if (source is Rsmi.Renormalization.RuleSources.PreviousStep or Rsmi.Renormalization.RuleSources.MajorityFallback) substituted++;
                }
                row.Add(cell);
            }
            rows.Add([.. row]);
        }
        string[] header = ["T₀/T_c", .. Enumerable.Range(0, steps + 1).Select(k => $"k = {k}")];
        s.Tables.Add(new ReportTable("T_eff/T_c at every RG step (error: jackknife and thermometer spread), the estimator's I(H:E) and where the step's rule came from.", header, rows));
        if (buffer is null) return;
        s.Paragraphs.Add(substituted == 0
            ? "Every learned step had a signal (its I(H:E) estimate more than two error bars above zero) and coarse-grained with its own rule."
            : $"{substituted} step(s) learned no signal (an I(H:E) estimate within two error bars of zero) and did not use that rule: each coarse-grained with the last rule of its flow that had a signal, or with the majority rule when none had (flow.json: signal, rule_source).");
    }

    /// <summary>
    /// The section of the Potts flow with <paramref name="q"/> states (docs/algorithm.md, "Potts operators"): the flow
    /// table, T_c by the Monte Carlo thermometer and ν by the flow and by MCRG with the learned and the plurality rule
    /// against the exact values, ν level by level with its drift, and why the estimates converge as they do.
    /// </summary>
    internal static ReportSection PottsSection(RunDirectory dir, RunConfig config, PottsConfig c, int q)
    {
        var ci = CultureInfo.InvariantCulture;
        var s = new ReportSection { Title = $"Potts model, q = {q}: RG flow, T_c and ν" };
        string flowDir = Path.GetDirectoryName(dir.PathOf(StudyPlan.PottsDirectory(q) + "/flow.json"))!;
        var flow = JsonNode.Parse(File.ReadAllText(Path.Combine(flowDir, "flow.json")))!;
        double tc = Rsmi.Models.Potts.Exact.Potts2D.CriticalTemperature(q), nu = Rsmi.Models.Potts.Exact.Potts2D.Nu(q);
        double yh = Rsmi.Models.Potts.Exact.Potts2D.MagneticExponent(q);
        int temps = flow["flows"]?.AsArray().Count ?? 0;
        s.Paragraphs.Add(string.Create(ci, $"{temps} starting temperatures between {c.ResolvedRatios().Min():0.###} and {c.ResolvedRatios().Max():0.###} T_c on {c.Size}×{c.Size} lattices of the {q}-state Potts model, {c.Samples} samples each, {c.Steps} RG steps with b = {c.Block}; rule: {c.Rule}, and the plurality rule (the most frequent colour of the block, ties at random) on the same samples. ") +
                         "Temperatures are read by the Monte Carlo thermometer: the bond agreement of the coarse configurations against a calibration measured with the Potts sampler at the same lattice size (error: jackknife and the calibration's error). ν and y_h come from Swendsen's MCRG with the Potts operators, which needs no thermometer.");
        AddFlowSettings(s, flow, tc);
        var est = flow["estimates"];
        string own = est?["mcrg"]?["rule"]?.GetValue<string>() ?? c.Rule;
        AddEstimate(s, est?["tc"], "T_c", tc, null, "temperature where T_eff after K steps (Monte Carlo thermometer) equals the starting temperature");
        AddEstimate(s, est?["nu_flow"], "ν (linearised flow)", nu, null, "δ_{k+1} = b^{1/ν} δ_k near the fixed point");
        AddEstimate(s, est?["nu_collapse"], "ν (data collapse)", nu, null, $"collapse of T_eff^(k) against (T_0/T_c − 1)·b^(k/ν), b = {c.Block}");
        AddEstimate(s, est?["nu_mcrg"], $"ν (MCRG, {own} rule)", nu, null, "Swendsen's linearised MCRG with the rule of the flow, averaged over the combined levels");
        AddEstimate(s, est?["nu_mcrg_majority"], "ν (MCRG, plurality rule)", nu, null, "Swendsen's linearised MCRG, plurality-rule baseline");
        foreach (string key in new[] { "mcrg", "mcrg_majority" })
        {
            if (est?[key] is not JsonObject m || m["levels"] is not JsonArray levels || levels.Count == 0) continue;
            var deepest = levels.LastOrDefault(l => l!["coarse_size"]!.GetValue<int>() >= 8) ?? levels[^1];
            AddEstimate(s, deepest!["nu"], $"ν (MCRG, {m["rule"]} rule, deepest level {deepest["fine_size"]}→{deepest["coarse_size"]})", nu, null,
                "the level nearest the fixed point whose coarse lattice is at least 8×8: where a slowly converging MCRG is best");
        }
        AddEstimate(s, est?["y_h"], $"y_h (MCRG odd sector, {own} rule)", yh, null, "leading eigenvalue of the odd-operator A⁻¹B (q order-parameter components), averaged over the combined levels");
        AddEstimate(s, est?["eta"], $"η (MCRG, {own} rule)", 4 - 2 * yh, null, "η = d + 2 − 2y_h");
        var rows = new List<string[]>();
        foreach (string key in new[] { "mcrg", "mcrg_majority" })
        {
            if (est?[key] is not JsonObject m || m["levels"] is not JsonArray levels || levels.Count == 0) continue;
            var nus = levels.Select(l => (Value: Num(l!["nu"]?["value"]), Error: Num(l!["nu"]?["error"]))).ToList();
            // The deepest level with a coarse lattice of at least 8×8 (the last level when none is), as McrgResult.DeepestLevel.
            int d = levels.Count - 1;
            while (d >= 0 && levels[d]!["coarse_size"]!.GetValue<int>() < 8) d--;
            if (d < 0) d = levels.Count - 1;
            string drift = d < 1 ? "n/a"
                : HtmlReport.FormatWithError(nus[d].Value - nus[d - 1].Value, Math.Sqrt(nus[d].Error * nus[d].Error + nus[d - 1].Error * nus[d - 1].Error));
            rows.Add([m["rule"]!.GetValue<string>(), string.Join("; ", levels.Select((l, i) => $"{l!["fine_size"]}→{l["coarse_size"]}: {HtmlReport.FormatWithError(nus[i].Value, nus[i].Error)}")),
                HtmlReport.FormatWithError(Num(m["nu"]?["value"]), Num(m["nu"]?["error"])), drift]);
        }
        if (rows.Count > 0)
            s.Tables.Add(new ReportTable(string.Create(ci, $"ν from MCRG level by level (exact {nu:0.######}), the combination of the levels n ≥ 1 with coarse lattices of at least 8×8, and the drift: the change of ν in the step to the deepest level with a coarse lattice of at least 8×8."),
                ["rule", "ν by level", "ν combined", "drift (last step)"], rows));
        s.Paragraphs.Add(PottsConvergence(q));
        var checkedEstimates = s.Estimates.Where(e => double.IsFinite(e.Deviation)).ToList();
        var outside = checkedEstimates.Where(e => e.Deviation > ConsistencySigmas).Select(e => e.Quantity).ToList();
        if (checkedEstimates.Count > 0)
            s.Paragraphs.Add(outside.Count == 0
                ? $"All {checkedEstimates.Count} estimates agree with the exact values within {ConsistencySigmas:0} error bars."
                : $"Estimates further than {ConsistencySigmas:0} error bars from the exact value: {string.Join(", ", outside)}; the bias of a few RG steps from the nearest-neighbour model (above) is not part of the error bars, which are statistical.");
        foreach (var (file, title, caption) in new[]
                 {
                     ("flow_temperature.png", $"RG flow, q = {q}", "T_eff/T_c against the RG step for each starting temperature (error bars: jackknife and the calibration's error)."),
                     ("mutual_information.png", $"Mutual information per step, q = {q}", "The estimator's I(H:E) at every RG step."),
                     ("filters.png", $"Filters per step, q = {q}", "Per block site: how strongly it pulls each state of the categorical unit towards its most favoured colour (equal at every site for the plurality rule)."),
                 })
        {
            string p = Path.Combine(flowDir, file);
            if (File.Exists(p)) s.Figures.Add(new ReportFigure(title, caption, File.ReadAllBytes(p), config.Output.Svg ? Path.GetRelativePath(dir.Root, Path.ChangeExtension(p, ".svg")) : null));
        }
        return s;
    }

    /// <summary>
    /// The section of a flow of the 3D Ising model (docs/algorithm.md, "3D Ising operators"): T_c by the Monte Carlo
    /// thermometer, ν and y_h by MCRG with the flow's rule and with majority against the reference values
    /// (docs/references.md, "3D Ising model"), and the table of the estimates by RG step.
    /// </summary>
    internal static ReportSection Ising3DFlowSection(RunDirectory dir, RunConfig config, FlowConfig c)
    {
        var ci = CultureInfo.InvariantCulture;
        var s = new ReportSection { Title = "3D Ising model: RG flow, T_c, ν and y_h" };
        string flowDir = Path.GetDirectoryName(dir.PathOf(StudyPlan.FlowDirectory + "/flow.json"))!;
        var flow = JsonNode.Parse(File.ReadAllText(Path.Combine(flowDir, "flow.json")))!;
        double tc = Rsmi.Models.Ising.Exact.Ising3D.CriticalTemperature, nu = Rsmi.Models.Ising.Exact.Ising3D.Nu, yh = Rsmi.Models.Ising.Exact.Ising3D.MagneticExponent;
        int temps = flow["flows"]?.AsArray().Count ?? 0;
        s.Paragraphs.Add(string.Create(ci, $"{temps} starting temperatures on {c.Size}×{c.Size}×{c.Size} lattices of the 3D Ising model, {c.Samples} samples each{McrgSamplesNote(c)}, {c.Steps} RG steps with {c.Block}×{c.Block}×{c.Block} blocks; rule: {c.Rule}{(c.Rule == "majority" ? " (ties at random)" : ", and the majority rule (ties at random) on the same samples")}. ") +
                         "Temperatures are read by the Monte Carlo thermometer: the bond agreement of the coarse configurations against a calibration measured with the Wolff sampler at the same lattice size (error: jackknife and the calibration's error). ν and y_h come from Swendsen's MCRG with the cubic operators, which needs no thermometer.");
        AddFlowSettings(s, flow, tc);
        if (flow["mcrg_lattice"] is JsonObject ownLattice) s.Paragraphs.Add(McrgLatticeNote(ownLattice));
        var est = flow["estimates"];
        string own = est?["mcrg"]?["rule"]?.GetValue<string>() ?? c.Rule;
        AddEstimate(s, est?["tc"], "T_c", tc, null, "temperature where T_eff after K steps (Monte Carlo thermometer) equals the starting temperature");
        var combination = (Rsmi.Renormalization.DeepestLevelCombination)Rsmi.Models.Ising.IsingCubicOperators.Instance.LevelCombination;
        string deepest = string.Create(ci, $"at the deepest level with a coarse lattice of at least 8³; the error adds to the jackknife's the level systematic, {combination.TailFactor(c.Block):F2} times the change of the last step (the distance still left to the fixed point if it shrinks by {c.Block}^−ω per step, ω = {combination.Omega})");
        AddEstimate(s, est?["nu_mcrg"], $"ν (MCRG, {own} rule)", nu, null, $"Swendsen's linearised MCRG with the rule of the flow, {deepest}");
        AddEstimate(s, est?["nu_mcrg_majority"], "ν (MCRG, majority rule)", nu, null, "Swendsen's linearised MCRG, majority-rule baseline, likewise");
        AddEstimate(s, est?["y_h"], $"y_h (MCRG odd sector, {own} rule)", yh, null, $"leading eigenvalue of the odd-operator A⁻¹B, {deepest}");
        AddEstimate(s, est?["mcrg_majority"]?["y_h"], "y_h (MCRG odd sector, majority rule)", yh, null, "the same with the majority rule");
        AddEstimate(s, est?["nu_flow"], "ν (linearised flow)", nu, null, "δ_{k+1} = b^{1/ν} δ_k near the fixed point");
        if (est?["estimates_by_step"] is JsonArray table)
        {
            string F(JsonNode? e) => HtmlReport.FormatWithError(Num(e?["value"]), Num(e?["error"]));
            bool lattice = flow["mcrg_lattice"] is not null;
            var rows = table.Select(k => new[]
            {
                $"{k!["step"]}", k["size"] is null ? "—" : $"{k["size"]}³", F(k["tc"]), F(k["nu_mcrg"]), F(k["nu_mcrg_majority"]), F(k["y_h"]), F(k["y_h_majority"]),
            }.Concat(lattice ? [$"{k["mcrg_size"]}³"] : []).ToArray()).ToList();
            string[] header = ["k", "lattice", "T_c", $"ν ({own})", "ν (majority)", $"y_h ({own})", "y_h (majority)"];
            s.Tables.Add(new ReportTable(string.Create(ci, $"The estimates after each step k: T_c where T_eff^(k) = T₀ (error: jackknife and the calibration's spread), ν and y_h of the linearised RG from level k − 1 to k (exact T_c = {tc:F6}, ν = {nu:0.#####}, y_h = {yh:0.####}).") +
                (lattice ? " MCRG reads its lattice of its own (last column); the flow's lattice has no T_c past its last step." : ""),
                lattice ? [.. header, "MCRG lattice"] : header, rows));
        }
        var checkedEstimates = s.Estimates.Where(e => double.IsFinite(e.Deviation)).ToList();
        var outside = checkedEstimates.Where(e => e.Deviation > ConsistencySigmas).Select(e => e.Quantity).ToList();
        if (checkedEstimates.Count > 0)
            s.Paragraphs.Add(outside.Count == 0
                ? $"All {checkedEstimates.Count} estimates agree with the reference values within {ConsistencySigmas:0} error bars."
                : $"Estimates further than {ConsistencySigmas:0} error bars from the reference value: {string.Join(", ", outside)}. The MCRG errors hold the level systematic; T_c's and ν_flow's are statistical and the thermometer's, and do not hold the bias of a thermometer that reads a coarse Hamiltonian which is not nearest-neighbour.");
        foreach (var (file, title, caption) in new[]
                 {
                     ("flow_temperature.png", "RG flow, 3D Ising", "T_eff/T_c against the RG step for each starting temperature (error bars: jackknife and the calibration's error)."),
                     ("mutual_information.png", "Mutual information per step, 3D Ising", "The estimator's I(H:E) at every RG step."),
                 })
        {
            string p = Path.Combine(flowDir, file);
            if (File.Exists(p)) s.Figures.Add(new ReportFigure(title, caption, File.ReadAllBytes(p), config.Output.Svg ? Path.GetRelativePath(dir.Root, Path.ChangeExtension(p, ".svg")) : null));
        }
        return s;
    }

    /// <summary>Why MCRG estimates of the q-state Potts model converge as they do over a few RG steps (docs/algorithm.md, "Potts operators").</summary>
    internal static string PottsConvergence(int q) => q switch
    {
        4 => "Why q = 4 converges slowly: at q = 4 the dilution (vacancy) operator of the Potts fixed point is marginal, y = 0 (Nienhuis, Berker, Riedel & Schick, PRL 43, 737 (1979); " +
             "Cardy, Nauenberg & Scalapino, PRB 22, 2560 (1980)). An RG step then shrinks the distance of the coarse Hamiltonian from its fixed point by a factor that tends to 1, " +
             "so the linearised RG approaches ν = 2/3 only logarithmically in the length scale, and finite lattices carry multiplicative logarithmic corrections (Salas & Sokal, J. Stat. Phys. 88, 567 (1997)). " +
             "ν per level therefore keeps drifting from step to step instead of settling (the table above gives the drift on these lattices).",
        3 => "How q = 3 converges: the leading irrelevant thermal operator of the q = 3 fixed point has y = −4/5 (den Nijs, J. Phys. A 12, 1857 (1979); Nienhuis, J. Stat. Phys. 34, 731 (1984)), " +
             "so each RG step of b = 2 shrinks the distance from the fixed point only by 2^(−4/5) ≈ 0.57; starting from the nearest-neighbour model, y_t per level rises slowly towards 6/5 " +
             "and ν from a few steps approaches 5/6 from above (the table above gives it level by level).",
        _ => "q = 2 is the Ising model at half its temperature (δ(s, s′) = (1 + s s′)/2): its estimates converge as the Ising flow's do.",
    };

    /// <summary>
    /// What the MCRG lattice of its own did (flow.json <c>mcrg_lattice</c>): its size, parts and steps, and where the rule
    /// of every step came from, with the learned rules' I(H:E).
    /// </summary>
    internal static string McrgLatticeNote(JsonObject lattice)
    {
        var ci = CultureInfo.InvariantCulture;
        var steps = lattice["steps_learned"]?.AsArray() ?? [];
        string Step(JsonNode? k)
        {
            string source = k?["rule_source"]?.GetValue<string>() ?? "?";
            string mi = k?["mutual_information_bits"] is JsonNode v ? string.Create(ci, $", I(H:E) = {v.GetValue<double>():F3} bits") : "";
            string from = k?["rule_step"] is JsonNode r ? $" (step {r})" : "";
            return $"step {k?["step"]} ({k?["size"]}³): {source}{from}{mi}";
        }
        return string.Create(ci, $"The MCRG lattice, {lattice["size"]}³ at T = {Num(lattice["temperature"]):G7}: {lattice["samples"]} configurations drawn in {lattice["parts"]} part{(lattice["parts"]?.GetValue<int>() == 1 ? "" : "s")} from chains that run on, ") +
               $"blocked {lattice["steps"]} times by rules learned on its first part and by the majority rule. Rules by step: {string.Join("; ", steps.Select(Step))}.";
    }

    /// <summary>", and N at T = …, where MCRG runs" when the flow draws more configurations at its MCRG temperature; empty otherwise.</summary>
    internal static string McrgSamplesNote(FlowConfig c) =>
        c.McrgSize is int m && c.McrgTemperature is double at
            ? string.Create(CultureInfo.InvariantCulture, $", and MCRG on a lattice of its own, {m}{(c.Cubic ? "³" : "²")} with {c.McrgSamples ?? c.Samples} configurations at T = {at:G7}, blocked down to the flow's last lattice")
            : c.McrgSamples is int n && c.McrgTemperature is double t ? string.Create(CultureInfo.InvariantCulture, $" and {n} at T = {t:G7}, where MCRG runs") : "";

    /// <summary>
    /// The tables of the accuracy study from flow.json: T_c per step by the thermometer and by two-lattice matching,
    /// MCRG y_t and y_h per level and per number of operators, the per-rule table against the exact values with
    /// |Δ|/σ, the effective couplings per rule and step, and a sentence on whether each learned rule's effective
    /// Hamiltonian is shorter-ranged than each fixed rule's.
    /// </summary>
    internal static void AddAccuracyTables(ReportSection s, JsonNode flow)
    {
        var ci = CultureInfo.InvariantCulture;
        var est = flow["estimates"];
        if (est is null) return;
        string Cell(JsonNode? e) => e is null ? "n/a" : HtmlReport.FormatWithError(Num(e["value"]), Num(e["error"]));

        var byStep = est["tc_by_step"]?.AsArray();
        var twoLattice = est["tc_two_lattice_by_step"]?.AsArray();
        if (byStep is not null && byStep.Count > 0)
        {
            var rows = new List<string[]>();
            for (int k = 0; k < byStep.Count; k++)
                rows.Add([(k + 1).ToString(ci), Cell(byStep[k]), twoLattice is not null && k < twoLattice.Count ? Cell(twoLattice[k]) : "n/a"]);
            rows.Add(["estimate", Cell(est["tc_by_step_extrapolated"]) + " (k → ∞)", Cell(est["tc_two_lattice"]) + $" (k = {est["tc_two_lattice_step"]?.ToString() ?? "n/a"})"]);
            s.Tables.Add(new ReportTable($"T_c after k steps: where T_eff^(k) = T₀ (Kaufman thermometer) and where the two lattices' correlations agree; last row: the thermometer's crossings extrapolated in k, and the two-lattice value at the last step whose matched lattices are at least {Rsmi.Renormalization.TwoLatticeMatching.SmallestMatchedSize}×{Rsmi.Renormalization.TwoLatticeMatching.SmallestMatchedSize}.",
                ["k", "T_c^(k), thermometer", "T_c^(k), two lattices"], rows));
        }

        if (est["mcrg"] is JsonObject mcrg && mcrg["levels"] is JsonArray levels)
        {
            string List(JsonNode? a) => a is JsonArray arr && arr.Count > 0 ? string.Join(", ", arr.Select(x => Cell(x))) : "n/a";
            var rows = levels.Select(l => new[]
            {
                l!["level"]!.ToString(), $"{l["fine_size"]} → {l["coarse_size"]}", List(l["yt_by_operators"]), List(l["yh_by_operators"]),
            }).ToList();
            s.Tables.Add(new ReportTable($"MCRG with the {mcrg["rule"]} rule, level by level: y_t (exact 1) and y_h (exact 15/8) with the first 1, 2, … operators (even, then odd), so that the convergence in the number of operators shows.",
                ["level", "lattice", "y_t by operators", "y_h by operators"], rows));
        }

        var rules = est["rules"]?.AsArray();
        if (rules is null || rules.Count == 0) return;
        string[] keys = ["tc_two_lattice", "nu_mcrg", "y_h", "eta"];
        var table = new List<string[]>();
        foreach (var r in rules)
        {
            var row = new List<string> { r!["rule"]!.GetValue<string>() };
            var missing = new List<string>();
            foreach (string key in keys)
            {
                var e = r[key];
                double v = Num(e?["value"]), dev = Num(e?["deviation"]);
                if (!double.IsFinite(v))
                {
                    row.Add("n/a");
                    missing.Add(key switch
                    {
                        "tc_two_lattice" => flow["match_size"] is null ? "no L/b lattice was drawn" : "the two lattices' correlations do not cross in the temperature range",
                        _ => $"{key}: no real leading eigenvalue above 1",
                    });
                    continue;
                }
                row.Add($"{Cell(e)} ({(double.IsFinite(dev) ? dev.ToString("0.0", ci) : "—")} σ)");
            }
            row.Add(missing.Count == 0 ? "" : string.Join("; ", missing.Distinct()));
            table.Add([.. row]);
        }
        s.Tables.Add(new ReportTable($"Every rule on the same samples: estimates with |Δ|/σ against the exact values (T_c = {Ising2D.CriticalTemperature:F6}, ν = 1, y_h = 15/8, η = 1/4); MCRG at T₀ = {Num(est["mcrg_temperature"]).ToString("G6", ci)}.",
            ["rule", "T_c (two lattices)", "ν (MCRG)", "y_h (MCRG)", "η (MCRG)", "notes"], table));

        if (est["effective_couplings"] is JsonObject couplings)
        {
            var rows = new List<string[]>();
            foreach (var (rule, steps) in couplings)
                foreach (var st in steps!.AsArray())
                    rows.Add([rule, st!["step"]!.ToString(), st["size"]?.ToString() ?? "", Cell(st["nn"]), Cell(st["diagonal"]), Cell(st["third_neighbour"]), Cell(st["plaquette"]), Cell(st["range"])]);
            s.Tables.Add(new ReportTable("Effective Hamiltonian H = −Σ K_α S_α of the coarse-grained configurations per rule and step (maximum pseudo-likelihood, jackknife errors; n/a where the lattice is too small for the operator), and the range R = Σ_{α ≠ nn} |K_α| / |K_nn|.",
                ["rule", "step", "L", "K_nn", "K_diagonal", "K_third", "K_plaquette", "R"], rows));
        }
        s.Paragraphs.Add(RangeVerdict(rules));
    }

    /// <summary>
    /// Whether each learned rule's effective Hamiltonian is shorter-ranged than each fixed rule's on this data: the
    /// range R compared at every step k ≥ 1 where both are estimated; shorter-ranged when R is smaller at every such
    /// step, longer-ranged when larger at every one, mixed otherwise (with the number of steps where the difference
    /// exceeds two combined error bars).
    /// </summary>
    internal static string RangeVerdict(JsonArray rules)
    {
        var ci = CultureInfo.InvariantCulture;
        var learned = rules.Where(r => !Rsmi.Renormalization.RuleEstimators.IsFixed(r!["rule"]!.GetValue<string>())).ToList();
        var fixedRules = rules.Where(r => Rsmi.Renormalization.RuleEstimators.IsFixed(r!["rule"]!.GetValue<string>())).ToList();
        if (learned.Count == 0 || fixedRules.Count == 0)
            return "No learned rule and fixed rule were both applied to these samples, so the ranges of their effective Hamiltonians are not compared (flow.compare adds rules).";
        var sentences = new List<string>();
        foreach (var l in learned)
        {
            var parts = new List<string>();
            foreach (var f in fixedRules)
            {
                var rl = l!["range_by_step"]!.AsArray();
                var rf = f!["range_by_step"]!.AsArray();
                int compared = 0, shorter = 0, longer = 0, significant = 0;
                for (int k = 1; k < Math.Min(rl.Count, rf.Count); k++)
                {
                    double a = Num(rl[k]?["value"]), ea = Num(rl[k]?["error"]), b = Num(rf[k]?["value"]), eb = Num(rf[k]?["error"]);
                    if (!double.IsFinite(a) || !double.IsFinite(b)) continue;
                    compared++;
                    if (a < b) shorter++; else if (a > b) longer++;
                    double sigma = Math.Sqrt((double.IsFinite(ea) ? ea * ea : 0) + (double.IsFinite(eb) ? eb * eb : 0));
                    if (Math.Abs(a - b) > 2 * sigma) significant++;
                }
                string name = f["rule"]!.GetValue<string>();
                if (compared == 0) { parts.Add($"cannot be compared with {name}'s (no step with both ranges)"); continue; }
                string verdict = shorter == compared ? "IS shorter-ranged than" : longer == compared ? "is NOT shorter-ranged (it is longer-ranged) than" : "is NOT uniformly shorter-ranged than";
                parts.Add(string.Create(ci, $"{verdict} {name}'s (R smaller at {shorter} of {compared} steps k ≥ 1, the difference beyond two error bars at {significant})"));
            }
            sentences.Add($"The {l!["rule"]} rule's effective Hamiltonian {string.Join("; it ", parts)}.");
        }
        return "On this data: " + string.Join(" ", sentences);
    }

    private static double Num(JsonNode? n) => n is null ? double.NaN : n.GetValue<double>();

    /// <summary>How the filters shown were chosen and measured (docs/learning.md).</summary>
    internal const string EnsembleParagraph =
        "Each filter set is the best of an ensemble of independent runs, each from its own seed, trained on 80% of the configurations; " +
        "every member is measured as it is applied (h = sign(λ·V + c)) by a fresh critic on the next 10%, and the kept one's I(H:E) is reported on the last 10%, which nothing has seen. " +
        "The spread lists the members' mean and standard deviation of I(H:E) and how well each aligns with the kept filters (|cos| up to the order and sign of the hidden units; 1: the same). " +
        "When the reported I(H:E) is not more than two error bars above zero the data carry no usable signal and the table says so.";

    /// <summary>The held-out estimate with its error, the signal verdict and the ensemble's spread of one filters file.</summary>
    internal static void AddLearningFacts(ReportSection s, FilterSet f, int nh)
    {
        var ci = CultureInfo.InvariantCulture;
        double? error = f.Extra.TryGetValue("mutual_information_bits_error", out var e) && e is not null ? e.GetValue<double>() : null;
        s.Facts.Add(($"N_h = {nh}: I(H:E), held out", error is double err ? HtmlReport.FormatWithError(f.MutualInformationBits, err) + " bits" : string.Create(ci, $"{f.MutualInformationBits:0.0000} bits")));
        if (f.Extra.TryGetValue("signal", out var signal) && signal is not null)
            s.Facts.Add(($"N_h = {nh}: signal", signal.GetValue<bool>() ? "yes" : "no: the estimate is within two error bars of zero, the filters are noise"));
        if (f.Extra.TryGetValue("ensemble_spread", out var spread) && spread is not null)
        {
            double mean = spread["mutual_information_bits_mean"]!.GetValue<double>();
            double? sd = spread["mutual_information_bits_std"]?.GetValue<double>();
            var align = spread["alignment"]!.AsArray().Select(a => a!.GetValue<double>().ToString("0.000", ci));
            s.Facts.Add(($"N_h = {nh}: ensemble of {spread["members"]!.GetValue<int>()}",
                string.Create(ci, $"I(H:E) {mean:0.0000} ± {sd ?? 0:0.0000} bits (mean ± sd of the members); alignment with the kept filters {string.Join(", ", align)}")));
        }
    }

    private static void AddFilters(RunDirectory dir, ReportSection s, FilterSet f, string name, string title, bool svg, List<string> written)
    {
        using var plot = ReportFigures.FilterPanel(f, title);
        int width = Math.Clamp(160 * f.Hidden * Math.Max(1, f.BlockX / 2) + 140, 420, 1100);
        int height = Math.Clamp(140 * Math.Max(1, f.BlockY / 2) + 120, 300, 700);
        var png = ReportFigures.Save(plot, dir.PathOf($"figures/{name}"), width, height, svg);
        written.Add($"figures/{name}.png");
        if (svg) written.Add($"figures/{name}.svg");
        s.Figures.Add(new ReportFigure(title, $"Weights λ of each hidden unit over the {f.BlockX}×{f.BlockY} block (diverging colours, symmetric about zero); units side by side.", png, svg ? $"figures/{name}.svg" : null));
    }

    private static void AddEstimate(ReportSection s, JsonNode? node, string quantity, double exact, string? paper, string method)
    {
        if (node is null) return;
        double v = node["value"]?.GetValue<double>() ?? double.NaN;
        double e = node["error"]?.GetValue<double>() ?? double.NaN;
        s.Estimates.Add(new ReportEstimate(quantity, v, e, exact, paper, method));
    }

    private static string FilterShapeName(int nh) => nh == 1 ? "spread of |weights| about their mean" : "largest share of squared weight on one site, per unit";

    /// <summary>For one unit: relative spread of the weights (Kadanoff: 0, all same sign); for several: each unit's largest squared-weight share.</summary>
    internal static string FilterShape(FilterSet f)
    {
        if (f.Hidden == 1)
        {
            var w = f.Filter(0).ToArray();
            double mean = w.Average();
            double spread = w.Max(x => Math.Abs(x - mean)) / Math.Abs(mean);
            bool sameSign = w.All(x => x > 0) || w.All(x => x < 0);
            return $"max |λ_i − mean|/|mean| = {spread:0.000}; {(sameSign ? "all weights of one sign" : "weights of both signs")}";
        }
        var shares = new List<string>();
        for (int j = 0; j < f.Hidden; j++)
        {
            var w = f.Filter(j).ToArray();
            double total = w.Sum(x => x * x);
            int arg = Array.IndexOf(w, w.MaxBy(x => x * x));
            shares.Add($"unit {j + 1}: {w[arg] * w[arg] / total:0.00} on site {arg}");
        }
        return string.Join("; ", shares);
    }

    /// <summary>Per unit, the share of its squared weight in the span of the block's electric fields and in the span of the
    /// fields and the columnar order parameter (<see cref="FilterOverlaps"/>, docs/learning.md, "Dimer filters with four
    /// units").</summary>
    internal static string FieldShares(FilterSet f)
    {
        var sets = FilterOverlaps.DimerPatterns(f.BlockX);
        var fields = sets.Single(p => p.Name == "electric_field").Patterns;
        var both = fields.Concat(sets.Single(p => p.Name == "columnar").Patterns).ToList();
        var parts = new List<string>();
        for (int j = 0; j < f.Hidden; j++)
        {
            var unit = FilterParameters.FromRows([f.Filters.Row(j).ToArray()]);
            parts.Add($"unit {j + 1}: {FilterOverlaps.Overlap(unit, fields):0.00} / {FilterOverlaps.Overlap(unit, both):0.00}");
        }
        string text = string.Join("; ", parts);
        if (f.Hidden > 2)
            text += " (docs/learning.md, \"Dimer filters with four units\": when more than two units gain from the columnar order parameter C)";
        return text;
    }

    /// <summary>Mean |weight| on noise pixels (even-even vertex and odd-odd face pixels of the 2L×2L image) over that on bond pixels.</summary>
    internal static string NoiseRatio(FilterSet f)
    {
        var parts = new List<string>();
        for (int j = 0; j < f.Hidden; j++)
        {
            double noise = 0, bond = 0; int nn = 0, nb = 0;
            for (int y = 0; y < f.BlockY; y++)
                for (int x = 0; x < f.BlockX; x++)
                {
                    double a = Math.Abs(f.Weight(j, x, y));
                    if ((x + y) % 2 == 0) { noise += a; nn++; } else { bond += a; nb++; }
                }
            parts.Add($"unit {j + 1}: {(noise / nn) / (bond / nb):0.000}");
        }
        return string.Join("; ", parts);
    }
}
