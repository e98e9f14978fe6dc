using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// What an update may change in a pod, as Kubernetes' ValidatePodUpdate: its metadata, its containers' images, its
/// active deadline and added tolerations; nothing else of its spec.
/// </summary>
internal static class PodUpdateRules
{
    private const string Allowed =
        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
        + "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    public static IReadOnlyList<FieldError> Check(Pod updated, Pod existing)
    {
        if (updated.Spec is null || existing.Spec is null)
        {
            return updated.Spec == existing.Spec ? [] : [new FieldError("spec", FieldErrorType.Forbidden, Allowed)];
        }

        var comparable = updated.Spec.Clone();
        if (comparable.Containers.Count == existing.Spec.Containers.Count && comparable.InitContainers.Count == existing.Spec.InitContainers.Count)
        {
            for (var i = 0; i < comparable.Containers.Count; i++)
            {
                comparable.Containers[i].Image = existing.Spec.Containers[i].Image;
            }

            for (var i = 0; i < comparable.InitContainers.Count; i++)
            {
                comparable.InitContainers[i].Image = existing.Spec.InitContainers[i].Image;
            }
        }

        if (comparable.HasActiveDeadlineSeconds || existing.Spec.HasActiveDeadlineSeconds)
        {
            comparable.ActiveDeadlineSeconds = existing.Spec.ActiveDeadlineSeconds;
            if (!existing.Spec.HasActiveDeadlineSeconds)
            {
                comparable.ClearActiveDeadlineSeconds();
            }
        }

        if (existing.Spec.Tolerations.All(comparable.Tolerations.Contains))
        {
            comparable.Tolerations.Clear();
            comparable.Tolerations.Add(existing.Spec.Tolerations);
        }

        return comparable.Equals(existing.Spec) ? [] : [new FieldError("spec", FieldErrorType.Forbidden, Allowed)];
    }
}
