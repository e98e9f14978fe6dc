using System.Diagnostics;
using HostDaemons.Agent.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostDaemons.Agent.Tests.Runtime;

/// <summary><see cref="DockerContainerRuntime.ExecAsync"/> and the container PID, against the real engine.</summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class DockerExecTests : IAsyncLifetime
{
    private readonly string _nodeName = "exec-test-" + Guid.NewGuid().ToString("N");
    private readonly DockerContainerRuntime _runtime = new(new Uri("unix:///var/run/docker.sock"), NullLogger<DockerContainerRuntime>.Instance);
    private string _id = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _id = await _runtime.CreateContainerAsync(new ContainerLaunchSpec
        {
            Name = _nodeName,
            Image = "busybox:latest",
            Entrypoint = ["/bin/sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done"],
            NetworkMode = "none",
            Labels = new Dictionary<string, string> { [ContainerLabels.Node] = _nodeName },
        }, Ct);
        await _runtime.StartContainerAsync(_id, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _runtime.RemoveContainerAsync(_id, CancellationToken.None);
        _runtime.Dispose();
    }

    [Fact]
    public async Task ExecAsync_CommandExits_ReturnsItsExitCodeAndOutput()
    {
        var result = await _runtime.ExecAsync(_id, ["/bin/sh", "-c", "echo out; echo err >&2; exit 3"], TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(3, result.ExitCode);
        Assert.False(result.TimedOut);
        Assert.Contains("out", result.Output, StringComparison.Ordinal);
        Assert.Contains("err", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecAsync_CommandOutlivesTimeout_TimedOutWithoutWaitingForIt()
    {
        var clock = Stopwatch.StartNew();

        var result = await _runtime.ExecAsync(_id, ["sleep", "30"], TimeSpan.FromMilliseconds(500), Ct);

        Assert.True(result.TimedOut);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ExecAsync_MissingCommand_NonZeroExit()
    {
        var result = await _runtime.ExecAsync(_id, ["/no/such/binary"], TimeSpan.FromSeconds(10), Ct);

        Assert.NotEqual(0, result.ExitCode);
        Assert.False(result.TimedOut);
    }

    [Fact]
    public async Task ExecAsync_StoppedContainer_ThrowsExecError()
    {
        await _runtime.StopContainerAsync(_id, TimeSpan.FromSeconds(5), Ct);

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => _runtime.ExecAsync(_id, ["true"], TimeSpan.FromSeconds(10), Ct));

        Assert.Equal("ExecError", error.Reason);
    }

    [Fact]
    public async Task ListContainersAsync_Running_HasTheHostPidOfItsProcessUntilItStops()
    {
        var running = Assert.Single(await _runtime.ListContainersAsync(_nodeName, Ct));
        var commandLine = await File.ReadAllTextAsync($"/proc/{running.Pid}/cmdline", Ct);
        await _runtime.StopContainerAsync(_id, TimeSpan.FromSeconds(5), Ct);
        var stopped = Assert.Single(await _runtime.ListContainersAsync(_nodeName, Ct));

        Assert.True(running.Pid > 0);
        Assert.Contains("trap", commandLine, StringComparison.Ordinal);
        Assert.Equal(0, stopped.Pid);
    }
}
