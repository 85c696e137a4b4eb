using System.CommandLine;
using System.Security.Cryptography;
using Rsmi.IO;
using Rsmi.Models;
using Rsmi.Renormalization;

namespace Rsmi.Cli.Commands;

/// <summary>
/// <c>rsmi coarse-grain --in FILE --filters FILTERS.json [--mode sample|sign] [--seed S] --out FILE</c>: applies a
/// filters file to every block of every configuration (docs/contract.md, "Coarse-grained files") and writes the coarse lattice with
/// <c>rg_step</c> (the parent's + 1) and <c>parent</c> ("NAME sha256:HEX") metadata.
/// </summary>
internal sealed class CoarseGrainCommandFactory : ICommandFactory
{
    public int Order => 40;

    public Command Create()
    {
        var input = new Option<string>("--in") { Description = "Sample file to coarse-grain (.h5, .hdf5 or .npy; square- or cubic-lattice configurations).", Required = true };
        var filters = new Option<string>("--filters") { Description = "Filters file (JSON) from 'rsmi learn'.", Required = true };
        var mode = new Option<string>("--mode") { Description = "sign: h = sign(a), ties by a fair coin, or for categorical units the most probable state (default; the rule the learners' ensembles are judged by, docs/learning.md); sample: draw h from P(h|V), P(h=+1) = sigmoid(2a), or the softmax of the states.", DefaultValueFactory = _ => "sign" };
        mode.AcceptOnlyFromAmong("sample", "sign");
        var seed = new Option<long>("--seed") { Description = "Seed of the coarse-graining random streams (default 1).", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Coarse-grained sample file to write (.h5, .hdf5 or .npy).", Required = true };
        var command = new Command("coarse-grain", "Coarse-grain every block of every configuration with learned filters (one RG step).");
        foreach (var o in new Option[] { input, filters, mode, seed, output }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            string inPath = parse.GetValue(input)!, filtersPath = parse.GetValue(filters)!, outPath = parse.GetValue(output)!;
            Require.That(SampleFile.HasSampleExtension(outPath), $"--out '{outPath}' must end in {SampleFile.KnownExtensions}.");
            var samples = SampleFile.Read(inPath);
            var filterSet = FiltersFile.Read(filtersPath);
            string inName = Path.GetFileName(inPath), filtersName = Path.GetFileName(filtersPath);
            var states = samples.States();
            Require.That(states.FeaturesPerSite == filterSet.Filters.FeaturesPerSite,
                $"the filters '{filtersName}' read {filterSet.Filters.FeaturesPerSite} feature(s) per site, but '{inName}' holds {states.ValuesText}, which a learner sees as {states.FeaturesPerSite}.");
            bool cubic = filterSet.BlockZ is not null;
            if (cubic)
                Require.That(samples.Rank == 3, $"'{inName}' holds configurations of rank {samples.Rank}; the cubic block of '{filtersName}' needs 3D lattices of shape (N, Lz, Ly, Lx).");
            else
                Require.That(samples.Rank == 2, $"'{inName}' holds configurations of rank {samples.Rank}; coarse-graining needs 2D lattices of shape (N, Ly, Lx).");
            string? model = samples.Metadata.Model;
            Require.That(model is null || model == filterSet.Model,
                $"the filters '{filtersName}' were learned on '{filterSet.Model}' samples but '{inName}' holds '{model}' samples.");
            if (cubic)
                Require.That(samples.Lx % filterSet.BlockX == 0 && samples.Ly % filterSet.BlockY == 0 && samples.Lz % filterSet.BlockZ == 0,
                    $"the {string.Join("x", filterSet.Block)} block of '{filtersName}' does not divide the {samples.Lx}x{samples.Ly}x{samples.Lz} lattice of '{inName}'.");
            else
                Require.That(samples.Lx % filterSet.BlockX == 0 && samples.Ly % filterSet.BlockY == 0,
                    $"the {filterSet.BlockX}x{filterSet.BlockY} block of '{filtersName}' does not divide the {samples.Lx}x{samples.Ly} lattice of '{inName}'.");
            var rule = LearnedFilterRule.From(filterSet, parse.GetValue(mode) == "sign" ? FilterMode.Sign : FilterMode.Sample, $"'{filtersName}'");
            ulong s = unchecked((ulong)parse.GetValue(seed));
            var coarse = rule.CoarseGrain(samples, s);
            coarse.Metadata.Set("parent", $"{inName} sha256:{Sha256(inPath)}");
            coarse.Metadata.Set("parent_sha256", Sha256(inPath));
            coarse.Metadata.Set("filters", $"{filtersName} sha256:{Sha256(filtersPath)}");
            coarse.Metadata.Set("rg_mode", parse.GetValue(mode));
            coarse.Metadata.Set("rg_hidden", rule.Hidden);
            SampleFile.Write(outPath, coarse);
            string shape = cubic ? $"{coarse.Lz}x{coarse.Ly}x{coarse.Lx}" : $"{coarse.Ly}x{coarse.Lx}";
            CommandOutput.Get().Out.WriteLine(
                $"{outPath}: {coarse.Count} configurations of {shape} (rg_step {coarse.Metadata.GetLong("rg_step")}, {string.Join("x", filterSet.Block)} blocks, {rule.Hidden} coarse {(filterSet.Filters.IsSpinFilter ? "spin(s)" : $"label(s) of {filterSet.Filters.HiddenStates} states")} per block, mode {parse.GetValue(mode)}).");
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>Lower-case hexadecimal SHA-256 of a file's bytes.</summary>
    internal static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
