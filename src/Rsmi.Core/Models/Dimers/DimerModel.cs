using System.Globalization;
using Rsmi.Data;
using Rsmi.Sampling;
using Rsmi.States;

namespace Rsmi.Models.Dimers;

/// <summary>
/// Fully packed dimers on an L × L square lattice (torus or open grid), uniform or with an aligning interaction,
/// sampled by the worm algorithm (<see cref="DimerWormSampler{TRandom}"/>), with a ferromagnetic noise pair on every
/// vertex and face; a configuration is the 2L × 2L ±1 image of <see cref="DimerImage"/>. Thermalisation and spacing
/// are timed by the winding number W_x = E_x/L, the slow observable of the worm dynamics in the Coulomb phase, and the
/// squared columnar order parameter, the slow one of the interacting model near and below its transition (the larger
/// τ_int decides), or by one of them with <c>--monitor winding|columnar</c>. Before each saved configuration the chain
/// is mapped by a uniformly random symmetry of the lattice unless <c>--symmetry-moves off</c> (docs/algorithm.md,
/// "Dimers and noise spins").
/// </summary>
public sealed class DimerModel(string name) : IModel
{
    /// <summary>Default noise coupling K_noise.</summary>
    public const double DefaultNoiseCoupling = 2.0;

    private IReadOnlyList<ModelParameter>? _parameters;

    /// <inheritdoc />
    public string Name { get; } = name;
    /// <inheritdoc />
    public string Summary => "Fully packed dimers on an L x L torus (uniform, worm algorithm) with noise spins, as 2L x 2L images.";
    /// <inheritdoc />
    public int Dimension => 2;
    /// <inheritdoc />
    public IStateSpace States => IsingSpins.Instance;
    /// <inheritdoc />
    public IReadOnlyList<string> Algorithms { get; } = ["worm"];
    /// <inheritdoc />
    public string MonitorObservable => "winding number";

    /// <inheritdoc />
    public string MonitorObservableFor(ModelArguments arguments) =>
        arguments.Get(Monitor) == "columnar" ? ColumnarObservable : MonitorObservable;

    /// <inheritdoc />
    public string SecondObservableFor(ModelArguments arguments) => arguments.Get(Monitor) == "both" ? ColumnarObservable : "|m|";

    private const string ColumnarObservable = "squared columnar order parameter";
    /// <inheritdoc />
    public string StepUnit(string algorithm) => "worms";
    /// <inheritdoc />
    public IThermometer? Thermometer => null;

    /// <summary>Linear size L (even, ≥ 2); images are 2L × 2L.</summary>
    public ModelParameter<int> Size { get; } = new("size", "Linear size L of the L x L lattice (even, at least 2); images are 2L x 2L.") { Required = true };

    /// <summary>Coupling K ≥ 0 (or +∞) of each vertex/face noise pair.</summary>
    public ModelParameter<double> NoiseCoupling { get; } = new("noise-coupling",
        $"Ferromagnetic coupling K >= 0 of each vertex/face noise pair (default {DefaultNoiseCoupling}; 0 = independent spins, Infinity = face copies vertex).")
    {
        Default = DefaultNoiseCoupling,
        Parser = TryParseCoupling,
        ParseError = text => $"{RsmiInputException.Option("noise-coupling")} must be a number >= 0 or Infinity, got '{text}'.",
    };

    /// <summary>No noise spins (a flag).</summary>
    public ModelParameter<bool> NoNoise { get; } = new("no-noise", "No noise spins: the vertex and face pixels hold +1.");

    /// <summary>Aligning interaction u = V/T.</summary>
    public ModelParameter<double> Interaction { get; } = new("interaction",
        "Aligning interaction u = V/T: weight exp(u x number of plaquettes with two parallel dimers) (default 0: uniform coverings).") { Default = 0.0 };

    /// <summary>periodic (torus) or open (open grid).</summary>
    public ModelParameter<string> Boundary { get; } = new("boundary", "periodic (torus, default) or open (open grid).")
    {
        Default = "periodic",
        Validate = b => Require.That(b is "periodic" or "open", $"{RsmiInputException.Option("boundary")} must be periodic or open, got '{b}'."),
    };

    /// <summary>The observables the chain driver measures thermalisation and spacing on: both the winding number and the
    /// squared columnar order parameter (default; the larger τ_int decides), or one of them.</summary>
    public ModelParameter<string> Monitor { get; } = new("monitor",
        "Observables whose autocorrelation time sets thermalisation and spacing: both (default: the winding number, slow in the Coulomb phase, and the squared columnar order parameter, slow near and below the columnar transition; the larger time decides), winding (the winding number alone) or columnar (the squared columnar order parameter alone).")
    {
        Default = "both",
        Validate = m => Require.That(m is "both" or "winding" or "columnar", $"{RsmiInputException.Option("monitor")} must be both, winding or columnar, got '{m}'."),
    };

    /// <summary>Whether each saved configuration is first mapped by a uniformly random symmetry of the lattice.</summary>
    public ModelParameter<string> SymmetryMoves { get; } = new("symmetry-moves",
        "on (default) or off: before each saved configuration, map the covering by a uniformly random symmetry of the lattice (translations and the 8 rotations and reflections on the torus, the 8 rotations and reflections of the open grid), an exact move that lets the samples visit all four columnar states of the crystal.")
    {
        Default = "on",
        Validate = m => Require.That(m is "on" or "off", $"{RsmiInputException.Option("symmetry-moves")} must be on or off, got '{m}'."),
    };

