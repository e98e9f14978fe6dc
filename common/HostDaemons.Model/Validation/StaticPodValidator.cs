using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>
/// The kubelet's rule for static pods (PreventStaticPodAPIReferences): a pod that runs without the API may not depend
/// on its objects, so a service account, Secrets and ConfigMaps are refused wherever the pod names them
/// (<see cref="PodApiReferences"/>). Each reference is an error at the field that makes it, worded as the kubelet
/// words the list.
/// </summary>
internal static class StaticPodValidator
{
    public static void ValidateReferences(Pod pod, ValidationErrors errors)
    {
        var name = pod.Metadata?.Name ?? "";
        foreach (var reference in PodApiReferences.Of(pod.Spec))
        {
            errors.Forbidden(reference.Path, $"pod \"{name}\" has forbidden references to API objects: {reference.Reference}");
        }
    }
}
