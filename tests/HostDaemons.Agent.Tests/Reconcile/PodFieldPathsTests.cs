using HostDaemons.Agent.Reconcile;

namespace HostDaemons.Agent.Tests.Reconcile;

public sealed class PodFieldPathsTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("", "\"\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("line\nnext\r\t", "\"line\\nnext\\r\\t\"")]
    [InlineData("bell\a\b\f\v", "\"bell\\a\\b\\f\\v\"")]
    [InlineData("\u0001\u007f", "\"\\x01\\x7f\"")]
    [InlineData("é☃ 中", "\"é☃ 中\"")]
    [InlineData("nbsp\u00a0zw\u200b", "\"nbsp\\u00a0zw\\u200b\"")]
    [InlineData("\U0001F600", "\"\U0001F600\"")]
    public void GoQuote_AsGoStrconvQuote(string value, string expected)
    {
        Assert.Equal(expected, PodFieldPaths.GoQuote(value));
    }

    [Fact]
    public void FormatMap_SortedKeyEqualsQuotedValueLinesWithoutTrailingNewline()
    {
        var map = new Dictionary<string, string> { ["b"] = "2", ["a.io/x"] = "1", ["B"] = "upper" };

        Assert.Equal("B=\"upper\"\na.io/x=\"1\"\nb=\"2\"", PodFieldPaths.FormatMap(map));
        Assert.Equal("", PodFieldPaths.FormatMap(new Dictionary<string, string>()));
    }
}
