using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>
/// The DaemonSet controller's decisions as a pure function of the DaemonSet, the nodes and the DaemonSet's pods
/// (Kubernetes' podsShouldBeOnNode and the delete-first rolling update), so that every case is a unit test.
/// </summary>
internal static class DaemonSetPlanner
{
    public static DaemonSetPlan Plan(DaemonSet ds, IReadOnlyCollection<Node> nodes, IReadOnlyCollection<Pod> pods, string currentHash, DateTimeOffset now)
    {
        var create = new List<string>();
        var delete = new List<PodDeletion>();
        var podsByNode = pods.GroupBy(p => p.Spec?.NodeName ?? "").ToDictionary(g => g.Key, g => g.ToList());
        var nodeNames = new HashSet<string>(nodes.Select(n => n.Metadata.Name), StringComparer.Ordinal);

        if (ds.IsTerminating())
        {
            delete.AddRange(pods.Where(p => !p.IsTerminating()).Select(p => new PodDeletion(p, DeletionReason.OwnerDeleted)));
            return new DaemonSetPlan(create, delete);
        }

        var rolling = new List<(Node Node, List<Pod> Live)>();
        foreach (var node in nodes)
        {
            var placement = Placement.Evaluate(ds, node);
            var onNode = podsByNode.GetValueOrDefault(node.Metadata.Name) ?? [];
            var live = onNode.Where(p => !p.IsTerminating() && !PodConditions.IsTerminal(p)).ToList();
            live.Sort(PodConditions.CompareOldestFirst);

            if (!placement.ShouldContinueRunning)
            {
                delete.AddRange(live.Select(p => new PodDeletion(p, DeletionReason.NodeNoLongerEligible)));
                continue;
            }

            // A terminating pod still occupies the node: its replacement waits until it is gone (no surge).
            if (placement.ShouldRun && onNode.Count == 0)
            {
                create.Add(node.Metadata.Name);
                continue;
            }

            if (live.Count > 1)
            {
                delete.AddRange(live.Skip(1).Select(p => new PodDeletion(p, DeletionReason.Duplicate)));
                live.RemoveRange(1, live.Count - 1);
            }

            rolling.Add((node, live));
        }

        // Pods bound to nodes that no longer exist: there is no pod garbage collector, the controller cleans them up.
        foreach (var (nodeName, onNode) in podsByNode)
        {
            if (!nodeNames.Contains(nodeName))
            {
                delete.AddRange(onNode.Where(p => !p.IsTerminating()).Select(p => new PodDeletion(p, DeletionReason.NodeNoLongerEligible)));
            }
        }

        if (ds.Spec.UpdateStrategy?.Type == "RollingUpdate")
        {
            delete.AddRange(RollingUpdate(ds, rolling, currentHash, now));
        }

        return new DaemonSetPlan(create, delete);
    }

    /// <summary>
    /// maxSurge 0: an old pod that is not available is replaced at once; available old pods are replaced while fewer
    /// than maxUnavailable nodes lack an available pod.
    /// </summary>
    private static IEnumerable<PodDeletion> RollingUpdate(DaemonSet ds, List<(Node Node, List<Pod> Live)> nodes, string currentHash, DateTimeOffset now)
    {
        var desired = nodes.Count(n => Placement.Evaluate(ds, n.Node).ShouldRun);
        var maxUnavailable = RollingUpdateBudget.MaxUnavailable(ds, desired);
        var minReady = ds.Spec.MinReadySeconds;
        var unavailable = 0;
        var candidates = new List<Pod>();
        var replacements = new List<Pod>();
        foreach (var (_, live) in nodes)
        {
            if (live.Count == 0)
            {
                unavailable++;
                continue;
            }

            var pod = live[0];
            var available = PodConditions.IsAvailable(pod, minReady, now);
            if (IsCurrent(pod, currentHash))
            {
                if (!available)
                {
                    unavailable++;
                }

                continue;
            }

            if (!available)
            {
                replacements.Add(pod);
                unavailable++;
            }
            else
            {
                candidates.Add(pod);
            }
        }

        var budget = Math.Max(0, maxUnavailable - unavailable);
        return replacements.Concat(candidates.OrderBy(p => p.Spec.NodeName, StringComparer.Ordinal).Take(budget))
            .Select(p => new PodDeletion(p, DeletionReason.Outdated));
    }

    public static bool IsCurrent(Pod pod, string currentHash) =>
        pod.Metadata.Labels.TryGetValue(PodFactory.RevisionHashLabel, out var hash) && hash == currentHash;
}
