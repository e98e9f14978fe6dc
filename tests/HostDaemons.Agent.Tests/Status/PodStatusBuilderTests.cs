using Google.Protobuf.WellKnownTypes;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Status;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.Status;

public sealed class PodStatusBuilderTests
{
    private const string HostIp = "10.0.0.7";
    private const string Uid = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

    private static readonly DateTimeOffset s_now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(s_now);
    private readonly RestartTracker _restarts;
    private readonly DesiredPod _pod = ContainerSpecBuilder.Build(TestPods.Pod(name: "fluentd-x7k2p", uid: Uid), TestPods.Node);

    public PodStatusBuilderTests()
    {
        _restarts = new RestartTracker(_time);
    }

    private DesiredContainer Main => _pod.Containers[0];

    private static string Key => RestartTracker.Key(Uid, "main");

    [Fact]
    public void Build_RunningContainer_PodRunningAndReady()
    {
        var started = s_now.AddMinutes(-3);
        var running = TestPods.Instance(Main, 2, ContainerRunState.Running, createdAt: started, startedAt: started);

        var status = Build([running]);

        Assert.Equal("Running", status.Phase);
        Assert.Equal(HostIp, status.HostIp);
        Assert.Equal("", status.PodIp);
        Assert.Equal(Timestamp.FromDateTimeOffset(s_now), status.StartTime);
        Assert.Equal(
            [("Initialized", "True"), ("Ready", "True"), ("ContainersReady", "True"), ("PodScheduled", "True")],
            status.Conditions.Select(c => (c.Type, c.Status)));
        Assert.All(status.Conditions, c => Assert.Equal("", c.Reason));
        var container = Assert.Single(status.ContainerStatuses);
        Assert.Equal("main", container.Name);
        Assert.Equal(TestPods.Image, container.Image);
        Assert.Equal("sha256:feed", container.ImageId);
        Assert.Equal("docker://" + running.Id, container.ContainerId);
        Assert.True(container.Ready);
        Assert.True(container.Started);
        Assert.Equal(2, container.RestartCount);
        Assert.Equal(Timestamp.FromDateTimeOffset(started), container.State.Running.StartedAt);
        Assert.Null(container.State.Waiting);
        Assert.Null(container.State.Terminated);
        Assert.Null(container.LastState);
    }

    [Fact]
    public void Build_HostNetworkPod_PodIpIsHostIp()
    {
        var pod = TestPods.Pod(uid: Uid);
        pod.Spec.HostNetwork = true;

        var status = PodStatusBuilder.Build(ContainerSpecBuilder.Build(pod, TestPods.Node), [], _restarts, null, HostIp, s_now);

        Assert.Equal(HostIp, status.PodIp);
    }

    [Fact]
    public void Build_NoContainerYet_PendingContainerCreating()
    {
        var status = Build([]);

        Assert.Equal("Pending", status.Phase);
        var container = Assert.Single(status.ContainerStatuses);
        Assert.Equal("ContainerCreating", container.State.Waiting.Reason);
        Assert.Equal("", container.State.Waiting.Message);
        Assert.False(container.Ready);
        Assert.False(container.Started);
        Assert.Equal(0, container.RestartCount);
        Assert.Equal("", container.ContainerId);
        var ready = Assert.Single(status.Conditions, c => c.Type == "Ready");
        Assert.Equal("False", ready.Status);
        Assert.Equal("ContainersNotReady", ready.Reason);
        Assert.Equal("ContainersNotReady", Assert.Single(status.Conditions, c => c.Type == "ContainersReady").Reason);
        Assert.Equal("True", Assert.Single(status.Conditions, c => c.Type == "PodScheduled").Status);
    }

    [Theory]
    [InlineData("ErrImagePull", 1, "ErrImagePull")]
    [InlineData("ErrImageNeverPull", 0, "ErrImageNeverPull")]
    [InlineData("ErrImageNeverPull", 1, "ErrImageNeverPull")]
    [InlineData("CreateContainerError", 0, "CreateContainerError")]
    [InlineData("CreateContainerError", 1, "CreateContainerError")]
    public void Build_NoContainerAfterFailure_PendingWithFailureReason(string reason, int secondsLater, string expected)
    {
        _restarts.RecordFailure(Key, reason, "Failed to pull image \"x\": manifest unknown");
        _time.Advance(TimeSpan.FromSeconds(secondsLater));

        var status = Build([], now: _time.GetUtcNow());

        Assert.Equal("Pending", status.Phase);
        var waiting = Assert.Single(status.ContainerStatuses).State.Waiting;
        Assert.Equal(expected, waiting.Reason);
        Assert.Equal("Failed to pull image \"x\": manifest unknown", waiting.Message);
    }

