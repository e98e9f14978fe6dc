using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Storage;

public sealed class ObjectStoreTests : IAsyncLifetime
{
    private readonly StoreHarness _harness = new();

    private ObjectStore Store => _harness.Store;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private static Node NewNode(string name)
    {
        var node = Node(name);
        node.Metadata.Uid = "";
        return node;
    }

    private static async Task<StoreEvent> NextAsync(StoreSubscription subscription) =>
        await subscription.Events.ReadAsync(Token).AsTask().DefaultTimeout();

    [Fact]
    public async Task CreateAsync_NewObject_AssignsUidVersionCreationTimeAndGeneration()
    {
        var input = NewNode("n1");
        input.Metadata.Generation = 42;

        var created = await Store.CreateAsync(input, Token).DefaultTimeout();

        Assert.True(Guid.TryParse(created.Metadata.Uid, out _));
        Assert.Equal("1", created.Metadata.ResourceVersion);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal(Timestamp.FromDateTimeOffset(Epoch), created.Metadata.CreationTimestamp);
        Assert.Equal(1, Store.Revision);
        Assert.Same(created, Store.Get<Node>("", "n1"));
        Assert.Equal("", input.Metadata.Uid);
        Assert.Equal(42, input.Metadata.Generation);
    }

    [Fact]
    public async Task CreateAsync_GivenUid_KeepsIt()
    {
        var created = await Store.CreateAsync(Node("n1"), Token).DefaultTimeout();

        Assert.Equal("uid-n1", created.Metadata.Uid);
    }

    [Fact]
    public async Task CreateAsync_Twice_ThrowsAlreadyExistsAndWritesNothing()
    {
        await Store.CreateAsync(NewNode("n1"), Token).DefaultTimeout();

        var ex = await Assert.ThrowsAsync<ObjectAlreadyExistsException>(() => Store.CreateAsync(NewNode("n1"), Token).DefaultTimeout());

        Assert.Equal(new ObjectKey(ResourceKind.Node, "", "n1"), ex.Key);
        Assert.Equal(1, Store.Revision);
        Assert.Equal([1], _harness.Backend.BatchSizes);
    }

    [Fact]
    public async Task CreateAsync_SameNameInOtherNamespaceOrKind_IsIndependent()
    {
        await Store.CreateAsync(Pod("x", "n1", "default"), Token).DefaultTimeout();
        await Store.CreateAsync(Pod("x", "n1", "other"), Token).DefaultTimeout();
        await Store.CreateAsync(NewNode("x"), Token).DefaultTimeout();

        Assert.Equal(2, Store.List<Pod>().Count);
        Assert.Single(Store.List<Pod>("other"));
        Assert.Single(Store.List<Node>());
        Assert.Empty(Store.List<DaemonSet>());
    }

    [Fact]
    public async Task UpdateAsync_StaleResourceVersion_ThrowsConflict()
    {
        var created = await Store.CreateAsync(NewNode("n1"), Token).DefaultTimeout();
        var first = created.Clone();
        first.Metadata.Labels["a"] = "1";
        await Store.UpdateAsync(first, Token).DefaultTimeout();

        var stale = created.Clone();
        stale.Metadata.Labels["a"] = "2";
        await Assert.ThrowsAsync<ObjectConflictException>(() => Store.UpdateAsync(stale, Token).DefaultTimeout());

        Assert.Equal("1", Store.Get<Node>("", "n1")!.Metadata.Labels["a"]);
        Assert.Equal(2, Store.Revision);
    }

    [Fact]
    public async Task UpdateAsync_EmptyResourceVersion_IsUnconditional()
    {
        await Store.CreateAsync(NewNode("n1"), Token).DefaultTimeout();
        var blind = NewNode("n1");
        blind.Metadata.Labels["a"] = "1";

        var updated = await Store.UpdateAsync(blind, Token).DefaultTimeout();

        Assert.Equal("2", updated.Metadata.ResourceVersion);
        Assert.Equal("1", updated.Metadata.Labels["a"]);
    }

