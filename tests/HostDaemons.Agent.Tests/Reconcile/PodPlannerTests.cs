using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.Reconcile;

public sealed class PodPlannerTests
{
    private static readonly DateTimeOffset s_now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(s_now);
    private readonly RestartTracker _restarts;

    public PodPlannerTests()
    {
        _restarts = new RestartTracker(_time);
    }

    [Fact]
    public void Plan_NoContainerYet_CreatesAttemptZero()
    {
        var pod = Desired();

        var plan = Plan([pod], []);

        var work = Assert.Single(plan.Work);
        Assert.Equal(pod.Uid, work.PodUid);
        Assert.Equal(pod.Pod.Metadata.Name, work.PodName);
        var create = Assert.IsType<CreateContainerCommand>(Assert.Single(work.Commands));
        Assert.Equal(0, create.Attempt);
        Assert.Same(pod.Containers[0], create.Container);
        Assert.Equal("main", create.ContainerName);
        Assert.Empty(plan.Terminated);
        Assert.Null(plan.WakeUpAfter);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Plan_RunningWithMatchingSpecHash_AdoptsWithoutCommands(bool authoritative)
    {
        var pod = Desired();
        var running = TestPods.Instance(pod.Containers[0], 3, ContainerRunState.Running, createdAt: s_now.AddHours(-1));

        var plan = Plan([pod], [running], authoritative);

        Assert.Empty(plan.Work);
        Assert.Empty(plan.Terminated);
        Assert.Null(plan.WakeUpAfter);
    }

    [Fact]
    public void Plan_SpecHashDiffers_StopsLatestThenCreatesNextAttempt()
    {
        var pod = Desired();
        var running = TestPods.Instance(pod.Containers[0], 2, ContainerRunState.Running, specHash: "outdated00");

        var plan = Plan([pod], [running]);

        var commands = Assert.Single(plan.Work).Commands;
        Assert.Collection(
            commands,
            c =>
            {
                var stop = Assert.IsType<StopContainerCommand>(c);
                Assert.Same(running, stop.Instance);
                Assert.Equal(TimeSpan.FromSeconds(30), stop.GracePeriod);
                Assert.Equal("main", stop.ContainerName);
            },
            c => Assert.Equal(3, Assert.IsType<CreateContainerCommand>(c).Attempt));
    }

    [Fact]
    public void Plan_SpecHashDiffers_StopUsesPodGracePeriod()
    {
        var pod = Desired(p => p.Spec.TerminationGracePeriodSeconds = 45);
        var running = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Running, specHash: "outdated00");

        var plan = Plan([pod], [running]);

        var stop = Assert.IsType<StopContainerCommand>(Assert.Single(plan.Work).Commands[0]);
        Assert.Equal(TimeSpan.FromSeconds(45), stop.GracePeriod);
    }

    [Fact]
    public void Plan_CreatedButNeverStarted_StartsThatInstance()
    {
        var pod = Desired();
        var created = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Created);

        var plan = Plan([pod], [created]);

