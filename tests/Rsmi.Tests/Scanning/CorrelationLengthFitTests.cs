using Rsmi.Scanning;

namespace Rsmi.Tests.Scanning;

public class CorrelationLengthFitTests
{
    /// <summary>I(L_B) of a Gaussian channel whose squared correlation is ρ₀² e^{−2 L_B/ξ}.</summary>
    private static double Information(double rho0Squared, double xi, int buffer) => -0.5 * Math.Log2(1 - rho0Squared * Math.Exp(-2 * buffer / xi));

    [Fact]
    public void AnExactExponentialInTheSquaredCorrelationGivesItsLength()
    {
        int[] buffers = [0, 1, 2, 3, 4, 5, 6];
        // ρ₀² = 0.6: I is far from ρ²/(2 ln 2) at small buffers, so a fit of ln I would not give 3.
        double[] bits = buffers.Select(b => Information(0.6, 3.0, b)).ToArray();
        double[] errors = bits.Select(b => 0.01 * b).ToArray();
        var xi = CorrelationLengthFit.Fit(buffers, bits, errors, new FitWindow());
        Assert.True(xi.HasValue, xi.Reason);
        Assert.Equal(3.0, xi.Value, 10);
        Assert.Equal([2, 3, 4, 5, 6], xi.Buffers);
        Assert.Equal(Math.Log(0.6), xi.Intercept, 10);
        Assert.Equal(0, xi.ChiSquare, 12);
        Assert.Equal(3, xi.DegreesOfFreedom);
        Assert.True(xi.Error > 0 && xi.Error < 0.1, $"error {xi.Error}");
        // a fit of ln I over the same points gives a shorter length: the transformation matters
        double slope = (Math.Log(bits[6]) - Math.Log(bits[2])) / 4;
        Assert.True(-2 / slope < 2.97, $"ln I would give {-2 / slope}");
    }

    [Fact]
    public void TheWindowStopsAtTheFirstPointThatIsNotSignificant()
    {
        int[] buffers = [1, 2, 3, 4, 5, 6];
        double[] bits = buffers.Select(b => Information(0.3, 2.0, b)).ToArray();
        double[] errors = bits.Select(b => 0.05 * b).ToArray();
        errors[3] = bits[3] / 3.9;          // L_B = 4 is 3.9σ: the fit stops before it, though 5 and 6 are significant
        var xi = CorrelationLengthFit.Fit(buffers, bits, errors, new FitWindow(2, 4));
        Assert.Equal([2, 3], xi.Buffers);
        Assert.Equal(2.0, xi.Value, 9);
        Assert.Equal(0, xi.DegreesOfFreedom);
        var wider = CorrelationLengthFit.Fit(buffers, bits, errors, new FitWindow(1, 3.5));
        Assert.Equal([1, 2, 3, 4, 5, 6], wider.Buffers);
    }

    [Fact]
    public void FewerThanTwoPointsOrNoDecayGiveNoLengthAndSayWhy()
    {
        int[] buffers = [0, 2, 4];
        var flat = CorrelationLengthFit.Fit(buffers, [0.1, 0.1, 0.1], [0.001, 0.001, 0.001], new FitWindow());
        Assert.False(flat.HasValue);
        Assert.Contains("does not fall", flat.Reason);
        Assert.True(double.IsNaN(flat.Value));
        var lost = CorrelationLengthFit.Fit(buffers, [0.1, 0.01, 0.0001], [0.001, 0.001, 0.001], new FitWindow());
        Assert.False(lost.HasValue);
        Assert.Contains("fewer than two buffers", lost.Reason);
        Assert.Equal([2], lost.Buffers);
    }

    [Fact]
    public void TheErrorIsTheFitCovarianceScaledByTheScatter()
    {
        // Equal errors σ on ln ρ²: var(slope) = σ² / Σ(x − x̄)²; with points off the line the error grows by √(χ²/dof).
        int[] buffers = [2, 3, 4, 5, 6];
        double xi = 4, rho0 = 0.2;
        double[] exact = buffers.Select(b => Information(rho0, xi, b)).ToArray();
        double sigma = 0.02;     // on ln ρ²
        double[] errors = exact.Select(i => sigma * (1 - Math.Pow(2, -2 * i)) / (2 * Math.Log(2) * Math.Pow(2, -2 * i))).ToArray();
        var clean = CorrelationLengthFit.Fit(buffers, exact, errors, new FitWindow());
        double slopeError = sigma / Math.Sqrt(buffers.Sum(b => (b - 4.0) * (b - 4.0)));
        Assert.Equal(slopeError, clean.SlopeError, 9);
        Assert.Equal(2 * slopeError / Math.Pow(2 / xi, 2), clean.Error, 9);
        // push the points alternately up and down by 3σ in ln ρ²: χ²/dof > 1 scales the error
        double[] noisy = buffers.Select((b, k) => CorrelationLengthFit.Bits(Math.Log(rho0) - 2 * b / xi + (k % 2 == 0 ? 3 : -3) * sigma)).ToArray();
        double[] noisyErrors = noisy.Select(i => sigma * (1 - Math.Pow(2, -2 * i)) / (2 * Math.Log(2) * Math.Pow(2, -2 * i))).ToArray();
        var scattered = CorrelationLengthFit.Fit(buffers, noisy, noisyErrors, new FitWindow());
        Assert.True(scattered.ChiSquare / scattered.DegreesOfFreedom > 1);
        Assert.Equal(slopeError * Math.Sqrt(scattered.ChiSquare / scattered.DegreesOfFreedom), scattered.SlopeError, 9);
    }

