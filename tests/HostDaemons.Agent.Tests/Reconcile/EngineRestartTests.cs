using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;

namespace HostDaemons.Agent.Tests.Reconcile;

/// <summary>The Docker engine going away and coming back: the agent waits, then resyncs.</summary>
public sealed class EngineRestartTests : IDisposable
{
    private readonly TempDirectory _stateDir = new("hd-agent-state");
    private readonly AgentHarness _agent;

    public EngineRestartTests()
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
    public async Task ReconcileOnce_EngineUnreachable_FailsWithoutTouchingAnything()
    {
        _agent.Assigned.ReplaceAll([TestPods.Pod()], 1);
        _agent.Runtime.ListFailure = new HttpRequestException("Connection refused (/var/run/docker.sock)");

        await Assert.ThrowsAsync<HttpRequestException>(() => _agent.Reconciler.ReconcileOnceAsync(TestPods.Node, TestContext.Current.CancellationToken)).DefaultTimeout();

        Assert.Empty(_agent.Runtime.Changes);
    }

    [Fact]
    public async Task ReconcileOnce_EngineBackWithContainersGone_RecreatesThem()
    {
        _agent.Assigned.ReplaceAll([TestPods.Pod()], 1);
        await _agent.PassAsync();
        var before = Assert.Single(_agent.Runtime.Containers);
        _agent.Runtime.ListFailure = new HttpRequestException("Connection refused (/var/run/docker.sock)");
        await Assert.ThrowsAsync<HttpRequestException>(() => _agent.Reconciler.ReconcileOnceAsync(TestPods.Node, TestContext.Current.CancellationToken)).DefaultTimeout();

        // The engine restarted without live-restore: its containers are gone.
        await _agent.Runtime.RemoveContainerAsync(before.Id, TestContext.Current.CancellationToken);
        _agent.Runtime.ListFailure = null;
        await _agent.PassAsync();

        var after = Assert.Single(_agent.Runtime.Containers);
        Assert.Equal(ContainerRunState.Running, after.State);
        Assert.NotEqual(before.Id, after.Id);
        Assert.Equal("1", after.Labels[ContainerLabels.Attempt]);
    }

    [Fact]
    public async Task ReconcileOnce_EngineBackWithContainersRunning_AdoptsThem()
    {
        _agent.Assigned.ReplaceAll([TestPods.Pod()], 1);
        await _agent.PassAsync();
        _agent.Runtime.ListFailure = new HttpRequestException("Connection refused (/var/run/docker.sock)");
        await Assert.ThrowsAsync<HttpRequestException>(() => _agent.Reconciler.ReconcileOnceAsync(TestPods.Node, TestContext.Current.CancellationToken)).DefaultTimeout();
        var changes = _agent.Runtime.Changes.Count;

        _agent.Runtime.ListFailure = null;
        await _agent.PassAsync();

        Assert.Equal(changes, _agent.Runtime.Changes.Count);
        Assert.Equal(ContainerRunState.Running, Assert.Single(_agent.Runtime.Containers).State);
    }
}
