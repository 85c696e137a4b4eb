using Rsmi.Data;
using Rsmi.Sampling;
using Rsmi.States;

namespace Rsmi.Models;

/// <summary>
/// A lattice model: what <c>rsmi sample NAME</c> draws and what the sample files, the learners and the
/// coarse-graining read back. A model is one folder (its samplers, exact results, observables) plus one line in
/// <see cref="ModelCatalog"/> (docs/adding-a-model.md, "Step by step, on the anisotropic Ising model").
/// </summary>
public interface IModel
{
    /// <summary>The name: <c>rsmi sample NAME</c>, the <c>model</c> attribute of its sample files.</summary>
    string Name { get; }
    /// <summary>One line for <c>rsmi sample --help</c>.</summary>
    string Summary { get; }
    /// <summary>Lattice dimension d: a configuration has array rank d ([L], [Ly, Lx] or [Lz, Ly, Lx]).</summary>
    int Dimension { get; }
    /// <summary>What one site holds, and how a learner sees it (for a model whose state space depends on its parameters, that of the default arguments).</summary>
    IStateSpace States { get; }
    /// <summary>
    /// The state space of a sample file with the attributes <paramref name="metadata"/>, against which its readers check
    /// the stored values: <see cref="States"/> unless the state space depends on a parameter the file records (the
    /// Potts model's <c>q</c>). Throws <see cref="RsmiInputException"/> with one sentence when the attributes do not
    /// name a valid state space.
    /// </summary>
    IStateSpace StatesFor(SampleMetadata metadata) => States;
    /// <summary>The model's parameters, listed in this order before the shared sampling options by <c>rsmi sample NAME --help</c> (one named like a shared option, <see cref="ModelParameter.SharedOptions"/>, gives that option its help and default).</summary>
    IReadOnlyList<ModelParameter> Parameters { get; }
    /// <summary>Every algorithm name <c>--algorithm</c> accepts, the default first.</summary>
    IReadOnlyList<string> Algorithms { get; }
    /// <summary>The chains' monitor observable, whose τ_int (with that of |m|) decides thermalisation and spacing: "energy" for spin models.</summary>
    string MonitorObservable { get; }
    /// <summary>The monitor observable of a run with these arguments, for messages: <see cref="MonitorObservable"/> unless an
    /// argument chooses another (the dimer model's <c>--monitor</c>).</summary>
    string MonitorObservableFor(ModelArguments arguments) => MonitorObservable;
    /// <summary>The chain driver's second observable of a run with these arguments (<c>tau_int_abs_magnetization</c>;
    /// <see cref="Sampling.IMonteCarloSampler.AbsMagnetisation"/>), for messages: "|m|" unless the chains supply another
    /// (the dimer model's squared columnar order parameter).</summary>
    string SecondObservableFor(ModelArguments arguments) => "|m|";
    /// <summary>What one chain step of <paramref name="algorithm"/> is, for messages: "sweeps", "clusters"…</summary>
    string StepUnit(string algorithm);
    /// <summary>Checks a run of <paramref name="samples"/> configurations with these arguments (each parameter already passed its own check); throws <see cref="RsmiInputException"/> naming the option.</summary>
    void Validate(ModelArguments arguments, string algorithm, int samples);
    /// <summary>The chains of a valid run, on random streams derived from <paramref name="seed"/>; <see cref="SampleCollector"/> drives them.</summary>
    ChainSource Chains(ModelArguments arguments, string algorithm, ulong seed);
    /// <summary>Adds the model's own attributes (temperature, boundary…) to the samples' metadata; the driver writes model, algorithm, seed and version.</summary>
    void Describe(ModelArguments arguments, string algorithm, SampleMetadata metadata);
    /// <summary>The run's parameters in a few words, for the line that reports a written file: "L = 64, T = 2.27, wolff".</summary>
    string Summarise(ModelArguments arguments, string algorithm);
    /// <summary>Reads an effective temperature off configurations of this model, or null when the model has no thermometer.</summary>
    IThermometer? Thermometer { get; }
    /// <summary>The operators that Swendsen's Monte Carlo RG and two-lattice matching measure on its configurations
    /// (docs/algorithm.md, "Monte Carlo renormalization group"), or null when the RG flow does not take the model.</summary>
    Rsmi.Renormalization.IRgOperators? RgOperators => null;
    /// <summary>The exact critical values of the model with the parameters recorded in <paramref name="metadata"/> (the
    /// Potts model's <c>q</c>), or null when none are known.</summary>
    CriticalValues? Critical(SampleMetadata metadata) => null;
    /// <summary>Whether the distribution of its configurations is invariant under the point group of its lattice (the
    /// reflection of a chain, the rotations and reflections of a square lattice): then every window of a configuration
    /// is as probable as its images, and a learner may add them to its data (docs/learning.md, "Symmetric samples").
    /// False unless the model says so (anisotropic couplings, or an image with sublattice structure such as the dimer
    /// model's, break it).</summary>
    bool PointGroupSymmetric => false;
}
