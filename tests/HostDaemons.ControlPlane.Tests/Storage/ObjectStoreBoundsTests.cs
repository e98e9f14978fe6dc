using HostDaemons.ControlPlane.Storage;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Storage;

/// <summary>The store's bounds and supervision: bounded subscriptions, a writer that stops the host on a fault, the mutation detector.</summary>
public sealed class ObjectStoreBoundsTests : IAsyncLifetime
{
    private readonly StoreHarness _harness = new();

    private ObjectStore Store => _harness.Store;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    /// <summary>Creates <paramref name="count"/> config maps at once (group-committed), returning when all are stored.</summary>
    internal static Task CreateManyAsync(IObjectStore store, int count, string prefix = "cm") =>
        Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            store.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Namespace = "default", Name = $"{prefix}-{i}" } }, Token))).DefaultTimeout();

    [Fact]
    public async Task Subscribe_ReaderFallsCapacityBehind_GetsWhatItHoldsThenOverflowAndIsDropped()
    {
        using var stuck = Store.Subscribe();

        await CreateManyAsync(Store, StoreSubscription.Capacity + 10);

        for (var i = 0; i < StoreSubscription.Capacity; i++)
        {
            Assert.True(stuck.Events.TryRead(out _));
        }

        var ex = await Assert.ThrowsAsync<SubscriptionOverflowException>(() => stuck.Events.WaitToReadAsync(Token).AsTask()).DefaultTimeout();
        Assert.Contains($"more than {StoreSubscription.Capacity} changes behind", ex.Message, StringComparison.Ordinal);

        // The store goes on, for subscribers that keep up.
        using var fresh = Store.Subscribe();
        await Store.CreateAsync(Node("n1"), Token).DefaultTimeout();
        Assert.Equal("n1", (await fresh.Events.ReadAsync(Token).AsTask().DefaultTimeout()).Object.Metadata.Name);
    }

    [Fact]
    public async Task Subscribe_AfterRevisionMoreThanASubscriptionAgo_IsTooOld()
    {
        await CreateManyAsync(Store, StoreSubscription.Capacity + 5);

        var ex = Assert.Throws<RevisionTooOldException>(() => Store.Subscribe(afterRevision: 1));
        Assert.Contains("too old resource version: 1", ex.Message, StringComparison.Ordinal);
        using var resumable = Store.Subscribe(afterRevision: Store.Revision - StoreSubscription.Capacity);
        Assert.Equal(StoreSubscription.Capacity, resumable.Events.Count);
    }

    [Fact]
    public async Task Writer_UnexpectedFault_LogsCriticalFailsEveryWaitingWriteAndStopsTheHost()
    {
        var logs = new FakeLogCollector();
        var lifetime = new FakeHostApplicationLifetime();
        await using var store = new ObjectStore(new InMemoryStorageBackend(), _harness.Time, lifetime, new FakeLogger<ObjectStore>(logs), detectMutations: true);
        using var watch = store.Subscribe();
        var node = await store.CreateAsync(Node("n1"), Token).DefaultTimeout();

        // A reader's bug: the cached object changed in place. The detector fires inside the writer's publish step,
        // which stands here for any unexpected fault there.
        node.Metadata.Labels["changed"] = "in-place";
        var write = store.MutateAsync<Node>("", "n1", n => n.Metadata.Labels.TryAdd("x", "1"), Token);

        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(() => write).DefaultTimeout();
        Assert.Contains("the store stopped after an unexpected fault", failure.Message, StringComparison.Ordinal);
        Assert.IsType<CachedObjectMutatedException>(failure.InnerException);
        Assert.Equal(1, lifetime.StopRequests);
        Assert.Contains(logs.GetSnapshot(), r => r.Level == LogLevel.Critical && r.Exception is CachedObjectMutatedException);

        // Later writes fail at once instead of waiting forever; watchers are ended.
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.CreateAsync(Node("n2"), Token)).DefaultTimeout();
        Assert.True(watch.Events.TryRead(out _));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => watch.Events.WaitToReadAsync(Token).AsTask()).DefaultTimeout();
        lifetime.Dispose();
    }

    [Fact]
    public async Task MutationDetector_CachedObjectChangedInPlace_IsReported()
    {
        await Store.CreateAsync(Pod("p1", "n1"), Token).DefaultTimeout();
        Store.Get<Pod>("default", "p1")!.Spec.NodeName = "n2";

        var ex = Assert.Throws<CachedObjectMutatedException>(Store.VerifyNoCachedObjectMutated);
        Assert.Contains("Pod/default/p1", ex.Message, StringComparison.Ordinal);

        Store.Get<Pod>("default", "p1")!.Spec.NodeName = "n1";
        Store.VerifyNoCachedObjectMutated();
    }
}
