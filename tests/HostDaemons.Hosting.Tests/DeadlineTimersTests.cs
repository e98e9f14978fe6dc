namespace HostDaemons.Hosting.Tests;

public sealed class DeadlineTimersTests
{
    private readonly TimerCountingTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private readonly List<string> _fired = [];
    private readonly DeadlineTimers<string> _timers;

    public DeadlineTimersTests()
    {
        _timers = new DeadlineTimers<string>(_time, key =>
        {
            lock (_fired)
            {
                _fired.Add(key);
            }
        });
    }

    [Fact]
    public void After_HundredThousandCallsPerKey_OneTimerPerKeyAndTheEarliestWins()
    {
        for (var i = 0; i < 100_000; i++)
        {
            _timers.After(i % 2 == 0 ? "a" : "b", TimeSpan.FromSeconds((i % 2 == 0 ? 10 : 11) + (i % 7)));
        }

        Assert.Equal(2, _time.LiveTimers);
        Assert.Equal(2, _timers.Count);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(["a"], _fired);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["a", "b"], _fired);
        Assert.Equal(0, _time.LiveTimers);
        Assert.Equal(0, _timers.Count);
    }

    [Fact]
    public void At_EarlierDeadline_ReplacesTheTimer_PastDeadline_RunsAtOnce()
    {
        _timers.After("a", TimeSpan.FromSeconds(30));
        _timers.After("a", TimeSpan.FromSeconds(5));
        Assert.Equal(1, _time.LiveTimers);

        _timers.At("b", _time.GetUtcNow());
        Assert.Equal(["b"], _fired);

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(["b", "a"], _fired);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(["b", "a"], _fired);
    }
}
