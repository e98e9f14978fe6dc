using HostDaemons.Model.Serialization;

namespace HostDaemons.Model.Tests.Serialization;

public sealed class GoStringsTests
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
    public void Quote_AsGoStrconvQuote(string value, string expected)
    {
        Assert.Equal(expected, GoStrings.Quote(value));
    }

    [Fact]
    public void StringSlice_AsGoPrintsAStringSliceWithHashV()
    {
        Assert.Equal("[]string{\"/metrics\", \"/a\\\"b\"}", GoStrings.StringSlice(["/metrics", "/a\"b"]));
        Assert.Equal("[]string{}", GoStrings.StringSlice([]));
    }
}
