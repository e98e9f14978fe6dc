using System.Net;

namespace HostDaemons.ControlPlane.Joining;

/// <summary>
/// Slows down guessing: each source address has a token bucket of failed joins (<see cref="Burst"/> at once, then one
/// every <see cref="RefillInterval"/>). A source that has used it up is refused before its token is even looked at,
/// until the bucket refills; a successful join costs nothing. Only failures are limited, and per source, so a flood of
/// wrong secrets for a token never locks the token out: the same token from a source with credit left (or from the
/// flooding source, once its bucket refills) still joins. Failures per token id are counted for the audit log.
/// </summary>
internal sealed class JoinRateLimiter(TimeProvider time)
{
    public const int Burst = 10;
    public static readonly TimeSpan RefillInterval = TimeSpan.FromSeconds(1);

    private const int MaxTrackedSources = 10_000;
    private const int MaxTrackedTokens = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, Bucket> _sources = [];
    private readonly Dictionary<string, long> _failuresByToken = new(StringComparer.Ordinal);

    /// <summary>Whether the source may try now; when not, how long until it may.</summary>
    public bool TryEnter(IPAddress source, out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            var bucket = Refilled(source);
            if (bucket.Credit >= 1)
            {
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = RefillInterval * (1 - bucket.Credit);
            return false;
        }
    }

    /// <summary>Charges a failed join to its source (and counts it against the token id, when there was one); returns that token's failures so far.</summary>
    public long RecordFailure(IPAddress source, string? tokenId)
    {
        lock (_lock)
        {
            var bucket = Refilled(source);
            _sources[source] = bucket with { Credit = Math.Max(0, bucket.Credit - 1) };
            if (tokenId is null)
            {
                return 0;
            }

            if (_failuresByToken.Count >= MaxTrackedTokens && !_failuresByToken.ContainsKey(tokenId))
            {
                // Guessed ids, mostly: the counts are for the audit log, and starting them again costs nothing.
                _failuresByToken.Clear();
            }

            var failures = _failuresByToken.GetValueOrDefault(tokenId) + 1;
            _failuresByToken[tokenId] = failures;
            return failures;
        }
    }

    private Bucket Refilled(IPAddress source)
    {
        var now = time.GetUtcNow();
        if (!_sources.TryGetValue(source, out var bucket))
        {
            if (_sources.Count >= MaxTrackedSources)
            {
                Forget(now);
            }

            bucket = new Bucket(Burst, now);
        }

        var credit = Math.Min(Burst, bucket.Credit + ((now - bucket.Updated) / RefillInterval));
        bucket = new Bucket(credit, now);
        _sources[source] = bucket;
        return bucket;
    }

    /// <summary>
    /// Drops the sources whose buckets are full again: they are as good as new. When that frees nothing (that many
    /// addresses failing at once), every bucket starts full again, which bounds memory at the cost of one more burst each.
    /// </summary>
    private void Forget(DateTimeOffset now)
    {
        foreach (var (address, bucket) in _sources.ToList())
        {
            if (bucket.Credit + ((now - bucket.Updated) / RefillInterval) >= Burst)
            {
                _sources.Remove(address);
            }
        }

        if (_sources.Count >= MaxTrackedSources)
        {
            _sources.Clear();
        }
    }

    private readonly record struct Bucket(double Credit, DateTimeOffset Updated);
}
