using HostDaemons.Model.V1;

namespace HostDaemons.Model.Objects;

/// <summary>
/// The annotations of static pods and their mirrors, as the kubelet writes them: a static pod carries its config hash
/// (which is also its uid); its mirror in the API carries the same hash under <see cref="Mirror"/>.
/// </summary>
public static class MirrorPodAnnotations
{
    /// <summary>Marks a pod as the mirror of a static pod; the value is the static pod's config hash.</summary>
    public const string Mirror = "kubernetes.io/config.mirror";

    /// <summary>The static pod's config hash.</summary>
    public const string Hash = "kubernetes.io/config.hash";

    /// <summary>True for the mirror of a static pod, which only its node's agent may create or change.</summary>
    public static bool IsMirror(this Pod pod) => pod.Metadata?.Annotations.ContainsKey(Mirror) == true;
}
