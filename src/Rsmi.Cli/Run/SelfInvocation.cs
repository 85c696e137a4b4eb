namespace Rsmi.Cli.Run;

/// <summary>How to start this rsmi again in another process (a local job, a Slurm task): the <c>rsmi</c> executable, or the .NET host with rsmi.dll.</summary>
internal static class SelfInvocation
{
    /// <summary>The program and the arguments that come before rsmi's own.</summary>
    public static (string Program, string[] Prefix) Get()
    {
        string? process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process) == "rsmi") return (process, []);
        string dll = typeof(CliApp).Assembly.Location;
        string dotnet = process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? process
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        return (dotnet, [dll]);
    }
}