    [Fact]
    public void Build_FailedPullRetryPending_ImagePullBackOff()
    {
        _restarts.RecordFailure(Key, "ErrImagePull", "Failed to pull image \"x\": manifest unknown");
        _time.Advance(TimeSpan.FromMilliseconds(999));

        var status = Build([], now: _time.GetUtcNow());

        Assert.Equal("Pending", status.Phase);
        var waiting = Assert.Single(status.ContainerStatuses).State.Waiting;
        Assert.Equal("ImagePullBackOff", waiting.Reason);
        Assert.Equal("Failed to pull image \"x\": manifest unknown", waiting.Message);
    }

    [Fact]
    public void Build_CreatedNotStarted_WaitingContainerCreating()
    {
        var created = TestPods.Instance(Main, 0, ContainerRunState.Created);

        var status = Build([created]);

        var container = Assert.Single(status.ContainerStatuses);
        Assert.Equal("ContainerCreating", container.State.Waiting.Reason);
        Assert.Equal("docker://" + created.Id, container.ContainerId);
        Assert.Equal("Pending", status.Phase);
    }

    [Fact]
    public void Build_CreatedWhoseStartFailed_WaitingWithFailureReason()
    {
        var created = TestPods.Instance(Main, 0, ContainerRunState.Created);
        _restarts.RecordFailure(Key, "RunContainerError", "bind source path does not exist: /nope");

        var waiting = Assert.Single(Build([created]).ContainerStatuses).State.Waiting;

        Assert.Equal("RunContainerError", waiting.Reason);
        Assert.Equal("bind source path does not exist: /nope", waiting.Message);
    }

    [Fact]
    public void Build_ExitedInBackoff_CrashLoopBackOffWithLastStateTerminated()
    {
        // The first crash was restarted at once (arming 10 s); the restarted instance crashed too.
        var first = TestPods.Instance(Main, 0, ContainerRunState.Exited, finishedAt: s_now.AddSeconds(-20), exitCode: 2);
        _restarts.RecordRestart(Key, Main.SpecHash, first.FinishedAt!.Value);
        _time.Advance(TimeSpan.FromSeconds(3));
        var started = s_now.AddSeconds(1);
        var latest = TestPods.Instance(Main, 1, ContainerRunState.Exited, startedAt: started, finishedAt: s_now.AddSeconds(2), exitCode: 1);

        var status = Build([first, latest], now: _time.GetUtcNow());

        Assert.Equal("Running", status.Phase);
        var container = Assert.Single(status.ContainerStatuses);
        Assert.Equal("CrashLoopBackOff", container.State.Waiting.Reason);
        Assert.Equal($"back-off 10s restarting failed container=main pod=fluentd-x7k2p_kube-system({Uid})", container.State.Waiting.Message);
        Assert.Null(container.State.Terminated);
        var last = container.LastState.Terminated;
        Assert.Equal(1, last.ExitCode);
        Assert.Equal("Error", last.Reason);
        Assert.Equal(Timestamp.FromDateTimeOffset(started), last.StartedAt);
        Assert.Equal(Timestamp.FromDateTimeOffset(s_now.AddSeconds(2)), last.FinishedAt);
        Assert.Equal("docker://" + latest.Id, last.ContainerId);
        Assert.Equal(1, container.RestartCount);
        Assert.False(container.Ready);
        Assert.False(container.Started);
        Assert.Equal("False", Assert.Single(status.Conditions, c => c.Type == "Ready").Status);
    }

