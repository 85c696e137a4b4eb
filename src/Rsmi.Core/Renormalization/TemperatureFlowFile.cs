using System.Text;
using Rsmi.Filters;
using Rsmi.IO;
using Rsmi.Statistics;

namespace Rsmi.Renormalization;

/// <summary>
/// One starting temperature's flow (<see cref="TemperatureFlow"/>) on disk, so that the flows of a study can be run
/// as separate tasks and assembled later (<see cref="RgFlow.Assemble"/>): every number is kept exactly (IEEE 754
/// doubles in little-endian binary), with the jackknife replicates, the filters and effective couplings of every step,
/// and every rule's chain of MCRG operator measurements and effective couplings (and the matched L/b lattice's) that
/// the estimates need. The file starts with <see cref="Magic"/>; it is written atomically (<see cref="AtomicFile"/>).
/// </summary>
public static class TemperatureFlowFile
{
    /// <summary>The first bytes of a flow part file (format 3: the thermometry names its readings, filters keep their
    /// features per site and hidden states, and every rule's chain the components of its odd operators).</summary>
    public const string Magic = "rsmi-flow-part 3\n";

    /// <summary>Writes <paramref name="flow"/> to <paramref name="path"/>, whole or not at all.</summary>
    public static void Write(string path, TemperatureFlow flow, CancellationToken cancellation = default) =>
        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Encoding.ASCII.GetBytes(Magic));
            w.Write(flow.Temperature);
            w.Write(flow.Samples);
            w.Write(flow.MatchSamples);
            w.Write(flow.Steps.Count);
            foreach (var s in flow.Steps)
            {
                w.Write(s.Step);
                var t = s.Thermometry;
                w.Write(t.Size);
                foreach (var e in new[] { t.NearestNeighbourCorrelation, t.DiagonalCorrelation, t.CorrelationLength })
                {
                    w.Write(e.Value);
                    w.Write(e.Error);
                }
                w.Write(t.Temperatures.Length);
                for (int i = 0; i < t.Temperatures.Length; i++)
                {
                    w.Write(t.Thermometers[i]);
                    w.Write(t.Temperatures[i].Value);
                    w.Write(t.Temperatures[i].Error);
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
                    w.Write(f.FeaturesPerSite);
                    w.Write(f.HiddenStates);
                    Vector(w, f.Weights);
                    Vector(w, f.Bias);
                }
                Vector(w, s.LearnedBias);
                w.Write(s.Signal is null ? (byte)2 : s.Signal.Value ? (byte)1 : (byte)0);
                w.Write(s.RuleSource is not null);
                if (s.RuleSource is not null) w.Write(s.RuleSource);
                w.Write(s.RuleStep ?? -1);
                Couplings(w, s.EffectiveCouplings);
            }
            w.Write(flow.Chains.Count);
            foreach (var c in flow.Chains)
            {
                ChainOperators(w, c);
                w.Write(c.Couplings.Length);
                foreach (var k in c.Couplings) Couplings(w, k);
                Matrix(w, c.MatchEven);
            }
        }, cancellation);

    /// <summary>Reads a flow part file; throws <see cref="RsmiInputException"/> when it is not one.</summary>
    public static TemperatureFlow Read(string path)
    {
        Require.That(File.Exists(path), $"the flow part '{path}' does not exist.");
        try
        {
            using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            Require.That(Encoding.ASCII.GetString(r.ReadBytes(Magic.Length)) == Magic, $"'{path}' is not an rsmi flow part (format 3).");
            double temperature = r.ReadDouble();
            int samples = r.ReadInt32();
            int matchSamples = r.ReadInt32();
            int count = r.ReadInt32();
            var steps = new List<FlowStep>(count);
            for (int k = 0; k < count; k++)
            {
                int step = r.ReadInt32();
                int size = r.ReadInt32();
                var e = new Estimate[3];
                for (int q = 0; q < 3; q++) e[q] = new Estimate(r.ReadDouble(), r.ReadDouble());
                var names = new string[r.ReadInt32()];
                var temperatures = new Estimate[names.Length];
                for (int i = 0; i < names.Length; i++)
                {
                    names[i] = r.ReadString();
                    temperatures[i] = new Estimate(r.ReadDouble(), r.ReadDouble());
                }
                var thermometry = new Thermometry
                {
                    Size = size, NearestNeighbourCorrelation = e[0], DiagonalCorrelation = e[1], CorrelationLength = e[2],
                    Thermometers = names.SequenceEqual(Thermometry.IsingReadings) ? Thermometry.IsingReadings : names,
                    Temperatures = temperatures, Replicates = ReadMatrix(r) ?? [],
                };
                Estimate? mi = r.ReadBoolean() ? new Estimate(r.ReadDouble(), r.ReadDouble()) : null;
                FilterParameters? filters = null;
                if (r.ReadBoolean())
                {
                    int visible = r.ReadInt32(), hidden = r.ReadInt32(), features = r.ReadInt32(), states = r.ReadInt32();
                    filters = new FilterParameters(visible, hidden, features, states, ReadVector(r) ?? [], ReadVector(r) ?? []);
                }
                var learnedBias = ReadVector(r);
                byte signal = r.ReadByte();
                string? source = r.ReadBoolean() ? r.ReadString() : null;
                int ruleStep = r.ReadInt32();
                steps.Add(new FlowStep(step, thermometry, mi, filters, learnedBias, signal == 2 ? null : signal == 1, source, ruleStep < 0 ? null : ruleStep)
                {
                    EffectiveCouplings = ReadCouplings(r),
                });
            }
            int chainCount = r.ReadInt32();
            var chains = new List<RuleChain>(chainCount);
            for (int k = 0; k < chainCount; k++)
            {
                var chain = ReadChainOperators(r);
                var couplings = new EffectiveCouplingResult?[r.ReadInt32()];
                for (int i = 0; i < couplings.Length; i++) couplings[i] = ReadCouplings(r);
                chains.Add(chain with { Couplings = couplings, MatchEven = ReadMatrix(r) });
            }
            return new TemperatureFlow { Temperature = temperature, Samples = samples, MatchSamples = matchSamples, Steps = steps, Chains = chains };
        }
        catch (EndOfStreamException)
        {
            throw new RsmiInputException($"'{path}' is a truncated rsmi flow part.");
        }
    }

    /// <summary>The first bytes of an MCRG lattice file (<see cref="WriteLattice"/>).</summary>
    public const string LatticeMagic = "rsmi-mcrg-lattice 1\n";

    /// <summary>Writes <paramref name="lattice"/> (an MCRG lattice of its own, <see cref="RgFlow.RunMcrgLattice"/>) to
    /// <paramref name="path"/>, whole or not at all: its settings, the learner's record and the operators of both rules.</summary>
    public static void WriteLattice(string path, McrgLattice lattice, CancellationToken cancellation = default) =>
        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Encoding.ASCII.GetBytes(LatticeMagic));
            w.Write(lattice.Temperature);
            w.Write(lattice.Size);
            w.Write(lattice.Steps);
            w.Write(lattice.Samples);
            w.Write(lattice.Parts);
            w.Write(lattice.Learning.Count);
            foreach (var s in lattice.Learning)
            {
                w.Write(s.Step);
                w.Write(s.Size);
                w.Write(s.MutualInformation is not null);
                if (s.MutualInformation is Estimate mi)
                {
                    w.Write(mi.Value);
                    w.Write(mi.Error);
                }
                w.Write(s.Signal is null ? (byte)2 : s.Signal.Value ? (byte)1 : (byte)0);
                w.Write(s.RuleSource);
                w.Write(s.RuleStep ?? -1);
            }
            w.Write(lattice.Chains.Count);
            foreach (var c in lattice.Chains) ChainOperators(w, c);
        }, cancellation);

    /// <summary>Reads an MCRG lattice file; throws <see cref="RsmiInputException"/> when it is not one.</summary>
    public static McrgLattice ReadLattice(string path)
    {
        Require.That(File.Exists(path), $"the MCRG lattice file '{path}' does not exist.");
        try
        {
            using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            Require.That(Encoding.ASCII.GetString(r.ReadBytes(LatticeMagic.Length)) == LatticeMagic, $"'{path}' is not an rsmi MCRG lattice file (format 1).");
            double temperature = r.ReadDouble();
            int size = r.ReadInt32(), steps = r.ReadInt32(), samples = r.ReadInt32(), parts = r.ReadInt32();
            var learning = new McrgLatticeStep[r.ReadInt32()];
            for (int k = 0; k < learning.Length; k++)
            {
                int step = r.ReadInt32(), side = r.ReadInt32();
                Estimate? mi = r.ReadBoolean() ? new Estimate(r.ReadDouble(), r.ReadDouble()) : null;
                byte signal = r.ReadByte();
                string source = r.ReadString();
                int ruleStep = r.ReadInt32();
                learning[k] = new McrgLatticeStep(step, side, mi, signal == 2 ? null : signal == 1, source, ruleStep < 0 ? null : ruleStep);
            }
            var chains = new RuleChain[r.ReadInt32()];
            for (int k = 0; k < chains.Length; k++) chains[k] = ReadChainOperators(r);
            return new McrgLattice { Temperature = temperature, Size = size, Steps = steps, Samples = samples, Parts = parts, Learning = learning, Chains = chains };
        }
        catch (EndOfStreamException)
        {
            throw new RsmiInputException($"'{path}' is a truncated rsmi MCRG lattice file.");
        }
    }

    /// <summary>A rule chain's name, level sizes, configurations and MCRG operators (the couplings and the matched
    /// lattice follow in a flow part).</summary>
    private static void ChainOperators(BinaryWriter w, RuleChain c)
    {
        w.Write(c.Rule);
        w.Write(c.Sizes.Length);
        foreach (int size in c.Sizes) w.Write(size);
        w.Write(c.Samples);
        Matrix(w, c.Even);
        Matrix(w, c.Odd);
        w.Write(c.OddComponents);
    }

    /// <summary>What <see cref="ChainOperators"/> wrote, with no couplings.</summary>
    private static RuleChain ReadChainOperators(BinaryReader r)
    {
        string rule = r.ReadString();
        var sizes = new int[r.ReadInt32()];
        for (int i = 0; i < sizes.Length; i++) sizes[i] = r.ReadInt32();
        int samples = r.ReadInt32();
        var even = ReadMatrix(r) ?? [];
        var odd = ReadMatrix(r) ?? [];
        return new RuleChain
        {
            Rule = rule, Sizes = sizes, Samples = samples, Even = even, Odd = odd, OddComponents = r.ReadInt32(),
            Couplings = new EffectiveCouplingResult?[sizes.Length],
        };
    }

    private static void Couplings(BinaryWriter w, EffectiveCouplingResult? c)
    {
        w.Write(c is not null);
        if (c is null) return;
        w.Write(c.Lx); w.Write(c.Ly); w.Write(c.Samples); w.Write(c.Blocks);
        w.Write(c.Operators.Length);
        foreach (int o in c.Operators) w.Write(o);
        w.Write(c.Names.Length);
        foreach (string n in c.Names) w.Write(n);
        w.Write(c.Couplings.Length);
        foreach (var e in c.Couplings) { w.Write(e.Value); w.Write(e.Error); }
        w.Write(c.Range.Value); w.Write(c.Range.Error);
    }

    private static EffectiveCouplingResult? ReadCouplings(BinaryReader r)
    {
        if (!r.ReadBoolean()) return null;
        int lx = r.ReadInt32(), ly = r.ReadInt32(), samples = r.ReadInt32(), blocks = r.ReadInt32();
        var operators = new int[r.ReadInt32()];
        for (int i = 0; i < operators.Length; i++) operators[i] = r.ReadInt32();
        var names = new string[r.ReadInt32()];
        for (int i = 0; i < names.Length; i++) names[i] = r.ReadString();
        var couplings = new Estimate[r.ReadInt32()];
        for (int i = 0; i < couplings.Length; i++) couplings[i] = new Estimate(r.ReadDouble(), r.ReadDouble());
        var range = new Estimate(r.ReadDouble(), r.ReadDouble());
        return new EffectiveCouplingResult(lx, ly, samples, blocks, operators, names, couplings, range);
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
