using static HostDaemons.Model.PodSecurity.PodSecurityText;

namespace HostDaemons.Model.PodSecurity;

/// <summary>The restricted level's checks, on top of baseline's, as Kubernetes words them.</summary>
internal static class RestrictedChecks
{
    public static IReadOnlyList<PodSecurityCheck> All { get; } =
    [
        new("allowPrivilegeEscalation", PodSecurityLevel.Restricted, 8, AllowPrivilegeEscalation),
        new("capabilities_restricted", PodSecurityLevel.Restricted, 22, Capabilities, BaselineChecks.CapabilitiesId),
        new("restrictedVolumes", PodSecurityLevel.Restricted, 0, Volumes, BaselineChecks.HostPathVolumesId),
        new("runAsNonRoot", PodSecurityLevel.Restricted, 0, RunAsNonRoot),
        new("runAsUser", PodSecurityLevel.Restricted, 23, RunAsUser),
        new("seccompProfile_restricted", PodSecurityLevel.Restricted, 19, Seccomp, BaselineChecks.SeccompId),
    ];

    public static bool ValidSeccomp(string type) => type is "RuntimeDefault" or "Localhost";

    private static PodSecurityViolation? AllowPrivilegeEscalation(PodView pod, PodSecurityVersion version)
    {
        var bad = pod.Containers.Where(x => x.Container.SecurityContext is not { HasAllowPrivilegeEscalation: true, AllowPrivilegeEscalation: false }).ToList();
        return bad.Count == 0
            ? null
            : new("allowPrivilegeEscalation != false",
                $"{Containers([.. bad.Select(x => x.Container.Name)])} must set securityContext.allowPrivilegeEscalation=false",
                [.. bad.Select(x => $"{x.Path}.securityContext.allowPrivilegeEscalation")]);
    }

    private static PodSecurityViolation? Capabilities(PodView pod, PodSecurityVersion version)
    {
        var missingDropAll = new List<string>();
        var addingForbidden = new List<string>();
        var forbidden = new List<string>();
        var paths = new List<string>();
        foreach (var (container, path) in pod.Containers)
        {
            var capabilities = container.SecurityContext?.Capabilities;
            if (capabilities is null || !capabilities.Drop.Contains("ALL"))
            {
                missingDropAll.Add(container.Name);
                paths.Add($"{path}.securityContext.capabilities.drop");
            }

            var bad = (capabilities?.Add ?? []).Select((c, i) => (c, i)).Where(x => x.c != "NET_BIND_SERVICE").ToList();
            if (bad.Count > 0)
            {
                addingForbidden.Add(container.Name);
                forbidden.AddRange(bad.Select(x => x.c));
                paths.AddRange(bad.Select(x => $"{path}.securityContext.capabilities.add[{x.i}]"));
            }
        }

        var details = new List<string>();
        if (missingDropAll.Count > 0)
        {
            details.Add($"{Containers(missingDropAll)} must set securityContext.capabilities.drop=[\"ALL\"]");
        }

        if (addingForbidden.Count > 0)
        {
            details.Add($"{Containers(addingForbidden)} must not include {JoinQuote(SortedSet(forbidden))} in securityContext.capabilities.add");
        }

        return details.Count == 0 ? null : new("unrestricted capabilities", string.Join("; ", details), paths);
    }

    /// <summary>Only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret; of the model's types, hostPath is the one refused.</summary>
    private static PodSecurityViolation? Volumes(PodView pod, PodSecurityVersion version)
    {
        var bad = pod.Spec.Volumes.Select((v, i) => (v, i))
            .Where(x => x.v.ConfigMap is null && x.v.DownwardApi is null && x.v.EmptyDir is null && x.v.Projected is null && x.v.Secret is null)
            .ToList();
        var types = SortedSet(bad.Select(x => x.v.HostPath is not null ? "hostPath" : "unknown"));
        return bad.Count == 0
            ? null
            : new("restricted volume types",
                $"{Pluralize("volume", "volumes", bad.Count)} {JoinQuote(bad.Select(x => x.v.Name))} {Pluralize("uses", "use", bad.Count)} {Pluralize("restricted volume type", "restricted volume types", types.Count)} {JoinQuote(types)}",
                [.. bad.Select(x => x.v.HostPath is not null ? $"spec.volumes[{x.i}].hostPath" : $"spec.volumes[{x.i}]")]);
    }

