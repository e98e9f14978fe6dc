using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Api.V1;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.Reconcile;

/// <summary>The whole agent loop over the in-memory engine: assignments in, containers and status reports out.</summary>
public sealed class ReconcilerTests : IDisposable
{
    private const string Uid = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

    private readonly TempDirectory _stateDir = new("hd-agent-state");
    private readonly AgentHarness _agent;

    public ReconcilerTests()
    {
        _agent = AgentHarness.Create(_stateDir);
        _agent.Runtime.AddLocalImage(TestPods.Image);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FakeContainerRuntime Runtime => _agent.Runtime;

    private static string Key => RestartTracker.Key(Uid, "main");

    private static string SpecHash => ContainerSpecBuilder.Build(TestPods.Pod(), TestPods.Node).Containers[0].SpecHash;

    public void Dispose()
    {
        _agent.Dispose();
        _stateDir.Dispose();
    }

    [Fact]
    public async Task ReconcileOnce_AssignedPod_CreatesLabelledContainer()
    {
        _agent.Assigned.ReplaceAll([TestPods.Pod()], 1);

        await _agent.PassAsync();

        var container = Assert.Single(Runtime.Containers);
        Assert.Equal(ContainerRunState.Running, container.State);
        Assert.Equal("hd_main_fluentd-x7k2p_kube-system_5f0c1a2b_0", container.Name);
        Assert.Equal(TestPods.Image, container.Image);
        Assert.Equal(TestPods.Node, container.Labels[ContainerLabels.Node]);
        Assert.Equal(TestPods.Namespace, container.Labels[ContainerLabels.Namespace]);
        Assert.Equal("fluentd-x7k2p", container.Labels[ContainerLabels.Pod]);
        Assert.Equal(Uid, container.Labels[ContainerLabels.PodUid]);
        Assert.Equal("main", container.Labels[ContainerLabels.Container]);
        Assert.Equal("DaemonSet/fluentd", container.Labels[ContainerLabels.Owner]);
        Assert.Equal(ContainerSpecBuilder.Build(TestPods.Pod(), TestPods.Node).Containers[0].SpecHash, container.Labels[ContainerLabels.SpecHash]);
        Assert.Equal("0", container.Labels[ContainerLabels.Attempt]);
        Assert.Equal("30", container.Labels[ContainerLabels.GracePeriod]);
        Assert.Equal(
            [new RuntimeCall(RuntimeCall.Create, container.Name), new RuntimeCall(RuntimeCall.Start, container.Id)],
            Runtime.Changes);
    }

    [Fact]
    public async Task ReconcileOnce_AssignedPod_ReportsPendingThenRunning()
    {
        _agent.Assigned.ReplaceAll([TestPods.Pod()], 1);

        await _agent.PassAsync();
        var creating = await _agent.TakeReportAsync(Uid);
        await _agent.PassAsync();
        var running = await _agent.TakeReportAsync(Uid);

        Assert.Equal(new PodKey { Namespace = TestPods.Namespace, Name = "fluentd-x7k2p", Uid = Uid }, creating.Pod);
        Assert.Equal("Pending", creating.Status.Phase);
        Assert.Equal("ContainerCreating", Assert.Single(creating.Status.ContainerStatuses).State.Waiting.Reason);
        Assert.Equal("Running", running.Status.Phase);
        Assert.Equal("True", Assert.Single(running.Status.Conditions, c => c.Type == "Ready").Status);
        var container = Assert.Single(running.Status.ContainerStatuses);
        Assert.NotNull(container.State.Running);
        Assert.Equal(0, container.RestartCount);
        Assert.Equal("docker://" + Assert.Single(Runtime.Containers).Id, container.ContainerId);
        Assert.Equal(running.Status.StartTime, creating.Status.StartTime);
        Assert.Equal(1, _agent.Reconciler.RunningPods);
    }

    [Fact]
    public async Task ReconcileOnce_NothingChanged_NoCommandsAndNoNewReport()
    {
        await RunPodAsync();
        await _agent.TakeReportsAsync();
        Runtime.ClearCalls();

        await _agent.PassAsync();

        Assert.Empty(Runtime.Changes);
        Assert.Empty(await _agent.TakeReportsAsync());
    }

    [Fact]
    public async Task ReconcileOnce_ImageMissing_PullsBeforeCreating()
    {
        const string image = "registry.local/node-exporter:1.8";
        _agent.Assigned.ReplaceAll([TestPods.Pod(containers: TestPods.Container("exporter", image))], 1);

        await _agent.PassAsync();

        Assert.Equal([RuntimeCall.Pull, RuntimeCall.Create, RuntimeCall.Start], Runtime.Changes.Select(c => c.Method));
        Assert.Equal(image, Runtime.Changes[0].Target);
        Assert.Equal(ContainerRunState.Running, Assert.Single(Runtime.Containers).State);
    }

    [Fact]
    public async Task ReconcileOnce_AfterCrash_RecreatesAndReportsRestartCountOne()
    {
        var first = await RunPodAsync();
        _agent.Time.Advance(TimeSpan.FromMinutes(1));
        Runtime.SimulateExit(first.Id, exitCode: 1);

        await _agent.PassAsync();
        await _agent.PassAsync();

        var latest = Assert.Single(Runtime.Containers, c => c.State == ContainerRunState.Running);
        Assert.Equal("1", latest.Labels[ContainerLabels.Attempt]);
        Assert.EndsWith("_1", latest.Name, StringComparison.Ordinal);
        Assert.True(Runtime.Exists(first.Id), "the exited instance stays for logs --previous");
        var status = Assert.Single((await _agent.TakeReportAsync(Uid)).Status.ContainerStatuses);
        Assert.Equal(1, status.RestartCount);
        Assert.NotNull(status.State.Running);
        Assert.Equal(1, status.LastState.Terminated.ExitCode);
        Assert.Equal("docker://" + first.Id, status.LastState.Terminated.ContainerId);
    }

    [Fact]
    public async Task ReconcileOnce_CrashLoop_WaitsOutBackoffThenRestarts()
    {
        var first = await RunPodAsync();
        Runtime.SimulateExit(first.Id, exitCode: 1);
        await _agent.PassAsync();
        var second = Assert.Single(Runtime.Containers, c => c.State == ContainerRunState.Running);
        _agent.Time.Advance(TimeSpan.FromSeconds(2));
        Runtime.SimulateExit(second.Id, exitCode: 2);
        await _agent.TakeReportsAsync();
        Runtime.ClearCalls();

        await _agent.PassAsync();

        // In back-off: no restart; only the oldest (exited) instance goes, the latest stays for logs --previous.
        Assert.Equal([new RuntimeCall(RuntimeCall.Remove, first.Id)], Runtime.Changes);
        var waiting = Assert.Single((await _agent.TakeReportAsync(Uid)).Status.ContainerStatuses);
        Assert.Equal("CrashLoopBackOff", waiting.State.Waiting.Reason);
        Assert.Equal($"back-off 10s restarting failed container=main pod=fluentd-x7k2p_kube-system({Uid})", waiting.State.Waiting.Message);
        Assert.Equal(2, waiting.LastState.Terminated.ExitCode);
        Assert.Equal(1, waiting.RestartCount);

        Runtime.ClearCalls();
        _agent.Time.Advance(TimeSpan.FromSeconds(9));
        await _agent.PassAsync();
        Assert.Empty(Runtime.Changes);

        _agent.Time.Advance(TimeSpan.FromSeconds(1));
        await _agent.PassAsync();

        Assert.Equal([RuntimeCall.Create, RuntimeCall.Start], Runtime.Changes.Select(c => c.Method));
        Assert.Equal(["1", "2"], Runtime.Containers.Select(c => c.Labels[ContainerLabels.Attempt]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReconcileOnce_FirstCrash_NotReportedAsCrashLoopBackOff()
    {
        var first = await RunPodAsync();
        Runtime.SimulateExit(first.Id, exitCode: 1);

        await _agent.PassAsync();

        var status = Assert.Single((await _agent.TakeReportAsync(Uid)).Status.ContainerStatuses);
        Assert.NotEqual("CrashLoopBackOff", status.State.Waiting?.Reason);
    }

    [Fact]
    public async Task ReconcileOnce_RanMoreThanTenMinutes_RestartsAtOnce()
    {
        var first = await RunPodAsync();
        Runtime.SimulateExit(first.Id, exitCode: 1);
        await _agent.PassAsync();
        var second = Assert.Single(Runtime.Containers, c => c.State == ContainerRunState.Running);
        _agent.Time.Advance(TimeSpan.FromMinutes(11));
        Runtime.SimulateExit(second.Id, exitCode: 1);
        Runtime.ClearCalls();

        await _agent.PassAsync();

        Assert.Contains(Runtime.Changes, c => c.Method == RuntimeCall.Create && c.Target.EndsWith("_2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReconcileOnce_ContainerRemovedBehindAgentsBack_RecreatedWithNextAttempt()
    {
        var first = await RunPodAsync();
        await Runtime.RemoveContainerAsync(first.Id, Ct).DefaultTimeout();

        await _agent.PassAsync();
        await _agent.PassAsync();

        Assert.Equal("1", Assert.Single(Runtime.Containers).Labels[ContainerLabels.Attempt]);
        Assert.Equal(1, Assert.Single((await _agent.TakeReportAsync(Uid)).Status.ContainerStatuses).RestartCount);
    }

    [Fact]
    public async Task ReconcileOnce_PodRemovedFromAssignments_StopsAndRemovesItsContainers()
    {
        var running = await RunPodAsync();
        await _agent.TakeReportsAsync();
        Runtime.ClearCalls();

        _agent.Assigned.ReplaceAll([], 2);
        await _agent.PassAsync();

        Assert.Equal(
            [new RuntimeCall(RuntimeCall.Stop, running.Id, TimeSpan.FromSeconds(30)), new RuntimeCall(RuntimeCall.Remove, running.Id)],
            Runtime.Changes);
        Assert.Empty(Runtime.Containers);
        Assert.Empty(await _agent.TakeReportsAsync());
        Assert.Equal(0, _agent.Reconciler.RunningPods);
    }

    [Fact]
    public async Task ReconcileOnce_PodRemovedWithCustomGrace_StopUsesGraceLabel()
    {
        var pod = TestPods.Pod();
        pod.Spec.TerminationGracePeriodSeconds = 75;
        _agent.Assigned.ReplaceAll([pod], 1);
        await _agent.PassAsync();
        var running = Assert.Single(Runtime.Containers);

        _agent.Assigned.Apply(new PodChanges { Revision = 2, Changes = { new PodChange { Deleted = new PodKey { Namespace = TestPods.Namespace, Name = pod.Metadata.Name, Uid = Uid } } } });
        await _agent.PassAsync();

        Assert.Contains(new RuntimeCall(RuntimeCall.Stop, running.Id, TimeSpan.FromSeconds(75)), Runtime.Changes);
        Assert.Empty(Runtime.Containers);
    }

    [Fact]
    public async Task ReconcileOnce_ContainerOfAnotherNode_NeverTouched()
    {
        var foreign = Runtime.Seed(TestPods.Orphan("foreign-uid", node: "node-b"));
        _agent.Assigned.ReplaceAll([], 1);

        await _agent.PassAsync();

        Assert.Empty(Runtime.Changes);
        Assert.True(Runtime.Exists(foreign.Id));
        Assert.Contains(new RuntimeCall(RuntimeCall.List, TestPods.Node), Runtime.Calls);
    }

    [Fact]
    public async Task ReconcileOnce_TerminatingPod_StopsThenReportsTerminated()
    {
        var pod = TestPods.Pod();
        var running = await RunPodAsync(pod);
        await _agent.TakeReportsAsync();
        Runtime.ClearCalls();

        _agent.Assigned.Apply(new PodChanges { Revision = 2, Changes = { new PodChange { Upserted = TestPods.Terminating(pod, gracePeriodSeconds: 7) } } });
        await _agent.PassAsync();

        Assert.Equal(
            [new RuntimeCall(RuntimeCall.Stop, running.Id, TimeSpan.FromSeconds(7)), new RuntimeCall(RuntimeCall.Remove, running.Id)],
            Runtime.Changes);
        Assert.Empty(await _agent.TakeReportsAsync());

        await _agent.PassAsync();

        var report = await _agent.TakeReportAsync(Uid);
        Assert.True(report.Terminated);
        Assert.Null(report.Status);
        Assert.Equal(pod.Metadata.Name, report.Pod.Name);
    }

    [Fact]
    public async Task ReconcileOnce_TerminatingPodNeverStarted_ReportedTerminatedAtOnce()
    {
        var pod = TestPods.Terminating(TestPods.Pod(), gracePeriodSeconds: 30);
        _agent.Assigned.ReplaceAll([pod], 1);

        await _agent.PassAsync();

        Assert.Empty(Runtime.Changes);
        Assert.True((await _agent.TakeReportAsync(Uid)).Terminated);
    }

    [Fact]
    public async Task ReconcileOnce_AgentRestarted_AdoptsRunningContainersWithoutRestart()
    {
        var running = await RunPodAsync();
        using var restarted = _agent.Restart();
        Runtime.ClearCalls();

        await restarted.PassAsync();
        await restarted.PassAsync();

        Assert.True(restarted.Assigned.IsKnown);
        Assert.Empty(Runtime.Changes);
        Assert.Equal(running, Assert.Single(Runtime.Containers));
        var report = await restarted.TakeReportAsync(Uid);
        Assert.Equal("Running", report.Status.Phase);
        Assert.Equal(0, Assert.Single(report.Status.ContainerStatuses).RestartCount);
        Assert.Equal(1, restarted.Reconciler.RunningPods);
    }

    [Fact]
    public async Task ReconcileOnce_AgentRestartedAfterRestarts_KeepsCountAndPreviousInstance()
    {
        var first = await RunPodAsync();
        Runtime.SimulateExit(first.Id, exitCode: 1);
        await _agent.PassAsync();
        using var restarted = _agent.Restart();
        Runtime.ClearCalls();

        await restarted.PassAsync();

        Assert.Empty(Runtime.Changes);
        Assert.Equal(2, Runtime.Containers.Count);
        var status = Assert.Single((await restarted.TakeReportAsync(Uid)).Status.ContainerStatuses);
        Assert.Equal(1, status.RestartCount);
        Assert.Equal(1, status.LastState.Terminated.ExitCode);

        var second = Assert.Single(Runtime.Containers, c => c.State == ContainerRunState.Running);
        Runtime.SimulateExit(second.Id, exitCode: 1);
        await restarted.PassAsync();
        Assert.Contains(Runtime.Changes, c => c.Method == RuntimeCall.Create && c.Target.EndsWith("_2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReconcileOnce_AgentRestartedWithoutSavedAssignments_StopsNothing()
    {
        var running = await RunPodAsync();
        File.Delete(_stateDir.Combine("assignments.pb"));
        using var restarted = _agent.Restart();
        Runtime.ClearCalls();

        await restarted.PassAsync();

        Assert.False(restarted.Assigned.IsKnown);
        Assert.Empty(Runtime.Changes);
        Assert.True(Runtime.Exists(running.Id));

        restarted.Assigned.ReplaceAll([], 5);
        await restarted.PassAsync();

        Assert.False(Runtime.Exists(running.Id));
    }

    [Fact]
    public async Task ReconcileOnce_AgentRestartedAfterSpecChange_ReplacesContainer()
    {
        var running = await RunPodAsync();
        using var restarted = _agent.Restart();
        Runtime.ClearCalls();
        var changed = TestPods.Pod();
        changed.Metadata.ResourceVersion = "2";
        changed.Spec.Containers[0].Env.Add(new EnvVar { Name = "LEVEL", Value = "debug" });

        restarted.Assigned.ReplaceAll([changed], 2);
        await restarted.PassAsync();

        Assert.Equal(
            [RuntimeCall.Stop, RuntimeCall.Remove, RuntimeCall.Create, RuntimeCall.Start],
            Runtime.Changes.Select(c => c.Method));
        Assert.False(Runtime.Exists(running.Id));
        var replacement = Assert.Single(Runtime.Containers);
        Assert.Equal("1", replacement.Labels[ContainerLabels.Attempt]);
        Assert.Equal(["LEVEL=debug"], Runtime.SpecOf(replacement.Id).Environment);
    }

    [Fact]
    public async Task ReconcileOnce_SpecChangeWithFailingPull_OldContainerKeepsRunningUntilPullSucceeds()
    {
        const string image = "registry.local/fluentd:2.0";
        var running = await RunPodAsync();
        Runtime.FailPull(image, "manifest unknown");
        Runtime.ClearCalls();
        var changed = TestPods.Pod(containers: TestPods.Container("main", image));
        changed.Metadata.ResourceVersion = "2";
        _agent.Assigned.ReplaceAll([changed], 2);

        await _agent.PassAsync();
        await _agent.PassAsync();

        // Only pulls (how many is PodPlannerTests.Plan_SpecChangedAfterFailedPull_WaitsForFailureBackoff's concern).
        Assert.NotEmpty(Runtime.Changes);
        Assert.All(Runtime.Changes, c => Assert.Equal(new RuntimeCall(RuntimeCall.Pull, image), c));
        Assert.Equal(running, Assert.Single(Runtime.Containers));
        Assert.Equal("Running", (await _agent.TakeReportAsync(Uid)).Status.Phase);
        Assert.Equal(1, _agent.Reconciler.RunningPods);

        Runtime.AllowPull(image);
        Runtime.ClearCalls();
        _agent.Time.Advance(TimeSpan.FromSeconds(1));
        await _agent.PassAsync();

        Assert.Equal(
            [RuntimeCall.Pull, RuntimeCall.Stop, RuntimeCall.Remove, RuntimeCall.Create, RuntimeCall.Start],
            Runtime.Changes.Select(c => c.Method));
        var replacement = Assert.Single(Runtime.Containers);
        Assert.Equal(image, replacement.Image);
        Assert.Equal("1", replacement.Labels[ContainerLabels.Attempt]);
    }

    [Fact]
    public async Task ReconcileOnce_PullFails_ReportsErrImagePullAndRetriesAfterBackoff()
    {
        const string image = "registry.local/missing:1.0";
        Runtime.FailPull(image, "manifest unknown");
        _agent.Assigned.ReplaceAll([TestPods.Pod(containers: TestPods.Container("main", image))], 1);

        await _agent.PassAsync();
        await _agent.PassAsync();

        // The retry waits out its back-off: ImagePullBackOff, with the pull's error.
        Assert.Empty(Runtime.Containers);
        var waiting = Assert.Single((await _agent.TakeReportAsync(Uid)).Status.ContainerStatuses).State.Waiting;
        Assert.Equal("ImagePullBackOff", waiting.Reason);
        Assert.Contains("manifest unknown", waiting.Message, StringComparison.Ordinal);
        Assert.Single(Runtime.Changes, c => c.Method == RuntimeCall.Pull);

        Runtime.AllowPull(image);
        _agent.Time.Advance(TimeSpan.FromSeconds(1));
        await _agent.PassAsync();
        await _agent.PassAsync();

        Assert.Equal(ContainerRunState.Running, Assert.Single(Runtime.Containers).State);
        var running = Assert.Single((await _agent.TakeReportAsync(Uid)).Status.ContainerStatuses);
        Assert.NotNull(running.State.Running);
    }

    [Fact]
    public async Task ReconcileOnce_PullFailedThenSucceeded_RestartCountZero()
    {
        const string image = "registry.local/flaky:1.0";
        Runtime.FailPull(image);
        _agent.Assigned.ReplaceAll([TestPods.Pod(containers: TestPods.Container("main", image))], 1);
        await _agent.PassAsync();
        Runtime.AllowPull(image);
        _agent.Time.Advance(TimeSpan.FromSeconds(1));

        await _agent.PassAsync();
        await _agent.PassAsync();

        Assert.Equal("0", Assert.Single(Runtime.Containers).Labels[ContainerLabels.Attempt]);
        Assert.Equal(0, Assert.Single((await _agent.TakeReportAsync(Uid)).Status.ContainerStatuses).RestartCount);
    }

    [Fact]
    public async Task ReconcileOnce_OnePodsPullFails_OtherPodsStillRun()
    {
        Runtime.FailPull("registry.local/missing:1.0");
        var broken = TestPods.Pod(name: "broken", uid: "uid-broken", TestPods.Container("main", "registry.local/missing:1.0"));
        var healthy = TestPods.Pod(name: "healthy", uid: "uid-healthy");
        _agent.Assigned.ReplaceAll([broken, healthy], 1);

        await _agent.PassAsync();
        await _agent.PassAsync();

        var container = Assert.Single(Runtime.Containers);
        Assert.Equal("uid-healthy", container.Labels[ContainerLabels.PodUid]);
        Assert.Equal(ContainerRunState.Running, container.State);
        var reports = await _agent.TakeReportsAsync();
        Assert.Equal("Running", Assert.Single(reports, r => r.Pod.Uid == "uid-healthy").Status.Phase);
        Assert.Equal("Pending", Assert.Single(reports, r => r.Pod.Uid == "uid-broken").Status.Phase);
        Assert.Equal(1, _agent.Reconciler.RunningPods);
    }

    [Fact]
    public async Task ReconcileOnce_StartFails_ContainerKeptAndStartedAfterBackoff()
    {
        Runtime.FailStart(TestPods.Image, "error mounting \"/var/log/nope\": no such file or directory");
        _agent.Assigned.ReplaceAll([TestPods.Pod()], 1);

        await _agent.PassAsync();
        await _agent.PassAsync();

        var created = Assert.Single(Runtime.Containers);
        Assert.Equal(ContainerRunState.Created, created.State);
        var waiting = Assert.Single((await _agent.TakeReportAsync(Uid)).Status.ContainerStatuses).State.Waiting;
        Assert.Equal("RunContainerError", waiting.Reason);
        Assert.Contains("no such file", waiting.Message, StringComparison.Ordinal);

        Runtime.AllowStart(TestPods.Image);
        Runtime.ClearCalls();
        _agent.Time.Advance(TimeSpan.FromSeconds(1));
        await _agent.PassAsync();

        Assert.Equal([new RuntimeCall(RuntimeCall.Start, created.Id)], Runtime.Changes);
        Assert.Equal(ContainerRunState.Running, Runtime.Get(created.Id).State);
    }

    [Fact]
    public async Task ReconcileOnce_PodBusy_LaterPassStartsNoDuplicateWork()
    {
        const string image = "registry.local/slow:1.0";
        Runtime.BlockPulls();
        _agent.Assigned.ReplaceAll([TestPods.Pod(containers: TestPods.Container("main", image))], 1);
        var pulling = Runtime.PullStarted;
        await _agent.ReconcileAsync().DefaultTimeout();
        await pulling.DefaultTimeout();

        await _agent.ReconcileAsync().DefaultTimeout();
        Assert.True(_agent.Workers.IsBusy(Uid));
        Runtime.ReleasePulls();
        await _agent.Workers.DrainAsync().DefaultTimeout();

        Assert.Single(Runtime.Changes, c => c.Method == RuntimeCall.Pull);
        Assert.Single(Runtime.Containers);
    }

    [Fact]
    public async Task ReconcileOnce_PassWhileCreateInFlight_DoesNotSkipAttemptNumbers()
    {
        const string image = "registry.local/slow:1.0";
        Runtime.BlockPulls();
        _agent.Assigned.ReplaceAll([TestPods.Pod(containers: TestPods.Container("main", image))], 1);
        var pulling = Runtime.PullStarted;
        await _agent.ReconcileAsync().DefaultTimeout();
        await pulling.DefaultTimeout();
        await _agent.ReconcileAsync().DefaultTimeout();
        Runtime.ReleasePulls();
        await _agent.Workers.DrainAsync().DefaultTimeout();
        var first = Assert.Single(Runtime.Containers);

        Runtime.SimulateExit(first.Id, exitCode: 1);
        await _agent.PassAsync();
        await _agent.PassAsync();

        Assert.Equal(1, Assert.Single((await _agent.TakeReportAsync(Uid)).Status.ContainerStatuses).RestartCount);
    }

    [Fact]
    public async Task ReconcileOnce_CrashWhilePodBusy_FirstRestartStillImmediate()
    {
        // The sidecar pulls on every (re)start, so its restart keeps the pod busy while the registry is slow.
        const string slowImage = "registry.local/slow:1.0";
        var sidecar = TestPods.Container("sidecar", slowImage);
        sidecar.ImagePullPolicy = "Always";
        _agent.Assigned.ReplaceAll([TestPods.Pod(containers: [TestPods.Container("main"), sidecar])], 1);
        await _agent.PassAsync();
        var main = Assert.Single(Runtime.Containers, c => c.Name.StartsWith("hd_main_", StringComparison.Ordinal));
        var side = Assert.Single(Runtime.Containers, c => c.Name.StartsWith("hd_sidecar_", StringComparison.Ordinal));
        Runtime.BlockPulls();
        Runtime.SimulateExit(side.Id, exitCode: 1);
        var pulling = Runtime.PullStarted;
        await _agent.ReconcileAsync().DefaultTimeout();
        await pulling.DefaultTimeout();

        // main crashes while the pod is busy: this pass plans its restart, but the plan is dropped.
        Runtime.SimulateExit(main.Id, exitCode: 1);
        await _agent.ReconcileAsync().DefaultTimeout();
        Assert.True(_agent.Workers.IsBusy(Uid));
        Runtime.ReleasePulls();
        await _agent.Workers.DrainAsync().DefaultTimeout();
        Runtime.ClearCalls();

        await _agent.PassAsync();

        Assert.Contains(Runtime.Changes, c => c.Method == RuntimeCall.Create && c.Target.StartsWith("hd_main_", StringComparison.Ordinal) && c.Target.EndsWith("_1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReconcileOnce_PodRemovedAfterCrash_RestartStateForgotten()
    {
        var first = await RunPodAsync();
        Runtime.SimulateExit(first.Id, exitCode: 1);
        await _agent.PassAsync();
        Assert.Equal(TimeSpan.FromSeconds(10), _agent.Restarts.CurrentBackoff(Key, SpecHash, _agent.Time.GetUtcNow()));

        _agent.Assigned.ReplaceAll([], 2);
        await _agent.PassAsync();
        await _agent.PassAsync();

        Assert.Empty(Runtime.Containers);
        Assert.Null(_agent.Restarts.CurrentBackoff(Key, SpecHash, _agent.Time.GetUtcNow()));
        Assert.Equal(0, _agent.Restarts.NextAttempt(Key, -1));
        Assert.DoesNotContain(Uid, _agent.Restarts.PodUids);
    }

    [Fact]
    public async Task ReconcileOnce_TerminatedPodDeleted_RestartStateForgotten()
    {
        var pod = TestPods.Pod();
        var first = await RunPodAsync(pod);
        Runtime.SimulateExit(first.Id, exitCode: 1);
        await _agent.PassAsync();
        Assert.Contains(Uid, _agent.Restarts.PodUids);
        _agent.Assigned.Apply(new PodChanges { Revision = 2, Changes = { new PodChange { Upserted = TestPods.Terminating(pod, 5) } } });
        await _agent.PassAsync();
        Assert.Empty(Runtime.Containers);

        _agent.Assigned.Apply(new PodChanges { Revision = 3, Changes = { new PodChange { Deleted = new PodKey { Uid = Uid } } } });
        await _agent.PassAsync();

        Assert.Null(_agent.Restarts.CurrentBackoff(Key, SpecHash, _agent.Time.GetUtcNow()));
        Assert.DoesNotContain(Uid, _agent.Restarts.PodUids);
    }

    [Fact]
    public async Task ReconcileOnce_ListFails_Throws()
    {
        Runtime.ListFailure = new ContainerRuntimeException("EngineUnavailable", "connection refused");

        await Assert.ThrowsAsync<ContainerRuntimeException>(() => _agent.ReconcileAsync()).DefaultTimeout();
    }

    [Fact]
    public async Task Run_AssignmentChange_ReconciledByTheLoop()
    {
        await _agent.Reconciler.StartAsync(Ct).DefaultTimeout();
        try
        {
            await AsyncTestHelpers.WaitUntilAsync(() => _agent.Reconciler.LastSuccess is not null, "the first pass");
            _agent.Assigned.ReplaceAll([TestPods.Pod()], 1);

            await AsyncTestHelpers.WaitUntilAsync(() => _agent.Reconciler.RunningPods == 1, "the loop to start the pod and see it run");

            Assert.Equal(ContainerRunState.Running, Assert.Single(Runtime.Containers).State);
        }
        finally
        {
            await _agent.Reconciler.StopAsync(Ct).DefaultTimeout();
        }

        Assert.False(_agent.Lifetime.StopRequested);
    }

    [Fact]
    public async Task Run_PassFails_RetriedAfterBackoffWithoutStoppingTheHost()
    {
        Runtime.ListFailure = new ContainerRuntimeException("EngineUnavailable", "connection refused");
        _agent.Assigned.ReplaceAll([TestPods.Pod()], 1);
        await _agent.Reconciler.StartAsync(Ct).DefaultTimeout();
        try
        {
            await AsyncTestHelpers.WaitUntilAsync(() => Runtime.Calls.Any(c => c.Method == RuntimeCall.List), "the first pass");
            Assert.Null(_agent.Reconciler.LastSuccess);
            Runtime.ListFailure = null;

            // The retry is a timer on the agent's clock.
            await AsyncTestHelpers.WaitUntilAsync(
                () =>
                {
                    _agent.Time.Advance(TimeSpan.FromSeconds(1));
                    return _agent.Reconciler.LastSuccess is not null && Runtime.Containers.Count == 1;
                },
                "the retried pass");
        }
        finally
        {
            await _agent.Reconciler.StopAsync(Ct).DefaultTimeout();
        }

        Assert.False(_agent.Lifetime.StopRequested);
    }

    /// <summary>Assigns <paramref name="pod"/> (default: <see cref="TestPods.Pod"/>) and runs passes until its container runs.</summary>
    private async Task<RuntimeContainer> RunPodAsync(Pod? pod = null)
    {
        _agent.Assigned.ReplaceAll([pod ?? TestPods.Pod()], 1);
        await _agent.PassAsync();
        await _agent.PassAsync();
        var running = Assert.Single(Runtime.Containers);
        Assert.Equal(ContainerRunState.Running, running.State);
        return running;
    }
}
