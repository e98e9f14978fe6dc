using System.Collections.Concurrent;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// Per-container restart state: Kubernetes' crash back-off (the first restart at once, then 10 s doubling to 300 s,
/// forgotten after 10 minutes of running), the next instance number, and a back-off for commands that fail.
/// Keys are <c>podUid/container</c>; a spec change resets the back-off, as it does in Kubernetes.
/// </summary>
internal sealed class RestartTracker(TimeProvider time)
{
    public static readonly TimeSpan InitialBackoff = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(300);
    public static readonly TimeSpan ResetAfter = TimeSpan.FromSeconds(600);
    private static readonly TimeSpan s_initialFailureBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maxFailureBackoff = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, CrashState> _crashes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FailureState> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);

    public TimeProvider Time => time;

    /// <summary>
    /// Whether a container that finished at <paramref name="finishedAt"/> may restart now. When it may, the back-off
    /// advances; when it may not, <paramref name="wait"/> says for how long.
    /// </summary>
    public bool TryRestart(string key, string specHash, DateTimeOffset finishedAt, out TimeSpan wait)
    {
        var now = time.GetUtcNow();
        wait = TimeSpan.Zero;
        var state = _crashes.GetValueOrDefault(key);
        var expired = state is null || state.SpecHash != specHash || finishedAt - state.LastUpdate > ResetAfter;
        if (!expired && now - finishedAt < state!.Backoff)
        {
            wait = state.Backoff - (now - finishedAt);
            return false;
        }

        var backoff = expired ? InitialBackoff : TimeSpan.FromTicks(Math.Min(state!.Backoff.Ticks * 2, MaxBackoff.Ticks));
        _crashes[key] = new CrashState(backoff, now, specHash);
        return true;
    }

    /// <summary>The current wait of a container in back-off, for its CrashLoopBackOff message.</summary>
    public TimeSpan? CurrentBackoff(string key) => _crashes.TryGetValue(key, out var state) ? state.Backoff : null;

    /// <summary>The next instance number: one more than any seen, so restarts count across agent restarts too.</summary>
    public int NextAttempt(string key, int highestSeen) =>
        _attempts.AddOrUpdate(key, Math.Max(0, highestSeen + 1), (_, last) => Math.Max(last + 1, highestSeen + 1));

    public void SeenAttempt(string key, int attempt) => _attempts.AddOrUpdate(key, attempt, (_, last) => Math.Max(last, attempt));

    public void RecordFailure(string key, string reason, string message)
    {
        var now = time.GetUtcNow();
        _failures.AddOrUpdate(key,
            _ => new FailureState(reason, message, now, s_initialFailureBackoff),
            (_, old) => new FailureState(reason, message, now, TimeSpan.FromTicks(Math.Min(old.Backoff.Ticks * 2, s_maxFailureBackoff.Ticks))));
    }

    public void RecordSuccess(string key) => _failures.TryRemove(key, out _);

    /// <summary>The last failure of a container's commands, while it is still relevant.</summary>
    public (string Reason, string Message)? LastFailure(string key) =>
        _failures.TryGetValue(key, out var failure) ? (failure.Reason, failure.Message) : null;

    /// <summary>How long until a failed command may be tried again; zero when it may now.</summary>
    public TimeSpan FailureWait(string key)
    {
        if (!_failures.TryGetValue(key, out var failure))
        {
            return TimeSpan.Zero;
        }

        var wait = failure.At + failure.Backoff - time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>Forgets a pod that is gone.</summary>
    public void Forget(string podUid)
    {
        foreach (var map in new IEnumerable<string>[] { _crashes.Keys, _failures.Keys, _attempts.Keys })
        {
            foreach (var key in map.Where(k => k.StartsWith(podUid + "/", StringComparison.Ordinal)).ToList())
            {
                _crashes.TryRemove(key, out _);
                _failures.TryRemove(key, out _);
                _attempts.TryRemove(key, out _);
            }
        }
    }

    public static string Key(string podUid, string container) => $"{podUid}/{container}";

    private sealed record CrashState(TimeSpan Backoff, DateTimeOffset LastUpdate, string SpecHash);

    private sealed record FailureState(string Reason, string Message, DateTimeOffset At, TimeSpan Backoff);
}
