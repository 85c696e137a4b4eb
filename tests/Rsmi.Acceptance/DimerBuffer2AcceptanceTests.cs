using Rsmi.Tests.Learning.InfoNce;
using Xunit.Abstractions;

namespace Rsmi.Acceptance;

/// <summary>
/// The paper's Fig. 4b at buffer 2 as the issue states it: the default infonce ensemble on the dimer samples of
/// Rsmi.Tests.Learning.InfoNce.DimerFilterTests, N_h = 4, seeds 1–5; every unit's noise weights below 5% of its bond
/// weights and at most 25% of its bond part outside span(E_x, E_y). Not met, and not the objective's optimum: the
/// suite's <c>DimerFilterTests.AtBuffer2FourUnitsKeepAtLeastTheFieldsInformationForEverySeed</c> checks what the
/// objective gives here (the measured outcome is in the failure message).
/// </summary>
public class DimerBuffer2AcceptanceTests(DimerFilterSamples samples, ITestOutputHelper output) : IClassFixture<DimerFilterSamples>
{
    private const string Measured =
        "not the objective's optimum: the kept filters (25-56% outside the span) hold 0.68-0.72 bits on the report windows against " +
        "0.57-0.60 bits for E_x, E_y, E_x + E_y, E_x - E_y (seeds 1-5), and hand-made filters E_x +- 0.3 C_x, E_y +- 0.3 C_y (C the columnar " +
        "order parameter, 29% outside the span) 0.77-0.78 bits against 0.59-0.62 on independently generated samples (docs/learning.md, " +
        "\"Dimer filters with four units\")";

    [Fact]
    public void TheEnsembleKeepsFieldFiltersAtBuffer2WithFourUnitsForEverySeed()
    {
        var failure = Record.Exception(() => DimerFilterTests.FieldFilters(samples, output, 2, 4));
        Assert.True(failure is null, $"{failure?.Message} Measured before: {Measured}");
    }
}
