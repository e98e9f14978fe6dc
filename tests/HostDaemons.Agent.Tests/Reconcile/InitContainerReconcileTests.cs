using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;

namespace HostDaemons.Agent.Tests.Reconcile;

/// <summary>
/// Init containers through the whole agent loop over the in-memory engine: the sandbox and the init container first,
/// the app once it completed, the status along the way, and an agent restart that runs nothing again.
/// </summary>
public sealed class InitContainerReconcileTests : IDisposable
{
    private readonly TempDirectory _stateDir = new("hd-agent-init");
    private readonly AgentHarness _agent;

    public InitContainerReconcileTests()
    {
        _agent = AgentHarness.Create(_stateDir);
        _agent.Runtime.AddLocalImage(TestPods.Image);
        _agent.Runtime.AddLocalImage("busybox:latest");
    }

    public void Dispose()
    {
        _agent.Dispose();
        _stateDir.Dispose();
    }

    [Fact]
    public async Task Reconcile_InitContainerCompletes_AppStartedAfterItAndAnAgentRestartRunsNothingAgain()
    {
        var pod = TestPods.Pod();
        pod.Spec.InitContainers.Add(TestPods.Container("setup", "busybox:latest"));
        _agent.Assigned.ReplaceAll([pod], 1);

        await _agent.PassAsync();
        await _agent.PassAsync();
        var setup = Assert.Single(_agent.Runtime.Containers, c => c.Get(ContainerLabels.Container) == "setup");
        Assert.DoesNotContain(_agent.Runtime.Containers, c => c.Get(ContainerLabels.Container) == "main");
        var initializing = (await _agent.TakeReportAsync(pod.Metadata.Uid)).Status;
        Assert.Equal("Pending", initializing.Phase);
        Assert.NotNull(Assert.Single(initializing.InitContainerStatuses).State.Running);

        _agent.Runtime.SimulateExit(setup.Id, 0);
        await _agent.PassAsync();
        await _agent.PassAsync();

        var main = Assert.Single(_agent.Runtime.Containers, c => c.Get(ContainerLabels.Container) == "main");
        Assert.Equal(ContainerRunState.Running, main.State);
        var status = (await _agent.TakeReportAsync(pod.Metadata.Uid)).Status;
        Assert.Equal("Running", status.Phase);
        Assert.Equal("Completed", Assert.Single(status.InitContainerStatuses).State.Terminated.Reason);
        Assert.Equal("True", Assert.Single(status.Conditions, c => c.Type == "Initialized").Status);

        _agent.Runtime.ClearCalls();
        using var restarted = _agent.Restart();
        restarted.Assigned.ReplaceAll([pod], 1);
        await restarted.PassAsync();
        Assert.Empty(_agent.Runtime.Changes);
    }
}
