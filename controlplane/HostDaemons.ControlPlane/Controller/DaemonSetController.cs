using HostDaemons.ControlPlane.Events;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Hosting;
using HostDaemons.Model.Labels;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Options;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>
/// Keeps one daemon pod on every eligible node of every DaemonSet. Level-triggered: store events put the affected
/// DaemonSets on a de-duplicating queue, each sync compares the whole desired state with the stored pods, and a
/// periodic resync of everything catches whatever an event could have missed.
/// </summary>
internal sealed partial class DaemonSetController(
    IObjectStore store,
    PodTerminator terminator,
    EventRecorder events,
    TimeProvider time,
    IOptions<ControlPlaneOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<DaemonSetController> logger) : SupervisedBackgroundService(lifetime, logger)
{
    /// <summary>Pods created at once. A sync creates every missing pod, batch after batch, without planning again in between:
    /// re-planning over every node and pod after each batch was what bounded a 10,000-node apply (see docs/benchmarks.md).</summary>
    private const int CreateBatchSize = 500;

    private readonly WorkQueue _queue = new(time);
    private readonly FailedPodBackoff _failedPods = new(time);
    private readonly Dictionary<string, string> _stalls = new(StringComparer.Ordinal);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var tasks = new[] { store.FollowAsync(EnqueueAll, Handle, logger, stoppingToken), ResyncAsync(stoppingToken), _queue.ProcessAsync(SyncAsync, (key, ex) => Log.SyncFailed(logger, key, ex), stoppingToken) };
        await await Task.WhenAny(tasks).ConfigureAwait(false);
    }

    private void EnqueueAll()
    {
        foreach (var ds in store.List<DaemonSet>())
        {
            _queue.Add(ds.Key());
        }
    }

    private void Handle(StoreEvent e)
    {
        switch (e.Object)
        {
            case DaemonSet ds when e.Type != StoreEventType.Modified || !OnlyStatusChanged(ds, (DaemonSet)e.Previous!):
                _queue.Add(ds.Key());
                break;
            case Node when e.Type != StoreEventType.Modified:
                EnqueueAll();
                break;
            case Node node when PlacementInputsChanged(node, (Node)e.Previous!):
                // Only the DaemonSets this node's change can move: the rest would sync to no effect.
                foreach (var ds in PlacementTriggers.ForNodeChange(store.List<DaemonSet>(), (Node)e.Previous!, node, time.GetUtcNow()))
                {
                    _queue.Add(ds.Key());
                }

                break;
            case ServiceAccount account when e.Type == StoreEventType.Added:
                EnqueueWhere(ds => ds.Metadata.Namespace == account.Metadata.Namespace && ds.Spec?.Template?.Spec?.ServiceAccountName == account.Metadata.Name);
                break;
            case PriorityClass priorityClass when e.Type == StoreEventType.Added:
                EnqueueWhere(ds => ds.Spec?.Template?.Spec?.PriorityClassName == priorityClass.Metadata.Name);
                break;
            case ControllerRevision revision when revision.Metadata.ControllerRef() is { Kind: "DaemonSet" } revisionOwner:
                // A revision deleted or changed by hand: the history is constructed again.
                _queue.Add($"{revision.Metadata.Namespace}/{revisionOwner.Name}");
                break;
            case Pod pod:
                if (pod.Metadata.ControllerRef() is { Kind: "DaemonSet" } owner)
                {
                    _queue.Add($"{pod.Metadata.Namespace}/{owner.Name}");
                }

                // Pods others' placement depends on (pod affinity): other DaemonSets' pods and static pods alike.
                var previous = e.Type switch { StoreEventType.Modified => (Pod?)e.Previous, StoreEventType.Deleted => pod, _ => null };
                var current = e.Type == StoreEventType.Deleted ? null : pod;
                foreach (var ds in PlacementTriggers.ForPodChange(DaemonSetsOnDemand(), previous, current))
                {
                    _queue.Add(ds.Key());
                }

                break;
        }
    }

    /// <summary>Queues the DaemonSets a newly created object can unblock: those whose pods were refused for want of it.</summary>
    private void EnqueueWhere(Func<DaemonSet, bool> waitsFor)
    {
        foreach (var ds in store.List<DaemonSet>().Where(waitsFor))
        {
            _queue.Add(ds.Key());
        }
    }

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(options.Value.ResyncPeriod, time, cancellationToken).ConfigureAwait(false);
            _failedPods.Collect();
            EnqueueAll();
        }
    }

    internal async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = (key[..slash], key[(slash + 1)..]);
        var ds = store.Get<DaemonSet>(ns, name);
        if (ds is null)
        {
            _stalls.Remove(key);
            await DeleteOrphanedPodsAsync(ns, name, cancellationToken).ConfigureAwait(false);
            await DeleteRevisionsAsync(store.List<ControllerRevision>(ns), name, exceptOwnerUid: null, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!ds.IsTerminating())
        {
            await ClaimPodsAsync(ds, cancellationToken).ConfigureAwait(false);
        }

        // The history first, as Kubernetes' constructHistory: the current template's revision (created, or renumbered
        // on a rollback) gives the hash its pods carry.
        HistoryStep? history = null;
        var hash = ControllerRevisions.Hash(ds);
        if (!ds.IsTerminating())
        {
            history = await ConstructHistoryAsync(ds, key, hash, cancellationToken).ConfigureAwait(false);
            if (history is null)
            {
                return;
            }

            hash = history.Hash;
        }

        var context = new PlacementContext(store.List<Node>(), () => store.List<Pod>(), time.GetUtcNow());
        var pods = store.PodsControlledBy(ds.Metadata.Uid);
        var plan = DaemonSetPlanner.Plan(ds, context, pods, hash);
        if (!plan.IsEmpty)
        {
            await ExecuteAsync(ds, key, plan, hash, cancellationToken).ConfigureAwait(false);
        }

        // A NoExecute taint tolerated for tolerationSeconds, or a pod ready but not yet for minReadySeconds: the sync at
        // that moment evicts it, or counts it available and goes on with the rolling update.
        if (plan.RecheckAt is { } recheckAt)
        {
            _queue.AddAt(key, recheckAt);
        }

        if (ds.IsTerminating())
        {
            // Foreground deletion: the DaemonSet goes once its last pod is gone.
            if (store.PodsControlledBy(ds.Metadata.Uid).Count == 0)
            {
                await store.DeleteAsync<DaemonSet>(ns, name, ds.Metadata.Uid, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        await CleanupHistoryAsync(ds, history!, cancellationToken).ConfigureAwait(false);
        var status = await UpdateStatusAsync(ds, hash, cancellationToken).ConfigureAwait(false);
        await ReportStallAsync(ds, key, hash, status.DesiredNumberScheduled, cancellationToken).ConfigureAwait(false);
    }

    private async Task ExecuteAsync(DaemonSet ds, string key, DaemonSetPlan plan, string hash, CancellationToken cancellationToken)
    {
        var deletes = plan.Deletions.Select(async d =>
        {
            if (d.Reason == DeletionReason.Finished && d.Pod.Status?.Phase == "Failed")
            {
                // A failed pod goes only when its back-off allows, so a pod that keeps failing is not replaced in a tight loop.
                var backoffKey = FailedPodBackoff.Key(ds.Metadata.Uid, ds.Status?.ObservedGeneration ?? 0, d.Pod.Spec.NodeName);
                if (!_failedPods.TryNext(backoffKey, out var wait))
                {
                    _queue.AddAfter(key, wait);
                    return;
                }

                await RecordAsync(ds, "Warning", "FailedDaemonPod",
                    $"Found failed daemon pod {d.Pod.Metadata.Namespace}/{d.Pod.Metadata.Name} on node {d.Pod.Spec.NodeName}, will try to kill it", cancellationToken).ConfigureAwait(false);
            }

            if (d.Reason == DeletionReason.TaintEviction)
            {
                // As Kubernetes' taint eviction controller, on the pod.
                await events.RecordAsync(
                    new EventObjectReference { Kind = "Pod", ApiVersion = "v1", Namespace = d.Pod.Metadata.Namespace, Name = d.Pod.Metadata.Name, Uid = d.Pod.Metadata.Uid },
                    new EventSource { Component = "taint-eviction-controller" },
                    "Normal", "TaintManagerEviction", $"Marking for deletion Pod {d.Pod.Metadata.Namespace}/{d.Pod.Metadata.Name}", 1, null, null, cancellationToken).ConfigureAwait(false);
            }

            Log.DeletingPod(logger, d.Pod.Metadata.Name, d.Pod.Spec.NodeName, key, d.Reason);
            await terminator.TerminateAsync(d.Pod, null, cancellationToken).ConfigureAwait(false);
            await RecordAsync(ds, "Normal", "SuccessfulDelete", $"Deleted pod: {d.Pod.Metadata.Name}", cancellationToken).ConfigureAwait(false);
        });
        var deleting = Task.WhenAll(deletes);
        try
        {
            if (plan.NodesNeedingPods.Count > 0)
            {
                var admission = PodAdmission.Evaluate(ds.Spec.Template.Spec, ds.Metadata.Namespace, store);
                if (admission.Refusal is { } refusal)
                {
                    // As the API server refuses the pod; the ServiceAccount or PriorityClass appearing queues this DaemonSet again.
                    Log.PodsRefused(logger, key, refusal);
                    await RecordAsync(ds, "Warning", "FailedCreate", $"Error creating: pods \"{ds.Metadata.Name}-\" is forbidden: {refusal}", cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    foreach (var batch in plan.NodesNeedingPods.Chunk(CreateBatchSize))
                    {
                        await Task.WhenAll(batch.Select(node => CreatePodAsync(ds, key, node, hash, admission, cancellationToken))).ConfigureAwait(false);
                    }
                }
            }
        }
        finally
        {
            await deleting.ConfigureAwait(false);
        }
    }

    private async Task CreatePodAsync(DaemonSet ds, string key, string nodeName, string hash, PodAdmission admission, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var pod = PodFactory.Create(ds, nodeName, hash, PodFactory.NewName(ds));
            admission.Apply(pod.Spec);
            try
            {
                pod = await store.CreateAsync(pod, cancellationToken).ConfigureAwait(false);
                Log.CreatedPod(logger, pod.Metadata.Name, nodeName, key);
                await RecordAsync(ds, "Normal", "SuccessfulCreate", $"Created pod: {pod.Metadata.Name}", cancellationToken).ConfigureAwait(false);

                // The controller is also the scheduler here, so the pod's own story starts with its assignment.
                await events.RecordAsync(
                    new EventObjectReference { Kind = "Pod", ApiVersion = "v1", Namespace = pod.Metadata.Namespace, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
                    new EventSource { Component = "daemonset-controller" },
                    "Normal", "Scheduled", $"Successfully assigned {pod.Metadata.Namespace}/{pod.Metadata.Name} to {nodeName}", 1, null, null, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ObjectAlreadyExistsException) when (attempt < 5)
            {
            }
        }
    }

    private async Task<DaemonSetStatus> UpdateStatusAsync(DaemonSet ds, string hash, CancellationToken cancellationToken)
    {
        var context = new PlacementContext(store.List<Node>(), () => store.List<Pod>(), time.GetUtcNow());
        var status = DaemonSetStatusCalculator.Calculate(ds, context, store.PodsControlledBy(ds.Metadata.Uid), hash);
        if (!Equals(status, ds.Status))
        {
            await store.MutateAsync<DaemonSet>(ds.Metadata.Namespace, ds.Metadata.Name, d =>
            {
                if (d.Metadata.Uid != ds.Metadata.Uid || Equals(d.Status, status))
                {
                    return false;
                }

                d.Status = status;
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }

        return status;
    }

    /// <summary>
    /// Kubernetes' adoption, and its garbage collection of pods whose owner is gone: pods without a controller that the
    /// selector matches are adopted (so re-applying after an orphaning delete restarts nothing), and pods of an earlier
    /// DaemonSet of the same name are terminated.
    /// </summary>
    private async Task ClaimPodsAsync(DaemonSet ds, CancellationToken cancellationToken)
    {
        var work = new List<Task>();
        foreach (var pod in store.List<Pod>(ds.Metadata.Namespace))
        {
            var owner = pod.Metadata.ControllerRef();
            if (owner is null && !pod.IsTerminating() && LabelSelectors.Matches(ds.Spec.Selector, pod.Metadata.Labels))
            {
                work.Add(store.MutateAsync<Pod>(pod.Metadata.Namespace, pod.Metadata.Name, p =>
                {
                    if (p.Metadata.Uid != pod.Metadata.Uid || p.Metadata.ControllerRef() is not null)
                    {
                        return false;
                    }

                    p.Metadata.OwnerReferences.Add(PodFactory.OwnerReference(ds));
                    return true;
                }, cancellationToken));
            }
            else if (owner is { Kind: "DaemonSet" } && owner.Name == ds.Metadata.Name && owner.Uid != ds.Metadata.Uid && !pod.IsTerminating())
            {
                work.Add(terminator.TerminateAsync(pod, null, cancellationToken));
            }
        }

        await Task.WhenAll(work).ConfigureAwait(false);
    }

    private async Task DeleteOrphanedPodsAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var owned = store.List<Pod>(ns).Where(p => p.Metadata.ControllerRef() is { Kind: "DaemonSet" } o && o.Name == name && !p.IsTerminating());
        await Task.WhenAll(owned.Select(p => terminator.TerminateAsync(p, null, cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>An event about the DaemonSet, from "daemonset-controller" as Kubernetes' controller signs them.</summary>
    private Task RecordAsync(DaemonSet ds, string type, string reason, string message, CancellationToken cancellationToken) =>
        events.RecordAsync(
            new EventObjectReference { Kind = "DaemonSet", ApiVersion = "apps/v1", Namespace = ds.Metadata.Namespace, Name = ds.Metadata.Name, Uid = ds.Metadata.Uid },
            new EventSource { Component = "daemonset-controller" },
            type, reason, message, 1, null, null, cancellationToken);

    /// <summary>
    /// The DaemonSets, listed only once enumerated: most pod events are status changes, which move no DaemonSet's
    /// placement and must not cost a scan of the store on the per-event path.
    /// </summary>
    private IEnumerable<DaemonSet> DaemonSetsOnDemand()
    {
        foreach (var ds in store.List<DaemonSet>())
        {
            yield return ds;
        }
    }

    private static bool OnlyStatusChanged(DaemonSet current, DaemonSet previous) =>
        Equals(current.Spec, previous.Spec) && Equals(current.Metadata.DeletionTimestamp, previous.Metadata.DeletionTimestamp)
        && current.Metadata.Generation == previous.Metadata.Generation;

    private static bool PlacementInputsChanged(Node current, Node previous) =>
        !current.Metadata.Labels.Equals(previous.Metadata.Labels) || !Equals(current.Spec, previous.Spec);

    private static partial class Log
    {
        [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "Sync of DaemonSet {Key} failed; retrying")]
        public static partial void SyncFailed(ILogger logger, string key, Exception exception);

        [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Created pod {Pod} on node {Node} for DaemonSet {DaemonSet}")]
        public static partial void CreatedPod(ILogger logger, string pod, string node, string daemonSet);

        [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Deleting pod {Pod} on node {Node} of DaemonSet {DaemonSet}: {Reason}")]
        public static partial void DeletingPod(ILogger logger, string pod, string node, string daemonSet, DeletionReason reason);

        [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Pods of DaemonSet {DaemonSet} are not created: {Reason}")]
        public static partial void PodsRefused(ILogger logger, string daemonSet, string reason);
    }
}
