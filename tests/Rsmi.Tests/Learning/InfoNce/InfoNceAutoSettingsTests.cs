using Rsmi.Learning.InfoNce;
using Rsmi.Models.Dimers;
using Rsmi.Models.Ising;
using Rsmi.Regions;
using Rsmi.Sampling;
using Xunit.Abstractions;

namespace Rsmi.Tests.Learning.InfoNce;

public class InfoNceAutoSettingsTests(ITestOutputHelper output)
{
    private static LinearSignal Signal(double top, double positiveSum) => new()
    {
        TopEigenvalue = top, SecondEigenvalue = positiveSum - top, PositiveSum = positiveSum, TopDirection = [1.0],
        FitWindows = 100, TestWindows = 100,
    };

    [Fact]
    public void SettingsGivenExplicitlyAreNotPendingAndLeavingThemToTheDataMakesThemPendingAgain()
    {
        var o = new InfoNceOptions { Hidden = 2, Seed = 3 };
        Assert.Equal(InfoNceAutomatic.All, o.Pending);
        var given = o with { Steps = 300, FilterL2 = 0.01, Temperature = new TemperatureSchedule(0.5, 0.2) };
        Assert.Equal(InfoNceAutomatic.All & ~(InfoNceAutomatic.Steps | InfoNceAutomatic.FilterL2 | InfoNceAutomatic.TemperatureEnd), given.Pending);
        Assert.Equal(InfoNceAutomatic.All & ~(InfoNceAutomatic.Steps | InfoNceAutomatic.FilterL2), given.LeavingToData(InfoNceAutomatic.TemperatureEnd).Pending);
        Assert.Equal(InfoNceAutomatic.None, (o with { Automatic = InfoNceAutomatic.None }).Pending);
    }

    [Fact]
    public void ASpreadSignalGetsTheSpreadSettingsAndAPenaltyOfAQuarterOfTheLeadingEigenvalueButExplicitSettingsWin()
    {
        var o = new InfoNceOptions { Hidden = 2, Seed = 3, Steps = 300, CriticLayers = [16] };
        var r = InfoNceAutoSettings.Choose(Signal(0.3, 1.5), o);
        var s = InfoNceAutoSettings.SpreadSettings;
        Assert.Equal(InfoNceSignalRegime.Spread, r.AutomaticChoice!.Regime);
        Assert.Equal(300, r.Steps);
        Assert.Equal([16], r.CriticLayers);
        Assert.Equal(0.075, r.FilterL2, 12);
        Assert.Equal(s.WarmUpSteps, r.WarmUpSteps);
        Assert.Equal(s.BatchSize, r.BatchSize);
        Assert.Equal(s.Temperature.End, r.Temperature.End);
        Assert.Equal(o.Temperature.Start, r.Temperature.Start);
        Assert.Equal(s.FinalLearningRateFraction, r.FinalLearningRateFraction);
        Assert.Equal(s.FilterAveragingFraction, r.FilterAveragingFraction);
        Assert.Equal(InfoNceAutomatic.None, r.Pending);
        Assert.DoesNotContain("steps", r.AutomaticChoice.ChosenNames);
        Assert.DoesNotContain("critic_layers", r.AutomaticChoice.ChosenNames);
        Assert.Contains("filter_l2", r.AutomaticChoice.ChosenNames);
        // resolving resolved options changes nothing
        Assert.Same(r, InfoNceAutoSettings.Resolve(new Windows { Count = 0, VisibleSize = 1, EnvironmentSize = 1, Visible = [], Environment = [] }, [], r, 512));
    }

    [Fact]
    public void AConcentratedSignalKeepsThePlainSettings()
    {
        var plain = new InfoNceOptions { Hidden = 1, Seed = 2 };
        var r = InfoNceAutoSettings.Choose(Signal(2.0, 2.05), plain);
        Assert.Equal(InfoNceSignalRegime.Concentrated, r.AutomaticChoice!.Regime);
        Assert.Equal((plain.Steps, plain.BatchSize, plain.WarmUpSteps, plain.FilterL2), (r.Steps, r.BatchSize, r.WarmUpSteps, r.FilterL2));
        Assert.Equal((plain.Temperature, plain.FinalLearningRateFraction, plain.FilterAveragingFraction), (r.Temperature, r.FinalLearningRateFraction, r.FilterAveragingFraction));
        Assert.Equal(plain.CriticLayers, r.CriticLayers);
    }

