using Google.Protobuf.WellKnownTypes;
using HostDaemons.ControlPlane.Nodes;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>
/// Deletes pods as Kubernetes does: a pod on a live node is marked (deletionTimestamp and grace period) and the agent
/// stops its containers and then removes it; a pod whose node is gone, or that never reached a node, goes at once, and
/// so does a mirror pod (its static pod is the agent's, and stays). A forced deletion with a grace period of 0 does not
/// wait for a node that is not Ready either, as the API server removes a force-deleted pod at once.
/// </summary>
internal sealed class PodTerminator(IObjectStore store, TimeProvider time)
{
    public async Task TerminateAsync(Pod pod, long? gracePeriodSeconds, CancellationToken cancellationToken, bool force = false)
    {
        var nodeName = pod.Spec?.NodeName ?? "";
        var node = nodeName.Length == 0 ? null : store.Get<Node>("", nodeName);
        if (node is null || pod.IsMirror() || (force && gracePeriodSeconds == 0 && !NodeConditions.IsReady(node)))
        {
            await store.DeleteAsync<Pod>(pod.Metadata.Namespace, pod.Metadata.Name, pod.Metadata.Uid, cancellationToken).ConfigureAwait(false);
            return;
        }

        var now = Timestamp.FromDateTimeOffset(time.GetUtcNow());
        await store.MutateAsync<Pod>(pod.Metadata.Namespace, pod.Metadata.Name, p =>
        {
            if (p.Metadata.Uid != pod.Metadata.Uid)
            {
                return false;
            }

            var grace = gracePeriodSeconds ?? (p.Spec.HasTerminationGracePeriodSeconds ? p.Spec.TerminationGracePeriodSeconds : ObjectDefaults.DefaultTerminationGracePeriodSeconds);
            if (p.Metadata.DeletionTimestamp is not null && (!p.Metadata.HasDeletionGracePeriodSeconds || p.Metadata.DeletionGracePeriodSeconds <= grace))
            {
                return false;
            }

            p.Metadata.DeletionTimestamp ??= now;
            p.Metadata.DeletionGracePeriodSeconds = grace;
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }
}
