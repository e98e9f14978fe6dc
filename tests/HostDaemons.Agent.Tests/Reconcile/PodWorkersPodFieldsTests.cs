using HostDaemons.Agent.Events;
using HostDaemons.Agent.Network;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Agent.Volumes;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.Reconcile;

/// <summary>
/// What the pod workers do for the newer pod fields: stops of one plan in order (app containers before sidecars, the
/// sandbox last), the sandbox's address in env at creation, a shared process namespace, the runAsNonRoot check,
/// the warning for a hostPort that cannot be published, and a failed postStart.
/// </summary>
public sealed class PodWorkersPodFieldsTests : IDisposable
{
    private readonly string _stateDir = Directory.CreateTempSubdirectory("hd-workers-").FullName;
    private readonly FakeTimeProvider _time = new(AgentHarness.Epoch);
    private readonly FakeContainerRuntime _runtime;
    private readonly RestartTracker _restarts;
    private readonly PodEventRecorder _events;
    private readonly PodWorkers _workers;

    public PodWorkersPodFieldsTests()
    {
        _runtime = new FakeContainerRuntime(_time);
        _runtime.AddLocalImage(TestPods.Image);
        _restarts = new RestartTracker(_time);
        _events = new PodEventRecorder(_time, NullLogger<PodEventRecorder>.Instance);
        var node = NodeContext.For(TestPods.Node) with { PodVolumeRoot = Path.Combine(_stateDir, "pods") };
        var preparer = new ContainerPreparer(node, new ProjectedVolumes(node, new AtomicWriter(_time), NullLogger<ProjectedVolumes>.Instance),
            new NodeAllocatable(CpuMillis: 2000, MemoryBytes: 4L << 30, EphemeralStorageBytes: 0), events: _events);
        _workers = new PodWorkers(_runtime, new PodVolumes(node, NullLogger<PodVolumes>.Instance), _restarts, new ReconcileSignal(_time),
            NullLogger<PodWorkers>.Instance, events: _events, preparer: preparer);
    }

