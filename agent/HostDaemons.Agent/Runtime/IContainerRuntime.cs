namespace HostDaemons.Agent.Runtime;

/// <summary>
/// The agent's view of a container engine: the only seam between reconciliation and Docker.
/// Every call is scoped by labels, so several agents can share one engine.
/// </summary>
internal interface IContainerRuntime
{
    Task<RuntimeInfo> GetInfoAsync(CancellationToken cancellationToken);

    /// <summary>Every container (running or not) labelled with this node's name.</summary>
    Task<IReadOnlyList<RuntimeContainer>> ListContainersAsync(string nodeName, CancellationToken cancellationToken);

    Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken);

    /// <summary>The user an image runs as (its config's <c>User</c>: <c>name</c>, <c>uid</c> or <c>uid:gid</c>); empty when it sets none.</summary>
    Task<string> GetImageUserAsync(string image, CancellationToken cancellationToken);

    /// <summary>One container as <see cref="ListContainersAsync"/> reports it, or null when it does not exist.</summary>
    Task<RuntimeContainer?> InspectContainerAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>True when the engine has a network of this name (or id).</summary>
    Task<bool> NetworkExistsAsync(string network, CancellationToken cancellationToken);

    /// <summary>Pulls the image, authenticating with <paramref name="credential"/> when given (else anonymously).</summary>
    Task PullImageAsync(string image, RegistryCredential? credential, CancellationToken cancellationToken);

    Task PullImageAsync(string image, CancellationToken cancellationToken) => PullImageAsync(image, null, cancellationToken);

    /// <summary>Creates an image from a tar of its root file system (<c>docker import</c>).</summary>
    Task ImportImageAsync(string image, Stream rootfs, CancellationToken cancellationToken);

    /// <summary>Creates the container and returns its id. It is not started.</summary>
    Task<string> CreateContainerAsync(ContainerLaunchSpec spec, CancellationToken cancellationToken);

    Task StartContainerAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Sends the stop signal, waits up to <paramref name="gracePeriod"/>, then kills.</summary>
    Task StopContainerAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken);

    /// <summary>Removes a container, killing it first if it still runs. A missing container is not an error.</summary>
    Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a command inside a running container and waits for it to end, at most <paramref name="timeout"/> (then
    /// the result says it timed out; the engine cannot stop the process). Output is stdout and stderr, capped.
    /// </summary>
    Task<ExecResult> ExecAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Container events for this node's containers, until cancelled. Throws when the engine connection drops.</summary>
    IAsyncEnumerable<RuntimeEvent> WatchEventsAsync(string nodeName, CancellationToken cancellationToken);

    /// <summary>The container's stdout and stderr, interleaved as written.</summary>
    IAsyncEnumerable<ReadOnlyMemory<byte>> ReadLogsAsync(string containerId, LogReadOptions options, CancellationToken cancellationToken);
}
