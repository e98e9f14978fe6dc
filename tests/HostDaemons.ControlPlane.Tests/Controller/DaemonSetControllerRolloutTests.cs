using Google.Protobuf.WellKnownTypes;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

/// <summary>The controller's side of rollouts over a real store: revisions, rollback without restarts, cleanup, stalls.</summary>
public sealed class DaemonSetControllerRolloutTests : IAsyncLifetime
{
    private readonly DaemonSetControllerHarness _harness = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private DaemonSet Stored() => _harness.Store.Get<DaemonSet>("default", "agent")!;

    private IReadOnlyList<Pod> Pods() => _harness.Store.PodsControlledBy(Stored().Metadata.Uid);

    private List<ControllerRevision> Revisions() => [.. _harness.Store.List<ControllerRevision>("default").OrderBy(r => r.Revision)];

    private async Task<DaemonSet> StartAsync(int nodes, Action<DaemonSet>? configure = null)
    {
        for (var i = 1; i <= nodes; i++)
        {
            await _harness.Store.CreateAsync(Node($"n{i}"), Token).DefaultTimeout();
        }

        var ds = DaemonSet();
        ds.Metadata.Uid = "";
        configure?.Invoke(ds);
        ds = await _harness.Store.CreateAsync(ds, Token).DefaultTimeout();
        await _harness.SyncAsync();
        await ReadyAllAsync();
        return ds;
    }

    private async Task ReadyAllAsync()
    {
        foreach (var pod in Pods().Where(p => !p.IsTerminating() && !PodConditions.IsReady(p)))
        {
            await _harness.Store.MutateAsync<Pod>(pod.Metadata.Namespace, pod.Metadata.Name, p =>
            {
                p.Status = new PodStatus { Phase = "Running" };
                p.Status.Conditions.Add(new PodCondition { Type = "Ready", Status = "True", LastTransitionTime = Timestamp.FromDateTimeOffset(_harness.Time.GetUtcNow()) });
                return true;
            }, Token).DefaultTimeout();
        }

        await _harness.SyncAsync();
    }

    /// <summary>What the agents do: terminating pods are gone, new ones become ready; until the rollout settles.</summary>
    private async Task SettleAsync()
    {
        for (var round = 0; round < 20 && (Pods().Any(p => p.IsTerminating() || !PodConditions.IsReady(p)) || Pods().Count < 1); round++)
        {
            foreach (var pod in Pods().Where(p => p.IsTerminating()))
            {
                await _harness.Store.DeleteAsync<Pod>(pod.Metadata.Namespace, pod.Metadata.Name, pod.Metadata.Uid, Token).DefaultTimeout();
            }

            await _harness.SyncAsync();
            await ReadyAllAsync();
        }
    }

    private Task SetImageAsync(string image, string? changeCause = null) =>
        _harness.Store.MutateAsync<DaemonSet>("default", "agent", d =>
        {
            d.Spec.Template.Spec.Containers[0].Image = image;
            if (changeCause is not null)
            {
                d.Metadata.Annotations["kubernetes.io/change-cause"] = changeCause;
            }

            return true;
        }, Token).DefaultTimeout();

    [Fact]
    public async Task Sync_FirstTime_RecordsRevisionOneAndLabelsPodsWithItsHash()
    {
        await StartAsync(2);

        var revision = Assert.Single(Revisions());
        Assert.Equal(1, revision.Revision);
        Assert.All(Pods(), p => Assert.Equal(ControllerRevisions.HashOf(revision), p.Metadata.Labels["controller-revision-hash"]));
        Assert.Equal(Stored().Metadata.Uid, revision.Metadata.OwnerReferences.Single().Uid);
    }

