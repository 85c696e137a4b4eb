using Rsmi.Learning;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Scanning;
using Xunit.Abstractions;

namespace Rsmi.Tests.Scanning;

/// <summary>
/// The correlation length from the decay of the mutual information with the buffer (docs/scan.md, "The correlation
/// length") on the 2D Ising model, 128 × 128, 2 × 2 block, N_h = 1, at six temperatures from 1.05 T_c to 1.3 T_c: at
/// every temperature where the exact exponential correlation length ξ⁻¹ = ln coth K − 2K is at most 8, the fitted ξ
/// lies within 10% of it. Buffers 2 … 6 (the default fit window starts at 2), 400 Wolff configurations per
/// temperature, an ensemble of two, fixed seeds.
/// </summary>
[Trait("Category", "Statistical")]
public class ScanAcceptanceTests(ITestOutputHelper output)
{
    [Fact]
    public void TheFittedCorrelationLengthAgreesWithTheExactOneAboveTc()
    {
        double[] multiples = [1.05, 1.10, 1.15, 1.20, 1.25, 1.30];
        var inputs = multiples.Select((m, i) => new ScanInput($"T{m:F2}Tc",
            IsingSampling.Sample("ising2d", "wolff", 128, m * Ising2D.CriticalTemperature, 400, 19 + (ulong)i))).ToArray();
        var settings = new ScanSettings { Block = 2, Buffers = [2, 3, 4, 5, 6], Members = 2, Seed = 19 };
        var result = MutualInformationScan.Run(inputs, settings, LearnerCatalog.InfoNce);
        int checkedTemperatures = 0;
        var failures = new List<string>();
        foreach (var scan in result.Scans)
        {
            double exact = Onsager.CorrelationLength(scan.Temperature!.Value);
            var xi = scan.CorrelationLength;
            string line = $"{scan.File}: I = [{string.Join(", ", scan.Points.Select(p => $"{p.Bits:F4}±{p.Error:F4}"))}] bits; " +
                          $"ξ = {xi.Value:F3} ± {xi.Error:F3} over L_B = {string.Join(",", xi.Buffers)} (χ² {xi.ChiSquare:F1}/{xi.DegreesOfFreedom}); exact {exact:F3}; {(xi.Value / exact - 1) * 100:+0.0;-0.0}%";
            output.WriteLine(line);
            if (exact > 8) continue;
            checkedTemperatures++;
            if (!(Math.Abs(xi.Value / exact - 1) <= 0.10)) failures.Add(line);
        }
        Assert.Equal(5, checkedTemperatures);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