    [Fact]
    public void BitsAndTheLogOfTheSquaredCorrelationAreInverse()
    {
        foreach (double bits in new[] { 1e-6, 1e-3, 0.05, 0.5, 2 })
            Assert.Equal(bits, CorrelationLengthFit.Bits(CorrelationLengthFit.LogSquaredCorrelation(bits)), 9);
        Assert.Equal(Math.Log(2 * Math.Log(2) * 1e-7), CorrelationLengthFit.LogSquaredCorrelation(1e-7), 5);
    }

    [Fact]
    public void ABadWindowIsRefusedWithTheOptionsName()
    {
        var e = Assert.Throws<RsmiInputException>(() => new FitWindow(-1).Validate());
        Assert.Contains("fit-from", e.Message);
        Assert.Throws<RsmiInputException>(() => new FitWindow(2, 0).Validate());
    }
}

public class FilterOverlapsTests
{
    private static Rsmi.Data.SampleSet DimerImages(int l) =>
        Rsmi.Models.Dimers.DimerSampling.Generate(new Rsmi.Models.Dimers.DimerSamplingOptions(l, 2, null, 1));

    [Fact]
    public void TheElectricFieldsAndTheColumnarPatternsHaveFullOverlapWithTheirOwnSpanAndNoneWithTheOther()
    {
        var sets = FilterOverlaps.For(DimerImages(8), 8);
        Assert.Equal(["electric_field", "columnar"], sets.Select(s => s.Name));
        var (ef, col) = (sets[0].Patterns, sets[1].Patterns);
        // two units: E_x + E_y and E_x − E_y lie in span(E_x, E_y); C_x and 0.3 C_y in the columnar span
        var fields = Rsmi.Filters.FilterParameters.FromRows([ef[0].Zip(ef[1], (a, b) => a + b).ToArray(), ef[0].Zip(ef[1], (a, b) => a - b).ToArray()]);
        var columnar = Rsmi.Filters.FilterParameters.FromRows([col[0], col[1].Select(x => 0.3 * x).ToArray()]);
        Assert.Equal(1, FilterOverlaps.Overlap(fields, ef), 12);
        Assert.Equal(1, FilterOverlaps.Overlap(columnar, col), 12);
        // on an 8 × 8 pixel block (4 × 4 sites) the two spans are orthogonal
        Assert.Equal(0, FilterOverlaps.Overlap(fields, col), 12);
        Assert.Equal(0, FilterOverlaps.Overlap(columnar, ef), 12);
        // half of one unit in the span, the other unit wholly outside: (½ + 0)/2
        var uniform = Enumerable.Repeat(1.0, 64).ToArray();
        double uniformOnBonds = FilterOverlaps.Overlap(Rsmi.Filters.FilterParameters.FromRows([uniform]), ef);
        Assert.Equal(0, uniformOnBonds, 12);
        var mixed = Rsmi.Filters.FilterParameters.FromRows([ef[0].Zip(Normalised(uniform, ef[0]), (a, b) => a + b).ToArray(), uniform]);
        Assert.Equal(0.25, FilterOverlaps.Overlap(mixed, ef), 12);
    }

    [Fact]
    public void TheSpansOverlapOnBlocksWithAnOddNumberOfSitesPerSide()
    {
        // 2 × 2 pixels (one site): E_x and C_x are the same pattern; 6 × 6 (3 × 3 sites): E_x · C_x = Σ_i (−1)^i · 3 = 3
        // of |E_x|² = 9, so a unit on E_x has a share (1/3)² of its squared weight in the columnar span
        foreach (var (block, expected) in new[] { (2, 1.0), (6, 1.0 / 9) })
        {
            var sets = FilterOverlaps.For(DimerImages(12), block);
            var fields = Rsmi.Filters.FilterParameters.FromRows([sets[0].Patterns[0]]);
            Assert.Equal(expected, FilterOverlaps.Overlap(fields, sets[1].Patterns), 12);
        }
    }

    /// <summary><paramref name="v"/> scaled to the length of <paramref name="like"/>.</summary>
    private static double[] Normalised(double[] v, double[] like)
    {
        double s = Math.Sqrt(like.Sum(x => x * x) / v.Sum(x => x * x));
        return v.Select(x => x * s).ToArray();
    }

    [Fact]
    public void OtherModelsHaveNoPatterns()
    {
        var ising = Rsmi.Models.Ising.IsingSampling.Sample("ising2d", "wolff", 8, 2.5, 2, 1);
        Assert.Empty(FilterOverlaps.For(ising, 2));
    }
}
