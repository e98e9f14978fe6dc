using HostDaemons.Model.Objects;

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
}
