using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Agent.Volumes;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.Reconcile;

public sealed class PodWorkersTests
{
    private const string Uid = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeContainerRuntime _runtime;
    private readonly RestartTracker _restarts;
    private readonly ReconcileSignal _signal;
    private readonly FakeLogger<PodWorkers> _logger = new();
    private readonly PodWorkers _workers;

    public PodWorkersTests()
    {
        _runtime = new FakeContainerRuntime(_time);
        _restarts = new RestartTracker(_time);
        _signal = new ReconcileSignal(_time);
        _workers = new PodWorkers(_runtime, new PodVolumes(NodeContext.For(TestPods.Node), NullLogger<PodVolumes>.Instance), _restarts, _signal, _logger);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Key => RestartTracker.Key(Uid, "main");

    [Fact]
    public async Task Create_LocalImage_CreatesNamedLabelledInstanceAndStartsIt()
    {
        _runtime.AddLocalImage(TestPods.Image);
        var container = Desired().Containers[0];

        await RunAsync(new CreateContainerCommand(container, 3));

        var created = Assert.Single(_runtime.Containers);
        Assert.Equal(ContainerRunState.Running, created.State);
        Assert.Equal(ContainerSpecBuilder.ContainerName(container, 3), created.Name);
        Assert.Equal("3", created.Labels[ContainerLabels.Attempt]);
        Assert.All(container.Launch.Labels, l => Assert.Equal(l.Value, created.Labels[l.Key]));
        Assert.Equal(container.Launch with { Name = created.Name, Labels = _runtime.SpecOf(created.Id).Labels }, _runtime.SpecOf(created.Id));
        Assert.DoesNotContain(_runtime.Calls, c => c.Method == RuntimeCall.Pull);
    }

    [Fact]
    public async Task Create_Succeeds_ClearsEarlierFailure()
    {
        _runtime.AddLocalImage(TestPods.Image);
        _restarts.RecordFailure(Key, "ErrImagePull", "earlier");

        await RunAsync(new CreateContainerCommand(Desired().Containers[0], 0));

        Assert.Null(_restarts.LastFailure(Key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("IfNotPresent")]
    public async Task Create_ImageMissing_PulledFirst(string policy)
    {
        await RunAsync(new CreateContainerCommand(Desired(policy).Containers[0], 0));

        Assert.Equal([RuntimeCall.ImageExists, RuntimeCall.Pull, RuntimeCall.Create, RuntimeCall.Start], _runtime.Calls.Select(c => c.Method));
        Assert.True(_runtime.HasLocalImage(TestPods.Image));
    }

    [Fact]
    public async Task Create_PolicyAlways_PullsEvenWhenPresent()
    {
        _runtime.AddLocalImage(TestPods.Image);

        await RunAsync(new CreateContainerCommand(Desired("Always").Containers[0], 0));

        Assert.Contains(new RuntimeCall(RuntimeCall.Pull, TestPods.Image), _runtime.Calls);
        Assert.Single(_runtime.Containers);
    }

    [Fact]
    public async Task Create_PolicyAlwaysRegistryDown_RunsLocalCopyAndWarns()
    {
        _runtime.AddLocalImage(TestPods.Image);
        _runtime.FailPull(TestPods.Image, "connection refused");

        await RunAsync(new CreateContainerCommand(Desired("Always").Containers[0], 0));

        Assert.Equal(ContainerRunState.Running, Assert.Single(_runtime.Containers).State);
        Assert.Null(_restarts.LastFailure(Key));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Message.Contains("running the local copy"));
    }

    [Fact]
    public async Task Create_PolicyAlwaysNoLocalCopy_FailsWithErrImagePull()
    {
        _runtime.FailPull(TestPods.Image, "connection refused");

        await RunAsync(new CreateContainerCommand(Desired("Always").Containers[0], 0));

        Assert.Empty(_runtime.Containers);
        Assert.Equal("ErrImagePull", _restarts.LastFailure(Key)?.Reason);
        Assert.Equal(TimeSpan.FromSeconds(1), _restarts.FailureWait(Key));
    }

    [Fact]
    public async Task Create_PolicyNeverImageMissing_FailsWithoutPulling()
    {
        await RunAsync(new CreateContainerCommand(Desired("Never").Containers[0], 0));

        Assert.DoesNotContain(_runtime.Calls, c => c.Method is RuntimeCall.Pull or RuntimeCall.Create);
        var failure = _restarts.LastFailure(Key);
        Assert.Equal("ErrImageNeverPull", failure?.Reason);
        Assert.Equal($"Container image \"{TestPods.Image}\" is not present with pull policy of Never", failure?.Message);
    }

    [Fact]
    public async Task Create_PolicyNeverImagePresent_RunsWithoutPulling()
    {
        _runtime.AddLocalImage(TestPods.Image);

        await RunAsync(new CreateContainerCommand(Desired("Never").Containers[0], 0));

        Assert.DoesNotContain(_runtime.Calls, c => c.Method == RuntimeCall.Pull);
        Assert.Single(_runtime.Containers);
    }

    [Fact]
    public async Task Create_StartFails_InstanceKeptAndFailureRecorded()
    {
        _runtime.AddLocalImage(TestPods.Image);
        _runtime.FailStart(TestPods.Image, "error mounting \"/nope\"");

        await RunAsync(new CreateContainerCommand(Desired().Containers[0], 0));

        var created = Assert.Single(_runtime.Containers);
        Assert.Equal(ContainerRunState.Created, created.State);
        Assert.Equal("error mounting \"/nope\"", created.Error);
        Assert.Equal(("RunContainerError", "error mounting \"/nope\""), _restarts.LastFailure(Key));
    }

    [Fact]
    public async Task Run_CommandFails_RestOfPlanSkipped()
    {
        var pod = Desired(containers: [TestPods.Container("main", "registry.local/missing:1"), TestPods.Container("sidecar")]);
        _runtime.AddLocalImage(TestPods.Image);
        _runtime.FailPull("registry.local/missing:1");

        await RunAsync(new CreateContainerCommand(pod.Containers[0], 0), new CreateContainerCommand(pod.Containers[1], 0));

        Assert.Empty(_runtime.Containers);
        Assert.NotNull(_restarts.LastFailure(Key));
        Assert.Null(_restarts.LastFailure(RestartTracker.Key(Uid, "sidecar")));
    }

    [Fact]
    public async Task Run_SpecChangeWithFailingPull_OldInstanceKeepsRunning()
    {
        // Download, then kill: the new image must be in place before the running version is stopped.
        const string newImage = "registry.local/fluentd:2.0";
        _runtime.FailPull(newImage, "manifest unknown");
        var running = _runtime.Seed(TestPods.Instance(Desired().Containers[0], 0, ContainerRunState.Running, specHash: "oldspec000"));
        var changed = Desired(containers: [TestPods.Container("main", newImage)]).Containers[0];

        await RunAsync(new StopContainerCommand(running, "main", TimeSpan.FromSeconds(30), "its spec changed"), new CreateContainerCommand(changed, 1));

        Assert.Equal([new RuntimeCall(RuntimeCall.Pull, newImage)], _runtime.Changes);
        Assert.Equal(ContainerRunState.Running, Assert.Single(_runtime.Containers).State);
        Assert.Equal(running.Id, Assert.Single(_runtime.Containers).Id);
        Assert.Equal("ErrImagePull", _restarts.LastFailure(Key)?.Reason);
    }

    [Fact]
    public async Task Run_SpecChange_PullsBeforeStoppingOldInstance()
    {
        const string newImage = "registry.local/fluentd:2.0";
        var running = _runtime.Seed(TestPods.Instance(Desired().Containers[0], 0, ContainerRunState.Running, specHash: "oldspec000"));
        var changed = Desired(containers: [TestPods.Container("main", newImage)]).Containers[0];

        await RunAsync(new StopContainerCommand(running, "main", TimeSpan.FromSeconds(30), "its spec changed"), new CreateContainerCommand(changed, 1));

        Assert.Equal(
            [RuntimeCall.Pull, RuntimeCall.Stop, RuntimeCall.Remove, RuntimeCall.Create, RuntimeCall.Start],
            _runtime.Changes.Select(c => c.Method));
        var replacement = Assert.Single(_runtime.Containers);
        Assert.Equal(newImage, replacement.Image);
        Assert.Equal("1", replacement.Labels[ContainerLabels.Attempt]);
    }

    [Fact]
    public async Task Run_SeveralCreates_EveryImagePulledBeforeAnyCreate()
    {
        var pod = Desired(containers: [TestPods.Container("main", "registry.local/a:1"), TestPods.Container("sidecar", "registry.local/b:1")]);

        await RunAsync(new CreateContainerCommand(pod.Containers[0], 0), new CreateContainerCommand(pod.Containers[1], 0));

        Assert.Equal(
            [
                new RuntimeCall(RuntimeCall.Pull, "registry.local/a:1"),
                new RuntimeCall(RuntimeCall.Pull, "registry.local/b:1"),
            ],
            _runtime.Changes.Take(2));
        Assert.Equal([RuntimeCall.Create, RuntimeCall.Start, RuntimeCall.Create, RuntimeCall.Start], _runtime.Changes.Skip(2).Select(c => c.Method));
        Assert.Equal(2, _runtime.Containers.Count);
    }

    [Fact]
    public async Task Run_SecondPullFails_NothingOfThePodTouched()
    {
        var pod = Desired(containers: [TestPods.Container("main"), TestPods.Container("sidecar", "registry.local/missing:1")]);
        _runtime.AddLocalImage(TestPods.Image);
        _runtime.FailPull("registry.local/missing:1");
        var exited = _runtime.Seed(TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Exited, finishedAt: _time.GetUtcNow()));

        await RunAsync(new CreateContainerCommand(pod.Containers[0], 1, exited.FinishedAt), new CreateContainerCommand(pod.Containers[1], 0));

        Assert.Equal([new RuntimeCall(RuntimeCall.Pull, "registry.local/missing:1")], _runtime.Changes);
        Assert.Equal(exited.Id, Assert.Single(_runtime.Containers).Id);
        Assert.Equal("ErrImagePull", _restarts.LastFailure(RestartTracker.Key(Uid, "sidecar"))?.Reason);
        Assert.Null(_restarts.LastFailure(Key));
        Assert.Equal(TimeSpan.Zero, _restarts.CrashWait(Key, pod.Containers[0].SpecHash, _time.GetUtcNow()));
    }

    [Fact]
    public async Task Create_RestartOfExitedInstance_RecordsRestart()
    {
        _runtime.AddLocalImage(TestPods.Image);
        var container = Desired().Containers[0];
        var finished = _time.GetUtcNow();

        await RunAsync(new CreateContainerCommand(container, 1, finished));

        // The first restart ran at once; a crash of the new instance now waits 10 s.
        Assert.Equal(TimeSpan.FromSeconds(10), _restarts.CrashWait(Key, container.SpecHash, _time.GetUtcNow()));
    }

    [Fact]
    public async Task Create_RestartsRunInALoop_BackoffDoubles()
    {
        _runtime.AddLocalImage(TestPods.Image);
        var container = Desired().Containers[0];
        await RunAsync(new CreateContainerCommand(container, 1, _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(1));
        var finished = _time.GetUtcNow();
        _time.Advance(_restarts.CrashWait(Key, container.SpecHash, finished));

        await RunAsync(new CreateContainerCommand(container, 2, finished));

        Assert.Equal(TimeSpan.FromSeconds(20), _restarts.CurrentBackoff(Key, container.SpecHash, _time.GetUtcNow()));
    }

    [Fact]
    public async Task Create_NotARestart_RecordsNoRestart()
    {
        _runtime.AddLocalImage(TestPods.Image);
        var container = Desired().Containers[0];

        await RunAsync(new CreateContainerCommand(container, 0));

        Assert.Equal(TimeSpan.Zero, _restarts.CrashWait(Key, container.SpecHash, _time.GetUtcNow()));
    }

    [Fact]
    public async Task Create_RestartWhosePullFails_RecordsNoRestart()
    {
        var container = Desired("Always").Containers[0];
        _runtime.FailPull(TestPods.Image);

        await RunAsync(new CreateContainerCommand(container, 1, _time.GetUtcNow()));

        Assert.Equal(TimeSpan.Zero, _restarts.CrashWait(Key, container.SpecHash, _time.GetUtcNow()));
        Assert.Equal("ErrImagePull", _restarts.LastFailure(Key)?.Reason);
    }

    [Fact]
    public async Task Start_CreatedInstance_Started()
    {
        _runtime.AddLocalImage(TestPods.Image);
        var container = Desired().Containers[0];
        var id = await _runtime.CreateContainerAsync(container.Launch with { Name = "hd_main_x_0" }, Ct).DefaultTimeout();

        await RunAsync(new StartContainerCommand(_runtime.Get(id), "main"));

        Assert.Equal(ContainerRunState.Running, _runtime.Get(id).State);
    }

    [Fact]
    public async Task Start_InstanceGone_RecordsFailure()
    {
        var ghost = TestPods.Instance(Desired().Containers[0], 0, ContainerRunState.Created);

        await RunAsync(new StartContainerCommand(ghost, "main"));

        Assert.Equal("RunContainerError", _restarts.LastFailure(Key)?.Reason);
    }

    [Fact]
    public async Task Stop_RunningInstance_StopsWithGraceThenRemoves()
    {
        var running = _runtime.Seed(TestPods.Instance(Desired().Containers[0], 0, ContainerRunState.Running));

        await RunAsync(new StopContainerCommand(running, "main", TimeSpan.FromSeconds(42), "test"));

        Assert.Equal(
            [new RuntimeCall(RuntimeCall.Stop, running.Id, TimeSpan.FromSeconds(42)), new RuntimeCall(RuntimeCall.Remove, running.Id)],
            _runtime.Changes);
        Assert.Empty(_runtime.Containers);
    }

    [Theory]
    [InlineData("Exited")]
    [InlineData("Created")]
    [InlineData("Dead")]
    public async Task Stop_InstanceNotRunning_OnlyRemoved(string state)
    {
        var instance = _runtime.Seed(TestPods.Instance(Desired().Containers[0], 0, Enum.Parse<ContainerRunState>(state)));

        await RunAsync(new StopContainerCommand(instance, "main", TimeSpan.FromSeconds(42), "test"));

        Assert.Equal([new RuntimeCall(RuntimeCall.Remove, instance.Id)], _runtime.Changes);
    }

    [Fact]
    public async Task Remove_Instance_Removed()
    {
        var exited = _runtime.Seed(TestPods.Instance(Desired().Containers[0], 0, ContainerRunState.Exited));

        await RunAsync(new RemoveContainerCommand(exited, "main"));

        Assert.Equal([new RuntimeCall(RuntimeCall.Remove, exited.Id)], _runtime.Changes);
        Assert.Empty(_runtime.Containers);
    }

    [Fact]
    public async Task Start_PodBusy_SecondPlanIgnored()
    {
        _runtime.BlockPulls();
        var container = Desired().Containers[0];
        var pulling = _runtime.PullStarted;
        _workers.Start(Plan(new CreateContainerCommand(container, 0)), Ct);
        await pulling.DefaultTimeout();

        Assert.True(_workers.IsBusy(Uid));
        Assert.Equal(1, _workers.Busy);
        _workers.Start(Plan(new CreateContainerCommand(container, 1)), Ct);
        _runtime.ReleasePulls();
        await _workers.DrainAsync().DefaultTimeout();

        Assert.False(_workers.IsBusy(Uid));
        Assert.Equal(0, _workers.Busy);
        Assert.Equal("0", Assert.Single(_runtime.Containers).Labels[ContainerLabels.Attempt]);
    }

    [Fact]
    public async Task Start_AfterWorkEnded_NextPlanForSamePodRuns()
    {
        _runtime.AddLocalImage(TestPods.Image);
        var exited = _runtime.Seed(TestPods.Instance(Desired().Containers[0], 0, ContainerRunState.Exited));
        await RunAsync(new RemoveContainerCommand(exited, "main"));
        Assert.False(_workers.IsBusy(Uid));
        Assert.Equal(0, _workers.Busy);

        await RunAsync(new CreateContainerCommand(Desired().Containers[0], 1));

        Assert.Equal("1", Assert.Single(_runtime.Containers).Labels[ContainerLabels.Attempt]);
    }

    [Fact]
    public async Task Start_SlowPod_DoesNotHoldUpOtherPods()
    {
        _runtime.BlockPulls();
        _runtime.AddLocalImage(TestPods.Image);
        var slow = ContainerSpecBuilder.Build(TestPods.Pod(name: "slow", uid: "uid-slow", TestPods.Container("main", "registry.local/slow:1")), TestPods.Node);
        var fast = ContainerSpecBuilder.Build(TestPods.Pod(name: "fast", uid: "uid-fast"), TestPods.Node);
        var pulling = _runtime.PullStarted;
        _workers.Start(new PodPlan("uid-slow", "slow", [new CreateContainerCommand(slow.Containers[0], 0)]), Ct);
        await pulling.DefaultTimeout();

        _workers.Start(new PodPlan("uid-fast", "fast", [new CreateContainerCommand(fast.Containers[0], 0)]), Ct);

        await AsyncTestHelpers.WaitUntilAsync(() => !_workers.IsBusy("uid-fast"), "the fast pod's work to finish while the slow pull waits");
        Assert.True(_workers.IsBusy("uid-slow"));
        Assert.Equal("uid-fast", Assert.Single(_runtime.Containers).Labels[ContainerLabels.PodUid]);
        _runtime.ReleasePulls();
        await _workers.DrainAsync().DefaultTimeout();
        Assert.Equal(2, _runtime.Containers.Count);
    }

    [Fact]
    public async Task Start_WorkEnds_TriggersReconcile()
    {
        var exited = _runtime.Seed(TestPods.Instance(Desired().Containers[0], 0, ContainerRunState.Exited));

        _workers.Start(Plan(new RemoveContainerCommand(exited, "main")), Ct);

        await _signal.WaitAsync(Timeout.InfiniteTimeSpan, Ct).DefaultTimeout();
    }

    [Fact]
    public async Task Start_Cancelled_StopsWithoutRecordingFailure()
    {
        _runtime.BlockPulls();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var pulling = _runtime.PullStarted;
        _workers.Start(Plan(new CreateContainerCommand(Desired().Containers[0], 0)), cts.Token);
        await pulling.DefaultTimeout();

        await cts.CancelAsync();

        // The cancelled work may already have left the map (finished work is removed) or may still be draining.
        var drained = await Record.ExceptionAsync(() => _workers.DrainAsync()).AsTask().DefaultTimeout();
        Assert.True(drained is null or OperationCanceledException, $"unexpected {drained}");
        await AsyncTestHelpers.WaitUntilAsync(() => !_workers.IsBusy(Uid), "the cancelled work to end");
        Assert.Null(_restarts.LastFailure(Key));
        Assert.Empty(_runtime.Containers);
    }

    private async Task RunAsync(params PodCommand[] commands)
    {
        _workers.Start(Plan(commands), Ct);
        await _workers.DrainAsync().DefaultTimeout();
    }

    private static PodPlan Plan(params PodCommand[] commands) => new(Uid, "fluentd-x7k2p", commands);

    private static DesiredPod Desired(string pullPolicy = "", Container[]? containers = null)
    {
        var pod = TestPods.Pod(name: "fluentd-x7k2p", uid: Uid, containers: containers ?? []);

        // Several containers without hostNetwork would share a sandbox; these tests are about the containers alone.
        pod.Spec.HostNetwork = true;
        foreach (var container in pod.Spec.Containers)
        {
            container.ImagePullPolicy = pullPolicy;
        }

        return ContainerSpecBuilder.Build(pod, TestPods.Node);
    }
}
