using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Api;

/// <summary>What <c>rollout status</c> shows beside kubectl's line: every node's pod with its revision and readiness.</summary>
internal static class RolloutProgressBuilder
{
    public static RolloutProgress Build(DaemonSet ds, IReadOnlyCollection<Pod> pods, IReadOnlyCollection<ControllerRevision> revisions, DateTimeOffset now)
    {
        var owned = ControllerRevisions.OwnedBy(ds, revisions);
        var current = owned.LastOrDefault(r => ControllerRevisions.Matches(r, ds));
        var hash = current is null ? ControllerRevisions.Hash(ds) : ControllerRevisions.HashOf(current);
        var numbers = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var revision in owned)
        {
            numbers[ControllerRevisions.HashOf(revision)] = revision.Revision;
        }

        var progress = new RolloutProgress
        {
            DaemonSet = ds,
            CurrentRevision = current?.Revision ?? 0,
            Stalled = RolloutStall.Find(ds, pods, hash, ds.Status?.DesiredNumberScheduled ?? 0) ?? "",
        };
        var shown = pods.Where(p => !(PodConditions.IsTerminal(p) && p.IsTerminating()) && p.Spec.NodeName.Length > 0).ToList();
        shown.Sort((a, b) =>
        {
            var byNode = string.CompareOrdinal(a.Spec.NodeName, b.Spec.NodeName);
            return byNode != 0 ? byNode : PodConditions.CompareOldestFirst(a, b);
        });
        foreach (var pod in shown)
        {
            var podHash = pod.Metadata.Labels.TryGetValue(PodFactory.RevisionHashLabel, out var h) ? h : "";
            var ready = PodConditions.IsReady(pod);
            progress.Nodes.Add(new NodeRollout
            {
                Node = pod.Spec.NodeName,
                Pod = pod.Metadata.Name,
                Revision = numbers.GetValueOrDefault(podHash),
                Updated = podHash == hash,
                Ready = ready,
                Available = PodConditions.IsAvailable(pod, ds.Spec.MinReadySeconds, now),
                Reason = ready ? "" : RolloutStall.Reason(pod),
                Terminating = pod.IsTerminating(),
            });
        }

        return progress;
    }
}
