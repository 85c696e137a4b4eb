using Rsmi.Progress;
using Rsmi.Statistics;

namespace Rsmi.Sampling;

/// <summary>
/// The one rule by which rsmi decides that its Markov chains are thermalised and how far apart to save samples,
/// for scalar chains and for replica engines alike (docs/algorithm.md, "The chain driver"). Time is counted in blocks of a fixed
/// number of chain steps (about one sweep of work; a replica engine's block is one sweep). Pilot rounds of
/// P = 200, 400, 800… blocks record every monitored chain's monitor observable (energy per site for spin
/// models) and |m| after each block; τ (the larger of the two integrated autocorrelation times, Sokal window,
/// averaged over the chains) accepts a round when
/// <list type="bullet">
/// <item>P ≥ 50 τ (the series is long enough to measure τ),</item>
/// <item>the steps run before the round are ≥ <see cref="ThermalisationTaus"/> τ (20: the start is forgotten), and</item>
/// <item>τ did not grow since the previous round by more than max(3 σ_τ, τ/4) (it has settled);</item>
/// </list>
/// a round of <see cref="MaxPilotBlocks"/> blocks ends the search unconverged. Samples are then saved every
/// ⌈<see cref="SpacingTaus"/> τ⌉ blocks (2 τ: nearly independent samples).
/// </summary>
/// <param name="ThermalisationTaus">Steps before the accepted round, in units of τ (≥ 20 advised).</param>
/// <param name="SpacingTaus">Spacing between saved samples, in units of τ (rounded up to whole blocks).</param>
/// <param name="InitialPilotBlocks">Length of the first pilot round, in blocks (at least 16 are run).</param>
/// <param name="MaxPilotBlocks">Longest pilot round, in blocks.</param>
public sealed record ThermalisationRule(double ThermalisationTaus = 20, double SpacingTaus = 2, int InitialPilotBlocks = 200, int MaxPilotBlocks = 1 << 19)
{
    /// <summary>The rule with its default settings.</summary>
    public static ThermalisationRule Default { get; } = new();

    /// <summary>
    /// Runs pilot rounds on <paramref name="chains"/> until the rule accepts one (or the longest round is reached)
    /// and returns the measured times with the block length in force during the accepted round.
    /// </summary>
    internal ThermalisationResult Thermalise(IPilotChains chains, IProgressReporter progress)
    {
        int pilot = Math.Max(16, InitialPilotBlocks);
        double previousTauSteps = double.NaN;
        (double Tau, double Error) tauE = default, tauM = default;
        long block = chains.BlockSteps;
        for (int round = 0; ; round++)
        {
            long before = chains.StepsDone;
            block = chains.BlockSteps;
            int length = pilot;
            var (energy, absM) = chains.RunPilot(length);
            tauE = MeanTau(energy);
            tauM = MeanTau(absM);
            double tau = Math.Max(tauE.Tau, tauM.Tau);
            double error = tauE.Tau >= tauM.Tau ? tauE.Error : tauM.Error;
            double tauSteps = tau * block;
            bool longEnough = length >= 50 * tau;
            bool thermalised = before >= ThermalisationTaus * tauSteps;
            bool stable = round > 0 && tauSteps <= previousTauSteps + Math.Max(3 * error * block, 0.25 * tauSteps);
            progress.Report("thermalisation", 0.0, chains.DescribeRound(round, length, block, tauE.Tau, tauM.Tau));
            if (longEnough && thermalised && stable) return new(tauE, tauM, block, true, SpacingBlocks(tauE, tauM));
            if (length >= MaxPilotBlocks) return new(tauE, tauM, block, false, SpacingBlocks(tauE, tauM));
            previousTauSteps = tauSteps;
            chains.EndRound();
            pilot = (int)Math.Min((long)length * 2, MaxPilotBlocks);
        }
    }

    private long SpacingBlocks((double Tau, double Error) tauE, (double Tau, double Error) tauM)
        => Math.Max(1, (long)Math.Ceiling(SpacingTaus * Math.Max(tauE.Tau, tauM.Tau)));

    /// <summary>τ_int averaged over the chains' series, with the error of the mean (errors added in quadrature).</summary>
    internal static (double Tau, double Error) MeanTau(IReadOnlyList<double[]> series)
    {
        double tau = 0, variance = 0;
        foreach (var s in series)
        {
            var (t, e, _) = AutoCorrelation.IntegratedTime(s);
            tau += t; variance += e * e;
        }
        return (tau / series.Count, Math.Sqrt(variance) / series.Count);
    }
}

/// <summary>What <see cref="ThermalisationRule.Thermalise"/> measured.</summary>
/// <param name="Energy">τ_int of the monitor observable, in blocks, with its error.</param>
/// <param name="AbsMagnetisation">τ_int of |m|, in blocks, with its error.</param>
/// <param name="BlockSteps">Chain steps per block during the accepted (or last) round.</param>
/// <param name="Converged">Whether the rule accepted a round before the longest one.</param>
/// <param name="SpacingBlocks">Blocks between saved samples, ⌈2 τ⌉ ≥ 1.</param>
internal readonly record struct ThermalisationResult(
    (double Tau, double Error) Energy, (double Tau, double Error) AbsMagnetisation, long BlockSteps, bool Converged, long SpacingBlocks)
{
    /// <summary>τ = the larger of the two times, in blocks.</summary>
    public double TauBlocks => Math.Max(Energy.Tau, AbsMagnetisation.Tau);
}

/// <summary>The chains as the thermalisation rule drives them.</summary>
internal interface IPilotChains
{
    /// <summary>Steps run so far by the chain that has run fewest.</summary>
    long StepsDone { get; }
    /// <summary>Chain steps per block for the next round.</summary>
    long BlockSteps { get; }
    /// <summary>Runs <paramref name="blocks"/> blocks on every chain, recording each monitored chain's monitor observable and |m| after each block.</summary>
    (double[][] Energy, double[][] AbsMagnetisation) RunPilot(int blocks);
    /// <summary>After a rejected round: re-measures the block length from the work done in it.</summary>
    void EndRound();
    /// <summary>The progress line of a round.</summary>
    string DescribeRound(int round, int blocks, long blockSteps, double tauEnergy, double tauAbsMagnetisation);
}
