using HostDaemons.Agent.StaticPods;

namespace HostDaemons.Agent.Tests.StaticPods;

public sealed class ManifestFileNamesTests
{
    [Theory]
    [InlineData("monitor.yaml")]
    [InlineData("monitor.yml")]
    [InlineData("monitor.json")]
    [InlineData("Monitor.YAML")]
    [InlineData("10-node.exporter.yaml")]
    public void IsManifest_ManifestExtension_True(string name) => Assert.True(ManifestFileNames.IsManifest(name));

    [Theory]
    [InlineData("monitor.yaml~")]
    [InlineData("monitor.yaml.bak")]
    [InlineData("monitor.yaml.orig")]
    [InlineData(".monitor.yaml.swp")]
    [InlineData(".monitor.yaml")]
    [InlineData(".#monitor.yaml")]
    [InlineData("#monitor.yaml#")]
    [InlineData("4913")]
    [InlineData("monitor.txt")]
    [InlineData("README")]
    [InlineData(".yaml")]
    [InlineData("")]
    public void IsManifest_BackupSwapHiddenOrOther_False(string name) => Assert.False(ManifestFileNames.IsManifest(name));
}
