using HostDaemons.ControlPlane.Controller;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.ControlPlane.Tests.Controller;

public sealed class WorkQueueTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly WorkQueue _queue;

    public WorkQueueTests()
    {
        _queue = new WorkQueue(_time);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<string> TakeAsync() => await _queue.TakeAsync(Token).AsTask().DefaultTimeout();

    [Fact]
    public async Task Add_SameKeyManyTimes_QueuedOnce()
    {
        _queue.Add("a");
        _queue.Add("b");
        _queue.Add("a");
        _queue.Add("a");

        Assert.Equal(2, _queue.Count);
        Assert.Equal("a", await TakeAsync());
        Assert.Equal("b", await TakeAsync());
        Assert.Equal(0, _queue.Count);
    }

    [Fact]
    public async Task Add_AfterTake_QueuesAgain()
    {
        _queue.Add("a");
        Assert.Equal("a", await TakeAsync());

        _queue.Add("a");

        Assert.Equal(1, _queue.Count);
        Assert.Equal("a", await TakeAsync());
    }

    [Fact]
    public async Task TakeAsync_Empty_WaitsForAKey()
    {
        var take = _queue.TakeAsync(Token).AsTask();
        Assert.False(take.IsCompleted);

        _queue.Add("a");

        Assert.Equal("a", await take.DefaultTimeout());
    }

    [Fact]
    public void AddAfter_WaitsForTheClock()
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(10));

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, _queue.Count);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, _queue.Count);
    }

    [Fact]
    public void AddAfter_ZeroDelay_AddsAtOnce()
    {
        _queue.AddAfter("a", TimeSpan.Zero);

        Assert.Equal(1, _queue.Count);
    }

    [Fact]
    public async Task AddRateLimited_DoublesUntilForgotten()
    {
        _queue.AddRateLimited("a");
        _time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal(0, _queue.Count);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("a", await TakeAsync());

        _queue.AddRateLimited("a");
        _time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.Equal(0, _queue.Count);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("a", await TakeAsync());

        _queue.Forget("a");
        _queue.AddRateLimited("a");
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, _queue.Count);
    }

    [Fact]
    public void AddRateLimited_CapsAtThirtySeconds()
    {
        for (var i = 0; i < 40; i++)
        {
            _queue.AddRateLimited("a");
        }

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, _queue.Count);
    }
    [Fact]
    public async Task AddAt_ReachedByTheClock_QueuesTheKey()
    {
        _queue.AddAt("a", _time.GetUtcNow().AddSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, _queue.Count);

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("a", await TakeAsync());
    }

    [Fact]
    public async Task AddAt_EarlierTimeReplacesLater_LaterIsDropped()
    {
        var now = _time.GetUtcNow();
        _queue.AddAt("a", now.AddSeconds(30));
        _queue.AddAt("a", now.AddSeconds(5));
        _queue.AddAt("a", now.AddSeconds(20));

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("a", await TakeAsync());
        _time.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(0, _queue.Count);
    }

    [Fact]
    public async Task AddAt_InThePast_QueuesAtOnce()
    {
        _queue.AddAt("a", _time.GetUtcNow().AddSeconds(-1));

        Assert.Equal("a", await TakeAsync());
    }

    [Fact]
    public async Task AddAfter_HundredThousandCallsForOneKey_LeaveOneTimerAndOneSync()
    {
        var time = new TimerCountingTimeProvider(DateTimeOffset.UnixEpoch);
        var queue = new WorkQueue(time);

        for (var i = 0; i < 100_000; i++)
        {
            queue.AddAfter("crash-looping", TimeSpan.FromSeconds(10));
            time.Advance(TimeSpan.FromMilliseconds(0.01));
        }

        Assert.Equal(1, time.LiveTimers);
        Assert.Equal(1, time.CreatedTimers);

        // An earlier deadline replaces the one set: still one timer.
        queue.AddAfter("crash-looping", TimeSpan.FromSeconds(1));
        Assert.Equal(1, time.LiveTimers);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("crash-looping", await queue.TakeAsync(Token).AsTask().DefaultTimeout());
        Assert.Equal(0, queue.Count);
        Assert.Equal(0, time.LiveTimers);
    }
}