    public void Dispose() => Directory.Delete(_stateDir, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stops_AppSidecarAndSandbox_AppFirstThenTheSidecarThenTheSandbox()
    {
        var sandbox = _runtime.Seed(Running("sandbox", ContainerLabels.SandboxContainerName));
        var sidecar = _runtime.Seed(Running("sidecar", "proxy"));
        var app = _runtime.Seed(Running("app", "main"));

        await RunAsync(
            new StopContainerCommand(sandbox, ContainerLabels.SandboxContainerName, TimeSpan.Zero, "test", int.MaxValue),
            new StopContainerCommand(sidecar, "proxy", TimeSpan.FromSeconds(30), "test", 1),
            new StopContainerCommand(app, "main", TimeSpan.FromSeconds(30), "test"));

        Assert.Equal(["app", "sidecar", "sandbox"], _runtime.Calls.Where(c => c.Method == RuntimeCall.Stop).Select(c => c.Target));
        Assert.Empty(_runtime.Containers);
    }

    [Fact]
    public async Task Create_JoiningANewSandboxOnAPodNetwork_EnvGetsTheSandboxsAddress()
    {
        _runtime.AddNetwork("hd-pods");
        var pod = TestPods.Pod();
        pod.Spec.Containers[0].Env.Add(new EnvVar { Name = "POD_IP", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.podIP" } } });
        var desired = ContainerSpecBuilder.Build(pod, OnNetwork("hd-pods"));

        await RunAsync(new CreateSandboxCommand(desired, 0), new CreateContainerCommand(desired.Containers[0], 0));

        var sandbox = Assert.Single(_runtime.Containers, c => c.IsSandbox());
        var main = Assert.Single(_runtime.Containers, c => !c.IsSandbox());
        Assert.Equal(["10.88.0.2"], sandbox.IpAddresses);
        Assert.Contains("POD_IP=10.88.0.2", _runtime.SpecOf(main.Id).Environment);
        Assert.Equal("container:" + sandbox.Id, _runtime.SpecOf(main.Id).NetworkMode);
        Assert.Equal(desired.Containers[0].SpecHash, main.Labels[ContainerLabels.SpecHash]);
    }

    [Fact]
    public async Task Create_ShareProcessNamespace_JoinsTheSandboxsPidNamespace()
    {
        var pod = TestPods.Pod();
        pod.Spec.ShareProcessNamespace = true;
        var desired = ContainerSpecBuilder.Build(pod, TestPods.Node);

        await RunAsync(new CreateSandboxCommand(desired, 0), new CreateContainerCommand(desired.Containers[0], 0));

        var sandbox = Assert.Single(_runtime.Containers, c => c.IsSandbox());
        var main = Assert.Single(_runtime.Containers, c => !c.IsSandbox());
        Assert.Equal("container:" + sandbox.Id, _runtime.SpecOf(main.Id).PidMode);
    }

    [Fact]
    public async Task Create_RunAsNonRootAndTheImageRunsAsRoot_NotCreatedCreateContainerConfigError()
    {
        var pod = TestPods.Pod();
        pod.Spec.HostNetwork = true;
        pod.Spec.SecurityContext = new PodSecurityContext { RunAsNonRoot = true };

        await RunAsync(new CreateContainerCommand(ContainerSpecBuilder.Build(pod, TestPods.Node).Containers[0], 0));

        Assert.Empty(_runtime.Containers);
        var failure = _restarts.LastFailure(RestartTracker.Key(pod.Metadata.Uid, "main"));
        Assert.Equal("CreateContainerConfigError", failure?.Reason);
        Assert.StartsWith("container has runAsNonRoot and image will run as root", failure?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_HostPortOnNetworkNone_WarnsThatItIsNotPublished()
    {
        var pod = TestPods.Pod();
        pod.Spec.Containers[0].Ports.Add(new ContainerPort { ContainerPort_ = 9100, HostPort = 9100, Protocol = "TCP" });

        await RunAsync(new CreateContainerCommand(ContainerSpecBuilder.Build(pod, TestPods.Node).Containers[0], 0));

        var events = await _events.TakeAsync(Ct);
        var warning = Assert.Single(events, e => e.Reason == "HostPortNotPublished");
        Assert.Equal("Warning", warning.Type);
        Assert.Contains("hostPort 9100/TCP of container main is not published: the node's pod network is none", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_PostStartFails_ContainerKilledAndLeftForTheRestartPath()
    {
        var pod = TestPods.Pod();
        pod.Spec.HostNetwork = true;
        pod.Spec.TerminationGracePeriodSeconds = 0;
        pod.Spec.Containers[0].Lifecycle = new Model.V1.Lifecycle { PostStart = new LifecycleHandler { Exec = new ExecAction { Command = { "false" } } } };
        _runtime.ExecHandler = (_, _) => new ExecResult(1, "");

        await RunAsync(new CreateContainerCommand(ContainerSpecBuilder.Build(pod, TestPods.Node).Containers[0], 0));

        var killed = Assert.Single(_runtime.Containers);
        Assert.Equal(ContainerRunState.Exited, killed.State);
        Assert.Null(_restarts.LastFailure(RestartTracker.Key(pod.Metadata.Uid, "main")));
    }

    [Fact]
    public async Task InterruptHooks_PostStartStillRunning_WorkEndsAndTheContainerIsLeftForTheStop()
    {
        var pod = TestPods.Pod();
        pod.Spec.HostNetwork = true;
        pod.Spec.Containers[0].Lifecycle = new Model.V1.Lifecycle { PostStart = new LifecycleHandler { Sleep = new SleepAction { Seconds = 3600 } } };
        var uid = pod.Metadata.Uid;
        _workers.Start(new PodPlan(uid, "fluentd-x7k2p", [new CreateContainerCommand(ContainerSpecBuilder.Build(pod, TestPods.Node).Containers[0], 0)]), Ct);
        await AsyncTestHelpers.WaitUntilAsync(() => _runtime.Containers.Any(c => c.State == ContainerRunState.Running && _workers.Lifecycle.IsStarting(c.Id)),
            "the postStart hook to be running");

        _workers.InterruptHooks(uid);
        await _workers.DrainAsync().DefaultTimeout();

        var main = Assert.Single(_runtime.Containers);
        Assert.Equal(ContainerRunState.Running, main.State);
        Assert.False(_workers.Lifecycle.IsStarting(main.Id));
        Assert.Null(_restarts.LastFailure(RestartTracker.Key(uid, "main")));
    }

    private async Task RunAsync(params PodCommand[] commands)
    {
        _workers.Start(new PodPlan(TestPods.Pod().Metadata.Uid, "fluentd-x7k2p", commands), Ct);
        await _workers.DrainAsync().DefaultTimeout();
    }

    private static RuntimeContainer Running(string id, string container)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ContainerLabels.Node] = TestPods.Node,
            [ContainerLabels.PodUid] = "uid",
            [ContainerLabels.Container] = container,
        };
        if (container == ContainerLabels.SandboxContainerName)
        {
            labels[ContainerLabels.Sandbox] = "true";
        }

        return new RuntimeContainer { Id = id, Name = "hd_" + id, Image = TestPods.Image, Labels = labels, State = ContainerRunState.Running };
    }

    private static NodeContext OnNetwork(string network) => NodeContext.For(TestPods.Node) with { Network = new PodNetwork(network) };
}
