using System.Globalization;
using Rsmi.Data;
using Rsmi.Models;
using Rsmi.Random;
using Rsmi.Sampling;
using Rsmi.States;

namespace Rsmi.Tests.Models;

/// <summary>
/// A model the library does not know, written here only: the anisotropic 2D Ising model
/// H = −Σ_x,y s(x,y) [J s(x+1,y) + s(x,y+1)] on an L × L torus (coupling J along x, 1 along y) at temperature T,
/// sampled by random-site Metropolis. It shows that a model is its own class plus a catalog entry.
/// </summary>
internal sealed class AnisotropicIsingModel(string name = "test-anisotropic") : IModel
{
    public ModelParameter<int> Size { get; } = new("size", "Linear size L of the L x L torus (at least 2).") { Required = true };
    public ModelParameter<double> Temperature { get; } = new("temperature", "Temperature T > 0.") { Required = true };
    public ModelParameter<double> Coupling { get; } = new("coupling", "Coupling J along x (the coupling along y is 1).")
    {
        Default = 0.5,
        Validate = j => Require.That(j > 0 && double.IsFinite(j), $"--coupling must be a finite positive number, got {j}."),
    };

    public string Name => name;
    public string Summary => "Anisotropic 2D Ising model (a test model).";
    public int Dimension => 2;
    public IStateSpace States => IsingSpins.Instance;
    public IReadOnlyList<ModelParameter> Parameters => [Size, Temperature, Coupling];
    public IReadOnlyList<string> Algorithms => ["metropolis"];
    public string MonitorObservable => "energy";
    public string StepUnit(string algorithm) => "sweeps";
    public IThermometer? Thermometer => null;

    public void Validate(ModelArguments arguments, string algorithm, int samples)
    {
        Require.That(arguments.Get(Size) >= 2, $"--size must be at least 2, got {arguments.Get(Size)}.");
        Require.That(arguments.Get(Temperature) > 0, $"--temperature must be positive, got {arguments.Get(Temperature)}.");
    }

    public ChainSource Chains(ModelArguments arguments, string algorithm, ulong seed)
    {
        int l = arguments.Get(Size);
        double k = 1 / arguments.Get(Temperature), j = arguments.Get(Coupling);
        return ChainSource.Scalar(chain => new Metropolis(l, k * j, k, RandomStreams.Create(seed, (ulong)chain, Name + "/" + algorithm)));
    }

    public void Describe(ModelArguments arguments, string algorithm, SampleMetadata metadata)
    {
        metadata.Temperature = arguments.Get(Temperature);
        metadata.Set("coupling", arguments.Get(Coupling));
    }

    public string Summarise(ModelArguments arguments, string algorithm) =>
        string.Format(CultureInfo.InvariantCulture, "L = {0}, T = {1}, J = {2}", arguments.Get(Size), arguments.Get(Temperature), arguments.Get(Coupling));

    private sealed class Metropolis : IMonteCarloSampler
    {
        private readonly int _l;
        private readonly double _kx, _ky;
        private readonly sbyte[] _s;
        private Xoshiro256StarStar _rng;

        public Metropolis(int l, double kx, double ky, Xoshiro256StarStar rng)
        {
            _l = l; _kx = kx; _ky = ky; _rng = rng;
            _s = new sbyte[l * l];
            for (int i = 0; i < _s.Length; i++) _s[i] = (_rng.NextUInt64() >> 63) == 0 ? (sbyte)1 : (sbyte)-1;
        }

        public string Algorithm => "metropolis";
        public int[] Shape => [_l, _l];
        public long Work { get; private set; }

        private int At(int x, int y) => _s[((y + _l) % _l) * _l + (x + _l) % _l];

        public void Step()
        {
            for (int t = 0; t < _s.Length; t++)
            {
                int i = _rng.NextInt(_s.Length), x = i % _l, y = i / _l;
                double delta = 2 * _s[i] * (_kx * (At(x - 1, y) + At(x + 1, y)) + _ky * (At(x, y - 1) + At(x, y + 1)));
                if (delta <= 0 || _rng.NextDouble() < Math.Exp(-delta)) _s[i] = (sbyte)-_s[i];
            }
            Work += _s.Length;
        }

        public double MonitorObservable()
        {
            double e = 0;
            for (int y = 0; y < _l; y++)
            for (int x = 0; x < _l; x++) e -= At(x, y) * (_kx * At(x + 1, y) + _ky * At(x, y + 1));
            return e / _s.Length;
        }

        public void CopyConfiguration(Span<sbyte> destination) => _s.CopyTo(destination);
    }
}
