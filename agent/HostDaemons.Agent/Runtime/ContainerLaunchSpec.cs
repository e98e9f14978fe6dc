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

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}

internal sealed record BindMount(string HostPath, string ContainerPath, bool ReadOnly);
