using System.Globalization;
using Rsmi.Data;
using Rsmi.Models.Potts.Exact;
using Rsmi.Random;
using Rsmi.Sampling;
using Rsmi.States;

namespace Rsmi.Models.Potts;

/// <summary>
/// The q-state Potts model H = −J Σ_⟨ij⟩ δ(s_i, s_j) (J = k_B = 1) on an L × L torus, labels 0 … q−1 stored as int8:
/// Wolff (default), Swendsen–Wang and random-order single-site heat bath (<see cref="PottsSamplerBase{TRandom}"/>),
/// the parameters <c>--q</c>, <c>--size</c> and <c>--temperature</c>, the energy per site as the monitor observable and
/// the order parameter m = (q·max_a n_a/N − 1)/(q − 1) as |m| (docs/algorithm.md, "The Potts model"). Sample files
/// carry the attributes <c>temperature</c> and <c>q</c>; their state space is <see cref="PottsLabels"/> of that q.
/// Chain k runs on <c>RandomStreams.Create(seed, k, "NAME/algorithm")</c> and starts from uniform labels at T ≥ T_c
/// and from one label drawn at random below T_c = 1/ln(1 + √q). Its thermometer is a Monte Carlo one
/// (<see cref="PottsThermometer"/>) and its MCRG operators are <see cref="PottsOperators"/>.
/// </summary>
public sealed class Potts2DModel : IModel
{
    private IReadOnlyList<ModelParameter>? _parameters;

    /// <summary>The model named <paramref name="name"/>.</summary>
    public Potts2DModel(string name) => Name = name;

    /// <summary>Default number of states.</summary>
    public const int DefaultStates = 3;

    /// <inheritdoc />
    public string Name { get; }
    /// <inheritdoc />
    public string Summary => "2D q-state Potts model on an L x L torus: Wolff (default), Swendsen-Wang or random-order heat-bath.";
    /// <inheritdoc />
    public int Dimension => 2;
    /// <summary>The labels of the default q; a file's are <see cref="StatesFor"/> its <c>q</c>.</summary>
    public IStateSpace States => PottsLabels.Of(DefaultStates);

    /// <summary>Number of states q, 2 to 127.</summary>
    public ModelParameter<int> Q { get; } = new("q", $"Number of states q of the Potts model (2 to {PottsLabels.MaxStates}; default {DefaultStates}); labels 0 to q-1.")
    {
        Default = DefaultStates,
        Validate = q => Require.That(q is >= 2 and <= PottsLabels.MaxStates, $"{RsmiInputException.Option("q")} must be between 2 and {PottsLabels.MaxStates}, got {q}."),
    };
    /// <summary>Linear size L.</summary>
    public ModelParameter<int> Size { get; } = new("size", "Linear size L of the L x L torus (at least 2).") { Required = true };
    /// <summary>Temperature T &gt; 0.</summary>
    public ModelParameter<double> Temperature { get; } = new("temperature",
        string.Format(CultureInfo.InvariantCulture, "Temperature T > 0 (J = k_B = 1; T_c = 1/ln(1 + sqrt(q)): {0:F6} for q = 3, {1:F6} for q = 4).",
            Potts2D.CriticalTemperature(3), Potts2D.CriticalTemperature(4))) { Required = true };

    /// <inheritdoc />
    public IReadOnlyList<string> Algorithms { get; } = ["wolff", "swendsen-wang", "heatbath"];
    /// <inheritdoc />
    public IReadOnlyList<ModelParameter> Parameters => _parameters ??=
    [
        Q, Size, Temperature,
        new ModelParameter<string>("algorithm", $"Update algorithm: {string.Join(", ", Algorithms)} (default {Algorithms[0]}).") { Default = Algorithms[0] },
    ];
    /// <inheritdoc />
    public string MonitorObservable => "energy";
    /// <inheritdoc />
    public string StepUnit(string algorithm) => algorithm == "wolff" ? "clusters" : "sweeps";
    /// <summary>The Monte Carlo thermometer (<see cref="PottsThermometer"/>), calibrated in memory; the flow keeps its
    /// calibrations under its output directory (<see cref="IThermometer.With"/>).</summary>
    public IThermometer? Thermometer => _thermometer ??= new PottsThermometer(this);
    /// <inheritdoc />
    public Rsmi.Renormalization.IRgOperators? RgOperators => PottsOperators.Instance;
    /// <summary>T_c = 1/ln(1 + √q) for the file's q, with ν, y_h and η = 4 − 2y_h for q = 2, 3, 4 (NaN for the first-order q &gt; 4; docs/references.md, "2D Potts model").</summary>
    public CriticalValues? Critical(SampleMetadata metadata)
    {
        if (metadata.GetLong(Q.Name) is not long q || q is < 2 or > PottsLabels.MaxStates) return null;
        int states = (int)q;
        if (states > 4) return new CriticalValues(Potts2D.CriticalTemperature(states), double.NaN, double.NaN, double.NaN);
        double yh = Potts2D.MagneticExponent(states);
        return new CriticalValues(Potts2D.CriticalTemperature(states), Potts2D.Nu(states), yh, 4 - 2 * yh);
    }
    private IThermometer? _thermometer;

