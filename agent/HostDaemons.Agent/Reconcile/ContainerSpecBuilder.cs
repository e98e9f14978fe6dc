using System.Globalization;
using System.Text;
using HostDaemons.Agent.Runtime;
using HostDaemons.Model.Hashing;
using HostDaemons.Model.Quantities;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// Maps a pod's containers (init containers and sidecars too) to Docker: command and args (with <c>$(VAR)</c>
/// expansion), env (<see cref="EnvironmentBuilder"/>, in its declared form: ConfigMap and Secret values and the pod's
/// address are resolved when a container is created), volumes (hostPath, emptyDir and the directories of configMap,
/// secret, downwardAPI and projected volumes as binds, subPath, read-only, propagation), limits and requests, ports, security context (with <see cref="ContainerSecurity"/>), the pod's network, PID and IPC
/// namespaces, DNS and hosts entries (on the sandbox, <see cref="PodSandboxSpec"/>, when there is one), log limits,
/// and the labels that let the agent find and adopt them.
/// </summary>
internal static class ContainerSpecBuilder
{
    public static DesiredPod Build(Pod pod, string nodeName) => Build(pod, NodeContext.For(nodeName));

    /// <param name="pod">The pod.</param>
    /// <param name="node">The node it runs on.</param>
    /// <param name="isStatic">It was read from the manifest directory (<see cref="DesiredContainer.IsStatic"/>).</param>
    public static DesiredPod Build(Pod pod, NodeContext node, bool isStatic = false)
    {
        var owner = pod.Metadata.OwnerReferences.FirstOrDefault(o => o.Controller) is { } controller
            ? $"{controller.Kind}/{controller.Name}"
            : SourceAuthority.StaticOwner;
        var inits = pod.Spec.InitContainers
            .Select(c => BuildContainer(pod, c, node, owner) with { Kind = c.RestartPolicy == "Always" ? ContainerKind.Sidecar : ContainerKind.Init, IsStatic = isStatic })
            .ToList();
        var containers = pod.Spec.Containers.Select(c => BuildContainer(pod, c, node, owner) with { IsStatic = isStatic }).ToList();
        var (networkSysctls, otherSysctls) = ContainerSecurity.Sysctls(pod);
        if (!PodSandboxSpec.IsNeeded(pod, node, inits.Count + containers.Count))
        {
            return new DesiredPod(pod, containers, owner) { InitContainers = inits };
        }

        // The containers share the sandbox's network namespace; Docker takes DNS, hosts entries and exposed and
        // published ports from the sandbox only, and the net.* sysctls belong to its namespace.
        var sandbox = PodSandboxSpec.Build(pod, containers[0].Launch, node, PodLabels(pod, node, ContainerLabels.SandboxContainerName, owner), networkSysctls) with
        {
            ExposedPorts = [.. inits.Concat(containers).SelectMany(c => c.Launch.ExposedPorts).Distinct(StringComparer.Ordinal)],
        };
        DesiredContainer Join(DesiredContainer c) => c with
        {
            Launch = c.Launch with { DnsServers = [], DnsSearches = [], DnsOptions = [], ExtraHosts = [], ExposedPorts = [], Sysctls = otherSysctls },
            JoinsSandbox = true,
            SharesSandboxPid = pod.Spec.ShareProcessNamespace,
        };
        return new DesiredPod(pod, [.. containers.Select(Join)], owner, sandbox) { InitContainers = [.. inits.Select(Join)] };
    }

    /// <summary>True when the container's env refers to the pod's address (<c>status.podIP</c> or <c>status.podIPs</c>).</summary>
    public static bool UsesPodIp(Container container) => container.Env.Any(e => e.ValueFrom?.FieldRef?.FieldPath is "status.podIP" or "status.podIPs");

    /// <summary>The labels every container of the pod carries: its node, pod, container name and owner.</summary>
    internal static Dictionary<string, string> PodLabels(Pod pod, NodeContext node, string container, string owner) => new(StringComparer.Ordinal)
    {
        [ContainerLabels.Node] = node.NodeName,
        [ContainerLabels.Namespace] = pod.Metadata.Namespace,
        [ContainerLabels.Pod] = pod.Metadata.Name,
        [ContainerLabels.PodUid] = pod.Metadata.Uid,
        [ContainerLabels.Container] = container,
        [ContainerLabels.Owner] = owner,
    };

