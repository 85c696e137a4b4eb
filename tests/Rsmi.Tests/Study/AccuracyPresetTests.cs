using Rsmi.Study;

namespace Rsmi.Tests.Study;

public class AccuracyPresetTests
{
    /// <summary>
    /// The accuracy preset is the flow alone on 256×256 matched with 128×128: five temperatures within ±1.5 % of T_c with
    /// 2,000 Wolff samples each and 16,000 at T_c itself, where MCRG runs; six steps of the InfoNCE rule with rbm,
    /// majority and decimation on the same samples; and it passes the config's own checks.
    /// </summary>
    [Fact]
    public void TheAccuracyPresetDrawsItsMcrgSamplesAtTc()
    {
        var preset = Rsmi.Cli.Run.RunPresets.Get("accuracy");
        preset.Validate();
        Assert.False(preset.IsingFilters.Enabled || preset.Dimer.Enabled || preset.Potts is not null || preset.Scan is not null);
        var settings = StudyPlan.FlowOf(preset.Flow, null).Settings;
        Assert.Equal((256, 2000, 6, "wolff", "infonce", true), (settings.Size, settings.Samples, settings.Steps, settings.Algorithm, settings.Rule.Name, settings.TwoLattice));
        Assert.Equal(new[] { "rbm", "majority", "decimation" }, settings.Compare);
        double tc = Rsmi.Models.Ising.Exact.Ising2D.CriticalTemperature;
        double[] offsets = [-0.015, -0.0075, 0, 0.0075, 0.015];
        Assert.Equal(offsets.Length, settings.Temperatures.Count);
        // the preset rounds its temperatures to six digits
        for (int i = 0; i < offsets.Length; i++) Assert.InRange(settings.Temperatures[i], tc * (1 + offsets[i]) - 1e-6, tc * (1 + offsets[i]) + 1e-6);
        Assert.Equal(settings.Temperatures[2], settings.McrgTemperature);
        Assert.Equal(new[] { 2000, 2000, 16000, 2000, 2000 }, Enumerable.Range(0, offsets.Length).Select(settings.SamplesAt).ToArray());
        Assert.Equal(settings.McrgTemperature, settings.Options(1).McrgTemperature);
        Assert.Equal(" and 16000 at T = 2.269185, where MCRG runs", StudyReport.McrgSamplesNote(preset.Flow));
        Assert.Equal("", StudyReport.McrgSamplesNote(new FlowConfig()));
    }
}
