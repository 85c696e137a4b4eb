using Rsmi.Models;
using Rsmi.Models.Dimers;
using Rsmi.Models.Ising;

namespace Rsmi.Tests.Models;

public class ModelCatalogTests
{
    [Fact]
    public void TheDefaultCatalogHoldsTheLibrarysModelsInHelpOrder()
    {
        Assert.Equal(["ising2d", "ising3d", "ising1d", "dimer", "potts2d"], ModelCatalog.Default.Names);
        Assert.Same(ModelCatalog.Ising2D, ModelCatalog.Default.Get("ising2d"));
        Assert.Equal(2, ModelCatalog.Ising2D.Dimension);
        Assert.Equal(1, ModelCatalog.Ising1D.Dimension);
        Assert.Equal(3, ModelCatalog.Ising3D.Dimension);
        Assert.Equal("wolff", ModelCatalog.Ising3D.Algorithms[0]);
        Assert.IsType<Ising3DThermometer>(ModelCatalog.Ising3D.Thermometer);
        Assert.Equal(2, ModelCatalog.Dimer.Dimension);
        Assert.Equal("wolff", ModelCatalog.Ising2D.Algorithms[0]);
        Assert.Equal("exact", ModelCatalog.Ising1D.Algorithms[0]);
        Assert.Equal(["worm"], ModelCatalog.Dimer.Algorithms);
        Assert.Same(IsingThermometer.Instance, ModelCatalog.Ising2D.Thermometer);
        Assert.Null(ModelCatalog.Ising1D.Thermometer);
        Assert.Null(ModelCatalog.Dimer.Thermometer);
        Assert.Equal(2, ModelCatalog.Potts2D.Dimension);
        Assert.Equal(["wolff", "swendsen-wang", "heatbath"], ModelCatalog.Potts2D.Algorithms);
        // The models the RG flow takes: a thermometer and MCRG operators (the 2D Ising model's exact, the Potts and 3D Ising models' Monte Carlo).
        Assert.IsType<Rsmi.Models.Potts.PottsThermometer>(ModelCatalog.Potts2D.Thermometer);
        Assert.Same(Rsmi.Models.Potts.PottsOperators.Instance, ModelCatalog.Potts2D.RgOperators);
        Assert.Same(IsingSquareOperators.Instance, ModelCatalog.Ising2D.RgOperators);
        Assert.Same(IsingCubicOperators.Instance, ModelCatalog.Ising3D.RgOperators);
        Assert.Equal(Rsmi.Models.Ising.Exact.Ising3D.CriticalTemperature, ModelCatalog.Ising3D.Critical(new Rsmi.Data.SampleMetadata())!.Temperature);
        Assert.Null(((IModel)ModelCatalog.Dimer).RgOperators);
    }

    [Fact]
    public void UnknownAndDuplicateNamesAreRefused()
    {
        var e = Assert.Throws<RsmiInputException>(() => ModelCatalog.Default.Get("potts"));
        Assert.Equal("unknown model 'potts'; known models: ising2d, ising3d, ising1d, dimer, potts2d.", e.Message);
        Assert.Null(ModelCatalog.Default.Find(null));
        Assert.Throws<RsmiInputException>(() => ModelCatalog.Default.With(new Ising2DModel("ising2d")));
        var wider = ModelCatalog.Default.With(new DimerModel("dimer2"));
        Assert.Equal(["ising2d", "ising3d", "ising1d", "dimer", "potts2d", "dimer2"], wider.Names);
        Assert.Equal(5, ModelCatalog.Default.Models.Count);
    }

    [Fact]
    public void SamplingAModelIsSamplingItsChains()
    {
        var model = ModelCatalog.Ising1D;
        var viaModel = ModelSampling.Sample(model, model.Arguments(16, 1.5), "metropolis", 40, seed: 9, chains: 2, threads: 1);
        var viaIsing = IsingSampling.Sample("ising1d", "metropolis", 16, 1.5, 40, seed: 9, chains: 2, threads: 1);
        Assert.Equal(viaIsing.Data, viaModel.Data);
        Assert.Equal("periodic", viaModel.Metadata.GetString("boundary"));
        Assert.Equal(1.5, viaModel.Metadata.Temperature);
        Assert.Equal("ising1d", viaModel.Metadata.Model);
    }

    [Fact]
    public void DimerArgumentsRoundTripThroughTheSamplingOptions()
    {
        var dimer = ModelCatalog.Dimer;
        foreach (var options in new[]
                 {
                     new DimerSamplingOptions(6, 10, 1.5, 3, DimerBoundary.Open, 0.25),
                     new DimerSamplingOptions(4, 10, null, 3),
                     new DimerSamplingOptions(4, 10, 2.0, 3, Monitor: DimerMonitor.Winding, SymmetryMoves: false),
                     new DimerSamplingOptions(4, 10, 2.0, 3, Interaction: 1, Monitor: DimerMonitor.Columnar),
                 })
            Assert.Equal(options, dimer.Options(dimer.Arguments(options), 10, 3));
        var conflicting = ModelArguments.Defaults(dimer).Set(dimer.NoiseCoupling, 1.0).Set(dimer.NoNoise, true);
        var e = Assert.Throws<RsmiInputException>(() => ModelSampling.Validate(dimer, conflicting.Set(dimer.Size, 4), "worm", 5));
        Assert.Equal("no-noise and noise-coupling cannot be used together.", e.Message);
        Assert.Equal("--no-noise and --noise-coupling cannot be used together.", e.Render(name => "--" + name));
    }

    [Fact]
    public void EveryModelDescribesItsParametersForTheCommandLine()
    {
        foreach (var model in ModelCatalog.Default.Models)
        {
            Assert.NotEmpty(model.Summary);
            Assert.Contains(model.Parameters, p => p.Name == "size" && p.Required);
            Assert.All(model.Parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.Help)));
            Assert.Equal(model.Parameters.Count, model.Parameters.Select(p => p.Name).Distinct().Count());
            Assert.Equal(model is Rsmi.Models.Potts.Potts2DModel ? Rsmi.Models.Potts.Potts2DModel.DefaultStates : 1, model.States.FeaturesPerSite);
        }
    }
}
