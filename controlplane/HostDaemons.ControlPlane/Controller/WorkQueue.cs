using System.Threading.Channels;
using HostDaemons.Hosting;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>
/// A de-duplicating queue of keys: a key waits in the queue at most once, however often it is added, so a burst
/// of events for one object costs one sync. Failed keys come back after a per-key back-off.
/// </summary>
internal sealed class WorkQueue
{
    private static readonly TimeSpan s_initialBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(30);

    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly DeadlineTimers<string> _delayed;

    public WorkQueue(TimeProvider time)
    {
        _delayed = new DeadlineTimers<string>(time, Add);
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queued.Count;
            }
        }
    }

    public void Add(string key)
    {
        lock (_lock)
        {
            if (_queued.Add(key))
            {
                _channel.Writer.TryWrite(key);
            }
        }
    }

    /// <summary>Adds the key after <paramref name="delay"/>: see <see cref="AddAt"/>.</summary>
    public void AddAfter(string key, TimeSpan delay) => _delayed.After(key, delay);

    /// <summary>
    /// Adds the key at <paramref name="due"/>, by a timer on the queue's clock. One such timer per key: an earlier time
    /// replaces a later one, a later time than one already set is dropped (the sync at the earlier time sets the next).
    /// </summary>
    public void AddAt(string key, DateTimeOffset due) => _delayed.At(key, due);

    /// <summary>Requeues a key that failed, waiting longer after each consecutive failure.</summary>
    public void AddRateLimited(string key)
    {
        int failures;
        lock (_lock)
        {
            failures = _failures[key] = _failures.GetValueOrDefault(key) + 1;
        }

        var delay = TimeSpan.FromTicks(Math.Min(s_maxBackoff.Ticks, s_initialBackoff.Ticks << Math.Min(failures - 1, 20)));
        AddAfter(key, delay);
    }

    public void Forget(string key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    /// <summary>
    /// A controller's worker: takes one key at a time and syncs it; a sync that fails is reported to
    /// <paramref name="failed"/> and its key comes back after its back-off, one that succeeds clears the back-off.
    /// </summary>
    public async Task ProcessAsync(Func<string, CancellationToken, Task> sync, Action<string, Exception> failed, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var key = await TakeAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await sync(key, cancellationToken).ConfigureAwait(false);
                Forget(key);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failed(key, ex);
                AddRateLimited(key);
            }
        }
    }

    public async ValueTask<string> TakeAsync(CancellationToken cancellationToken)
    {
        var key = await _channel.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _queued.Remove(key);
        }

        return key;
    }
}
