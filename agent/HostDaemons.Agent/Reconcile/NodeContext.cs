using HostDaemons.Agent.Runtime;

namespace HostDaemons.Agent.Reconcile;

/// <summary>What a pod's containers learn from the node they run on: its name and address, where pod volumes live, log limits.</summary>
internal sealed record NodeContext(string NodeName, string HostIp, string PodVolumeRoot, ContainerLogLimits? LogLimits)
{
    public static NodeContext For(string nodeName) => new(nodeName, "", "/var/lib/hostdaemons/agent/pods", null);
}
