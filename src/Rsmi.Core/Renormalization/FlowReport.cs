using Rsmi.Statistics;
using System.Text;
using System.Text.Json;
using Rsmi.Models;

namespace Rsmi.Renormalization;

/// <summary>
/// <c>flow.json</c>: the flows and estimates of an RG study. Keys required by the flow issue:
/// <c>{"model", "size", "steps", "estimator", "flows": [{"temperature", "steps": [{"step", "size",
/// "effective_temperature", "effective_temperature_error", "nn_correlation", "diagonal_correlation",
/// "correlation_length", "mutual_information_bits"}]}], "estimates": {"tc", "nu_flow", "nu_collapse", "nu_mcrg",
/// "nu_mcrg_majority"} each {"value", "error"}}</c>; further keys add detail (errors of the correlations, every
/// thermometer, filters, MCRG level by level). Numbers that could not be estimated are written as null.
/// The learning settings are at top level: <c>"buffer"</c> and <c>"environment"</c> of the learning windows (null
/// for fixed rules) and <c>"estimator_options"</c>, the estimator's effective options by command-line name (empty
/// for fixed rules). Every step k ≥ 1 records <c>"signal"</c> (whether the rule learned there had a signal; null for
/// fixed rules) and <c>"rule_source"</c> (<see cref="RuleSources"/>), with <c>"rule_step"</c> when the rule of an
/// earlier step was applied.
/// </summary>
public static class FlowReport
{
    /// <summary>The report as indented UTF-8 JSON.</summary>
    public static byte[] ToJson(FlowResult r, IReadOnlyDictionary<string, object?>? provenance = null)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", r.Model);
            foreach (var (name, value) in r.ModelParameters) w.WriteNumber(name, value);
            w.WriteNumber("size", r.Size);
            w.WriteNumber("steps", r.Steps);
            w.WriteString("estimator", r.Estimator);
            w.WriteNumber("block", r.Block);
            Integer(w, "match_size", r.Flows.Count > 0 && r.Flows.All(f => f.MatchSamples > 0) ? r.Size / r.Block : null);
            Integer(w, "buffer", r.Buffer);
            Integer(w, "environment", r.Environment);
            w.WriteStartObject("estimator_options");
            foreach (var (k, v) in r.EstimatorOptions.OrderBy(o => o.Key, StringComparer.Ordinal)) WriteValue(w, k, v);
            w.WriteEndObject();
            w.WriteNumber("seed", r.Seed);
            w.WriteString("rsmi_version", RsmiVersion.Current);
            if (provenance is not null)
            {
                w.WriteStartObject("provenance");
                foreach (var (k, v) in provenance) WriteValue(w, k, v);
                w.WriteEndObject();
            }
            w.WriteStartArray("flows");
            foreach (var f in r.Flows)
            {
                w.WriteStartObject();
                w.WriteNumber("temperature", f.Temperature);
                w.WriteNumber("samples", f.Samples);
                if (f.MatchSamples > 0) w.WriteNumber("match_samples", f.MatchSamples);
                w.WriteStartArray("steps");
                foreach (var s in f.Steps)
                {
                    var t = s.Thermometry;
                    w.WriteStartObject();
                    w.WriteNumber("step", s.Step);
                    w.WriteNumber("size", t.Size);
                    Number(w, "effective_temperature", t.EffectiveTemperature.Value);
                    Number(w, "effective_temperature_error", t.EffectiveTemperature.Error);
                    Number(w, "effective_temperature_statistical_error", t.PrimaryTemperature.Error);
                    for (int th = 1; th < t.Temperatures.Length; th++) Number(w, "effective_temperature_" + t.Thermometers[th], t.Temperatures[th].Value);
                    Number(w, "thermometer_spread", t.Spread);
                    Number(w, "nn_correlation", t.NearestNeighbourCorrelation.Value);
                    Number(w, "nn_correlation_error", t.NearestNeighbourCorrelation.Error);
                    Number(w, "diagonal_correlation", t.DiagonalCorrelation.Value);
                    Number(w, "diagonal_correlation_error", t.DiagonalCorrelation.Error);
                    Number(w, "correlation_length", t.CorrelationLength.Value);
                    Number(w, "correlation_length_error", t.CorrelationLength.Error);
                    Number(w, "mutual_information_bits", s.MutualInformation?.Value);
                    Number(w, "mutual_information_bits_error", s.MutualInformation is { Error: var miError } && !double.IsNaN(miError) ? miError : null);
                    Couplings(w, "effective_couplings", s.EffectiveCouplings, r.Operators);
                    if (s.Step > 0)
                    {
                        if (s.Signal is bool signal) w.WriteBoolean("signal", signal); else w.WriteNull("signal");
                        if (s.RuleSource is null) w.WriteNull("rule_source"); else w.WriteString("rule_source", s.RuleSource);
                        if (s.RuleStep is int rs) w.WriteNumber("rule_step", rs);
                    }
                    if (s.Filters is { } filters)
                    {
                        w.WriteStartArray("weights");
                        for (int j = 0; j < filters.Hidden; j++) { w.WriteStartArray(); foreach (double x in filters.Row(j)) w.WriteNumberValue(x); w.WriteEndArray(); }
                        w.WriteEndArray();
                        w.WriteStartArray("bias");
                        foreach (double x in filters.Bias) w.WriteNumberValue(x);
                        w.WriteEndArray();
                        if (s.LearnedBias is not null)
                        {
                            w.WriteStartArray("learned_bias");
                            foreach (double x in s.LearnedBias) w.WriteNumberValue(x);
                            w.WriteEndArray();
                        }
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (r.McrgLattice is { } lattice) McrgLattice(w, lattice);

            var e = r.Estimates;
            w.WriteStartObject("estimates");
            Estimate(w, "tc", e.CriticalTemperature);
            Estimate(w, "nu_flow", e.NuFlow);
            Estimate(w, "nu_collapse", e.NuCollapse);
            Estimate(w, "nu_mcrg", e.NuMcrg);
            Estimate(w, "nu_mcrg_majority", e.NuMcrgMajority);
            w.WriteStartArray("tc_by_step");
            foreach (var x in e.CriticalTemperatureByStep) EstimateValue(w, x);
            w.WriteEndArray();
            w.WriteStartArray("tc_stationary_by_step");
            foreach (var x in e.StationaryCrossingByStep) EstimateValue(w, x);
            w.WriteEndArray();
            w.WriteStartObject("by_thermometer");
            var names = r.Flows.Count > 0 ? r.Flows[0].Steps[0].Thermometry.Thermometers : Thermometry.IsingReadings;
            for (int th = 0; th < e.ByThermometer.Length; th++)
            {
                w.WriteStartObject(names[th]);
                Number(w, "tc", e.ByThermometer[th][0]);
                Number(w, "nu_flow", e.ByThermometer[th][1]);
                Number(w, "nu_collapse", e.ByThermometer[th][2]);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteNumber("mcrg_temperature", e.McrgTemperature);
            Mcrg(w, "mcrg", e.Mcrg, r.Operators);
            Mcrg(w, "mcrg_majority", e.McrgMajority, r.Operators);
            Estimate(w, "y_h", e.Yh);
            Estimate(w, "eta", e.Eta);
            Estimate(w, "tc_two_lattice", e.TcTwoLattice);
            if (e.Rules.Count > 0) w.WriteNumber("tc_two_lattice_step", e.Rules[0].TcTwoLatticeStep);
            w.WriteStartArray("tc_two_lattice_by_step");
            foreach (var x in e.TcTwoLatticeByStep) EstimateValue(w, x);
            w.WriteEndArray();
            Estimate(w, "tc_by_step_extrapolated", e.CriticalTemperatureExtrapolated);
            w.WriteStartArray("rules");
            foreach (var rule in e.Rules) Rule(w, rule, r.Critical, r.Operators);
            w.WriteEndArray();
            if (r.Dimension >= 3) ByStep(w, e, r.Critical, r.McrgLattice is not null);
            w.WriteStartObject("effective_couplings");
            foreach (var rule in e.Rules)
            {
                w.WriteStartArray(rule.Rule);
                for (int k = 0; k < rule.Couplings.Length; k++)
                {
                    w.WriteStartObject();
                    w.WriteNumber("step", k);
                    w.WriteNumber("size", rule.Sizes[k]);
                    CouplingValues(w, rule.Couplings[k], r.Operators);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary>The report as a string.</summary>
    public static string ToJsonString(FlowResult r, IReadOnlyDictionary<string, object?>? provenance = null) => Encoding.UTF8.GetString(ToJson(r, provenance));

    private static void Mcrg(Utf8JsonWriter w, string name, McrgResult? m, IRgOperators operators)
    {
        if (m is null) { w.WriteNull(name); return; }
        w.WriteStartObject(name);
        w.WriteString("rule", m.Rule);
        w.WriteNumber("samples", m.Samples);
        w.WriteStartArray("operators");
        for (int i = 0; i < m.Operators; i++) w.WriteStringValue(operators.EvenNames[i]);
        w.WriteEndArray();
        w.WriteStartArray("combined_levels");
        foreach (int l in m.CombinedLevels) w.WriteNumberValue(l);
        w.WriteEndArray();
        w.WriteString("level_combination", m.LevelCombination.Name);
        Estimate(w, "nu", m.Nu);
        if (m.LevelCombination is DeepestLevelCombination)
        {
            Number(w, "nu_level_systematic", m.NuLevelSystematic);
            Number(w, "y_h_level_systematic", m.YhLevelSystematic);
        }
        w.WriteStartArray("odd_operators");
        for (int i = 0; i < m.MagneticOperators; i++) w.WriteStringValue(operators.OddNames[i]);
        w.WriteEndArray();
        Estimate(w, "y_h", m.Yh);
        Estimate(w, "eta", m.Eta);
        w.WriteStartArray("levels");
        foreach (var l in m.Levels)
        {
            w.WriteStartObject();
            w.WriteNumber("level", l.Level);
            w.WriteNumber("fine_size", l.FineSize);
            w.WriteNumber("coarse_size", l.CoarseSize);
            w.WriteNumber("operators", l.Operators);
            Estimate(w, "leading_eigenvalue", l.LeadingEigenvalue);
            Estimate(w, "yt", l.Yt);
            Estimate(w, "nu", l.Nu);
            w.WriteStartArray("yt_by_operators");
            foreach (var x in l.YtByOperators) EstimateValue(w, x);
            w.WriteEndArray();
            w.WriteNumber("odd_operators", l.MagneticOperators);
            Estimate(w, "magnetic_eigenvalue", l.MagneticEigenvalue);
            Estimate(w, "yh", l.Yh);
            w.WriteStartArray("yh_by_operators");
            foreach (var x in l.YhByOperators) EstimateValue(w, x);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The keys of the rule table, compared with the model's exact T_c, ν, y_h and η.</summary>
    private static readonly string[] ExactKeys = ["tc_two_lattice", "nu_mcrg", "y_h", "eta"];

    /// <summary>One row of the rule table: each estimate with the exact value (null when the model has none) and |Δ|/σ.</summary>
    private static void Rule(Utf8JsonWriter w, RuleEstimates r, CriticalValues? critical, IRgOperators operators)
    {
        double[] exactValues = critical is null ? [double.NaN, double.NaN, double.NaN, double.NaN] : [critical.Temperature, critical.Nu, critical.Yh, critical.Eta];
        w.WriteStartObject();
        w.WriteString("rule", r.Rule);
        Estimate[] values = [r.TcTwoLattice, r.Mcrg?.Nu ?? Statistics.Estimate.Undefined, r.Mcrg?.Yh ?? Statistics.Estimate.Undefined, r.Mcrg?.Eta ?? Statistics.Estimate.Undefined];
        for (int i = 0; i < ExactKeys.Length; i++)
        {
            string key = ExactKeys[i];
            double exact = exactValues[i];
            w.WriteStartObject(key);
            Number(w, "value", values[i].Value);
            Number(w, "error", values[i].Error);
            Number(w, "exact", exact);
            Number(w, "deviation", double.IsFinite(values[i].Value) && double.IsFinite(exact) ? values[i].Deviation(exact) : null);
            w.WriteEndObject();
        }
        w.WriteNumber("tc_two_lattice_step", r.TcTwoLatticeStep);
        w.WriteStartArray("tc_two_lattice_by_step");
        foreach (var x in r.TcTwoLatticeByStep) EstimateValue(w, x);
        w.WriteEndArray();
        w.WriteStartObject("tc_two_lattice_by_operator");
        for (int a = 0; a < r.TcTwoLatticeByOperator.Length; a++) Estimate(w, operators.EvenNames[a], r.TcTwoLatticeByOperator[a]);
        w.WriteEndObject();
        w.WriteStartArray("range_by_step");
        foreach (var c in r.Couplings) if (c is null) w.WriteNullValue(); else EstimateValue(w, c.Range);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// The table of estimates by RG step (<see cref="StepEstimates"/>), written for flows of cubic lattices:
    /// <c>"estimates_by_step": [{"step", "size", "tc", "nu_mcrg", "nu_mcrg_majority", "y_h", "y_h_majority"}]</c>, each
    /// estimate {"value", "error", "exact"}; "size" is null past the flow's last step, and with an MCRG lattice of its
    /// own (<paramref name="lattice"/>) "mcrg_size" gives the side of that lattice after the step.
    /// </summary>
    private static void ByStep(Utf8JsonWriter w, FlowEstimates e, CriticalValues? critical, bool lattice)
    {
        w.WriteStartArray("estimates_by_step");
        foreach (var k in e.ByStep)
        {
            w.WriteStartObject();
            w.WriteNumber("step", k.Step);
            Integer(w, "size", k.Size);
            if (lattice) w.WriteNumber("mcrg_size", k.McrgSize);
            Exact(w, "tc", k.Tc, critical?.Temperature);
            Exact(w, "nu_mcrg", k.Nu, critical?.Nu);
            Exact(w, "nu_mcrg_majority", k.NuMajority, critical?.Nu);
            Exact(w, "y_h", k.Yh, critical?.Yh);
            Exact(w, "y_h_majority", k.YhMajority, critical?.Yh);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>
    /// The MCRG lattice of its own: <c>"mcrg_lattice": {"temperature", "size", "steps", "samples", "parts", "steps_learned":
    /// [{"step", "size", "mutual_information_bits", "mutual_information_bits_error", "signal", "rule_source", "rule_step"}]}</c>.
    /// </summary>
    private static void McrgLattice(Utf8JsonWriter w, McrgLattice lattice)
    {
        w.WriteStartObject("mcrg_lattice");
        w.WriteNumber("temperature", lattice.Temperature);
        w.WriteNumber("size", lattice.Size);
        w.WriteNumber("steps", lattice.Steps);
        w.WriteNumber("samples", lattice.Samples);
        w.WriteNumber("parts", lattice.Parts);
        w.WriteStartArray("steps_learned");
        foreach (var s in lattice.Learning)
        {
            w.WriteStartObject();
            w.WriteNumber("step", s.Step);
            w.WriteNumber("size", s.Size);
            Number(w, "mutual_information_bits", s.MutualInformation?.Value);
            Number(w, "mutual_information_bits_error", s.MutualInformation is { Error: var error } && !double.IsNaN(error) ? error : null);
            if (s.Signal is bool signal) w.WriteBoolean("signal", signal); else w.WriteNull("signal");
            w.WriteString("rule_source", s.RuleSource);
            if (s.RuleStep is int rs) w.WriteNumber("rule_step", rs);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Exact(Utf8JsonWriter w, string name, Estimate e, double? exact)
    {
        w.WriteStartObject(name);
        Number(w, "value", e.Value);
        Number(w, "error", e.Error);
        Number(w, "exact", exact);
        w.WriteEndObject();
    }

    /// <summary>The couplings of the default operators by name (null when not fitted) and the range measure.</summary>
    private static void Couplings(Utf8JsonWriter w, string name, EffectiveCouplingResult? c, IRgOperators operators)
    {
        if (c is null) { w.WriteNull(name); return; }
        w.WriteStartObject(name);
        CouplingValues(w, c, operators);
        w.WriteEndObject();
    }

    private static void CouplingValues(Utf8JsonWriter w, EffectiveCouplingResult? c, IRgOperators operators)
    {
        if (c is not null) w.WriteNumber("samples", c.Samples);
        for (int a = 0; a < Math.Min(EffectiveCouplings.DefaultOperators, operators.EvenNames.Count); a++)
        {
            string op = operators.EvenNames[a];
            int i = c is null ? -1 : Array.IndexOf(c.Names, op);
            if (i < 0) w.WriteNull(op);
            else Estimate(w, op, c!.Couplings[i]);
        }
        if (c is null) w.WriteNull("range"); else Estimate(w, "range", c.Range);
    }

    private static void Estimate(Utf8JsonWriter w, string name, Estimate e)
    {
        w.WritePropertyName(name);
        EstimateValue(w, e);
    }

    private static void EstimateValue(Utf8JsonWriter w, Estimate e)
    {
        w.WriteStartObject();
        Number(w, "value", e.Value);
        Number(w, "error", e.Error);
        w.WriteEndObject();
    }

    private static void Integer(Utf8JsonWriter w, string name, int? v)
    {
        if (v is int i) w.WriteNumber(name, i);
        else w.WriteNull(name);
    }

    private static void Number(Utf8JsonWriter w, string name, double? v)
    {
        if (v is double d && double.IsFinite(d)) w.WriteNumber(name, d);
        else w.WriteNull(name);
    }

    private static void WriteValue(Utf8JsonWriter w, string name, object? v)
    {
        switch (v)
        {
            case null: w.WriteNull(name); break;
            case string s: w.WriteString(name, s); break;
            case double d: Number(w, name, d); break;
            case int i: w.WriteNumber(name, i); break;
            case long l: w.WriteNumber(name, l); break;
            case ulong u: w.WriteNumber(name, u); break;
            case bool b: w.WriteBoolean(name, b); break;
            case IEnumerable<string> xs: w.WriteStartArray(name); foreach (var x in xs) w.WriteStringValue(x); w.WriteEndArray(); break;
            case IEnumerable<double> ds: w.WriteStartArray(name); foreach (var x in ds) { if (double.IsFinite(x)) w.WriteNumberValue(x); else w.WriteNullValue(); } w.WriteEndArray(); break;
            default: w.WriteString(name, v.ToString()); break;
        }
    }
}
