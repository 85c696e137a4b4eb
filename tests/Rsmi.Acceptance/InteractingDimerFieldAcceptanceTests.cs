using Rsmi.Tests.Scanning;
using Xunit.Abstractions;

namespace Rsmi.Acceptance;

/// <summary>
/// Above the columnar transition of the aligning dimer model the learned filters (N_h = 2) should lie in
/// span(E_x, E_y) (overlap ≥ 0.75) for seeds 1–5, on the samples, window and ensemble of
/// Rsmi.Tests.Scanning.InteractingDimerFilterAcceptanceTests (whose 0.8 T_c half, the columnar patterns, passes).
/// Not met yet (<see cref="Measured"/>).
/// </summary>
public class InteractingDimerFieldAcceptanceTests(ITestOutputHelper output)
{
    private const string Measured =
        "at T = 0.78 (1.2 T_c) the kept filters' overlap with span(E_x, E_y) is 0.000 for seeds 1-5 and their overlap with the " +
        "columnar patterns 0.995-0.997 (0.84-0.91 bits held out): up to T = 4|v| the columnar operator carries more information " +
        "across the buffer than the fields, which win only above T = 5|v| (docs/scan.md, 'Filters across the transition'). " +
        "About 10 minutes on two shared cores";

    [Theory]
    [InlineData(1.2)]
    public void AboveTheTransitionTheFiltersLieInTheSpanOfTheFields(double fractionOfTc)
    {
        var failures = InteractingDimerFilterAcceptanceTests.Overlaps(fractionOfTc * InteractingDimerFilterAcceptanceTests.CriticalTemperature, output)
            .Where(r => !(r.Fields >= 0.75))
            .Select(r => $"seed {r.Seed}: overlap with span(E_x, E_y) {r.Fields:F3} (columnar {r.Columnar:F3})").ToList();
        Assert.True(failures.Count == 0, $"T = {fractionOfTc} T_c: {string.Join("; ", failures)}. Measured before: {Measured}");
    }
}
