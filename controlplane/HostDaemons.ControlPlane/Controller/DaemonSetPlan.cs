using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>What one sync of a DaemonSet decided: the nodes that get a new pod and the pods to delete, each with why.</summary>
internal sealed record DaemonSetPlan(IReadOnlyList<string> NodesNeedingPods, IReadOnlyList<PodDeletion> Deletions)
{
    public bool IsEmpty => NodesNeedingPods.Count == 0 && Deletions.Count == 0;
}

internal enum DeletionReason
{
    /// <summary>The node no longer matches (selector, NoExecute taint) or no longer exists.</summary>
    NodeNoLongerEligible,

    /// <summary>More than one daemon pod on a node: all but the oldest go.</summary>
    Duplicate,

    /// <summary>A rolling update replaces the pod with one of the current template.</summary>
    Outdated,

    /// <summary>The DaemonSet is being deleted.</summary>
    OwnerDeleted,

    /// <summary>The pod failed or completed; the node gets a new one.</summary>
    Finished,
}

internal sealed record PodDeletion(Pod Pod, DeletionReason Reason);