        var start = Assert.IsType<StartContainerCommand>(Assert.Single(Assert.Single(plan.Work).Commands));
        Assert.Same(created, start.Instance);
        Assert.Equal("main", start.ContainerName);
    }

    [Theory]
    [InlineData("Running", "")]
    [InlineData("Paused", "")]
    [InlineData("Restarting", "")]
    [InlineData("Removing", "")]
    [InlineData("Unknown", "")]
    [InlineData("Created", "start")]
    [InlineData("Exited", "create 1")]
    [InlineData("Dead", "create 1")]
    public void Plan_LatestInstanceInState_PlansExpectedCommand(string state, string expected)
    {
        var pod = Desired();
        var runState = Enum.Parse<ContainerRunState>(state);
        var instance = TestPods.Instance(pod.Containers[0], 0, runState, finishedAt: runState is ContainerRunState.Exited or ContainerRunState.Dead ? s_now : null);

        var plan = Plan([pod], [instance]);

        Assert.Equal(expected, Describe(plan));
    }

    [Fact]
    public void Plan_ExitedFirstTime_RestartsAtOnceWithNextAttempt()
    {
        var pod = Desired();
        var exited = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Exited, finishedAt: s_now, exitCode: 1);

        var plan = Plan([pod], [exited]);

        // The exited instance stays, for logs --previous.
        var create = Assert.IsType<CreateContainerCommand>(Assert.Single(Assert.Single(plan.Work).Commands));
        Assert.Equal(1, create.Attempt);
        Assert.Equal(s_now, create.RestartOf);
        Assert.Null(plan.WakeUpAfter);
    }

    [Fact]
    public void Plan_ExitedPlannedTwiceWithoutRunning_StillRestartsAtOnce()
    {
        // Planning only reads the tracker: a plan dropped because the pod was busy does not use up the immediate restart.
        var pod = Desired();
        var exited = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Exited, finishedAt: s_now, exitCode: 1);
        Assert.Equal("create 1", Describe(Plan([pod], [exited])));

        var plan = Plan([pod], [exited]);

        Assert.Equal("create 1", Describe(plan));
        Assert.Null(plan.WakeUpAfter);
        Assert.Empty(_restarts.PodUids);
    }

    [Fact]
    public void Plan_NewContainer_CreateIsNoRestart()
    {
        var pod = Desired();

        var create = Assert.IsType<CreateContainerCommand>(Assert.Single(Assert.Single(Plan([pod], []).Work).Commands));

        Assert.Null(create.RestartOf);
    }

    [Fact]
    public void Plan_ExitedAgainWithinBackoff_WaitsWithoutCommands()
    {
        var pod = Desired();
        var first = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Exited, finishedAt: s_now, exitCode: 1);
        Ran(Plan([pod], [first]));

        _time.Advance(TimeSpan.FromSeconds(2));
        var second = TestPods.Instance(pod.Containers[0], 1, ContainerRunState.Exited, finishedAt: _time.GetUtcNow(), exitCode: 1);
        _time.Advance(TimeSpan.FromSeconds(3));
        var plan = Plan([pod], [second]);

        Assert.Empty(plan.Work);
        Assert.Equal(TimeSpan.FromSeconds(7), plan.WakeUpAfter);
    }

    [Fact]
    public void Plan_BackoffOver_CreatesNextAttemptAndRemovesOlderExitedInstance()
    {
        var pod = Desired();
        var first = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Exited, finishedAt: s_now, exitCode: 1);
        Ran(Plan([pod], [first]));
        var second = TestPods.Instance(pod.Containers[0], 1, ContainerRunState.Exited, finishedAt: _time.GetUtcNow(), exitCode: 1);
        Assert.Equal("remove " + first.Name, Describe(Plan([pod], [second, first])));

        _time.Advance(TimeSpan.FromSeconds(10));
        var plan = Plan([pod], [first, second]);

        Assert.Equal("remove " + first.Name + "; create 2", Describe(plan));
        Assert.Null(plan.WakeUpAfter);
    }

    [Fact]
    public void Plan_SecondExitWithoutFinishedAt_WaitsFullBackoff()
    {
        var pod = Desired();
        var first = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Exited, finishedAt: s_now);
        Ran(Plan([pod], [first]));
        var second = TestPods.Instance(pod.Containers[0], 1, ContainerRunState.Dead);

        var plan = Plan([pod], [second]);

        Assert.Empty(plan.Work);
        Assert.Equal(TimeSpan.FromSeconds(10), plan.WakeUpAfter);
    }

    [Theory]
    [InlineData(5L, 60L, 5)]
    [InlineData(null, 60L, 60)]
    [InlineData(null, null, 30)]
    public void Plan_TerminatingPod_StopsEveryContainerWithPodGracePeriod(long? deletionGrace, long? terminationGrace, int expectedSeconds)
    {
        var pod = Desired(
            p =>
            {
                if (terminationGrace is { } grace)
                {
                    p.Spec.TerminationGracePeriodSeconds = grace;
                }
            },
            containers: [TestPods.Container("main"), TestPods.Container("sidecar", "busybox:1.36")]);
        var terminating = ContainerSpecBuilder.Build(TestPods.Terminating(pod.Pod, deletionGrace), TestPods.Node);
        var main = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Running);
        var sidecar = TestPods.Instance(pod.Containers[1], 4, ContainerRunState.Exited, finishedAt: s_now);
        var olderSidecar = TestPods.Instance(pod.Containers[1], 3, ContainerRunState.Exited, finishedAt: s_now.AddMinutes(-1));

        var plan = Plan([terminating], [main, sidecar, olderSidecar], authoritative: false);

        var work = Assert.Single(plan.Work);
        Assert.Equal(pod.Uid, work.PodUid);
        var stops = work.Commands.Select(c => Assert.IsType<StopContainerCommand>(c)).ToList();
        Assert.Equal([main.Id, sidecar.Id, olderSidecar.Id], stops.Select(s => s.Instance.Id));
        Assert.All(stops, s => Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), s.GracePeriod));
        Assert.Equal(["main", "sidecar", "sidecar"], stops.Select(s => s.ContainerName));
        Assert.Empty(plan.Terminated);
    }

    // HostDaemons keeps the API's meaning of 0 ("stop immediately via the kill signal"), not the kubelet's 2 s floor.
    [Fact]
    public void Plan_TerminatingPodWithZeroGracePeriod_KillsAtOnce()
    {
        var pod = Desired();
        var terminating = ContainerSpecBuilder.Build(TestPods.Terminating(pod.Pod, gracePeriodSeconds: 0), TestPods.Node);
        var main = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Running);

        var plan = Plan([terminating], [main]);

        var stop = Assert.IsType<StopContainerCommand>(Assert.Single(Assert.Single(plan.Work).Commands));
        Assert.Equal(TimeSpan.Zero, stop.GracePeriod);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Plan_TerminatingPodWithoutContainers_ListedAsTerminated(bool authoritative)
    {
        var terminating = ContainerSpecBuilder.Build(TestPods.Terminating(TestPods.Pod()), TestPods.Node);

        var plan = Plan([terminating], [], authoritative);

        Assert.Empty(plan.Work);
        Assert.Same(terminating, Assert.Single(plan.Terminated));
    }

    [Fact]
    public void Plan_TerminatingPod_DoesNotRestartExitedContainer()
    {
        var pod = Desired();
        var terminating = ContainerSpecBuilder.Build(TestPods.Terminating(pod.Pod, 10), TestPods.Node);
        var exited = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Exited, finishedAt: s_now);

        var plan = Plan([terminating], [exited]);

        Assert.Equal("stop " + exited.Name, Describe(plan));
    }

    [Fact]
    public void Plan_ContainerOfPodNoLongerDesired_StoppedWithGracePeriodLabelWhenAuthoritative()
    {
        var orphan = TestPods.Orphan("gone-uid", gracePeriodSeconds: "12");
        var unlabelled = TestPods.Orphan("gone-uid-2", podName: "other-gone");

        var plan = Plan([], [orphan, unlabelled], authoritative: true);

        Assert.Equal(2, plan.Work.Count);
        var first = Assert.Single(plan.Work, w => w.PodUid == "gone-uid");
        Assert.Equal("gone-pod", first.PodName);
        var stop = Assert.IsType<StopContainerCommand>(Assert.Single(first.Commands));
        Assert.Same(orphan, stop.Instance);
        Assert.Equal(TimeSpan.FromSeconds(12), stop.GracePeriod);
        var second = Assert.Single(plan.Work, w => w.PodUid == "gone-uid-2");
        Assert.Equal(TimeSpan.FromSeconds(30), Assert.IsType<StopContainerCommand>(Assert.Single(second.Commands)).GracePeriod);
    }

    [Fact]
    public void Plan_ContainerOfPodNoLongerDesired_KeptWhenNotAuthoritative()
    {
        var pod = Desired();
        var mine = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Running);
        var orphan = TestPods.Orphan("gone-uid");
        var exitedOrphan = TestPods.Orphan("gone-uid-2", state: ContainerRunState.Exited);

        var plan = Plan([pod], [mine, orphan, exitedOrphan], authoritative: false);

        Assert.Empty(plan.Work);
    }

    [Fact]
    public void Plan_NotAuthoritative_StillCreatesAndStartsDesiredContainers()
    {
        var first = Desired(uid: "uid-1");
        var second = Desired(uid: "uid-2");
        var created = TestPods.Instance(second.Containers[0], 0, ContainerRunState.Created);

        var plan = Plan([first, second], [created], authoritative: false);

        Assert.Equal(["uid-1: create 0", "uid-2: start"], plan.Work.Select(w => $"{w.PodUid}: {Describe(w)}"));
    }

    [Fact]
    public void Plan_ContainerWithoutPodUidLabel_StoppedAsOrphanWhenAuthoritative()
    {
        var stray = TestPods.Orphan("x") with
        {
            Labels = new Dictionary<string, string>(StringComparer.Ordinal) { [ContainerLabels.Node] = TestPods.Node },
        };

        var plan = Plan([], [stray], authoritative: true);

        var work = Assert.Single(plan.Work);
        Assert.Equal("", work.PodUid);
        Assert.Equal(stray.Name, Assert.IsType<StopContainerCommand>(Assert.Single(work.Commands)).ContainerName);
    }

    [Fact]
    public void Plan_ContainerNameNoLongerInSpec_StoppedWithPodGracePeriod()
    {
        var pod = Desired(p => p.Spec.TerminationGracePeriodSeconds = 20);
        var main = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Running);
        var dropped = TestPods.Orphan(pod.Uid, podName: pod.Pod.Metadata.Name, container: "old-sidecar");

        var plan = Plan([pod], [main, dropped], authoritative: false);

        var stop = Assert.IsType<StopContainerCommand>(Assert.Single(Assert.Single(plan.Work).Commands));
        Assert.Same(dropped, stop.Instance);
        Assert.Equal("old-sidecar", stop.ContainerName);
        Assert.Equal(TimeSpan.FromSeconds(20), stop.GracePeriod);
    }

    [Fact]
    public void Plan_RunningLatest_KeepsLatestAndPreviousRemovesOlder()
    {
        var pod = Desired();
        var c = pod.Containers[0];
        var latest = TestPods.Instance(c, 3, ContainerRunState.Running);
        var previous = TestPods.Instance(c, 2, ContainerRunState.Exited, finishedAt: s_now.AddMinutes(-1));
        var older = TestPods.Instance(c, 1, ContainerRunState.Exited, finishedAt: s_now.AddMinutes(-2));
        var oldest = TestPods.Instance(c, 0, ContainerRunState.Dead, finishedAt: s_now.AddMinutes(-3));

        var plan = Plan([pod], [oldest, previous, latest, older]);

        var commands = Assert.Single(plan.Work).Commands;
        Assert.All(commands, command => Assert.IsType<RemoveContainerCommand>(command));
        Assert.Equal([older.Id, oldest.Id], commands.Cast<RemoveContainerCommand>().Select(r => r.Instance.Id));
    }

    [Fact]
    public void Plan_OlderInstanceStillRunning_StoppedAsSuperseded()
    {
        var pod = Desired();
        var c = pod.Containers[0];
        var latest = TestPods.Instance(c, 5, ContainerRunState.Running);
        var previous = TestPods.Instance(c, 4, ContainerRunState.Exited, finishedAt: s_now);
        var stray = TestPods.Instance(c, 2, ContainerRunState.Running);

        var plan = Plan([pod], [latest, previous, stray]);

        var stop = Assert.IsType<StopContainerCommand>(Assert.Single(Assert.Single(plan.Work).Commands));
        Assert.Same(stray, stop.Instance);
        Assert.Equal(TimeSpan.FromSeconds(30), stop.GracePeriod);
    }

    [Fact]
    public void Plan_ExitedLatestInBackoff_KeepsOnlyLatest()
    {
        var pod = Desired();
        var c = pod.Containers[0];
        var previous = TestPods.Instance(c, 0, ContainerRunState.Exited, finishedAt: s_now.AddSeconds(-30));
        Ran(Plan([pod], [previous]));
        var latest = TestPods.Instance(c, 1, ContainerRunState.Exited, finishedAt: s_now);

        var plan = Plan([pod], [previous, latest]);

        Assert.Equal("remove " + previous.Name, Describe(plan));
        Assert.Equal(TimeSpan.FromSeconds(10), plan.WakeUpAfter);
    }

    [Fact]
    public void Plan_SameAttemptTwice_NewestCreatedIsLatest()
    {
        var pod = Desired();
        var c = pod.Containers[0];
        var older = TestPods.Instance(c, 1, ContainerRunState.Exited, createdAt: s_now.AddMinutes(-5), finishedAt: s_now.AddMinutes(-4)) with { Id = "older" };
        var newer = TestPods.Instance(c, 1, ContainerRunState.Running, createdAt: s_now.AddMinutes(-1)) with { Id = "newer" };

        var plan = Plan([pod], [older, newer]);

        Assert.Empty(plan.Work);
    }

    [Fact]
    public void Plan_AfterCommandFailure_DelaysCreateUntilFailureBackoffEnds()
    {
        var pod = Desired();
        var key = RestartTracker.Key(pod.Uid, "main");
        Plan([pod], []);
        _restarts.RecordFailure(key, "ErrImagePull", "manifest unknown");

        var waiting = Plan([pod], []);
        Assert.Empty(waiting.Work);
        Assert.Equal(TimeSpan.FromSeconds(1), waiting.WakeUpAfter);

        _time.Advance(TimeSpan.FromSeconds(1));
        var plan = Plan([pod], []);

        Assert.IsType<CreateContainerCommand>(Assert.Single(Assert.Single(plan.Work).Commands));
        Assert.Null(plan.WakeUpAfter);
    }

    [Fact]
    public void Plan_CreateAfterFailedCreate_KeepsAttemptZero()
    {
        var pod = Desired();
        var key = RestartTracker.Key(pod.Uid, "main");
        Assert.Equal("create 0", Describe(Plan([pod], [])));
        _restarts.RecordFailure(key, "ErrImagePull", "manifest unknown");
        _time.Advance(TimeSpan.FromSeconds(1));

        var plan = Plan([pod], []);

        Assert.Equal("create 0", Describe(plan));
    }

    [Fact]
    public void Plan_AfterStartFailure_DelaysStartOfCreatedInstance()
    {
        var pod = Desired();
        var key = RestartTracker.Key(pod.Uid, "main");
        var created = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Created);
        _restarts.RecordFailure(key, "RunContainerError", "bind source path does not exist");
        _restarts.RecordFailure(key, "RunContainerError", "bind source path does not exist");

        var waiting = Plan([pod], [created]);
        Assert.Empty(waiting.Work);
        Assert.Equal(TimeSpan.FromSeconds(2), waiting.WakeUpAfter);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("start", Describe(Plan([pod], [created])));
    }

    [Fact]
    public void Plan_AfterCommandFailure_ExitedContainerWaitsForFailureBackoff()
    {
        var pod = Desired();
        var key = RestartTracker.Key(pod.Uid, "main");
        var exited = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Exited, finishedAt: s_now.AddMinutes(-1));
        _restarts.RecordFailure(key, "CreateContainerError", "conflict");

        var plan = Plan([pod], [exited]);

        Assert.Empty(plan.Work);
        Assert.Equal(TimeSpan.FromSeconds(1), plan.WakeUpAfter);
    }

    [Fact]
    public void Plan_SpecChangedAfterFailedPull_WaitsForFailureBackoff()
    {
        // Download, then kill leaves the old instance running when the new image's pull fails, so the next plan
        // again finds it with the old spec hash: the replacement (and its pull) must wait out the failure back-off.
        var pod = Desired();
        var key = RestartTracker.Key(pod.Uid, "main");
        var running = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Running, specHash: "outdated00");
        _restarts.RecordFailure(key, "ErrImagePull", "manifest unknown");

        var waiting = Plan([pod], [running]);

        Assert.Empty(waiting.Work);
        Assert.Equal(TimeSpan.FromSeconds(1), waiting.WakeUpAfter);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("stop " + running.Name + "; create 1", Describe(Plan([pod], [running])));
    }

    [Fact]
    public void Plan_SeveralContainersInBackoff_WakesUpAtEarliestEnd()
    {
        var pod = Desired(HostNetwork, containers: [TestPods.Container("a"), TestPods.Container("b")]);
        var a0 = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Exited, finishedAt: s_now);
        var b0 = TestPods.Instance(pod.Containers[1], 0, ContainerRunState.Exited, finishedAt: s_now);
        Ran(Plan([pod], [a0, b0]));
        _time.Advance(TimeSpan.FromSeconds(1));
        var a1 = TestPods.Instance(pod.Containers[0], 1, ContainerRunState.Exited, finishedAt: s_now);
        var b1 = TestPods.Instance(pod.Containers[1], 1, ContainerRunState.Exited, finishedAt: s_now.AddSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(3));

        var plan = Plan([pod], [a1, b1]);

        Assert.Empty(plan.Work);
        Assert.Equal(TimeSpan.FromSeconds(6), plan.WakeUpAfter);
    }

    [Fact]
    public void Plan_PodWithSeveralContainers_PlansEachAndKeepsOtherPodsSeparate()
    {
        var first = Desired(HostNetwork, uid: "uid-1", containers: [TestPods.Container("a"), TestPods.Container("b")]);
        var second = Desired(uid: "uid-2");
        var aRunning = TestPods.Instance(first.Containers[0], 0, ContainerRunState.Running);
        var secondRunning = TestPods.Instance(second.Containers[0], 0, ContainerRunState.Running);

        var plan = Plan([first, second], [aRunning, secondRunning]);

        var work = Assert.Single(plan.Work);
        Assert.Equal("uid-1", work.PodUid);
        var create = Assert.IsType<CreateContainerCommand>(Assert.Single(work.Commands));
        Assert.Equal("b", create.ContainerName);
        Assert.Equal(0, create.Attempt);
    }

    [Fact]
    public void Plan_ContainerRemovedBehindAgentsBack_RecreatedWithNextAttempt()
    {
        var pod = Desired();
        var running = TestPods.Instance(pod.Containers[0], 4, ContainerRunState.Running);
        Assert.Empty(Plan([pod], [running]).Work);

        // The reconciler observes every listed container before it plans.
        _restarts.Observe(RestartTracker.Key(pod.Uid, "main"), 4);

        var plan = Plan([pod], []);

        Assert.Equal("create 5", Describe(plan));
    }

    private ReconcilePlan Plan(IReadOnlyCollection<DesiredPod> desired, IReadOnlyList<RuntimeContainer> actual, bool authoritative = true) =>
        PodPlanner.Plan(desired, actual, authoritative, _restarts);

    /// <summary>Records the restarts of <paramref name="plan"/> as the pod workers do when they run its creates.</summary>
    private void Ran(ReconcilePlan plan)
    {
        var restarts = plan.Work.SelectMany(w => w.Commands).OfType<CreateContainerCommand>().Where(c => c.RestartOf is not null).ToList();
        Assert.NotEmpty(restarts);
        foreach (var create in restarts)
        {
            _restarts.RecordRestart(RestartTracker.Key(create.Container.Pod.Metadata.Uid, create.ContainerName), create.Container.SpecHash, create.RestartOf!.Value);
        }
    }

    /// <summary>Several containers without hostNetwork share a sandbox; these tests are about the containers alone.</summary>
    private static void HostNetwork(Pod pod) => pod.Spec.HostNetwork = true;

    private static DesiredPod Desired(Action<Pod>? configure = null, string uid = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b", Container[]? containers = null)
    {
        var pod = TestPods.Pod(name: "fluentd-" + uid[..5], uid: uid, containers: containers ?? []);
        configure?.Invoke(pod);
        return ContainerSpecBuilder.Build(pod, TestPods.Node);
    }

    private static string Describe(ReconcilePlan plan) => string.Join(" | ", plan.Work.Select(Describe));

    private static string Describe(PodPlan work) => string.Join("; ", work.Commands.Select(c => c switch
    {
        CreateContainerCommand create => $"create {create.Attempt}",
        StartContainerCommand => "start",
        StopContainerCommand stop => "stop " + stop.Instance.Name,
        RemoveContainerCommand remove => "remove " + remove.Instance.Name,
        _ => c.ToString(),
    }));
}
