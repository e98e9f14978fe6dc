using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Nodes;

public sealed class NodeAssignmentHubTests : IAsyncLifetime
{
    private readonly NodeAssignmentHubHarness _harness = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private Task StartAsync() => _harness.StartAsync();

    private static Pod RunningPod(string name, string node)
    {
        var pod = Pod(name, node);
        pod.Status = new PodStatus { Phase = "Running", PodIp = "10.0.0.1" };
        return pod;
    }

    private Task<Pod> CreateAsync(string name, string node) => _harness.Store.CreateAsync(RunningPod(name, node), Token).DefaultTimeout();

    private static long Revision(Pod pod) => long.Parse(pod.Metadata.ResourceVersion, CultureInfo.InvariantCulture);

    private static string Describe(PodChange change) => change.ChangeCase == PodChange.ChangeOneofCase.Upserted
        ? "+" + change.Upserted.Metadata.Name
        : "-" + change.Deleted.Name;

    [Fact]
    public async Task Watch_FirstMessage_IsSnapshotOfTheNodesPodsWithoutStatus()
    {
        var a = await CreateAsync("a", "n1");
        await CreateAsync("b", "n1");
        await CreateAsync("c", "n2");
        await CreateAsync("unscheduled", "");
        await StartAsync();

        await using var watch = new HubWatch(_harness.Hub, "n1");
        var snapshot = await watch.SnapshotAsync();

        Assert.Equal(["a", "b"], snapshot.Pods.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.All(snapshot.Pods, p => Assert.Null(p.Status));
        Assert.Equal(4, snapshot.Revision);
        var view = snapshot.Pods.Single(p => p.Metadata.Name == "a");
        Assert.Equal(a.Metadata.Uid, view.Metadata.Uid);
        Assert.Equal(a.Spec, view.Spec);

        // The stored pod keeps its status: the view is a copy.
        Assert.NotNull(_harness.Store.Get<Pod>("default", "a")!.Status);
    }

    [Fact]
    public async Task Watch_NodeWithoutPods_GetsEmptySnapshot()
    {
        await CreateAsync("a", "n1");
        await StartAsync();

        await using var watch = new HubWatch(_harness.Hub, "n9");
        var snapshot = await watch.SnapshotAsync();

        Assert.Empty(snapshot.Pods);
        Assert.Equal(1, snapshot.Revision);
    }

    [Fact]
    public async Task Watch_NewPodOnNode_ArrivesAsAChangeWithoutStatus()
    {
        await StartAsync();
        await using var watch = new HubWatch(_harness.Hub, "n1");
        await watch.SnapshotAsync();

        var created = await CreateAsync("a", "n1");
        var changes = await watch.ChangesAsync();

        var change = Assert.Single(changes.Changes);
        Assert.Equal(PodChange.ChangeOneofCase.Upserted, change.ChangeCase);
        Assert.Equal(created.Metadata.Uid, change.Upserted.Metadata.Uid);
        Assert.Null(change.Upserted.Status);
        Assert.Equal(Revision(created), changes.Revision);
    }

    [Fact]
    public async Task Watch_StatusOnlyUpdate_IsNotSent()
    {
        await CreateAsync("a", "n1");
        await StartAsync();
        await using var watch = new HubWatch(_harness.Hub, "n1");
        Assert.Single((await watch.SnapshotAsync()).Pods);

        await _harness.Store.MutateAsync<Pod>("default", "a", p =>
        {
            p.Status.Conditions.Add(new PodCondition { Type = "Ready", Status = "True" });
            return true;
        }, Token).DefaultTimeout();
        var marker = await CreateAsync("marker", "n1");

        var changes = await watch.ChangesAsync();
        Assert.Equal(["+marker"], changes.Changes.Select(Describe));
        Assert.Equal(Revision(marker), changes.Revision);
    }

    [Fact]
    public async Task Watch_AgentVisibleUpdates_AreSent()
    {
        await CreateAsync("a", "n1");
        await StartAsync();
        await using var watch = new HubWatch(_harness.Hub, "n1");
        Assert.Single((await watch.SnapshotAsync()).Pods);

        await _harness.Store.MutateAsync<Pod>("default", "a", p => p.Metadata.Labels.TryAdd("v", "2"), Token).DefaultTimeout();
        var labelled = await watch.ChangesAsync();
        var terminating = await _harness.Store.MutateAsync<Pod>("default", "a", p =>
        {
            p.Metadata.DeletionTimestamp = Timestamp.FromDateTimeOffset(Epoch);
            p.Metadata.DeletionGracePeriodSeconds = 30;
            return true;
        }, Token).DefaultTimeout();
        var marked = await watch.ChangesAsync();
        await _harness.Store.MutateAsync<Pod>("default", "a", p =>
        {
            p.Metadata.DeletionGracePeriodSeconds = 0;
            return true;
        }, Token).DefaultTimeout();
        var shortened = await watch.ChangesAsync();

        Assert.Equal("2", Assert.Single(labelled.Changes).Upserted.Metadata.Labels["v"]);
        Assert.Equal(terminating!.Metadata.DeletionTimestamp, Assert.Single(marked.Changes).Upserted.Metadata.DeletionTimestamp);
        Assert.Equal(0, Assert.Single(shortened.Changes).Upserted.Metadata.DeletionGracePeriodSeconds);
    }

    [Fact]
    public async Task Watch_Deletion_IsSentWithTheKeyAndUid()
    {
        var pod = await CreateAsync("a", "n1");
        await StartAsync();
        await using var watch = new HubWatch(_harness.Hub, "n1");
        Assert.Single((await watch.SnapshotAsync()).Pods);

        await _harness.Store.DeleteAsync<Pod>("default", "a", null, Token).DefaultTimeout();
        var change = Assert.Single((await watch.ChangesAsync()).Changes);

        Assert.Equal(PodChange.ChangeOneofCase.Deleted, change.ChangeCase);
        Assert.Equal(new PodKey { Namespace = "default", Name = "a", Uid = pod.Metadata.Uid }, change.Deleted);
        await using var fresh = new HubWatch(_harness.Hub, "n1");
        Assert.Empty((await fresh.SnapshotAsync()).Pods);
    }

    [Fact]
    public async Task Watch_OtherNodesPods_NeverAppear()
    {
        await CreateAsync("other-before", "n2");
        await StartAsync();
        await using var watch = new HubWatch(_harness.Hub, "n1");
        Assert.Empty((await watch.SnapshotAsync()).Pods);

        await CreateAsync("other", "n2");
        await _harness.Store.MutateAsync<Pod>("default", "other", p => p.Metadata.Labels.TryAdd("x", "y"), Token).DefaultTimeout();
        await _harness.Store.DeleteAsync<Pod>("default", "other-before", null, Token).DefaultTimeout();
        await _harness.Store.CreateAsync(Node("n1"), Token).DefaultTimeout();
        var marker = await CreateAsync("marker", "n1");

        var changes = await watch.ChangesAsync();
        Assert.Equal(["+marker"], changes.Changes.Select(Describe));
        Assert.Equal(Revision(marker), changes.Revision);
    }

    [Fact]
    public async Task Watch_PodMovesToAnotherNode_DeletedOnOldUpsertedOnNew()
    {
        await CreateAsync("a", "n1");
        await StartAsync();
        await using var n1 = new HubWatch(_harness.Hub, "n1");
        await using var n2 = new HubWatch(_harness.Hub, "n2");
        Assert.Single((await n1.SnapshotAsync()).Pods);
        Assert.Empty((await n2.SnapshotAsync()).Pods);

        await _harness.Store.MutateAsync<Pod>("default", "a", p =>
        {
            p.Spec.NodeName = "n2";
            return true;
        }, Token).DefaultTimeout();

        Assert.Equal(["-a"], (await n1.ChangesAsync()).Changes.Select(Describe));
        Assert.Equal(["+a"], (await n2.ChangesAsync()).Changes.Select(Describe));
    }

    [Fact]
    public async Task Watch_ResumeFromLastSeenRevision_SendsOnlyTheMissedChanges()
    {
        await StartAsync();
        await using var probe = new HubWatch(_harness.Hub, "n1");
        await probe.SnapshotAsync();
        long lastSeen;
        await using (var first = new HubWatch(_harness.Hub, "n1"))
        {
            await first.SnapshotAsync();
            await CreateAsync("x", "n1");
            lastSeen = (await first.ChangesAsync()).Revision;
        }

        await CreateAsync("y", "n1");
        await CreateAsync("elsewhere", "n2");
        await _harness.Store.MutateAsync<Pod>("default", "y", p =>
        {
            p.Status.Phase = "Running";
            p.Status.Message = "status only";
            return true;
        }, Token).DefaultTimeout();
        await _harness.Store.DeleteAsync<Pod>("default", "x", null, Token).DefaultTimeout();
        await probe.ChangesThroughAsync(_harness.Store.Revision);

        await using var resumed = new HubWatch(_harness.Hub, "n1", lastSeen);
        var changes = await resumed.ChangesAsync();

        Assert.Equal(["+y", "-x"], changes.Changes.Select(Describe));
        Assert.Equal(_harness.Store.Revision, changes.Revision);

        // And it goes on live.
        await CreateAsync("z", "n1");
        Assert.Equal(["+z"], (await resumed.ChangesAsync()).Changes.Select(Describe));
    }

    [Fact]
    public async Task Watch_ResumeUpToDate_GetsEmptyChanges()
    {
        await CreateAsync("a", "n1");
        await StartAsync();
        await using var probe = new HubWatch(_harness.Hub, "n1");
        var snapshot = await probe.SnapshotAsync();

        await using var resumed = new HubWatch(_harness.Hub, "n1", snapshot.Revision);
        var changes = await resumed.ChangesAsync();

        Assert.Empty(changes.Changes);
        Assert.Equal(snapshot.Revision, changes.Revision);
    }

    [Fact]
    public async Task Watch_ResumeOlderThanTheNodesLog_GetsAFreshSnapshot()
    {
        await StartAsync();
        await using var probe = new HubWatch(_harness.Hub, "n1");
        await probe.SnapshotAsync();
        var pod = await CreateAsync("a", "n1");
        var firstRevision = Revision(pod);
        for (var i = 0; i < 130; i++)
        {
            var value = i.ToString(CultureInfo.InvariantCulture);
            await _harness.Store.MutateAsync<Pod>("default", "a", p =>
            {
                p.Metadata.Labels["i"] = value;
                return true;
            }, Token).DefaultTimeout();
        }

        var last = _harness.Store.Revision;
        Assert.Equal(131, (await probe.ChangesThroughAsync(last)).Count);

        await using (var tooOld = new HubWatch(_harness.Hub, "n1", firstRevision))
        {
            var snapshot = await tooOld.SnapshotAsync();
            Assert.Equal("129", Assert.Single(snapshot.Pods).Metadata.Labels["i"]);
            Assert.Equal(last, snapshot.Revision);
        }

        await using var recent = new HubWatch(_harness.Hub, "n1", last - 5);
        var changes = await recent.ChangesAsync();
        Assert.Equal(5, changes.Changes.Count);
        Assert.Equal("129", changes.Changes[^1].Upserted.Metadata.Labels["i"]);
    }

    [Fact]
    public async Task Watch_ResumeAfterHubRestartFromBeforeIt_GetsASnapshot()
    {
        await CreateAsync("a", "n1");
        await CreateAsync("b", "n1");
        await StartAsync();

        await using var resumed = new HubWatch(_harness.Hub, "n1", resumeRevision: 1);

        Assert.Equal(2, (await resumed.SnapshotAsync()).Pods.Count);
    }

    [Fact]
    public async Task Watch_ResumeFromARevisionTheHubNeverReached_GetsASnapshot()
    {
        await CreateAsync("a", "n1");
        await StartAsync();

        await using var resumed = new HubWatch(_harness.Hub, "n1", resumeRevision: 500);

        Assert.Single((await resumed.SnapshotAsync()).Pods);
    }

    [Fact]
    public async Task Watch_Disposed_StopsCountingAsAWatcher()
    {
        await StartAsync();
        var watch = new HubWatch(_harness.Hub, "n1");
        await watch.SnapshotAsync();
        Assert.Equal(1, _harness.Hub.WatcherCount);

        await watch.DisposeAsync();

        Assert.Equal(0, _harness.Hub.WatcherCount);
    }

    [Fact]
    public async Task Watch_BeforeTheHubStarts_WaitsForItsFirstSnapshot()
    {
        await CreateAsync("a", "n1");
        await using var watch = new HubWatch(_harness.Hub, "n1");
        var first = watch.NextAsync();

        await StartAsync();

        Assert.Single((await first).Snapshot.Pods);
    }
}