    private static DesiredContainer BuildContainer(Pod pod, Container container, NodeContext node, string owner)
    {
        var spec = pod.Spec;
        var limits = container.Resources?.Limits;
        var requests = container.Resources?.Requests;
        var environment = EnvironmentBuilder.Declared(pod, container, node);
        var security = container.SecurityContext;
        var podSecurity = spec.SecurityContext;
        var user = ContainerSecurity.RunAsUser(pod, container);
        var group = ContainerSecurity.RunAsGroup(pod, container);
        var launch = new ContainerLaunchSpec
        {
            Name = "",
            Image = container.Image,
            Entrypoint = environment.Entrypoint,
            Arguments = environment.Arguments,
            WorkingDirectory = container.WorkingDir.Length > 0 ? container.WorkingDir : null,
            Environment = environment.Variables,
            Binds = Binds(pod, container, node),
            MemoryLimitBytes = Parse(limits, "memory", Quantity.ToWhole),
            NanoCpus = Parse(limits, "cpu", v => Quantity.ToMilli(v) * 1_000_000),
            CpuShares = Parse(requests, "cpu", v => Math.Max(2, Quantity.ToMilli(v) * 1024 / 1000)),
            NetworkMode = spec.HostNetwork ? "host" : "none",
            PidMode = spec.HostPid ? "host" : "",
            ExposedPorts = [.. container.Ports.Select(p => $"{p.ContainerPort_}/{(p.Protocol.Length == 0 ? "tcp" : p.Protocol.ToLowerInvariant())}").Distinct(StringComparer.Ordinal)],
            Privileged = security?.Privileged == true,
            CapAdd = [.. security?.Capabilities?.Add ?? []],
            CapDrop = [.. security?.Capabilities?.Drop ?? []],
            User = user is null ? "" : group is null ? Invariant(user.Value) : $"{Invariant(user.Value)}:{Invariant(group.Value)}",
            // As the kubelet: the fsGroup (owner of the pod's projected files) first, then the supplemental groups.
            GroupAdd = [.. podSecurity?.HasFsGroup == true ? [Invariant(podSecurity.FsGroup)] : Array.Empty<string>(), .. podSecurity?.SupplementalGroups.Select(Invariant) ?? []],
            ReadOnlyRootFilesystem = security?.ReadOnlyRootFilesystem == true,
            DnsServers = [.. spec.DnsConfig?.Nameservers ?? []],
            DnsSearches = [.. spec.DnsConfig?.Searches ?? []],
            DnsOptions = [.. spec.DnsConfig?.Options.Select(o => o.HasValue ? $"{o.Name}:{o.Value}" : o.Name) ?? []],
            LogLimits = node.LogLimits,
        };
        var (securityOptions, seccompFile) = ContainerSecurity.Options(pod, container, node);
        launch = launch with
        {
            IpcMode = spec.HostIpc ? "host" : "",
            SecurityOptions = securityOptions,
            SeccompProfileFile = seccompFile,
            Sysctls = podSecurity?.Sysctls.ToDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal) ?? [],
            ExtraHosts = PodSandboxSpec.ExtraHosts(pod),
        };
        var hash = Hash(launch, EnvironmentBuilder.DeclaredEnvFrom(container));
        var grace = spec.HasTerminationGracePeriodSeconds ? spec.TerminationGracePeriodSeconds : 30;
        var labels = new Dictionary<string, string>(PodLabels(pod, node, container.Name, owner), StringComparer.Ordinal)
        {
            [ContainerLabels.SpecHash] = hash,
            [ContainerLabels.GracePeriod] = grace.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in Lifecycle.PreStopLabel.For(pod, container))
        {
            labels[key] = value;
        }

