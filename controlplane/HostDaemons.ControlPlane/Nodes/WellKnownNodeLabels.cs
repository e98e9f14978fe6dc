using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Nodes;

/// <summary>
/// The labels Kubernetes' kubelet keeps on its node, set again at every registration from the node's name and the
/// system information its agent reports: <c>kubernetes.io/hostname</c>, <c>kubernetes.io/os</c>, <c>kubernetes.io/arch</c>.
/// </summary>
internal static class WellKnownNodeLabels
{
    public const string Hostname = "kubernetes.io/hostname";
    public const string OperatingSystem = "kubernetes.io/os";
    public const string Architecture = "kubernetes.io/arch";

    /// <summary>Sets the labels that differ; true when any did. Information the agent did not report leaves its label as it is.</summary>
    public static bool Apply(Node node)
    {
        var info = node.Status?.NodeInfo ?? new NodeSystemInfo();
        var changed = Set(node, Hostname, node.Metadata.Name);
        changed |= Set(node, OperatingSystem, info.OperatingSystem);
        changed |= Set(node, Architecture, info.Architecture);
        return changed;
    }

    private static bool Set(Node node, string key, string value)
    {
        if (value.Length == 0 || (node.Metadata.Labels.TryGetValue(key, out var current) && current == value))
        {
            return false;
        }

        node.Metadata.Labels[key] = value;
        return true;
    }
}
