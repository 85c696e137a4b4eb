using System.Text.Json.Nodes;
using static Rsmi.Tests.Study.StudyFiles;

namespace Rsmi.Tests.Study;

/// <summary>
/// A study whose flow has an MCRG lattice of its own (<c>flow.mcrg_size</c>): split into tasks, the lattice is a task
/// of its own, and the tasks give the files of the study run in one process.
/// </summary>
public class McrgLatticeStudyTests
{
    private const string Config = """
        {
          "name": "lattice", "seed": 5,
          "ising_filters": {"enabled": false}, "dimer": {"enabled": false},
          "flow": {"size": 8, "samples": 40, "steps": 1, "rule": "majority", "temperatures": [2.0, 2.269, 2.6],
                   "mcrg_temperature": 2.269, "mcrg_size": 16, "mcrg_samples": 60},
          "output": {"svg": false}
        }
        """;

    [Fact]
    public void TheMcrgLatticeIsATaskOfItsOwnAndTheTasksGiveTheFilesOfOneProcess()
    {
        string root = NewDir("mcrg-lattice");
        string cfg = WriteConfig(root, Config);
        string whole = Path.Combine(root, "whole"), tasks = Path.Combine(root, "tasks");
        var one = RunRsmi("run", "--config", cfg, "--out", whole);
        Assert.True(one.Code == 0, one.Err);
        var flow = JsonNode.Parse(File.ReadAllText(Path.Combine(whole, "flow", "flow.json")))!;
        Assert.Equal(16, flow["mcrg_lattice"]!["size"]!.GetValue<int>());
        Assert.Equal(2, flow["mcrg_lattice"]!["steps"]!.GetValue<int>());
        Assert.Equal(16, flow["provenance"]!["mcrg_size"]!.GetValue<int>());
        Assert.Equal(60, flow["estimates"]!["mcrg"]!["samples"]!.GetValue<int>());
        Assert.Equal(new[] { 16, 8 }, flow["estimates"]!["mcrg"]!["levels"]!.AsArray().Select(l => l!["fine_size"]!.GetValue<int>()).ToArray());

        Assert.True(RunRsmi("run", "--plan", tasks, "--config", cfg).Code == 0);
        var keys = JsonNode.Parse(File.ReadAllText(Path.Combine(tasks, "plan.json")))!["tasks"]!.AsArray().Select(t => t!["key"]!.GetValue<string>()).ToArray();
        Assert.Equal(new[] { "flow-t0", "flow-t1", "flow-t2", "flow-mcrg" }, keys);
        foreach (int i in new[] { 3, 1, 0, 2 })
        {
            var t = RunRsmi("run", "--task", i.ToString(), tasks);
            Assert.True(t.Code == 0, t.Err);
        }
        var merged = RunRsmi("run", "--merge", tasks);
        Assert.True(merged.Code == 0, merged.Err);
        // The flow alone writes few outputs (flow.json and its figures), each the same as in one process.
        var expected = Digests(whole);
        Assert.Contains("flow/flow.json", expected.Keys);
        Assert.Equal(expected, Digests(tasks));
        Assert.True(File.Exists(Path.Combine(tasks, "parts", "flow-mcrg.bin")));
        Directory.Delete(root, recursive: true);
    }
}
