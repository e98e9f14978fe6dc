using HostDaemons.Agent.Events;
using HostDaemons.Agent.Lifecycle;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.Probes;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Api.V1;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.Lifecycle;

/// <summary>
/// postStart and preStop with the kubelet's semantics: preStop inside the grace period (the stop gets the rest, at least
/// 2 s, none at 0), a failed preStop recorded and the stop going on, a postStart that keeps the container from counting
/// as running until it completes, and a failed postStart that kills the container.
/// </summary>
public sealed class ContainerLifecycleTests
{
    private readonly FakeTimeProvider _time = new(AgentHarness.Epoch);
    private readonly FakeContainerRuntime _runtime;
    private readonly PodEventRecorder _events;
    private readonly ContainerLifecycle _lifecycle;

    public ContainerLifecycleTests()
    {
        _runtime = new FakeContainerRuntime(_time);
        _events = new PodEventRecorder(_time, NullLogger<PodEventRecorder>.Instance);
        _lifecycle = new ContainerLifecycle(_runtime, _time, _events);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(0, 5, 0)]
    [InlineData(30, 0, 30)]
    [InlineData(30, 5.9, 25)]
    [InlineData(3, 2.5, 2)]
    [InlineData(1, 0, 2)]
    [InlineData(10, 12, 2)]
    public void Remaining_GraceAndTimeSpent_TheRestAtLeastTwoSecondsExceptAtZero(double grace, double elapsed, double expected)
    {
        Assert.Equal(TimeSpan.FromSeconds(expected), ContainerLifecycle.Remaining(TimeSpan.FromSeconds(grace), TimeSpan.FromSeconds(elapsed)));
    }

    [Fact]
    public async Task StopAsync_PreStopExec_RunsFirstAndTheStopGetsTheRestOfTheGracePeriod()
    {
        var instance = Running(PreStop(new LifecycleHandler { Exec = new ExecAction { Command = { "/bin/drain" } } }));
        _runtime.ExecHandler = (_, command) =>
        {
            _time.Advance(TimeSpan.FromSeconds(3));
            return new ExecResult(0, "");
        };

        await _lifecycle.StopAsync(instance, TimeSpan.FromSeconds(30), null, Ct).DefaultTimeout();

        Assert.Equal([RuntimeCall.Exec, RuntimeCall.Stop], _runtime.Calls.Select(c => c.Method));
        Assert.Equal(TimeSpan.FromSeconds(27), _runtime.Calls[^1].GracePeriod);
        Assert.Empty(await TakeEventsAsync());
    }

    [Fact]
    public async Task StopAsync_PreStopFails_FailedPreStopHookAndTheStopGoesOn()
    {
        var instance = Running(PreStop(new LifecycleHandler { Exec = new ExecAction { Command = { "false" } } }));
        _runtime.ExecHandler = (_, _) => new ExecResult(1, "secret output");

        await _lifecycle.StopAsync(instance, TimeSpan.FromSeconds(10), null, Ct).DefaultTimeout();

        Assert.Equal(RuntimeCall.Stop, _runtime.Calls[^1].Method);
        var failed = Assert.Single(await TakeEventsAsync());
        Assert.Equal(("Warning", "FailedPreStopHook", "PreStopHook failed", "spec.containers{main}"), (failed.Type, failed.Reason, failed.Message, failed.FieldPath));
    }

    [Fact]
    public async Task StopAsync_ZeroGracePeriod_NoPreStopAndKilledAtOnce()
    {
        var instance = Running(PreStop(new LifecycleHandler { Exec = new ExecAction { Command = { "/bin/drain" } } }));

        await _lifecycle.StopAsync(instance, TimeSpan.Zero, null, Ct).DefaultTimeout();

        var stop = Assert.Single(_runtime.Calls);
        Assert.Equal((RuntimeCall.Stop, (TimeSpan?)TimeSpan.Zero), (stop.Method, stop.GracePeriod));
    }

    [Fact]
    public async Task StopAsync_PreStopSleepLongerThanTheGracePeriod_StoppedWhenTheGraceEndsWithTheMinimum()
    {
        var instance = Running(PreStop(new LifecycleHandler { Sleep = new SleepAction { Seconds = 60 } }));

        var stopping = _lifecycle.StopAsync(instance, TimeSpan.FromSeconds(5), null, Ct);
        _time.Advance(TimeSpan.FromSeconds(4));

        Assert.False(stopping.IsCompleted);
        Assert.Empty(_runtime.Calls);
        _time.Advance(TimeSpan.FromSeconds(1));
        await stopping.DefaultTimeout();
        Assert.Equal(ContainerLifecycle.MinimumGracePeriod, Assert.Single(_runtime.Calls).GracePeriod);
    }

    [Fact]
    public async Task StopAsync_ContainersToStopFirst_StopSignalWaitsForThem()
    {
        var instance = Running(TestPods.Pod());
        var before = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var stopping = _lifecycle.StopAsync(instance, TimeSpan.FromSeconds(30), before.Task, Ct);
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.False(stopping.IsCompleted);
        Assert.Empty(_runtime.Calls);
        before.SetResult();
        await stopping.DefaultTimeout();
        Assert.Equal(TimeSpan.FromSeconds(20), Assert.Single(_runtime.Calls).GracePeriod);
    }

