using System.Globalization;
using Rsmi.Data;
using Rsmi.Models.Ising.Exact;
using Rsmi.Models.Ising.Multispin;
using Rsmi.Random;
using Rsmi.Renormalization;
using Rsmi.Sampling;
using Rsmi.States;

namespace Rsmi.Models.Ising;

/// <summary>
/// The Ising model H = −J Σ_⟨ij⟩ s_i s_j (J = k_B = 1) of ±1 spins on a periodic hypercubic lattice of side L at
/// temperature T: the parameters <c>--size</c> and <c>--temperature</c>, the energy per site as the monitor
/// observable, and the file attribute <c>temperature</c>. Every chain takes its own random stream
/// <c>RandomStreams.Create(seed, chainIndex, "NAME/algorithm")</c>, so a chain's trajectory depends only on
/// (seed, chain index), never on threads.
/// </summary>
public abstract class IsingModel : IModel
{
    private ModelParameter<double>? _temperature;

    /// <summary>The model named <paramref name="name"/>.</summary>
    protected IsingModel(string name) => Name = name;

    /// <inheritdoc />
    public string Name { get; }
    /// <inheritdoc />
    public abstract string Summary { get; }
    /// <inheritdoc />
    public abstract int Dimension { get; }
    /// <inheritdoc />
    public IStateSpace States => IsingSpins.Instance;
    /// <summary>Linear size L (sites of a chain, side of a torus).</summary>
    public abstract ModelParameter<int> Size { get; }
    /// <summary>Temperature T &gt; 0.</summary>
    public ModelParameter<double> Temperature => _temperature ??= new("temperature", TemperatureHelp) { Required = true };
    /// <summary>The help text of <c>--temperature</c>: the 2D model's T_c unless the model names its own.</summary>
    protected virtual string TemperatureHelp =>
        string.Format(CultureInfo.InvariantCulture, "Temperature T > 0 (J = k_B = 1; T_c = {0:F6} for {1}).", Exact.Ising2D.CriticalTemperature, ModelCatalog.Ising2D.Name);
    /// <inheritdoc />
    public abstract IReadOnlyList<ModelParameter> Parameters { get; }
    /// <summary>The algorithms of one chain per <see cref="IMonteCarloSampler"/>, the default first.</summary>
    public abstract IReadOnlyList<string> ScalarAlgorithms { get; }
    /// <inheritdoc />
    public virtual IReadOnlyList<string> Algorithms => ScalarAlgorithms;
    /// <inheritdoc />
    public string MonitorObservable => "energy";
    /// <summary>True: H = −J Σ_⟨ij⟩ s_i s_j with one coupling on every bond of the periodic chain or L × L torus is
    /// invariant under the lattice's reflections and rotations.</summary>
    public bool PointGroupSymmetric => true;
    /// <inheritdoc />
    public string StepUnit(string algorithm) => algorithm == "wolff" ? "clusters" : algorithm == "exact" ? "draws" : "sweeps";
    /// <inheritdoc />
    public abstract IThermometer? Thermometer { get; }
    /// <inheritdoc />
    public virtual Rsmi.Renormalization.IRgOperators? RgOperators => null;
    /// <inheritdoc />
    public virtual CriticalValues? Critical(Rsmi.Data.SampleMetadata metadata) => null;

    /// <summary>Number of spins of a lattice of side <paramref name="size"/>.</summary>
    public abstract long Sites(int size);

    /// <summary>The arguments of a run at size L and temperature T.</summary>
    public ModelArguments Arguments(int size, double temperature) => ModelArguments.Defaults(this).Set(Size, size).Set(Temperature, temperature);

    /// <summary>
    /// Checks an (algorithm, size, temperature) combination and throws <see cref="RsmiInputException"/> with a sentence
    /// naming the option when it is invalid: unknown algorithm, size &lt; 2 (and what the algorithm needs of it), T not
    /// finite and positive.
    /// </summary>
    public abstract void Validate(string algorithm, int size, double temperature);

    /// <inheritdoc />
    public void Validate(ModelArguments arguments, string algorithm, int samples)
    {
        int size = arguments.Get(Size);
        Validate(algorithm, size, arguments.Get(Temperature));
        long sites = Sites(size);
        Require.That(samples * sites <= Array.MaxLength, $"{RsmiInputException.Option("samples")} {samples} of {sites} sites each do not fit in memory at once; ask for fewer.");
    }

