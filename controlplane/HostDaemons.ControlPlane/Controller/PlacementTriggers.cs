using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>
/// Which DaemonSets a node or pod change can move, so the controller re-evaluates those at once and leaves the others
/// alone (Kubernetes' syncNodeUpdate, extended to pod affinity, which its scheduler would handle).
/// </summary>
internal static class PlacementTriggers
{
    /// <summary>
    /// A node's labels or taints changed: the DaemonSets whose decision on that node changed, those with misscheduled
    /// pods (the change may settle them), and those with pod affinity terms (the node's topology domains may have
    /// changed, which moves decisions on other nodes too).
    /// </summary>
    public static IEnumerable<DaemonSet> ForNodeChange(IEnumerable<DaemonSet> daemonSets, Node previous, Node current, DateTimeOffset now)
    {
        var before = PlacementContext.WithoutPods([previous], now);
        var after = PlacementContext.WithoutPods([current], now);
        foreach (var ds in daemonSets)
        {
            if (PodAffinityRules.HasTerms(ds) || ds.Status?.NumberMisscheduled > 0)
            {
                yield return ds;
                continue;
            }

            var (was, @is) = (Placement.For(ds, before).Evaluate(previous), Placement.For(ds, after).Evaluate(current));
            if (was.ShouldRun != @is.ShouldRun || was.ShouldContinueRunning != @is.ShouldContinueRunning || was.RecheckAt != @is.RecheckAt)
            {
                yield return ds;
            }
        }
    }

    /// <summary>
    /// A pod was added, deleted, or changed in what pod affinity reads (labels, node, finished, namespace): the DaemonSets
    /// whose required pod affinity or anti-affinity terms match it, before or after. Status-only changes move nothing.
    /// </summary>
    public static IEnumerable<DaemonSet> ForPodChange(IEnumerable<DaemonSet> daemonSets, Pod? previous, Pod? current)
    {
        if (previous is not null && current is not null && !AffinityInputsChanged(previous, current))
        {
            return [];
        }

        return daemonSets.Where(ds =>
            (previous is not null && PodAffinityRules.DependsOn(ds, previous.Metadata.Namespace, previous.Metadata.Labels))
            || (current is not null && PodAffinityRules.DependsOn(ds, current.Metadata.Namespace, current.Metadata.Labels)));
    }

    private static bool AffinityInputsChanged(Pod previous, Pod current) =>
        !previous.Metadata.Labels.Equals(current.Metadata.Labels)
        || previous.Spec?.NodeName != current.Spec?.NodeName
        || PodConditions.IsTerminal(previous) != PodConditions.IsTerminal(current)
        || previous.IsTerminating() != current.IsTerminating();
}
