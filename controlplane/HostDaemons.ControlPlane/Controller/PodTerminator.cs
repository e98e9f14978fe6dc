using Google.Protobuf.WellKnownTypes;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>
/// Deletes pods as Kubernetes does: a pod on a live node is marked (deletionTimestamp and grace period) and the agent
/// stops its containers and then removes it; a pod whose node is gone, or that never reached a node, goes at once, and
/// so does a mirror pod (its static pod is the agent's, and stays).
/// </summary>
internal sealed class PodTerminator(IObjectStore store, TimeProvider time)
{
    public async Task TerminateAsync(Pod pod, long? gracePeriodSeconds, CancellationToken cancellationToken)
    {
        var nodeName = pod.Spec?.NodeName ?? "";
        if (nodeName.Length == 0 || pod.IsMirror() || store.Get<Node>("", nodeName) is null)
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
