using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>DaemonSet status exactly as Kubernetes' updateDaemonSetStatus derives it, looking at every node.</summary>
internal static class DaemonSetStatusCalculator
{
    /// <summary>The status over <paramref name="nodes"/> alone: no other pods, so pod affinity sees none.</summary>
    public static DaemonSetStatus Calculate(DaemonSet ds, IReadOnlyCollection<Node> nodes, IReadOnlyCollection<Pod> pods, string currentHash, DateTimeOffset now) =>
        Calculate(ds, PlacementContext.WithoutPods(nodes, now), pods, currentHash);

    public static DaemonSetStatus Calculate(DaemonSet ds, PlacementContext context, IReadOnlyCollection<Pod> pods, string currentHash)
    {
        var (nodes, now) = (context.Nodes, context.Now);
        var rules = Placement.For(ds, context);
        int desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
        var podsByNode = pods.Where(p => !(PodConditions.IsTerminal(p) && p.IsTerminating()))
            .GroupBy(p => p.Spec?.NodeName ?? "").ToDictionary(g => g.Key, g => g.ToList());
        foreach (var node in nodes)
        {
            var shouldRun = rules.Evaluate(node).ShouldRun;
            var onNode = podsByNode.GetValueOrDefault(node.Metadata.Name);
            var scheduled = onNode is { Count: > 0 };
            if (shouldRun)
            {
                desired++;
            }

            if (!scheduled)
            {
                continue;
            }

            if (!shouldRun)
            {
                misscheduled++;
                continue;
            }

            current++;
            onNode!.Sort(PodConditions.CompareOldestFirst);
            var oldest = onNode[0];
            if (PodConditions.IsReady(oldest))
            {
                ready++;
                if (PodConditions.IsAvailable(oldest, ds.Spec.MinReadySeconds, now))
                {
                    available++;
                }
            }

            if (DaemonSetPlanner.IsCurrent(oldest, currentHash))
            {
                updated++;
            }
        }

        var status = new DaemonSetStatus
        {
            DesiredNumberScheduled = desired,
            CurrentNumberScheduled = current,
            NumberMisscheduled = misscheduled,
            NumberReady = ready,
            NumberAvailable = available,
            UpdatedNumberScheduled = updated,
            NumberUnavailable = desired - available,
            ObservedGeneration = ds.Metadata.Generation,
        };
        if (ds.Status?.HasCollisionCount == true)
        {
            status.CollisionCount = ds.Status.CollisionCount;
        }

        return status;
    }
}
