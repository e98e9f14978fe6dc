using Google.Protobuf.WellKnownTypes;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// kubectl cordon and uncordon: <c>spec.unschedulable</c>, and with it the taint
/// <c>node.kubernetes.io/unschedulable:NoSchedule</c> that Kubernetes' node lifecycle controller keeps in step. Daemon
/// pods tolerate that taint by default, so they keep running, and start, on cordoned nodes.
/// </summary>
internal static class NodeCordon
{
    public const string TaintKey = "node.kubernetes.io/unschedulable";

    /// <summary>Sets the node as asked; returns whether spec.unschedulable changed and whether anything (the taint too) did.</summary>
    public static (bool Changed, bool Written) Apply(Node node, bool unschedulable, DateTimeOffset now)
    {
        node.Spec ??= new NodeSpec();
        var changed = node.Spec.Unschedulable != unschedulable;
        node.Spec.Unschedulable = unschedulable;
        var index = node.Spec.Taints.ToList().FindIndex(t => t.Key == TaintKey && t.Effect == "NoSchedule");
        var written = changed;
        if (unschedulable && index < 0)
        {
            node.Spec.Taints.Add(new Taint { Key = TaintKey, Effect = "NoSchedule", TimeAdded = Timestamp.FromDateTimeOffset(now) });
            written = true;
        }
        else if (!unschedulable && index >= 0)
        {
            node.Spec.Taints.RemoveAt(index);
            written = true;
        }

        return (changed, written);
    }
}