    /// <summary>A sampler of one chain (valid inputs: see <see cref="Validate(string, int, double)"/>) on stream (<paramref name="seed"/>, <paramref name="chainIndex"/>).</summary>
    public abstract IsingSamplerBase<Xoshiro256StarStar> CreateSampler(string algorithm, int size, double temperature, ulong seed, int chainIndex = 0);

    /// <inheritdoc />
    public virtual ChainSource Chains(ModelArguments arguments, string algorithm, ulong seed)
    {
        int size = arguments.Get(Size);
        double temperature = arguments.Get(Temperature);
        return ChainSource.Scalar(k => CreateSampler(algorithm, size, temperature, seed, k));
    }

    /// <inheritdoc />
    public virtual void Describe(ModelArguments arguments, string algorithm, SampleMetadata metadata) => metadata.Temperature = arguments.Get(Temperature);

    /// <inheritdoc />
    public string Summarise(ModelArguments arguments, string algorithm) =>
        string.Format(CultureInfo.InvariantCulture, "L = {0}, T = {1}, {2}", arguments.Get(Size), arguments.Get(Temperature), algorithm);

    /// <summary>The random stream of chain <paramref name="chainIndex"/>.</summary>
    protected Xoshiro256StarStar Stream(string algorithm, ulong seed, int chainIndex) => RandomStreams.Create(seed, (ulong)chainIndex, Name + "/" + algorithm);

    /// <summary>Throws unless T is finite and positive.</summary>
    protected static void RequireTemperature(double temperature) =>
        Require.That(temperature > 0 && double.IsFinite(temperature), $"{RsmiInputException.Option("temperature")} must be a finite positive number, got {temperature}.");
}

/// <summary>
/// The 2D Ising model on an L × L torus: Wolff (default), Swendsen–Wang, checkerboard Metropolis and heat bath,
/// the multispin-coded replica engines and one lattice cut into a strip per lane (<see cref="MultispinAlgorithms"/>).
/// Chains start from random spins at T ≥ T_c and from an ordered state of random sign below T_c (a random start
/// there can coarsen into stripes that local updates take extremely long to remove). Its thermometer is
/// <see cref="IsingThermometer"/>.
/// </summary>
public sealed class Ising2DModel(string name) : IsingModel(name)
{
    private IReadOnlyList<ModelParameter>? _parameters;

    /// <inheritdoc />
    public override string Summary => "2D Ising model on an L x L torus: Wolff (default), Swendsen-Wang, checkerboard Metropolis or heat-bath.";
    /// <inheritdoc />
    public override int Dimension => 2;
    /// <inheritdoc />
    public override ModelParameter<int> Size { get; } = new("size", "Linear size L of the L x L torus (at least 2; even for metropolis and heatbath).") { Required = true };
    /// <inheritdoc />
    public override IReadOnlyList<string> ScalarAlgorithms { get; } = ["wolff", "swendsen-wang", "metropolis", "heatbath"];
    /// <inheritdoc />
    public override IReadOnlyList<string> Algorithms => [.. ScalarAlgorithms, .. MultispinAlgorithms.Names, .. MultispinAlgorithms.LatticeNames];
    /// <inheritdoc />
    public override IReadOnlyList<ModelParameter> Parameters => _parameters ??=
    [
        Size, Temperature,
        new ModelParameter<string>("algorithm",
            $"Update algorithm: {string.Join(", ", ScalarAlgorithms)} (default {ScalarAlgorithms[0]}); multispin-coded replicas: {string.Join(", ", MultispinAlgorithms.Names)}; one lattice cut into a strip per lane: {string.Join(", ", MultispinAlgorithms.LatticeNames)}.")
            { Default = ScalarAlgorithms[0] },
    ];
    /// <inheritdoc />
    public override IThermometer? Thermometer => IsingThermometer.Instance;
    /// <inheritdoc />
    public override Rsmi.Renormalization.IRgOperators? RgOperators => IsingSquareOperators.Instance;
    /// <inheritdoc />
    public override CriticalValues? Critical(Rsmi.Data.SampleMetadata metadata) =>
        new(Exact.Ising2D.CriticalTemperature, Exact.Ising2D.Nu, Exact.Ising2D.MagneticExponent, Exact.Ising2D.Eta);

