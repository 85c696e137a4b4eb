using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Rsmi.Data;
using Rsmi.Filters;
using Rsmi.IO;
using Rsmi.Models.Ising;
using Rsmi.Statistics;

namespace Rsmi.Cli.Commands;

/// <summary>
/// <c>rsmi info FILE</c>: what a sample file (.h5, .hdf5, .npy) or a filters file (.json) holds. For samples:
/// format, shape, the lattice, counts of +1 and −1, the magnetisation per site, the nearest-neighbour correlation and
/// the Ising energy per site (means over configurations with binned error bars), and every attribute. For filters: model, window
/// geometry, estimator, mutual information and its history, and the weights of every hidden unit laid out
/// over the block.
/// </summary>
public sealed class InfoCommandFactory : ICommandFactory
{
    /// <inheritdoc />
    public int Order => 90;

    /// <inheritdoc />
    public Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A sample file (.h5, .hdf5, .npy) or a filters file (.json)." };
        var command = new Command("info", "Show what a sample file or a filters file holds, with summary statistics computed from its data.");
        command.Arguments.Add(file);
        command.SetAction(parseResult =>
        {
            string path = parseResult.GetValue(file)!;
            var output = CommandOutput.Get().Out;
            if (Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase))
                FiltersInfo.Print(path, FiltersFile.Read(path), output);
            else if (SampleFile.HasSampleExtension(path))
                SampleInfo.Print(path, SampleFile.Read(path), output);
            else
            {
                string ext = Path.GetExtension(path);
                throw new RsmiInputException(ext.Length == 0
                    ? $"'{path}' has no extension; rsmi info reads sample files ({SampleFile.KnownExtensions}) and filters files (.json)."
                    : $"'{path}' has the extension '{ext}'; rsmi info reads sample files ({SampleFile.KnownExtensions}) and filters files (.json).");
            }
            return 0;
        });
        return command;
    }
}

/// <summary>Mean over configurations (in file order) with its error bar from a binning analysis.</summary>
internal readonly record struct MeanWithError(double Mean, double Error, bool Converged)
{
    public static MeanWithError Of(ReadOnlySpan<double> values)
    {
        if (values.Length == 0) return new(double.NaN, double.NaN, true);
        if (values.Length == 1) return new(values[0], double.NaN, true);
        var result = Binning.AnalyseDetailed(values);
        return new(result.Mean.Value, result.Mean.Error, result.Converged);
    }

    public override string ToString() =>
        double.IsNaN(Error) ? Fmt.G(Mean) + " (no error bar from one configuration)"
        : $"{Fmt.G(Mean)} ± {Fmt.G(Error)}{(Converged ? "" : " (lower bound: binning did not converge)")}";
}

internal static class Fmt
{
    public static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
    public static string F(double v, int digits) => v.ToString("F" + digits, CultureInfo.InvariantCulture);
}

/// <summary>Summary of a sample file.</summary>
internal static class SampleInfo
{
    public static void Print(string path, SampleSet samples, TextWriter o)
    {
        var format = SampleFile.FormatOf(path);
        o.WriteLine($"file:            {path}");
        o.WriteLine(format == SampleFile.Format.Hdf5
            ? "format:          HDF5, dataset /configurations, int8"
            : "format:          NumPy .npy, int8, C order (no metadata)");
        string shape = "(" + string.Join(", ", new[] { samples.Count }.Concat(samples.SiteShape)) + ")";
        o.WriteLine($"shape:           {shape}");
        o.WriteLine($"configurations:  {samples.Count}");
        o.WriteLine(samples.Rank switch
        {
            1 => $"lattice:         periodic chain of L = {samples.Lx} sites",
            2 => $"lattice:         {samples.Ly} x {samples.Lx} square lattice (Ly x Lx, {samples.Sites} sites)",
            _ => $"lattice:         {samples.Lz} x {samples.Ly} x {samples.Lx} cubic lattice (Lz x Ly x Lx, {samples.Sites} sites)",
        });

        if (samples.Rank == 2 && samples.Data.Length > 0
            && CommandOutput.Get().Models.Find(samples.Metadata.Model)?.StatesFor(samples.Metadata) is Rsmi.States.PottsLabels labels)
            PrintPotts(samples, labels.States, o);
        else PrintSpins(samples, o);

        if (format == SampleFile.Format.Npy)
        {
            o.WriteLine("attributes:      none (.npy files carry no metadata)");
            return;
        }
        PrintAttributes(samples, o);
    }

