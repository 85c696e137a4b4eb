using System.Text.Json.Nodes;
using Rsmi.Cli.Commands;

namespace Rsmi.Tests.IO;

public class InfoFormattingTests
{
    [Fact]
    public void LongArraysAreSummarisedShortOnesShownWhole()
    {
        var longArray = new JsonArray(Enumerable.Range(0, 200).Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());
        Assert.Equal("[0, 1, …, 199] (200 entries)", InfoFormatting.DescribeExtra(longArray));
        Assert.Equal("[1,2,3]", InfoFormatting.DescribeExtra(new JsonArray(1, 2, 3)));
        Assert.Equal("null", InfoFormatting.DescribeExtra(null));
    }
}
