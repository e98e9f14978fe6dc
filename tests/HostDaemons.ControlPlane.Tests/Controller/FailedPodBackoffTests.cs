using HostDaemons.ControlPlane.Controller;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.ControlPlane.Tests.Controller;

public sealed class FailedPodBackoffTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TryNext_RepeatedFailures_WaitOneSecondDoublingToFifteenMinutes()
    {
        var backoff = new FailedPodBackoff(_time);
        var key = FailedPodBackoff.Key("uid", 1, "node-a");
        var waits = new List<TimeSpan>();

        Assert.True(backoff.TryNext(key, out _));
        for (var i = 0; i < 12; i++)
        {
            Assert.False(backoff.TryNext(key, out var wait));
            waits.Add(wait);
            _time.Advance(wait);
            Assert.True(backoff.TryNext(key, out _));
        }

        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900], waits.Select(w => (int)w.TotalSeconds));
    }

    [Fact]
    public void TryNext_OtherGenerationOrNode_HasItsOwnBackoff()
    {
        var backoff = new FailedPodBackoff(_time);
        Assert.True(backoff.TryNext(FailedPodBackoff.Key("uid", 1, "node-a"), out _));

        Assert.True(backoff.TryNext(FailedPodBackoff.Key("uid", 2, "node-a"), out _));
        Assert.True(backoff.TryNext(FailedPodBackoff.Key("uid", 1, "node-b"), out _));
        Assert.False(backoff.TryNext(FailedPodBackoff.Key("uid", 1, "node-a"), out _));
    }

    [Fact]
    public void Collect_EntryUnusedForThirtyMinutes_StartsAgainAtOneSecond()
    {
        var backoff = new FailedPodBackoff(_time);
        var key = FailedPodBackoff.Key("uid", 1, "node-a");
        Assert.True(backoff.TryNext(key, out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(backoff.TryNext(key, out _));

        _time.Advance(TimeSpan.FromMinutes(31));
        backoff.Collect();

        Assert.True(backoff.TryNext(key, out _));
        Assert.False(backoff.TryNext(key, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
    }
}
