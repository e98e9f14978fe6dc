using System.Collections.Concurrent;
using System.Text;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Hosting;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Status;

/// <summary>
/// Termination messages, as the kubelet reads them back: what an exited container left in its terminationMessagePath
/// file (the last 4096 bytes), or with <c>FallbackToLogsOnError</c>, when that is empty and the container failed,
/// the last 80 lines of its log (2048 bytes at most). They go into <c>state.terminated.message</c> and
/// <c>lastState.terminated.message</c>, after the engine's own error if there is one. An exited container's message
/// never changes, so each is read once; reading a log is asynchronous (tracked, and awaited when the agent stops) and
/// wakes the reconciler when done.
/// </summary>
internal sealed partial class TerminationMessages(IContainerRuntime runtime, ReconcileSignal signal, TimeProvider time, ILogger<TerminationMessages> logger)
    : IAsyncDisposable
{
    public const int MaxFileBytes = 4096;
    public const int MaxLogLines = 80;
    public const int MaxLogBytes = 2048;

    private static readonly TimeSpan s_logTimeout = TimeSpan.FromSeconds(10);

    /// <summary>By container id; null while its log is being read.</summary>
    private readonly ConcurrentDictionary<string, string?> _messages = new(StringComparer.Ordinal);

    private readonly BackgroundTasks _logReads = new(logger);

    public ValueTask DisposeAsync() => _logReads.DisposeAsync();

    /// <summary>Adds the termination messages of <paramref name="instances"/> to the terminated states of <paramref name="status"/>.</summary>
    public void Apply(PodStatus status, IReadOnlyList<RuntimeContainer> instances)
    {
        var byId = instances.ToDictionary(i => "docker://" + i.Id, StringComparer.Ordinal);
        foreach (var container in status.InitContainerStatuses.Concat(status.ContainerStatuses))
        {
            foreach (var terminated in new[] { container.State?.Terminated, container.LastState?.Terminated })
            {
                if (terminated is not null && byId.TryGetValue(terminated.ContainerId, out var instance) && MessageOf(instance) is { Length: > 0 } message)
                {
                    terminated.Message = terminated.Message.Length > 0 ? terminated.Message + ": " + message : message;
                }
            }
        }
    }

    /// <summary>Forgets the containers that are gone.</summary>
    public void Retain(IReadOnlyList<RuntimeContainer> actual)
    {
        var ids = actual.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in _messages.Keys.Where(id => !ids.Contains(id)))
        {
            _messages.TryRemove(id, out _);
        }
    }

    private string MessageOf(RuntimeContainer instance)
    {
        if (_messages.TryGetValue(instance.Id, out var known))
        {
            return known ?? "";
        }

        var message = instance.Get(ContainerLabels.TerminationLog) is { } path ? ReadTail(path) : "";
        var fallback = message.Length == 0 && instance.ExitCode != 0 && string.IsNullOrEmpty(instance.Error)
            && instance.Get(ContainerLabels.TerminationMessagePolicy) == ContainerPreparer.FallbackToLogsOnError;
        if (!fallback)
        {
            _messages[instance.Id] = message;
            return message;
        }

        _messages[instance.Id] = null;
        _logReads.Run("reading a termination message from a log", ct => ReadLogTailAsync(instance.Id, ct));
        return "";
    }

    private static string ReadTail(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var length = (int)Math.Min(file.Length, MaxFileBytes);
            file.Seek(-length, SeekOrigin.End);
            var bytes = new byte[length];
            file.ReadExactly(bytes);
            return Encoding.UTF8.GetString(bytes);
        }
        catch (FileNotFoundException)
        {
            return "";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"Error on reading termination log {path}: {ex.Message}";
        }
    }

    private async Task ReadLogTailAsync(string containerId, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(s_logTimeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var text = new MemoryStream();
        try
        {
            await foreach (var chunk in runtime.ReadLogsAsync(containerId, new LogReadOptions(Follow: false, TailLines: MaxLogLines, Timestamps: false), timeout.Token)
                .ConfigureAwait(false))
            {
                text.Write(chunk.Span[..Math.Min(chunk.Length, MaxLogBytes - (int)text.Length)]);
                if (text.Length >= MaxLogBytes)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is ContainerRuntimeException or OperationCanceledException or IOException)
        {
            Log.LogUnreadable(logger, containerId, ex.Message);
        }

        _messages[containerId] = Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
        signal.Trigger();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 85, Level = LogLevel.Debug, Message = "The log of container {ContainerId} could not be read for its termination message: {Reason}")]
        public static partial void LogUnreadable(ILogger logger, string containerId, string reason);
    }
}
