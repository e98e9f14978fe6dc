using HostDaemons.Agent.Probes;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.Probes;

/// <summary>What the planner makes of probe results: a failed liveness or startup probe kills the instance and keeps it.</summary>
public sealed class ProbePlanningTests
{
    private const string Uid = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

    private static readonly DateTimeOffset s_now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly RestartTracker _restarts = new(new FakeTimeProvider(s_now));

    [Fact]
    public void Plan_LivenessFailed_KillsWithTheProbesGraceAndKeepsTheInstance()
    {
        var pod = Pod(c => c.LivenessProbe = Probe(grace: 5));
        var running = Running(pod);

        var plan = PodPlanner.Plan([pod], [running], true, _restarts, new StubProbeResults().Set(running.Id, ProbeKind.Liveness, ProbeResult.Failure));

        var kill = Assert.IsType<KillContainerCommand>(Assert.Single(Assert.Single(plan.Work).Commands));
        Assert.Same(running, kill.Instance);
        Assert.Equal("main", kill.ContainerName);
        Assert.Equal(TimeSpan.FromSeconds(5), kill.GracePeriod);
        Assert.Equal("liveness probe failed", kill.Reason);
    }

    [Fact]
    public void Plan_LivenessFailedWithoutProbeGrace_KillsWithThePodsGrace()
    {
        var pod = Pod(c => c.LivenessProbe = Probe(), grace: 12);
        var running = Running(pod);

        var plan = PodPlanner.Plan([pod], [running], true, _restarts, new StubProbeResults().Set(running.Id, ProbeKind.Liveness, ProbeResult.Failure));

        var kill = Assert.IsType<KillContainerCommand>(Assert.Single(Assert.Single(plan.Work).Commands));
        Assert.Equal(TimeSpan.FromSeconds(12), kill.GracePeriod);
    }

    [Fact]
    public void Plan_StartupFailed_Kills()
    {
        var pod = Pod(c =>
        {
            c.StartupProbe = Probe(grace: 3);
            c.LivenessProbe = Probe(grace: 9);
        });
        var running = Running(pod);

        var plan = PodPlanner.Plan([pod], [running], true, _restarts, new StubProbeResults().Set(running.Id, ProbeKind.Startup, ProbeResult.Failure));

        var kill = Assert.IsType<KillContainerCommand>(Assert.Single(Assert.Single(plan.Work).Commands));
        Assert.Equal(TimeSpan.FromSeconds(3), kill.GracePeriod);
        Assert.Equal("startup probe failed", kill.Reason);
    }

    [Fact]
    public void Plan_ReadinessFailedOrLivenessPassing_NothingToDo()
    {
        var pod = Pod(c =>
        {
            c.ReadinessProbe = Probe();
            c.LivenessProbe = Probe();
        });
        var running = Running(pod);
        var results = new StubProbeResults()
            .Set(running.Id, ProbeKind.Readiness, ProbeResult.Failure)
            .Set(running.Id, ProbeKind.Liveness, ProbeResult.Success);

        Assert.Empty(PodPlanner.Plan([pod], [running], true, _restarts, results).Work);
    }

    [Fact]
    public void Plan_FailedResultOfAnotherInstance_NothingToDo()
    {
        var pod = Pod(c => c.LivenessProbe = Probe());
        var running = Running(pod, attempt: 1);

        var plan = PodPlanner.Plan([pod], [running], true, _restarts, new StubProbeResults().Set("id-of-attempt-0", ProbeKind.Liveness, ProbeResult.Failure));

        Assert.Empty(plan.Work);
    }

    [Fact]
    public void Plan_KilledInstanceExited_RestartsWithTheNextAttemptKeepingTheExitedOne()
    {
        var pod = Pod(c => c.LivenessProbe = Probe());
        var killed = TestPods.Instance(pod.Containers[0], 0, ContainerRunState.Exited, createdAt: s_now.AddMinutes(-1), finishedAt: s_now, exitCode: 137);

        var plan = PodPlanner.Plan([pod], [killed], true, _restarts, new StubProbeResults().Set(killed.Id, ProbeKind.Liveness, ProbeResult.Failure));

        var create = Assert.IsType<CreateContainerCommand>(Assert.Single(Assert.Single(plan.Work).Commands));
        Assert.Equal(1, create.Attempt);
        Assert.Equal(s_now, create.RestartOf);
    }

    [Fact]
    public async Task Execute_Kill_StopsWithTheGraceWithoutRemoving()
    {
        var time = new FakeTimeProvider(s_now);
        var runtime = new FakeContainerRuntime(time);
        runtime.AddLocalImage(TestPods.Image);
        using var stateDir = new TempDirectory("hd-probe-kill");
        using var agent = new AgentHarness(runtime, stateDir.Path, time);
        var pod = Pod(c => c.LivenessProbe = Probe());
        var running = Running(pod);
        runtime.Seed(running);

        agent.Workers.Start(new PodPlan(Uid, "fluentd-x7k2p", [new KillContainerCommand(running, "main", TimeSpan.FromSeconds(7), "liveness probe failed")]), TestContext.Current.CancellationToken);
        await agent.Workers.DrainAsync().DefaultTimeout();

        Assert.Equal([new RuntimeCall(RuntimeCall.Stop, running.Id, TimeSpan.FromSeconds(7))], runtime.Changes);
        Assert.Equal(ContainerRunState.Exited, runtime.Get(running.Id).State);
    }

    private static Probe Probe(long? grace = null)
    {
        var probe = new Probe { TcpSocket = new TCPSocketAction { Port = new IntOrString { IntValue = 8080 } }, TimeoutSeconds = 1, PeriodSeconds = 10, SuccessThreshold = 1, FailureThreshold = 3 };
        if (grace is { } seconds)
        {
            probe.TerminationGracePeriodSeconds = seconds;
        }

        return probe;
    }

    private static DesiredPod Pod(Action<Container> configure, long? grace = null)
    {
        var container = TestPods.Container();
        configure(container);
        var pod = TestPods.Pod(uid: Uid, containers: [container]);
        if (grace is { } seconds)
        {
            pod.Spec.TerminationGracePeriodSeconds = seconds;
        }

        return ContainerSpecBuilder.Build(pod, TestPods.Node);
    }

    private static RuntimeContainer Running(DesiredPod pod, int attempt = 0) =>
        TestPods.Instance(pod.Containers[0], attempt, ContainerRunState.Running, createdAt: s_now.AddMinutes(-1));
}
