using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>What one sync of a DaemonSet decided: the nodes that get a new pod and the pods to delete, each with why.</summary>
internal sealed record DaemonSetPlan(IReadOnlyList<string> NodesNeedingPods, IReadOnlyList<PodDeletion> Deletions)
{
    /// <summary>
    /// When a decision changes by itself (a NoExecute toleration's tolerationSeconds end, a pod's minReadySeconds pass):
    /// sync again then.
    /// </summary>
    public DateTimeOffset? RecheckAt { get; init; }

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

    /// <summary>An untolerated NoExecute taint (or one tolerated only for tolerationSeconds, now passed) evicts the pod.</summary>
    TaintEviction,
}

internal sealed record PodDeletion(Pod Pod, DeletionReason Reason);
