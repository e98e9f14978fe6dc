using HostDaemons.Agent.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.TestServices;

/// <summary>The fake engine behaves as the agent expects Docker to, or the agent tests prove nothing.</summary>
public sealed class FakeContainerRuntimeTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeContainerRuntime _runtime;

    public FakeContainerRuntimeTests()
    {
        _runtime = new FakeContainerRuntime(_time);
        _runtime.AddLocalImage("busybox:1.36");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lifecycle_CreateStartStopRemove_ChangesStateAndRecordsCalls()
    {
        var id = await _runtime.CreateContainerAsync(Spec("a", "node-a"), Ct);
        Assert.Equal(ContainerRunState.Created, _runtime.Get(id).State);

        await _runtime.StartContainerAsync(id, Ct);
        Assert.Equal(ContainerRunState.Running, _runtime.Get(id).State);
        Assert.Equal(_time.GetUtcNow(), _runtime.Get(id).StartedAt);

        _runtime.StopExitCode = 143;
        await _runtime.StopContainerAsync(id, TimeSpan.FromSeconds(5), Ct);
        Assert.Equal(ContainerRunState.Exited, _runtime.Get(id).State);
        Assert.Equal(143, _runtime.Get(id).ExitCode);

        await _runtime.RemoveContainerAsync(id, Ct);
        await _runtime.RemoveContainerAsync(id, Ct);
        Assert.False(_runtime.Exists(id));
        Assert.Equal(
            [
                new RuntimeCall(RuntimeCall.Create, "a"),
                new RuntimeCall(RuntimeCall.Start, id),
                new RuntimeCall(RuntimeCall.Stop, id, TimeSpan.FromSeconds(5)),
                new RuntimeCall(RuntimeCall.Remove, id),
                new RuntimeCall(RuntimeCall.Remove, id),
            ],
            _runtime.Changes);
    }

    [Fact]
    public async Task ListContainersAsync_FiltersByNodeLabel()
    {
        var mine = await _runtime.CreateContainerAsync(Spec("a", "node-a"), Ct);
        await _runtime.CreateContainerAsync(Spec("b", "node-b"), Ct);

        var listed = await _runtime.ListContainersAsync("node-a", Ct);

        Assert.Equal(mine, Assert.Single(listed).Id);
        Assert.DoesNotContain(_runtime.Changes, c => c.Method == RuntimeCall.List);
    }

    [Fact]
    public async Task CreateContainerAsync_NameTakenOrImageMissing_Throws()
    {
        await _runtime.CreateContainerAsync(Spec("a", "node-a"), Ct);

        var conflict = await Assert.ThrowsAsync<ContainerRuntimeException>(() => _runtime.CreateContainerAsync(Spec("a", "node-a"), Ct));
        var missing = await Assert.ThrowsAsync<ContainerRuntimeException>(() => _runtime.CreateContainerAsync(Spec("b", "node-a") with { Image = "nope:1" }, Ct));

        Assert.Equal("CreateContainerError", conflict.Reason);
        Assert.True(missing.IsNotFound);
    }

    [Fact]
    public async Task PullImageAsync_FailingThenAllowed_AddsLocalImage()
    {
        _runtime.FailPull("x:1", "denied");
        var failure = await Assert.ThrowsAsync<ContainerRuntimeException>(() => _runtime.PullImageAsync("x:1", Ct));
        Assert.Equal("ErrImagePull", failure.Reason);
        Assert.False(await _runtime.ImageExistsAsync("x:1", Ct));

        _runtime.AllowPull("x:1");
        await _runtime.PullImageAsync("x:1", Ct);

        Assert.True(await _runtime.ImageExistsAsync("x:1", Ct));
    }

    [Fact]
    public async Task PullImageAsync_Blocked_WaitsForRelease()
    {
        _runtime.BlockPulls();
        var started = _runtime.PullStarted;
        var pull = _runtime.PullImageAsync("x:1", Ct);
        await started.DefaultTimeout();
        Assert.False(pull.IsCompleted);

        _runtime.ReleasePulls();

        await pull.DefaultTimeout();
    }

    [Fact]
    public async Task SimulateExit_RunningContainer_ExitedWithCodeAndPublishesDie()
    {
        var id = await _runtime.CreateContainerAsync(Spec("a", "node-a"), Ct);
        await _runtime.StartContainerAsync(id, Ct);
        var at = _time.GetUtcNow().AddSeconds(3);

        _runtime.SimulateExit(id, 137, at, oomKilled: true);

        var exited = _runtime.Get(id);
        Assert.Equal((ContainerRunState.Exited, 137, at, true), (exited.State, exited.ExitCode, exited.FinishedAt, exited.OomKilled));
        var actions = new List<string>();
        await foreach (var e in _runtime.WatchEventsAsync("node-a", Ct))
        {
            Assert.Equal(id, e.ContainerId);
            actions.Add(e.Action);
            if (e.Action == "die")
            {
                break;
            }
        }

        Assert.Equal(["create", "start", "oom", "die"], actions);
    }

    [Fact]
    public async Task ReadLogsAsync_ReturnsConfiguredLogs()
    {
        var id = await _runtime.CreateContainerAsync(Spec("a", "node-a"), Ct);
        _runtime.SetLogs(id, "hello\n");

        var chunks = new List<byte>();
        await foreach (var chunk in _runtime.ReadLogsAsync(id, new LogReadOptions(false, null, false), Ct))
        {
            chunks.AddRange(chunk.ToArray());
        }

        Assert.Equal("hello\n", System.Text.Encoding.UTF8.GetString([.. chunks]));
    }

    private static ContainerLaunchSpec Spec(string name, string node) => new()
    {
        Name = name,
        Image = "busybox:1.36",
        Labels = new Dictionary<string, string>(StringComparer.Ordinal) { [ContainerLabels.Node] = node },
    };
}
