using Google.Protobuf.WellKnownTypes;
using HostDaemons.Agent.Runtime;
using HostDaemons.Api.V1;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Events;

/// <summary>
/// Events about this node's pods (Pulling, Pulled, Created, Started, Killing, BackOff, Failed...), with kubelet's
/// reasons and messages. Repeats are counted, not queued again; the control plane link sends them in batches. While
/// it is away, the newest events are kept (a bounded number) and sent once it is back. Each event is also logged.
/// </summary>
internal sealed partial class PodEventRecorder(TimeProvider time, ILogger<PodEventRecorder> logger)
{
    private const int MaxPending = 1000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, PodEvent> _pending = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Normal(Pod pod, string reason, string message, string? container = null) => Record(Key(pod), "Normal", reason, message, container);

    public void Warning(Pod pod, string reason, string message, string? container = null) => Record(Key(pod), "Warning", reason, message, container);

    /// <summary>An event about the pod a container belongs to, known by the container's labels (its pod may be gone).</summary>
    public void Normal(RuntimeContainer container, string reason, string message) => Record(container, "Normal", reason, message);

    /// <summary>A warning about the pod a container belongs to, known by the container's labels.</summary>
    public void Warning(RuntimeContainer container, string reason, string message) => Record(container, "Warning", reason, message);

    public async Task<IReadOnlyList<PodEvent>> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_pending.Count > 0)
                {
                    var batch = _order.Where(_pending.ContainsKey).Select(k => _pending[k]).ToList();
                    _pending.Clear();
                    _order.Clear();
                    return batch;
                }

                if (_changed.Task.IsCompleted)
                {
                    _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Puts back events that could not be sent, so they go with the next batch.</summary>
    public void Requeue(IReadOnlyList<PodEvent> batch)
    {
        foreach (var e in batch)
        {
            Add(e);
        }
    }

    private static PodKey Key(Pod pod) => new() { Namespace = pod.Metadata.Namespace, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid };

    private void Record(RuntimeContainer container, string type, string reason, string message)
    {
        if (container.Get(ContainerLabels.PodUid) is { } uid)
        {
            var key = new PodKey { Namespace = container.Get(ContainerLabels.Namespace) ?? "", Name = container.Get(ContainerLabels.Pod) ?? "", Uid = uid };
            Record(key, type, reason, message, container.Get(ContainerLabels.Container));
        }
    }

    private void Record(PodKey pod, string type, string reason, string message, string? container)
    {
        if (type == "Warning")
        {
            Log.WarningEvent(logger, pod.Namespace, pod.Name, reason, message);
        }
        else
        {
            Log.NormalEvent(logger, pod.Namespace, pod.Name, reason, message);
        }

        var now = Timestamp.FromDateTimeOffset(time.GetUtcNow());
        Add(new PodEvent
        {
            Pod = pod,
            Type = type,
            Reason = reason,
            Message = message,
            FieldPath = container is null ? "" : $"spec.containers{{{container}}}",
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
        });
    }

    private void Add(PodEvent e)
    {
        var key = string.Join('\u001f', e.Pod.Uid, e.FieldPath, e.Type, e.Reason, e.Message);
        lock (_lock)
        {
            if (_pending.TryGetValue(key, out var existing))
            {
                existing.Count += e.Count;
                existing.FirstTimestamp = e.FirstTimestamp < existing.FirstTimestamp ? e.FirstTimestamp : existing.FirstTimestamp;
                existing.LastTimestamp = e.LastTimestamp > existing.LastTimestamp ? e.LastTimestamp : existing.LastTimestamp;
            }
            else
            {
                _pending[key] = e.Clone();
                _order.Enqueue(key);
                while (_pending.Count > MaxPending && _order.TryDequeue(out var oldest))
                {
                    _pending.Remove(oldest);
                }
            }

            _changed.TrySetResult();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 90, Level = LogLevel.Information, Message = "Pod {Namespace}/{Pod}: {Reason}: {Message}")]
        public static partial void NormalEvent(ILogger logger, string @namespace, string pod, string reason, string message);

        [LoggerMessage(EventId = 91, Level = LogLevel.Warning, Message = "Pod {Namespace}/{Pod}: {Reason}: {Message}")]
        public static partial void WarningEvent(ILogger logger, string @namespace, string pod, string reason, string message);
    }
}
