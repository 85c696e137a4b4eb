using System.Text;
using Rsmi.Filters;
using Rsmi.IO;
using Rsmi.Statistics;

namespace Rsmi.Renormalization;

/// <summary>
/// One starting temperature's flow (<see cref="TemperatureFlow"/>) on disk, so that the flows of a study can be run
/// as separate tasks and assembled later (<see cref="RgFlow.Assemble"/>): every number is kept exactly (IEEE 754
/// doubles in little-endian binary), with the jackknife replicates and the MCRG operator measurements the estimates
/// need, and the filters of every step. The file starts with <see cref="Magic"/>; it is written atomically (<see cref="AtomicFile"/>).
/// </summary>
public static class TemperatureFlowFile
{
    /// <summary>The first bytes of a flow part file (format 1).</summary>
    public const string Magic = "rsmi-flow-part 1\n";

    /// <summary>Writes <paramref name="flow"/> to <paramref name="path"/>, whole or not at all.</summary>
    public static void Write(string path, TemperatureFlow flow, CancellationToken cancellation = default) =>
        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Encoding.ASCII.GetBytes(Magic));
            w.Write(flow.Temperature);
            w.Write(flow.Samples);
            w.Write(flow.Steps.Count);
            foreach (var s in flow.Steps)
            {
                w.Write(s.Step);
                var t = s.Thermometry;
                w.Write(t.Size);
                foreach (var e in new[] { t.NearestNeighbourCorrelation, t.DiagonalCorrelation, t.CorrelationLength, t.KaufmanTemperature, t.OnsagerTemperature, t.McCoyWuTemperature })
                {
                    w.Write(e.Value);
                    w.Write(e.Error);
                }
                Matrix(w, t.Replicates);
                w.Write(s.MutualInformation is not null);
                if (s.MutualInformation is Estimate mi)
                {
                    w.Write(mi.Value);
                    w.Write(mi.Error);
                }
                w.Write(s.Filters is not null);
                if (s.Filters is FilterParameters f)
                {
                    w.Write(f.Visible);
                    w.Write(f.Hidden);
                    Vector(w, f.Weights);
                    Vector(w, f.Bias);
                }
                Vector(w, s.LearnedBias);
                w.Write(s.Signal is null ? (byte)2 : s.Signal.Value ? (byte)1 : (byte)0);
                w.Write(s.RuleSource is not null);
                if (s.RuleSource is not null) w.Write(s.RuleSource);
                w.Write(s.RuleStep ?? -1);
            }
            Matrix(w, flow.RuleOperators);
            Matrix(w, flow.MajorityOperators);
        }, cancellation);

    /// <summary>Reads a flow part file; throws <see cref="RsmiInputException"/> when it is not one.</summary>
    public static TemperatureFlow Read(string path)
    {
        Require.That(File.Exists(path), $"the flow part '{path}' does not exist.");
        try
        {
            using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            Require.That(Encoding.ASCII.GetString(r.ReadBytes(Magic.Length)) == Magic, $"'{path}' is not an rsmi flow part (format 1).");
            double temperature = r.ReadDouble();
            int samples = r.ReadInt32();
            int count = r.ReadInt32();
            var steps = new List<FlowStep>(count);
            for (int k = 0; k < count; k++)
            {
                int step = r.ReadInt32();
                int size = r.ReadInt32();
                var e = new Estimate[6];
                for (int q = 0; q < 6; q++) e[q] = new Estimate(r.ReadDouble(), r.ReadDouble());
                var thermometry = new Thermometry
                {
                    Size = size, NearestNeighbourCorrelation = e[0], DiagonalCorrelation = e[1], CorrelationLength = e[2],
                    KaufmanTemperature = e[3], OnsagerTemperature = e[4], McCoyWuTemperature = e[5], Replicates = ReadMatrix(r) ?? [],
                };
                Estimate? mi = r.ReadBoolean() ? new Estimate(r.ReadDouble(), r.ReadDouble()) : null;
                FilterParameters? filters = null;
                if (r.ReadBoolean())
                {
                    int visible = r.ReadInt32(), hidden = r.ReadInt32();
                    filters = new FilterParameters(visible, hidden, ReadVector(r) ?? [], ReadVector(r) ?? []);
                }
                var learnedBias = ReadVector(r);
                byte signal = r.ReadByte();
                string? source = r.ReadBoolean() ? r.ReadString() : null;
                int ruleStep = r.ReadInt32();
                steps.Add(new FlowStep(step, thermometry, mi, filters, learnedBias, signal == 2 ? null : signal == 1, source, ruleStep < 0 ? null : ruleStep));
            }
            var ruleOperators = ReadMatrix(r) ?? [];
            var majorityOperators = ReadMatrix(r) ?? [];
            return new TemperatureFlow { Temperature = temperature, Samples = samples, Steps = steps, RuleOperators = ruleOperators, MajorityOperators = majorityOperators };
        }
        catch (EndOfStreamException)
        {
            throw new RsmiInputException($"'{path}' is a truncated rsmi flow part.");
        }
    }

    private static void Vector(BinaryWriter w, double[]? v)
    {
        w.Write(v?.Length ?? -1);
        foreach (double x in v ?? []) w.Write(x);
    }

    private static double[]? ReadVector(BinaryReader r)
    {
        int n = r.ReadInt32();
        if (n < 0) return null;
        var v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.ReadDouble();
        return v;
    }

    private static void Matrix(BinaryWriter w, double[][]? m)
    {
        w.Write(m?.Length ?? -1);
        foreach (var row in m ?? []) Vector(w, row);
    }

    private static double[][]? ReadMatrix(BinaryReader r)
    {
        int n = r.ReadInt32();
        if (n < 0) return null;
        var m = new double[n][];
        for (int i = 0; i < n; i++) m[i] = ReadVector(r) ?? [];
        return m;
    }
}
