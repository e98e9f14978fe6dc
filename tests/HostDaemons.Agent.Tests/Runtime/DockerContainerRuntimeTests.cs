using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using HostDaemons.Agent.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;

namespace HostDaemons.Agent.Tests.Runtime;

[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class DockerContainerRuntimeTests : IAsyncLifetime
{
    private const string Image = "busybox:latest";

    private static readonly Uri s_endpoint = new("unix:///var/run/docker.sock");

    private readonly string _nodeName = "rt-test-" + Guid.NewGuid().ToString("N");
    private readonly DockerContainerRuntime _runtime = new(s_endpoint, NullLogger<DockerContainerRuntime>.Instance);
    private readonly List<string> _otherContainers = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        if (!await _runtime.ImageExistsAsync(Image, Ct))
        {
            throw new InvalidOperationException($"The Docker tests need the local image {Image}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            var leftovers = await _runtime.ListContainersAsync(_nodeName, CancellationToken.None);
            foreach (var id in leftovers.Select(c => c.Id).Concat(_otherContainers))
            {
                await _runtime.RemoveContainerAsync(id, CancellationToken.None);
            }
        }
        finally
        {
            _runtime.Dispose();
        }
    }

    [Fact]
    public async Task CreateContainerAsync_FullSpec_ListedRunningWithLabelsAndEngineGetsHostConfig()
    {
        using var hostDirectory = new TempDirectory();
        await File.WriteAllTextAsync(hostDirectory.Combine("in.txt"), "from-host", Ct);
        var spec = Spec(
            "cat /data/in.txt; echo; if touch /data/probe 2>/dev/null; then echo writable; else echo read-only; fi; echo $GREETING; pwd; exec sleep 300",
            "full") with
        {
            Environment = ["GREETING=hello"],
            WorkingDirectory = "/tmp",
            Binds = [new BindMount(hostDirectory.Path, "/data", ReadOnly: true)],
            MemoryLimitBytes = 64 * 1024 * 1024,
            NanoCpus = 500_000_000,
            CpuShares = 512,
        };

        var id = await _runtime.CreateContainerAsync(spec, Ct);
        await _runtime.StartContainerAsync(id, Ct);

        var container = Assert.Single(await _runtime.ListContainersAsync(_nodeName, Ct));
        Assert.Equal(id, container.Id);
        Assert.Equal(spec.Name, container.Name);
        Assert.Equal(Image, container.Image);
        Assert.StartsWith("sha256:", container.ImageId, StringComparison.Ordinal);
        Assert.Equal(_nodeName, container.Labels[ContainerLabels.Node]);
        Assert.Equal("value", container.Labels["io.hostdaemons.test"]);
        Assert.Equal(ContainerRunState.Running, container.State);
        Assert.NotNull(container.CreatedAt);
        Assert.NotNull(container.StartedAt);
        Assert.Null(container.FinishedAt);
        Assert.Null(container.Error);
        Assert.False(container.OomKilled);

        using var docker = new DockerClientBuilder().WithEndpoint(s_endpoint).Build();
        var inspection = await docker.Containers.InspectContainerAsync(id, Ct);
        Assert.NotNull(inspection.HostConfig);
        Assert.NotNull(inspection.Config);
        Assert.Equal([hostDirectory.Path + ":/data:ro"], inspection.HostConfig.Binds);
        Assert.Equal(64 * 1024 * 1024, inspection.HostConfig.Memory);
        Assert.Equal(500_000_000, inspection.HostConfig.NanoCPUs);
        Assert.Equal(512, inspection.HostConfig.CPUShares);
        Assert.Equal("none", inspection.HostConfig.NetworkMode);
        Assert.Equal(RestartPolicyKind.No, inspection.HostConfig.RestartPolicy?.Name);
        Assert.False(inspection.Config.Tty);
        Assert.False(inspection.Config.OpenStdin);
        Assert.Equal(["/bin/sh", "-c"], inspection.Config.Entrypoint?.Take(2));
        Assert.Equal("/tmp", inspection.Config.WorkingDir);
        Assert.Contains("GREETING=hello", inspection.Config.Env ?? []);

        var expected = "from-host\nread-only\nhello\n/tmp\n";
        var logs = "";
        await AsyncTestHelpers.WaitUntilAsync(
            async () => (logs = await ReadLogsTextAsync(id, new LogReadOptions(false, null, false))).Length >= expected.Length,
            "the container to print what it sees of the bind mount");
        Assert.Equal(expected, logs);
    }

    [Fact]
    public async Task ListContainersAsync_UnchangedContainer_InspectedOnlyUntilItChanges()
    {
        var logger = new FakeLogger<DockerContainerRuntime>();
        using var runtime = new DockerContainerRuntime(s_endpoint, logger);
        var id = await _runtime.CreateContainerAsync(Spec("exec sleep 300", "cache"), Ct);

        Assert.Equal(ContainerRunState.Created, Assert.Single(await runtime.ListContainersAsync(_nodeName, Ct)).State);
        Assert.Equal(1, LastInspectedCount(logger));
        Assert.Equal(ContainerRunState.Created, Assert.Single(await runtime.ListContainersAsync(_nodeName, Ct)).State);
        Assert.Equal(0, LastInspectedCount(logger));

        await _runtime.StartContainerAsync(id, Ct);
        var started = Assert.Single(await runtime.ListContainersAsync(_nodeName, Ct));
        Assert.Equal(ContainerRunState.Running, started.State);
        Assert.NotNull(started.StartedAt);
        Assert.Equal(1, LastInspectedCount(logger));

        await _runtime.RemoveContainerAsync(id, Ct);
        Assert.Empty(await runtime.ListContainersAsync(_nodeName, Ct));
    }

    [Fact]
    public async Task StopContainerAsync_TermHandledWithinGrace_ListedExitedWithItsExitCode()
    {
        var id = await CreateAndStartAsync(Spec("trap 'exit 3' TERM; echo ready; while true; do sleep 0.1; done", "stop"));
        await WaitForLogAsync(id, "ready");
        Assert.Equal(ContainerRunState.Running, (await GetAsync(id)).State);

        var stopwatch = Stopwatch.StartNew();
        await _runtime.StopContainerAsync(id, TimeSpan.FromSeconds(20), Ct).DefaultTimeout();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"stop took {stopwatch.Elapsed}");
        var container = await GetAsync(id);
        Assert.Equal(ContainerRunState.Exited, container.State);
        Assert.Equal(3, container.ExitCode);
        Assert.NotNull(container.StartedAt);
        Assert.NotNull(container.FinishedAt);
        Assert.True(container.FinishedAt >= container.StartedAt);
    }

    [Fact]
    public async Task StopContainerAsync_TermIgnoredAndGraceLongerThanRequestTimeout_KilledAfterGrace()
    {
        using var runtime = new DockerContainerRuntime(s_endpoint, TimeSpan.FromSeconds(1), NullLogger<DockerContainerRuntime>.Instance);
        var id = await CreateAndStartAsync(Spec("trap '' TERM; echo ready; while true; do sleep 0.1; done", "kill"));
        await WaitForLogAsync(id, "ready");

        var stopwatch = Stopwatch.StartNew();
        await runtime.StopContainerAsync(id, TimeSpan.FromSeconds(2.5), Ct).DefaultTimeout();

        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(2.5), $"stop returned after {stopwatch.Elapsed}");
        var container = await GetAsync(id);
        Assert.Equal(ContainerRunState.Exited, container.State);
        Assert.Equal(137, container.ExitCode);
    }

    [Fact]
    public async Task StopContainerAsync_ZeroGraceAndTermIgnored_KilledAtOnce()
    {
        var id = await CreateAndStartAsync(Spec("trap '' TERM; echo ready; while true; do sleep 0.1; done", "grace-zero"));
        await WaitForLogAsync(id, "ready");

        var stopwatch = Stopwatch.StartNew();
        await _runtime.StopContainerAsync(id, TimeSpan.Zero, Ct).DefaultTimeout();

        TestContext.Current.TestOutputHelper?.WriteLine($"stop with grace 0 took {stopwatch.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"stop with grace 0 took {stopwatch.Elapsed}");
        var container = await GetAsync(id);
        Assert.Equal(ContainerRunState.Exited, container.State);
        Assert.Equal(137, container.ExitCode);
    }

    [Fact]
    public async Task StopContainerAsync_NotRunningOrMissingContainer_DoesNotThrow()
    {
        var id = await _runtime.CreateContainerAsync(Spec("exit 0", "not-running"), Ct);

        await _runtime.StopContainerAsync(id, TimeSpan.Zero, Ct);
        await _runtime.RemoveContainerAsync(id, Ct);
        await _runtime.StopContainerAsync(id, TimeSpan.FromSeconds(1), Ct);
        await _runtime.RemoveContainerAsync(id, Ct);

        Assert.Empty(await _runtime.ListContainersAsync(_nodeName, Ct));
    }

    [Fact]
    public async Task RemoveContainerAsync_RunningContainer_RemovedFromList()
    {
        var id = await CreateAndStartAsync(Spec("exec sleep 300", "remove"));
        Assert.Equal(ContainerRunState.Running, (await GetAsync(id)).State);

        await _runtime.RemoveContainerAsync(id, Ct);

        Assert.Empty(await _runtime.ListContainersAsync(_nodeName, Ct));
    }

    [Fact]
    public async Task WatchEventsAsync_LabelledContainerRunsAndExits_YieldsCreateStartDieOfThisNodeOnly()
    {
        using var watchCancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var events = new ConcurrentQueue<RuntimeEvent>();
        var watch = Task.Run(
            async () =>
            {
                await foreach (var runtimeEvent in _runtime.WatchEventsAsync(_nodeName, watchCancellation.Token))
                {
                    events.Enqueue(runtimeEvent);
                }
            },
            Ct);

        var otherNode = _nodeName + "-other";
        var otherSpec = Spec("exit 0", "other") with
        {
            Labels = new Dictionary<string, string> { [ContainerLabels.Node] = otherNode },
        };
        var otherId = await _runtime.CreateContainerAsync(otherSpec, Ct);
        _otherContainers.Add(otherId);
        await _runtime.StartContainerAsync(otherId, Ct);
        var id = await CreateAndStartAsync(Spec("exit 4", "events"));

        await AsyncTestHelpers.WaitUntilAsync(
            () => events.Any(e => e.ContainerId == id && e.Action == "die"),
            "the die event of the labelled container");

        var actions = events.Where(e => e.ContainerId == id).Select(e => e.Action).ToList();
        Assert.True(actions.IndexOf("create") >= 0, string.Join(",", actions));
        Assert.True(actions.IndexOf("create") < actions.IndexOf("start"), string.Join(",", actions));
        Assert.True(actions.IndexOf("start") < actions.IndexOf("die"), string.Join(",", actions));
        var die = events.First(e => e.ContainerId == id && e.Action == "die");
        Assert.Equal(_nodeName, die.Labels[ContainerLabels.Node]);
        Assert.Equal("4", die.Labels["exitCode"]);
        Assert.DoesNotContain(events, e => e.ContainerId == otherId);
        Assert.DoesNotContain(await _runtime.ListContainersAsync(_nodeName, Ct), c => c.Id == otherId);

        await watchCancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch.DefaultTimeout(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ReadLogsAsync_ExitedContainer_ReturnsStdoutAndStderrInOrder()
    {
        var id = await CreateAndStartAsync(Spec("echo one; sleep 0.2; echo two >&2; sleep 0.2; echo three", "logs"));
        await WaitForStateAsync(id, ContainerRunState.Exited);

        Assert.Equal("one\ntwo\nthree\n", await ReadLogsTextAsync(id, new LogReadOptions(false, null, false)));
        Assert.Equal("two\nthree\n", await ReadLogsTextAsync(id, new LogReadOptions(false, 2, false)));
        var stamped = (await ReadLogsTextAsync(id, new LogReadOptions(false, 1, true))).TrimEnd('\n');
        var separator = stamped.IndexOf(' ', StringComparison.Ordinal);
        Assert.True(separator > 0, stamped);
        Assert.True(DateTimeOffset.TryParse(stamped[..separator], System.Globalization.CultureInfo.InvariantCulture, out _), stamped);
        Assert.Equal("three", stamped[(separator + 1)..]);

        var lines = (await ReadLogsTextAsync(id, new LogReadOptions(false, null, true))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Docker stamps in nanoseconds and .NET parses them rounded to 100 ns, which may land after the line: a microsecond before it.
        var two = DateTimeOffset.Parse(lines[1][..lines[1].IndexOf(' ', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture)
            .AddTicks(-10);
        Assert.Equal("two\nthree\n", await ReadLogsTextAsync(id, new LogReadOptions(false, null, false, Since: two)));
        Assert.Equal("three\n", await ReadLogsTextAsync(id, new LogReadOptions(false, 1, false, Since: two)));
        Assert.Equal("", await ReadLogsTextAsync(id, new LogReadOptions(false, null, false, Since: DateTimeOffset.UtcNow.AddMinutes(1))));
    }

    [Fact]
    public async Task ReadLogsAsync_Follow_YieldsNewOutputAndEndsWhenCancelled()
    {
        var id = await CreateAndStartAsync(Spec("echo first; sleep 1; echo second; exec sleep 300", "follow"));
        using var followCancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var received = new StringBuilder();

        await using var logs = _runtime
            .ReadLogsAsync(id, new LogReadOptions(Follow: true, TailLines: null, Timestamps: false), followCancellation.Token)
            .GetAsyncEnumerator(followCancellation.Token);
        while (!received.ToString().Contains("second", StringComparison.Ordinal))
        {
            Assert.True(await logs.MoveNextAsync().AsTask().DefaultTimeout(), "the log stream ended early: " + received);
            received.Append(Encoding.UTF8.GetString(logs.Current.Span));
        }

        Assert.Equal("first\nsecond\n", received.ToString());
        var next = logs.MoveNextAsync().AsTask();
        await Task.Delay(200, Ct);
        Assert.False(next.IsCompleted);
        var stopwatch = Stopwatch.StartNew();
        await followCancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.DefaultTimeout(TimeSpan.FromSeconds(5)));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"follow ended {stopwatch.Elapsed} after cancellation");
    }

    [Fact]
    public async Task ReadLogsAsync_MissingContainer_ThrowsNotFound()
    {
        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(
            () => ReadLogsTextAsync("rt-test-missing-" + Guid.NewGuid().ToString("N"), new LogReadOptions(false, null, false)));

        Assert.Equal("NotFound", error.Reason);
        Assert.True(error.IsNotFound);
    }

    [Fact]
    public async Task PullImageAsync_UnreachableRegistry_ThrowsErrImagePullQuickly()
    {
        var image = "localhost:1/hd-missing-" + Guid.NewGuid().ToString("N") + ":1.0";
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => _runtime.PullImageAsync(image, Ct).DefaultTimeout());

        Assert.Equal("ErrImagePull", error.Reason);
        Assert.Contains(image, error.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"pull failed after {stopwatch.Elapsed}");
        Assert.False(await _runtime.ImageExistsAsync(image, Ct));
    }

    [Fact]
    public async Task CreateContainerAsync_MissingImage_ThrowsNotFound()
    {
        var spec = Spec("exit 0", "no-image") with { Image = "hd-missing-" + Guid.NewGuid().ToString("N") + ":1.0" };

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => _runtime.CreateContainerAsync(spec, Ct));

        Assert.Equal("ErrImageNeverPulled", error.Reason);
        Assert.True(error.IsNotFound);
        Assert.Contains(spec.Image, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateContainerAsync_NameInUse_ThrowsCreateContainerError()
    {
        var spec = Spec("exit 0", "twice");
        await _runtime.CreateContainerAsync(spec, Ct);

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => _runtime.CreateContainerAsync(spec, Ct));

        Assert.Equal("CreateContainerError", error.Reason);
        Assert.False(error.IsNotFound);
        Assert.Contains("already in use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartContainerAsync_ExecutableMissing_ThrowsRunContainerError()
    {
        var spec = Spec("exit 0", "no-exec") with { Entrypoint = ["/no/such/binary"], Arguments = null };
        var id = await _runtime.CreateContainerAsync(spec, Ct);

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => _runtime.StartContainerAsync(id, Ct));

        Assert.Equal("RunContainerError", error.Reason);
        Assert.Contains("/no/such/binary", error.Message, StringComparison.Ordinal);
        var container = await GetAsync(id);
        Assert.NotEqual(ContainerRunState.Running, container.State);
        Assert.Contains("/no/such/binary", container.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImageExistsAsync_LocalImage_ReturnsTrue()
    {
        Assert.True(await _runtime.ImageExistsAsync(Image, Ct));
    }

    [Fact]
    public async Task ImageExistsAsync_UnknownImage_ReturnsFalse()
    {
        Assert.False(await _runtime.ImageExistsAsync("hd-missing-" + Guid.NewGuid().ToString("N") + ":1.0", Ct));
    }

    [Fact]
    public async Task GetInfoAsync_Engine_DescribesDocker()
    {
        var info = await _runtime.GetInfoAsync(Ct);

        Assert.Equal("docker", info.Name);
        Assert.NotEmpty(info.Version);
        Assert.Matches(@"^\d+\.\d+$", info.ApiVersion);
        Assert.Equal("linux", info.OperatingSystem);
        Assert.NotEmpty(info.Architecture);
        Assert.DoesNotContain("_", info.Architecture, StringComparison.Ordinal);
        Assert.NotEmpty(info.KernelVersion);
        Assert.NotEmpty(info.OsImage);
    }

    private static int LastInspectedCount(FakeLogger<DockerContainerRuntime> logger)
    {
        var listed = logger.Collector.GetSnapshot().Last(r => r.Id.Id == 100);
        return int.Parse(
            listed.StructuredState!.Single(p => p.Key == "Inspected").Value!,
            System.Globalization.CultureInfo.InvariantCulture);
    }

    private ContainerLaunchSpec Spec(string script, string suffix) => new()
    {
        Name = _nodeName + "-" + suffix,
        Image = Image,
        Entrypoint = ["/bin/sh", "-c", script],
        NetworkMode = "none",
        Labels = new Dictionary<string, string>
        {
            [ContainerLabels.Node] = _nodeName,
            ["io.hostdaemons.test"] = "value",
        },
    };

    private async Task<string> CreateAndStartAsync(ContainerLaunchSpec spec)
    {
        var id = await _runtime.CreateContainerAsync(spec, Ct);
        await _runtime.StartContainerAsync(id, Ct);
        return id;
    }

    private async Task<RuntimeContainer> GetAsync(string id)
    {
        var containers = await _runtime.ListContainersAsync(_nodeName, Ct);
        return containers.Single(c => c.Id == id);
    }

    private Task WaitForStateAsync(string id, ContainerRunState state) =>
        AsyncTestHelpers.WaitUntilAsync(
            async () => (await GetAsync(id)).State == state,
            $"container {id} to be {state}",
            describe: async () => (await GetAsync(id)).ToString());

    private Task WaitForLogAsync(string id, string text) =>
        AsyncTestHelpers.WaitUntilAsync(
            async () => (await ReadLogsTextAsync(id, new LogReadOptions(false, null, false))).Contains(text, StringComparison.Ordinal),
            $"container {id} to print {text}");

    private async Task<string> ReadLogsTextAsync(string id, LogReadOptions options)
    {
        using var bytes = new MemoryStream();
        await foreach (var chunk in _runtime.ReadLogsAsync(id, options, Ct))
        {
            bytes.Write(chunk.Span);
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}

public sealed class DockerContainerRuntimeUnreachableEngineTests
{
    private static readonly Uri s_missingSocket = new("unix:///tmp/hd-no-engine-" + Guid.NewGuid().ToString("N") + ".sock");

    [Fact]
    public async Task GetInfoAsync_NoEngineListening_Throws()
    {
        using var runtime = new DockerContainerRuntime(s_missingSocket, NullLogger<DockerContainerRuntime>.Instance);

        await Assert.ThrowsAsync<HttpRequestException>(() => runtime.GetInfoAsync(TestContext.Current.CancellationToken).DefaultTimeout());
    }

    [Fact]
    public async Task WatchEventsAsync_NoEngineListening_Throws()
    {
        using var runtime = new DockerContainerRuntime(s_missingSocket, NullLogger<DockerContainerRuntime>.Instance);

        await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (var _ in runtime.WatchEventsAsync("rt-test-node", TestContext.Current.CancellationToken))
            {
            }
        });
    }
}

public sealed class DockerImageReferenceTests
{
    [Theory]
    [InlineData("busybox", "busybox", "latest")]
    [InlineData("busybox:1.36", "busybox", "1.36")]
    [InlineData("library/busybox:1.36", "library/busybox", "1.36")]
    [InlineData("localhost:5000/x", "localhost:5000/x", "latest")]
    [InlineData("localhost:5000/x:1.0", "localhost:5000/x", "1.0")]
    [InlineData("registry.example.com:443/team/app:v2-rc.1", "registry.example.com:443/team/app", "v2-rc.1")]
    [InlineData("x@sha256:0123456789abcdef", "x", "sha256:0123456789abcdef")]
    [InlineData("localhost:5000/x:1.0@sha256:0123456789abcdef", "localhost:5000/x", "sha256:0123456789abcdef")]
    public void Split_Reference_ReturnsRepositoryAndTagOrDigest(string image, string repository, string tagOrDigest)
    {
        Assert.Equal((repository, tagOrDigest), DockerImageReference.Split(image));
    }
}
