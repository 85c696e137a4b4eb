using Rsmi.Models.Dimers;
using Rsmi.Models.Ising;
using Rsmi.Models.Ising.Exact;
using Rsmi.Models.Potts;
using Rsmi.Data;
using Rsmi.States;

namespace Rsmi.Models;

/// <summary>
/// The models rsmi knows, by name: the only place where their names are written. <see cref="Default"/> holds the
/// library's models; <see cref="With"/> makes a catalog with one more (a user's or a test's model), which the
/// command line takes in place of the default (<c>CliApp.Run(…, models: catalog)</c>).
/// </summary>
public sealed class ModelCatalog
{
    /// <summary>Name of <see cref="Ising2D"/> (a constant, for attribute arguments such as a config file's section key).</summary>
    public const string Ising2DName = "ising2d";
    /// <summary>Name of <see cref="Ising3D"/>.</summary>
    public const string Ising3DName = "ising3d";
    /// <summary>Name of <see cref="Ising1D"/>.</summary>
    public const string Ising1DName = "ising1d";
    /// <summary>Name of <see cref="Dimer"/>.</summary>
    public const string DimerName = "dimer";
    /// <summary>Name of <see cref="Potts2D"/>.</summary>
    public const string Potts2DName = "potts2d";

    /// <summary>The 2D Ising model on an L × L torus.</summary>
    public static Ising2DModel Ising2D { get; } = new(Ising2DName);
    /// <summary>The 3D Ising model on an L × L × L torus.</summary>
    public static Ising3DModel Ising3D { get; } = new(Ising3DName);
    /// <summary>The 1D Ising chain.</summary>
    public static Ising1DModel Ising1D { get; } = new(Ising1DName);
    /// <summary>Fully packed dimers on the square lattice with noise spins, as ±1 images.</summary>
    public static DimerModel Dimer { get; } = new(DimerName);
    /// <summary>The q-state Potts model on an L × L torus.</summary>
    public static Potts2DModel Potts2D { get; } = new(Potts2DName);

    /// <summary>The library's models, in the order <c>rsmi sample --help</c> lists them.</summary>
    public static ModelCatalog Default { get; } = new([Ising2D, Ising3D, Ising1D, Dimer, Potts2D]);

    private readonly IModel[] _models;

    /// <summary>A catalog of <paramref name="models"/> (distinct names).</summary>
    public ModelCatalog(IEnumerable<IModel> models)
    {
        _models = models.ToArray();
        foreach (var group in _models.GroupBy(m => m.Name, StringComparer.Ordinal))
            Require.That(group.Count() == 1, $"two models are named '{group.Key}'.");
    }

    /// <summary>The models, in order.</summary>
    public IReadOnlyList<IModel> Models => _models;

    /// <summary>Their names, in order.</summary>
    public IReadOnlyList<string> Names => _models.Select(m => m.Name).ToArray();

    /// <summary>This catalog with <paramref name="model"/> added at the end (its name must be new).</summary>
    public ModelCatalog With(IModel model) => new([.. _models, model]);

    /// <summary>The model named <paramref name="name"/>, or null (also for null).</summary>
    public IModel? Find(string? name) => name is null ? null : _models.FirstOrDefault(m => m.Name == name);

    /// <summary>The state space of samples with <paramref name="metadata"/>: their model's (<see cref="IModel.StatesFor"/>), or ±1
    /// spins when the metadata name no model of this catalog (a .npy file without <c>--q</c>).</summary>
    public IStateSpace StatesOf(SampleMetadata metadata) => Find(metadata.Model)?.StatesFor(metadata) ?? IsingSpins.Instance;

    /// <summary>The model named <paramref name="name"/>; throws <see cref="RsmiInputException"/> listing the known names otherwise.</summary>
    public IModel Get(string name) => Find(name) ?? throw new RsmiInputException($"unknown model '{name}'; known models: {string.Join(", ", Names)}.");
}

/// <summary>The state space of a sample set, read from its metadata.</summary>
public static class SampleStates
{
    /// <summary>What the sites of <paramref name="samples"/> hold (<see cref="ModelCatalog.StatesOf"/> of <paramref name="models"/>, default <see cref="ModelCatalog.Default"/>).</summary>
    public static IStateSpace States(this SampleSet samples, ModelCatalog? models = null) => (models ?? ModelCatalog.Default).StatesOf(samples.Metadata);
}