    [Theory]
    [InlineData(1, "10s")]
    [InlineData(2, "20s")]
    [InlineData(5, "2m40s")]
    [InlineData(6, "5m0s")]
    public void Build_ExitedInBackoff_MessageShowsCurrentBackoff(int restarts, string expected)
    {
        var finished = ArmBackoff(restarts);

        var latest = TestPods.Instance(Main, restarts, ContainerRunState.Exited, finishedAt: finished, exitCode: 1);
        var status = Build([latest], now: _time.GetUtcNow());

        Assert.StartsWith($"back-off {expected} restarting failed container=main ", Assert.Single(status.ContainerStatuses).State.Waiting.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_FirstExitNotYetRestarted_StateTerminatedNotCrashLoopBackOff()
    {
        // No restart has run yet: the first restart is immediate, so there is no back-off to show.
        var exited = TestPods.Instance(Main, 0, ContainerRunState.Exited, startedAt: s_now.AddMinutes(-1), finishedAt: s_now, exitCode: 1);

        var status = Build([exited]);

        var container = Assert.Single(status.ContainerStatuses);
        Assert.Null(container.State.Waiting);
        Assert.Equal("Error", container.State.Terminated.Reason);
        Assert.Equal("Running", status.Phase);
    }

    [Fact]
    public void Build_ExitedAfterSpecChange_StateTerminatedNotCrashLoopBackOff()
    {
        _restarts.RecordRestart(Key, "oldspec000", s_now);
        var latest = TestPods.Instance(Main, 1, ContainerRunState.Exited, startedAt: s_now, finishedAt: s_now.AddSeconds(1), exitCode: 1);
        _time.Advance(TimeSpan.FromSeconds(2));

        var container = Assert.Single(Build([latest], now: _time.GetUtcNow()).ContainerStatuses);

        Assert.Null(container.State.Waiting);
        Assert.Equal(1, container.State.Terminated.ExitCode);
    }

    [Fact]
    public void Build_ExitedAndBackoffOver_StateTerminated()
    {
        _restarts.RecordRestart(Key, Main.SpecHash, s_now);
        var latest = TestPods.Instance(Main, 1, ContainerRunState.Exited, startedAt: s_now, finishedAt: s_now, exitCode: 3);
        _time.Advance(TimeSpan.FromSeconds(10));

        var status = Build([latest], now: _time.GetUtcNow());

        var container = Assert.Single(status.ContainerStatuses);
        Assert.Null(container.State.Waiting);
        Assert.Equal(3, container.State.Terminated.ExitCode);
        Assert.Equal("Running", status.Phase);
    }

    [Fact]
    public void Build_ExitedWithoutRestartState_StateTerminated()
    {
        var exited = TestPods.Instance(Main, 0, ContainerRunState.Exited, finishedAt: s_now, exitCode: 0);

        var status = Build([exited]);

        var container = Assert.Single(status.ContainerStatuses);
        Assert.Equal("Completed", container.State.Terminated.Reason);
        Assert.Null(container.State.Waiting);
        Assert.Null(container.LastState);
    }

    [Theory]
    [InlineData(0, false, null, "Completed", "")]
    [InlineData(1, false, null, "Error", "")]
    [InlineData(137, true, null, "OOMKilled", "")]
    [InlineData(128, false, "error mounting \"/nope\"", "ContainerCannotRun", "error mounting \"/nope\"")]
    public void Build_ExitedContainer_TerminatedReasonFromExit(int exitCode, bool oomKilled, string? error, string reason, string message)
    {
        var exited = TestPods.Instance(Main, 0, ContainerRunState.Dead, finishedAt: s_now, exitCode: exitCode) with { OomKilled = oomKilled, Error = error };

        var terminated = Assert.Single(Build([exited]).ContainerStatuses).State.Terminated;

        Assert.Equal(exitCode, terminated.ExitCode);
        Assert.Equal(reason, terminated.Reason);
        Assert.Equal(message, terminated.Message);
    }

    [Fact]
    public void Build_RunningAfterRestart_LastStateIsPreviousExit()
    {
        var previous = TestPods.Instance(Main, 3, ContainerRunState.Exited, startedAt: s_now.AddMinutes(-5), finishedAt: s_now.AddMinutes(-1), exitCode: 137) with { OomKilled = true };
        var latest = TestPods.Instance(Main, 4, ContainerRunState.Running, startedAt: s_now.AddSeconds(-50));

        var container = Assert.Single(Build([previous, latest]).ContainerStatuses);

        Assert.Equal(4, container.RestartCount);
        Assert.NotNull(container.State.Running);
        Assert.Equal("OOMKilled", container.LastState.Terminated.Reason);
        Assert.Equal(137, container.LastState.Terminated.ExitCode);
        Assert.Equal("docker://" + previous.Id, container.LastState.Terminated.ContainerId);
    }

    [Fact]
    public void Build_PodWithRunningAndNotYetCreatedContainers_PendingAndNotReady()
    {
        // Kubernetes: Running only once every container has been created.
        var pod = ContainerSpecBuilder.Build(TestPods.Pod(uid: Uid, containers: [TestPods.Container("a"), TestPods.Container("b")]), TestPods.Node);
        var a = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Running);

        var status = PodStatusBuilder.Build(pod, [a], _restarts, null, HostIp, s_now);

        Assert.Equal("Pending", status.Phase);
        Assert.Equal(["a", "b"], status.ContainerStatuses.Select(c => c.Name));
        Assert.True(status.ContainerStatuses[0].Ready);
        Assert.Equal("ContainerCreating", status.ContainerStatuses[1].State.Waiting.Reason);
        Assert.Equal("False", Assert.Single(status.Conditions, c => c.Type == "Ready").Status);
    }

    [Fact]
    public void Build_PodWithRunningAndCreatedContainers_RunningButNotReady()
    {
        var pod = ContainerSpecBuilder.Build(TestPods.Pod(uid: Uid, containers: [TestPods.Container("a"), TestPods.Container("b")]), TestPods.Node);
        var a = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Running);
        var b = TestPods.Instance(pod.Containers[1], 0, ContainerRunState.Created);

        var status = PodStatusBuilder.Build(pod, [a, b], _restarts, null, HostIp, s_now);

        Assert.Equal("Running", status.Phase);
        Assert.True(status.ContainerStatuses[0].Ready);
        Assert.Equal("ContainerCreating", status.ContainerStatuses[1].State.Waiting.Reason);
        Assert.Equal("False", Assert.Single(status.Conditions, c => c.Type == "Ready").Status);
    }