    [Fact]
    public async Task UpdateAsync_Missing_ThrowsNotFound()
    {
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.UpdateAsync(NewNode("n1"), Token).DefaultTimeout());
        Assert.Equal(0, Store.Revision);
    }

    [Fact]
    public async Task UpdateAsync_KeepsUidAndCreationTimestamp()
    {
        var created = await Store.CreateAsync(NewNode("n1"), Token).DefaultTimeout();
        var changed = created.Clone();
        changed.Metadata.Uid = "forged";
        changed.Metadata.CreationTimestamp = Timestamp.FromDateTimeOffset(Epoch.AddYears(-1));
        changed.Metadata.Labels["a"] = "1";

        var updated = await Store.UpdateAsync(changed, Token).DefaultTimeout();

        Assert.Equal(created.Metadata.Uid, updated.Metadata.Uid);
        Assert.Equal(created.Metadata.CreationTimestamp, updated.Metadata.CreationTimestamp);
    }

    [Fact]
    public async Task UpdateAsync_SpecChange_BumpsGeneration()
    {
        var created = await Store.CreateAsync(DaemonSet(), Token).DefaultTimeout();
        var changed = created.Clone();
        changed.Spec.Template.Spec.Containers[0].Image = "busybox:1.37";

        var updated = await Store.UpdateAsync(changed, Token).DefaultTimeout();

        Assert.Equal(2, updated.Metadata.Generation);
    }

    [Fact]
    public async Task UpdateAsync_LabelOrStatusOnlyChange_KeepsGeneration()
    {
        var created = await Store.CreateAsync(DaemonSet(), Token).DefaultTimeout();
        var relabelled = created.Clone();
        relabelled.Metadata.Labels["team"] = "infra";
        var afterLabel = await Store.UpdateAsync(relabelled, Token).DefaultTimeout();
        var withStatus = afterLabel.Clone();
        withStatus.Status = new DaemonSetStatus { DesiredNumberScheduled = 3 };

        var afterStatus = await Store.UpdateAsync(withStatus, Token).DefaultTimeout();

        Assert.Equal(1, afterLabel.Metadata.Generation);
        Assert.Equal(1, afterStatus.Metadata.Generation);
        Assert.Equal(3, Store.Revision);
    }

    [Fact]
    public async Task UpdateAsync_GenerationFromCaller_IsIgnored()
    {
        var created = await Store.CreateAsync(DaemonSet(), Token).DefaultTimeout();
        var changed = created.Clone();
        changed.Metadata.Generation = 99;
        changed.Metadata.Labels["x"] = "y";

        Assert.Equal(1, (await Store.UpdateAsync(changed, Token).DefaultTimeout()).Metadata.Generation);
    }

    [Fact]
    public async Task UpdateAsync_Identical_WritesNothing()
    {
        var created = await Store.CreateAsync(NewNode("n1"), Token).DefaultTimeout();
        using var subscription = Store.Subscribe();

        var result = await Store.UpdateAsync(created.Clone(), Token).DefaultTimeout();

        Assert.Same(created, result);
        Assert.Equal(1, Store.Revision);
        Assert.False(subscription.Events.TryRead(out _));
    }

    [Fact]
    public async Task MutateAsync_ReturningFalse_WritesNothing()
    {
        var created = await Store.CreateAsync(NewNode("n1"), Token).DefaultTimeout();
        using var subscription = Store.Subscribe();

        var result = await Store.MutateAsync<Node>("", "n1", n =>
        {
            n.Metadata.Labels["ignored"] = "because false";
            return false;
        }, Token).DefaultTimeout();

        Assert.Same(created, result);
        Assert.Equal(1, Store.Revision);
        Assert.Empty(Store.Get<Node>("", "n1")!.Metadata.Labels);
        Assert.Equal([1], _harness.Backend.BatchSizes);
        Assert.False(subscription.Events.TryRead(out _));
    }

    [Fact]
    public async Task MutateAsync_Missing_ReturnsNullWithoutCalling()
    {
        var called = false;

        var result = await Store.MutateAsync<Node>("", "nope", _ => called = true, Token).DefaultTimeout();

        Assert.Null(result);
        Assert.False(called);
        Assert.Equal(0, Store.Revision);
    }

    [Fact]
    public async Task MutateAsync_Change_GetsACopyOfTheLatestAndKeepsIdentity()
    {
        var created = await Store.CreateAsync(DaemonSet(), Token).DefaultTimeout();

        var mutated = await Store.MutateAsync<DaemonSet>("default", "agent", d =>
        {
            Assert.NotSame(created, d);
            d.Metadata.Uid = "forged";
            d.Spec.MinReadySeconds = 5;
            return true;
        }, Token).DefaultTimeout();

        Assert.NotNull(mutated);
        Assert.Equal(created.Metadata.Uid, mutated.Metadata.Uid);
        Assert.Equal(2, mutated.Metadata.Generation);
        Assert.Equal("2", mutated.Metadata.ResourceVersion);
        Assert.False(created.Spec.HasMinReadySeconds);
    }

    [Fact]
    public async Task MutateAsync_ConcurrentIncrements_NoneLost()
    {
        await Store.CreateAsync(NewNode("n1"), Token).DefaultTimeout();

        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Store.MutateAsync<Node>("", "n1", n =>
        {
            var count = n.Metadata.Labels.TryGetValue("count", out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : 0;
            n.Metadata.Labels["count"] = (count + 1).ToString(CultureInfo.InvariantCulture);
            return true;
        }, Token))).DefaultTimeout();

        Assert.Equal("100", Store.Get<Node>("", "n1")!.Metadata.Labels["count"]);
        Assert.Equal(101, Store.Revision);
    }

    [Fact]
    public async Task DeleteAsync_WrongUid_DoesNothingAndReturnsNull()
    {
        var node = await Store.CreateAsync(NewNode("n1"), Token).DefaultTimeout();
        using var subscription = Store.Subscribe();

        var deleted = await Store.DeleteAsync<Node>("", "n1", "some-other-uid", Token).DefaultTimeout();

        Assert.Null(deleted);
        Assert.Same(node, Store.Get<Node>("", "n1"));
        Assert.Equal(1, Store.Revision);
        Assert.False(subscription.Events.TryRead(out _));
    }

    [Fact]
    public async Task DeleteAsync_MatchingOrNoUid_DeletesAndReturnsLastState()
    {
        var n1 = await Store.CreateAsync(NewNode("n1"), Token).DefaultTimeout();
        var n2 = await Store.CreateAsync(NewNode("n2"), Token).DefaultTimeout();

        var deleted1 = await Store.DeleteAsync<Node>("", "n1", n1.Metadata.Uid, Token).DefaultTimeout();
        var deleted2 = await Store.DeleteAsync<Node>("", "n2", null, Token).DefaultTimeout();

        Assert.Same(n1, deleted1);
        Assert.Same(n2, deleted2);
        Assert.Empty(Store.List<Node>());
        Assert.Equal(4, Store.Revision);
    }

    [Fact]
    public async Task DeleteAsync_Missing_ReturnsNullAndWritesNothing()
    {
        Assert.Null(await Store.DeleteAsync<Node>("", "n1", null, Token).DefaultTimeout());
        Assert.Equal(0, Store.Revision);
        Assert.Empty(_harness.Backend.BatchSizes);
    }

    [Fact]
    public async Task Subscribe_ReceivesEveryChangeInRevisionOrder()
    {
        using var subscription = Store.Subscribe();
        var created = await Store.CreateAsync(NewNode("n1"), Token).DefaultTimeout();
        var labelled = await Store.MutateAsync<Node>("", "n1", n => n.Metadata.Labels.TryAdd("a", "1"), Token).DefaultTimeout();
        await Store.DeleteAsync<Node>("", "n1", null, Token).DefaultTimeout();

        var added = await NextAsync(subscription);
        var modified = await NextAsync(subscription);
        var deleted = await NextAsync(subscription);

        Assert.Equal((StoreEventType.Added, 1L, null), (added.Type, added.Revision, added.Previous));
        Assert.Same(created, added.Object);
        Assert.Equal((StoreEventType.Modified, 2L), (modified.Type, modified.Revision));
        Assert.Same(labelled, modified.Object);
        Assert.Same(created, modified.Previous);
        Assert.Equal((StoreEventType.Deleted, 3L), (deleted.Type, deleted.Revision));
        Assert.Same(labelled, deleted.Object);
    }

    [Fact]
    public async Task Subscribe_ConcurrentWriters_EventsStrictlyIncreasing()
    {
        using var subscription = Store.Subscribe();

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Store.CreateAsync(NewNode($"n{i}"), Token))).DefaultTimeout();

        var revisions = new List<long>();
        for (var i = 0; i < 200; i++)
        {
            revisions.Add((await NextAsync(subscription)).Revision);
        }

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), revisions);
    }

    [Fact]
    public async Task Subscribe_AfterRevision_ReplaysMissedChangesThenLiveOnes()
    {
        await Store.CreateAsync(NewNode("n1"), Token).DefaultTimeout();
        await Store.CreateAsync(NewNode("n2"), Token).DefaultTimeout();
        await Store.CreateAsync(NewNode("n3"), Token).DefaultTimeout();

        using var subscription = Store.Subscribe(afterRevision: 1);
        await Store.CreateAsync(NewNode("n4"), Token).DefaultTimeout();

        var names = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            names.Add((await NextAsync(subscription)).Object.Metadata.Name);
        }

        Assert.Equal(["n2", "n3", "n4"], names);
    }

    [Fact]
    public async Task Subscribe_AfterZero_ReplaysEverything()
    {
        await Store.CreateAsync(NewNode("n1"), Token).DefaultTimeout();

        using var subscription = Store.Subscribe(afterRevision: 0);

        Assert.Equal(1, (await NextAsync(subscription)).Revision);
    }

    [Fact]
    public async Task Subscribe_AfterCurrentRevision_ReplaysNothing()
    {
        await Store.CreateAsync(NewNode("n1"), Token).DefaultTimeout();

        using var subscription = Store.Subscribe(afterRevision: Store.Revision);

        Assert.False(subscription.Events.TryRead(out _));
        await Store.CreateAsync(NewNode("n2"), Token).DefaultTimeout();
        Assert.Equal(2, (await NextAsync(subscription)).Revision);
    }

    [Fact]
    public async Task Subscribe_RevisionOlderThanHistory_ThrowsRevisionTooOld()
    {
        // A store reopened at revision 5 remembers no events, so nothing before it can be replayed.
        var backend = new InMemoryStorageBackend(revision: 5);
        await using var reopened = new StoreHarness(backend);

        var ex = Assert.Throws<RevisionTooOldException>(() => reopened.Store.Subscribe(afterRevision: 3));

        Assert.Contains("too old resource version: 3", ex.Message, StringComparison.Ordinal);
        using var fromNow = reopened.Store.Subscribe(afterRevision: 5);
    }

    [Fact]
    public async Task Subscribe_Disposed_StopsReceiving()
    {
        var subscription = Store.Subscribe();
        subscription.Dispose();

        await Store.CreateAsync(NewNode("n1"), Token).DefaultTimeout();

        Assert.False(subscription.Events.TryRead(out _));
        Assert.True(subscription.Events.Completion.IsCompleted);
    }

    [Fact]
    public async Task SnapshotAndSubscribe_SnapshotThenChangesAfterIt()
    {
        await Store.CreateAsync(Pod("a", "n1"), Token).DefaultTimeout();
        await Store.CreateAsync(NewNode("n1"), Token).DefaultTimeout();

        var (snapshot, revision, subscription) = Store.SnapshotAndSubscribe(ResourceKind.Pod);
        using (subscription)
        {
            await Store.CreateAsync(Pod("b", "n1"), Token).DefaultTimeout();

            Assert.Equal("a", Assert.Single(snapshot).Metadata.Name);
            Assert.Equal(2, revision);
            var next = await NextAsync(subscription);
            Assert.Equal((3L, "b"), (next.Revision, next.Object.Metadata.Name));
        }
    }

    [Fact]
    public async Task Commit_Fails_CallerGetsStoreUnavailableAndNothingChanges()
    {
        var node = await Store.CreateAsync(NewNode("n1"), Token).DefaultTimeout();
        using var subscription = Store.Subscribe();
        _harness.Backend.FailCommits = true;

        var create = await Assert.ThrowsAsync<StoreUnavailableException>(() => Store.CreateAsync(NewNode("n2"), Token).DefaultTimeout());
        await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            Store.MutateAsync<Node>("", "n1", n => n.Metadata.Labels.TryAdd("a", "1"), Token).DefaultTimeout());
        await Assert.ThrowsAsync<StoreUnavailableException>(() => Store.DeleteAsync<Node>("", "n1", null, Token).DefaultTimeout());

        Assert.IsType<IOException>(create.InnerException);
        Assert.Equal(1, Store.Revision);
        Assert.Null(Store.Get<Node>("", "n2"));
        Assert.Same(node, Store.Get<Node>("", "n1"));
        Assert.False(subscription.Events.TryRead(out _));

        _harness.Backend.FailCommits = false;
        var later = await Store.CreateAsync(NewNode("n2"), Token).DefaultTimeout();

        Assert.Equal("2", later.Metadata.ResourceVersion);
        Assert.Equal(2, Store.Revision);
        Assert.Equal(2, _harness.Backend.CommittedRevision);
        var e = await NextAsync(subscription);
        Assert.Equal((StoreEventType.Added, 2L, "n2"), (e.Type, e.Revision, e.Object.Metadata.Name));
    }

    [Fact]
    public async Task Commit_HeldWhileMoreWritesArrive_QueuedWritesShareOneBatch()
    {
        var entered = _harness.Backend.HoldCommits();
        var first = Store.CreateAsync(NewNode("first"), Token);
        await entered.DefaultTimeout();

        var rest = Enumerable.Range(0, 9).Select(i => Store.CreateAsync(NewNode($"n{i}"), Token)).ToList();
        _harness.Backend.ReleaseCommits();
        await Task.WhenAll([first, .. rest]).DefaultTimeout();

        Assert.Equal([1, 9], _harness.Backend.BatchSizes);
        Assert.Equal(10, Store.Revision);
        Assert.Equal(Enumerable.Range(2, 9).Select(i => i.ToString(CultureInfo.InvariantCulture)), rest.Select(t => t.Result.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Commit_FailureWithQueuedWrites_FailsTheWholeBatch()
    {
        var entered = _harness.Backend.HoldCommits();
        var first = Store.CreateAsync(NewNode("first"), Token);
        await entered.DefaultTimeout();
        var queued = Enumerable.Range(0, 3).Select(i => Store.CreateAsync(NewNode($"n{i}"), Token)).ToList();
        _harness.Backend.FailCommits = true;
        _harness.Backend.ReleaseCommits();

        await Assert.ThrowsAsync<StoreUnavailableException>(() => first.DefaultTimeout());
        foreach (var write in queued)
        {
            await Assert.ThrowsAsync<StoreUnavailableException>(() => write.DefaultTimeout());
        }

        Assert.Equal(0, Store.Revision);
        Assert.Empty(Store.List<Node>());
    }

    [Fact]
    public async Task Batch_WritesToOneKey_SeeEachOther()
    {
        var entered = _harness.Backend.HoldCommits();
        var blocker = Store.CreateAsync(NewNode("blocker"), Token);
        await entered.DefaultTimeout();
        var create = Store.CreateAsync(NewNode("n1"), Token);
        var duplicate = Store.CreateAsync(NewNode("n1"), Token);
        var mutate = Store.MutateAsync<Node>("", "n1", n => n.Metadata.Labels.TryAdd("a", "1"), Token);
        var delete = Store.DeleteAsync<Node>("", "n1", null, Token);
        var recreate = Store.CreateAsync(NewNode("n1"), Token);
        _harness.Backend.ReleaseCommits();

        await blocker.DefaultTimeout();
        await create.DefaultTimeout();
        await Assert.ThrowsAsync<ObjectAlreadyExistsException>(() => duplicate.DefaultTimeout());
        Assert.Equal("1", (await mutate.DefaultTimeout())!.Metadata.Labels["a"]);
        Assert.NotNull(await delete.DefaultTimeout());
        var final = await recreate.DefaultTimeout();

        Assert.Empty(final.Metadata.Labels);
        Assert.Same(final, Store.Get<Node>("", "n1"));
        Assert.Equal(5, Store.Revision);
        Assert.Equal([1, 4], _harness.Backend.BatchSizes);
    }

    [Fact]
    public async Task CreateAsync_FiveHundredConcurrent_AllSucceedWithDistinctRevisions()
    {
        var writes = Enumerable.Range(0, 500).Select(i => Store.CreateAsync(Pod($"p{i}", $"n{i % 7}"), Token)).ToList();

        var created = await Task.WhenAll(writes).DefaultTimeout();

        Assert.Equal(500, created.Select(p => p.Metadata.ResourceVersion).Distinct().Count());
        Assert.Equal(500, created.Select(p => p.Metadata.Uid).Distinct().Count());
        Assert.Equal(500, Store.Revision);
        Assert.Equal(500, Store.List<Pod>().Count);
        Assert.Equal(500, _harness.Backend.ObjectCount);
        Assert.Equal(500, _harness.Backend.BatchSizes.Sum());
    }

    [Fact]
    public async Task PodIndexes_CreatesUpdatesDeletes_FollowTheLatestState()
    {
        await Store.CreateAsync(Pod("a", "n1", ownerUid: "ds-1"), Token).DefaultTimeout();
        await Store.CreateAsync(Pod("b", "n1", ownerUid: "ds-2"), Token).DefaultTimeout();
        await Store.CreateAsync(Pod("c", "", ownerUid: "ds-1"), Token).DefaultTimeout();
        await Store.CreateAsync(Pod("d", "n2"), Token).DefaultTimeout();

        Assert.Equal(["a", "b"], Names(Store.PodsOnNode("n1")));
        Assert.Equal(["a", "c"], Names(Store.PodsControlledBy("ds-1")));
        Assert.Empty(Store.PodsOnNode(""));
        Assert.Empty(Store.PodsOnNode("n9"));

        // Moving a pod to another node and to another owner moves it in both indexes.
        await Store.MutateAsync<Pod>("default", "a", p =>
        {
            p.Spec.NodeName = "n2";
            p.Metadata.OwnerReferences[0].Uid = "ds-2";
            return true;
        }, Token).DefaultTimeout();
        Assert.Equal(["b"], Names(Store.PodsOnNode("n1")));
        Assert.Equal(["a", "d"], Names(Store.PodsOnNode("n2")));
        Assert.Equal(["c"], Names(Store.PodsControlledBy("ds-1")));
        Assert.Equal(["a", "b"], Names(Store.PodsControlledBy("ds-2")));

        // Indexes hold the latest version of the pod.
        await Store.MutateAsync<Pod>("default", "b", p => p.Metadata.Labels.TryAdd("v", "2"), Token).DefaultTimeout();
        Assert.Equal("2", Store.PodsOnNode("n1").Single().Metadata.Labels["v"]);

        // Losing the controller reference (orphaning) drops the pod from the owner index.
        await Store.MutateAsync<Pod>("default", "b", p =>
        {
            p.Metadata.OwnerReferences.Clear();
            return true;
        }, Token).DefaultTimeout();
        Assert.Equal(["a"], Names(Store.PodsControlledBy("ds-2")));

        await Store.DeleteAsync<Pod>("default", "a", null, Token).DefaultTimeout();
        Assert.Equal(["d"], Names(Store.PodsOnNode("n2")));
        Assert.Empty(Store.PodsControlledBy("ds-2"));
    }

    [Fact]
    public async Task PodIndexes_OwnerReferenceNotController_IsNotIndexed()
    {
        var pod = Pod("a", "n1", ownerUid: "ds-1");
        pod.Metadata.OwnerReferences[0].Controller = false;

        await Store.CreateAsync(pod, Token).DefaultTimeout();

        Assert.Empty(Store.PodsControlledBy("ds-1"));
    }

    [Fact]
    public async Task DisposeAsync_CompletesSubscribersDisposesBackendAndRefusesWrites()
    {
        var backend = new InMemoryStorageBackend();
        var harness = new StoreHarness(backend);
        var subscription = harness.Store.Subscribe();
        await harness.Store.CreateAsync(NewNode("n1"), Token).DefaultTimeout();

        await harness.DisposeAsync().AsTask().DefaultTimeout();

        Assert.True(backend.IsDisposed);
        Assert.True(subscription.Events.TryRead(out _));
        await subscription.Events.Completion.DefaultTimeout();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => harness.Store.CreateAsync(NewNode("n2"), Token));
    }

    [Fact]
    public async Task CreateAsync_CallerCancels_StopsWaitingButTheWriteStillCommits()
    {
        var entered = _harness.Backend.HoldCommits();
        using var cts = new CancellationTokenSource();
        var write = Store.CreateAsync(NewNode("n1"), cts.Token);
        await entered.DefaultTimeout();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write.DefaultTimeout());
        _harness.Backend.ReleaseCommits();

        await AsyncTestHelpers.WaitUntilAsync(() => Store.Get<Node>("", "n1") is not null, "the cancelled write to commit");
        Assert.Equal(1, Store.Revision);
    }

    [Fact]
    public async Task Constructor_LoadsBackendState()
    {
        var seed = new StoreHarness();
        await seed.Store.CreateAsync(Pod("a", "n1", ownerUid: "ds-1"), Token).DefaultTimeout();
        await seed.Store.CreateAsync(NewNode("n1"), Token).DefaultTimeout();
        await seed.DisposeAsync();

        await using var loaded = new StoreHarness(new InMemoryStorageBackend(seed.Backend.CommittedRevision, seed.Backend.Load().Objects));

        Assert.Equal(2, loaded.Store.Revision);
        Assert.Equal(["a"], Names(loaded.Store.PodsOnNode("n1")));
        Assert.Equal(["a"], Names(loaded.Store.PodsControlledBy("ds-1")));
        Assert.NotNull(loaded.Store.Get<Node>("", "n1"));
    }

    [Fact]
    public async Task SqliteBackend_Reopen_RestoresEveryObjectAndTheRevisionCounter()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("data", "store.db");
        var time = new FakeTimeProvider(Epoch);
        string dsUid;
        await using (var store = new ObjectStore(new SqliteStorageBackend(path), time, _harness.Lifetime, NullLogger<ObjectStore>.Instance, detectMutations: true))
        {
            dsUid = (await store.CreateAsync(DaemonSet(), Token).DefaultTimeout()).Metadata.Uid;
            await store.CreateAsync(NewNode("n1"), Token).DefaultTimeout();
            await store.CreateAsync(NewNode("n2"), Token).DefaultTimeout();
            await store.CreateAsync(Pod("p1", "n1", ownerUid: dsUid), Token).DefaultTimeout();
            await store.CreateAsync(Pod("p2", "n2", ownerUid: dsUid), Token).DefaultTimeout();
            await store.MutateAsync<Node>("", "n1", n => n.Metadata.Labels.TryAdd("disk", "ssd"), Token).DefaultTimeout();
            await store.DeleteAsync<Node>("", "n2", null, Token).DefaultTimeout();

            // The newest change is a deletion: the counter must still come back at 8, not at the highest stored row.
            await store.DeleteAsync<Pod>("default", "p2", null, Token).DefaultTimeout();
            Assert.Equal(8, store.Revision);
        }

        await using (var reopened = new ObjectStore(new SqliteStorageBackend(path), time, _harness.Lifetime, NullLogger<ObjectStore>.Instance, detectMutations: true))
        {
            Assert.Equal(8, reopened.Revision);
            var ds = reopened.Get<DaemonSet>("default", "agent");
            Assert.NotNull(ds);
            Assert.Equal(dsUid, ds.Metadata.Uid);
            Assert.Equal("1", ds.Metadata.ResourceVersion);
            Assert.Equal(Timestamp.FromDateTimeOffset(Epoch), ds.Metadata.CreationTimestamp);
            Assert.Equal(DaemonSet().Spec, ds.Spec);
            var n1 = reopened.Get<Node>("", "n1");
            Assert.NotNull(n1);
            Assert.Equal("ssd", n1.Metadata.Labels["disk"]);
            Assert.Equal("6", n1.Metadata.ResourceVersion);
            Assert.Null(reopened.Get<Node>("", "n2"));
            Assert.Equal(["p1"], Names(reopened.List<Pod>()));
            Assert.Equal(["p1"], Names(reopened.PodsOnNode("n1")));
            Assert.Equal(["p1"], Names(reopened.PodsControlledBy(dsUid)));
            Assert.Throws<RevisionTooOldException>(() => reopened.Subscribe(afterRevision: 7));

            var next = await reopened.CreateAsync(NewNode("n3"), Token).DefaultTimeout();
            Assert.Equal("9", next.Metadata.ResourceVersion);
        }

        await using var third = new ObjectStore(new SqliteStorageBackend(path), time, _harness.Lifetime, NullLogger<ObjectStore>.Instance, detectMutations: true);
        Assert.Equal(9, third.Revision);
        Assert.Equal(["n1", "n3"], Names(third.List<Node>()));
    }

    [Fact]
    public async Task SqliteBackend_ConcurrentCreates_AllDurable()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("store.db");
        var time = new FakeTimeProvider(Epoch);
        await using (var store = new ObjectStore(new SqliteStorageBackend(path), time, _harness.Lifetime, NullLogger<ObjectStore>.Instance, detectMutations: true))
        {
            await Task.WhenAll(Enumerable.Range(0, 200).Select(i => store.CreateAsync(Pod($"p{i}", "n1"), Token))).DefaultTimeout();
        }

        using var backend = new SqliteStorageBackend(path);
        var state = backend.Load();
        Assert.Equal(200, state.Revision);
        Assert.Equal(200, state.Objects.Count);
        Assert.Equal(200, state.Objects.Select(o => o.Revision).Distinct().Count());
    }

    private static string[] Names<T>(IEnumerable<T> objects)
        where T : Model.Objects.IKubeObject =>
        [.. objects.Select(o => o.Metadata.Name).Order(StringComparer.Ordinal)];
}