    private static PodSecurityViolation? RunAsNonRoot(PodView pod, PodSecurityVersion version)
    {
        var setters = new List<string>();
        var paths = new List<string>();
        var podNonRoot = false;
        if (pod.Spec.SecurityContext is { HasRunAsNonRoot: true } podContext)
        {
            if (podContext.RunAsNonRoot)
            {
                podNonRoot = true;
            }
            else
            {
                setters.Add("pod");
                paths.Add("spec.securityContext.runAsNonRoot");
            }
        }

        var explicitlyBad = new List<string>();
        var implicitlyBad = new List<(string Name, string Path)>();
        foreach (var (container, path) in pod.Containers)
        {
            if (container.SecurityContext is { HasRunAsNonRoot: true } context)
            {
                if (!context.RunAsNonRoot)
                {
                    explicitlyBad.Add(container.Name);
                    paths.Add($"{path}.securityContext.runAsNonRoot");
                }
            }
            else if (!podNonRoot)
            {
                implicitlyBad.Add((container.Name, $"{path}.securityContext.runAsNonRoot"));
            }
        }

        if (explicitlyBad.Count > 0)
        {
            setters.Add(Containers(explicitlyBad));
        }

        if (setters.Count > 0)
        {
            return new("runAsNonRoot != true", $"{string.Join(" and ", setters)} must not set securityContext.runAsNonRoot=false", paths);
        }

        return implicitlyBad.Count == 0
            ? null
            : new("runAsNonRoot != true", $"pod or {Containers([.. implicitlyBad.Select(x => x.Name)])} must set securityContext.runAsNonRoot=true",
                [.. implicitlyBad.Select(x => x.Path)]);
    }

    private static PodSecurityViolation? RunAsUser(PodView pod, PodSecurityVersion version)
    {
        var setters = new List<string>();
        var paths = new List<string>();
        if (pod.Spec.SecurityContext is { HasRunAsUser: true, RunAsUser: 0 })
        {
            setters.Add("pod");
            paths.Add("spec.securityContext.runAsUser");
        }

        var bad = pod.Containers.Where(x => x.Container.SecurityContext is { HasRunAsUser: true, RunAsUser: 0 }).ToList();
        if (bad.Count > 0)
        {
            setters.Add(Containers([.. bad.Select(x => x.Container.Name)]));
            paths.AddRange(bad.Select(x => $"{x.Path}.securityContext.runAsUser"));
        }

        return setters.Count == 0 ? null : new("runAsUser=0", $"{string.Join(" and ", setters)} must not set runAsUser=0", paths);
    }

    private static PodSecurityViolation? Seccomp(PodView pod, PodSecurityVersion version)
    {
        var setters = new List<string>();
        var values = new List<string>();
        var paths = new List<string>();
        var podSet = false;
        if (pod.Spec.SecurityContext?.SeccompProfile is { } podProfile)
        {
            if (ValidSeccomp(podProfile.Type))
            {
                podSet = true;
            }
            else
            {
                setters.Add("pod");
                values.Add(podProfile.Type);
                paths.Add("spec.securityContext.seccompProfile.type");
            }
        }

        var explicitlyBad = new List<string>();
        var implicitlyBad = new List<(string Name, string Path)>();
        foreach (var (container, path) in pod.Containers)
        {
            if (container.SecurityContext?.SeccompProfile is { } profile)
            {
                if (!ValidSeccomp(profile.Type))
                {
                    explicitlyBad.Add(container.Name);
                    values.Add(profile.Type);
                    paths.Add($"{path}.securityContext.seccompProfile.type");
                }
            }
            else if (!podSet)
            {
                implicitlyBad.Add((container.Name, $"{path}.securityContext.seccompProfile"));
            }
        }

        if (explicitlyBad.Count > 0)
        {
            setters.Add(Containers(explicitlyBad));
        }

        if (setters.Count > 0)
        {
            return new("seccompProfile", $"{string.Join(" and ", setters)} must not set securityContext.seccompProfile.type to {JoinQuote(SortedSet(values))}", paths);
        }

        return implicitlyBad.Count == 0
            ? null
            : new("seccompProfile",
                $"pod or {Containers([.. implicitlyBad.Select(x => x.Name)])} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"",
                [.. implicitlyBad.Select(x => x.Path)]);
    }
}
