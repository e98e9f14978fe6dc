namespace HostDaemons.Hosting;

/// <summary>
/// The one exponential back-off: <c>initial · 2^(failures-1)</c>, capped at <c>max</c>. <see cref="Jittered"/> draws
/// the delay uniformly below that bound ("full jitter"), so that many clients that failed together (a fleet losing
/// its control plane at once) come back spread over the whole window instead of in one wave.
/// </summary>
public static class Backoff
{
    /// <summary>The bound after <paramref name="failures"/> failures in a row (1: <paramref name="initial"/>).</summary>
    public static TimeSpan Exponential(int failures, TimeSpan initial, TimeSpan max)
    {
        var doublings = Math.Clamp(failures - 1, 0, 30);
        var bound = initial.TotalMilliseconds * Math.Pow(2, doublings);
        return TimeSpan.FromMilliseconds(Math.Min(max.TotalMilliseconds, bound));
    }

    /// <summary>A delay drawn uniformly from [<paramref name="initial"/>/10, <see cref="Exponential"/>).</summary>
    public static TimeSpan Jittered(int failures, TimeSpan initial, TimeSpan max)
    {
        var bound = Exponential(failures, initial, max);
        var floor = initial / 10;
        return floor + ((bound - floor) * Random.Shared.NextDouble());
    }
}
