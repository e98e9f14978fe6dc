namespace HostDaemons.Hosting;

/// <summary>
/// Waits for a moment that may be months away (a certificate's renewal): a timer takes at most about 49 days and
/// throws beyond that, so the wait is taken in steps of at most a day, each measured again on the clock.
/// </summary>
public static class LongDelay
{
    /// <summary>The longest single timer; also how late a wait can notice that the wall clock jumped.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromDays(1);

    /// <summary>Completes once <paramref name="time"/> reaches <paramref name="at"/>; at once when it already has.</summary>
    public static async Task UntilAsync(TimeProvider time, DateTimeOffset at, CancellationToken cancellationToken)
    {
        for (var wait = at - time.GetUtcNow(); wait > TimeSpan.Zero; wait = at - time.GetUtcNow())
        {
            await Task.Delay(wait < Step ? wait : Step, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
