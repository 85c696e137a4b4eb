using Rsmi.Cli.Bench;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Rsmi.Models;
using Rsmi.Models.Ising.Exact;
using Rsmi.Models.Ising.Multispin;
using Rsmi.Sampling;

namespace Rsmi.Cli.Commands;

/// <summary>
/// <c>rsmi bench [--sizes 64,128,256,1024] [--threads n] [--seconds s] [--algorithms a,b] [--json]</c>: sampler
/// throughput at T_c (flips per ns, τ_int of the energy, independent samples per second) with the CPU model and
/// SIMD width. With <c>--json</c> exactly one JSON object is printed:
/// <c>{"cpu", "simd", "results": [{"algorithm", "size", "threads", "flips_per_ns", "tau_int", "independent_samples_per_second"}]}</c>.
/// </summary>
internal sealed class BenchCommand : ICommandFactory
{
    /// <summary>Critical temperature T_c = 2 / ln(1 + √2) of the square-lattice Ising model.</summary>
    private const double CriticalTemperature = Rsmi.Models.Ising.Exact.Ising2D.CriticalTemperature;

    /// <summary>The scalar samplers of the 2D Ising model: one independent chain per thread.</summary>
    private static readonly List<(string Name, Func<int, ulong, int, IBenchmarkedSampler> Create)> ScalarAlgorithms =
        ModelCatalog.Ising2D.ScalarAlgorithms
            .Select(a => (a, (Func<int, ulong, int, IBenchmarkedSampler>)((size, seed, threads) => new ChainsBenchmarkedSampler(a,
                Enumerable.Range(0, threads).Select(k => (IMonteCarloSampler)ModelCatalog.Ising2D.CreateSampler(a, size, CriticalTemperature, seed, k)).ToArray()))))
            .ToList();

    public int Order => 90;

