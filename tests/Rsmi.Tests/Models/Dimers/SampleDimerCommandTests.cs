using Rsmi.Cli;
using Rsmi.IO;
using Rsmi.Models.Dimers;

namespace Rsmi.Tests.Models.Dimers;

public sealed class SampleDimerCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rsmi-dimer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void WritesDecodableImagesWithTheirMetadata()
    {
        string path = Path.Combine(_dir, "d.h5");
        var (code, output, err) = Run("sample", "dimer", "--size", "6", "--samples", "50", "--seed", "12", "--algorithm", "worm", "--out", path);
        Assert.True(code == 0, err);
        Assert.Contains(path, output);
        Assert.Contains("tau_int", err);
        var set = SampleFile.Read(path);
        Assert.Equal(50, set.Count);
        Assert.Equal([12, 12], set.SiteShape);
        Assert.Equal("dimer", set.Metadata.Model);
        Assert.Equal("worm", set.Metadata.Algorithm);
        Assert.Equal(12, set.Metadata.Seed);
        Assert.Equal(2.0, set.Metadata.GetDouble("noise_coupling"));
        Assert.Equal(DimerImage.Encoding, set.Metadata.GetString("encoding"));
        Assert.Equal("periodic", set.Metadata.GetString("boundary"));
        Assert.Equal(0.0, set.Metadata.GetDouble("interaction"));
        Assert.Equal("on", set.Metadata.GetString("symmetry_moves"));
        Assert.True(set.Metadata.GetDouble("tau_int") > 0);
        for (int n = 0; n < set.Count; n++)
        {
            var sample = DimerImage.Decode(set, n);
            Assert.Equal(6, sample.Covering.L);
        }
        // Noise pixels vary; with K = 2 most pairs agree.
        var first = DimerImage.Decode(set, 0);
        Assert.Contains(first.VertexSpins, v => v == -1);
    }

    [Fact]
    public void TheMessagesNameTheMonitorObservablesThatWereChosen()
    {
        string both = Path.Combine(_dir, "b.h5"), winding = Path.Combine(_dir, "w.h5"), columnar = Path.Combine(_dir, "c.h5");
        var b = Run("sample", "dimer", "--size", "6", "--samples", "20", "--seed", "3", "--interaction", "1.5", "--out", both);
        var w = Run("sample", "dimer", "--size", "6", "--samples", "20", "--seed", "3", "--monitor", "winding", "--out", winding);
        var c = Run("sample", "dimer", "--size", "6", "--samples", "20", "--seed", "3", "--interaction", "-1", "--monitor", "columnar", "--out", columnar);
        Assert.True(b.Code == 0 && w.Code == 0 && c.Code == 0, b.Err + w.Err + c.Err);
        Assert.Contains("tau_int: winding number", b.Err);
        Assert.Contains(", squared columnar order parameter", b.Err);
        Assert.Contains("tau_int: winding number", w.Err);
        Assert.Contains(", |m| ", w.Err);
        Assert.DoesNotContain("columnar", w.Err);
        Assert.Contains("tau_int: squared columnar order parameter", c.Err);
        Assert.DoesNotContain("winding", c.Err);
        var metadata = SampleFile.Read(both).Metadata;
        Assert.StartsWith("winding number W_x = E_x/L (monitor, tau_int_energy) and squared columnar order parameter", metadata.GetString("tau_int_observable"));
        // the larger of the two times decides
        Assert.Equal(Math.Max(metadata.GetDouble("tau_int_energy")!.Value, metadata.GetDouble("tau_int_abs_magnetization")!.Value), metadata.GetDouble("tau_int"));
        Assert.StartsWith("winding number W_x = E_x/L (monitor) and |m|", SampleFile.Read(winding).Metadata.GetString("tau_int_observable"));
        Assert.StartsWith("squared columnar order parameter", SampleFile.Read(columnar).Metadata.GetString("tau_int_observable"));
    }

    [Fact]
    public void SymmetryMovesCanBeSwitchedOffAndTheFileSaysSo()
    {
        string on = Path.Combine(_dir, "on.npy"), off = Path.Combine(_dir, "off.h5"), offNpy = Path.Combine(_dir, "off.npy");
        Assert.Equal(0, Run("sample", "dimer", "--size", "6", "--samples", "20", "--seed", "8", "--out", on).Code);
        Assert.Equal(0, Run("sample", "dimer", "--size", "6", "--samples", "20", "--seed", "8", "--symmetry-moves", "off", "--out", off).Code);
        Assert.Equal(0, Run("sample", "dimer", "--size", "6", "--samples", "20", "--seed", "8", "--symmetry-moves", "off", "--out", offNpy).Code);
        Assert.Equal("off", SampleFile.Read(off).Metadata.GetString("symmetry_moves"));
        Assert.NotEqual(SampleFile.Read(on).Data, SampleFile.Read(offNpy).Data);
    }

    [Fact]
    public void TheSameSeedGivesTheSameFile()
    {
        string a = Path.Combine(_dir, "a.npy"), b = Path.Combine(_dir, "b.npy"), c = Path.Combine(_dir, "c.npy");
        Assert.Equal(0, Run("sample", "dimer", "--size", "8", "--samples", "20", "--seed", "5", "--out", a).Code);
        Assert.Equal(0, Run("sample", "dimer", "--size", "8", "--samples", "20", "--seed", "5", "--out", b).Code);
        Assert.Equal(0, Run("sample", "dimer", "--size", "8", "--samples", "20", "--seed", "6", "--out", c).Code);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        Assert.NotEqual(File.ReadAllBytes(a), File.ReadAllBytes(c));
    }

    [Fact]
    public void NoNoiseFixesTheNoisePixelsAndOpenBoundaryIsRecorded()
    {
        string path = Path.Combine(_dir, "quiet.h5");
        var (code, _, err) = Run("sample", "dimer", "--size", "4", "--samples", "30", "--no-noise", "--boundary", "open", "--out", path);
        Assert.True(code == 0, err);
        var set = SampleFile.Read(path);
        Assert.Equal("none", set.Metadata.GetString("noise_coupling"));
        Assert.Equal(DimerImage.EncodingWithoutNoise, set.Metadata.GetString("encoding"));
        Assert.Equal("open", set.Metadata.GetString("boundary"));
        for (int n = 0; n < set.Count; n++)
        {
            var s = DimerImage.Decode(set, n);
            Assert.All(s.VertexSpins, v => Assert.Equal(1, v));
            Assert.All(s.FaceSpins, v => Assert.Equal(1, v));
            Assert.Equal(DimerBoundary.Open, s.Covering.Lattice.Boundary);
        }
    }

    [Fact]
    public void InfiniteCouplingCopiesVertexToFace()
    {
        string path = Path.Combine(_dir, "copy.h5");
        Assert.Equal(0, Run("sample", "dimer", "--size", "4", "--samples", "10", "--noise-coupling", "inf", "--out", path).Code);
        var set = SampleFile.Read(path);
        Assert.Equal(double.PositiveInfinity, set.Metadata.GetDouble("noise_coupling"));
        for (int n = 0; n < set.Count; n++)
        {
            var s = DimerImage.Decode(set, n);
            Assert.Equal(s.VertexSpins, s.FaceSpins);
        }
    }

    [Theory]
    [InlineData("--size 7", "--size must be an even integer")]
    [InlineData("--size 1", "--size must be an even integer")]
    [InlineData("--size 0", "--size must be an even integer")]
    [InlineData("--size -4", "--size must be an even integer")]
    [InlineData("--size 32768", "--size must be at most 16384")]
    [InlineData("--size 4 --samples 0", "--samples must be a positive integer")]
    [InlineData("--size 4 --samples -3", "--samples must be a positive integer")]
    [InlineData("--size 4 --noise-coupling -1", "--noise-coupling must be zero, a positive number or Infinity")]
    [InlineData("--size 4 --noise-coupling abc", "--noise-coupling must be a number >= 0 or Infinity")]
    [InlineData("--size 4 --noise-coupling 1 --no-noise", "--no-noise and --noise-coupling cannot be used together")]
    [InlineData("--size 4 --boundary twisted", "--boundary must be periodic or open")]
    [InlineData("--size 4 --interaction NaN", "--interaction must be a finite number")]
    [InlineData("--size 4 --monitor energy", "--monitor must be both, winding or columnar")]
    [InlineData("--size 4 --symmetry-moves maybe", "--symmetry-moves must be on or off")]
    [InlineData("--size 4 --chains 0", "--chains must be at least 1")]
    [InlineData("--size 4 --algorithm wolff", "--algorithm must be worm for the dimer model")]
    [InlineData("--size 4 --threads 0", "--threads must be at least 1")]
    public void BadParametersGiveExitCodeTwoAndASentence(string options, string message)
    {
        string path = Path.Combine(_dir, "bad.h5");
        var args = new List<string> { "sample", "dimer" };
        args.AddRange(options.Split(' '));
        if (!options.Contains("--samples")) args.AddRange(["--samples", "5"]);
        args.AddRange(["--out", path]);
        var (code, _, err) = Run(args.ToArray());
        Assert.Equal(2, code);
        Assert.StartsWith("rsmi: error: ", err);
        Assert.Contains(message, err);
        Assert.DoesNotContain("   at ", err);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void AnUnknownExtensionIsRejectedBeforeAnyWork()
    {
        var (code, _, err) = Run("sample", "dimer", "--size", "4", "--samples", "5", "--out", Path.Combine(_dir, "x.txt"));
        Assert.Equal(2, code);
        Assert.Contains("extension", err);
    }
}

