using System.Globalization;
using HostDaemons.Model.V1;
using static HostDaemons.Model.PodSecurity.PodSecurityText;

namespace HostDaemons.Model.PodSecurity;

/// <summary>
/// The baseline level's checks, as Kubernetes words them. Checks on fields HostDaemons' pods do not have (Windows
/// hostProcess, seLinuxOptions) are absent: such a field cannot be set, so they always pass.
/// </summary>
internal static class BaselineChecks
{
    public const string HostPathVolumesId = "hostPathVolumes";
    public const string CapabilitiesId = "capabilities_baseline";
    public const string SeccompId = "seccompProfile_baseline";

    private const string AppArmorAnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/";
    private const string SeccompPodAnnotation = "seccomp.security.alpha.kubernetes.io/pod";
    private const string SeccompContainerAnnotationPrefix = "container.seccomp.security.alpha.kubernetes.io/";

    private static readonly HashSet<string> s_defaultCapabilities = new(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    };

    /// <summary>The safe sysctls, and the versions that added some: 1.27, 1.29, 1.32.</summary>
    private static readonly (int Minor, string[] Names)[] s_safeSysctls =
    [
        (0, ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"]),
        (27, ["net.ipv4.ip_local_reserved_ports"]),
        (29, ["net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"]),
        (32, ["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"]),
    ];

    public static IReadOnlyList<PodSecurityCheck> All { get; } =
    [
        new("appArmorProfile", PodSecurityLevel.Baseline, 0, AppArmor),
        new(CapabilitiesId, PodSecurityLevel.Baseline, 0, Capabilities),
        new("hostNamespaces", PodSecurityLevel.Baseline, 0, HostNamespaces),
        new(HostPathVolumesId, PodSecurityLevel.Baseline, 0, HostPathVolumes),
        new("hostPorts", PodSecurityLevel.Baseline, 0, HostPorts),
        new("hostProbesAndHostLifecycle", PodSecurityLevel.Baseline, 34, HostProbesAndLifecycle),
        new("privileged", PodSecurityLevel.Baseline, 0, Privileged),
        new("procMount", PodSecurityLevel.Baseline, 0, ProcMount),
        new(SeccompId, PodSecurityLevel.Baseline, 0, Seccomp),
        new("sysctls", PodSecurityLevel.Baseline, 0, Sysctls),
    ];

    private static PodSecurityViolation? AppArmor(PodView pod, PodSecurityVersion version)
    {
        var setters = new List<string>();
        var values = new List<string>();
        var paths = new List<string>();
        if (pod.Spec.SecurityContext?.AppArmorProfile is { } podProfile && !AllowedProfileType(podProfile.Type))
        {
            setters.Add("pod");
            values.Add(podProfile.Type);
            paths.Add("spec.securityContext.appArmorProfile.type");
        }

        var containers = new List<string>();
        foreach (var (container, path) in pod.Containers)
        {
            if (container.SecurityContext?.AppArmorProfile is { } profile && !AllowedProfileType(profile.Type))
            {
                containers.Add(container.Name);
                values.Add(profile.Type);
                paths.Add($"{path}.securityContext.appArmorProfile.type");
            }
        }

        if (containers.Count > 0)
        {
            setters.Add(Containers(containers));
        }

        var badValues = SortedSet(values);
        var annotations = pod.Annotations
            .Where(a => a.Key.StartsWith(AppArmorAnnotationPrefix, StringComparison.Ordinal) && !AllowedAnnotationProfile(a.Value))
            .OrderBy(a => a.Key, StringComparer.Ordinal)
            .ToList();
        if (annotations.Count > 0)
        {
            badValues.AddRange(annotations.Select(a => $"{a.Key}={GoQuote(a.Value)}").Order(StringComparer.Ordinal));
            setters.Add(Pluralize("annotation", "annotations", annotations.Count));
            paths.AddRange(annotations.Select(a => $"metadata.annotations[{a.Key}]"));
        }

        return setters.Count == 0
            ? null
            : new(Pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", badValues.Count),
                $"{string.Join(" and ", setters)} must not set AppArmor profile type to {JoinQuote(badValues)}", paths);

        static bool AllowedProfileType(string type) => type is "RuntimeDefault" or "Localhost";

        static bool AllowedAnnotationProfile(string value) =>
            value.Length == 0 || value == "runtime/default" || value.StartsWith("localhost/", StringComparison.Ordinal);
    }

    private static PodSecurityViolation? Capabilities(PodView pod, PodSecurityVersion version)
    {
        var containers = new List<string>();
        var capabilities = new List<string>();
        var paths = new List<string>();
        foreach (var (container, path) in pod.Containers)
        {
            var added = container.SecurityContext?.Capabilities?.Add ?? [];
            var bad = added.Select((c, i) => (c, i)).Where(x => !s_defaultCapabilities.Contains(x.c)).ToList();
            if (bad.Count > 0)
            {
                containers.Add(container.Name);
                capabilities.AddRange(bad.Select(x => x.c));
                paths.AddRange(bad.Select(x => $"{path}.securityContext.capabilities.add[{x.i}]"));
            }
        }

        return containers.Count == 0
            ? null
            : new("non-default capabilities",
                $"{Containers(containers)} must not include {JoinQuote(SortedSet(capabilities))} in securityContext.capabilities.add", paths);
    }

    private static PodSecurityViolation? HostNamespaces(PodView pod, PodSecurityVersion version)
    {
        var used = new List<(string Text, string Path)>();
        if (pod.Spec.HostNetwork)
        {
            used.Add(("hostNetwork=true", "spec.hostNetwork"));
        }

        if (pod.Spec.HostPid)
        {
            used.Add(("hostPID=true", "spec.hostPID"));
        }

        if (pod.Spec.HostIpc)
        {
            used.Add(("hostIPC=true", "spec.hostIPC"));
        }

        return used.Count == 0 ? null : new("host namespaces", string.Join(", ", used.Select(u => u.Text)), [.. used.Select(u => u.Path)]);
    }

    private static PodSecurityViolation? HostPathVolumes(PodView pod, PodSecurityVersion version)
    {
        var volumes = pod.Spec.Volumes.Select((v, i) => (v, i)).Where(x => x.v.HostPath is not null).ToList();
        return volumes.Count == 0
            ? null
            : new("hostPath volumes", $"{Pluralize("volume", "volumes", volumes.Count)} {JoinQuote(volumes.Select(x => x.v.Name))}",
                [.. volumes.Select(x => $"spec.volumes[{x.i}].hostPath")]);
    }

    private static PodSecurityViolation? HostPorts(PodView pod, PodSecurityVersion version)
    {
        var containers = new List<string>();
        var ports = new List<string>();
        var paths = new List<string>();
        foreach (var (container, path) in pod.Containers)
        {
            var bad = container.Ports.Select((p, i) => (p, i)).Where(x => x.p.HostPort != 0).ToList();
            if (bad.Count > 0)
            {
                containers.Add(container.Name);
                ports.AddRange(bad.Select(x => x.p.HostPort.ToString(CultureInfo.InvariantCulture)));
                paths.AddRange(bad.Select(x => $"{path}.ports[{x.i}].hostPort"));
            }
        }

        var distinct = SortedSet(ports);
        return containers.Count == 0
            ? null
            : new("hostPort", $"{Containers(containers)} {Pluralize("uses", "use", containers.Count)} {Pluralize("hostPort", "hostPorts", distinct.Count)} {string.Join(", ", distinct)}", paths);
    }

    private static PodSecurityViolation? HostProbesAndLifecycle(PodView pod, PodSecurityVersion version)
    {
        var containers = new List<string>();
        var hosts = new List<string>();
        var paths = new List<string>();
        foreach (var (container, path) in pod.Containers)
        {
            var handlers = new (string Name, HTTPGetAction? Http, TCPSocketAction? Tcp)[]
            {
                ("livenessProbe", container.LivenessProbe?.HttpGet, container.LivenessProbe?.TcpSocket),
                ("readinessProbe", container.ReadinessProbe?.HttpGet, container.ReadinessProbe?.TcpSocket),
                ("startupProbe", container.StartupProbe?.HttpGet, container.StartupProbe?.TcpSocket),
                ("lifecycle.postStart", container.Lifecycle?.PostStart?.HttpGet, container.Lifecycle?.PostStart?.TcpSocket),
                ("lifecycle.preStop", container.Lifecycle?.PreStop?.HttpGet, container.Lifecycle?.PreStop?.TcpSocket),
            };
            foreach (var (name, http, tcp) in handlers)
            {
                if (http is { Host.Length: > 0 })
                {
                    containers.Add(container.Name);
                    hosts.Add(http.Host);
                    paths.Add($"{path}.{name}.httpGet.host");
                }

                if (tcp is { Host.Length: > 0 })
                {
                    containers.Add(container.Name);
                    hosts.Add(tcp.Host);
                    paths.Add($"{path}.{name}.tcpSocket.host");
                }
            }
        }

        var badContainers = SortedSet(containers);
        var badHosts = SortedSet(hosts);
        return badContainers.Count == 0
            ? null
            : new("probe or lifecycle host",
                $"{Containers(badContainers)} {Pluralize("uses", "use", badContainers.Count)} {Pluralize("probe or lifecycle host", "probe or lifecycle hosts", badHosts.Count)} {JoinQuote(badHosts)}",
                paths);
    }

    private static PodSecurityViolation? Privileged(PodView pod, PodSecurityVersion version)
    {
        var bad = pod.Containers.Where(x => x.Container.SecurityContext is { HasPrivileged: true, Privileged: true }).ToList();
        return bad.Count == 0
            ? null
            : new("privileged", $"{Containers([.. bad.Select(x => x.Container.Name)])} must not set securityContext.privileged=true",
                [.. bad.Select(x => $"{x.Path}.securityContext.privileged")]);
    }

    private static PodSecurityViolation? ProcMount(PodView pod, PodSecurityVersion version)
    {
        var bad = pod.Containers.Where(x => x.Container.SecurityContext is { ProcMount.Length: > 0 } sc && sc.ProcMount != "Default").ToList();
        return bad.Count == 0
            ? null
            : new("procMount",
                $"{Containers([.. bad.Select(x => x.Container.Name)])} must not set securityContext.procMount to {JoinQuote(SortedSet(bad.Select(x => x.Container.SecurityContext.ProcMount)))}",
                [.. bad.Select(x => $"{x.Path}.securityContext.procMount")]);
    }

    /// <summary>Before 1.19 the check reads the seccomp annotations; from 1.19 on, the securityContext fields.</summary>
    private static PodSecurityViolation? Seccomp(PodView pod, PodSecurityVersion version) =>
        version.AtLeast(19) ? SeccompFields(pod) : SeccompAnnotations(pod);

    private static PodSecurityViolation? SeccompFields(PodView pod)
    {
        var setters = new List<string>();
        var values = new List<string>();
        var paths = new List<string>();
        if (pod.Spec.SecurityContext?.SeccompProfile is { } podProfile && !RestrictedChecks.ValidSeccomp(podProfile.Type))
        {
            setters.Add("pod");
            values.Add(podProfile.Type);
            paths.Add("spec.securityContext.seccompProfile.type");
        }

        var containers = new List<string>();
        foreach (var (container, path) in pod.Containers)
        {
            if (container.SecurityContext?.SeccompProfile is { } profile && !RestrictedChecks.ValidSeccomp(profile.Type))
            {
                containers.Add(container.Name);
                values.Add(profile.Type);
                paths.Add($"{path}.securityContext.seccompProfile.type");
            }
        }

        if (containers.Count > 0)
        {
            setters.Add(Containers(containers));
        }

        return setters.Count == 0
            ? null
            : new("seccompProfile", $"{string.Join(" and ", setters)} must not set securityContext.seccompProfile.type to {JoinQuote(SortedSet(values))}", paths);
    }

    private static PodSecurityViolation? SeccompAnnotations(PodView pod)
    {
        var keys = new List<string> { SeccompPodAnnotation };
        keys.AddRange(pod.Containers.Select(x => SeccompContainerAnnotationPrefix + x.Container.Name));
        var bad = keys.Distinct(StringComparer.Ordinal)
            .Where(k => pod.Annotations.TryGetValue(k, out var v) && !(v is "runtime/default" or "docker/default" || v.StartsWith("localhost/", StringComparison.Ordinal)))
            .OrderBy(k => k, StringComparer.Ordinal)
            .ToList();
        return bad.Count == 0
            ? null
            : new("seccompProfile",
                $"forbidden {Pluralize("annotation", "annotations", bad.Count)} {string.Join(", ", bad.Select(k => $"{k}={GoQuote(pod.Annotations[k])}"))}",
                [.. bad.Select(k => $"metadata.annotations[{k}]")]);
    }

    private static PodSecurityViolation? Sysctls(PodView pod, PodSecurityVersion version)
    {
        var allowed = s_safeSysctls.Where(s => version.AtLeast(s.Minor)).SelectMany(s => s.Names).ToHashSet(StringComparer.Ordinal);
        var bad = (pod.Spec.SecurityContext?.Sysctls ?? []).Select((s, i) => (s, i)).Where(x => !allowed.Contains(x.s.Name)).ToList();
        return bad.Count == 0
            ? null
            : new("forbidden sysctls", string.Join(", ", bad.Select(x => x.s.Name)), [.. bad.Select(x => $"spec.securityContext.sysctls[{x.i}].name")]);
    }
}
