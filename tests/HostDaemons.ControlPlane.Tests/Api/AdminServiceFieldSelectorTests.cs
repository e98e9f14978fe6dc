using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Api;

/// <summary>List and watch with <c>--field-selector</c>, as the Kubernetes API server filters them.</summary>
public sealed class AdminServiceFieldSelectorTests : IAsyncLifetime
{
    private readonly AdminServiceHarness _api = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await CreatePodAsync("a1", "n1", "Running");
        await CreatePodAsync("a2", "n1", "Pending");
        await CreatePodAsync("b1", "n2", "Running");
        await CreatePodAsync("c1", "n1", "Running", "other");
        await _api.Store.CreateAsync(Node("n1"), Token).DefaultTimeout();
        var cordoned = Node("n2");
        cordoned.Spec.Unschedulable = true;
        await _api.Store.CreateAsync(cordoned, Token).DefaultTimeout();
    }

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    private Task<Pod> CreatePodAsync(string name, string node, string phase, string ns = "default")
    {
        var pod = Pod(name, node, ns);
        pod.Status.Phase = phase;
        return _api.Store.CreateAsync(pod, Token).DefaultTimeout();
    }

    private async Task<string[]> NamesAsync(ResourceKind kind, string selector, bool allNamespaces = false)
    {
        var list = await _api.Service.List(new ListRequest { Kind = kind, FieldSelector = selector, AllNamespaces = allNamespaces }, new TestServerCallContext()).DefaultTimeout();
        return [.. list.Items.Select(i => i.Unwrap()!.Metadata.Name)];
    }

    [Theory]
    [InlineData("spec.nodeName=n1", "a1,a2")]
    [InlineData("spec.nodeName==n1", "a1,a2")]
    [InlineData("spec.nodeName!=n1", "b1")]
    [InlineData("spec.nodeName=n1,status.phase=Running", "a1")]
    [InlineData("status.phase!=Running", "a2")]
    [InlineData("metadata.name=b1", "b1")]
    [InlineData("metadata.namespace=default", "a1,a2,b1")]
    [InlineData("spec.nodeName=", "")]
    [InlineData("", "a1,a2,b1")]
    public async Task List_PodsWithFieldSelector_OnlyTheMatchingOnes(string selector, string expected)
    {
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), await NamesAsync(ResourceKind.Pod, selector));
    }

    [Fact]
    public async Task List_AllNamespacesWithFieldSelector_MatchesAcrossNamespaces()
    {
        Assert.Equal(["c1"], await NamesAsync(ResourceKind.Pod, "metadata.namespace=other", allNamespaces: true));
        Assert.Equal(["a1", "a2", "c1"], await NamesAsync(ResourceKind.Pod, "spec.nodeName=n1", allNamespaces: true));
    }

    [Fact]
    public async Task List_NodesBySchedulability_OnlyTheMatchingOnes()
    {
        Assert.Equal(["n2"], await NamesAsync(ResourceKind.Node, "spec.unschedulable=true"));
        Assert.Equal(["n1"], await NamesAsync(ResourceKind.Node, "spec.unschedulable=false,metadata.name!=n2"));
    }

    [Theory]
    [InlineData(ResourceKind.Pod, "spec.nodename=n1", "field label not supported: spec.nodename")]
    [InlineData(ResourceKind.DaemonSet, "spec.nodeName=n1", "field label not supported: spec.nodeName")]
    [InlineData(ResourceKind.Pod, "spec.nodeName", "invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'")]
    public async Task List_UnsupportedOrMalformedFieldSelector_BadRequestWithTheApiServersMessage(ResourceKind kind, string selector, string message)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => NamesAsync(kind, selector));

        Assert.Equal((StatusCode.InvalidArgument, message), (ex.StatusCode, ex.Status.Detail));
    }

    [Fact]
    public async Task Watch_FieldSelector_PodEnteringIsAddedAndLeavingIsDeleted()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var writer = new CollectingStreamWriter<WatchEvent>();
        var call = _api.Service.Watch(new WatchRequest { Kind = ResourceKind.Pod, FieldSelector = "status.phase=Running" }, writer,
            new TestServerCallContext(cancellationToken: cts.Token));

        await _api.Store.MutateAsync<Pod>("default", "a2", p =>
        {
            p.Status.Phase = "Running";
            return true;
        }, Token).DefaultTimeout();
        await _api.Store.MutateAsync<Pod>("default", "a1", p =>
        {
            p.Status.Phase = "Failed";
            return true;
        }, Token).DefaultTimeout();
        await _api.Store.MutateAsync<Pod>("default", "b1", p => p.Metadata.Labels.TryAdd("x", "1"), Token).DefaultTimeout();

        var entered = await writer.NextAsync();
        var left = await writer.NextAsync();
        var modified = await writer.NextAsync();
        Assert.Equal(("ADDED", "a2"), (entered.Type, entered.Object.Pod.Metadata.Name));
        Assert.Equal(("DELETED", "a1"), (left.Type, left.Object.Pod.Metadata.Name));
        Assert.Equal(("MODIFIED", "b1"), (modified.Type, modified.Object.Pod.Metadata.Name));

        await cts.CancelAsync();
        await call.DefaultTimeout();
    }

    [Fact]
    public async Task Watch_UnsupportedField_BadRequest()
    {
        // Refused before the stream starts, as the API server answers a bad watch request.
        var ex = Assert.Throws<RpcException>(() =>
        {
            _ = _api.Service.Watch(new WatchRequest { Kind = ResourceKind.Pod, FieldSelector = "spec.host=n1" }, new CollectingStreamWriter<WatchEvent>(), new TestServerCallContext());
        });

        Assert.Equal((StatusCode.InvalidArgument, "field label not supported: spec.host"), (ex.StatusCode, ex.Status.Detail));
    }
}
