using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// Which pods a node may act on, after Kubernetes' Node authorizer: the one place every node RPC that names a pod
/// asks. The node is the one the connection identifies (<see cref="INodeIdentity"/>), never a request field. A pod
/// that is not the node's is answered exactly as a pod that does not exist, so a node learns nothing about others.
/// </summary>
internal static class NodeAuthorization
{
    /// <summary>
    /// The stored pod <paramref name="key"/> names (same uid) when it is bound to <paramref name="nodeName"/>, else
    /// null: what a node may report status and events for. Its mirror pods are its own, so they count.
    /// </summary>
    public static Pod? BoundPod(IObjectStore store, string nodeName, PodKey? key)
    {
        if (key is null || key.Name.Length == 0)
        {
            return null;
        }

        var pod = store.Get<Pod>(key.Namespace, key.Name);
        return pod is not null && pod.Metadata.Uid == key.Uid && pod.Spec?.NodeName == nodeName ? pod : null;
    }

    /// <summary>
    /// As <see cref="BoundPod"/>, and not a mirror pod: what a node may read objects for (pull credentials,
    /// ConfigMaps, Secrets). A mirror pod's spec is written by its node, so answering for it would let a node read
    /// whatever it names.
    /// </summary>
    public static Pod? BoundWorkloadPod(IObjectStore store, string nodeName, PodKey? key) =>
        BoundPod(store, nodeName, key) is { } pod && !pod.IsMirror() ? pod : null;
}
