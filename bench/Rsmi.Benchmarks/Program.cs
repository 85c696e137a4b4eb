using BenchmarkDotNet.Running;

if (args is ["ising-throughput", ..])
{
    Rsmi.Benchmarks.IsingThroughput.Run(args.Length > 1 ? int.Parse(args[1]) : 5);
    return;
}
if (args is ["kernel-experiments", ..])
{
    Rsmi.Benchmarks.KernelExperiments.Run(args.Length > 1 ? int.Parse(args[1]) : 3);
    return;
}
if (args is ["infonce-profile", ..])
{
    Rsmi.Benchmarks.InfoNceProfile.Run(args.Length > 1 && args[1] != "-" ? args[1] : null, args.Length > 2 ? int.Parse(args[2]) : 2);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Entry point type for BenchmarkSwitcher.</summary>
public partial class Program;
