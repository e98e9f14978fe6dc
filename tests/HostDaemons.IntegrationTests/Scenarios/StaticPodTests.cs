using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Docker.DotNet.Models;
using HostDaemons.Agent.StaticPods;
using HostDaemons.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// Static pods on the real engine with no control plane at all (the agent's server is a closed port): a manifest
/// dropped into the directory runs, edits replace it only when its content changes, and the pod survives renames,
/// invalid edits and agent restarts.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed partial class StaticPodTests : IAsyncLifetime
{
    private const string NoControlPlane = "http://127.0.0.1:1";

    private readonly TempDirectory _root = new("hd-static");
    private readonly DockerProbe _docker = new();
    private readonly string _node = TestManifests.Nodes("static", 1)[0];
    private TestAgent? _agent;

    private string ManifestDir => _root.Combine("manifests");

    private TestAgent Agent => _agent ?? throw new InvalidOperationException("no agent");

    private StaticPodSet Set => Agent.Services.GetRequiredService<StaticPodSet>();

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(ManifestDir);
        _agent = await TestAgent.StartAsync(NoControlPlane, _node, _root.Combine("state"), ManifestDir);
    }

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        await _docker.RemoveAllAsync([_node]);
        _docker.Dispose();
        _root.Dispose();
    }

    private static string Manifest(string name, string image = "busybox:latest", string comment = "") => TestManifests.StaticPod(name, image, comment);

    [Fact]
    public async Task FileDropped_NoControlPlane_ContainerRunningWithinBound()
    {
        var path = Path.Combine(ManifestDir, "monitor.yaml");
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteAsync(Manifest("monitor"));
        }

        var closedAt = DateTimeOffset.UtcNow;
        var written = Stopwatch.StartNew();
        string? id = null;
        while (id is null && written.Elapsed < AsyncTestHelpers.DefaultTimeoutDuration)
        {
            id = (await RunningAsync("monitor")).FirstOrDefault()?.ID;
            if (id is null)
            {
                await Task.Delay(5, TestContext.Current.CancellationToken);
            }
        }

        var seen = written.Elapsed;
        Assert.NotNull(id);
        var started = StartedAt(await _docker.InspectAsync(id));
        var toRunning = started - closedAt;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"static pod file closed -> container running: {toRunning.TotalMilliseconds:F0} ms (Docker's StartedAt); seen running by polling after {seen.TotalMilliseconds:F0} ms");
        Assert.True(toRunning < TimeSpan.FromSeconds(3), $"the container started {toRunning.TotalMilliseconds:F0} ms after the file was closed");

        var container = Assert.Single(await RunningAsync("monitor"));
        Assert.Equal("static", container.Labels["io.hostdaemons.owner"]);
        Assert.Equal($"monitor-{_node}", container.Labels["io.hostdaemons.pod"]);
        Assert.Equal("default", container.Labels["io.hostdaemons.namespace"]);
    }

    [Fact]
    public async Task ImageEdited_ContainerReplaced()
    {
        var original = await RunAsync("monitor.yaml", Manifest("monitor"));

        await File.WriteAllTextAsync(Path.Combine(ManifestDir, "monitor.yaml"), Manifest("monitor", image: "ssd-monitor:latest"), TestContext.Current.CancellationToken);

        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            var all = await AllAsync("monitor");
            return all.Count == 1 && all[0].ID != original.ID && all[0].State == "running" && all[0].Image == "ssd-monitor:latest";
        }, "the pod to run the new image in a new container, the old one removed", describe: DescribeAsync);
    }

    [Fact]
    public async Task TouchedAndCommentsRewritten_ContainerKept()
    {
        var path = Path.Combine(ManifestDir, "monitor.yaml");
        var original = await RunAsync("monitor.yaml", Manifest("monitor"));
        var uid = Assert.Single(Set.Current).Metadata.Uid;

        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
        await File.WriteAllTextAsync(path, Manifest("monitor", comment: "# edited by hand\n\n# the node monitor\n"), TestContext.Current.CancellationToken);
        await BarrierAsync();

        await AssertUnchangedAsync(original, uid);
    }

    [Fact]
    public async Task Renamed_ContainerKept()
    {
        var original = await RunAsync("monitor.yaml", Manifest("monitor"));
        var uid = Assert.Single(Set.Current).Metadata.Uid;

        File.Move(Path.Combine(ManifestDir, "monitor.yaml"), Path.Combine(ManifestDir, "10-monitor.yml"));
        await BarrierAsync();

        await AssertUnchangedAsync(original, uid);
    }

    [Fact]
    public async Task Removed_ContainerStoppedAndRemoved()
    {
        await RunAsync("monitor.yaml", Manifest("monitor"));

        File.Delete(Path.Combine(ManifestDir, "monitor.yaml"));

        await AsyncTestHelpers.WaitUntilAsync(async () => (await AllAsync("monitor")).Count == 0, "the pod's containers to be stopped and removed",
            describe: DescribeAsync);
        Assert.Empty(Set.Current);
    }

    [Fact]
    public async Task InvalidFileBesideValidOne_ValidRunsAndErrorNamesFileAndLine()
    {
        var bad = Path.Combine(ManifestDir, "broken.yaml");
        await File.WriteAllTextAsync(bad, Manifest("broken").Replace("    image:", "    imgae:", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        await RunAsync("monitor.yaml", Manifest("monitor"));

        var error = Assert.Single(Set.Errors);
        Assert.Equal(bad, error.File);
        Assert.Equal(10, error.Line);
        Assert.Contains("unknown field \"imgae\"", error.Message, StringComparison.Ordinal);
        Assert.Empty(await AllAsync("broken"));
    }

    [Fact]
    public async Task RunningPodsFileMadeInvalid_KeepsRunningAndErrorReported()
    {
        var path = Path.Combine(ManifestDir, "monitor.yaml");
        var original = await RunAsync("monitor.yaml", Manifest("monitor"));
        var uid = Assert.Single(Set.Current).Metadata.Uid;

        await File.WriteAllTextAsync(path, Manifest("monitor", image: "ssd-monitor:latest") + "\n  restartPolicyy: Never\n", TestContext.Current.CancellationToken);

        await AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(Set.Errors.Any(e => e.File == path && e.Line == 12)), "the error to be reported with its file and line",
            describe: () => Task.FromResult(string.Join("\n", Set.Errors)));
        Assert.Contains(Set.Errors, e => e.Message.Contains("unknown field \"restartPolicyy\"", StringComparison.Ordinal) && e.Message.Contains("did you mean \"restartPolicy\"", StringComparison.Ordinal));
        await BarrierAsync();
        await AssertUnchangedAsync(original, uid);
    }

    [Fact]
    public async Task AgentRestarted_StaticPodAdoptedNotRestarted()
    {
        var original = await RunAsync("monitor.yaml", Manifest("monitor"));
        var before = StartedAt(await _docker.InspectAsync(original.ID));

        await Agent.StopAsync();
        await Agent.StartAsync();
        Assert.True(Set.IsListed, "the manifest directory is read before the agent's start completes");
        await BarrierAsync();

        await AssertUnchangedAsync(original, Assert.Single(Set.Current, p => p.Metadata.Name.StartsWith("monitor-", StringComparison.Ordinal)).Metadata.Uid);
        Assert.Equal(before, StartedAt(await _docker.InspectAsync(original.ID)));
    }

    /// <summary>Writes a manifest and waits for its single container to run.</summary>
    private async Task<ContainerListResponse> RunAsync(string file, string manifest)
    {
        var name = Regex.Match(manifest, @"name: (\S+)").Groups[1].Value;
        await File.WriteAllTextAsync(Path.Combine(ManifestDir, file), manifest, TestContext.Current.CancellationToken);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await RunningAsync(name)).Count == 1, $"the static pod {name} to run", describe: DescribeAsync);
        return Assert.Single(await RunningAsync(name));
    }

    /// <summary>
    /// Drops another manifest and waits for it to run: every read is of the whole directory and every pass plans every
    /// pod, so by then the agent has seen, and acted on, whatever was done to the directory before.
    /// </summary>
    private async Task BarrierAsync()
    {
        var name = "barrier" + Guid.NewGuid().ToString("N")[..6];
        await RunAsync(name + ".yaml", Manifest(name));
    }

    private async Task AssertUnchangedAsync(ContainerListResponse original, string uid)
    {
        var all = await AllAsync("monitor");
        var container = Assert.Single(all);
        Assert.Equal(original.ID, container.ID);
        Assert.Equal("running", container.State);
        Assert.Equal(uid, Assert.Single(Set.Current, p => p.Metadata.Name == $"monitor-{_node}").Metadata.Uid);
    }

    private async Task<List<ContainerListResponse>> AllAsync(string podName) =>
        [.. (await _docker.ContainersAsync(_node)).Where(c => c.Labels.TryGetValue("io.hostdaemons.pod", out var pod) && pod == $"{podName}-{_node}")];

    private async Task<List<ContainerListResponse>> RunningAsync(string podName) => [.. (await AllAsync(podName)).Where(c => c.State == "running")];

    private async Task<string> DescribeAsync()
    {
        var containers = await _docker.ContainersAsync(_node);
        return string.Join("; ", containers.Select(c => $"{c.Names.FirstOrDefault()} {c.State} {c.Image}"))
            + $" | errors: {string.Join(" / ", _agent is null ? [] : Set.Errors)}";
    }

    /// <summary>Docker's start time (RFC 3339 with nanoseconds, more digits than .NET parses).</summary>
    private static DateTimeOffset StartedAt(ContainerInspectResponse inspect)
    {
        var text = FractionDigits().Replace(inspect.State?.StartedAt ?? "", m => m.Value.Length > 8 ? m.Value[..8] : m.Value);
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    [GeneratedRegex(@"\.\d+")]
    private static partial Regex FractionDigits();
}