    /// <summary>The arguments of a run with q states at size L and temperature T.</summary>
    public ModelArguments Arguments(int q, int size, double temperature) => ModelArguments.Defaults(this).Set(Q, q).Set(Size, size).Set(Temperature, temperature);

    /// <inheritdoc />
    public IStateSpace StatesFor(SampleMetadata metadata)
    {
        long? q = metadata.GetLong("q");
        Require.That(q is not null, $"a {Name} sample file must carry the number of states as its 'q' attribute, and this one does not.");
        Require.That(q is >= 2 and <= PottsLabels.MaxStates, $"the 'q' attribute is {q}, but a {Name} sample file has 2 to {PottsLabels.MaxStates} states.");
        return PottsLabels.Of((int)q!.Value);
    }

    /// <summary>Marks <paramref name="metadata"/> as describing q-state labels of this model (its name and the <c>q</c>
    /// attribute): the metadata of configurations whose sites are coarse Potts labels.</summary>
    public void DescribeLabels(SampleMetadata metadata, int q)
    {
        Require.That(q is >= 2 and <= PottsLabels.MaxStates, $"a {Name} configuration has 2 to {PottsLabels.MaxStates} states, got {q}.");
        metadata.Model = Name;
        metadata.Set(Q.Name, (long)q);
    }

    /// <inheritdoc />
    public void Validate(ModelArguments arguments, string algorithm, int samples)
    {
        int size = arguments.Get(Size);
        double temperature = arguments.Get(Temperature);
        Require.That(Algorithms.Contains(algorithm),
            $"{RsmiInputException.Option("algorithm")}: unknown algorithm '{algorithm}' for {Name}; choose one of {string.Join(", ", Algorithms)}.");
        Require.That(size >= 2, $"{RsmiInputException.Option("size")} must be at least 2, got {size}.");
        Require.That(size <= 46340, $"{RsmiInputException.Option("size")} {size} is too large.");
        Require.That(temperature > 0 && double.IsFinite(temperature), $"{RsmiInputException.Option("temperature")} must be a finite positive number, got {temperature}.");
        long sites = (long)size * size;
        Require.That(samples * sites <= Array.MaxLength, $"{RsmiInputException.Option("samples")} {samples} of {sites} sites each do not fit in memory at once; ask for fewer.");
    }

    /// <summary>
    /// A sampler of one chain of q states on an L × L torus at temperature T (q in 2 … 127, L ≥ 2, T &gt; 0, a known
    /// algorithm: checked), on the stream of chain <paramref name="chainIndex"/>, started ordered below T_c.
    /// </summary>
    public PottsSamplerBase<Xoshiro256StarStar> CreateSampler(string algorithm, int q, int size, double temperature, ulong seed, int chainIndex = 0)
    {
        Require.That(Algorithms.Contains(algorithm),
            $"{RsmiInputException.Option("algorithm")}: unknown algorithm '{algorithm}' for {Name}; choose one of {string.Join(", ", Algorithms)}.");
        var rng = RandomStreams.Create(seed, (ulong)chainIndex, Name + "/" + algorithm);
        PottsSamplerBase<Xoshiro256StarStar> sampler = algorithm switch
        {
            "swendsen-wang" => new Potts2DSwendsenWang<Xoshiro256StarStar>(size, q, temperature, rng),
            "heatbath" => new Potts2DHeatBath<Xoshiro256StarStar>(size, q, temperature, rng),
            _ => new Potts2DWolff<Xoshiro256StarStar>(size, q, temperature, rng),
        };
        if (temperature < Potts2D.CriticalTemperature(q)) sampler.SetOrdered();
        return sampler;
    }

    /// <inheritdoc />
    public ChainSource Chains(ModelArguments arguments, string algorithm, ulong seed)
    {
        int q = arguments.Get(Q), size = arguments.Get(Size);
        double temperature = arguments.Get(Temperature);
        return ChainSource.Scalar(k => CreateSampler(algorithm, q, size, temperature, seed, k));
    }

    /// <inheritdoc />
    public void Describe(ModelArguments arguments, string algorithm, SampleMetadata metadata)
    {
        metadata.Temperature = arguments.Get(Temperature);
        metadata.Set("q", (long)arguments.Get(Q));
    }

    /// <inheritdoc />
    public string Summarise(ModelArguments arguments, string algorithm) =>
        string.Format(CultureInfo.InvariantCulture, "q = {0}, L = {1}, T = {2}, {3}", arguments.Get(Q), arguments.Get(Size), arguments.Get(Temperature), algorithm);
}
