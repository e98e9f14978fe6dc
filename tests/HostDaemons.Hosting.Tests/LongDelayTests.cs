using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Hosting.Tests;

public sealed class LongDelayTests
{
    [Fact]
    public async Task UntilAsync_NinetyDaysAway_WaitsPastTheTimersLimitAndEndsOnTime()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var at = time.GetUtcNow() + TimeSpan.FromDays(90);

        var wait = LongDelay.UntilAsync(time, at, TestContext.Current.CancellationToken);
        for (var day = 0; day < 89; day++)
        {
            time.Advance(TimeSpan.FromDays(1));
        }

        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromHours(23));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromHours(1));
        await wait.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public void UntilAsync_InThePast_CompletesAtOnce()
    {
        var time = new FakeTimeProvider();

        Assert.True(LongDelay.UntilAsync(time, time.GetUtcNow() - TimeSpan.FromDays(1), TestContext.Current.CancellationToken).IsCompletedSuccessfully);
    }
}