    /// <inheritdoc />
    public override long Sites(int size) => (long)size * size;

    /// <inheritdoc />
    public override void Validate(string algorithm, int size, double temperature)
    {
        bool multispin = MultispinAlgorithms.IsMultispin(algorithm);
        bool lattice = MultispinAlgorithms.IsLattice(algorithm);
        Require.That(ScalarAlgorithms.Contains(algorithm) || multispin || lattice,
            $"{RsmiInputException.Option("algorithm")}: unknown algorithm '{algorithm}' for {Name}; choose one of {string.Join(", ", Algorithms)}.");
        if (lattice)
        {
            int multiple = MultispinAlgorithms.LatticeSizeMultiple(algorithm);
            Require.That(size >= multiple && size % multiple == 0,
                $"{RsmiInputException.Option("size")} must be a multiple of {multiple} for {algorithm} (each of its {multiple / 2} strips needs an even number of rows), got {size}.");
        }
        Require.That(size >= 2, $"{RsmiInputException.Option("size")} must be at least 2, got {size}.");
        Require.That(algorithm is not ("metropolis" or "heatbath") || size % 2 == 0,
            $"{RsmiInputException.Option("size")} must be even for the checkerboard {algorithm} update, got {size}.");
        Require.That(!multispin || (size >= 4 && size % 2 == 0),
            $"{RsmiInputException.Option("size")} must be even and at least 4 for {algorithm}, got {size}.");
        Require.That(size <= 46340, $"{RsmiInputException.Option("size")} {size} is too large.");
        RequireTemperature(temperature);
    }

    /// <inheritdoc />
    public override IsingSamplerBase<Xoshiro256StarStar> CreateSampler(string algorithm, int size, double temperature, ulong seed, int chainIndex = 0)
    {
        Validate(algorithm, size, temperature);
        var rng = Stream(algorithm, seed, chainIndex);
        IsingSamplerBase<Xoshiro256StarStar> sampler = algorithm switch
        {
            "metropolis" => new Ising2DMetropolis<Xoshiro256StarStar>(size, temperature, rng),
            "heatbath" => new Ising2DHeatBath<Xoshiro256StarStar>(size, temperature, rng),
            "wolff" => new Ising2DWolff<Xoshiro256StarStar>(size, temperature, rng),
            "swendsen-wang" => new Ising2DSwendsenWang<Xoshiro256StarStar>(size, temperature, rng),
            _ => throw new ArgumentException(
                $"{algorithm} runs many chains at once: it is a replica engine, built by {nameof(Chains)}."),
        };
        if (temperature < Exact.Ising2D.CriticalTemperature) sampler.SetOrdered();
        return sampler;
    }

    /// <inheritdoc />
    public override ChainSource Chains(ModelArguments arguments, string algorithm, ulong seed)
    {
        int size = arguments.Get(Size);
        double temperature = arguments.Get(Temperature);
        if (MultispinAlgorithms.IsMultispin(algorithm))
            return ChainSource.Replicas(new MultispinReplicas(MultispinAlgorithms.Create(algorithm, size, temperature, seed), algorithm));
        if (MultispinAlgorithms.IsLattice(algorithm))
            return ChainSource.Replicas(new MultispinLatticeReplica(MultispinAlgorithms.CreateLattice(algorithm, size, temperature, seed), algorithm));
        return base.Chains(arguments, algorithm, seed);
    }
}

/// <summary>
/// The 3D Ising model on an L × L × L torus (simple-cubic lattice, six neighbours per site): Wolff (default),
/// Swendsen–Wang, checkerboard Metropolis and heat bath (even L for the last two). A configuration is an
/// [L, L, L] array ([Lz, Ly, Lx], x fastest). Chains start from random spins at T ≥ T_c = 1/K_c
/// (<see cref="Exact.Ising3D.CriticalTemperature"/>) and from an ordered state of random sign below it, as in
/// <see cref="Ising2DModel"/>. Its thermometer is a Monte Carlo one (<see cref="Ising3DThermometer"/>: no exact result
/// gives the temperature of a 3D configuration), its MCRG operators are <see cref="IsingCubicOperators"/>, and its
/// critical values are those of <see cref="Exact.Ising3D"/> (docs/references.md, "3D Ising model").
/// </summary>
public sealed class Ising3DModel(string name) : IsingModel(name)
{
    private IReadOnlyList<ModelParameter>? _parameters;

