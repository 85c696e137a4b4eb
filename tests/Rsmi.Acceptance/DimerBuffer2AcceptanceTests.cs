using Rsmi.Tests.Learning.InfoNce;
using Xunit.Abstractions;

namespace Rsmi.Acceptance;

/// <summary>
/// The paper's Fig. 4 at buffer 2: the default infonce ensemble on the dimer samples of
/// Rsmi.Tests.Learning.InfoNce.DimerFilterTests (whose buffer-4 cases pass), N_h = 2 and 4, seeds 1–5; every unit's
/// noise weights below 5% of its bond weights and at most 25% of its bond part outside span(E_x, E_y). Not met yet
/// (the measured outcome of each case is in its failure message).
/// </summary>
public class DimerBuffer2AcceptanceTests(DimerFilterSamples samples, ITestOutputHelper output) : IClassFixture<DimerFilterSamples>
{
    private static readonly Dictionary<int, string> Measured = new()
    {
        [2] = "seed 5 keeps a unit 25.5% outside span(E_x, E_y) (limit 25%). The part outside the span is noise, not signal: for seeds " +
              "1-5 the kept filters projected onto the span have 0.015-0.040 bits more held-out information than as learned. The member " +
              "is kept because the 400-step yardstick critic ranks members of nearly equal information at random (seed 3: 0.008-0.40 " +
              "bits for members with 0.485-0.497 bits by converged critics)",
        [4] = "not the objective's optimum: at buffer 2 with N_h = 4 the fields of parts of the block carry information of their own, " +
              "and filters 38-80% outside span(E_x, E_y) (units of sharpness 1.4 with the hidden states summed) hold 0.90-0.95 bits held " +
              "out, against 0.69-0.76 bits for a learner restricted to the span (seeds 1 and 3); seed 3 keeps units 31-38% outside the span",
    };

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void TheEnsembleKeepsFieldFiltersAtBuffer2ForEverySeed(int hidden)
    {
        var failure = Record.Exception(() => DimerFilterTests.FieldFilters(samples, output, 2, hidden));
        Assert.True(failure is null, $"{failure?.Message} Measured before: {Measured[hidden]}");
    }
}
