using System.Collections.Concurrent;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// Per-container restart state: Kubernetes' crash back-off (the first restart at once, then 10 s doubling to 300 s,
/// forgotten after 10 minutes of running), the highest instance number seen, and a back-off for commands that fail.
/// Keys are <c>podUid/container</c>; a spec change resets the back-off, as it does in Kubernetes. Planning only reads
/// it; it changes when work actually runs (<see cref="RecordRestart"/>, <see cref="RecordFailure"/>) or when the agent
/// observes containers (<see cref="Observe"/>), so a plan that is dropped leaves no trace.
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
    /// How long a container that finished at <paramref name="finishedAt"/> must still wait before its restart; zero
    /// when it may restart now.
    /// </summary>
    public TimeSpan CrashWait(string key, string specHash, DateTimeOffset finishedAt)
    {
        var state = _crashes.GetValueOrDefault(key);
        if (IsExpired(state, specHash, finishedAt))
        {
            return TimeSpan.Zero;
        }

        var wait = state!.Backoff - (time.GetUtcNow() - finishedAt);
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>The back-off a container is waiting out, for its CrashLoopBackOff message; null when it is not waiting.</summary>
    public TimeSpan? CurrentBackoff(string key, string specHash, DateTimeOffset finishedAt) =>
        CrashWait(key, specHash, finishedAt) > TimeSpan.Zero ? _crashes[key].Backoff : null;

    /// <summary>A restart ran: the next one waits longer (10 s, then doubling to 300 s).</summary>
    public void RecordRestart(string key, string specHash, DateTimeOffset finishedAt)
    {
        var now = time.GetUtcNow();
        _crashes.AddOrUpdate(key,
            _ => new CrashState(InitialBackoff, now, specHash),
            (_, old) => IsExpired(old, specHash, finishedAt)
                ? new CrashState(InitialBackoff, now, specHash)
                : new CrashState(TimeSpan.FromTicks(Math.Min(old.Backoff.Ticks * 2, MaxBackoff.Ticks)), now, specHash));
    }

    /// <summary>The next instance number: one more than any instance seen, so restarts keep counting when containers vanish.</summary>
    public int NextAttempt(string key, int highestListed) => Math.Max(highestListed, _attempts.GetValueOrDefault(key, -1)) + 1;

    /// <summary>Remembers the highest instance number of each container the engine lists.</summary>
    public void Observe(string key, int attempt) => _attempts.AddOrUpdate(key, attempt, (_, last) => Math.Max(last, attempt));

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

    /// <summary>The pods this tracker holds state for.</summary>
    public IEnumerable<string> PodUids =>
        _crashes.Keys.Concat(_failures.Keys).Concat(_attempts.Keys).Select(k => k[..k.IndexOf('/', StringComparison.Ordinal)]).Distinct(StringComparer.Ordinal);

    /// <summary>Forgets a pod that is gone.</summary>
    public void Forget(string podUid)
    {
        var prefix = podUid + "/";
        foreach (var key in _crashes.Keys.Concat(_failures.Keys).Concat(_attempts.Keys).Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            _crashes.TryRemove(key, out _);
            _failures.TryRemove(key, out _);
            _attempts.TryRemove(key, out _);
        }
    }

    public static string Key(string podUid, string container) => $"{podUid}/{container}";

    private static bool IsExpired(CrashState? state, string specHash, DateTimeOffset finishedAt) =>
        state is null || state.SpecHash != specHash || finishedAt - state.LastUpdate > ResetAfter;

    private sealed record CrashState(TimeSpan Backoff, DateTimeOffset LastUpdate, string SpecHash);

    private sealed record FailureState(string Reason, string Message, DateTimeOffset At, TimeSpan Backoff);
}
