using System.ComponentModel.DataAnnotations;

namespace HostDaemons.Agent;

/// <summary>The agent's settings: flags, HOSTDAEMONS_* variables or /etc/hostdaemons/agent.yaml.</summary>
public sealed class AgentOptions
{
    public const string SectionName = "Agent";

    public const string DefaultConfigFile = "/etc/hostdaemons/agent.yaml";

    public static IReadOnlyList<string> Flags { get; } =
        ["server", "node-name", "join-token", "join-token-file", "node-labels", "manifest-dir", "state-dir", "docker-endpoint", "resync-period", "manifest-check-period", "log-max-size", "log-max-files",
        "pod-resource-refresh-period", "pod-network", "allow-privileged", "allowed-host-paths", "api-server-address"];

    public static IReadOnlySet<string> DurationFlags { get; } = new HashSet<string> { "resync-period", "manifest-check-period", "pod-resource-refresh-period" };

    /// <summary>The settings whose value is a list, with how the settings file's mapping items are written as flag items.</summary>
    internal static IReadOnlyDictionary<string, Func<IReadOnlyDictionary<string, string?>, string>> ListFlags { get; } =
        new Dictionary<string, Func<IReadOnlyDictionary<string, string?>, string>> { ["allowed-host-paths"] = Policy.AllowedHostPath.FormatSettingItem };

    /// <summary>The control plane's URL; the default is the packaged control plane's on this host (joining needs a token).</summary>
    [Required]
    public string Server { get; set; } = "https://127.0.0.1:7443";

    /// <summary>
    /// A join token (<c>HD1-...</c>) for a node without a certificate yet, or whose certificate expired; also
    /// <c>HOSTDAEMONS_JOIN_TOKEN</c>. Prefer <see cref="JoinTokenFile"/>: a flag shows in the process list.
    /// </summary>
    public string JoinToken { get; set; } = "";

    /// <summary>A file holding the join token. The agent reads it only when it must join; it may be deleted after.</summary>
    public string JoinTokenFile { get; set; } = "";

    /// <summary>This node's name; the host name when not set.</summary>
    public string NodeName { get; set; } = "";

    /// <summary><c>k=v,k2=v2</c>, applied when the node first registers.</summary>
    public string NodeLabels { get; set; } = "";

    /// <summary>The static pod manifest directory.</summary>
    [Required]
    public string ManifestDir { get; set; } = "/etc/hostdaemons/manifests";

    /// <summary>Where the agent keeps its last assignments, so it can run them without a control plane.</summary>
    [Required]
    public string StateDir { get; set; } = "/var/lib/hostdaemons/agent";

    /// <summary>
    /// Makes the directories absolute, against the working directory the agent starts in: volume and termination
    /// message files under the state directory are bound into containers, and Docker takes a relative bind source for
    /// the name of a volume.
    /// </summary>
    internal static void ResolveDirectories(AgentOptions options)
    {
        options.StateDir = options.StateDir.Length > 0 ? Path.GetFullPath(options.StateDir) : options.StateDir;
        options.ManifestDir = options.ManifestDir.Length > 0 ? Path.GetFullPath(options.ManifestDir) : options.ManifestDir;
    }

    /// <summary>The Docker engine; <c>DOCKER_HOST</c>, else the local socket, when not set.</summary>
    public string DockerEndpoint { get; set; } = "";

    /// <summary>How often the agent compares everything with Docker even without an event: the safety net.</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the manifest directory is read in full even without a file notification (the kubelet's fileCheckFrequency).</summary>
    public TimeSpan ManifestCheckPeriod { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How often the ConfigMaps and Secrets that pods use are read again from the control plane, so a change reaches
    /// mounted files within a minute, as in Kubernetes (env values are fixed when a container is created).
    /// </summary>
    public TimeSpan PodResourceRefreshPeriod { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Each container's log file rotates at this size (Docker's json-file <c>max-size</c>: 10m, 1g).</summary>
    [Required]
    public string LogMaxSize { get; set; } = "10m";

    /// <summary>How many rotated log files each container keeps.</summary>
    [Range(1, 100)]
    public int LogMaxFiles { get; set; } = 3;

    /// <summary>
    /// The Docker network of pods without hostNetwork: <c>none</c>, or a network's name. Empty: Docker's <c>bridge</c>
    /// when the engine has it, else <c>none</c> (with a warning).
    /// </summary>
    public string PodNetwork { get; set; } = "";

    /// <summary>
    /// Whether pods from the control plane may run privileged containers (host policy; static pods always may). A
    /// refused container waits with reason HostPolicyViolation.
    /// </summary>
    public bool AllowPrivileged { get; set; } = true;

    /// <summary>
    /// The host paths pods from the control plane may mount as hostPath volumes (host policy; static pods may mount
    /// any): <c>/var/log:ro,/srv/data</c>, each prefix compared per component after resolving symbolic links, <c>:ro</c>
    /// for read-only only. Not set: any path. Empty: none.
    /// </summary>
    public string? AllowedHostPaths { get; set; }

    /// <summary>
    /// The control plane address containers are given in <c>KUBERNETES_SERVICE_HOST</c> and <c>KUBERNETES_SERVICE_PORT</c>,
    /// for in-pod clients: <c>https://HOST:PORT</c> (or <c>HOST:PORT</c>). Not set: the host and port of <see cref="Server"/>.
    /// </summary>
    public string ApiServerAddress { get; set; } = "";

    public string EffectiveNodeName => NodeName.Length > 0 ? NodeName : Environment.MachineName.ToLowerInvariant();

    public Uri EffectiveDockerEndpoint => new(DockerEndpoint.Length > 0
        ? DockerEndpoint
        : Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock");
}
