using Google.Protobuf.WellKnownTypes;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Nodes;

internal static class NodeConditions
{
    public static bool IsReady(Node node) => node.Status?.Conditions.FirstOrDefault(c => c.Type == "Ready")?.Status == "True";

    /// <summary>Sets the Ready condition; returns false when it already says the same.</summary>
    public static bool SetReady(Node node, string status, string reason, string message, Timestamp now)
    {
        node.Status ??= new NodeStatus();
        var condition = node.Status.Conditions.FirstOrDefault(c => c.Type == "Ready");
        if (condition is null)
        {
            condition = new NodeCondition { Type = "Ready" };
            node.Status.Conditions.Add(condition);
        }
        else if (condition.Status == status && condition.Reason == reason)
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
}
