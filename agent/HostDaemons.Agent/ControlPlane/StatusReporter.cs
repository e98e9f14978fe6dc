using HostDaemons.Api.V1;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.ControlPlane;

/// <summary>
/// Pod status changes waiting to reach the control plane. A report is queued only when it differs from the last one
/// offered for that pod, and sent in batches; a batch that fails goes back in the queue (unless newer reports replaced
/// it), and a new connection sends the latest of everything again, so nothing that happened while offline is lost.
/// </summary>
internal sealed class StatusReporter
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PodStatusReport> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodStatusReport> _latest = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Offers the latest status of a pod.</summary>
    public void Offer(Pod pod, PodStatus status) => Queue(new PodStatusReport { Pod = Key(pod), Status = status });

    /// <summary>Says that a terminating pod's containers are all gone.</summary>
    public void OfferTerminated(Pod pod) => Queue(new PodStatusReport { Pod = Key(pod), Terminated = true });

    /// <summary>Forgets pods no longer assigned.</summary>
    public void Retain(IEnumerable<string> podUids)
    {
        var keep = podUids.ToHashSet(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var uid in _latest.Keys.Where(k => !keep.Contains(k)).ToList())
            {
                _latest.Remove(uid);
                _pending.Remove(uid);
            }
        }
    }

    /// <summary>A new connection: the control plane may know nothing, so the latest of everything is sent again.</summary>
    public void ResendAll()
    {
        lock (_lock)
        {
            foreach (var (uid, report) in _latest)
            {
                _pending[uid] = report;
            }

            if (_pending.Count > 0)
            {
                _changed.TrySetResult();
            }
        }
    }

    /// <summary>Sends the latest status of these pods again: their objects were (re)created since it was sent.</summary>
    public void Resend(IEnumerable<string> podUids)
    {
        lock (_lock)
        {
            foreach (var uid in podUids)
            {
                if (_latest.TryGetValue(uid, out var report))
                {
                    _pending[uid] = report;
                }
            }

            if (_pending.Count > 0)
            {
                _changed.TrySetResult();
            }
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

                if (_changed.Task.IsCompleted)
                {
                    _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Puts a batch that could not be sent back, unless newer reports replaced it meanwhile.</summary>
    public void Requeue(IReadOnlyList<PodStatusReport> batch)
    {
        lock (_lock)
        {
            foreach (var report in batch.Where(r => _latest.TryGetValue(r.Pod.Uid, out var latest) && latest.Equals(r)))
            {
                _pending.TryAdd(report.Pod.Uid, report);
            }

            if (_pending.Count > 0)
            {
                _changed.TrySetResult();
            }
        }
    }

    private void Queue(PodStatusReport report)
    {
        lock (_lock)
        {
            var uid = report.Pod.Uid;
            if (_latest.TryGetValue(uid, out var latest) && latest.Equals(report))
            {
                return;
            }

            _latest[uid] = report;
            _pending[uid] = report;
            _changed.TrySetResult();
        }
    }

    private static PodKey Key(Pod pod) => new() { Namespace = pod.Metadata.Namespace, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid };
}
