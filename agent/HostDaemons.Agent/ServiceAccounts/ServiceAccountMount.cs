using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.ServiceAccounts;

/// <summary>
/// Whether a pod gets the kubelet's service account volume (<c>kube-api-access</c>, what Kubernetes' ServiceAccount
/// admission adds): the pod's <c>automountServiceAccountToken</c> wins, else its service account's, else it does.
/// Static pods never get one, as mirror pods may not reference a service account in Kubernetes; a container that
/// already mounts something at the path keeps its own mount.
/// </summary>
internal static class ServiceAccountMount
{
    public const string MountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>The name in messages (Kubernetes adds a random suffix).</summary>
    public const string VolumeName = "kube-api-access";

    /// <summary>Its host directory's name in the pod's directory: a dot keeps it apart from every volume name a pod may have.</summary>
    public const string DirectoryName = "kube-api-access.hostdaemons";

    /// <summary>The kubelet's token lifetime for the volume: an hour and 7 seconds, so the API server can tell these tokens apart.</summary>
    public const long ExpirationSeconds = 3607;

    public static PodTokenKey TokenKey { get; } = new("", ExpirationSeconds);

    /// <summary>True when the decision needs the pod's service account: the pod does not say.</summary>
    public static bool NeedsAccount(PodSpec spec) => !spec.HasAutomountServiceAccountToken;

    /// <param name="pod">The pod.</param>
    /// <param name="isStatic">It was read from the manifest directory.</param>
    /// <param name="account">Its service account as last fetched; null when unknown or missing (then the token request says so).</param>
    public static bool ShouldMount(Pod pod, bool isStatic, ServiceAccount? account) =>
        !isStatic && !pod.IsMirror() && (pod.Spec.HasAutomountServiceAccountToken
            ? pod.Spec.AutomountServiceAccountToken
            : account is not { HasAutomountServiceAccountToken: true, AutomountServiceAccountToken: false });

    /// <summary>The container has no mount of its own at <see cref="MountPath"/>.</summary>
    public static bool MountsInto(Container container) => !container.VolumeMounts.Any(m => m.MountPath == MountPath);
}