    [Fact]
    public async Task PostStartAsync_HookRunning_ContainerStartingUntilItCompletes()
    {
        var pod = PostStart(new LifecycleHandler { Exec = new ExecAction { Command = { "/bin/setup" } } });
        var instance = Running(pod);
        var duringHook = false;
        _runtime.ExecHandler = (c, _) =>
        {
            duringHook = _lifecycle.IsStarting(c.Id);
            return new ExecResult(0, "");
        };

        Assert.True(await _lifecycle.PostStartAsync(Desired(pod), instance.Id, Ct).DefaultTimeout());

        Assert.True(duringHook);
        Assert.False(_lifecycle.IsStarting(instance.Id));
        Assert.Equal(ContainerRunState.Running, _runtime.Get(instance.Id).State);
    }

    [Fact]
    public async Task PostStartAsync_HookFails_KilledWithTheKubeletsEvents()
    {
        var pod = PostStart(new LifecycleHandler { Exec = new ExecAction { Command = { "/bin/sh", "-c", "exit 7" } } });
        pod.Spec.TerminationGracePeriodSeconds = 5;
        var instance = Running(pod);
        _runtime.ExecHandler = (_, _) => new ExecResult(7, "");

        Assert.False(await _lifecycle.PostStartAsync(Desired(pod), instance.Id, Ct).DefaultTimeout());

        Assert.Equal(ContainerRunState.Exited, _runtime.Get(instance.Id).State);
        Assert.Equal(TimeSpan.FromSeconds(5), _runtime.Calls.Single(c => c.Method == RuntimeCall.Stop).GracePeriod);
        Assert.Equal(
            [("Warning", "FailedPostStartHook", "PostStartHook failed"), ("Normal", "Killing", "FailedPostStartHook")],
            (await TakeEventsAsync()).Select(e => (e.Type, e.Reason, e.Message)));
    }

    [Fact]
    public async Task PostStartAsync_NoHook_NothingRuns()
    {
        var pod = TestPods.Pod();
        var instance = Running(pod);

        Assert.True(await _lifecycle.PostStartAsync(Desired(pod), instance.Id, Ct));

        Assert.Empty(_runtime.Calls);
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(200, true)]
    public async Task PostStartAsync_HttpGetOnTheHostNetwork_AnyAnswerPasses(int status, bool passes)
    {
        await using var server = new TinyHttpServer(_ => TinyHttpServer.Response(status));
        var pod = PostStart(new LifecycleHandler { HttpGet = new HTTPGetAction { Path = "/ready", Port = new IntOrString { IntValue = server.Port } } });
        pod.Spec.HostNetwork = true;
        var instance = Running(pod);

        Assert.Equal(passes, await _lifecycle.PostStartAsync(Desired(pod), instance.Id, Ct).DefaultTimeout());

        Assert.Equal("/ready", TinyHttpServer.PathOf(Assert.Single(server.Requests)));
        Assert.Contains("User-Agent: kube-lifecycle/", server.Requests[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostStartAsync_HttpGetRefused_Fails()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var pod = PostStart(new LifecycleHandler { HttpGet = new HTTPGetAction { Path = "/", Port = new IntOrString { IntValue = port } } });
        pod.Spec.HostNetwork = true;
        pod.Spec.TerminationGracePeriodSeconds = 0;
        var instance = Running(pod);

        Assert.False(await _lifecycle.PostStartAsync(Desired(pod), instance.Id, Ct).DefaultTimeout());
    }

    private RuntimeContainer Running(Pod pod)
    {
        _runtime.AddLocalImage(TestPods.Image);
        var instance = TestPods.Instance(Desired(pod), 0, ContainerRunState.Running, createdAt: AgentHarness.Epoch) with { Pid = 4242 };
        return _runtime.Seed(instance);
    }

    private static DesiredContainer Desired(Pod pod) => ContainerSpecBuilder.Build(pod, TestPods.Node).Containers[0];

    private static Pod PreStop(LifecycleHandler handler)
    {
        var pod = TestPods.Pod();
        pod.Spec.Containers[0].Lifecycle = new Model.V1.Lifecycle { PreStop = handler };
        return pod;
    }

    private static Pod PostStart(LifecycleHandler handler)
    {
        var pod = TestPods.Pod();
        pod.Spec.Containers[0].Lifecycle = new Model.V1.Lifecycle { PostStart = handler };
        return pod;
    }

    private async Task<IReadOnlyList<PodEvent>> TakeEventsAsync()
    {
        using var cancelled = new CancellationTokenSource();
        var take = _events.TakeAsync(cancelled.Token);
        await cancelled.CancelAsync();
        try
        {
            return await take;
        }
        catch (OperationCanceledException)
        {
            return [];
        }
    }
}