    /// <summary>Largest L: the L³ spins (and each sampler's L³ + 1 work slots) fit in one array.</summary>
    public const int MaxSize = 1290;

    /// <inheritdoc />
    public override string Summary => "3D Ising model on an L x L x L torus: Wolff (default), Swendsen-Wang, checkerboard Metropolis or heat-bath.";
    /// <inheritdoc />
    public override int Dimension => 3;
    /// <inheritdoc />
    public override ModelParameter<int> Size { get; } = new("size", "Linear size L of the L x L x L torus (at least 2; even for metropolis and heatbath).") { Required = true };
    /// <inheritdoc />
    public override IReadOnlyList<string> ScalarAlgorithms { get; } = ["wolff", "swendsen-wang", "metropolis", "heatbath"];
    /// <inheritdoc />
    public override IReadOnlyList<ModelParameter> Parameters => _parameters ??=
    [
        Size, Temperature,
        new ModelParameter<string>("algorithm", $"Update algorithm: {string.Join(", ", ScalarAlgorithms)} (default {ScalarAlgorithms[0]}).")
            { Default = ScalarAlgorithms[0] },
    ];
    /// <summary>The Monte Carlo thermometer (<see cref="Ising3DThermometer"/>), calibrated in memory; the flow keeps its
    /// calibrations under its output directory (<see cref="IThermometer.With"/>).</summary>
    public override IThermometer? Thermometer => _thermometer ??= new Ising3DThermometer(this);
    private IThermometer? _thermometer;
    /// <inheritdoc />
    public override Rsmi.Renormalization.IRgOperators? RgOperators => IsingCubicOperators.Instance;
    /// <summary>T_c = 1/K_c (Ferrenberg, Xu &amp; Landau 2018), ν and η from the conformal bootstrap, y_h = (5 − η)/2
    /// (docs/references.md, "3D Ising model").</summary>
    public override CriticalValues? Critical(Rsmi.Data.SampleMetadata metadata) =>
        new(Exact.Ising3D.CriticalTemperature, Exact.Ising3D.Nu, Exact.Ising3D.MagneticExponent, Exact.Ising3D.Eta);

    /// <inheritdoc />
    protected override string TemperatureHelp =>
        string.Format(CultureInfo.InvariantCulture, "Temperature T > 0 (J = k_B = 1; T_c = {0:F6} for {1}).", Exact.Ising3D.CriticalTemperature, Name);

    /// <inheritdoc />
    public override long Sites(int size) => (long)size * size * size;

    /// <inheritdoc />
    public override void Validate(string algorithm, int size, double temperature)
    {
        Require.That(ScalarAlgorithms.Contains(algorithm),
            $"{RsmiInputException.Option("algorithm")}: unknown algorithm '{algorithm}' for {Name}; choose one of {string.Join(", ", ScalarAlgorithms)}.");
        Require.That(size >= 2, $"{RsmiInputException.Option("size")} must be at least 2, got {size}.");
        Require.That(algorithm is not ("metropolis" or "heatbath") || size % 2 == 0,
            $"{RsmiInputException.Option("size")} must be even for the checkerboard {algorithm} update, got {size}.");
        Require.That(size <= MaxSize, $"{RsmiInputException.Option("size")} {size} is too large.");
        RequireTemperature(temperature);
    }

    /// <inheritdoc />
    public override IsingSamplerBase<Xoshiro256StarStar> CreateSampler(string algorithm, int size, double temperature, ulong seed, int chainIndex = 0)
    {
        Validate(algorithm, size, temperature);
        return CreateSampler(algorithm, size, size, size, temperature, seed, chainIndex);
    }

