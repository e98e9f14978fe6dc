using System.Globalization;
using HostDaemons.Agent.Network;
using HostDaemons.Agent.Runtime;
using HostDaemons.Model.Hashing;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// The pod's sandbox: the pause program holding the network namespace its containers join, so the pod's address stays
/// the same across container restarts. A pod without hostNetwork has one when it is on a pod network, has more than
/// one container (init containers count) or shares its process namespace. The sandbox is where the pod's network
/// settings go (Docker takes them from the namespace's owner only): its network, DNS, hostAliases as /etc/hosts
/// entries, hostPorts published as the kubelet's portmap does, and the net.* sysctls.
/// </summary>
internal static class PodSandboxSpec
{
    public static bool IsNeeded(Pod pod, NodeContext node, int containers) =>
        !pod.Spec.HostNetwork && (node.PodNetworkName != PodNetwork.None || containers > 1 || pod.Spec.ShareProcessNamespace);

    public static ContainerLaunchSpec Build(Pod pod, ContainerLaunchSpec first, NodeContext node, IReadOnlyDictionary<string, string> podLabels, IReadOnlyDictionary<string, string> sysctls)
    {
        var network = node.PodNetworkName;
        var ports = network == PodNetwork.None ? [] : PublishedPorts(pod);
        var extraHosts = ExtraHosts(pod);
        var labels = new Dictionary<string, string>(podLabels, StringComparer.Ordinal)
        {
            [ContainerLabels.Sandbox] = "true",
            [ContainerLabels.GracePeriod] = "0",
            [ContainerLabels.SandboxNetwork] = network,
        };
        if (SettingsHash(ports, extraHosts, sysctls) is { } settings)
        {
            labels[ContainerLabels.SandboxSettings] = settings;
        }

        return new ContainerLaunchSpec
        {
            Name = "",
            Image = PauseImage.Name,
            Entrypoint = ["/pause"],
            NetworkMode = network,
            PidMode = first.PidMode,
            DnsServers = first.DnsServers,
            DnsSearches = first.DnsSearches,
            DnsOptions = first.DnsOptions,
            ExtraHosts = extraHosts,
            PublishedPorts = ports,
            Sysctls = sysctls,
            LogLimits = node.LogLimits,
            Labels = labels,
        };
    }

    /// <summary>
    /// True when the running sandbox was made for the network and settings the pod wants now. One made before pod
    /// networks existed (no labels) holds network none and nothing else, so an upgrade keeps it.
    /// </summary>
    public static bool Matches(RuntimeContainer sandbox, ContainerLaunchSpec desired) =>
        (sandbox.Get(ContainerLabels.SandboxNetwork) ?? PodNetwork.None) == desired.NetworkMode
        && (sandbox.Get(ContainerLabels.SandboxSettings) ?? "") == desired.Labels.GetValueOrDefault(ContainerLabels.SandboxSettings, "");

    /// <summary>The pod's hostPorts (app containers and sidecars), as the kubelet's portmap publishes them.</summary>
    public static List<PublishedPort> PublishedPorts(Pod pod) =>
    [
        .. pod.Spec.InitContainers.Where(c => c.RestartPolicy == "Always").Concat(pod.Spec.Containers)
            .SelectMany(c => c.Ports)
            .Where(p => p.HostPort > 0)
            .Select(p => new PublishedPort(p.ContainerPort_, p.Protocol.Length == 0 ? "tcp" : p.Protocol.ToLowerInvariant(), p.HostPort, p.HostIp)),
    ];

    /// <summary>The pod's hostAliases as Docker's extra hosts (<c>hostname:ip</c>), in order.</summary>
    public static List<string> ExtraHosts(Pod pod) =>
        [.. pod.Spec.HostAliases.SelectMany(a => a.Hostnames.Select(h => $"{h}:{a.Ip}"))];

    private static string? SettingsHash(IReadOnlyList<PublishedPort> ports, IReadOnlyList<string> extraHosts, IReadOnlyDictionary<string, string> sysctls)
    {
        if (ports.Count == 0 && extraHosts.Count == 0 && sysctls.Count == 0)
        {
            return null;
        }

        var text = string.Join('\n', ports.Select(p => string.Create(CultureInfo.InvariantCulture, $"port={p.HostIp}:{p.HostPort}:{p.ContainerPort}/{p.Protocol}"))
            .Concat(extraHosts.Select(h => "host=" + h))
            .Concat(sysctls.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"sysctl={s.Key}={s.Value}")));
        return ObjectHash.Compute(text);
    }
}
