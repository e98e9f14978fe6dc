using Google.Protobuf.WellKnownTypes;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Nodes;

internal static class NodeConditions
{
    public const string UnreachableTaint = "node.kubernetes.io/unreachable";

    public static bool IsReady(Node node) => node.Status?.Conditions.FirstOrDefault(c => c.Type == "Ready")?.Status == "True";

    /// <summary>Sets the Ready condition; returns false when it already says the same (its message aside).</summary>
    public static bool SetReady(Node node, string status, string reason, string message, Timestamp now) =>
        Set(node, "Ready", status, reason, message, now, messageMatters: false);

    /// <summary>
    /// Sets a condition, moving its transition time only when the status changes; returns false when it already says
    /// the same (status and reason, and the message too when <paramref name="messageMatters"/>).
    /// </summary>
    public static bool Set(Node node, string type, string status, string reason, string message, Timestamp now, bool messageMatters = true)
    {
        node.Status ??= new NodeStatus();
        var condition = node.Status.Conditions.FirstOrDefault(c => c.Type == type);
        if (condition is null)
        {
            condition = new NodeCondition { Type = type };
            node.Status.Conditions.Add(condition);
        }
        else if (condition.Status == status && condition.Reason == reason && (!messageMatters || condition.Message == message))
        {
            return false;
        }

        if (condition.Status != status)
        {
            condition.LastTransitionTime = now;
        }

        condition.Status = status;
        condition.Reason = reason;
        condition.Message = message;
        condition.LastHeartbeatTime = now;
        return true;
    }

    /// <summary>Adds or removes <c>node.kubernetes.io/unreachable:NoExecute</c>; returns false when nothing changed.</summary>
    public static bool SetUnreachable(Node node, bool unreachable, Timestamp now)
    {
        node.Spec ??= new NodeSpec();
        var existing = node.Spec.Taints.FirstOrDefault(t => t.Key == UnreachableTaint && t.Effect == "NoExecute");
        if (unreachable == existing is not null)
        {
            return false;
        }

        if (unreachable)
        {
            node.Spec.Taints.Add(new Taint { Key = UnreachableTaint, Effect = "NoExecute", TimeAdded = now });
        }
        else
        {
            node.Spec.Taints.Remove(existing);
        }

        return true;
    }

    /// <summary>The node is up again: Ready, and the unreachable taint gone.</summary>
    public static bool MarkReachable(Node node, Timestamp now)
    {
        var ready = SetReady(node, "True", "AgentReady", "agent is posting ready status", now);
        return SetUnreachable(node, unreachable: false, now) | ready;
    }
}
