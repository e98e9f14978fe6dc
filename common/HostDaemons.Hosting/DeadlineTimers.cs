namespace HostDaemons.Hosting;

/// <summary>
/// Delayed work with one timer per key on a <see cref="TimeProvider"/>: the earliest deadline asked for wins, and a
/// later one than the one already set is dropped (the work done at the earlier time sets the next). However often a
/// crash-looping fleet asks, a key holds at most one timer.
/// </summary>
public sealed class DeadlineTimers<TKey>(TimeProvider time, Action<TKey> due)
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, (DateTimeOffset Due, ITimer Timer)> _scheduled = [];

    /// <summary>The keys waiting for their deadline.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _scheduled.Count;
            }
        }
    }

    /// <summary>Runs the work for <paramref name="key"/> after <paramref name="delay"/> (at once when not positive).</summary>
    public void After(TKey key, TimeSpan delay) => At(key, time.GetUtcNow() + delay);

    /// <summary>Runs the work for <paramref name="key"/> at <paramref name="deadline"/> (at once when it has passed).</summary>
    public void At(TKey key, DateTimeOffset deadline)
    {
        var delay = deadline - time.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            due(key);
            return;
        }

        lock (_lock)
        {
            if (_scheduled.TryGetValue(key, out var existing))
            {
                if (existing.Due <= deadline)
                {
                    return;
                }

                existing.Timer.Dispose();
            }

            ITimer? timer = null;
            timer = time.CreateTimer(_ => Fire(key, timer!), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _scheduled[key] = (deadline, timer);
            timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Fire(TKey key, ITimer timer)
    {
        lock (_lock)
        {
            if (!_scheduled.TryGetValue(key, out var current) || !ReferenceEquals(current.Timer, timer))
            {
                return;
            }

            _scheduled.Remove(key);
        }

        timer.Dispose();
        due(key);
    }
}
