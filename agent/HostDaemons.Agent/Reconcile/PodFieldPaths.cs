using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// The downward API's <c>fieldRef</c> paths, as the kubelet resolves them for env values and downwardAPI files: the
/// pod's metadata (<see cref="DownwardApiPaths.TryMetadataValue"/>), and for env the node name, service account, host
/// IP and pod IP.
/// </summary>
internal static class PodFieldPaths
{
    /// <summary>A field of the pod for an env value; an unknown path (refused by validation) gives an empty value.</summary>
    public static string EnvValue(Pod pod, string path, NodeContext node, string podIp) => path switch
    {
        "spec.nodeName" => node.NodeName,
        "spec.serviceAccountName" => pod.Spec.ServiceAccountName,
        "status.hostIP" or "status.hostIPs" => node.HostIp,
        "status.podIP" or "status.podIPs" => podIp,
        _ => DownwardApiPaths.TryMetadataValue(pod.Metadata, path, out var value) ? value : "",
    };

    /// <summary>A field of the pod for a downwardAPI file: metadata only, as Kubernetes allows in volumes.</summary>
    public static string VolumeValue(Pod pod, string path) =>
        DownwardApiPaths.TryMetadataValue(pod.Metadata, path, out var value) ? value : throw new InvalidOperationException($"unsupported fieldPath: {path}");
}