    /// <summary>
    /// Labels 0 … q−1 of the Potts model: the share of each label and, per configuration, the order parameter
    /// m = (q·max_a n_a/N − 1)/(q − 1) and the energy per site −(equal bonds)/N (docs/algorithm.md, "The Potts model").
    /// </summary>
    private static void PrintPotts(SampleSet samples, int q, TextWriter o)
    {
        var share = new long[q];
        foreach (sbyte v in samples.Data) share[v]++;
        long total = samples.Data.LongLength;
        o.WriteLine($"values:          {string.Join(", ", share.Select((c, a) => $"{a}: {c} ({Fmt.F((double)c / total, 4)})"))}");
        var order = new double[samples.Count];
        var energy = new double[samples.Count];
        var tally = new int[q];
        for (int n = 0; n < samples.Count; n++)
        {
            var c = samples.Configuration(n);
            order[n] = Rsmi.Models.Potts.PottsOrder.Parameter(Rsmi.Models.Potts.PottsOrder.LargestCount(c, tally), samples.Sites, q);
            energy[n] = -(double)Rsmi.Models.Potts.PottsEnergy.EqualBonds(c, samples.Lx, samples.Ly) / samples.Sites;
        }
        o.WriteLine($"order parameter: {MeanWithError.Of(order)}");
        o.WriteLine($"energy/site:     {MeanWithError.Of(energy)}");
        o.WriteLine("                 (means over configurations; error bars from a binning analysis in file order)");
    }

    private static void PrintSpins(SampleSet samples, TextWriter o)
    {
        long plus = 0;
        foreach (sbyte v in samples.Data) if (v == 1) plus++;
        long total = samples.Data.LongLength, minus = total - plus;
        if (total > 0)
        {
            o.WriteLine($"values:          +1: {plus} ({Fmt.F((double)plus / total, 4)}), -1: {minus} ({Fmt.F((double)minus / total, 4)})");
            // Per configuration: m = (1/N) Σ_i s_i, the nearest-neighbour correlation c₁ over the d periodic bonds of
            // every site and the Ising energy per site u = −d c₁ (J = 1) (IsingSampleAnalysis, the measurements of the
            // samplers and the flow).
            var series = IsingSampleAnalysis.Measure(samples);
            o.WriteLine($"<m>:             {MeanWithError.Of(series.Magnetisation)}");
            o.WriteLine($"<|m|>:           {MeanWithError.Of(series.AbsoluteMagnetisation)}");
            o.WriteLine($"<m^2>:           {MeanWithError.Of(series.MagnetisationSquared)}");
            o.WriteLine($"nn correlation:  {MeanWithError.Of(series.NearestNeighbour)}");
            o.WriteLine($"energy/site:     {MeanWithError.Of(series.EnergyPerSite)}");
            o.WriteLine("                 (means over configurations; error bars from a binning analysis in file order)");
        }
        else
        {
            o.WriteLine("values:          none (the file holds no configurations)");
        }
    }

    private static void PrintAttributes(SampleSet samples, TextWriter o)
    {
        o.WriteLine("attributes:");
        int width = samples.Metadata.Attributes.Keys.Select(k => k.Length).DefaultIfEmpty(0).Max();
        foreach (var (key, value) in samples.Metadata.Attributes)
        {
            string text = value switch
            {
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                long l => l.ToString(CultureInfo.InvariantCulture),
                _ => value.ToString() ?? ""
            };
            o.WriteLine($"  {key.PadRight(width)}  {text}");
        }
    }
}

