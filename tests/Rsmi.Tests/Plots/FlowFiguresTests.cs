using Rsmi.Plots.Flow;
using Rsmi.Renormalization;
using Rsmi.Tests.IO;
using Rsmi.Tests.Renormalization;

namespace Rsmi.Tests.Plots;

/// <summary>The flow's figures: PNG always, SVG beside each only when asked for (the study's <c>output.svg</c>).</summary>
public class FlowFiguresTests
{
    private static FlowResult TinyMajorityFlow() =>
        RgFlow.Run([2.0, 2.6], (i, t) => WolffTestSamples.Ising2D(16, t, 20, (ulong)(7 + i)), FixedRuleEstimator.Majority,
            new FlowOptions { Steps = 1, Seed = 3, JackknifeBlocks = 4 });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SvgFiguresAreWrittenOnlyWhenAskedFor(bool svg)
    {
        using var dir = new TempDirectory();
        var written = FlowFigures.WriteAll(TinyMajorityFlow(), dir.Path, 2.269185, svg);
        string[] expected = svg
            ? ["flow_correlation_length.png", "flow_correlation_length.svg", "flow_temperature.png", "flow_temperature.svg"]
            : ["flow_correlation_length.png", "flow_temperature.png"];
        Assert.Equal(expected, dir.Entries());
        Assert.Equal(expected, written.Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
    }
}
