using Rsmi.Data;
using Rsmi.Models;
using Rsmi.Models.Ising.Multispin;

namespace Rsmi.Tests.Sampling;

/// <summary>
/// Samples drawn in parts (<see cref="ModelSampling.SampleParts"/>): the chains run on from one part to the next, so
/// a chain's configurations over the parts are those it saves in one call; one part is the one call's result.
/// </summary>
public class SampleCollectorPartsTests
{
    private static readonly Rsmi.Models.Ising.Ising3DModel Cube = ModelCatalog.Ising3D;
    private const double T = 4.5;

    private static ModelArguments Arguments(int size) => ModelArguments.Defaults(Cube).Set(Cube.Size, size).Set(Cube.Temperature, T);

    private static sbyte[] Join(IEnumerable<SampleSet> parts) => parts.SelectMany(p => p.Data).ToArray();

    [Fact]
    public void OnePartIsTheOneCallsResult()
    {
        var whole = ModelSampling.Sample(Cube, Arguments(4), "wolff", 9, seed: 5, chains: 3);
        var parts = ModelSampling.SampleParts(Cube, Arguments(4), "wolff", 9, partSize: 20, seed: 5, chains: 3).ToList();
        Assert.Single(parts);
        Assert.Equal(whole.Data, parts[0].Data);
        Assert.Equal(whole.Metadata.Attributes, parts[0].Metadata.Attributes);
    }

    [Fact]
    public void OneChainsPartsFollowEachOtherAsInOneCall()
    {
        var whole = ModelSampling.Sample(Cube, Arguments(4), "wolff", 12, seed: 7, chains: 1);
        var parts = ModelSampling.SampleParts(Cube, Arguments(4), "wolff", 12, partSize: 5, seed: 7, chains: 1).ToList();
        Assert.Equal(new[] { 5, 5, 2 }, parts.Select(p => p.Count).ToArray());
        Assert.Equal(whole.Data.ToArray(), Join(parts));
        for (int i = 0; i < parts.Count; i++)
        {
            Assert.Equal(i, parts[i].Metadata.GetLong("part"));
            Assert.Equal(3, parts[i].Metadata.GetLong("parts"));
            // One thermalisation, one spacing for all parts.
            Assert.Equal(whole.Metadata.GetLong("thermalization_steps"), parts[i].Metadata.GetLong("thermalization_steps"));
            Assert.Equal(whole.Metadata.GetLong("spacing"), parts[i].Metadata.GetLong("spacing"));
            Assert.Equal(7, parts[i].Metadata.Seed);
            Assert.Equal("ising3d", parts[i].Metadata.Model);
        }
    }

    [Fact]
    public void EveryChainRunsOnAcrossTheParts()
    {
        // Two chains, 8 configurations: in one call chain 0 saves [0, 4) and chain 1 [4, 8); in parts of 4, each part
        // has two of each chain, in the chain's order.
        int sites = 4 * 4 * 4;
        var whole = ModelSampling.Sample(Cube, Arguments(4), "metropolis", 8, seed: 3, chains: 2).Data;
        var parts = ModelSampling.SampleParts(Cube, Arguments(4), "metropolis", 8, partSize: 4, seed: 3, chains: 2).Select(p => p.Data).ToList();
        sbyte[] Chain(int k) => parts.SelectMany(p => p.AsSpan(2 * k * sites, 2 * sites).ToArray()).ToArray();
        Assert.Equal(whole.AsSpan(0, 4 * sites).ToArray(), Chain(0));
        Assert.Equal(whole.AsSpan(4 * sites, 4 * sites).ToArray(), Chain(1));
    }

    [Fact]
    public void APartMustFitInMemoryButNotAllOfThem()
    {
        // 1200 configurations of 128³ do not fit in one array; parts of 100 do.
        var parts = ModelSampling.SampleParts(Cube, Arguments(128), "wolff", 1200, partSize: 100, seed: 1, chains: 4);
        Assert.NotNull(parts);
        Assert.Throws<RsmiInputException>(() => ModelSampling.SampleParts(Cube, Arguments(128), "wolff", 1200, partSize: 1200, seed: 1, chains: 4));
        Assert.Throws<RsmiInputException>(() => ModelSampling.SampleParts(Cube, Arguments(4), "wolff", 10, partSize: 0, seed: 1, chains: 4));
    }

    [Fact]
    public void AReplicaEngineIsRefused()
    {
        var square = ModelCatalog.Ising2D;
        var arguments = ModelArguments.Defaults(square).Set(square.Size, 16).Set(square.Temperature, 2.3);
        var e = Assert.Throws<RsmiInputException>(() => ModelSampling.SampleParts(square, arguments, MultispinAlgorithms.Names[0], 10, partSize: 5, seed: 1, chains: 4));
        Assert.Contains("cannot draw its configurations in parts", e.Message);
    }
}
