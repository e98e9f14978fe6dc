using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Status;

/// <summary>
/// A pod's addresses: the host's for hostNetwork, else its sandbox's on the pod network (IPv4 first), none on network
/// none; <c>podIP</c> is the first of <c>podIPs</c>. <c>hostIPs</c> is the node's address.
/// </summary>
internal static class PodAddresses
{
    public static void Set(PodStatus status, DesiredPod pod, RuntimeContainer? sandbox, string hostIp)
    {
        IReadOnlyList<string> addresses = pod.Pod.Spec.HostNetwork
            ? hostIp.Length > 0 ? [hostIp] : []
            : sandbox?.IpAddresses ?? [];
        status.PodIp = addresses.Count > 0 ? addresses[0] : "";
        status.PodIps.AddRange(addresses.Select(a => new PodIP { Ip = a }));
        if (hostIp.Length > 0)
        {
            status.HostIps.Add(new HostIP { Ip = hostIp });
        }
    }
}
