using HostDaemons.Api.V1;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.ControlPlane;

/// <summary>
/// Pod status changes waiting to reach the control plane. Only changes are kept and sent, in batches; whatever was
/// not acknowledged is sent again after a reconnect, so nothing that happened while offline is lost.
/// </summary>
internal sealed class StatusReporter
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PodStatusReport> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodStatusReport> _acknowledged = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Offers the latest status of a pod; it is queued only if it differs from what the control plane has.</summary>
    public void Offer(Pod pod, PodStatus status) => Queue(new PodStatusReport { Pod = Key(pod), Status = status });

    /// <summary>Says that a terminating pod's containers are all gone.</summary>
    public void OfferTerminated(Pod pod) => Queue(new PodStatusReport { Pod = Key(pod), Terminated = true });

    /// <summary>Forgets pods no longer assigned.</summary>
    public void Retain(IEnumerable<string> podUids)
    {
        var keep = podUids.ToHashSet(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var uid in _acknowledged.Keys.Where(k => !keep.Contains(k)).ToList())
            {
                _acknowledged.Remove(uid);
            }

            foreach (var uid in _pending.Keys.Where(k => !keep.Contains(k)).ToList())
            {
                _pending.Remove(uid);
            }
        }
    }

    /// <summary>A new connection: the control plane may know nothing, so everything is sent again.</summary>
    public void ResendAll()
    {
        lock (_lock)
        {
            foreach (var (uid, report) in _acknowledged)
            {
                _pending.TryAdd(uid, report);
            }

            _acknowledged.Clear();
            _changed.TrySetResult();
        }
    }

    /// <summary>Waits until something is pending, then takes it all.</summary>
    public async Task<IReadOnlyList<PodStatusReport>> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_pending.Count > 0)
                {
                    var batch = _pending.Values.ToList();
                    _pending.Clear();
                    return batch;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                if (_changed.Task.IsCompleted)
                {
                    _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }
    }

    public void Acknowledge(IReadOnlyList<PodStatusReport> batch)
    {
        lock (_lock)
        {
            foreach (var report in batch)
            {
                _acknowledged[report.Pod.Uid] = report;
            }
        }
    }

    /// <summary>Puts a batch that could not be sent back, unless newer reports replaced it meanwhile.</summary>
    public void Requeue(IReadOnlyList<PodStatusReport> batch)
    {
        lock (_lock)
        {
            foreach (var report in batch)
            {
                _pending.TryAdd(report.Pod.Uid, report);
            }
        }
    }

    private void Queue(PodStatusReport report)
    {
        lock (_lock)
        {
            var uid = report.Pod.Uid;
            if ((_pending.TryGetValue(uid, out var pending) && pending.Equals(report))
                || (!_pending.ContainsKey(uid) && _acknowledged.TryGetValue(uid, out var acknowledged) && acknowledged.Equals(report)))
            {
                return;
            }

            _pending[uid] = report;
            _changed.TrySetResult();
        }
    }

    private static PodKey Key(Pod pod) => new() { Namespace = pod.Metadata.Namespace, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid };
}
