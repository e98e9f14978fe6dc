using System.Globalization;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Nodes;

/// <summary>Mirror pods are never sent to agents: their agent runs them from its manifest directory already.</summary>
public sealed class NodeAssignmentHubMirrorPodTests : IAsyncLifetime
{
    private readonly NodeAssignmentHubHarness _harness = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private static Pod Mirror(string name, string node)
    {
        var pod = Pod(name, node);
        pod.Metadata.Uid = "hash-" + name;
        pod.Metadata.Annotations[MirrorPodAnnotations.Mirror] = pod.Metadata.Uid;
        return pod;
    }

    [Fact]
    public async Task Watch_MirrorPodInTheStore_NotInTheSnapshot()
    {
        await _harness.Store.CreateAsync(Mirror("static-n1", "n1"), Token).DefaultTimeout();
        await _harness.Store.CreateAsync(Pod("daemon", "n1"), Token).DefaultTimeout();
        await _harness.StartAsync();

        await using var watch = new HubWatch(_harness.Hub, "n1");

        Assert.Equal("daemon", Assert.Single((await watch.SnapshotAsync()).Pods).Metadata.Name);
    }

    [Fact]
    public async Task Watch_MirrorPodCreatedChangedAndDeleted_NoChangeSent()
    {
        await _harness.StartAsync();
        await using var watch = new HubWatch(_harness.Hub, "n1");
        await watch.SnapshotAsync();

        await _harness.Store.CreateAsync(Mirror("static-n1", "n1"), Token).DefaultTimeout();
        await _harness.Store.MutateAsync<Pod>("default", "static-n1", p => p.Metadata.Labels.TryAdd("x", "1"), Token).DefaultTimeout();
        await _harness.Store.DeleteAsync<Pod>("default", "static-n1", null, Token).DefaultTimeout();
        var daemon = await _harness.Store.CreateAsync(Pod("daemon", "n1"), Token).DefaultTimeout();

        var changes = await watch.ChangesThroughAsync(long.Parse(daemon.Metadata.ResourceVersion, CultureInfo.InvariantCulture));

        Assert.Equal("daemon", Assert.Single(changes).Upserted.Metadata.Name);
    }
}
