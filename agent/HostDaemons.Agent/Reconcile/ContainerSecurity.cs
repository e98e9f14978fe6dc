using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// The security context fields Docker expresses as security options, the container's value winning over the pod's:
/// seccompProfile (RuntimeDefault is Docker's default profile, Unconfined <c>seccomp=unconfined</c>, Localhost a profile
/// file under the node's seccomp directory), appArmorProfile (<c>apparmor=unconfined</c> or <c>apparmor=NAME</c>),
/// allowPrivilegeEscalation false (<c>no-new-privileges</c>) and procMount Unmasked (<c>systempaths=unconfined</c>).
/// </summary>
internal static class ContainerSecurity
{
    public static (IReadOnlyList<string> Options, string? SeccompProfileFile) Options(Pod pod, Container container, NodeContext node)
    {
        var security = container.SecurityContext;
        var podSecurity = pod.Spec.SecurityContext;
        var options = new List<string>();
        string? seccompFile = null;
        switch (security?.SeccompProfile ?? podSecurity?.SeccompProfile)
        {
            case { Type: "Unconfined" }:
                options.Add("seccomp=unconfined");
                break;
            case { Type: "Localhost" } localhost:
                seccompFile = Path.Combine(node.SeccompProfileRoot, localhost.LocalhostProfile);
                break;
        }

        switch (security?.AppArmorProfile ?? podSecurity?.AppArmorProfile)
        {
            case { Type: "Unconfined" }:
                options.Add("apparmor=unconfined");
                break;
            case { Type: "Localhost" } localhost:
                options.Add("apparmor=" + localhost.LocalhostProfile);
                break;
        }

        if (security is { HasAllowPrivilegeEscalation: true, AllowPrivilegeEscalation: false })
        {
            options.Add("no-new-privileges");
        }

        if (security?.ProcMount == "Unmasked")
        {
            options.Add("systempaths=unconfined");
        }

        return (options, seccompFile);
    }

    /// <summary>The user the container runs as: its runAsUser, else the pod's, else none (the image's).</summary>
    public static long? RunAsUser(Pod pod, Container container) =>
        container.SecurityContext is { HasRunAsUser: true } own ? own.RunAsUser
        : pod.Spec.SecurityContext is { HasRunAsUser: true } shared ? shared.RunAsUser
        : null;

    /// <summary>The group the container runs as: its runAsGroup, else the pod's, else none.</summary>
    public static long? RunAsGroup(Pod pod, Container container) =>
        container.SecurityContext is { HasRunAsGroup: true } own ? own.RunAsGroup
        : pod.Spec.SecurityContext is { HasRunAsGroup: true } shared ? shared.RunAsGroup
        : null;

    /// <summary>Docker's bind propagation for a mount's mountPropagation: HostToContainer is rslave, Bidirectional rshared.</summary>
    public static string Propagation(VolumeMount mount) => mount.MountPropagation switch
    {
        "HostToContainer" => "rslave",
        "Bidirectional" => "rshared",
        _ => "",
    };

    /// <summary>
    /// A pod's sysctls by where they take effect: net.* in the network namespace (the sandbox's, when the pod has one),
    /// the rest (IPC) in each container's own namespaces.
    /// </summary>
    public static (Dictionary<string, string> Network, Dictionary<string, string> Other) Sysctls(Pod pod)
    {
        var network = new Dictionary<string, string>(StringComparer.Ordinal);
        var other = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var sysctl in pod.Spec.SecurityContext?.Sysctls ?? [])
        {
            (sysctl.Name.StartsWith("net.", StringComparison.Ordinal) ? network : other)[sysctl.Name] = sysctl.Value;
        }

        return (network, other);
    }
}
