namespace HostDaemons.Agent.ServiceAccounts;

/// <summary>
/// When the kubelet's token manager asks for a new token: once the token is older than 80% of the lifetime asked
/// for, or older than 24 hours, whichever comes first, less a jitter of up to 10 seconds so pods started together do
/// not ask together. The age counts from the expiry less the lifetime asked for, as the kubelet counts it.
/// </summary>
internal static class TokenRefresh
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxJitter = TimeSpan.FromSeconds(10);

    public static DateTimeOffset At(DateTimeOffset expires, long requestedSeconds, TimeSpan jitter)
    {
        var lifetime = TimeSpan.FromSeconds(requestedSeconds);
        var byAge = expires - lifetime + MaxAge;
        var byRemaining = expires - lifetime / 5;
        return (byAge < byRemaining ? byAge : byRemaining) - jitter;
    }

    public static TimeSpan Jitter() => MaxJitter * Random.Shared.NextDouble();
}
