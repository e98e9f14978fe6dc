using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>The DaemonSet's revision history (ControllerRevisions) and what the controller says about a stalled rollout.</summary>
internal sealed partial class DaemonSetController
{
    /// <summary>
    /// Makes the history hold the current template as its newest revision: creates it, or renumbers the old revision
    /// that holds it (a rollback). Returns null after a hash collision, having raised <c>status.collisionCount</c>.
    /// </summary>
    private async Task<HistoryStep?> ConstructHistoryAsync(DaemonSet ds, string key, string hash, CancellationToken cancellationToken)
    {
        var ns = ds.Metadata.Namespace;
        // One listing serves both: the stale revisions deleted are never the DaemonSet's own.
        var revisions = store.List<ControllerRevision>(ns);
        await DeleteRevisionsAsync(revisions, ds.Metadata.Name, exceptOwnerUid: ds.Metadata.Uid, cancellationToken).ConfigureAwait(false);
        var owned = ControllerRevisions.OwnedBy(ds, revisions);
        var step = RevisionHistory.Construct(ds, owned, hash);
        if (step is null)
        {
            Log.HashCollision(logger, key, ControllerRevisions.Name(ds, hash));
            await store.MutateAsync<DaemonSet>(ns, ds.Metadata.Name, d =>
            {
                if (d.Metadata.Uid != ds.Metadata.Uid)
                {
                    return false;
                }

                d.Status ??= new DaemonSetStatus();
                d.Status.CollisionCount = (d.Status.HasCollisionCount ? d.Status.CollisionCount : 0) + 1;
                return true;
            }, cancellationToken).ConfigureAwait(false);

            // A status change alone queues nothing: sync again with the new count.
            _queue.Add(key);
            return null;
        }

        foreach (var duplicate in step.Duplicates)
        {
            await RelabelPodsAsync(ds, ControllerRevisions.HashOf(duplicate), step.Hash, cancellationToken).ConfigureAwait(false);
            await store.DeleteAsync<ControllerRevision>(ns, duplicate.Metadata.Name, duplicate.Metadata.Uid, cancellationToken).ConfigureAwait(false);
        }

        if (step.Create is { } created)
        {
            await store.CreateAsync(created, cancellationToken).ConfigureAwait(false);
            Log.RevisionCreated(logger, created.Metadata.Name, created.Revision, key);
        }
        else if (step.Renumber is { } number)
        {
            await store.MutateAsync<ControllerRevision>(ns, step.Current!.Metadata.Name, r =>
            {
                if (r.Metadata.Uid != step.Current.Metadata.Uid || r.Revision >= number)
                {
                    return false;
                }

                r.Revision = number;
                return true;
            }, cancellationToken).ConfigureAwait(false);
            Log.RevisionRenumbered(logger, step.Current.Metadata.Name, step.Current.Revision, number, key);
        }

        return step;
    }

    /// <summary>Old revisions beyond revisionHistoryLimit go, lowest first, except those a pod still runs.</summary>
    private async Task CleanupHistoryAsync(DaemonSet ds, HistoryStep history, CancellationToken cancellationToken)
    {
        var currentName = (history.Current ?? history.Create)!.Metadata.Name;
        var old = ControllerRevisions.OwnedBy(ds, store.List<ControllerRevision>(ds.Metadata.Namespace)).Where(r => r.Metadata.Name != currentName);
        foreach (var revision in RevisionHistory.Cleanup(ds, old, store.PodsControlledBy(ds.Metadata.Uid)))
        {
            await store.DeleteAsync<ControllerRevision>(revision.Metadata.Namespace, revision.Metadata.Name, revision.Metadata.Uid, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Of <paramref name="revisions"/> (a namespace's), those of the DaemonSet of that name whose owner is gone (or,
    /// given a uid, is an earlier DaemonSet).
    /// </summary>
    private async Task DeleteRevisionsAsync(IEnumerable<ControllerRevision> revisions, string name, string? exceptOwnerUid, CancellationToken cancellationToken)
    {
        var stale = revisions
            .Where(r => r.Metadata.ControllerRef() is { Kind: "DaemonSet" } owner && owner.Name == name && owner.Uid != exceptOwnerUid);
        foreach (var revision in stale)
        {
            await store.DeleteAsync<ControllerRevision>(revision.Metadata.Namespace, revision.Metadata.Name, revision.Metadata.Uid, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RelabelPodsAsync(DaemonSet ds, string from, string to, CancellationToken cancellationToken)
    {
        foreach (var pod in store.PodsControlledBy(ds.Metadata.Uid).Where(p => p.Metadata.Labels.TryGetValue(PodFactory.RevisionHashLabel, out var h) && h == from))
        {
            await store.MutateAsync<Pod>(pod.Metadata.Namespace, pod.Metadata.Name, p =>
            {
                if (p.Metadata.Uid != pod.Metadata.Uid)
                {
                    return false;
                }

                p.Metadata.Labels[PodFactory.RevisionHashLabel] = to;
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A Warning event each time the reason a rolling update waits for good changes (not at every sync).</summary>
    private async Task ReportStallAsync(DaemonSet ds, string key, string hash, int desired, CancellationToken cancellationToken)
    {
        var stall = RolloutStall.Find(ds, store.PodsControlledBy(ds.Metadata.Uid), hash, desired);
        if (stall is null)
        {
            _stalls.Remove(key);
            return;
        }

        if (_stalls.TryGetValue(key, out var last) && last == stall)
        {
            return;
        }

        _stalls[key] = stall;
        Log.RolloutStalled(logger, key, stall);
        await RecordAsync(ds, "Warning", RolloutStallReason, stall, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The reason of the event a stalled rolling update records on its DaemonSet.</summary>
    public const string RolloutStallReason = "RollingUpdateStalled";

    private static partial class Log
    {
        [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Created revision {Revision} (number {Number}) of DaemonSet {DaemonSet}")]
        public static partial void RevisionCreated(ILogger logger, string revision, long number, string daemonSet);

        [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Revision {Revision} of DaemonSet {DaemonSet} is current again: number {From} becomes {To}")]
        public static partial void RevisionRenumbered(ILogger logger, string revision, long from, long to, string daemonSet);

        [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Revision name {Revision} of DaemonSet {DaemonSet} holds another template: raising the collision count")]
        public static partial void HashCollision(ILogger logger, string daemonSet, string revision);

        [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Rolling update of DaemonSet {DaemonSet} stalled: {Reason}")]
        public static partial void RolloutStalled(ILogger logger, string daemonSet, string reason);
    }
}
