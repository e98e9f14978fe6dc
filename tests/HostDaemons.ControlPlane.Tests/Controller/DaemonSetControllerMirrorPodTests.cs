using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

/// <summary>Mirror pods are their node's: a DaemonSet whose selector matches one neither adopts it nor counts it.</summary>
public sealed class DaemonSetControllerMirrorPodTests : IAsyncLifetime
{
    private readonly DaemonSetControllerHarness _harness = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task SyncAsync_MirrorPodMatchingTheSelector_LeftAloneAndNotCounted()
    {
        var node = await _harness.Store.CreateAsync(Node("n1"), Token).DefaultTimeout();
        var ds = DaemonSet();
        ds.Metadata.Uid = "";
        ds = await _harness.Store.CreateAsync(ds, Token).DefaultTimeout();
        var mirror = Pod("static-n1", "n1");
        mirror.Metadata.Uid = "hash-1";
        mirror.Metadata.Labels.Add(ds.Spec.Selector.MatchLabels);
        mirror.Metadata.Annotations[MirrorPodAnnotations.Mirror] = "hash-1";
        mirror.Metadata.OwnerReferences.Add(new OwnerReference { ApiVersion = "v1", Kind = "Node", Name = "n1", Uid = node.Metadata.Uid, Controller = true });
        mirror = await _harness.Store.CreateAsync(mirror, Token).DefaultTimeout();

        await _harness.SyncAsync();

        Assert.Equal(mirror, _harness.Store.Get<Pod>("default", "static-n1"));
        var daemonPod = Assert.Single(_harness.Store.PodsControlledBy(ds.Metadata.Uid));
        Assert.Equal("n1", daemonPod.Spec.NodeName);
        Assert.Equal(1, _harness.Store.Get<DaemonSet>("default", "agent")!.Status.CurrentNumberScheduled);
    }
}
