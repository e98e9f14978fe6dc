using HostDaemons.Agent.Network;
using HostDaemons.Agent.Probes;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Status;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.Status;

/// <summary>
/// The status of pods with init containers, sidecars, hooks and a pod network: initContainerStatuses, the Initialized
/// condition, PodInitializing, the phase while initializing, podIP(s) and hostIPs.
/// </summary>
public sealed class PodStatusInitAndNetworkTests
{
    private const string HostIp = "10.0.0.7";

    private readonly FakeTimeProvider _time = new(AgentHarness.Epoch);
    private readonly RestartTracker _restarts;

    public PodStatusInitAndNetworkTests()
    {
        _restarts = new RestartTracker(_time);
    }

    [Fact]
    public void Build_FirstInitContainerRunning_PendingNotInitializedAndTheRestWaitingPodInitializing()
    {
        var pod = WithInits("first", "second");
        var sandbox = TestPods.Sandbox(pod);

        var status = Build(pod, [sandbox, TestPods.Joined(sandbox, TestPods.Instance(pod, "first", 0, ContainerRunState.Running))]);

        Assert.Equal("Pending", status.Phase);
        Assert.Equal(["first", "second"], status.InitContainerStatuses.Select(s => s.Name));
        Assert.NotNull(status.InitContainerStatuses[0].State.Running);
        Assert.Equal("PodInitializing", status.InitContainerStatuses[1].State.Waiting.Reason);
        Assert.Equal("PodInitializing", status.ContainerStatuses[0].State.Waiting.Reason);
        var initialized = status.Conditions.Single(c => c.Type == "Initialized");
        Assert.Equal(("False", "ContainersNotInitialized", "containers with incomplete status: [first second]"), (initialized.Status, initialized.Reason, initialized.Message));
        Assert.Equal("False", status.Conditions.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public void Build_InitContainersCompletedAndAppRunning_RunningInitializedWithCompletedInitStatuses()
    {
        var pod = WithInits("first");
        var sandbox = TestPods.Sandbox(pod);

        var status = Build(pod, [sandbox, TestPods.Joined(sandbox, TestPods.Instance(pod, "first", 0, ContainerRunState.Exited)), TestPods.Joined(sandbox, TestPods.Instance(pod, "main", 0, ContainerRunState.Running))]);

        Assert.Equal("Running", status.Phase);
        Assert.Equal(("Completed", 0), (status.InitContainerStatuses[0].State.Terminated.Reason, status.InitContainerStatuses[0].State.Terminated.ExitCode));
        Assert.Equal(["True", "True", "True", "True"], status.Conditions.Select(c => c.Status));
    }

    [Fact]
    public void Build_InitContainerFailedInBackOff_CrashLoopBackOffWithItsExitAsLastState()
    {
        var pod = WithInits("check");
        var sandbox = TestPods.Sandbox(pod);
        var key = RestartTracker.Key(pod.Uid, "check");
        _restarts.RecordRestart(key, pod.InitContainers[0].SpecHash, _time.GetUtcNow());
        var failed = TestPods.Joined(sandbox, TestPods.Instance(pod, "check", 1, ContainerRunState.Exited, exitCode: 3, finishedAt: _time.GetUtcNow()));

        var status = Build(pod, [sandbox, failed]);

        var init = status.InitContainerStatuses[0];
        Assert.Equal("CrashLoopBackOff", init.State.Waiting.Reason);
        Assert.Equal(3, init.LastState.Terminated.ExitCode);
        Assert.Equal(1, init.RestartCount);
        Assert.Equal("Pending", status.Phase);
    }

    [Fact]
    public void Build_InitContainerFailedWithRestartPolicyNever_PodFailed()
    {
        var pod = WithInits(["check"], p => p.Spec.RestartPolicy = "Never");
        var sandbox = TestPods.Sandbox(pod);

        var status = Build(pod, [sandbox, TestPods.Joined(sandbox, TestPods.Instance(pod, "check", 0, ContainerRunState.Exited, exitCode: 1))]);

        Assert.Equal("Failed", status.Phase);
    }

    [Fact]
    public void Build_SidecarReadyAndAppReady_ReadyCountsTheSidecar()
    {
        var pod = WithSidecar(readinessProbe: true);
        var sandbox = TestPods.Sandbox(pod);
        var proxy = TestPods.Joined(sandbox, TestPods.Instance(pod, "proxy", 0, ContainerRunState.Running));
        var main = TestPods.Joined(sandbox, TestPods.Instance(pod, "main", 0, ContainerRunState.Running));
        var probes = new StubProbeResults().Set(proxy.Id, ProbeKind.Readiness, ProbeResult.Failure);

        var notReady = Build(pod, [sandbox, proxy, main], probes);
        probes.Set(proxy.Id, ProbeKind.Readiness, ProbeResult.Success);
        var ready = Build(pod, [sandbox, proxy, main], probes);

        Assert.Equal("True", notReady.Conditions.Single(c => c.Type == "Initialized").Status);
        Assert.Equal("False", notReady.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.True(notReady.ContainerStatuses[0].Ready);
        Assert.Equal("True", ready.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.True(ready.InitContainerStatuses[0].Ready);
    }

    [Fact]
    public void Build_PostStartStillRunning_ContainerWaitingNotStartedNotReady()
    {
        var pod = ContainerSpecBuilder.Build(TestPods.Pod(), TestPods.Node);
        var main = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Running, createdAt: AgentHarness.Epoch);

        var status = PodStatusBuilder.Build(pod, [main], _restarts, null, HostIp, _time.GetUtcNow(), starting: id => id == main.Id);

        var container = status.ContainerStatuses[0];
        Assert.Equal("ContainerCreating", container.State.Waiting.Reason);
        Assert.False(container.Started);
        Assert.False(container.Ready);
    }

    [Fact]
    public void Build_SandboxOnAPodNetwork_PodIpsAreTheSandboxsAddressesHostIpsTheNodes()
    {
        var pod = ContainerSpecBuilder.Build(TestPods.Pod(), new NodeContext(TestPods.Node, HostIp, "/tmp", null, new PodNetwork("hd-pods")));
        var sandbox = TestPods.Sandbox(pod) with { IpAddresses = ["10.231.7.2", "fd00::2"] };

        var status = Build(pod, [sandbox, TestPods.Joined(sandbox, TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Running))]);

        Assert.Equal("10.231.7.2", status.PodIp);
        Assert.Equal(["10.231.7.2", "fd00::2"], status.PodIps.Select(p => p.Ip));
        Assert.Equal([HostIp], status.HostIps.Select(h => h.Ip));
    }

    [Theory]
    [InlineData(true, HostIp)]
    [InlineData(false, "")]
    public void Build_HostNetworkOrNetworkNone_PodIpIsTheHostsOrNone(bool hostNetwork, string expected)
    {
        var spec = TestPods.Pod();
        spec.Spec.HostNetwork = hostNetwork;
        var pod = ContainerSpecBuilder.Build(spec, TestPods.Node);

        var status = Build(pod, [TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Running)]);

        Assert.Equal(expected, status.PodIp);
        Assert.Equal(expected.Length == 0 ? [] : [expected], status.PodIps.Select(p => p.Ip));
    }

    private PodStatus Build(DesiredPod pod, IReadOnlyList<RuntimeContainer> instances, IProbeResults? probes = null) =>
        PodStatusBuilder.Build(pod, instances, _restarts, null, HostIp, _time.GetUtcNow(), probes);

    private static DesiredPod WithInits(params string[] names) => WithInits(names, null);

    private static DesiredPod WithInits(string[] names, Action<Pod>? configure)
    {
        var pod = TestPods.Pod();
        pod.Spec.InitContainers.AddRange(names.Select(n => TestPods.Container(n, "busybox:latest")));
        configure?.Invoke(pod);
        return ContainerSpecBuilder.Build(pod, TestPods.Node);
    }

    private static DesiredPod WithSidecar(bool readinessProbe)
    {
        var pod = TestPods.Pod();
        var proxy = TestPods.Container("proxy", "busybox:latest");
        proxy.RestartPolicy = "Always";
        if (readinessProbe)
        {
            proxy.ReadinessProbe = new Probe { Exec = new ExecAction { Command = { "true" } } };
        }

        pod.Spec.InitContainers.Add(proxy);
        return ContainerSpecBuilder.Build(pod, TestPods.Node);
    }
}
