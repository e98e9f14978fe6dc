using Google.Protobuf.WellKnownTypes;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

public sealed class DaemonSetControllerTests : IAsyncLifetime
{
    private readonly DaemonSetControllerHarness _harness = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private async Task<DaemonSet> CreateDaemonSetAsync(DaemonSet? ds = null)
    {
        ds ??= DaemonSet(nodeSelector: Labels("disk=ssd"));
        ds.Metadata.Uid = "";
        return await _harness.Store.CreateAsync(ds, Token).DefaultTimeout();
    }

    private Task<Node> CreateNodeAsync(string name, string disk = "ssd") =>
        _harness.Store.CreateAsync(Node(name, Labels("disk=" + disk)), Token).DefaultTimeout();

    private DaemonSet StoredDaemonSet(string name = "agent") => _harness.Store.Get<DaemonSet>("default", name)!;

    private IReadOnlyList<Pod> PodsOf(DaemonSet ds) => _harness.Store.PodsControlledBy(ds.Metadata.Uid);

    private Pod PodOn(DaemonSet ds, string node) => Assert.Single(PodsOf(ds), p => p.Spec.NodeName == node);

    private Task RelabelAsync(string node, string disk) =>
        _harness.Store.MutateAsync<Node>("", node, n =>
        {
            n.Metadata.Labels["disk"] = disk;
            return true;
        }, Token).DefaultTimeout();

    private async Task MarkReadyAsync(Pod pod) =>
        await _harness.Store.MutateAsync<Pod>(pod.Metadata.Namespace, pod.Metadata.Name, p =>
        {
            p.Status = new PodStatus { Phase = "Running" };
            p.Status.Conditions.Add(new PodCondition { Type = "Ready", Status = "True", LastTransitionTime = Timestamp.FromDateTimeOffset(Epoch) });
            return true;
        }, Token).DefaultTimeout();

    /// <summary>What the agent does once a terminating pod's containers are stopped.</summary>
    private Task RemoveAsync(Pod pod) => _harness.Store.DeleteAsync<Pod>(pod.Metadata.Namespace, pod.Metadata.Name, pod.Metadata.Uid, Token).DefaultTimeout();

