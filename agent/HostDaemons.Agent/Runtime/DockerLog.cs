
namespace HostDaemons.Agent.Runtime;

/// <summary>Log messages of <see cref="DockerContainerRuntime"/> (event ids 100–199).</summary>
internal static partial class DockerLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Listed {Count} containers of node {NodeName}, {Inspected} of them inspected")]
    public static partial void ContainersListed(ILogger logger, int count, string nodeName, int inspected);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Container {ContainerId} was removed before it could be inspected")]
    public static partial void ContainerVanished(ILogger logger, string containerId);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Pulling image {Image}")]
    public static partial void PullingImage(ILogger logger, string image);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Pulled image {Image}")]
    public static partial void PulledImage(ILogger logger, string image);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Failed to pull image {Image}: {Error}")]
    public static partial void PullFailed(ILogger logger, string image, string error);

    [LoggerMessage(EventId = 105, Level = LogLevel.Debug, Message = "Created container {ContainerName} ({ContainerId}) from image {Image}")]
    public static partial void ContainerCreated(ILogger logger, string containerName, string containerId, string image);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "The engine warned while creating container {ContainerName}: {Warning}")]
    public static partial void CreateWarning(ILogger logger, string containerName, string warning);

    [LoggerMessage(EventId = 107, Level = LogLevel.Debug, Message = "Started container {ContainerId}")]
    public static partial void ContainerStarted(ILogger logger, string containerId);

    [LoggerMessage(EventId = 108, Level = LogLevel.Debug, Message = "Stopping container {ContainerId}, killing it after {GraceSeconds} s")]
    public static partial void StoppingContainer(ILogger logger, string containerId, uint graceSeconds);

    [LoggerMessage(EventId = 109, Level = LogLevel.Debug, Message = "Container {ContainerId} to stop does not exist")]
    public static partial void StopMissing(ILogger logger, string containerId);

    [LoggerMessage(EventId = 110, Level = LogLevel.Debug, Message = "Removed container {ContainerId}")]
    public static partial void ContainerRemoved(ILogger logger, string containerId);

    [LoggerMessage(EventId = 111, Level = LogLevel.Debug, Message = "Container {ContainerId} to remove is already gone or being removed")]
    public static partial void RemoveMissing(ILogger logger, string containerId);

    [LoggerMessage(EventId = 112, Level = LogLevel.Debug, Message = "Watching engine events of node {NodeName}")]
    public static partial void WatchingEvents(ILogger logger, string nodeName);

    [LoggerMessage(EventId = 113, Level = LogLevel.Debug, Message = "The engine event stream of node {NodeName} ended")]
    public static partial void EventStreamEnded(ILogger logger, string nodeName, Exception? exception);
}