public class DimerSamplingTests
{
    [Fact]
    public void SavedSamplesAreNearlyIndependentInTheSlowObservable()
    {
        // the worms' own decorrelation, timed by the winding number: without the symmetry move, which would randomise W_x
        var set = DimerSampling.Generate(new DimerSamplingOptions(16, 3000, null, 77, Monitor: DimerMonitor.Winding, SymmetryMoves: false));
        Assert.InRange(set.Metadata.GetLong("spacing")!.Value, 1, 1000);
        var winding = new double[set.Count];
        for (int n = 0; n < set.Count; n++) winding[n] = DimerAnalysis.Winding(DimerImage.Decode(set, n).Covering).Wx;
        var tau = Rsmi.Statistics.AutoCorrelation.IntegratedTime(winding);
        // Spacing 2 τ_int: the saved series has τ_int ≈ ½ + e^{−2}-ish; far below the 2τ/spacing of a too-short spacing.
        Assert.True(tau.Tau < 0.5 + 4 * tau.Error + 0.15, $"τ_int of the saved winding numbers = {tau.Tau:F3} ± {tau.Error:F3} samples");
        // Winding numbers fluctuate: every sector |W| ≤ 1 is visited.
        Assert.Contains(winding, w => w == 1);
        Assert.Contains(winding, w => w == -1);
    }
}