        return new DesiredContainer(pod, container, launch with { Labels = labels }, hash);
    }

    /// <summary>
    /// The binds of the container's mounts: host paths as they are, emptyDirs and the files of configMap, secret,
    /// downwardAPI and projected volumes in the pod's volume directory (those always read-only, as in Kubernetes).
    /// </summary>
    private static List<BindMount> Binds(Pod pod, Container container, NodeContext node)
    {
        var volumes = pod.Spec.Volumes.ToDictionary(v => v.Name, StringComparer.Ordinal);
        var binds = new List<BindMount>();
        foreach (var mount in container.VolumeMounts)
        {
            if (!volumes.TryGetValue(mount.Name, out var volume) || (volume.HostPath is null && volume.EmptyDir is null && !PodVolumePaths.IsProjected(volume)))
            {
                continue;
            }

            var source = PodVolumePaths.HostPath(pod, volume, node);
            if (mount.SubPath.Length > 0)
            {
                source = Path.Combine(source, mount.SubPath);
            }

            binds.Add(new BindMount(source, mount.MountPath, mount.ReadOnly || PodVolumePaths.IsProjected(volume), ContainerSecurity.Propagation(mount)));
        }

        return binds;
    }

    /// <summary>The Docker container name of an instance: readable in <c>docker ps</c>, unique per pod uid and attempt.</summary>
    public static string ContainerName(DesiredContainer container, int attempt) => ContainerName(container.Pod, container.Container.Name, attempt);

    public static string ContainerName(Pod pod, string container, int attempt)
    {
        var meta = pod.Metadata;
        return $"hd_{container}_{meta.Name}_{meta.Namespace}_{meta.Uid[..Math.Min(8, meta.Uid.Length)]}_{attempt}";
    }

    /// <summary>
    /// A hash of everything that shapes the container, so an unchanged container is adopted, never recreated. Values
    /// taken from ConfigMaps and Secrets are not in it (their declared references are); <paramref name="envFrom"/>,
    /// the declared envFrom sources, adds a line only when there are any, so hashes from before it stay the same.
    /// </summary>
    private static string Hash(ContainerLaunchSpec spec, string envFrom)
    {
        var text = new StringBuilder();
        text.Append("image=").Append(spec.Image).Append('\n');
        Append(text, "entrypoint", spec.Entrypoint);
        Append(text, "args", spec.Arguments);
        text.Append("workdir=").Append(spec.WorkingDirectory).Append('\n');
        Append(text, "env", spec.Environment);
        Append(text, "binds", spec.Binds.Select(b => $"{b.HostPath}:{b.ContainerPath}:{(b.ReadOnly ? "ro" : "rw")}{(b.Propagation.Length > 0 ? ":" + b.Propagation : "")}").ToList());
        text.Append(CultureInfo.InvariantCulture, $"memory={spec.MemoryLimitBytes}\nnanocpus={spec.NanoCpus}\nshares={spec.CpuShares}\nnetwork={spec.NetworkMode}\n");
        text.Append(CultureInfo.InvariantCulture, $"pid={spec.PidMode}\nprivileged={spec.Privileged}\nuser={spec.User}\nreadonly={spec.ReadOnlyRootFilesystem}\n");
        Append(text, "ports", spec.ExposedPorts);
        Append(text, "capadd", spec.CapAdd);
        Append(text, "capdrop", spec.CapDrop);
        Append(text, "groups", spec.GroupAdd);
        Append(text, "dns", spec.DnsServers);
        Append(text, "dnssearch", spec.DnsSearches);
        Append(text, "dnsoptions", spec.DnsOptions);
        if (envFrom.Length > 0)
        {
            text.Append("envfrom=").Append(envFrom).Append('\n');
        }

        AppendNewerFields(text, spec);
        return ObjectHash.Compute(text.ToString());
    }

    /// <summary>
    /// Fields the agent maps since issue 13, each written only when set: a container that uses none of them keeps the
    /// hash earlier agents gave it, so an upgrade restarts nothing.
    /// </summary>
    private static void AppendNewerFields(StringBuilder text, ContainerLaunchSpec spec)
    {
        if (spec.IpcMode.Length > 0)
        {
            text.Append("ipc=").Append(spec.IpcMode).Append('\n');
        }

        if (spec.SecurityOptions.Count > 0)
        {
            Append(text, "securityoptions", spec.SecurityOptions);
        }

        if (spec.SeccompProfileFile is { } seccomp)
        {
            text.Append("seccompfile=").Append(seccomp).Append('\n');
        }

        if (spec.Sysctls.Count > 0)
        {
            Append(text, "sysctls", [.. spec.Sysctls.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}")]);
        }

        if (spec.ExtraHosts.Count > 0)
        {
            Append(text, "extrahosts", spec.ExtraHosts);
        }
    }

    private static void Append(StringBuilder text, string name, IReadOnlyList<string>? values)
    {
        text.Append(name).Append('=');
        if (values is null)
        {
            text.Append("<unset>");
        }
        else
        {
            foreach (var value in values)
            {
                text.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
            }
        }

        text.Append('\n');
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static long? Parse(IDictionary<string, string>? list, string name, Func<decimal, long> convert) =>
        list is not null && list.TryGetValue(name, out var text) && Quantity.TryParse(text, out var value) ? convert(value) : null;
}