    [Fact]
    public void AConcentratedSignalOfALargerBlockOrOfMoreUnitsGetsStepsInProportion()
    {
        LinearSignal Of(int sites) => Signal(2.0, 2.05) with { TopDirection = new double[sites] };
        var plain = new InfoNceOptions { Hidden = 1, Seed = 2 };
        Assert.Equal(1000, InfoNceAutoSettings.Choose(Of(4), plain).Steps);
        Assert.Equal(2000, InfoNceAutoSettings.Choose(Of(8), plain).Steps);
        Assert.Equal(2250, InfoNceAutoSettings.Choose(Of(9), plain).Steps);
        // up to four hidden units share them; beyond, they grow with N_h
        Assert.Equal(2000, InfoNceAutoSettings.Choose(Of(8), plain with { Hidden = 4 }).Steps);
        Assert.Equal(2500, InfoNceAutoSettings.Choose(Of(8), plain with { Hidden = 5 }).Steps);
        Assert.Equal(4000, InfoNceAutoSettings.Choose(Of(8), plain with { Hidden = 8 }).Steps);
        Assert.Equal(1000, InfoNceAutoSettings.Choose(Of(1), plain with { Hidden = 8 }).Steps);
        // steps given explicitly win
        Assert.Equal(300, InfoNceAutoSettings.Choose(Of(8), plain with { Steps = 300 }).Steps);
    }

    [Fact]
    public void TheBatchStaysWithinWhatTheWindowsAllow()
    {
        var r = InfoNceAutoSettings.Choose(Signal(0.3, 1.5), new InfoNceOptions(), maxBatch: 100);
        Assert.Equal(100, r.BatchSize);
    }

    [Fact]
    public void CriticalIsingBlocksAreConcentratedAndDimerWindowsAreSpread()
    {
        double tc = 2 / Math.Log(1 + Math.Sqrt(2));
        var ising = IsingSampling.Sample("ising2d", "wolff", 32, tc, 200, 11);
        var i = InfoNceAutoSettings.Resolve(ising, WindowGeometry.Square(2, 2, 2, 4), new InfoNceOptions { Seed = 1 }).AutomaticChoice!;
        var dimers = DimerSampling.Generate(new DimerSamplingOptions(32, 200, 2.0, 7));
        var d = InfoNceAutoSettings.Resolve(dimers, WindowGeometry.Square(8, 8, 2, 4), new InfoNceOptions { Seed = 1 }).AutomaticChoice!;
        output.WriteLine($"Ising 2x2: λ₁ {i.Signal.TopEigenvalue:F3}, concentration {i.Signal.Concentration:F3}; dimers 8x8: λ₁ {d.Signal.TopEigenvalue:F3}, concentration {d.Signal.Concentration:F3}");
        Assert.Equal(InfoNceSignalRegime.Concentrated, i.Regime);
        Assert.Equal(InfoNceSignalRegime.Spread, d.Regime);
        // the dimers' leading direction is a staggered electric field: almost no weight on the noise pixels
        double noise = 0, bond = 0;
        for (int r = 0; r < 8; r++)
            for (int c = 0; c < 8; c++)
            {
                double x = d.Signal.TopDirection[r * 8 + c] * d.Signal.TopDirection[r * 8 + c];
                if ((r + c) % 2 == 0) noise += x; else bond += x;
            }
        Assert.True(noise < 0.1 * bond, $"squared weight on noise pixels {noise:F3} against {bond:F3} on bonds");
    }

    [Fact]
    public void TheFiltersFileRecordsWhatTheDataChose()
    {
        double tc = 2 / Math.Log(1 + Math.Sqrt(2));
        var ising = IsingSampling.Sample("ising2d", "wolff", 16, tc, 100, 5);
        var geometry = WindowGeometry.Square(2, 2, 0, 1);
        var result = InfoNceLearner.Learn(ising, geometry, new InfoNceOptions { Seed = 1, Steps = 40, BatchSize = 64, MaxDegreeOfParallelism = 1 });
        var json = System.Text.Json.JsonSerializer.Serialize(InfoNceFilterLearner.Details(result));
        output.WriteLine(json);
        Assert.Contains("\"automatic\"", json);
        Assert.Contains("\"regime\":\"concentrated\"", json);
        Assert.DoesNotContain("\"steps\",", json.Substring(json.IndexOf("\"chosen\"", StringComparison.Ordinal)));
        Assert.Equal(40, result.Options.Steps);
    }
}
