using System.Text.RegularExpressions;
using Rsmi.Study;

namespace Rsmi.Tests.Study;

/// <summary>The documentation of the study config is generated from, and checked against, the code.</summary>
public class RunConfigDocumentationTests
{
    private static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Rsmi.slnx"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return Path.Combine(dir!.FullName, relative);
    }

    /// <summary>docs/run-config.schema.json is what <see cref="RunConfig.JsonSchema"/> produces. Regenerate with
    /// RSMI_UPDATE_SCHEMA=1 dotnet test --filter RunConfigDocumentationTests.</summary>
    [Fact]
    public void CheckedInSchemaIsTheGeneratedOne()
    {
        string path = RepoFile("docs/run-config.schema.json");
        string generated = RunConfig.JsonSchema();
        if (Environment.GetEnvironmentVariable("RSMI_UPDATE_SCHEMA") == "1") File.WriteAllText(path, generated);
        Assert.Equal(generated, File.ReadAllText(path));
        Assert.Contains("\"additionalProperties\": false", generated);
    }

    /// <summary>The annotated example in docs/run-config.md is the embedded default study.</summary>
    [Fact]
    public void AnnotatedExampleIsTheDefault()
    {
        string md = File.ReadAllText(RepoFile("docs/run-config.md"));
        var block = Regex.Match(md, "```jsonc\\n(.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success);
        var parsed = RunConfig.Parse(block.Groups[1].Value, "docs/run-config.md");
        Assert.Equal(new RunConfig().ToJson(), parsed.ToJson());
    }
}
