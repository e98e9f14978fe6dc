using HostDaemons.Cli.Printing;

namespace HostDaemons.Cli.Tests.Printing;

public sealed class OutputFormatsTests
{
    [Theory]
    [InlineData(null, "Table")]
    [InlineData("", "Table")]
    [InlineData("wide", "Wide")]
    [InlineData("yaml", "Yaml")]
    [InlineData("json", "Json")]
    [InlineData("name", "Name")]
    public void TryParse_KnownFormat_Parses(string? text, string expected)
    {
        Assert.True(OutputFormats.TryParse(text, out var format));
        Assert.Equal(expected, format.ToString());
    }

    [Theory]
    [InlineData("xml")]
    [InlineData("YAML")]
    [InlineData("jsonpath")]
    public void TryParse_UnknownFormat_Fails(string text)
    {
        Assert.False(OutputFormats.TryParse(text, out _));
    }
}