public sealed class SampleInteractingDimerCommandTests
{
    [Fact]
    public void AligningInteractionFavoursParallelPlaquettes()
    {
        string path = Path.Combine(Path.GetTempPath(), $"rsmi-dimer-u-{Environment.ProcessId}.h5");
        try
        {
            var stderr = new StringWriter();
            int code = CliApp.Run(["sample", "dimer", "--size", "8", "--samples", "200", "--interaction", "1.0", "--out", path], new StringWriter(), stderr);
            Assert.True(code == 0, stderr.ToString());
            var set = SampleFile.Read(path);
            Assert.Equal(1.0, set.Metadata.GetDouble("interaction"));
            var lattice = DimerImage.LatticeOf(set);
            double mean = Enumerable.Range(0, set.Count)
                .Average(n => DimerWormSampler<Rsmi.Random.Xoshiro256StarStar>.CountParallelPlaquettes(DimerImage.Decode(set, n).Covering.Directions, lattice));
            // Uniform coverings have ⟨N_∥⟩/L² ≈ 0.25 at large L; u = 1 raises it well above (exactness is tested against enumeration at L = 4).
            Assert.True(mean / 64 > 0.3, $"⟨N_∥⟩/L² = {mean / 64:F3}");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void TheOutputDoesNotDependOnTheThreadCount()
    {
        var options = new DimerSamplingOptions(8, 40, 1.5, 2026);
        var one = DimerSampling.Generate(options, chains: 3, threads: 1);
        var two = DimerSampling.Generate(options, chains: 3, threads: 2);
        Assert.Equal(one.Data, two.Data);
        Assert.Equal(3, one.Metadata.GetLong("chains"));
    }
}
