using Rsmi.Filters;
using Rsmi.Scanning;
using Rsmi.Study;

namespace Rsmi.Tests.Study;

/// <summary>The dimer section's field shares (<see cref="StudyReport.FieldShares"/>): the share of each unit's squared weight
/// in span(E_x, E_y) and in span(E_x, E_y, C_x, C_y), computed from the filters.</summary>
public class DimerReportFactsTests
{
    private static FilterSet Dimer(params double[][] rows) => new()
    {
        Model = "dimer", BlockX = 8, BlockY = 8, Buffer = 2, Environment = 4, Estimator = "infonce",
        Filters = FilterParameters.FromRows(rows), MutualInformationBits = 0.5, Seed = 1,
    };

    [Fact]
    public void AFieldUnitIsInBothSpansAColumnarUnitOnlyInTheSecondAndAMixtureInBetween()
    {
        var sets = FilterOverlaps.DimerPatterns(8);
        var (ex, ey) = (sets[0].Patterns[0], sets[0].Patterns[1]);
        var cx = sets[1].Patterns[0];
        // E_x + 0.5 C_x: |E_x|² = |C_x|² = 16 over the window, so 16 / (16 + 4) = 0.80 of the squared weight is in the fields' span
        var mixed = ex.Zip(cx, (e, c) => e + 0.5 * c).ToArray();
        // a unit on the noise pixels only: in neither span
        var noise = new double[64];
        noise[0] = 1;
        string text = StudyReport.FieldShares(Dimer(ex, ey.Select(x => -x).ToArray(), cx, mixed, noise));
        Assert.StartsWith("unit 1: 1.00 / 1.00; unit 2: 1.00 / 1.00; unit 3: 0.00 / 1.00; unit 4: 0.80 / 1.00; unit 5: 0.00 / 0.00", text);
        Assert.Contains("columnar order parameter", text);
        Assert.DoesNotContain("columnar", StudyReport.FieldShares(Dimer(ex, ey)));
    }
}
