using System.Collections.Concurrent;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>
/// Kubernetes' back-off for replacing failed daemon pods: 1 s doubling to 15 min, keyed by
/// <c>dsUid/observedGeneration/node</c> (so a spec change starts afresh), forgotten 30 minutes after its last use.
/// </summary>
internal sealed class FailedPodBackoff(TimeProvider time)
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, (TimeSpan Backoff, DateTimeOffset LastUpdate)> _entries = new(StringComparer.Ordinal);

    public static string Key(string dsUid, long observedGeneration, string node) => $"{dsUid}/{observedGeneration}/{node}";

    /// <summary>
    /// Whether a failed pod may be deleted now; if so the back-off advances, if not <paramref name="wait"/> says how
    /// long until it may.
    /// </summary>
    public bool TryNext(string key, out TimeSpan wait)
    {
        var now = time.GetUtcNow();
        wait = TimeSpan.Zero;
        if (_entries.TryGetValue(key, out var entry) && !Expired(entry, now))
        {
            var elapsed = now - entry.LastUpdate;
            if (elapsed < entry.Backoff)
            {
                wait = entry.Backoff - elapsed;
                return false;
            }

            _entries[key] = (TimeSpan.FromTicks(Math.Min(entry.Backoff.Ticks * 2, Max.Ticks)), now);
            return true;
        }

        _entries[key] = (Initial, now);
        return true;
    }

    /// <summary>Drops entries unused for twice the maximum, as client-go's back-off garbage collection does.</summary>
    public void Collect()
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _entries)
        {
            if (Expired(entry, now))
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private static bool Expired((TimeSpan Backoff, DateTimeOffset LastUpdate) entry, DateTimeOffset now) => now - entry.LastUpdate > 2 * Max;
}
