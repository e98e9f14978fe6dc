using HostDaemons.Agent.Probes;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Status;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.Probes;

/// <summary>Started and ready as the kubelet reports them, from the probe results, and the pod conditions they drive.</summary>
public sealed class ProbeStatusTests
{
    private const string Uid = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

    private static readonly DateTimeOffset s_now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly RestartTracker _restarts = new(new FakeTimeProvider(s_now));

    [Fact]
    public void Build_ReadinessNotPassedYet_RunningStartedNotReadyAndPodNotReady()
    {
        var (pod, running) = Running(c => c.ReadinessProbe = Probe());

        var status = PodStatusBuilder.Build(pod, [running], _restarts, null, "10.0.0.7", s_now, new StubProbeResults());

        var container = Assert.Single(status.ContainerStatuses);
        Assert.NotNull(container.State.Running);
        Assert.True(container.Started);
        Assert.False(container.Ready);
        Assert.Equal("Running", status.Phase);
        Assert.Equal(
            [("Initialized", "True", ""), ("Ready", "False", "ContainersNotReady"), ("ContainersReady", "False", "ContainersNotReady"), ("PodScheduled", "True", "")],
            status.Conditions.Select(c => (c.Type, c.Status, c.Reason)));
    }

    [Fact]
    public void Build_ReadinessPassed_ReadyAndPodReady()
    {
        var (pod, running) = Running(c => c.ReadinessProbe = Probe());

        var status = PodStatusBuilder.Build(pod, [running], _restarts, null, "10.0.0.7", s_now, new StubProbeResults().Set(running.Id, ProbeKind.Readiness, ProbeResult.Success));

        Assert.True(Assert.Single(status.ContainerStatuses).Ready);
        Assert.All(status.Conditions, c => Assert.Equal("True", c.Status));
    }

    [Fact]
    public void Build_ReadinessFailedAgain_NotReadyFromThePreviousStatus()
    {
        var (pod, running) = Running(c => c.ReadinessProbe = Probe());
        var results = new StubProbeResults().Set(running.Id, ProbeKind.Readiness, ProbeResult.Success);
        var ready = PodStatusBuilder.Build(pod, [running], _restarts, null, "10.0.0.7", s_now, results);

        var unready = PodStatusBuilder.Build(pod, [running], _restarts, ready, "10.0.0.7", s_now.AddMinutes(1), results.Set(running.Id, ProbeKind.Readiness, ProbeResult.Failure));

        var condition = Assert.Single(unready.Conditions, c => c.Type == "Ready");
        Assert.Equal("False", condition.Status);
        Assert.Equal(s_now.AddMinutes(1), condition.LastTransitionTime.ToDateTimeOffset());
    }

    [Fact]
    public void Build_StartupNotPassed_NotStartedNotReadyEvenWithoutReadinessProbe()
    {
        var (pod, running) = Running(c => c.StartupProbe = Probe());

        var status = PodStatusBuilder.Build(pod, [running], _restarts, null, "10.0.0.7", s_now, new StubProbeResults().Set(running.Id, ProbeKind.Startup, ProbeResult.Failure));

        var container = Assert.Single(status.ContainerStatuses);
        Assert.NotNull(container.State.Running);
        Assert.False(container.Started);
        Assert.False(container.Ready);
    }

    [Fact]
    public void Build_StartupPassedAndReadinessPending_StartedNotReady()
    {
        var (pod, running) = Running(c =>
        {
            c.StartupProbe = Probe();
            c.ReadinessProbe = Probe();
        });

        var status = PodStatusBuilder.Build(pod, [running], _restarts, null, "10.0.0.7", s_now, new StubProbeResults().Set(running.Id, ProbeKind.Startup, ProbeResult.Success));

        var container = Assert.Single(status.ContainerStatuses);
        Assert.True(container.Started);
        Assert.False(container.Ready);
    }

    [Fact]
    public void Build_LivenessOnly_ReadyAsSoonAsRunning()
    {
        var (pod, running) = Running(c => c.LivenessProbe = Probe());

        var status = PodStatusBuilder.Build(pod, [running], _restarts, null, "10.0.0.7", s_now, new StubProbeResults());

        var container = Assert.Single(status.ContainerStatuses);
        Assert.True(container.Started);
        Assert.True(container.Ready);
    }

    private static Probe Probe() => new() { Exec = new ExecAction { Command = { "true" } }, TimeoutSeconds = 1, PeriodSeconds = 10, SuccessThreshold = 1, FailureThreshold = 3 };

    private static (DesiredPod Pod, RuntimeContainer Running) Running(Action<Container> configure)
    {
        var container = TestPods.Container();
        configure(container);
        var pod = ContainerSpecBuilder.Build(TestPods.Pod(uid: Uid, containers: [container]), TestPods.Node);
        return (pod, TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Running, createdAt: s_now.AddMinutes(-1)));
    }
}
