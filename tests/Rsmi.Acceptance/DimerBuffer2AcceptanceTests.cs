using Rsmi.Tests.Learning.InfoNce;
using Xunit.Abstractions;

namespace Rsmi.Acceptance;

/// <summary>
/// The paper's Fig. 4b at buffer 2: the default infonce ensemble on the dimer samples of
/// Rsmi.Tests.Learning.InfoNce.DimerFilterTests (whose buffer-4 cases and buffer 2 with N_h = 2 pass), N_h = 4, seeds 1–5; every unit's
/// noise weights below 5% of its bond weights and at most 25% of its bond part outside span(E_x, E_y). Not met yet
/// (the measured outcome of each case is in its failure message).
/// </summary>
public class DimerBuffer2AcceptanceTests(DimerFilterSamples samples, ITestOutputHelper output) : IClassFixture<DimerFilterSamples>
{
    private static readonly Dictionary<int, string> Measured = new()
    {
        [4] = "not the objective's optimum: at buffer 2 with N_h = 4 the fields of parts of the block carry information of their own, " +
              "and filters 38-80% outside span(E_x, E_y) (units of sharpness 1.4 with the hidden states summed) hold 0.90-0.95 bits held " +
              "out, against 0.69-0.76 bits for a learner restricted to the span (seeds 1 and 3); seed 3 keeps units 31-38% outside the span",
    };

    [Theory]
    [InlineData(4)]
    public void TheEnsembleKeepsFieldFiltersAtBuffer2ForEverySeed(int hidden)
    {
        var failure = Record.Exception(() => DimerFilterTests.FieldFilters(samples, output, 2, hidden));
        Assert.True(failure is null, $"{failure?.Message} Measured before: {Measured[hidden]}");
    }
}
