using Rsmi.IO;
using Rsmi.Learning;
using Rsmi.Models;
using Rsmi.Models.Ising.Exact;
using Rsmi.Plots.Scan;
using Rsmi.Progress;
using Rsmi.Scanning;

namespace Rsmi.Study.Stages;

/// <summary>What a scan stage produced.</summary>
public sealed class ScanOutcome
{
    /// <summary>Everything measured.</summary>
    public required ScanResult Result { get; init; }
    /// <summary>The scan file written.</summary>
    public required string ScanFile { get; init; }
    /// <summary>The figures written (none without pictures).</summary>
    public required IReadOnlyList<string> Figures { get; init; }
    /// <summary>The exact correlation length at each entry's temperature where one is known (2D Ising above T_c), else NaN.</summary>
    public required IReadOnlyList<double> ExactCorrelationLengths { get; init; }
}

/// <summary>
/// A scan stage (<c>rsmi scan</c>, and a study's scan section): reads the sample files, runs
/// <see cref="MutualInformationScan"/> with one catalog learner, and writes <c>scan.json</c> and the figures into a
/// directory (docs/scan.md).
/// </summary>
public static class ScanStage
{
    /// <summary>
    /// Reads <paramref name="inputs"/>, scans them with <paramref name="settings"/> and the learner
    /// <paramref name="estimator"/> (its options in <paramref name="learnerOptions"/>, key → value text), writes
    /// <c>scan.json</c> and, when <paramref name="pictures"/>, the figures into <paramref name="directory"/> (created if missing).
    /// </summary>
    public static ScanOutcome Run(IReadOnlyList<string> inputs, ScanSettings settings, string estimator, IReadOnlyDictionary<string, string> learnerOptions,
        string directory, bool pictures, IProgressReporter progress, CancellationToken cancellation = default, bool svg = true)
    {
        settings.Validate();
        var learner = LearnerCatalog.Find(estimator)
            ?? throw new RsmiInputException($"{RsmiInputException.Option("estimator")}: unknown estimator '{estimator}'; choose one of {string.Join(", ", LearnerCatalog.All.Select(e => e.Name))}.");
        Require.That(inputs.Count >= 1, $"{RsmiInputException.Option("in")} must name at least one sample file.");
        Require.That(!File.Exists(directory), $"{RsmiInputException.Option("out")}: '{directory}' is a file; the scan writes a directory.");
        var read = new List<ScanInput>();
        foreach (string path in inputs)
        {
            Require.That(File.Exists(path), $"{RsmiInputException.Option("in")}: sample file '{path}' does not exist.");
            var samples = SampleFile.Read(path);
            Require.That(samples.Count > 0, $"{RsmiInputException.Option("in")}: '{path}' holds no configurations.");
            read.Add(new ScanInput(path, samples));
        }
        var result = MutualInformationScan.Run(read, settings, learner, learnerOptions, progress, cancellation);
        Directory.CreateDirectory(directory);
        string file = Path.Combine(directory, Rsmi.IO.ScanFile.FileName);
        Rsmi.IO.ScanFile.Write(file, result, cancellation);
        var exact = result.Scans.Select(ExactCorrelationLength).ToArray();
        IReadOnlyList<string> figures = [];
        if (pictures)
        {
            var entries = result.Scans.Select(Rsmi.IO.ScanFile.Entry).ToArray();
            ScanFigures.Reference? reference = result.Scans.All(s => IsIsing2D(s) && s.ParameterName == "temperature" && s.ParameterValue > Ising2D.CriticalTemperature)
                ? new ScanFigures.Reference("exact ξ = 1/(ln coth K − 2K)", t => Onsager.CorrelationLength(t)) : null;
            figures = ScanFigures.WriteAll(entries, directory, reference, svg);
        }
        return new ScanOutcome { Result = result, ScanFile = file, Figures = figures, ExactCorrelationLengths = exact };
    }

    private static bool IsIsing2D(FileScan scan) => ModelCatalog.Default.Find(scan.Model) == ModelCatalog.Ising2D && scan.Shape.Length == 2;

    /// <summary>The exact exponential correlation length of the square-lattice Ising model above T_c (Onsager), NaN otherwise.</summary>
    public static double ExactCorrelationLength(FileScan scan) =>
        IsIsing2D(scan) && scan.Temperature is double t && t > Ising2D.CriticalTemperature ? Onsager.CorrelationLength(t) : double.NaN;
}