    [Fact]
    public void Build_ExitedWithoutEverStarting_Pending()
    {
        // docker start failed: the instance exists, but no container of the pod ever ran.
        var failed = TestPods.Instance(Main, 0, ContainerRunState.Exited, finishedAt: s_now, exitCode: 128) with { Error = "error mounting \"/nope\"" };

        var status = Build([failed]);

        Assert.Equal("Pending", status.Phase);
        Assert.Equal("ContainerCannotRun", Assert.Single(status.ContainerStatuses).State.Terminated.Reason);
    }

    [Fact]
    public void Build_OtherContainersInstances_AreIgnored()
    {
        var pod = ContainerSpecBuilder.Build(TestPods.Pod(uid: Uid, containers: [TestPods.Container("a"), TestPods.Container("b")]), TestPods.Node);
        var b = TestPods.Instance(pod.Containers[1], 7, ContainerRunState.Running);

        var status = PodStatusBuilder.Build(pod, [b], _restarts, null, HostIp, s_now);

        Assert.Equal(0, status.ContainerStatuses[0].RestartCount);
        Assert.Equal(7, status.ContainerStatuses[1].RestartCount);
    }

    [Fact]
    public void Build_ConditionUnchanged_KeepsPreviousTransitionTimeAndStartTime()
    {
        var running = TestPods.Instance(Main, 0, ContainerRunState.Running);
        var previous = Build([running]);

        var later = Build([running], previous, s_now.AddMinutes(5));

        Assert.Equal(previous.StartTime, later.StartTime);
        Assert.All(later.Conditions, c => Assert.Equal(Timestamp.FromDateTimeOffset(s_now), c.LastTransitionTime));
        Assert.Equal(previous, later);
    }

    [Fact]
    public void Build_ConditionFlips_NewTransitionTimeOnlyForChangedConditions()
    {
        var running = TestPods.Instance(Main, 0, ContainerRunState.Running);
        var previous = Build([running]);
        var exited = running with { State = ContainerRunState.Exited, FinishedAt = s_now.AddMinutes(4), ExitCode = 1 };
        var flipped = s_now.AddMinutes(5);

        var status = Build([exited], previous, flipped);

        Assert.Equal(Timestamp.FromDateTimeOffset(s_now), status.StartTime);
        Assert.Equal(Timestamp.FromDateTimeOffset(flipped), Condition(status, "Ready").LastTransitionTime);
        Assert.Equal(Timestamp.FromDateTimeOffset(flipped), Condition(status, "ContainersReady").LastTransitionTime);
        Assert.Equal(Timestamp.FromDateTimeOffset(s_now), Condition(status, "Initialized").LastTransitionTime);
        Assert.Equal(Timestamp.FromDateTimeOffset(s_now), Condition(status, "PodScheduled").LastTransitionTime);
    }

    [Fact]
    public void Build_SameInputs_EqualStatuses()
    {
        var running = TestPods.Instance(Main, 1, ContainerRunState.Running, startedAt: s_now);

        Assert.Equal(Build([running]), Build([running]));
    }

    private PodStatus Build(IReadOnlyList<RuntimeContainer> instances, PodStatus? previous = null, DateTimeOffset? now = null) =>
        PodStatusBuilder.Build(_pod, instances, _restarts, previous, HostIp, now ?? s_now);

    private static PodCondition Condition(PodStatus status, string type) => Assert.Single(status.Conditions, c => c.Type == type);

    /// <summary>
    /// Crashes the container <paramref name="restarts"/> times, restarting (as the pod workers record it) each time
    /// the back-off allows; returns when the crash after the last restart finished.
    /// </summary>
    private DateTimeOffset ArmBackoff(int restarts)
    {
        var finished = _time.GetUtcNow();
        Assert.Equal(TimeSpan.Zero, _restarts.CrashWait(Key, Main.SpecHash, finished));
        _restarts.RecordRestart(Key, Main.SpecHash, finished);
        for (var i = 1; i < restarts; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            finished = _time.GetUtcNow();
            var wait = _restarts.CrashWait(Key, Main.SpecHash, finished);
            Assert.True(wait > TimeSpan.Zero);
            _time.Advance(wait);
            _restarts.RecordRestart(Key, Main.SpecHash, finished);
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        return _time.GetUtcNow();
    }
}