    [Fact]
    public async Task Sync_TemplateChangedAndRolledBack_RenumbersAndKeepsPodsAlreadyOnTheTarget()
    {
        await StartAsync(3);
        var original = Pods().Select(p => p.Metadata.Name).ToHashSet();

        // A broken update: one node gets the new template, which never becomes ready.
        await SetImageAsync("busybox:broken", "broken");
        await _harness.SyncAsync();
        var victim = Assert.Single(Pods(), p => p.IsTerminating());
        await _harness.Store.DeleteAsync<Pod>("default", victim.Metadata.Name, victim.Metadata.Uid, Token).DefaultTimeout();
        await _harness.SyncAsync();
        Assert.Equal([1L, 2L], Revisions().Select(r => r.Revision));
        Assert.Single(Pods(), p => p.Spec.Containers[0].Image == "busybox:broken");

        // The undo: the template is revision 1's again.
        var one = Revisions()[0];
        await _harness.Store.MutateAsync<DaemonSet>("default", "agent", d =>
        {
            d.Spec.Template = one.Data.Spec.Template.ToPodTemplate();
            return true;
        }, Token).DefaultTimeout();
        await _harness.SyncAsync();
        await SettleAsync();

        Assert.Equal([(2L, "busybox:broken"), (3L, "busybox:1.36")], Revisions().Select(r => (r.Revision, r.Data.Spec.Template.Spec.Containers[0].Image)));
        Assert.All(Pods(), p => Assert.Equal("busybox:1.36", p.Spec.Containers[0].Image));
        Assert.Equal(2, Pods().Count(p => original.Contains(p.Metadata.Name)));
        Assert.Equal(3, Stored().Status.UpdatedNumberScheduled);
    }

    [Fact]
    public async Task Sync_HistoryBeyondTheLimit_OldestRevisionsGo()
    {
        await StartAsync(1, ds => ds.Spec.RevisionHistoryLimit = 1);
        for (var i = 2; i <= 4; i++)
        {
            await SetImageAsync($"busybox:{i}");
            await _harness.SyncAsync();
            await SettleAsync();
        }

        Assert.Equal([3L, 4L], Revisions().Select(r => r.Revision));
    }

    [Fact]
    public async Task Sync_UpdatedPodFailing_StopsAtMaxUnavailableAndRecordsOneWarning()
    {
        await StartAsync(3);
        await SetImageAsync("busybox:missing");
        await _harness.SyncAsync();
        var victim = Assert.Single(Pods(), p => p.IsTerminating());
        await _harness.Store.DeleteAsync<Pod>("default", victim.Metadata.Name, victim.Metadata.Uid, Token).DefaultTimeout();
        await _harness.SyncAsync();
        var broken = Assert.Single(Pods(), p => p.Spec.Containers[0].Image == "busybox:missing");
        await _harness.Store.MutateAsync<Pod>("default", broken.Metadata.Name, p =>
        {
            p.Status.ContainerStatuses.Add(new ContainerStatus { Name = "main", State = new ContainerState { Waiting = new ContainerStateWaiting { Reason = "ErrImageNeverPull" } } });
            return true;
        }, Token).DefaultTimeout();
        await _harness.SyncAsync();
        await _harness.SyncAsync();

        Assert.DoesNotContain(Pods(), p => p.IsTerminating());
        Assert.Equal(2, Pods().Count(p => p.Spec.Containers[0].Image == "busybox:1.36"));
        var stalled = Assert.Single(_harness.Store.List<Event>("default"), e => e.Reason == DaemonSetController.RolloutStallReason);
        Assert.Equal("Warning", stalled.Type);
        Assert.Equal($"rolling update stalled at maxUnavailable=1: updated pods are failing on 1 node: {broken.Spec.NodeName} (ErrImageNeverPull); 2 nodes still on an old revision", stalled.Message);
    }

    [Fact]
    public async Task Sync_DaemonSetDeleted_ItsRevisionsGo()
    {
        var ds = await StartAsync(1);
        await _harness.Store.DeleteAsync<DaemonSet>("default", "agent", ds.Metadata.Uid, Token).DefaultTimeout();

        await _harness.SyncAsync();

        Assert.Empty(Revisions());
    }

    [Fact]
    public async Task Sync_OnDelete_NewRevisionButNoPodTouched()
    {
        await StartAsync(2, ds => ds.Spec.UpdateStrategy = new DaemonSetUpdateStrategy { Type = "OnDelete" });
        var before = Pods().Select(p => p.Metadata.Name).Order().ToList();

        await SetImageAsync("busybox:2");
        await _harness.SyncAsync();

        Assert.Equal(before, Pods().Select(p => p.Metadata.Name).Order());
        Assert.DoesNotContain(Pods(), p => p.IsTerminating());
        Assert.Equal(2, Revisions().Count);
        Assert.Equal(0, Stored().Status.UpdatedNumberScheduled);
    }
}
