using HostDaemons.Agent.Network;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.ServiceAccounts;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// What a pod's containers learn from the node they run on: its name and address, where pod volumes live, log limits,
/// the pod network (chosen at start; <c>none</c> when not given), and where Localhost seccomp profiles live
/// (<c>seccompProfile.localhostProfile</c> is relative to it, as to the kubelet's <c>/var/lib/kubelet/seccomp</c>), and
/// the control plane address containers are given (<c>KUBERNETES_SERVICE_HOST</c>; none: no such variables).
/// </summary>
internal sealed record NodeContext(string NodeName, string HostIp, string PodVolumeRoot, ContainerLogLimits? LogLimits, PodNetwork? Network = null,
    string SeccompProfileRoot = "/var/lib/hostdaemons/agent/seccomp", ApiServerEndpoint? ApiServer = null)
{
    public string PodNetworkName => Network?.Name ?? PodNetwork.None;

    public static NodeContext For(string nodeName) => new(nodeName, "", "/var/lib/hostdaemons/agent/pods", null);
}
