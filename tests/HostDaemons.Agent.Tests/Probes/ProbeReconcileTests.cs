using HostDaemons.Agent.Probes;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.Probes;

/// <summary>Probes through the whole agent loop over the in-memory engine: readiness drives Ready, liveness restarts.</summary>
public sealed class ProbeReconcileTests : IDisposable
{
    private const string Uid = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

    private readonly TempDirectory _stateDir = new("hd-agent-probes");
    private readonly AgentHarness _agent;

    public ProbeReconcileTests()
    {
        _agent = AgentHarness.Create(_stateDir);
        _agent.Runtime.AddLocalImage(TestPods.Image);
    }

    public void Dispose()
    {
        _agent.Dispose();
        _stateDir.Dispose();
    }

    [Fact]
    public async Task Readiness_FailsThenPasses_DrivesContainerReadyAndPodConditions()
    {
        _agent.Prober.Answer(ProbeKind.Readiness, ProbeResult.Failure);
        var instance = await RunAsync(c => c.ReadinessProbe = Probe(period: 10));
        await WaitForAsync(() => _agent.Prober.Count(ProbeKind.Readiness) == 1, "the first readiness run");
        await _agent.PassAsync();
        var unready = (await _agent.TakeReportAsync(Uid)).Status;

        _agent.Prober.Answer(ProbeKind.Readiness, ProbeResult.Success);
        _agent.Time.Advance(TimeSpan.FromSeconds(10));
        await WaitForAsync(() => _agent.Probes.Get(instance.Id, ProbeKind.Readiness) == ProbeResult.Success, "readiness to pass");
        await _agent.PassAsync();
        var ready = (await _agent.TakeReportAsync(Uid)).Status;

        Assert.Equal("Running", unready.Phase);
        Assert.False(Assert.Single(unready.ContainerStatuses).Ready);
        Assert.True(Assert.Single(unready.ContainerStatuses).Started);
        Assert.Equal("False", Assert.Single(unready.Conditions, c => c.Type == "Ready").Status);
        Assert.Equal("False", Assert.Single(unready.Conditions, c => c.Type == "ContainersReady").Status);
        Assert.True(Assert.Single(ready.ContainerStatuses).Ready);
        Assert.Equal("True", Assert.Single(ready.Conditions, c => c.Type == "Ready").Status);
        Assert.Equal("True", Assert.Single(ready.Conditions, c => c.Type == "ContainersReady").Status);
        Assert.Equal(instance.Id, Assert.Single(_agent.Runtime.Containers).Id);
    }

    [Fact]
    public async Task Liveness_FailsThreshold_KillsKeepsTheExitedInstanceAndRestartsWithRestartCountOne()
    {
        _agent.Runtime.StopExitCode = 137;
        var first = await RunAsync(c => c.LivenessProbe = Probe(period: 1, failure: 3, grace: 5), answer: ProbeResult.Failure);
        for (var run = 1; run <= 3; run++)
        {
            await WaitForAsync(() => _agent.Prober.Count(ProbeKind.Liveness, first.Id) == run, $"liveness run {run}");
            _agent.Time.Advance(TimeSpan.FromSeconds(1));
        }

        await WaitForAsync(() => _agent.Probes.Get(first.Id, ProbeKind.Liveness) == ProbeResult.Failure, "liveness to fail");
        _agent.Runtime.ClearCalls();
        await _agent.PassAsync();
        var afterKill = _agent.Runtime.Changes;
        await _agent.PassAsync();
        await _agent.PassAsync();

        Assert.Equal([new RuntimeCall(RuntimeCall.Stop, first.Id, TimeSpan.FromSeconds(5))], afterKill);
        Assert.Equal(ContainerRunState.Exited, _agent.Runtime.Get(first.Id).State);
        var second = Assert.Single(_agent.Runtime.Containers, c => c.State == ContainerRunState.Running);
        Assert.Equal("1", second.Labels[ContainerLabels.Attempt]);
        Assert.DoesNotContain(_agent.Runtime.Changes, c => c.Method == RuntimeCall.Remove);
        var status = Assert.Single((await _agent.TakeReportAsync(Uid)).Status.ContainerStatuses);
        Assert.Equal(1, status.RestartCount);
        Assert.NotNull(status.State.Running);
        Assert.True(status.Ready);
        Assert.Equal(137, status.LastState.Terminated.ExitCode);
        Assert.Equal("docker://" + first.Id, status.LastState.Terminated.ContainerId);

        // The new instance is probed from scratch.
        Assert.Equal([second.Id], _agent.Probes.Probed);
        Assert.Equal(ProbeResult.Success, _agent.Probes.Get(second.Id, ProbeKind.Liveness));
    }

    [Fact]
    public async Task Startup_NotPassed_PodNotReadyAndLivenessFailureCannotKill()
    {
        _agent.Prober.Answer(ProbeKind.Startup, ProbeResult.Failure);
        _agent.Prober.Answer(ProbeKind.Liveness, ProbeResult.Failure);
        var instance = await RunAsync(c =>
        {
            c.StartupProbe = Probe(period: 10, failure: 30);
            c.LivenessProbe = Probe(period: 10, failure: 1);
        });
        await WaitForAsync(() => _agent.Prober.Count(ProbeKind.Startup) == 1, "the first startup run");
        _agent.Runtime.ClearCalls();

        await _agent.PassAsync();

        Assert.Empty(_agent.Runtime.Changes);
        var status = Assert.Single((await _agent.TakeReportAsync(Uid)).Status.ContainerStatuses);
        Assert.False(status.Started);
        Assert.False(status.Ready);
        Assert.Equal(0, _agent.Prober.Count(ProbeKind.Liveness));
        Assert.Equal(ContainerRunState.Running, _agent.Runtime.Get(instance.Id).State);
    }

    /// <summary>Assigns the pod and runs it: the instance exists after the first pass, is probed from the second.</summary>
    private async Task<RuntimeContainer> RunAsync(Action<Container> configure, ProbeResult? answer = null)
    {
        var container = TestPods.Container();
        configure(container);
        _agent.Assigned.ReplaceAll([TestPods.Pod(uid: Uid, containers: [container])], 1);
        await _agent.PassAsync();
        var instance = Assert.Single(_agent.Runtime.Containers);
        if (answer is { } result)
        {
            _agent.Prober.Answer(ProbeKind.Liveness, result, instance.Id);
        }

        await _agent.PassAsync();
        return instance;
    }

    private static Probe Probe(int period, int failure = 3, long? grace = null)
    {
        var probe = new Probe { Exec = new ExecAction { Command = { "check" } }, TimeoutSeconds = 1, PeriodSeconds = period, SuccessThreshold = 1, FailureThreshold = failure };
        if (grace is { } seconds)
        {
            probe.TerminationGracePeriodSeconds = seconds;
        }

        return probe;
    }

    private static Task WaitForAsync(Func<bool> condition, string because) => AsyncTestHelpers.WaitUntilAsync(condition, because);
}
