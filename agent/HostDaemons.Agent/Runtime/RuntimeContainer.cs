namespace HostDaemons.Agent.Runtime;

/// <summary>A container as the engine reports it.</summary>
internal sealed record RuntimeContainer
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string Image { get; init; } = "";

    public string ImageId { get; init; } = "";

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public ContainerRunState State { get; init; }

    public int ExitCode { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The engine's error for a container that failed to start or died (OOM, missing mount, ...).</summary>
    public string? Error { get; init; }

    public bool OomKilled { get; init; }

    /// <summary>The container's addresses on the networks it is attached to, IPv4 first (none in network mode none or host).</summary>
    public IReadOnlyList<string> IpAddresses { get; init; } = [];

    /// <summary>The host PID of the container's main process while it runs (0 otherwise): the way into its namespaces.</summary>
    public int Pid { get; init; }
}

internal enum ContainerRunState
{
    Unknown,
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
}
