using System.Globalization;
using System.Text;
using HostDaemons.Agent.Runtime;
using HostDaemons.Model.Hashing;
using HostDaemons.Model.Quantities;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// Maps a pod's containers to Docker: command and args (with <c>$(VAR)</c> expansion), env (<see cref="EnvironmentBuilder"/>,
/// in its declared form: ConfigMap and Secret values are resolved when a container is created), volumes (hostPath,
/// emptyDir and the directories of configMap, secret, downwardAPI and projected volumes as binds, subPath, read-only), limits and requests, ports, security context, the pod's
/// network, PID namespace and DNS, log limits, and the labels that let the agent find and adopt them.
/// </summary>
internal static class ContainerSpecBuilder
{
    public static DesiredPod Build(Pod pod, string nodeName) => Build(pod, NodeContext.For(nodeName));

    public static DesiredPod Build(Pod pod, NodeContext node)
    {
        var owner = pod.Metadata.OwnerReferences.FirstOrDefault(o => o.Controller) is { } controller
            ? $"{controller.Kind}/{controller.Name}"
            : SourceAuthority.StaticOwner;
        var containers = pod.Spec.Containers.Select(c => BuildContainer(pod, c, node, owner)).ToList();
        if (pod.Spec.HostNetwork || containers.Count < 2)
        {
            return new DesiredPod(pod, containers, owner);
        }

        // The containers share the sandbox's network namespace; Docker takes DNS settings from the sandbox only.
        var joined = containers.Select(c => c with { Launch = c.Launch with { DnsServers = [], DnsSearches = [], DnsOptions = [] }, JoinsSandbox = true }).ToList();
        return new DesiredPod(pod, joined, owner, Sandbox(pod, containers[0].Launch, node, owner));
    }

    /// <summary>The pod's sandbox: the pause program in network none, holding the pod's DNS settings.</summary>
    private static ContainerLaunchSpec Sandbox(Pod pod, ContainerLaunchSpec first, NodeContext node, string owner) => new()
    {
        Name = "",
        Image = PauseImage.Name,
        Entrypoint = ["/pause"],
        NetworkMode = "none",
        PidMode = first.PidMode,
        DnsServers = first.DnsServers,
        DnsSearches = first.DnsSearches,
        DnsOptions = first.DnsOptions,
        LogLimits = node.LogLimits,
        Labels = new Dictionary<string, string>(PodLabels(pod, node, ContainerLabels.SandboxContainerName, owner), StringComparer.Ordinal)
        {
            [ContainerLabels.Sandbox] = "true",
            [ContainerLabels.GracePeriod] = "0",
        },
    };

    /// <summary>The labels every container of the pod carries: its node, pod, container name and owner.</summary>
    private static Dictionary<string, string> PodLabels(Pod pod, NodeContext node, string container, string owner) => new(StringComparer.Ordinal)
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
        var user = security?.HasRunAsUser == true ? security.RunAsUser : podSecurity?.HasRunAsUser == true ? podSecurity.RunAsUser : (long?)null;
        var group = security?.HasRunAsGroup == true ? security.RunAsGroup : podSecurity?.HasRunAsGroup == true ? podSecurity.RunAsGroup : (long?)null;
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
        var hash = Hash(launch, EnvironmentBuilder.DeclaredEnvFrom(container));
        var grace = spec.HasTerminationGracePeriodSeconds ? spec.TerminationGracePeriodSeconds : 30;
        launch = launch with
        {
            Labels = new Dictionary<string, string>(PodLabels(pod, node, container.Name, owner), StringComparer.Ordinal)
            {
                [ContainerLabels.SpecHash] = hash,
                [ContainerLabels.GracePeriod] = grace.ToString(CultureInfo.InvariantCulture),
            },
        };
        return new DesiredContainer(pod, container, launch, hash);
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

            binds.Add(new BindMount(source, mount.MountPath, mount.ReadOnly || PodVolumePaths.IsProjected(volume)));
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
        Append(text, "binds", spec.Binds.Select(b => $"{b.HostPath}:{b.ContainerPath}:{(b.ReadOnly ? "ro" : "rw")}").ToList());
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

        return ObjectHash.Compute(text.ToString());
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
