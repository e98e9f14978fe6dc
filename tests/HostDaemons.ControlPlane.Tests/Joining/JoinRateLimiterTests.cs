using System.Net;
using HostDaemons.ControlPlane.Joining;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.ControlPlane.Tests.Joining;

public sealed class JoinRateLimiterTests
{
    private static readonly IPAddress s_attacker = IPAddress.Parse("192.0.2.66");
    private static readonly IPAddress s_host = IPAddress.Parse("192.0.2.10");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TryEnter_AfterBurstOfFailures_RefusesThatSourceOnly()
    {
        var limiter = new JoinRateLimiter(_time);
        for (var i = 0; i < JoinRateLimiter.Burst; i++)
        {
            Assert.True(limiter.TryEnter(s_attacker, out _));
            limiter.RecordFailure(s_attacker, "abcdef");
        }

        Assert.False(limiter.TryEnter(s_attacker, out var retryAfter));
        Assert.Equal(JoinRateLimiter.RefillInterval, retryAfter);
        Assert.True(limiter.TryEnter(s_host, out _));
    }

    [Fact]
    public void TryEnter_ThousandFailures_OneRefillIntervalLaterTheSourceMayTryAgain()
    {
        var limiter = new JoinRateLimiter(_time);
        var admitted = 0;
        for (var i = 0; i < 1000; i++)
        {
            if (limiter.TryEnter(s_attacker, out _))
            {
                admitted++;
                limiter.RecordFailure(s_attacker, "abcdef");
            }
        }

        Assert.Equal(JoinRateLimiter.Burst, admitted);
        _time.Advance(JoinRateLimiter.RefillInterval);
        Assert.True(limiter.TryEnter(s_attacker, out _));
    }

    [Fact]
    public void TryEnter_SuccessesAreFree_ManyJoinsFromOneSource()
    {
        var limiter = new JoinRateLimiter(_time);

        Assert.All(Enumerable.Range(0, 100), i => Assert.True(limiter.TryEnter(s_host, out _), $"attempt {i}"));
    }

    [Fact]
    public void RecordFailure_CountsPerTokenId()
    {
        var limiter = new JoinRateLimiter(_time);

        limiter.RecordFailure(s_attacker, "abcdef");
        limiter.RecordFailure(s_host, "abcdef");

        Assert.Equal(3, limiter.RecordFailure(s_attacker, "abcdef"));
        Assert.Equal(1, limiter.RecordFailure(s_attacker, "zzzzzz"));
        Assert.Equal(0, limiter.RecordFailure(s_attacker, null));
    }

    [Fact]
    public void TryEnter_PartlyRefilled_CreditGrowsWithTimeUpToTheBurst()
    {
        var limiter = new JoinRateLimiter(_time);
        for (var i = 0; i < JoinRateLimiter.Burst; i++)
        {
            limiter.RecordFailure(s_attacker, null);
        }

        _time.Advance(JoinRateLimiter.RefillInterval * 100);
        var admitted = 0;
        while (limiter.TryEnter(s_attacker, out _) && admitted < 100)
        {
            admitted++;
            limiter.RecordFailure(s_attacker, null);
        }

        Assert.Equal(JoinRateLimiter.Burst, admitted);
    }

    [Fact]
    public void RecordFailure_ManyGuessedTokenIds_CountsStayBounded()
    {
        var limiter = new JoinRateLimiter(_time);
        for (var i = 0; i < 10_000; i++)
        {
            limiter.RecordFailure(s_attacker, $"g{i:00000}");
        }

        Assert.Equal(1, limiter.RecordFailure(s_attacker, "abcdef"));
        Assert.Equal(2, limiter.RecordFailure(s_attacker, "abcdef"));
    }
}