    public Command Create()
    {
        var sizes = new Option<string>("--sizes") { Description = "Lattice sizes L, comma-separated (even, ≥ 4).", DefaultValueFactory = _ => "64,128,256,1024" };
        var threads = new Option<int>("--threads") { Description = "Threads per sampler (≥ 1).", DefaultValueFactory = _ => 1 };
        var seconds = new Option<double>("--seconds") { Description = "Seconds of timed sweeps per measurement; τ_int takes 4× more (> 0).", DefaultValueFactory = _ => 1.0 };
        var algorithms = new Option<string?>("--algorithms") { Description = "Algorithms to measure, comma-separated (default: all)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1UL };
        var model = new Option<string>("--model")
        {
            Description = $"Model: {ModelCatalog.Ising2D.Name} (every scalar and multispin sampler), {ModelCatalog.Ising3D.Name} or {ModelCatalog.Potts2D.Name} (their samplers), each at its T_c.",
            DefaultValueFactory = _ => ModelCatalog.Ising2D.Name,
        };
        var q = new Option<int?>("--q") { Description = $"Number of Potts states for {ModelCatalog.Potts2D.Name} (2 to 16; default 3)." };
        var command = new Command("bench", "Measure sampler throughput at T_c: flips/ns, τ_int and independent samples/s, with the CPU and SIMD width.");
        foreach (var o in new Option[] { sizes, threads, seconds, algorithms, json, seed, model, q }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            string modelName = parse.GetValue(model)!;
            if (modelName != ModelCatalog.Ising2D.Name)
                return OtherModel(parse.GetValue(sizes)!, parse.GetValue(threads), parse.GetValue(seconds), parse.GetValue(algorithms), parse.GetValue(json), parse.GetValue(seed), modelName, parse.GetValue(q));
            Require.That(parse.GetValue(q) is null, $"--q applies to {ModelCatalog.Potts2D.Name} only.");
            int[] sizeList = ParseSizes(parse.GetValue(sizes)!);
            int threadCount = parse.GetValue(threads);
            double budget = parse.GetValue(seconds);
            Require.That(threadCount >= 1, $"--threads must be at least 1, got {threadCount}.");
            Require.That(budget > 0 && double.IsFinite(budget), $"--seconds must be a positive number, got {budget}.");
            var available = ScalarAlgorithms.Select(a => a.Name).Concat(MultispinAlgorithms.AcceleratedNames())
                .Concat(MultispinAlgorithms.AcceleratedLatticeNames()).ToList();
            var known = ScalarAlgorithms.Select(a => a.Name).Concat(MultispinAlgorithms.Names).Concat(MultispinAlgorithms.LatticeNames).ToList();
            var chosen = parse.GetValue(algorithms) is { } list
                ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList()
                : available;
            foreach (var a in chosen) Require.That(known.Contains(a), $"--algorithms: unknown algorithm '{a}'; known: {string.Join(", ", known)}.");

            var output = CommandOutput.Get();
            var results = new List<ThroughputResult>();
            foreach (var algorithm in chosen)
            foreach (int size in sizeList)
            {
                if (MultispinAlgorithms.IsLattice(algorithm) && size % MultispinAlgorithms.LatticeSizeMultiple(algorithm) != 0)
                {
                    output.Err.WriteLine($"rsmi bench: {algorithm}, L = {size} skipped: L must be a multiple of {MultispinAlgorithms.LatticeSizeMultiple(algorithm)}.");
                    continue;
                }
                output.Err.WriteLine($"rsmi bench: {algorithm}, L = {size}, {threadCount} thread(s)…");
                IBenchmarkedSampler sampler = MultispinAlgorithms.IsMultispin(algorithm)
                    ? new MultispinBenchmarkedSampler(MultispinAlgorithms.Create(algorithm, size, CriticalTemperature, parse.GetValue(seed)), algorithm)
                    : MultispinAlgorithms.IsLattice(algorithm)
                    ? new MultispinLatticeBenchmarkedSampler(MultispinAlgorithms.CreateLattice(algorithm, size, CriticalTemperature, parse.GetValue(seed)), algorithm)
                    : ScalarAlgorithms.First(a => a.Name == algorithm).Create(size, parse.GetValue(seed), threadCount);
                results.Add(ThroughputBenchmark.Measure(sampler, size, threadCount, budget));
            }
            if (parse.GetValue(json)) WriteJson(output.Out, results);
            else WriteTable(output.Out, results);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The scalar samplers of <see cref="ModelCatalog.Ising3D"/> or <see cref="ModelCatalog.Potts2D"/> at their T_c
    /// (<see cref="Ising3D.CriticalTemperature"/>, <see cref="Rsmi.Models.Potts.Exact.Potts2D.CriticalTemperature"/>),
    /// one chain per thread, built through the model contract (<see cref="IModel.Chains"/>).
    /// </summary>
    private static int OtherModel(string sizesText, int threadCount, double budget, string? algorithmList, bool json, ulong seed, string modelName, int? q)
    {
        IModel chosenModel = modelName == ModelCatalog.Ising3D.Name ? ModelCatalog.Ising3D
            : modelName == ModelCatalog.Potts2D.Name ? ModelCatalog.Potts2D
            : throw new RsmiInputException($"--model: unknown model '{modelName}'; choose {ModelCatalog.Ising2D.Name}, {ModelCatalog.Ising3D.Name} or {ModelCatalog.Potts2D.Name}.");
        Require.That(q is null || chosenModel == ModelCatalog.Potts2D, $"--q applies to {ModelCatalog.Potts2D.Name} only.");
        int states = q ?? 3;
        Require.That(states is >= 2 and <= 16, $"--q must be between 2 and 16, got {states}.");
        Require.That(threadCount >= 1, $"--threads must be at least 1, got {threadCount}.");
        Require.That(budget > 0 && double.IsFinite(budget), $"--seconds must be a positive number, got {budget}.");
        int[] sizeList = ParseSizes(sizesText);
        var chosen = algorithmList is { } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList()
            : chosenModel.Algorithms.ToList();
        foreach (var a in chosen) Require.That(chosenModel.Algorithms.Contains(a), $"--algorithms: unknown algorithm '{a}' for {chosenModel.Name}; known: {string.Join(", ", chosenModel.Algorithms)}.");
        var output = CommandOutput.Get();
        var results = new List<ThroughputResult>();
        foreach (var algorithm in chosen)
        foreach (int size in sizeList)
        {
            ModelArguments arguments = chosenModel == ModelCatalog.Ising3D
                ? ModelCatalog.Ising3D.Arguments(size, Ising3D.CriticalTemperature)
                : ModelCatalog.Potts2D.Arguments(states, size, Rsmi.Models.Potts.Exact.Potts2D.CriticalTemperature(states));
            ModelSampling.Validate(chosenModel, arguments, algorithm, 1);
            var source = chosenModel.Chains(arguments, algorithm, seed);
            Require.That(source.CreateChain is not null, $"{algorithm} of {chosenModel.Name} runs as a replica engine, which rsmi bench does not measure.");
            output.Err.WriteLine($"rsmi bench: {chosenModel.Name} {algorithm}, L = {size}, {threadCount} thread(s)…");
            var sampler = new ChainsBenchmarkedSampler(algorithm, Enumerable.Range(0, threadCount).Select(k => source.CreateChain!(k)).ToArray());
            results.Add(ThroughputBenchmark.Measure(sampler, size, threadCount, budget));
        }
        if (json) WriteJson(output.Out, results);
        else
        {
            WriteTable(output.Out, results, chosenModel == ModelCatalog.Potts2D
                ? string.Create(CultureInfo.InvariantCulture, $"Model: {chosenModel.Name}, q = {states}; temperature: T_c = {Rsmi.Models.Potts.Exact.Potts2D.CriticalTemperature(states):F6}")
                : string.Create(CultureInfo.InvariantCulture, $"Model: {chosenModel.Name}; temperature: T_c = {Ising3D.CriticalTemperature:F6}"));
        }
        return 0;
    }

    private static int[] ParseSizes(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Require.That(parts.Length > 0, "--sizes needs at least one size.");
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            Require.That(int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out sizes[i]) && sizes[i] >= 4 && sizes[i] % 2 == 0 && sizes[i] <= 8192,
                $"--sizes: '{parts[i]}' is not an even lattice size between 4 and 8192.");
        }
        return sizes;
    }

    private static void WriteJson(TextWriter writer, List<ThroughputResult> results)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("cpu", ThroughputBenchmark.CpuModel());
            json.WriteString("simd", ThroughputBenchmark.SimdDescription());
            json.WriteStartArray("results");
            foreach (var r in results)
            {
                json.WriteStartObject();
                json.WriteString("algorithm", r.Algorithm);
                json.WriteNumber("size", r.Size);
                json.WriteNumber("threads", r.Threads);
                json.WriteNumber("flips_per_ns", Math.Round(r.FlipsPerNs, 4));
                if (r.TauInt is { } tau) json.WriteNumber("tau_int", Math.Round(tau, 3)); else json.WriteNull("tau_int");
                if (r.IndependentSamplesPerSecond is { } ips) json.WriteNumber("independent_samples_per_second", Math.Round(ips, 3)); else json.WriteNull("independent_samples_per_second");
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        writer.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteTable(TextWriter writer, List<ThroughputResult> results, string? temperatureLine = null)
    {
        var inv = CultureInfo.InvariantCulture;
        writer.WriteLine($"CPU: {ThroughputBenchmark.CpuModel()}");
        writer.WriteLine($"SIMD: {ThroughputBenchmark.SimdDescription()}");
        writer.WriteLine(temperatureLine ?? $"Temperature: T_c = {CriticalTemperature.ToString("F6", inv)}");
        writer.WriteLine($"Load average (1 min): {LoadAverage()}");
        writer.WriteLine($"{"algorithm",-26} {"L",6} {"threads",7} {"flips/ns",10} {"flips/ns/core",13} {"flips/cpu-ns",12} {"tau_int (steps)",22} {"independent/s",14}");
        foreach (var r in results)
        {
            string tau = r.TauInt is { } t ? $"{t.ToString("F1", inv)} ± {r.TauIntError!.Value.ToString("F1", inv)}" : $"n/a ({r.StepsMeasured} steps)";
            string ips = r.IndependentSamplesPerSecond is { } s ? s.ToString("G4", inv) : "n/a";
            writer.WriteLine($"{r.Algorithm,-26} {r.Size,6} {r.Threads,7} {r.FlipsPerNs.ToString("F3", inv),10} {(r.FlipsPerNs / r.Threads).ToString("F3", inv),13} {r.FlipsPerCpuNs.ToString("F3", inv),12} {tau,22} {ips,14}");
        }
        writer.WriteLine("flips/ns: attempted single-spin updates (spins flipped, for cluster algorithms) per ns of wall time, all lanes and threads;");
        writer.WriteLine("flips/cpu-ns: the same per ns of CPU time the process used (what the code does with the time it gets on a shared machine);");
        writer.WriteLine("tau_int: max of energy and |m|, in sweeps (clusters for Wolff), Sokal window, averaged over up to 64 replicas; n/a when the");
        writer.WriteLine("series was shorter than 50 tau_int or the error above 20 % (raise --seconds); independent/s = replicas · steps/s / (2 tau_int).");
    }

    private static string LoadAverage()
    {
        try { return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown"; }
        catch (IOException) { return "unknown"; }
    }
}
