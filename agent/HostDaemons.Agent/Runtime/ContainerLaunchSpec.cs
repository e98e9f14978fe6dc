namespace HostDaemons.Agent.Runtime;

/// <summary>Everything the runtime needs to create one container, already resolved from the pod.</summary>
internal sealed record ContainerLaunchSpec
{
    public required string Name { get; init; }

    public required string Image { get; init; }

    /// <summary>The pod's <c>command</c>: replaces the image's entrypoint when set.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>The pod's <c>args</c>: replaces the image's cmd when set.</summary>
    public IReadOnlyList<string>? Arguments { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary><c>NAME=value</c> pairs in the pod's order.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    public IReadOnlyList<BindMount> Binds { get; init; } = [];

    public long? MemoryLimitBytes { get; init; }

    public long? NanoCpus { get; init; }

    public long? CpuShares { get; init; }

    /// <summary><c>none</c>, <c>host</c> or <c>container:&lt;id&gt;</c>.</summary>
    public string NetworkMode { get; init; } = "none";

    /// <summary><c>host</c> shares the host's PID namespace; empty keeps the container's own.</summary>
    public string PidMode { get; init; } = "";

    /// <summary>Declared ports (<c>8080/tcp</c>): documentation, visible in <c>docker inspect</c>.</summary>
    public IReadOnlyList<string> ExposedPorts { get; init; } = [];

    public bool Privileged { get; init; }

    public IReadOnlyList<string> CapAdd { get; init; } = [];

    public IReadOnlyList<string> CapDrop { get; init; } = [];

    /// <summary><c>uid</c> or <c>uid:gid</c>; empty runs as the image's user.</summary>
    public string User { get; init; } = "";

    public IReadOnlyList<string> GroupAdd { get; init; } = [];

    public bool ReadOnlyRootFilesystem { get; init; }

    public IReadOnlyList<string> DnsServers { get; init; } = [];

    public IReadOnlyList<string> DnsSearches { get; init; } = [];

    public IReadOnlyList<string> DnsOptions { get; init; } = [];

    /// <summary><c>host</c> shares the host's IPC namespace; empty keeps the container's own.</summary>
    public string IpcMode { get; init; } = "";

    /// <summary>Docker security options: <c>no-new-privileges</c>, <c>seccomp=unconfined</c>, <c>apparmor=NAME</c>, <c>systempaths=unconfined</c>.</summary>
    public IReadOnlyList<string> SecurityOptions { get; init; } = [];

    /// <summary>A seccomp profile file on this host (a pod's Localhost profile); the runtime sends its content.</summary>
    public string? SeccompProfileFile { get; init; }

    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = new Dictionary<string, string>();

    /// <summary>Ports published on the host (a pod's hostPorts, on its sandbox).</summary>
    public IReadOnlyList<PublishedPort> PublishedPorts { get; init; } = [];

    /// <summary><c>hostname:ip</c> entries added to the container's /etc/hosts (a pod's hostAliases).</summary>
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    /// <summary>Docker's log driver options (json-file max-size and max-file), so a chatty daemon cannot fill the disk.</summary>
    public ContainerLogLimits? LogLimits { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}

/// <remarks><c>Propagation</c>: empty (Docker's rprivate), <c>rslave</c> or <c>rshared</c>.</remarks>
internal sealed record BindMount(string HostPath, string ContainerPath, bool ReadOnly, string Propagation = "");

/// <summary>A container port published on the host: <c>hostIP:hostPort</c> to <c>containerPort/protocol</c> (lower case).</summary>
internal sealed record PublishedPort(int ContainerPort, string Protocol, int HostPort, string HostIp = "");

internal sealed record ContainerLogLimits(string MaxSize, int MaxFiles);
