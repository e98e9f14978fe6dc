using System.Diagnostics;
using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// Lifecycle hooks and grace periods on the real engine: preStop runs before the stop signal and inside the grace
/// period, postStart before the container counts as running, a failed postStart kills the container, and a grace
/// period of 0 stops a container at once.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class LifecycleHookTests
{
    [Fact]
    public async Task PreStopAndPostStart_PodDeleted_PreStopRanBeforeTheStopSignal()
    {
        var node = "hooks-" + Suffix();
        using var trace = new TempDirectory("hd-hooks");
        await using var cluster = await TestCluster.StartAsync(node);
        await cluster.ApplyDaemonAsync("hooked", $$$"""
            terminationGracePeriodSeconds: 20
            containers:
            - name: main
              image: busybox:latest
              command: ["/bin/sh", "-c", "trap 'echo term >> /trace/log; exit 0' TERM; while true; do sleep 1 & wait $!; done"]
              lifecycle:
                postStart:
                  exec: {command: ["/bin/sh", "-c", "echo poststart >> /trace/log"]}
                preStop:
                  exec: {command: ["/bin/sh", "-c", "echo prestop >> /trace/log; sleep 1"]}
              volumeMounts: [{name: trace, mountPath: /trace}]
            volumes:
            - name: trace
              hostPath: {path: "{{{trace.Path}}}"}
            """);
        await cluster.WaitForRunningAsync(node, "DaemonSet/hooked", 1);
        await AsyncTestHelpers.WaitUntilAsync(() => Lines(trace).Contains("poststart"), "the postStart hook to run");

        var stopwatch = Stopwatch.StartNew();
        await cluster.Hdctl.OkAsync("delete", "ds", "hooked", "--wait=false");
        await cluster.WaitForRunningAsync(node, "DaemonSet/hooked", 0);

        // The preStop hook ran, then the stop signal came and was handled: well inside the grace period.
        Assert.Equal(["poststart", "prestop", "term"], Lines(trace).Take(3));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"the stop took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task FailingPostStart_ContainerKilledWithFailedPostStartHookAndRestarted()
    {
        var node = "poststart-" + Suffix();
        await using var cluster = await TestCluster.StartAsync(node);
        await cluster.ApplyDaemonAsync("bad-hook", """
            terminationGracePeriodSeconds: 0
            containers:
            - name: main
              image: busybox:latest
              command: ["sleep", "3600"]
              lifecycle:
                postStart:
                  exec: {command: ["/bin/sh", "-c", "exit 7"]}
            """);

        await AsyncTestHelpers.WaitUntilAsync(
            async () => (await cluster.Hdctl.RunAsync("get", "events")).Output.Contains("FailedPostStartHook", StringComparison.Ordinal),
            "the FailedPostStartHook event");
        await AsyncTestHelpers.WaitUntilAsync(
            async () => (await cluster.Hdctl.JsonAsync("get", "pods")).AsArray().FirstOrDefault()?["status"]?["containerStatuses"]?[0]?["restartCount"]?.GetValue<int>() >= 1,
            "the killed container to take the restart path");
        Assert.Contains("PostStartHook failed", (await cluster.Hdctl.OkAsync("get", "events")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ZeroGracePeriod_PodDeleted_ContainerStoppedAtOnce()
    {
        var node = "grace-zero-" + Suffix();
        await using var cluster = await TestCluster.StartAsync(node);
        await cluster.ApplyDaemonAsync("stubborn", """
            terminationGracePeriodSeconds: 0
            containers:
            - name: main
              image: busybox:latest
              command: ["/bin/sh", "-c", "trap '' TERM; while true; do sleep 1; done"]
            """);
        await cluster.WaitForRunningAsync(node, "DaemonSet/stubborn", 1);
        var pod = (await cluster.Hdctl.OkAsync("get", "pods", "-o", "name")).Trim().Split('/')[1];
        var id = (await cluster.Docker.RunningAsync(node)).Single().ID;

        var stopwatch = Stopwatch.StartNew();
        await cluster.Hdctl.OkAsync("delete", "pod", pod, "--wait=false");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Docker.ContainersAsync(node)).All(c => c.ID != id), "the container to be gone");

        // Docker's own default would have been 10 s; the kubelet's minimum applies only to a non-zero grace period.
        TestContext.Current.TestOutputHelper?.WriteLine($"deleted with grace 0: container gone after {stopwatch.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"the stop took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task ForcedDeletion_GracePeriodZeroOverThePods_ContainerStoppedAtOnce()
    {
        var node = "grace-force-" + Suffix();
        await using var cluster = await TestCluster.StartAsync(node);
        await cluster.ApplyDaemonAsync("stubborn", """
            containers:
            - name: main
              image: busybox:latest
              command: ["/bin/sh", "-c", "trap '' TERM; while true; do sleep 1; done"]
            """);
        await cluster.WaitForRunningAsync(node, "DaemonSet/stubborn", 1);
        var pod = (await cluster.Hdctl.OkAsync("get", "pods", "-o", "name")).Trim().Split('/')[1];

        // The pod's own grace period is 30 s and its shell ignores SIGTERM: only a kill stops it.
        var stopwatch = Stopwatch.StartNew();
        var deleted = await cluster.Hdctl.RunAsync("delete", "pod", pod, "--grace-period=0", "--force");

        Assert.Equal(0, deleted.ExitCode);
        Assert.StartsWith("Warning: Immediate deletion does not wait for confirmation", deleted.Error, StringComparison.Ordinal);
        Assert.Contains($"pod \"{pod}\" deleted", deleted.Output, StringComparison.Ordinal);
        TestContext.Current.TestOutputHelper?.WriteLine($"force-deleted: pod gone after {stopwatch.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"the deletion took {stopwatch.Elapsed}");
    }

    private static List<string> Lines(TempDirectory trace)
    {
        var path = trace.Combine("log");
        return File.Exists(path) ? [.. File.ReadAllLines(path)] : [];
    }

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];
}