    [Fact]
    public async Task SyncAsync_MatchingNodes_GetOnePodEachBuiltFromTheTemplate()
    {
        await CreateNodeAsync("n1");
        await CreateNodeAsync("n2");
        await CreateNodeAsync("n3", "hdd");
        var ds = await CreateDaemonSetAsync();

        await _harness.SyncAsync();

        var pods = PodsOf(ds);
        Assert.Equal(["n1", "n2"], pods.Select(p => p.Spec.NodeName).Order(StringComparer.Ordinal));
        Assert.Empty(_harness.Store.PodsOnNode("n3"));
        foreach (var pod in pods)
        {
            Assert.StartsWith("agent-", pod.Metadata.Name, StringComparison.Ordinal);
            Assert.Equal("default", pod.Metadata.Namespace);
            var owner = Assert.Single(pod.Metadata.OwnerReferences);
            Assert.Equal(("apps/v1", "DaemonSet", "agent", ds.Metadata.Uid, true, true),
                (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
            Assert.Equal(PodFactory.TemplateHash(ds), pod.Metadata.Labels[PodFactory.RevisionHashLabel]);
            Assert.Equal("agent", pod.Metadata.Labels["app"]);
            Assert.Equal("busybox:1.36", Assert.Single(pod.Spec.Containers).Image);
            Assert.Equal(["node.kubernetes.io/disk-pressure", "node.kubernetes.io/memory-pressure", "node.kubernetes.io/not-ready",
                "node.kubernetes.io/pid-pressure", "node.kubernetes.io/unreachable", "node.kubernetes.io/unschedulable"],
                pod.Spec.Tolerations.Select(t => t.Key).Order(StringComparer.Ordinal));
            Assert.Equal("Pending", pod.Status.Phase);
        }

        Assert.NotEqual(pods[0].Metadata.Name, pods[1].Metadata.Name);
    }

    [Fact]
    public async Task SyncAsync_AfterCreating_WritesStatus()
    {
        await CreateNodeAsync("n1");
        await CreateNodeAsync("n2");
        await CreateNodeAsync("n3", "hdd");
        var ds = await CreateDaemonSetAsync();

        await _harness.SyncAsync();
        await MarkReadyAsync(PodOn(ds, "n1"));
        await _harness.SyncAsync();

        var status = StoredDaemonSet().Status;
        Assert.Equal(2, status.DesiredNumberScheduled);
        Assert.Equal(2, status.CurrentNumberScheduled);
        Assert.Equal(0, status.NumberMisscheduled);
        Assert.Equal(1, status.NumberReady);
        Assert.Equal(1, status.NumberAvailable);
        Assert.Equal(2, status.UpdatedNumberScheduled);
        Assert.Equal(1, status.NumberUnavailable);
        Assert.Equal(1, status.ObservedGeneration);
        Assert.Equal(1, StoredDaemonSet().Metadata.Generation);
    }

    [Fact]
    public async Task SyncAsync_NothingChanged_WritesNothing()
    {
        await CreateNodeAsync("n1");
        await CreateDaemonSetAsync();
        await _harness.SyncAsync();
        var revision = _harness.Store.Revision;

        await _harness.SyncAsync();

        Assert.Equal(revision, _harness.Store.Revision);
    }

    [Fact]
    public async Task SyncAsync_NodeRelabelled_MarksThePodTerminatingWithTheDefaultGrace()
    {
        await CreateNodeAsync("n1");
        var ds = await CreateDaemonSetAsync();
        await _harness.SyncAsync();
        var pod = PodOn(ds, "n1");
        _harness.Time.Advance(TimeSpan.FromMinutes(1));

        await RelabelAsync("n1", "hdd");
        await _harness.SyncAsync();

        var marked = _harness.Store.Get<Pod>("default", pod.Metadata.Name);
        Assert.NotNull(marked);
        Assert.Equal(Timestamp.FromDateTimeOffset(Epoch.AddMinutes(1)), marked.Metadata.DeletionTimestamp);
        Assert.Equal(30, marked.Metadata.DeletionGracePeriodSeconds);
        Assert.Equal(1, StoredDaemonSet().Status.NumberMisscheduled);
        Assert.Equal(0, StoredDaemonSet().Status.DesiredNumberScheduled);

        // The agent removes it; nothing replaces it.
        await RemoveAsync(marked);
        await _harness.SyncAsync();
        Assert.Empty(PodsOf(ds));
        Assert.Equal(0, StoredDaemonSet().Status.NumberMisscheduled);
    }

    [Fact]
    public async Task SyncAsync_TemplateGracePeriod_IsUsedForTheDeletion()
    {
        await CreateNodeAsync("n1");
        var template = DaemonSet(nodeSelector: Labels("disk=ssd"));
        template.Spec.Template.Spec.TerminationGracePeriodSeconds = 5;
        var ds = await CreateDaemonSetAsync(template);
        await _harness.SyncAsync();

        await RelabelAsync("n1", "hdd");
        await _harness.SyncAsync();

        Assert.Equal(5, PodOn(ds, "n1").Metadata.DeletionGracePeriodSeconds);
    }

    [Fact]
    public async Task SyncAsync_NodeStartsMatching_GetsAPod()
    {
        await CreateNodeAsync("n1", "hdd");
        var ds = await CreateDaemonSetAsync();
        await _harness.SyncAsync();
        Assert.Empty(PodsOf(ds));

        await RelabelAsync("n1", "ssd");
        await _harness.SyncAsync();

        Assert.Single(PodsOf(ds));
    }

    [Fact]
    public async Task SyncAsync_NoScheduleTaintAdded_KeepsThePodAndCountsItMisscheduled()
    {
        await CreateNodeAsync("n1");
        var ds = await CreateDaemonSetAsync();
        await _harness.SyncAsync();

        await _harness.Store.MutateAsync<Node>("", "n1", n =>
        {
            n.Spec.Taints.Add(Taint("maint", "NoSchedule"));
            return true;
        }, Token).DefaultTimeout();
        await _harness.SyncAsync();

        Assert.False(PodOn(ds, "n1").IsTerminating());
        Assert.Equal(1, StoredDaemonSet().Status.NumberMisscheduled);
        Assert.Equal(0, StoredDaemonSet().Status.DesiredNumberScheduled);
    }

    [Fact]
    public async Task SyncAsync_PodDeletedByHand_ReplacedOnlyOnceItIsGone()
    {
        await CreateNodeAsync("n1");
        var ds = await CreateDaemonSetAsync();
        await _harness.SyncAsync();
        var pod = PodOn(ds, "n1");
        await new PodTerminator(_harness.Store, _harness.Time).TerminateAsync(pod, null, Token).DefaultTimeout();

        await _harness.SyncAsync();
        Assert.Equal([pod.Metadata.Name], PodsOf(ds).Select(p => p.Metadata.Name));

        await RemoveAsync(pod);
        await _harness.SyncAsync();
        var replacement = PodOn(ds, "n1");
        Assert.NotEqual(pod.Metadata.Name, replacement.Metadata.Name);
        Assert.False(replacement.IsTerminating());
    }

    [Fact]
    public async Task SyncAsync_NodeDeleted_ItsPodIsRemovedAtOnce()
    {
        await CreateNodeAsync("n1");
        await CreateNodeAsync("n2");
        var ds = await CreateDaemonSetAsync();
        await _harness.SyncAsync();

        await _harness.Store.DeleteAsync<Node>("", "n2", null, Token).DefaultTimeout();
        await _harness.SyncAsync();

        Assert.Equal(["n1"], PodsOf(ds).Select(p => p.Spec.NodeName));
        Assert.Equal(1, StoredDaemonSet().Status.DesiredNumberScheduled);
    }

    [Fact]
    public async Task SyncAsync_DaemonSetGone_TerminatesItsPodsOnly()
    {
        await CreateNodeAsync("n1");
        var ds = await CreateDaemonSetAsync();
        var other = await CreateDaemonSetAsync(DaemonSet("other"));
        await _harness.SyncAsync();
        await _harness.SyncAsync("default/other");

        await _harness.Store.DeleteAsync<DaemonSet>("default", "agent", null, Token).DefaultTimeout();
        await _harness.SyncAsync();

        var pod = PodOn(ds, "n1");
        Assert.True(pod.IsTerminating());
        Assert.Equal(30, pod.Metadata.DeletionGracePeriodSeconds);
        Assert.False(PodOn(other, "n1").IsTerminating());
    }

    [Fact]
    public async Task SyncAsync_ForegroundDeletion_RemovesTheDaemonSetOnceItsPodsAreGone()
    {
        await CreateNodeAsync("n1");
        await CreateNodeAsync("n2");
        var ds = await CreateDaemonSetAsync();
        await _harness.SyncAsync();
        var statusBefore = StoredDaemonSet().Status;
        await _harness.Store.MutateAsync<DaemonSet>("default", "agent", d =>
        {
            d.Metadata.DeletionTimestamp = Timestamp.FromDateTimeOffset(Epoch);
            d.Metadata.DeletionGracePeriodSeconds = 0;
            return true;
        }, Token).DefaultTimeout();

        await _harness.SyncAsync();

        Assert.All(PodsOf(ds), p => Assert.True(p.IsTerminating()));
        Assert.NotNull(StoredDaemonSet());
        Assert.Equal(statusBefore, StoredDaemonSet().Status);

        await RemoveAsync(PodOn(ds, "n1"));
        await _harness.SyncAsync();
        Assert.NotNull(StoredDaemonSet());

        await RemoveAsync(PodOn(ds, "n2"));
        await _harness.SyncAsync();
        Assert.Null(_harness.Store.Get<DaemonSet>("default", "agent"));
    }

    [Fact]
    public async Task SyncAsync_TemplateChanged_RollsOneNodeAtATime()
    {
        await CreateNodeAsync("n1");
        await CreateNodeAsync("n2");
        var ds = await CreateDaemonSetAsync();
        await _harness.SyncAsync();
        foreach (var pod in PodsOf(ds))
        {
            await MarkReadyAsync(pod);
        }

        var oldHash = PodFactory.TemplateHash(ds);
        var updated = await _harness.Store.MutateAsync<DaemonSet>("default", "agent", d =>
        {
            d.Spec.Template.Spec.Containers[0].Image = "busybox:1.37";
            return true;
        }, Token).DefaultTimeout();
        var newHash = PodFactory.TemplateHash(updated!);
        Assert.NotEqual(oldHash, newHash);
        Assert.Equal(2, updated!.Metadata.Generation);

        await _harness.SyncAsync();

        var terminating = Assert.Single(PodsOf(ds), p => p.IsTerminating());
        Assert.Equal("n1", terminating.Spec.NodeName);
        Assert.Equal(2, StoredDaemonSet().Status.ObservedGeneration);
        Assert.Equal(0, StoredDaemonSet().Status.UpdatedNumberScheduled);

        await _harness.SyncAsync();
        Assert.Single(PodsOf(ds), p => p.IsTerminating());

        await RemoveAsync(terminating);
        await _harness.SyncAsync();
        var replacement = PodOn(ds, "n1");
        Assert.Equal(newHash, replacement.Metadata.Labels[PodFactory.RevisionHashLabel]);
        Assert.Equal("busybox:1.37", replacement.Spec.Containers[0].Image);
        Assert.Equal(1, StoredDaemonSet().Status.UpdatedNumberScheduled);
    }

    [Fact]
    public async Task SyncAsync_TemplateChanged_NextNodeWaitsForTheReplacementToBeAvailable()
    {
        await CreateNodeAsync("n1");
        await CreateNodeAsync("n2");
        var ds = await CreateDaemonSetAsync();
        await _harness.SyncAsync();
        foreach (var pod in PodsOf(ds))
        {
            await MarkReadyAsync(pod);
        }

        await _harness.Store.MutateAsync<DaemonSet>("default", "agent", d =>
        {
            d.Spec.Template.Spec.Containers[0].Image = "busybox:1.37";
            return true;
        }, Token).DefaultTimeout();
        await _harness.SyncAsync();
        await RemoveAsync(PodOn(ds, "n1"));

        await _harness.SyncAsync();
        Assert.False(PodOn(ds, "n2").IsTerminating());

        await MarkReadyAsync(PodOn(ds, "n1"));
        await _harness.SyncAsync();
        Assert.True(PodOn(ds, "n2").IsTerminating());
    }

    [Fact]
    public async Task Run_StoreEvents_DriveSyncs()
    {
        await _harness.StartAsync();
        await CreateNodeAsync("n1");
        var ds = await CreateDaemonSetAsync();

        await AsyncTestHelpers.WaitUntilAsync(() => PodsOf(ds).Count == 1 && StoredDaemonSet().Status?.CurrentNumberScheduled == 1,
            "the controller to create the pod and report it");

        await CreateNodeAsync("n2");
        await AsyncTestHelpers.WaitUntilAsync(() => PodsOf(ds).Count == 2, "a pod on the new node");

        await RelabelAsync("n1", "hdd");
        await AsyncTestHelpers.WaitUntilAsync(() => PodsOf(ds).Any(p => p.Spec.NodeName == "n1" && p.IsTerminating()), "the pod on the relabelled node to be terminating");

        await RemoveAsync(PodOn(ds, "n1"));
        await AsyncTestHelpers.WaitUntilAsync(() => StoredDaemonSet().Status.DesiredNumberScheduled == 1 && PodsOf(ds).Count == 1,
            "the status to follow the removal");
    }

    [Fact]
    public async Task SyncAsync_OrphanMatchingTheSelector_IsAdoptedNotDuplicated()
    {
        await CreateNodeAsync("n1");
        var orphan = Pod("agent-orphan", "n1");
        orphan.Metadata.Labels["app"] = "agent";
        await _harness.Store.CreateAsync(orphan, Token).DefaultTimeout();
        var ds = await CreateDaemonSetAsync();

        await _harness.SyncAsync();

        var pod = Assert.Single(_harness.Store.PodsOnNode("n1"));
        Assert.Equal("agent-orphan", pod.Metadata.Name);
        Assert.Equal(ds.Metadata.Uid, pod.Metadata.ControllerRef()?.Uid);
    }

    [Fact]
    public async Task SyncAsync_DaemonSetRecreatedUnderTheSameName_TerminatesTheOldUidsPods()
    {
        await CreateNodeAsync("n1");
        var first = await CreateDaemonSetAsync();
        await _harness.SyncAsync();
        var oldPod = PodOn(first, "n1");

        await _harness.Store.DeleteAsync<DaemonSet>("default", "agent", null, Token).DefaultTimeout();
        await CreateDaemonSetAsync();
        await _harness.SyncAsync();

        Assert.True(_harness.Store.Get<Pod>("default", oldPod.Metadata.Name)?.IsTerminating() ?? true);
    }
}