/// <summary>Summary of a filters file.</summary>
internal static class FiltersInfo
{
    public static void Print(string path, FilterSet f, TextWriter o)
    {
        bool chain = f.BlockY == 1 && CommandOutput.Get().Models.Find(f.Model)?.Dimension == 1;
        int reachX = f.BlockX + 2 * (f.Buffer + f.Environment), reachY = f.BlockY + 2 * (f.Buffer + f.Environment);
        o.WriteLine($"file:                {path}");
        o.WriteLine("format:              rsmi filters (JSON)");
        o.WriteLine($"model:               {f.Model}");
        o.WriteLine(chain
            ? $"geometry:            block of {f.BlockX} sites, buffer {f.Buffer}, environment {f.Environment} on each side (window of {reachX} sites)"
            : f.BlockZ is int bz
            ? $"geometry:            block {f.BlockX} x {f.BlockY} x {bz} (bx x by x bz), buffer {f.Buffer}, environment {f.Environment} as cubic shells (window {reachX} x {reachY} x {bz + 2 * (f.Buffer + f.Environment)})"
            : $"geometry:            block {f.BlockX} x {f.BlockY} (bx x by), buffer {f.Buffer}, environment {f.Environment} (window {reachX} x {reachY})");
        o.WriteLine($"hidden units:        {f.Hidden}");
        o.WriteLine($"estimator:           {f.Estimator}");
        o.WriteLine($"mutual information:  {Fmt.G(f.MutualInformationBits)} bits");
        if (f.History.Length > 0)
            o.WriteLine($"history:             {f.History.Length} entries, first {Fmt.G(f.History[0])}, last {Fmt.G(f.History[^1])}, max {Fmt.G(f.History.Max())} bits");
        else
            o.WriteLine("history:             empty");
        if (f.HistoryMovingAverage is { Length: > 0 } avg)
            o.WriteLine($"moving average:      {avg.Length} entries, last {Fmt.G(avg[^1])} bits");
        o.WriteLine($"seed:                {f.Seed.ToString(CultureInfo.InvariantCulture)}");
        o.WriteLine($"rsmi_version:        {f.RsmiVersion}");
        foreach (var (key, value) in f.Extra)
            o.WriteLine($"{(key + ":").PadRight(21)}{InfoFormatting.DescribeExtra(value)}");

        int depth = f.BlockZ ?? 1;
        o.WriteLine(f.BlockZ is null ? "weights (row y = 0 first, x to the right):" : "weights (layer z = 0 first, then row y = 0 first, x to the right):");
        for (int j = 0; j < f.Hidden; j++)
        {
            var filter = f.Filter(j);
            double norm = Math.Sqrt(filter.ToArray().Sum(w => w * w));
            o.WriteLine($"  hidden unit {j}: bias {Fmt.G(f.Bias[j])}, |weights| {Fmt.G(norm)}");
            for (int z = 0; z < depth; z++)
            {
                if (f.BlockZ is not null) o.WriteLine($"    z = {z}:");
                for (int y = 0; y < f.BlockY; y++)
                {
                    o.Write("   ");
                    for (int x = 0; x < f.BlockX; x++) o.Write(" " + f.Weight(j, x, y, z).ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture).PadLeft(9));
                    o.WriteLine();
                }
            }
        }
    }
}

/// <summary>Text forms used by <c>rsmi info</c>.</summary>
internal static class InfoFormatting
{
    /// <summary>An extra field as JSON, with long arrays summarised (first entries, last entry, count).</summary>
    public static string DescribeExtra(System.Text.Json.Nodes.JsonNode? value)
    {
        if (value is System.Text.Json.Nodes.JsonArray { Count: > 8 } a)
            return $"[{a[0]?.ToJsonString()}, {a[1]?.ToJsonString()}, …, {a[^1]?.ToJsonString()}] ({a.Count} entries)";
        return value?.ToJsonString() ?? "null";
    }
}
