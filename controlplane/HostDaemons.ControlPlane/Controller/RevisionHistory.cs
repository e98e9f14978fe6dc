using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>What one sync does to a DaemonSet's history before it manages pods (Kubernetes' constructHistory).</summary>
/// <param name="Current">The revision of the current template, when one exists already.</param>
/// <param name="Create">The revision to create for a template seen for the first time.</param>
/// <param name="Renumber">The new number of <paramref name="Current"/> when it is not the newest (a rollback).</param>
/// <param name="Duplicates">Other revisions holding the same template: deleted, their pods relabelled to the kept hash.</param>
internal sealed record HistoryStep(ControllerRevision? Current, ControllerRevision? Create, long? Renumber, IReadOnlyList<ControllerRevision> Duplicates)
{
    /// <summary>The hash the current template's pods carry.</summary>
    public string Hash => ControllerRevisions.HashOf(Current ?? Create!);

    /// <summary>The revision number of the current template once the step is done.</summary>
    public long Number => Renumber ?? (Current ?? Create!).Revision;
}

/// <summary>
/// Kubernetes' revision history for DaemonSets as pure functions (<c>update.go</c>): the revision whose template is
/// the DaemonSet's is current and is renumbered to the newest when it is not (so rolling back from 2 to 1 leaves 2 and
/// 3); a template seen for the first time gets the next number; old revisions beyond revisionHistoryLimit go, lowest
/// first, except any a pod still runs.
/// </summary>
internal static class RevisionHistory
{
    /// <summary>
    /// The step that makes <paramref name="ds"/>'s template the newest of <paramref name="owned"/> (its revisions),
    /// <paramref name="hash"/> being the template's hash; null when a revision of that name holds another template: a
    /// hash collision.
    /// </summary>
    public static HistoryStep? Construct(DaemonSet ds, IReadOnlyCollection<ControllerRevision> owned, string hash)
    {
        var matching = owned.Where(r => ControllerRevisions.Matches(r, ds)).OrderByDescending(r => r.Revision).ToList();
        var old = owned.Where(r => !ControllerRevisions.Matches(r, ds)).ToList();
        var next = (old.Count == 0 ? 0 : old.Max(r => r.Revision)) + 1;
        if (matching.Count == 0)
        {
            var name = ControllerRevisions.Name(ds, hash);
            return old.Any(r => r.Metadata.Name == name) ? null : new HistoryStep(null, ControllerRevisions.Snapshot(ds, hash, next), null, []);
        }

        var current = matching[0];
        return new HistoryStep(current, null, current.Revision < next ? next : null, matching.Skip(1).ToList());
    }

    /// <summary>
    /// The old revisions to delete: beyond <c>revisionHistoryLimit</c> (the current one not counted), lowest revision
    /// first, never one whose hash a pod of the DaemonSet still carries.
    /// </summary>
    public static IReadOnlyList<ControllerRevision> Cleanup(DaemonSet ds, IEnumerable<ControllerRevision> old, IEnumerable<Pod> pods)
    {
        var list = old.OrderBy(r => r.Revision).ToList();
        var limit = ds.Spec.HasRevisionHistoryLimit ? ds.Spec.RevisionHistoryLimit : Model.Objects.ObjectDefaults.DefaultRevisionHistoryLimit;
        var excess = list.Count - limit;
        if (excess <= 0)
        {
            return [];
        }

        var live = pods.Select(p => p.Metadata.Labels.TryGetValue(PodFactory.RevisionHashLabel, out var hash) ? hash : "").ToHashSet(StringComparer.Ordinal);
        return list.Where(r => !live.Contains(ControllerRevisions.HashOf(r))).Take(excess).ToList();
    }
}
