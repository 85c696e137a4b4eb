using System.Diagnostics;
using Rsmi.Data;

namespace Rsmi.Tests.IO;

/// <summary>Deterministic sample sets and helpers for external tools.</summary>
public static class SampleFixtures
{
    /// <summary>N configurations of the given site shape with a fixed pseudo-random ±1 pattern.</summary>
    public static SampleSet Spins(int count, int[] siteShape, int seed = 1, SampleMetadata? metadata = null)
    {
        int sites = siteShape.Aggregate(1, (a, b) => a * b);
        var data = new sbyte[count * sites];
        var rng = new System.Random(seed);
        for (int i = 0; i < data.Length; i++) data[i] = rng.Next(2) == 0 ? (sbyte)-1 : (sbyte)1;
        return new SampleSet(count, siteShape, data, metadata);
    }

    public static SampleMetadata Ising2DMetadata()
    {
        var m = new SampleMetadata { Model = "ising2d", Temperature = 2.269185314213022, Algorithm = "wolff", Seed = 1234567890123L };
        m.Set("tau_int", 3.25);
        m.Set("rg_step", 0);
        m.Set("parent", "source.h5 sha256:0123abcd");
        return m;
    }

    /// <summary>Runs a program; null when it cannot be started.</summary>
    public static (int ExitCode, string Stdout, string Stderr)? RunTool(string fileName, params string[] args)
    {
        var psi = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi);
            if (p is null) return null;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(60_000)) { p.Kill(); return null; }
            return (p.ExitCode, stdout.Result, stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }

    public static readonly Lazy<bool> Hdf5ToolsAvailable = new(() => RunTool("h5dump", "--version") is { ExitCode: 0 } && RunTool("h5repack", "--version") is { ExitCode: 0 });

    public static readonly Lazy<bool> PythonNumpyAvailable = new(() => RunTool("python3", "-c", "import numpy") is { ExitCode: 0 });

    public static readonly Lazy<bool> PythonH5pyAvailable = new(() => RunTool("python3", "-c", "import numpy, h5py") is { ExitCode: 0 });
}

/// <summary>A fact that runs only where h5dump and h5repack (Debian package hdf5-tools) are installed.</summary>
public sealed class Hdf5ToolsFactAttribute : FactAttribute
{
    public Hdf5ToolsFactAttribute()
    {
        if (!SampleFixtures.Hdf5ToolsAvailable.Value)
            Skip = "h5dump/h5repack are not installed (Debian package hdf5-tools); install them to check rsmi's HDF5 files against the reference HDF5 library.";
    }
}

/// <summary>A fact that runs only where python3 can import numpy.</summary>
public sealed class NumpyFactAttribute : FactAttribute
{
    public NumpyFactAttribute()
    {
        if (!SampleFixtures.PythonNumpyAvailable.Value)
            Skip = "python3 with numpy is not available; install it to check that .npy files written by rsmi load in NumPy.";
    }
}

/// <summary>A fact that runs only where python3 can import numpy and h5py.</summary>
public sealed class H5pyFactAttribute : FactAttribute
{
    public H5pyFactAttribute()
    {
        if (!SampleFixtures.PythonH5pyAvailable.Value)
            Skip = "python3 with numpy and h5py is not available; install them to check that HDF5 files written by rsmi load in h5py.";
    }
}