    /// <summary>
    /// A sampler of one chain on a periodic Lx × Ly × Lz box (every side ≥ 2, even for metropolis and heatbath; the
    /// model itself samples cubes, boxes serve exact tests), on the stream of chain <paramref name="chainIndex"/>,
    /// started ordered below T_c. Throws <see cref="RsmiInputException"/> for an unknown algorithm or a box the
    /// algorithm cannot take.
    /// </summary>
    public IsingSamplerBase<Xoshiro256StarStar> CreateSampler(string algorithm, int lx, int ly, int lz, double temperature, ulong seed, int chainIndex = 0)
    {
        Require.That(ScalarAlgorithms.Contains(algorithm),
            $"{RsmiInputException.Option("algorithm")}: unknown algorithm '{algorithm}' for {Name}; choose one of {string.Join(", ", ScalarAlgorithms)}.");
        RequireTemperature(temperature);
        var rng = Stream(algorithm, seed, chainIndex);
        IsingSamplerBase<Xoshiro256StarStar> sampler = algorithm switch
        {
            "metropolis" => new Ising3DMetropolis<Xoshiro256StarStar>(lx, ly, lz, temperature, rng),
            "heatbath" => new Ising3DHeatBath<Xoshiro256StarStar>(lx, ly, lz, temperature, rng),
            "swendsen-wang" => new Ising3DSwendsenWang<Xoshiro256StarStar>(lx, ly, lz, temperature, rng),
            _ => new Ising3DWolff<Xoshiro256StarStar>(lx, ly, lz, temperature, rng),
        };
        if (temperature < Exact.Ising3D.CriticalTemperature) sampler.SetOrdered();
        return sampler;
    }
}

/// <summary>
/// The 1D Ising chain of L sites: exact independent sampling of the open chain (default; file attribute
/// <c>boundary = open</c>), or Metropolis and Wolff on the ring (<c>boundary = periodic</c>).
/// </summary>
public sealed class Ising1DModel(string name) : IsingModel(name)
{
    private IReadOnlyList<ModelParameter>? _parameters;

    /// <inheritdoc />
    public override string Summary => "1D Ising chain of L sites: exact independent sampling of the open chain (default), or Metropolis / Wolff on the ring.";
    /// <inheritdoc />
    public override int Dimension => 1;
    /// <inheritdoc />
    public override ModelParameter<int> Size { get; } = new("size", "Number of sites L of the chain (at least 2).") { Required = true };
    /// <inheritdoc />
    public override IReadOnlyList<string> ScalarAlgorithms { get; } = ["exact", "metropolis", "wolff"];
    /// <inheritdoc />
    public override IReadOnlyList<ModelParameter> Parameters => _parameters ??= [Size, Temperature];
    /// <inheritdoc />
    public override IThermometer? Thermometer => null;

    /// <summary>Whether <paramref name="algorithm"/> samples a ring (true) or the open chain (false, exact sampling).</summary>
    public static bool IsPeriodic(string algorithm) => algorithm != "exact";

    /// <inheritdoc />
    public override long Sites(int size) => size;

    /// <inheritdoc />
    public override void Validate(string algorithm, int size, double temperature)
    {
        Require.That(ScalarAlgorithms.Contains(algorithm),
            $"{RsmiInputException.Option("algorithm")}: unknown algorithm '{algorithm}' for {Name}; choose one of {string.Join(", ", ScalarAlgorithms)}.");
        Require.That(size >= 2, $"{RsmiInputException.Option("size")} must be at least 2, got {size}.");
        Require.That(size <= int.MaxValue / 2, $"{RsmiInputException.Option("size")} {size} is too large.");
        RequireTemperature(temperature);
    }

    /// <inheritdoc />
    public override IsingSamplerBase<Xoshiro256StarStar> CreateSampler(string algorithm, int size, double temperature, ulong seed, int chainIndex = 0)
    {
        Validate(algorithm, size, temperature);
        var rng = Stream(algorithm, seed, chainIndex);
        return algorithm switch
        {
            "exact" => new Ising1DExact<Xoshiro256StarStar>(size, temperature, rng),
            "metropolis" => new Ising1DMetropolis<Xoshiro256StarStar>(size, temperature, rng),
            _ => new Ising1DWolff<Xoshiro256StarStar>(size, temperature, rng),
        };
    }

    /// <inheritdoc />
    public override void Describe(ModelArguments arguments, string algorithm, SampleMetadata metadata)
    {
        base.Describe(arguments, algorithm, metadata);
        metadata.Set("boundary", IsPeriodic(algorithm) ? "periodic" : "open");
    }
}
