using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Policy;

/// <summary>
/// What this host lets the control plane's pods do, Nomad-style: set in the agent's own settings, so a control plane
/// that is compromised cannot lift it. <c>allow-privileged: false</c> refuses privileged containers;
/// <c>allowed-host-paths</c> limits hostPath volumes to the listed prefixes (read-only where an entry says so). Paths
/// are compared per component after resolving symbolic links on the host (<see cref="HostPathResolver"/>), at the
/// moment each container is created, so a link planted after the pod was accepted is caught too; the container is
/// then given the resolved path. With paths limited, a subPath must also stay inside its volume. Static pods are the
/// host administrator's own and are not checked.
/// </summary>
internal sealed class HostPolicy(bool allowPrivileged, IReadOnlyList<AllowedHostPath>? allowedHostPaths, NodeContext node)
{
    /// <summary>The waiting reason (and event reason) of a container the policy refuses.</summary>
    public const string ViolationReason = "HostPolicyViolation";

    public static HostPolicy From(AgentOptions options, NodeContext node)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The options were validated at start; a list that cannot be read still never means "any path".
        return AllowedHostPath.TryParseList(options.AllowedHostPaths, out var paths, out var error)
            ? new HostPolicy(options.AllowPrivileged, paths, node)
            : throw new InvalidOperationException($"allowed-host-paths: {error}");
    }

    /// <summary>
    /// The launch spec to create <paramref name="container"/> with: <paramref name="spec"/>, its hostPath binds at their
    /// resolved paths when paths are limited.
    /// </summary>
    /// <exception cref="ContainerRuntimeException"><see cref="ViolationReason"/>, naming the field and the rule it breaks.</exception>
    public ContainerLaunchSpec Admit(DesiredContainer container, ContainerLaunchSpec spec)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(spec);
        if (container.IsStatic)
        {
            return spec;
        }

        var name = container.Container.Name;
        if (!allowPrivileged && container.Container.SecurityContext?.Privileged == true)
        {
            throw Violation($"container {name} sets securityContext.privileged: true, and this host does not allow privileged containers (allow-privileged: false)");
        }

        if (allowedHostPaths is null)
        {
            return spec;
        }

        var binds = spec.Binds.ToList();
        var volumes = container.Pod.Spec.Volumes.ToDictionary(v => v.Name, StringComparer.Ordinal);
        IReadOnlyList<(AllowedHostPath Entry, string Resolved)>? prefixes = null;
        foreach (var mount in container.Container.VolumeMounts)
        {
            if (!volumes.TryGetValue(mount.Name, out var volume) || (volume.HostPath is null && mount.SubPath.Length == 0))
            {
                continue;
            }

            var root = PodVolumePaths.HostPath(container.Pod, volume, node);
            var source = mount.SubPath.Length > 0 ? Path.Combine(root, mount.SubPath) : root;
            var resolved = Resolve(source, volume.Name);
            if (volume.HostPath is null)
            {
                // An emptyDir (or projected) volume's subPath through a link a container made would reach the host.
                if (!HostPathResolver.IsUnder(resolved, Resolve(root, volume.Name)))
                {
                    throw Violation($"volumeMount {mount.MountPath} of container {name}: subPath {mount.SubPath} of volume \"{volume.Name}\" resolves to {resolved}, outside the volume");
                }

                continue;
            }

            // The prefixes are resolved once per container, when it mounts a host path, not once per mount.
            prefixes ??= [.. allowedHostPaths.Select(p => (p, Resolve(p.PathPrefix, volume.Name)))];
            Check(volume.Name, source, resolved, prefixes, mount, name);
            var index = binds.FindIndex(b => b.ContainerPath == mount.MountPath && b.HostPath == source);
            if (index >= 0)
            {
                binds[index] = binds[index] with { HostPath = resolved };
            }
        }

        return spec with { Binds = binds };
    }

    private static void Check(string volume, string source, string resolved, IReadOnlyList<(AllowedHostPath Entry, string Resolved)> prefixes, VolumeMount mount, string container)
    {
        var where = resolved == source ? source : $"{source} (resolved: {resolved})";
        var matching = prefixes.Where(p => HostPathResolver.IsUnder(resolved, p.Resolved)).Select(p => p.Entry).ToList();
        if (matching.Count == 0)
        {
            var allowed = prefixes.Count == 0 ? "none" : string.Join(", ", prefixes.Select(p => p.Entry));
            throw Violation($"hostPath volume \"{volume}\" mounts {where}, which is not under a path this host allows (allowed-host-paths: {allowed})");
        }

        if (!mount.ReadOnly && matching.All(p => p.ReadOnly))
        {
            throw Violation($"hostPath volume \"{volume}\" mounts {where} writable in container {container}, and this host allows it read-only only "
                + $"(allowed-host-paths: {string.Join(", ", matching)}): set readOnly: true on the volumeMount");
        }
    }

    private static string Resolve(string path, string volume)
    {
        try
        {
            return HostPathResolver.Resolve(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Violation($"the path of volume \"{volume}\" cannot be checked: {ex.Message}");
        }
    }

    private static ContainerRuntimeException Violation(string message) => new(ViolationReason, message);
}
