using HostDaemons.Agent.Reconcile;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.Reconcile;

public sealed class RestartTrackerTests
{
    private const string Key = "uid-1/main";
    private const string Hash = "hash000001";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RestartTracker _tracker;

    public RestartTrackerTests()
    {
        _tracker = new RestartTracker(_time);
    }

    [Fact]
    public void Constants_MatchKubelet()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), RestartTracker.InitialBackoff);
        Assert.Equal(TimeSpan.FromSeconds(300), RestartTracker.MaxBackoff);
        Assert.Equal(TimeSpan.FromMinutes(10), RestartTracker.ResetAfter);
    }

    [Fact]
    public void TryRestart_FirstExit_RestartsImmediatelyAndArmsTenSeconds()
    {
        Assert.Null(_tracker.CurrentBackoff(Key));

        var allowed = _tracker.TryRestart(Key, Hash, _time.GetUtcNow(), out var wait);

        Assert.True(allowed);
        Assert.Equal(TimeSpan.Zero, wait);
        Assert.Equal(TimeSpan.FromSeconds(10), _tracker.CurrentBackoff(Key));
    }

    [Fact]
    public void TryRestart_CrashLoop_WaitsFollowKubernetesSchedule()
    {
        var waits = new List<TimeSpan>();
        Assert.True(_tracker.TryRestart(Key, Hash, _time.GetUtcNow(), out _));
        for (var crash = 0; crash < 7; crash++)
        {
            // The new instance runs for a second, then crashes.
            _time.Advance(TimeSpan.FromSeconds(1));
            var finished = _time.GetUtcNow();
            Assert.False(_tracker.TryRestart(Key, Hash, finished, out var wait));
            waits.Add(wait);

            _time.Advance(wait - TimeSpan.FromTicks(1));
            Assert.False(_tracker.TryRestart(Key, Hash, finished, out var almost));
            Assert.Equal(TimeSpan.FromTicks(1), almost);

            _time.Advance(TimeSpan.FromTicks(1));
            Assert.True(_tracker.TryRestart(Key, Hash, finished, out var none));
            Assert.Equal(TimeSpan.Zero, none);
        }

        Assert.Equal(new double[] { 10, 20, 40, 80, 160, 300, 300 }, waits.Select(w => w.TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(300), _tracker.CurrentBackoff(Key));
    }

    [Fact]
    public void TryRestart_WaitCountsFromFinishTime()
    {
        var finished = _time.GetUtcNow();
        _tracker.TryRestart(Key, Hash, finished, out _);
        _time.Advance(TimeSpan.FromSeconds(4));

        Assert.False(_tracker.TryRestart(Key, Hash, finished, out var wait));

        Assert.Equal(TimeSpan.FromSeconds(6), wait);
    }

    [Fact]
    public void TryRestart_WhileWaiting_DoesNotAdvanceBackoff()
    {
        _tracker.TryRestart(Key, Hash, _time.GetUtcNow(), out _);
        var finished = _time.GetUtcNow();

        for (var i = 0; i < 5; i++)
        {
            Assert.False(_tracker.TryRestart(Key, Hash, finished, out _));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(TimeSpan.FromSeconds(10), _tracker.CurrentBackoff(Key));
    }

    [Fact]
    public void TryRestart_AfterRunningMoreThanTenMinutes_ResetsToImmediateRestartAndTenSeconds()
    {
        Assert.True(_tracker.TryRestart(Key, Hash, _time.GetUtcNow(), out _));
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            var finished = _time.GetUtcNow();
            _tracker.TryRestart(Key, Hash, finished, out var wait);
            _time.Advance(wait);
            Assert.True(_tracker.TryRestart(Key, Hash, finished, out _));
        }

        Assert.Equal(TimeSpan.FromSeconds(160), _tracker.CurrentBackoff(Key));

        _time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var allowed = _tracker.TryRestart(Key, Hash, _time.GetUtcNow(), out var none);

        Assert.True(allowed);
        Assert.Equal(TimeSpan.Zero, none);
        Assert.Equal(TimeSpan.FromSeconds(10), _tracker.CurrentBackoff(Key));
    }

    [Fact]
    public void TryRestart_AfterRunningExactlyTenMinutes_StillInBackoff()
    {
        Assert.True(_tracker.TryRestart(Key, Hash, _time.GetUtcNow(), out _));
        _time.Advance(TimeSpan.FromMinutes(10));

        var allowed = _tracker.TryRestart(Key, Hash, _time.GetUtcNow(), out var wait);

        Assert.False(allowed);
        Assert.Equal(TimeSpan.FromSeconds(10), wait);
    }

    [Fact]
    public void TryRestart_SpecHashChanged_ResetsBackoff()
    {
        _tracker.TryRestart(Key, Hash, _time.GetUtcNow(), out _);
        _time.Advance(TimeSpan.FromSeconds(1));
        var finished = _time.GetUtcNow();
        _tracker.TryRestart(Key, Hash, finished, out var wait);
        _time.Advance(wait);
        Assert.True(_tracker.TryRestart(Key, Hash, finished, out _));
        Assert.Equal(TimeSpan.FromSeconds(20), _tracker.CurrentBackoff(Key));
        _time.Advance(TimeSpan.FromSeconds(1));

        var allowed = _tracker.TryRestart(Key, "hash000002", _time.GetUtcNow(), out var none);

        Assert.True(allowed);
        Assert.Equal(TimeSpan.Zero, none);
        Assert.Equal(TimeSpan.FromSeconds(10), _tracker.CurrentBackoff(Key));
    }

    [Fact]
    public void TryRestart_KeysAreIndependent()
    {
        _tracker.TryRestart("uid-1/a", Hash, _time.GetUtcNow(), out _);

        Assert.True(_tracker.TryRestart("uid-1/b", Hash, _time.GetUtcNow(), out _));
        Assert.False(_tracker.TryRestart("uid-1/a", Hash, _time.GetUtcNow(), out _));
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, 1)]
    [InlineData(4, 5)]
    public void NextAttempt_NewKey_OneMoreThanHighestSeen(int highestSeen, int expected)
    {
        Assert.Equal(expected, _tracker.NextAttempt(Key, highestSeen));
    }

    [Fact]
    public void NextAttempt_Repeated_ContinuesNumbering()
    {
        Assert.Equal(0, _tracker.NextAttempt(Key, -1));
        Assert.Equal(1, _tracker.NextAttempt(Key, 0));
        Assert.Equal(2, _tracker.NextAttempt(Key, 1));
        Assert.Equal(9, _tracker.NextAttempt(Key, 8));
    }

    [Fact]
    public void NextAttempt_AfterInstanceRemoved_DoesNotReuseNumber()
    {
        _tracker.SeenAttempt(Key, 6);

        Assert.Equal(7, _tracker.NextAttempt(Key, -1));
    }

    [Fact]
    public void SeenAttempt_HigherThanKnown_RaisesNextAttempt()
    {
        _tracker.NextAttempt(Key, -1);
        _tracker.SeenAttempt(Key, 11);
        _tracker.SeenAttempt(Key, 3);

        Assert.Equal(12, _tracker.NextAttempt(Key, 3));
    }

    [Fact]
    public void RecordFailure_Repeated_BackoffDoublesFromOneSecondToFiveMinutes()
    {
        var waits = new List<double>();
        for (var i = 0; i < 11; i++)
        {
            _tracker.RecordFailure(Key, "ErrImagePull", "attempt " + i);
            waits.Add(_tracker.FailureWait(Key).TotalSeconds);
        }

        Assert.Equal(new double[] { 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300 }, waits);
        Assert.Equal(("ErrImagePull", "attempt 10"), _tracker.LastFailure(Key));
    }

    [Fact]
    public void FailureWait_CountsDownWithTime()
    {
        _tracker.RecordFailure(Key, "ErrImagePull", "nope");
        _tracker.RecordFailure(Key, "ErrImagePull", "nope");
        _time.Advance(TimeSpan.FromMilliseconds(1500));

        Assert.Equal(TimeSpan.FromMilliseconds(500), _tracker.FailureWait(Key));

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.Zero, _tracker.FailureWait(Key));
        Assert.NotNull(_tracker.LastFailure(Key));
    }

    [Fact]
    public void RecordSuccess_ClearsFailureAndItsBackoff()
    {
        _tracker.RecordFailure(Key, "CreateContainerError", "conflict");
        _tracker.RecordFailure(Key, "CreateContainerError", "conflict");

        _tracker.RecordSuccess(Key);

        Assert.Null(_tracker.LastFailure(Key));
        Assert.Equal(TimeSpan.Zero, _tracker.FailureWait(Key));
        _tracker.RecordFailure(Key, "CreateContainerError", "again");
        Assert.Equal(TimeSpan.FromSeconds(1), _tracker.FailureWait(Key));
    }

    [Fact]
    public void Forget_RemovesEveryStateOfThatPodOnly()
    {
        foreach (var key in new[] { "uid-1/a", "uid-1/b", "uid-10/a" })
        {
            _tracker.TryRestart(key, Hash, _time.GetUtcNow(), out _);
            _tracker.RecordFailure(key, "ErrImagePull", "x");
            _tracker.SeenAttempt(key, 5);
        }

        _tracker.Forget("uid-1");

        Assert.Null(_tracker.CurrentBackoff("uid-1/a"));
        Assert.Null(_tracker.CurrentBackoff("uid-1/b"));
        Assert.Null(_tracker.LastFailure("uid-1/a"));
        Assert.Equal(0, _tracker.NextAttempt("uid-1/a", -1));
        Assert.Equal(TimeSpan.FromSeconds(10), _tracker.CurrentBackoff("uid-10/a"));
        Assert.NotNull(_tracker.LastFailure("uid-10/a"));
        Assert.Equal(6, _tracker.NextAttempt("uid-10/a", -1));
    }

    [Fact]
    public void Key_JoinsPodUidAndContainerName()
    {
        Assert.Equal("uid-1/main", RestartTracker.Key("uid-1", "main"));
    }

    [Fact]
    public void Time_IsTheTrackersClock()
    {
        Assert.Same(_time, _tracker.Time);
    }
}
