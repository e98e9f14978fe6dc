using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Api;

public sealed class AdminServiceWatchTests : IAsyncLifetime
{
    private readonly AdminServiceHarness _api = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    private Task<Pod> CreatePodAsync(string name, string ns = "default", string? tier = null)
    {
        var pod = Pod(name, "n1", ns);
        if (tier is not null)
        {
            pod.Metadata.Labels["tier"] = tier;
        }

        return _api.Store.CreateAsync(pod, Token).DefaultTimeout();
    }

    [Fact]
    public async Task Watch_FromResourceVersion_ReplaysThenStreamsMatchingEventsOnly()
    {
        await CreatePodAsync("before");
        var after = _api.Store.Revision;
        await CreatePodAsync("web-1", tier: "web");
        await CreatePodAsync("db-1", tier: "db");
        await CreatePodAsync("web-other-ns", "other", tier: "web");
        await _api.Store.CreateAsync(Node("n1", Labels("tier=web")), Token).DefaultTimeout();

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var writer = new CollectingStreamWriter<WatchEvent>();
        var call = _api.Service.Watch(new WatchRequest { Kind = ResourceKind.Pod, LabelSelector = "tier=web", ResourceVersion = after },
            writer, new TestServerCallContext(cancellationToken: cts.Token));

        var replayed = await writer.NextAsync();
        Assert.Equal(("ADDED", "web-1", after + 1), (replayed.Type, replayed.Object.Pod.Metadata.Name, replayed.ResourceVersion));

        await _api.Store.MutateAsync<Pod>("default", "web-1", p => p.Metadata.Labels.TryAdd("x", "1"), Token).DefaultTimeout();
        await _api.Store.DeleteAsync<Pod>("default", "db-1", null, Token).DefaultTimeout();
        await _api.Store.DeleteAsync<Pod>("default", "web-1", null, Token).DefaultTimeout();

        Assert.Equal("MODIFIED", (await writer.NextAsync()).Type);
        var deleted = await writer.NextAsync();
        Assert.Equal(("DELETED", "web-1"), (deleted.Type, deleted.Object.Pod.Metadata.Name));
        Assert.False(writer.TryRead(out _));

        await cts.CancelAsync();
        await call.DefaultTimeout();
    }

    [Fact]
    public async Task Watch_Selector_ObjectLeavingIsDeletedAndEnteringIsAdded()
    {
        await CreatePodAsync("p", tier: "web");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var writer = new CollectingStreamWriter<WatchEvent>();
        var call = _api.Service.Watch(new WatchRequest { Kind = ResourceKind.Pod, LabelSelector = "tier=web" }, writer,
            new TestServerCallContext(cancellationToken: cts.Token));

        await _api.Store.MutateAsync<Pod>("default", "p", p => { p.Metadata.Labels["tier"] = "db"; return true; }, Token).DefaultTimeout();
        await _api.Store.MutateAsync<Pod>("default", "p", p => { p.Metadata.Labels["x"] = "1"; return true; }, Token).DefaultTimeout();
        await _api.Store.MutateAsync<Pod>("default", "p", p => { p.Metadata.Labels["tier"] = "web"; return true; }, Token).DefaultTimeout();

        Assert.Equal("DELETED", (await writer.NextAsync()).Type);
        Assert.Equal("ADDED", (await writer.NextAsync()).Type);
        Assert.False(writer.TryRead(out _));
        await cts.CancelAsync();
        await call.DefaultTimeout();
    }

    [Fact]
    public async Task Watch_ByName_OnlyThatObject()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var writer = new CollectingStreamWriter<WatchEvent>();
        var call = _api.Service.Watch(new WatchRequest { Kind = ResourceKind.Pod, Name = "b" }, writer, new TestServerCallContext(cancellationToken: cts.Token));

        await CreatePodAsync("a");
        await CreatePodAsync("b");

        Assert.Equal("b", (await writer.NextAsync()).Object.Pod.Metadata.Name);
        await cts.CancelAsync();
        await call.DefaultTimeout();
    }

    [Fact]
    public async Task Watch_RevisionTooOld_MapsToOutOfRange()
    {
        await using var reopened = new AdminServiceHarness(new InMemoryStorageBackend(revision: 10));
        var interceptor = new ErrorMappingInterceptor();
        var writer = new CollectingStreamWriter<WatchEvent>();

        var ex = await Assert.ThrowsAsync<RpcException>(() => interceptor.ServerStreamingServerHandler(
            new WatchRequest { Kind = ResourceKind.Pod, ResourceVersion = 3 }, writer, TestServerCallContext.Create(),
            (request, stream, context) => reopened.Service.Watch(request, stream, context)).DefaultTimeout());

        Assert.Equal(StatusCode.OutOfRange, ex.StatusCode);
    }

    [Fact]
    public async Task ErrorMappingInterceptor_Unary_MapsStoreExceptionsAndPassesOthers()
    {
        var interceptor = new ErrorMappingInterceptor();
        var key = new ObjectKey(ResourceKind.Pod, "default", "p");

        var mapped = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<GetRequest, ApiObjectResponse>(
            new GetRequest(), TestServerCallContext.Create(), (_, _) => throw new ObjectConflictException(key, "1", "2")).DefaultTimeout());
        await Assert.ThrowsAsync<InvalidOperationException>(() => interceptor.UnaryServerHandler<GetRequest, ApiObjectResponse>(
            new GetRequest(), TestServerCallContext.Create(), (_, _) => throw new InvalidOperationException("x")).DefaultTimeout());

        Assert.Equal(StatusCode.Aborted, mapped.StatusCode);
    }

    /// <summary>Any response type will do for the interceptor.</summary>
    private sealed class ApiObjectResponse;
}
