using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Objects;

public sealed class DownwardApiPathsTests
{
    [Theory]
    [InlineData("metadata.labels['app']", "metadata.labels", "app")]
    [InlineData("metadata.annotations['a[b]c']", "metadata.annotations", "a[b]c")]
    [InlineData("metadata.labels['']", "metadata.labels", "")]
    public void SplitSubscript_SubscriptedPath_FieldAndKey(string path, string field, string key)
    {
        Assert.Equal((field, key), DownwardApiPaths.SplitSubscript(path));
    }

    [Theory]
    [InlineData("metadata.labels")]
    [InlineData("['app']")]
    [InlineData("metadata.labels['app'")]
    [InlineData("metadata.labels[app]")]
    public void SplitSubscript_NoSubscript_Null(string path)
    {
        Assert.Null(DownwardApiPaths.SplitSubscript(path));
    }

    [Fact]
    public void FormatMap_SortedKeyEqualsQuotedValueLinesWithoutTrailingNewline()
    {
        var map = new Dictionary<string, string> { ["b"] = "2", ["a.io/x"] = "1", ["B"] = "upper" };

        Assert.Equal("B=\"upper\"\na.io/x=\"1\"\nb=\"2\"", DownwardApiPaths.FormatMap(map));
        Assert.Equal("", DownwardApiPaths.FormatMap(new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("metadata.name", "web-1")]
    [InlineData("metadata.namespace", "infra")]
    [InlineData("metadata.uid", "u-1")]
    [InlineData("metadata.labels", "app=\"web\"\ntier=\"one\"")]
    [InlineData("metadata.labels['tier']", "one")]
    [InlineData("metadata.labels['absent']", "")]
    [InlineData("metadata.annotations['note']", "a \"quoted\" text")]
    public void TryMetadataValue_MetadataPath_TheValue(string path, string expected)
    {
        Assert.True(DownwardApiPaths.TryMetadataValue(Meta(), path, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("spec.nodeName")]
    [InlineData("metadata.generateName")]
    [InlineData("spec.nodeSelector['disk']")]
    public void TryMetadataValue_OtherPath_False(string path)
    {
        Assert.False(DownwardApiPaths.TryMetadataValue(Meta(), path, out var value));
        Assert.Equal("", value);
    }

    private static ObjectMeta Meta() => new()
    {
        Name = "web-1",
        Namespace = "infra",
        Uid = "u-1",
        Labels = { ["tier"] = "one", ["app"] = "web" },
        Annotations = { ["note"] = "a \"quoted\" text" },
    };
}
