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
    public void CrashWait_FirstExit_RestartsImmediately()
    {
        var finished = _time.GetUtcNow();

        Assert.Equal(TimeSpan.Zero, _tracker.CrashWait(Key, Hash, finished));
        Assert.Null(_tracker.CurrentBackoff(Key, Hash, finished));
    }

    [Fact]
    public void CrashWait_Repeated_ChangesNothing()
    {
        // Planning only reads: a plan that is dropped (pod busy, pass failed) must not use up the immediate restart.
        var finished = _time.GetUtcNow();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(TimeSpan.Zero, _tracker.CrashWait(Key, Hash, finished));
        }

        Assert.Null(_tracker.CurrentBackoff(Key, Hash, finished));
        Assert.Empty(_tracker.PodUids);
    }

    [Fact]
    public void RecordRestart_First_ArmsTenSeconds()
    {
        _tracker.RecordRestart(Key, Hash, _time.GetUtcNow());

        // The restarted instance crashes at once: it waits the full initial back-off.
        var finished = _time.GetUtcNow();
        Assert.Equal(TimeSpan.FromSeconds(10), _tracker.CrashWait(Key, Hash, finished));
        Assert.Equal(TimeSpan.FromSeconds(10), _tracker.CurrentBackoff(Key, Hash, finished));
    }

    [Fact]
    public void RecordRestart_CrashLoop_WaitsFollowKubernetesSchedule()
    {
        var waits = new List<TimeSpan> { _tracker.CrashWait(Key, Hash, _time.GetUtcNow()) };
        _tracker.RecordRestart(Key, Hash, _time.GetUtcNow());
        for (var crash = 0; crash < 7; crash++)
        {
            // The new instance runs for a second, then crashes.
            _time.Advance(TimeSpan.FromSeconds(1));
            var finished = _time.GetUtcNow();
            var wait = _tracker.CrashWait(Key, Hash, finished);
            waits.Add(wait);
            Assert.Equal(wait, _tracker.CurrentBackoff(Key, Hash, finished));

            _time.Advance(wait - TimeSpan.FromTicks(1));
            Assert.Equal(TimeSpan.FromTicks(1), _tracker.CrashWait(Key, Hash, finished));

            _time.Advance(TimeSpan.FromTicks(1));
            Assert.Equal(TimeSpan.Zero, _tracker.CrashWait(Key, Hash, finished));
            Assert.Null(_tracker.CurrentBackoff(Key, Hash, finished));
            _tracker.RecordRestart(Key, Hash, finished);
        }

        Assert.Equal(new double[] { 0, 10, 20, 40, 80, 160, 300, 300 }, waits.Select(w => w.TotalSeconds));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(300), _tracker.CurrentBackoff(Key, Hash, _time.GetUtcNow()));
    }

    [Fact]
    public void CrashWait_CountsFromFinishTime()
    {
        _tracker.RecordRestart(Key, Hash, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(1));
        var finished = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(4));

        Assert.Equal(TimeSpan.FromSeconds(6), _tracker.CrashWait(Key, Hash, finished));
        Assert.Equal(TimeSpan.FromSeconds(10), _tracker.CurrentBackoff(Key, Hash, finished));
    }

    [Fact]
    public void CrashWait_WhileWaiting_DoesNotAdvanceBackoff()
    {
        _tracker.RecordRestart(Key, Hash, _time.GetUtcNow());
        var finished = _time.GetUtcNow();

        for (var i = 0; i < 5; i++)
        {
            Assert.True(_tracker.CrashWait(Key, Hash, finished) > TimeSpan.Zero);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(TimeSpan.FromSeconds(10), _tracker.CurrentBackoff(Key, Hash, finished));
    }

    [Fact]
    public void CurrentBackoff_BackoffOver_Null()
    {
        _tracker.RecordRestart(Key, Hash, _time.GetUtcNow());
        var finished = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Null(_tracker.CurrentBackoff(Key, Hash, finished));
    }

    [Fact]
    public void RecordRestart_AfterRunningMoreThanTenMinutes_ResetsToImmediateRestartAndTenSeconds()
    {
        _tracker.RecordRestart(Key, Hash, _time.GetUtcNow());
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            var finished = _time.GetUtcNow();
            _time.Advance(_tracker.CrashWait(Key, Hash, finished));
            _tracker.RecordRestart(Key, Hash, finished);
        }

        Assert.Equal(TimeSpan.FromSeconds(160), _tracker.CurrentBackoff(Key, Hash, _time.GetUtcNow()));

        _time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var late = _time.GetUtcNow();

        Assert.Equal(TimeSpan.Zero, _tracker.CrashWait(Key, Hash, late));
        Assert.Null(_tracker.CurrentBackoff(Key, Hash, late));
        _tracker.RecordRestart(Key, Hash, late);
        Assert.Equal(TimeSpan.FromSeconds(10), _tracker.CurrentBackoff(Key, Hash, _time.GetUtcNow()));
    }

    [Fact]
    public void CrashWait_AfterRunningExactlyTenMinutes_StillInBackoff()
    {
        _tracker.RecordRestart(Key, Hash, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(TimeSpan.FromSeconds(10), _tracker.CrashWait(Key, Hash, _time.GetUtcNow()));
    }

    [Fact]
    public void RecordRestart_SpecHashChanged_ResetsBackoff()
    {
        _tracker.RecordRestart(Key, Hash, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(1));
        var finished = _time.GetUtcNow();
        _time.Advance(_tracker.CrashWait(Key, Hash, finished));
        _tracker.RecordRestart(Key, Hash, finished);
        Assert.Equal(TimeSpan.FromSeconds(20), _tracker.CurrentBackoff(Key, Hash, _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(1));
        var changed = _time.GetUtcNow();

        Assert.Equal(TimeSpan.Zero, _tracker.CrashWait(Key, "hash000002", changed));
        Assert.Null(_tracker.CurrentBackoff(Key, "hash000002", changed));
        _tracker.RecordRestart(Key, "hash000002", changed);
        Assert.Equal(TimeSpan.FromSeconds(10), _tracker.CurrentBackoff(Key, "hash000002", _time.GetUtcNow()));
    }

    [Fact]
    public void CrashWait_KeysAreIndependent()
    {
        _tracker.RecordRestart("uid-1/a", Hash, _time.GetUtcNow());

        Assert.Equal(TimeSpan.Zero, _tracker.CrashWait("uid-1/b", Hash, _time.GetUtcNow()));
        Assert.Equal(TimeSpan.FromSeconds(10), _tracker.CrashWait("uid-1/a", Hash, _time.GetUtcNow()));
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, 1)]
    [InlineData(4, 5)]
    public void NextAttempt_NewKey_OneMoreThanHighestListed(int highestListed, int expected)
    {
        Assert.Equal(expected, _tracker.NextAttempt(Key, highestListed));
    }

    [Fact]
    public void NextAttempt_Repeated_ReturnsSameNumber()
    {
        // Pure: a create that never produced a container (failed pull, dropped plan) does not use up its number.
        Assert.Equal(0, _tracker.NextAttempt(Key, -1));
        Assert.Equal(0, _tracker.NextAttempt(Key, -1));
        Assert.Equal(2, _tracker.NextAttempt(Key, 1));
        Assert.Equal(2, _tracker.NextAttempt(Key, 1));
        Assert.Empty(_tracker.PodUids);
    }

    [Fact]
    public void NextAttempt_AfterInstanceRemoved_DoesNotReuseNumber()
    {
        _tracker.Observe(Key, 6);

        Assert.Equal(7, _tracker.NextAttempt(Key, -1));
    }

    [Fact]
    public void NextAttempt_ListedHigherThanObserved_OneMoreThanListed()
    {
        _tracker.Observe(Key, 2);

        Assert.Equal(6, _tracker.NextAttempt(Key, 5));
    }

    [Fact]
    public void Observe_LowerThanKnown_KeepsHighest()
    {
        _tracker.Observe(Key, 11);
        _tracker.Observe(Key, 3);

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
    public void PodUids_EveryKindOfState_EachPodOnce()
    {
        _tracker.RecordRestart("uid-1/a", Hash, _time.GetUtcNow());
        _tracker.Observe("uid-1/b", 0);
        _tracker.RecordFailure("uid-2/a", "ErrImagePull", "x");
        _tracker.Observe("uid-3/a", 4);

        Assert.Equal(["uid-1", "uid-2", "uid-3"], _tracker.PodUids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Forget_RemovesEveryStateOfThatPodOnly()
    {
        var now = _time.GetUtcNow();
        foreach (var key in new[] { "uid-1/a", "uid-1/b", "uid-10/a" })
        {
            _tracker.RecordRestart(key, Hash, now);
            _tracker.RecordFailure(key, "ErrImagePull", "x");
            _tracker.Observe(key, 5);
        }

        _tracker.Forget("uid-1");

        Assert.Equal(TimeSpan.Zero, _tracker.CrashWait("uid-1/a", Hash, now));
        Assert.Null(_tracker.CurrentBackoff("uid-1/a", Hash, now));
        Assert.Null(_tracker.CurrentBackoff("uid-1/b", Hash, now));
        Assert.Null(_tracker.LastFailure("uid-1/a"));
        Assert.Equal(0, _tracker.NextAttempt("uid-1/a", -1));
        Assert.Equal(TimeSpan.FromSeconds(10), _tracker.CurrentBackoff("uid-10/a", Hash, now));
        Assert.NotNull(_tracker.LastFailure("uid-10/a"));
        Assert.Equal(6, _tracker.NextAttempt("uid-10/a", -1));
        Assert.Equal(["uid-10"], _tracker.PodUids);
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