    /// <inheritdoc />
    public IReadOnlyList<ModelParameter> Parameters => _parameters ??=
    [
        Size, NoiseCoupling, NoNoise, Interaction, Monitor, SymmetryMoves,
        new ModelParameter<string>("algorithm", "Update algorithm: worm (directed loop; the only one for dimers).") { Default = "worm" },
        Boundary,
        new ModelParameter<int>("chains", $"Independent Markov chains, each with its own random streams (default {DimerSampling.DefaultChains}, at most N).") { Default = DimerSampling.DefaultChains },
    ];

    /// <summary>A real number in invariant culture, or inf / infinity / ∞ (any case) for +∞.</summary>
    public static bool TryParseCoupling(string text, out double value)
    {
        string t = text.Trim();
        if (t.Equals("inf", StringComparison.OrdinalIgnoreCase) || t.Equals("+inf", StringComparison.OrdinalIgnoreCase) ||
            t.Equals("infinity", StringComparison.OrdinalIgnoreCase) || t.Equals("+infinity", StringComparison.OrdinalIgnoreCase) || t == "∞")
        {
            value = double.PositiveInfinity;
            return true;
        }
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value);
    }

    /// <summary>The arguments of <paramref name="options"/> (null noise coupling: <c>--no-noise</c>).</summary>
    public ModelArguments Arguments(DimerSamplingOptions options)
    {
        var arguments = ModelArguments.Defaults(this).Set(Size, options.L).Set(Interaction, options.Interaction)
            .Set(Boundary, options.Boundary == DimerBoundary.Periodic ? "periodic" : "open");
        if (options.Monitor != DimerMonitor.Both) arguments = arguments.Set(Monitor, MonitorName(options.Monitor));
        if (!options.SymmetryMoves) arguments = arguments.Set(SymmetryMoves, "off");
        return options.NoiseCoupling is double k ? arguments.Set(NoiseCoupling, k) : arguments.Set(NoNoise, true);
    }

    /// <summary>The sampling options of <paramref name="arguments"/> (boundary already checked).</summary>
    public DimerSamplingOptions Options(ModelArguments arguments, int samples, ulong seed) =>
        new(arguments.Get(Size), samples, arguments.Get(NoNoise) ? null : arguments.Get(NoiseCoupling), seed,
            arguments.Get(Boundary) == "open" ? DimerBoundary.Open : DimerBoundary.Periodic, arguments.Get(Interaction),
            arguments.Get(Monitor) switch { "winding" => DimerMonitor.Winding, "columnar" => DimerMonitor.Columnar, _ => DimerMonitor.Both },
            arguments.Get(SymmetryMoves) != "off");

    private static string MonitorName(DimerMonitor monitor) => monitor switch
    {
        DimerMonitor.Winding => "winding",
        DimerMonitor.Columnar => "columnar",
        _ => "both",
    };

    /// <inheritdoc />
    public void Validate(ModelArguments arguments, string algorithm, int samples)
    {
        Require.That(!(arguments.Get(NoNoise) && arguments.IsGiven(NoiseCoupling)), $"{RsmiInputException.Option("no-noise")} and {RsmiInputException.Option("noise-coupling")} cannot be used together.");
        Require.That(algorithm == "worm", $"{RsmiInputException.Option("algorithm")} must be worm for the {Name} model, got '{algorithm}'.");
        Options(arguments, samples, 0).Validate();
    }

    /// <inheritdoc />
    public ChainSource Chains(ModelArguments arguments, string algorithm, ulong seed)
    {
        var options = Options(arguments, 1, seed);
        var lattice = new DimerLattice(options.L, options.Boundary);
        return ChainSource.Scalar(k => DimerWormSampler.Create(lattice, options.Seed, options.NoiseCoupling, (ulong)k, options.Interaction,
            options.Monitor, options.SymmetryMoves));
    }

    /// <inheritdoc />
    public void Describe(ModelArguments arguments, string algorithm, SampleMetadata metadata)
    {
        var options = Options(arguments, 1, 0);
        metadata.Set("encoding", options.NoiseCoupling.HasValue ? DimerImage.Encoding : DimerImage.EncodingWithoutNoise);
        metadata.Set("noise_coupling", options.NoiseCoupling.HasValue ? options.NoiseCoupling.Value : "none");
        metadata.Set("boundary", options.Boundary == DimerBoundary.Periodic ? "periodic" : "open");
        metadata.Set("size", options.L);
        metadata.Set("interaction", options.Interaction);
        metadata.Set("symmetry_moves", options.SymmetryMoves ? "on" : "off");
        metadata.Set("tau_int_observable", options.Monitor switch
        {
            DimerMonitor.Columnar => "squared columnar order parameter |C|^2 (monitor) and |m| of the image, in worms",
            DimerMonitor.Winding => "winding number W_x = E_x/L (monitor) and |m| of the image, in worms",
            _ => "winding number W_x = E_x/L (monitor, tau_int_energy) and squared columnar order parameter |C|^2 (tau_int_abs_magnetization), the larger decides, in worms",
        });
    }

    /// <inheritdoc />
    public string Summarise(ModelArguments arguments, string algorithm)
    {
        var inv = CultureInfo.InvariantCulture;
        string noise = arguments.Get(NoNoise) ? "no noise" : string.Format(inv, "K_noise = {0}", arguments.Get(NoiseCoupling));
        return string.Format(inv, "L = {0}, {1}, {2}", arguments.Get(Size), arguments.Get(Boundary), noise);
    }
}
