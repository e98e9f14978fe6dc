using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.NodeServiceHarness;

namespace HostDaemons.ControlPlane.Tests.Api;

/// <summary>kubernetes.io/hostname, os and arch: set by the control plane at every registration, as the kubelet keeps them.</summary>
public sealed class NodeServiceWellKnownLabelsTests : IAsyncLifetime
{
    private readonly NodeServiceHarness _api = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    private static RegisterRequest Request(string arch) => new()
    {
        Labels = { ["disk"] = "ssd" },
        NodeInfo = new NodeSystemInfo { OperatingSystem = "linux", Architecture = arch },
    };

    [Fact]
    public async Task Register_New_SetsTheWellKnownLabelsBesideTheUsers()
    {
        var node = (await _api.Service.Register(Request("amd64"), As("worker-1")).DefaultTimeout()).Node;

        Assert.Equal("worker-1", node.Metadata.Labels["kubernetes.io/hostname"]);
        Assert.Equal("linux", node.Metadata.Labels["kubernetes.io/os"]);
        Assert.Equal("amd64", node.Metadata.Labels["kubernetes.io/arch"]);
        Assert.Equal("ssd", node.Metadata.Labels["disk"]);
    }

    [Fact]
    public async Task Register_Again_RestoresChangedOrRemovedWellKnownLabels()
    {
        await _api.Service.Register(Request("amd64"), As("worker-1")).DefaultTimeout();
        await _api.Store.MutateAsync<Node>("", "worker-1", n =>
        {
            n.Metadata.Labels.Remove("kubernetes.io/hostname");
            n.Metadata.Labels["kubernetes.io/arch"] = "wrong";
            n.Metadata.Labels["team"] = "ops";
            return true;
        }, Token).DefaultTimeout();

        var node = (await _api.Service.Register(Request("arm64"), As("worker-1")).DefaultTimeout()).Node;

        Assert.Equal("worker-1", node.Metadata.Labels["kubernetes.io/hostname"]);
        Assert.Equal("arm64", node.Metadata.Labels["kubernetes.io/arch"]);
        Assert.Equal("ops", node.Metadata.Labels["team"]);
    }
}
