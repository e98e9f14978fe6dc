using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.Runtime;

/// <summary>The event watcher over the in-memory engine (the Docker-backed runtime has its own tests).</summary>
public sealed class DockerEventWatcherTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeContainerRuntime _runtime;
    private readonly ReconcileSignal _signal;
    private readonly TestHostApplicationLifetime _lifetime = new();
    private readonly FakeLogger<DockerEventWatcher> _logger = new();
    private readonly DockerEventWatcher _watcher;

    public DockerEventWatcherTests()
    {
        _runtime = new FakeContainerRuntime(_time);
        _signal = new ReconcileSignal(_time);
        _watcher = new DockerEventWatcher(_runtime, _signal, _time, Options.Create(new AgentOptions { NodeName = TestPods.Node }), _lifetime, _logger);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _watcher.Dispose();
        _lifetime.Dispose();
    }

    [Fact]
    public async Task Run_ContainerOfThisNodeDies_TriggersReconcile()
    {
        var container = _runtime.Seed(TestPods.Orphan("uid-1"));
        await _watcher.StartAsync(Ct).DefaultTimeout();
        try
        {
            _runtime.SimulateExit(container.Id, exitCode: 1);

            await _signal.WaitAsync(Timeout.InfiniteTimeSpan, Ct).DefaultTimeout();
            Assert.True(_watcher.IsConnected);
        }
        finally
        {
            await _watcher.StopAsync(Ct).DefaultTimeout();
        }

        Assert.False(_lifetime.StopRequested);
    }

    [Fact]
    public async Task Run_EventStreamFails_ReconnectsAfterDelayAndTriggersFullPass()
    {
        await _watcher.StartAsync(Ct).DefaultTimeout();
        try
        {
            _runtime.CompleteEvents(new ContainerRuntimeException("EventStreamClosed", "engine restarted"));
            await AsyncTestHelpers.WaitUntilAsync(() => !_watcher.IsConnected || _logger.Collector.Count > 0, "the watcher to notice the lost stream");

            // The reconnect delay runs on the agent's clock.
            var triggered = _signal.WaitAsync(Timeout.InfiniteTimeSpan, Ct);
            await AsyncTestHelpers.WaitUntilAsync(
                () =>
                {
                    _time.Advance(TimeSpan.FromSeconds(1));
                    return triggered.IsCompleted;
                },
                "the full pass after reconnecting");
            Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Message.Contains("engine restarted"));
        }
        finally
        {
            await _watcher.StopAsync(Ct).DefaultTimeout();
        }

        Assert.False(_lifetime.StopRequested);
    }
}
