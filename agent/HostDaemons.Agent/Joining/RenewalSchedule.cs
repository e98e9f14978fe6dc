namespace HostDaemons.Agent.Joining;

/// <summary>
/// When the agent renews its certificate: at a random point between 50 % and 80 % of its life (the spread keeps a
/// fleet joined at once from renewing at once). The control plane backdates certificates by
/// <see cref="IssuerBackdate"/> against clock skew; the life is counted from the issue, not from the backdated start.
/// </summary>
internal static class RenewalSchedule
{
    public const double EarliestFraction = 0.5;
    public const double LatestFraction = 0.8;
    public static readonly TimeSpan IssuerBackdate = TimeSpan.FromMinutes(5);

    /// <summary>The renewal time for a certificate valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>; <paramref name="random"/> in [0, 1).</summary>
    public static DateTimeOffset RenewAt(DateTimeOffset notBefore, DateTimeOffset notAfter, double random)
    {
        var issued = notBefore + IssuerBackdate < notAfter ? notBefore + IssuerBackdate : notBefore;
        var life = notAfter - issued;
        return issued + (life * (EarliestFraction + ((LatestFraction - EarliestFraction) * Math.Clamp(random, 0, 1))));
    }
}
