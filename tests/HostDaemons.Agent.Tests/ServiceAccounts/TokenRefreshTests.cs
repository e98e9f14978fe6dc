using HostDaemons.Agent.ServiceAccounts;

namespace HostDaemons.Agent.Tests.ServiceAccounts;

public sealed class TokenRefreshTests
{
    private static readonly DateTimeOffset s_issued = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void At_KubeletsHourToken_At80PercentOfItsLifetime()
    {
        var expires = s_issued.AddSeconds(3607);

        Assert.Equal(s_issued.AddSeconds(3607 * 0.8), TokenRefresh.At(expires, 3607, TimeSpan.Zero));
    }

    [Fact]
    public void At_TwoDayToken_After24Hours()
    {
        var expires = s_issued.AddHours(48);

        Assert.Equal(s_issued.AddHours(24), TokenRefresh.At(expires, 48 * 3600, TimeSpan.Zero));
    }

    [Fact]
    public void At_Jitter_Earlier()
    {
        var expires = s_issued.AddSeconds(3600);

        Assert.Equal(s_issued.AddSeconds(2880 - 7), TokenRefresh.At(expires, 3600, TimeSpan.FromSeconds(7)));
        Assert.InRange(TokenRefresh.Jitter(), TimeSpan.Zero, TokenRefresh.MaxJitter);
    }
}
