using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// Mirror pods belong to their node's agent (Kubernetes' NodeRestriction admission): through the admin API nobody may
/// create a pod that claims to be a mirror, nor change one. Deleting one is allowed, and only brings it back.
/// </summary>
internal static class MirrorPodAdmission
{
    public const string Reason = "mirror pods are created by the agent of their node only";

    /// <summary>Refuses an object written through the admin API that is, or would replace, a mirror pod.</summary>
    public static void CheckWrite(IObjectStore store, IKubeObject value)
    {
        if (value is not Pod pod)
        {
            return;
        }

        var ns = pod.Metadata?.Namespace is { Length: > 0 } given ? given : ObjectDefaults.DefaultNamespace;
        var name = pod.Metadata?.Name ?? "";
        if (pod.IsMirror() || store.Get<Pod>(ns, name)?.IsMirror() == true)
        {
            throw ApiErrors.Forbidden(ResourceKind.Pod, name, Reason);
        }
    }

    /// <summary>Refuses a change through the admin API (labels) of a stored mirror pod.</summary>
    public static void CheckChange(IKubeObject stored)
    {
        if (stored is Pod pod && pod.IsMirror())
        {
            throw ApiErrors.Forbidden(ResourceKind.Pod, pod.Metadata.Name, Reason);
        }
    }
}
