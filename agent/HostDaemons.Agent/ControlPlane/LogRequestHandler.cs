using Google.Protobuf;
using Grpc.Core;
using HostDaemons.Agent.Runtime;
using HostDaemons.Api.V1;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.ControlPlane;

/// <summary>Answers a relayed logs request: finds the container instance and uploads its output as it is written.</summary>
internal sealed partial class LogRequestHandler(
    IContainerRuntime runtime,
    NodeClientFactory clients,
    IOptions<AgentOptions> options,
    TimeProvider time,
    ILogger<LogRequestHandler> logger)
{
    public async Task HandleAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        if (request.RequestCase != AgentRequest.RequestOneofCase.Logs)
        {
            return;
        }

        using var upload = clients.Client.SendLogs(cancellationToken: cancellationToken);
        try
        {
            await AnswerAsync(request, upload.RequestStream, cancellationToken).ConfigureAwait(false);
            await upload.RequestStream.CompleteAsync().ConfigureAwait(false);
            await upload.ResponseAsync.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException or IOException)
        {
            // The reader went away, or the control plane did: the request simply ends.
            Log.LogsEnded(logger, request.Logs.Pod.Name, ex.Message);
        }
    }

    /// <summary>
    /// Writes the header (the instance found, or why there is none) then the output. The caller always gets a header:
    /// an engine that fails to list is an error the user reads at once, not a relay that times out in silence.
    /// </summary>
    internal async Task AnswerAsync(AgentRequest request, IAsyncStreamWriter<LogsUpload> upload, CancellationToken cancellationToken)
    {
        var logs = request.Logs;
        var header = new LogsUploadHeader { RequestId = request.RequestId };
        RuntimeContainer? instance = null;
        try
        {
            (instance, var error) = await FindAsync(logs, cancellationToken).ConfigureAwait(false);
            if (instance is null)
            {
                header.Error = error;
                header.ErrorCode = nameof(StatusCode.InvalidArgument);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.FindFailed(logger, logs.Pod.Name, ex);
            header.Error = $"the agent could not look up the containers of pod \"{logs.Pod.Name}\": {ex.Message}";
            header.ErrorCode = nameof(StatusCode.Unavailable);
        }

        await upload.WriteAsync(new LogsUpload { Header = header }, cancellationToken).ConfigureAwait(false);
        if (instance is null)
        {
            return;
        }

        try
        {
            var readOptions = new LogReadOptions(logs.Options.Follow, logs.Options.HasTailLines ? logs.Options.TailLines : null, logs.Options.Timestamps, Since(logs.Options));
            await foreach (var chunk in runtime.ReadLogsAsync(instance.Id, readOptions, cancellationToken).ConfigureAwait(false))
            {
                await upload.WriteAsync(new LogsUpload { Data = ByteString.CopyFrom(chunk.Span) }, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ContainerRuntimeException ex)
        {
            // The container went away while its output was read: what was sent is what there is.
            Log.LogsEnded(logger, logs.Pod.Name, ex.Message);
        }
    }

    /// <summary>The kubelet's reading of sinceTime and sinceSeconds: the latter counts back from this node's clock.</summary>
    private DateTimeOffset? Since(PodLogOptions logOptions) =>
        logOptions.SinceTime is { } sinceTime ? sinceTime.ToDateTimeOffset()
        : logOptions.HasSinceSeconds ? time.GetUtcNow() - TimeSpan.FromSeconds(logOptions.SinceSeconds)
        : null;

    private async Task<(RuntimeContainer? Instance, string Error)> FindAsync(PodLogsRequest request, CancellationToken cancellationToken)
    {
        var name = request.Options.Container;
        var instances = (await runtime.ListContainersAsync(options.Value.EffectiveNodeName, cancellationToken).ConfigureAwait(false))
            .Where(c => c.Get(ContainerLabels.PodUid) == request.Pod.Uid && c.Get(ContainerLabels.Container) == name)
            .OrderByDescending(c => c.AttemptOf())
            .ToList();
        if (request.Options.Previous)
        {
            // While the container waits to restart, its latest instance is the one that terminated last.
            var running = instances.FirstOrDefault()?.State is ContainerRunState.Running or ContainerRunState.Created;
            var previous = instances.Skip(running ? 1 : 0).FirstOrDefault();
            return previous is null
                ? (null, $"previous terminated container \"{name}\" in pod \"{request.Pod.Name}\" not found")
                : (previous, "");
        }

        var latest = instances.FirstOrDefault();
        return latest is null || latest.State == ContainerRunState.Created
            ? (null, $"container \"{name}\" in pod \"{request.Pod.Name}\" is waiting to start: ContainerCreating")
            : (latest, "");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 60, Level = LogLevel.Debug, Message = "Logs of pod {Pod} ended: {Reason}")]
        public static partial void LogsEnded(ILogger logger, string pod, string reason);

        [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "Could not answer a request for the logs of pod {Pod}; the caller is told why")]
        public static partial void FindFailed(ILogger logger, string pod, Exception exception);
    }
}
