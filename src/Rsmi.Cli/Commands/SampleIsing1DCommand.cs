using System.CommandLine;
using Rsmi.Models;
using Rsmi.Sampling;

namespace Rsmi.Cli.Commands;

/// <summary><c>rsmi sample ising1d</c>.</summary>
internal sealed class SampleIsing1DCommand : ISampleModelFactory
{
    public int Order => 1;
    public Command Create() => SampleIsingCommand.Create(ModelCatalog.Ising1D.Name,
        "1D Ising chain of L sites: exact independent sampling of the open chain (default), or Metropolis / Wolff on the ring.");
}
