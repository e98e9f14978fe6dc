using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.ControlPlane.Nodes;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;
using AdminServiceImpl = HostDaemons.ControlPlane.Api.AdminService;

namespace HostDaemons.ControlPlane.Tests.Api;

public sealed class AdminServiceWatchTests : IAsyncLifetime
{
    private readonly StoreHarness _store = new();
    private readonly FakeHostApplicationLifetime _lifetime = new();
    private readonly AdminServiceImpl _service;

    public AdminServiceWatchTests()
    {
        _service = new AdminServiceImpl(_store.Store, new PodTerminator(_store.Store, _store.Time), new AgentTunnels(),
            new StreamingCalls(_lifetime), _store.Time);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _lifetime.Dispose();
    }

    private Task<Pod> CreatePodAsync(string name, string ns = "default", string? tier = null)
    {
        var pod = Pod(name, "n1", ns);
        if (tier is not null)
        {
            pod.Metadata.Labels["tier"] = tier;
        }

        return _store.Store.CreateAsync(pod, Token).DefaultTimeout();
    }

    [Fact]
    public async Task Watch_FromResourceVersion_ReplaysThenStreamsMatchingEventsOnly()
    {
        await CreatePodAsync("before");
        var after = _store.Store.Revision;
        await CreatePodAsync("web-1", tier: "web");
        await CreatePodAsync("db-1", tier: "db");
        await CreatePodAsync("web-other-ns", "other", tier: "web");
        await _store.Store.CreateAsync(Node("n1", Labels("tier=web")), Token).DefaultTimeout();

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var writer = new CollectingStreamWriter<WatchEvent>();
        var call = _service.Watch(new WatchRequest { Kind = ResourceKind.Pod, LabelSelector = "tier=web", ResourceVersion = after },
            writer, new TestServerCallContext(cancellationToken: cts.Token));

        var replayed = await writer.NextAsync();
        Assert.Equal(("ADDED", "web-1", after + 1), (replayed.Type, replayed.Object.Pod.Metadata.Name, replayed.ResourceVersion));

        await _store.Store.MutateAsync<Pod>("default", "web-1", p => p.Metadata.Labels.TryAdd("x", "1"), Token).DefaultTimeout();
        await _store.Store.DeleteAsync<Pod>("default", "db-1", null, Token).DefaultTimeout();
        await _store.Store.DeleteAsync<Pod>("default", "web-1", null, Token).DefaultTimeout();

        Assert.Equal("MODIFIED", (await writer.NextAsync()).Type);
        var deleted = await writer.NextAsync();
        Assert.Equal(("DELETED", "web-1"), (deleted.Type, deleted.Object.Pod.Metadata.Name));
        Assert.False(writer.TryRead(out _));

        await cts.CancelAsync();
        await call.DefaultTimeout();
    }

    [Fact]
    public async Task Watch_ByName_OnlyThatObject()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var writer = new CollectingStreamWriter<WatchEvent>();
        var call = _service.Watch(new WatchRequest { Kind = ResourceKind.Pod, Name = "b" }, writer, new TestServerCallContext(cancellationToken: cts.Token));

        await CreatePodAsync("a");
        await CreatePodAsync("b");

        Assert.Equal("b", (await writer.NextAsync()).Object.Pod.Metadata.Name);
        await cts.CancelAsync();
        await call.DefaultTimeout();
    }

    [Fact]
    public async Task Watch_RevisionTooOld_MapsToOutOfRange()
    {
        await using var reopened = new StoreHarness(new InMemoryStorageBackend(revision: 10));
        var service = new AdminServiceImpl(reopened.Store, new PodTerminator(reopened.Store, reopened.Time), new AgentTunnels(),
            new StreamingCalls(_lifetime), reopened.Time);
        var interceptor = new ErrorMappingInterceptor();
        var writer = new CollectingStreamWriter<WatchEvent>();

        var ex = await Assert.ThrowsAsync<RpcException>(() => interceptor.ServerStreamingServerHandler(
            new WatchRequest { Kind = ResourceKind.Pod, ResourceVersion = 3 }, writer, TestServerCallContext.Create(),
            (request, stream, context) => service.Watch(request, stream, context)).DefaultTimeout());

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
