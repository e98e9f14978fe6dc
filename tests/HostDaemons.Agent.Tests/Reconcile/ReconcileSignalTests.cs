using HostDaemons.Agent.Reconcile;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.Reconcile;

public sealed class ReconcileSignalTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ReconcileSignal _signal;

    public ReconcileSignalTests()
    {
        _signal = new ReconcileSignal(_time);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WaitAsync_AfterTrigger_ReturnsAtOnce()
    {
        _signal.Trigger();

        await _signal.WaitAsync(Timeout.InfiniteTimeSpan, Ct).DefaultTimeout();
    }

    [Fact]
    public async Task WaitAsync_TriggeredWhileWaiting_Returns()
    {
        var wait = _signal.WaitAsync(Timeout.InfiniteTimeSpan, Ct);
        Assert.False(wait.IsCompleted);

        _signal.Trigger();

        await wait.DefaultTimeout();
    }

    [Fact]
    public async Task WaitAsync_ManyTriggers_CoalesceIntoOnePass()
    {
        _signal.Trigger();
        _signal.Trigger();
        _signal.Trigger();
        await _signal.WaitAsync(Timeout.InfiniteTimeSpan, Ct).DefaultTimeout();

        var next = _signal.WaitAsync(Timeout.InfiniteTimeSpan, Ct);

        Assert.False(next.IsCompleted);
        _signal.Trigger();
        await next.DefaultTimeout();
    }

    [Fact]
    public async Task TriggerAfter_FiresWhenDelayHasPassedOnTheClock()
    {
        _signal.TriggerAfter(TimeSpan.FromSeconds(10));
        var wait = _signal.WaitAsync(Timeout.InfiniteTimeSpan, Ct);

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        await wait.DefaultTimeout();
    }

    [Fact]
    public async Task WaitAsync_Timeout_ReturnsWithoutTriggerWhenTimeoutHasPassedOnTheClock()
    {
        var wait = _signal.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        await wait.DefaultTimeout();
    }

    [Fact]
    public async Task WaitAsync_TriggerAfterTimeout_ReturnsAtNextWait()
    {
        var wait = _signal.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        _time.Advance(TimeSpan.FromSeconds(30));
        await wait.DefaultTimeout();

        _signal.Trigger();

        await _signal.WaitAsync(Timeout.InfiniteTimeSpan, Ct).DefaultTimeout();
    }

    [Fact]
    public async Task WaitAsync_Cancelled_Throws()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var wait = _signal.WaitAsync(Timeout.InfiniteTimeSpan, cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait).DefaultTimeout();
    }

    [Fact]
    public async Task TriggerAfter_HundredThousandCalls_LeaveOneTimerAndTheEarliestDeadlineWins()
    {
        var time = new TimerCountingTimeProvider(DateTimeOffset.UnixEpoch);
        var signal = new ReconcileSignal(time);

        for (var i = 0; i < 100_000; i++)
        {
            signal.TriggerAfter(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(i % 2));
        }

        signal.TriggerAfter(TimeSpan.FromSeconds(5));
        Assert.Equal(1, time.LiveTimers);

        var wait = signal.WaitAsync(Timeout.InfiniteTimeSpan, Ct);
        time.Advance(TimeSpan.FromSeconds(5));
        await wait.DefaultTimeout();
        Assert.Equal(0, time.LiveTimers);
    }
}
